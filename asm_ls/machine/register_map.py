"""The decoder's register names (capstone's ``eax``, ``w0``, ``t0``) as the architecture data's registers, and what
the data says about them for one target: overlaps, whether an operand may name one, whether the compiler keeps values
there, the thread's platform state."""

from __future__ import annotations

from asm_ls.machine.semantics import machine_facts
from asm_ls.model.arch import ArchData
from asm_ls.model.target import Target

class Registers:
    """Capstone register names to the architecture data's registers."""

    def __init__(self, data: ArchData, target: Target) -> None:
        self.data = data
        self.target = target
        self.reserved: dict[str, str] = {}
        for entry in data.data.get("reserved", []):
            for name in entry["names"]:
                self.reserved[name] = entry["names"][0]
        # The thread's platform state rather than values of the compiler (RISC-V's thread and global pointers):
        # switching it is the block's purpose, and the reference leaves it to target-specific rules.
        facts = machine_facts(target.arch)
        # State `preserves_flags` covers beyond the flags (RISC-V's fflags, vl, vtype...): followed like registers, so
        # that a value saved and written back is a restore; no operand names it.
        self.flag_state = frozenset(facts.flag_state)
        self.platform_state = {self.canonical(name) for name in facts.platform_state}

    def canonical(self, name: str) -> str | None:
        return self.data.canonical(name) or self.reserved.get(name) or (name if name in self.flag_state else None)

    def declarable(self, register: str) -> bool:
        return register in self.data.registers and register not in self.reserved.values() \
            and self.data.filter_error(register, self.target, True) is None

    def overlapping(self, register: str) -> set[str]:
        if register not in self.data.registers:
            return {register}
        return set(self.data.overlapping(register, self.target)) | {register}

    def contains(self, outer: str, inner: str) -> bool:
        return outer == inner or self.overlapping(inner) <= self.overlapping(outer)

    def allocated(self, register: str) -> bool:
        """Whether the compiler may keep a value in ``register`` for this target: a register whose every class needs
        target features the target does not have (the FP/SIMD registers of a soft-float target) holds none, so
        writing it changes nothing the compiler relies on.  The features are a built-in target's (a stand-in asm-ls
        chose for the architecture says nothing: unknown, so silent).  A function's ``#[target_feature]`` is not
        counted: only that function's own code could use such a register, and whether it does is not known."""
        entry = self.data.registers.get(register)
        if entry is None:
            return True
        gated = False
        for class_name in entry["classes"]:
            features = self.data.class_features(class_name, self.target)
            if not features:
                return True
            gated = True
            if (self.target.known or self.target.features_known) \
                    and any(feature in self.target.features for feature in features):
                return True
        return not gated
