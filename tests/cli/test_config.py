"""The workspace's settings file in `asm-ls --check`: where it is found (asm-ls.toml, Cargo
metadata), what it sets (targets, severity, disabled, exclude...), what the command line
overrides, and invalid files (exit 2, the file and the key named)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_harness import BROKEN, run, write

# `x29` is aarch64's frame pointer and no x86 register: each target gives its own error
R = 'pub unsafe fn f(x: u64) {\n    core::arch::asm!("mov {0}, {0}", in(reg) x, in("x29") x);\n}\n'
HEAD = "::error file={},line=2,col=49,endLine=2,endColumn=60,title=asm-ls"
AARCH64 = HEAD + ("(reserved-register)::invalid register `x29`: the frame pointer cannot be used as an operand for "
                  "inline asm%0A(target: aarch64)")
X86_64 = HEAD + "(unknown-register)::invalid register `x29`: unknown register%0A(target: x86_64)"
PACKAGE = '[package]\nname = "p"\nversion = "0.1.0"\nedition = "2021"\n'


def annotations(tree: Path, *args: str, path: str = ".") -> list[str]:
    result = run(path, "--no-assemble", "--format", "github", "--quiet", *args, cwd=tree)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.splitlines()


def test_targets_from_asm_ls_toml_and_the_command_line(tmp_path: Path) -> None:
    write(tmp_path / "asm-ls.toml", 'targets = ["aarch64-unknown-linux-gnu", "x86_64"]\n')
    write(tmp_path / "r.rs", R)
    assert annotations(tmp_path) == [AARCH64.format("r.rs"), X86_64.format("r.rs")]
    assert annotations(tmp_path, "--target", "x86_64") == [X86_64.format("r.rs")]


def test_workspace_metadata_from_a_member_directory(tmp_path: Path) -> None:
    write(tmp_path / "Cargo.toml", '[workspace]\nmembers = ["crates/a"]\n\n'
                                   '[workspace.metadata.asm-ls]\ntargets = ["aarch64"]\n')
    write(tmp_path / "crates" / "a" / "Cargo.toml", PACKAGE + '\n[package.metadata.asm-ls]\ntargets = ["x86_64"]\n')
    write(tmp_path / "crates" / "a" / "src" / "lib.rs", R)
    member = tmp_path / "crates" / "a"
    # the workspace root decides, not the member's own table
    assert annotations(member, path="src") == [AARCH64.format(Path("src/lib.rs"))]


def test_package_metadata_of_a_lone_package(tmp_path: Path) -> None:
    write(tmp_path / "Cargo.toml", PACKAGE + '\n[package.metadata.asm-ls]\ntargets = ["aarch64"]\n'
                                             'severity = { reserved-register = "warning" }\n')
    write(tmp_path / "src" / "lib.rs", R)
    result = run(".", "--no-assemble", "--format", "github", "--quiet", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [AARCH64.format(Path("src/lib.rs")).replace("::error", "::warning", 1)]


def test_asm_ls_toml_wins_over_cargo_metadata(tmp_path: Path) -> None:
    write(tmp_path / "Cargo.toml", PACKAGE + '\n[package.metadata.asm-ls]\ntargets = ["aarch64"]\n')
    write(tmp_path / "asm-ls.toml", 'targets = ["x86_64"]\n')
    write(tmp_path / "src" / "lib.rs", R)
    assert annotations(tmp_path) == [X86_64.format(Path("src/lib.rs"))]


def test_severity_off_and_disabled(tmp_path: Path) -> None:
    write(tmp_path / "a.rs", BROKEN)
    write(tmp_path / "r.rs", R)
    write(tmp_path / "asm-ls.toml", 'targets = ["x86_64"]\ndisabled = ["unused-argument"]\n'
                                    '[severity]\nunknown-register = "off"\n')
    result = run(".", "--no-assemble", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "checked 2 files for x86_64 (settings): no problems\n")


def test_exclude_applies_to_named_files_too(tmp_path: Path) -> None:
    write(tmp_path / "asm-ls.toml", 'exclude = ["generated", "src/legacy/*.rs", "**/skip_me.rs"]\n')
    for name in ("generated/a.rs", "src/generated/b.rs", "src/legacy/c.rs", "skip_me.rs", "src/deep/skip_me.rs"):
        write(tmp_path / name, BROKEN)
    write(tmp_path / "src" / "legacy" / "keep" / "d.rs", BROKEN)
    result = run(".", "--no-assemble", "--format", "github", "--quiet", cwd=tmp_path)
    assert [line.split(",")[0] for line in result.stdout.splitlines()] == [
        f"::error file={Path('src/legacy/keep/d.rs')}"]
    named = run("src/legacy/c.rs", "skip_me.rs", "--no-assemble", cwd=tmp_path)
    assert (named.returncode, named.stdout) == (0, "checked 0 files: no problems\n")


def test_target_features_and_cfg_from_the_file(tmp_path: Path) -> None:
    text = ('pub unsafe fn f(x: u64) {\n    #[cfg(not(feature = "fast"))]\n'
            '    core::arch::asm!("{}", in(reg) x, in(reg) x);\n'
            '    core::arch::asm!("/* {} */", in(ymm_reg) x);\n}\n')
    write(tmp_path / "a.rs", text)
    write(tmp_path / "asm-ls.toml", 'targets = ["x86_64-unknown-linux-gnu"]\ncfg = [\'feature="fast"\']\n'
                                    'targetFeatures = ["+avx"]\n')
    assert _codes(annotations(tmp_path)) == ["asm-sub-register"]
    write(tmp_path / "asm-ls.toml", 'targets = ["x86_64-unknown-linux-gnu"]\n')
    assert _codes(annotations(tmp_path)) == ["unused-argument", "register-class-feature"]


def _codes(lines: list[str]) -> list[str]:
    return [line.split("title=asm-ls(")[1].split(")")[0] for line in lines]


@pytest.mark.parametrize("file, text, message", [
    ("asm-ls.toml", "colour = true\n", "asm-ls.toml: unknown setting `colour`"),
    ("asm-ls.toml", 'targets = "x86_64"\n', "asm-ls.toml: `targets` must be a list of target triples or architecture "
                                            "names"),
    ("asm-ls.toml", "targets = [\n", "asm-ls.toml: invalid TOML: "),
    ("asm-ls.toml", "[severity]\nno-such-code = \"off\"\n", "asm-ls.toml: `severity`: unknown diagnostic code "
                                                             "`no-such-code`"),
    ("Cargo.toml", PACKAGE + "[package.metadata.asm-ls]\nedition = 2021\n",
     "Cargo.toml: `package.metadata.asm-ls.edition` must be one of 2015, 2018, 2021, 2024 (a string), not 2021"),
    ("Cargo.toml", '[workspace]\nmetadata = { asm-ls = 3 }\n',
     "Cargo.toml: `workspace.metadata.asm-ls` must be a table"),
])
def test_invalid_settings_file(tmp_path: Path, file: str, text: str, message: str) -> None:
    write(tmp_path / file, text)
    write(tmp_path / "a.rs", BROKEN)
    result = run(".", "--no-assemble", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"asm-ls: invalid settings: {tmp_path.resolve() / message.split(':')[0]}:")
    assert line.removeprefix(f"asm-ls: invalid settings: {tmp_path.resolve()}/").startswith(message)


def test_invalid_command_line_options(tmp_path: Path) -> None:
    write(tmp_path / "a.rs", BROKEN)
    result = run(".", "--cfg", "a b", "--target-feature", "+avx,-", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["asm-ls: `--target-feature`: '-' is not a target feature with its sign "
                                          "(`+avx2`, `-sse4.1`)",
                                          "asm-ls: `--cfg`: 'a b' is not a cfg name or `key=\"value\"`"]


def test_target_features_with_dashes_digits_and_a_leading_minus(tmp_path: Path) -> None:
    write(tmp_path / "a.rs", R)
    for args in (["--target-feature", "+hvx-length128b"], ["--target-feature", "-crt-static"],
                 ["--target-feature=-crt-static,+v8.1a"], ["--target-cpu", "x86-64-v3"]):
        result = run(".", "--no-assemble", "--quiet", "--target", "x86_64", *args, cwd=tmp_path)
        assert result.returncode == 1 and result.stderr == "", (args, result.stderr)


def test_target_cpu_reaches_the_assembler(tmp_path: Path) -> None:
    """`eijmp` exists on the ATmega2560, not on the ATmega328P asm-ls assembles AVR for by default."""
    if shutil.which("rustc") is None:
        pytest.skip("rustc is not on PATH: the assembler-backed checks cannot run")
    write(tmp_path / "a.rs", '#![feature(asm_experimental_arch)]\npub unsafe fn f() {\n    core::arch::asm!("eijmp");\n}\n')
    default = run(".", "--quiet", "--format", "github", "--target", "avr-none", cwd=tmp_path)
    assert _codes(default.stdout.splitlines()) == ["missing-target-feature"]
    # Assembled clean: what is left is the note that AVR has no instruction semantics for the contract analysis.
    chosen = run(".", "--quiet", "--format", "github", "--target", "avr-none", "--target-cpu", "atmega2560",
                 cwd=tmp_path)
    assert (chosen.returncode, _codes(chosen.stdout.splitlines())) == (0, ["contract-not-analysed"])
    write(tmp_path / "asm-ls.toml", 'targetCpu = "atmega2560"\n')
    from_file = run(".", "--quiet", "--format", "github", "--target", "avr-none", cwd=tmp_path)
    assert (from_file.returncode, _codes(from_file.stdout.splitlines())) == (0, ["contract-not-analysed"])
