"""asm_ls.model.paths.resolved: the same answer as Path.resolve(), with directories remembered."""

from __future__ import annotations

import os
from pathlib import Path

from asm_ls.model.paths import resolved


def test_same_as_resolve_for_links_missing_files_and_dots(tmp_path, monkeypatch):
    real = tmp_path / "real"
    (real / "src").mkdir(parents=True)
    (real / "src" / "lib.rs").write_text("")
    (tmp_path / "link").symlink_to(real)
    (real / "src" / "alias.rs").symlink_to(real / "src" / "lib.rs")
    monkeypatch.chdir(tmp_path)
    cases = [tmp_path / "link" / "src" / "lib.rs", tmp_path / "link" / "src" / "missing" / "mod.rs",
             tmp_path / "link" / "src" / "alias.rs", tmp_path / "link" / "src" / ".." / "src" / "lib.rs",
             tmp_path / "link" / "src" / "..", Path("link/src/lib.rs"), Path("."), Path("/")]
    for case in cases:
        assert resolved(case) == case.resolve(), case
        assert resolved(str(case)) == case.resolve(), case
    assert resolved(tmp_path / "link" / "src" / "lib.rs") == real / "src" / "lib.rs"


def test_a_file_replaced_by_a_link_is_seen(tmp_path):
    (tmp_path / "a.rs").write_text("")
    (tmp_path / "b.rs").write_text("")
    assert resolved(tmp_path / "a.rs") == tmp_path.resolve() / "a.rs"
    os.remove(tmp_path / "a.rs")
    (tmp_path / "a.rs").symlink_to(tmp_path / "b.rs")
    assert resolved(tmp_path / "a.rs") == tmp_path.resolve() / "b.rs"
