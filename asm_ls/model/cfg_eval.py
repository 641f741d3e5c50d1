"""Three-valued evaluation of ``#[cfg]`` predicates for a target architecture.

Only ``target_arch`` (and the derived ``target_pointer_width``, ``target_family``...) is known;
every other predicate is unknown (None), so a block is considered for an architecture unless
its predicates are definitely false there.
"""

from __future__ import annotations

from asm_ls.syntax.cfg import Cfg

# target_arch values rustc knows, grouped by pointer width.
ARCHITECTURES = (
    "x86", "x86_64", "arm", "aarch64", "arm64ec", "riscv32", "riscv64", "loongarch32", "loongarch64",
    "s390x", "powerpc", "powerpc64", "mips", "mips64", "mips32r6", "mips64r6", "sparc", "sparc64",
    "m68k", "avr", "hexagon", "bpf", "msp430", "nvptx64", "csky", "wasm32", "wasm64", "spirv", "xtensa",
)
_POINTER_WIDTH = {
    "x86": "32", "x86_64": "64", "arm": "32", "aarch64": "64", "arm64ec": "64", "riscv32": "32",
    "riscv64": "64", "loongarch32": "32", "loongarch64": "64", "s390x": "64", "powerpc": "32",
    "powerpc64": "64", "mips": "32", "mips64": "64", "mips32r6": "32", "mips64r6": "64", "sparc": "32",
    "sparc64": "64", "m68k": "32", "avr": "16", "hexagon": "32", "bpf": "64", "msp430": "16",
    "nvptx64": "64", "csky": "32", "wasm32": "32", "wasm64": "64", "xtensa": "32",
}


def evaluate(cfg: Cfg, arch: str) -> bool | None:
    if cfg.op == "eq":
        if cfg.key == "target_arch":
            return cfg.value == arch
        if cfg.key == "target_pointer_width" and arch in _POINTER_WIDTH:
            return cfg.value == _POINTER_WIDTH[arch]
        return None
    if cfg.op == "not":
        value = evaluate(cfg.args[0], arch)
        return None if value is None else not value
    if cfg.op == "all":
        values = [evaluate(arg, arch) for arg in cfg.args]
        if any(value is False for value in values):
            return False
        return True if all(value is True for value in values) else None
    if cfg.op == "any":
        values = [evaluate(arg, arch) for arg in cfg.args]
        if any(value is True for value in values):
            return True
        return False if all(value is False for value in values) else None
    if cfg.op == "flag" and cfg.key in ("true", "false"):
        return cfg.key == "true"
    return None


def evaluate_all(cfgs: list[Cfg], arch: str) -> bool | None:
    return evaluate(Cfg("all", tuple(cfgs)), arch)


def candidate_architectures(cfgs: list[Cfg], configured: list[str]) -> tuple[list[str], bool]:
    """The architectures to check a block for, and whether its cfgs chose them.

    Blocks whose cfgs single out a few architectures are checked for each of them; otherwise
    for the configured targets the cfgs allow.  An empty list: no architecture can be chosen.
    """
    possible = [arch for arch in ARCHITECTURES if evaluate_all(cfgs, arch) is not False]
    if len(possible) == len(ARCHITECTURES):
        return list(configured), False
    if len(possible) <= len(ARCHITECTURES) // 2:
        return possible, True
    return [arch for arch in configured if arch in possible], False
