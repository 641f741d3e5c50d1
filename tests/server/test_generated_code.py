"""The start-up cache of the code attrs and cattrs generate: a second start gets the code objects the first one
compiled, from the same text only; a damaged or unwritable cache changes nothing but the time."""

from __future__ import annotations

import attr
import attr._make
import pytest

from asm_ls.server import generated_code


@pytest.fixture
def cache_file(tmp_path, monkeypatch):
    path = tmp_path / "cache" / "generated-code.bin"
    monkeypatch.setattr(generated_code, "cache_path", lambda: path)
    monkeypatch.delenv(generated_code.DISABLE_ENV, raising=False)
    yield path
    generated_code.save()
    assert "compile" not in vars(attr._make)


def make_class(field_name: str = "x"):
    return attr.make_class("Probe", [field_name], slots=True)


def test_second_start_reuses_the_code_of_the_first(cache_file):
    generated_code.install()
    first = make_class()(1)
    generated_code.save()
    assert cache_file.exists()
    assert "compile" not in vars(attr._make)

    generated_code.install()
    second = make_class()(2)
    state = generated_code._state
    assert state is not None and state.fresh == 0 and len(state.used) == 1
    assert (first.x, second.x) == (1, 2) and first != second and repr(second) == "Probe(x=2)"


def test_other_text_is_compiled_again(cache_file):
    generated_code.install()
    make_class("x")
    generated_code.save()
    generated_code.install()
    assert make_class("y")(3).y == 3
    assert generated_code._state.fresh == 1


@pytest.mark.parametrize("content", [b"", b"not a cache", generated_code._HEADER + b"\x00garbage"])
def test_damaged_cache_is_ignored(cache_file, content):
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(content)
    generated_code.install()
    assert make_class()(4).x == 4
    generated_code.save()
    assert cache_file.read_bytes().startswith(generated_code._HEADER)


def test_unwritable_cache_is_not_written(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(generated_code, "cache_path", lambda: blocker / "sub" / "generated-code.bin")
    generated_code.install()
    assert make_class()(5).x == 5
    generated_code.save()       # no error
    assert "compile" not in vars(attr._make)


def test_disabled_by_the_environment(cache_file, monkeypatch):
    monkeypatch.setenv(generated_code.DISABLE_ENV, "1")
    generated_code.install()
    assert generated_code._state is None and "compile" not in vars(attr._make)
