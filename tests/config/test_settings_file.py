"""asm_ls.config: the settings parser's new keys, layering, the workspace root and the file it reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from asm_ls.config import Config, find_workspace_root, load_config_file, parse_config
from asm_ls.config.globs import IgnoreRules
from asm_ls.model.target import parse_target


def test_new_keys_and_their_problems():
    config, problems = parse_config({"targetFeatures": ["+avx2", "sse", "-x87"], "cfg": ["unix", 'feature = "a"', "a b"],
                                     "exclude": ["vendor", " "]})
    assert (config.target_features, config.cfg, config.exclude) == (("+avx2", "-x87"), ("unix", 'feature = "a"'),
                                                                   ("vendor",))
    assert problems == ["`targetFeatures`: 'sse' is not a target feature with its sign (`+avx2`, `-sse4.1`)",
                        "`cfg`: 'a b' is not a cfg name or `key=\"value\"`",
                        "`exclude`: ' ' is not a non-empty glob pattern"]


def test_to_analysis_applies_features_and_cfg():
    config, _ = parse_config({"targets": ["x86_64-unknown-linux-gnu"], "targetFeatures": ["+avx2"],
                              "cfg": ['feature = "a"'], "assemble": True})
    settings = config.to_analysis()
    assert "avx2" in settings.targets[0].features and "avx" in settings.targets[0].features   # implied
    assert settings.cfg.names == frozenset({'feature="a"'})
    assert settings.assemble is False and config.to_analysis(with_assembler=True).assemble is True


def test_layering_replaces_given_keys_and_merges_severity():
    file, _ = parse_config({"targets": ["aarch64"], "edition": "2018", "severity": {"unused-argument": "warning",
                                                                                    "reserved-register": "hint"}})
    client, _ = parse_config({"targets": ["x86_64"], "severity": {"unused-argument": "off"}})
    merged = file.under(client)
    assert merged.targets == (parse_target("x86_64"),)
    assert merged.edition == "2018"
    assert merged.severity == {"unused-argument": "off", "reserved-register": "hint"}
    assert file.under(Config()) == file


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_workspace_root(tmp_path: Path):
    write(tmp_path / "Cargo.toml", "[workspace]\n")
    write(tmp_path / "crates" / "a" / "Cargo.toml", '[package]\nname = "a"\n')
    file = write(tmp_path / "crates" / "a" / "src" / "lib.rs", "")
    assert find_workspace_root(file) == tmp_path.resolve()
    assert find_workspace_root(tmp_path / "crates" / "a") == tmp_path.resolve()
    (tmp_path / "Cargo.toml").unlink()
    assert find_workspace_root(file) == (tmp_path / "crates" / "a").resolve()      # the outermost package
    (tmp_path / "crates" / "a" / "Cargo.toml").unlink()
    write(tmp_path / "crates" / "asm-ls.toml", "")
    assert find_workspace_root(file) == (tmp_path / "crates").resolve()
    (tmp_path / "crates" / "asm-ls.toml").unlink()
    assert find_workspace_root(file) is None


def test_which_source_is_read(tmp_path: Path):
    write(tmp_path / "Cargo.toml", '[workspace]\n[workspace.metadata.asm-ls]\nedition = "2015"\n'
                                   '[package]\nname = "x"\n[package.metadata.asm-ls]\nedition = "2018"\n')
    loaded = load_config_file(tmp_path)
    assert (loaded.origin, loaded.config.edition, loaded.problems) == (
        "Cargo.toml [workspace.metadata.asm-ls]", "2015", ())
    write(tmp_path / "asm-ls.toml", 'edition = "2024"\n')
    assert (load_config_file(tmp_path).origin, load_config_file(tmp_path).config.edition) == ("asm-ls.toml", "2024")
    (tmp_path / "asm-ls.toml").unlink()
    write(tmp_path / "Cargo.toml", '[package]\nname = "x"\n')
    assert load_config_file(tmp_path).origin is None


@pytest.mark.parametrize("pattern, path, excluded", [
    ("generated", "src/generated/a.rs", True),
    ("*_gen.rs", "src/x_gen.rs", True),
    ("src/*.rs", "src/a.rs", True),
    ("src/*.rs", "src/sub/a.rs", False),
    ("src/**/*.rs", "src/sub/deep/a.rs", True),
    ("/a.rs", "a.rs", True),
    ("/a.rs", "src/a.rs", False),
    ("build/", "build/x.rs", True),
    ("build/", "src/build.rs", False),
    ("**/skip.rs", "skip.rs", True),
])
def test_exclude_patterns(tmp_path: Path, pattern: str, path: str, excluded: bool):
    assert IgnoreRules(tmp_path, [pattern]).excludes(tmp_path / path) is excluded


def test_negation(tmp_path: Path):
    rules = IgnoreRules(tmp_path, ["*.rs", "!keep.rs"])
    assert (rules.excludes(tmp_path / "a.rs"), rules.excludes(tmp_path / "keep.rs")) == (True, False)


@pytest.mark.parametrize("flag", ["+hvx-length128b", "-crt-static", "+v8.1a", "+sse4.1", "+zvl128b"])
def test_every_rustc_feature_name_is_accepted(flag):
    assert parse_config({"targetFeatures": [flag]}) == (Config(target_features=(flag,),
                                                               given=frozenset({"targetFeatures"})), [])


def test_target_cpu():
    config, problems = parse_config({"targets": ["avr-none"], "targetCpu": "atmega2560"})
    assert problems == [] and config.target_cpu == "atmega2560"
    [target] = config.to_analysis().targets
    # the CPU turns on features asm-ls does not know: feature checks stay silent
    assert (target.cpu, target.features_known) == ("atmega2560", False)
    assert parse_config({"targetCpu": "x86 64"}) == (Config(given=frozenset({"targetCpu"})),
                                                     ["`targetCpu`: 'x86 64' is not a CPU name (`x86-64-v3`, "
                                                      "`cortex-m4`)"])
    layered = config.under(parse_config({"targetCpu": "atmega328p"})[0])
    assert layered.target_cpu == "atmega328p"
