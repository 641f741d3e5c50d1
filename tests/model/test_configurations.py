"""The configurations a block is built under (asm_ls/model/configurations.py): which targets, and whether a build
certainly compiles the block there or asm-ls guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from asm_ls.model.build import build_file
from asm_ls.model.cfg_eval import evaluate
from asm_ls.model.configurations import HOST, SETTINGS, BuildTargets, Placer, build_targets
from asm_ls.model.modules import ModuleIndex
from asm_ls.model.project_build import ProjectBuild
from asm_ls.model.target import TargetError, host_target, parse_target
from asm_ls.model.toolchain import has_rule
from asm_ls.syntax.cfg import Cfg
from asm_ls.syntax.source import SourceFile

HOST_LINUX = BuildTargets((parse_target("x86_64-unknown-linux-gnu"),), HOST)


def _placed(text: str, placer: Placer) -> list[tuple[str | None, str | None, bool]]:
    """(architecture, origin, certain) of each block of ``text``."""
    model = build_file(SourceFile.from_text(text), placer=placer)
    return [(b.arch, b.configuration.origin if b.configuration else None, b.certain) for b in model.blocks]


def _block(cfg: str) -> str:
    return f'{cfg}\nfn f() {{ unsafe {{ core::arch::asm!("nop") }} }}\n'


def test_doc_is_never_set_where_code_is_generated() -> None:
    text = _block('#[cfg(any(target_arch = "riscv64", doc))]')
    assert _placed(text, Placer(HOST_LINUX)) == [("riscv64", "cfg", True)]


def test_cfgs_that_name_no_architecture_use_the_build_targets_only() -> None:
    # target_pointer_width = "64" holds on mips64, sparc64, bpf...: none of them is built here.
    text = _block('#[cfg(target_pointer_width = "64")]')
    assert _placed(text, Placer(HOST_LINUX)) == [("x86_64", "host", False)]
    settings = BuildTargets((parse_target("x86_64-unknown-linux-gnu"), parse_target("i686-unknown-linux-gnu")),
                            SETTINGS)
    assert _placed(text, Placer(settings)) == [("x86_64", "settings", True)]


def test_a_block_no_build_target_compiles_gets_no_configuration() -> None:
    text = _block('#[cfg(target_os = "xous")]')
    assert _placed(text, Placer(HOST_LINUX)) == [(None, None, False)]


def test_the_path_guess_never_overrides_a_chosen_target() -> None:
    text = _block("")
    path = Path("/src/arch/x86/mod.rs")
    guessed = Placer(HOST_LINUX, module_known=False, path=path)
    assert _placed(text, guessed) == [("x86", "path", False), ("x86_64", "path", False)]
    chosen = Placer(BuildTargets((parse_target("i686-unknown-linux-gnu"),), SETTINGS), module_known=False, path=path)
    assert _placed(text, chosen) == [("x86", "settings", False)]
    assert _placed(text, Placer(HOST_LINUX, module_known=False, path=Path("/src/wasm32.rs"))) == \
        [("wasm32", "path", False)]


def test_custom_cfgs_make_a_configuration_a_guess() -> None:
    settings = BuildTargets((parse_target("riscv32imac-unknown-none-elf"),), SETTINGS)
    assert _placed(_block("#[cfg(xtensa)]"), Placer(settings)) == [("riscv32", "settings", False)]
    assert _placed(_block('#[cfg(feature = "rt")]'), Placer(settings)) == [("riscv32", "settings", True)]


def test_cfg_select_expression_arms_carry_their_predicate() -> None:
    text = ('fn f() {\n    cfg_select! {\n        xtensa => unsafe { core::arch::asm!("a") },\n'
            '        _ => unsafe { core::arch::asm!("b") },\n    }\n}\n')
    settings = BuildTargets((parse_target("riscv32imac-unknown-none-elf"),), SETTINGS)
    assert _placed(text, Placer(settings)) == [("riscv32", "settings", False), ("riscv32", "settings", False)]


def test_build_targets_settings_then_project_then_host() -> None:
    chosen = parse_target("aarch64-unknown-linux-gnu")
    project = ProjectBuild((parse_target("riscv64gc-unknown-none-elf"),), "/p/.cargo/config.toml", None, True)
    listed = ProjectBuild((parse_target("riscv64gc-unknown-none-elf"),), "/p/rust-toolchain.toml", None, False)
    assert build_targets([chosen], project).describe() == "aarch64-unknown-linux-gnu (settings)"
    assert build_targets([host_target()], project).describe() == \
        "riscv64gc-unknown-none-elf (.cargo/config.toml)"
    assert build_targets([host_target()], listed).describe() == \
        "riscv64gc-unknown-none-elf (some of them, rust-toolchain.toml)"
    assert not build_targets([host_target()], listed).assertive
    assert build_targets([host_target()], None).origin == HOST


@pytest.mark.parametrize(("triple", "cfg", "expected"), [
    ("x86_64-unknown-linux-gnux32", Cfg("eq", key="target_pointer_width", value="64"), False),
    ("x86_64-unknown-linux-gnux32", Cfg("eq", key="target_pointer_width", value="32"), True),
    ("wasm32-unknown-emscripten", Cfg("flag", key="unix"), True),
    ("wasm32-unknown-emscripten", Cfg("flag", key="wasm"), True),
    ("wasm32-unknown-emscripten", Cfg("eq", key="target_family", value="unix"), True),
    ("x86_64-unknown-linux-gnu", Cfg("flag", key="miri"), False),
    ("x86_64-unknown-linux-gnu", Cfg("eq", key="target_vendor", value="apple"), False),
])
def test_target_facts(triple: str, cfg: Cfg, expected: bool) -> None:
    target = parse_target(triple)
    assert evaluate(cfg, target.arch, target) is expected


def test_a_mistyped_target_is_refused_with_a_suggestion() -> None:
    with pytest.raises(TargetError) as raised:
        parse_target("x86-64")
    assert str(raised.value) == ("unknown target `x86-64` (did you mean `x86_64`?): give a target triple "
                                 "(x86_64-unknown-linux-gnu) or an architecture (x86, x86_64, arm, aarch64, arm64ec, "
                                 "riscv32, ...)")


def test_a_file_no_declaration_reaches_has_an_unknown_place(tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text("[package]\nname = 'p'\n")
    index = ModuleIndex()
    index.add(tmp_path / "lib.rs", SourceFile.from_text("mod a;\n"))
    assert index.context_of(tmp_path / "a.rs")[3] is True
    assert index.context_of(tmp_path / "lib.rs")[3] is True
    assert index.context_of(tmp_path / "orphan.rs")[3] is False


def test_a_mod_in_cfg_if_inside_an_inline_module_declares_its_file(tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text("[package]\nname = 'p'\n")
    text = ('mod outer {\n    cfg_if::cfg_if! {\n        if #[cfg(target_arch = "x86_64")] {\n'
            '            mod inner;\n        }\n    }\n}\n')
    index = ModuleIndex()
    index.add(tmp_path / "lib.rs", SourceFile.from_text(text))
    cfgs, _, _, known = index.context_of(tmp_path / "outer" / "inner.rs")
    assert known is True
    assert cfgs == [Cfg("eq", key="target_arch", value="x86_64")]


@pytest.mark.parametrize(("channel", "expected"), [
    ("nightly-2023-10-27", False), ("nightly-2024-10-07", True), ("1.82.0", False), ("1.83", True),
    ("stable", True), ("nightly", True), (None, True),
])
def test_a_pinned_toolchain_lacks_newer_rules(channel: str | None, expected: bool) -> None:
    assert has_rule(channel, "1.83.0", "2024-10-07") is expected
