"""What a project's own files say it builds for (asm_ls/model/project_build.py)."""

from __future__ import annotations

import json
from pathlib import Path

from asm_ls.model.project_build import project_build


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _summary(file: Path, environ: dict[str, str] | None = None) -> tuple:
    build = project_build(file, environ or {})
    return ([(t.display(), t.arch) for t in build.targets], Path(build.named_by).name if build.named_by else "",
            build.every, build.channel)


def test_cargo_build_target_list_builds_every_crate_for_each(tmp_path: Path) -> None:
    _write(tmp_path / ".cargo" / "config.toml",
           '[build]\ntarget = ["riscv64gc-unknown-none-elf", "x86_64-unknown-none"]\n')
    file = _write(tmp_path / "src" / "lib.rs", "")
    assert _summary(file) == ([("riscv64gc-unknown-none-elf", "riscv64"), ("x86_64-unknown-none", "x86_64")],
                              "config.toml", True, None)


def test_rustflags_add_features_and_rustflags_from_the_environment_replace_them(tmp_path: Path) -> None:
    _write(tmp_path / ".cargo" / "config.toml",
           '[build]\ntarget = "riscv64gc-unknown-none-elf"\nrustflags = ["-C", "target-feature=+zicbom"]\n'
           '[target.riscv64gc-unknown-none-elf]\nrustflags = ["-Ctarget-feature=+zicboz,+zicbom"]\n')
    file = _write(tmp_path / "src" / "lib.rs", "")
    features = project_build(file, {}).targets[0].features
    assert {"zicboz", "zicbom"} <= features
    replaced = project_build(file, {"RUSTFLAGS": "-C target-feature=+zba -Ctarget-cpu=sifive-u74"}).targets[0]
    assert "zba" in replaced.features and "zicboz" not in replaced.features
    assert replaced.cpu == "sifive-u74"


def test_toolchain_targets_and_channel_are_only_some_of_the_builds(tmp_path: Path) -> None:
    _write(tmp_path / "rust-toolchain.toml",
           '[toolchain]\nchannel = "nightly-2023-10-27"\ntargets = ["thumbv7em-none-eabihf"]\n')
    file = _write(tmp_path / "crate" / "src" / "lib.rs", "")
    assert _summary(file) == ([("thumbv7em-none-eabihf", "arm")], "rust-toolchain.toml", False,
                              "nightly-2023-10-27")


def test_docs_rs_targets_of_the_package(tmp_path: Path) -> None:
    _write(tmp_path / "Cargo.toml", '[package]\nname = "p"\n[package.metadata.docs.rs]\n'
                                    'default-target = "aarch64-unknown-none"\n')
    file = _write(tmp_path / "src" / "lib.rs", "")
    assert _summary(file) == ([("aarch64-unknown-none", "aarch64")], "Cargo.toml", False, None)


def test_a_custom_target_file_gives_its_architecture_os_and_features(tmp_path: Path) -> None:
    _write(tmp_path / "x86_64-kernel.json", json.dumps({
        "arch": "x86_64", "os": "none", "llvm-target": "x86_64-unknown-none", "target-pointer-width": "64",
        "features": "-mmx,-sse,+soft-float", "cpu": "x86-64-v2"}))
    _write(tmp_path / ".cargo" / "config.toml", '[build]\ntarget = "x86_64-kernel.json"\n')
    file = _write(tmp_path / "src" / "main.rs", "")
    target = project_build(file, {}).targets[0]
    assert (target.display(), target.arch, target.os, target.triple) == \
        ("x86_64-kernel.json", "x86_64", "none", "x86_64-unknown-none")
    assert "soft-float" in target.features and "sse" not in target.features
    assert target.cpu == "x86-64-v2"


def test_the_nearest_file_decides_and_broken_files_are_skipped(tmp_path: Path) -> None:
    _write(tmp_path / ".cargo" / "config.toml", '[build]\ntarget = "aarch64-unknown-none"\n')
    _write(tmp_path / "inner" / ".cargo" / "config.toml", "[build\nnot toml")
    _write(tmp_path / "inner" / "deeper" / ".cargo" / "config.toml", '[build]\ntarget = "x86_64-unknown-none"\n')
    assert _summary(_write(tmp_path / "inner" / "src" / "lib.rs", ""))[0] == [("aarch64-unknown-none", "aarch64")]
    assert _summary(_write(tmp_path / "inner" / "deeper" / "lib.rs", ""))[0] == [("x86_64-unknown-none", "x86_64")]


def test_a_project_without_targets_files_says_nothing(tmp_path: Path) -> None:
    assert _summary(_write(tmp_path / "src" / "lib.rs", "")) == ([], "", False, None)
