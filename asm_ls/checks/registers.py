"""Register operands, template modifiers and ``clobber_abi`` against the architecture data:
what rustc rejects when it lowers and type-checks a block for a target.

Every fact comes from :mod:`asm_ls.model.arch`; a condition the target's known facts cannot
decide produces no diagnostic.
"""

from __future__ import annotations

from dataclasses import replace

from asm_ls.diagnostics import Diagnostic, Related, fix
from asm_ls.model.arch import ArchData, arch_data, architectures_knowing
from asm_ls.model.block import Operand
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.target import Target


def check_registers(resolved: ResolvedBlock, target: Target,
                    crate_features: frozenset[str] | None = None) -> list[Diagnostic]:
    """``crate_features`` None: the crate root is unknown, so feature gates stay silent."""
    data = arch_data(target.arch)
    if data is None:
        return []
    block = resolved.block
    target = target.with_features(resolved.own_features)
    if block.call.in_macro_definition:
        # A macro body runs with the features of each function that expands it: not known here.
        target = replace(target, features_known=False)
    if crate_features is not None and "asm_experimental_reg" in crate_features:
        target = replace(target, allow_experimental_reg=True)
    gate_known = crate_features is not None
    out: list[Diagnostic] = []
    if not data.is_stable(target.arch) and crate_features is not None \
            and "asm_experimental_arch" not in crate_features and resolved.certain:
        out.append(Diagnostic("experimental-arch", "inline assembly is not stable yet on this architecture",
                              block.start, block.end,
                              notes=("add `#![feature(asm_experimental_arch)]` to the crate attributes to enable",)))
    if "att_syntax" in block.option_names and not data.data.get("att_syntax", False):
        out.append(Diagnostic("att-syntax-not-x86", "the `att_syntax` option is only supported on x86",
                              block.start, block.end, fix=fix.RemoveAttSyntax()))
    out += _clobber_abis(resolved, data, target)
    classes = _operand_classes(block.operands, data, target, out)
    out += _modifiers(resolved, data, target, classes)
    out += _clobber_only_and_conflicts(block.operands, data, target, classes, gate_known)
    out += _typeck(block.operands, data, target, classes)
    return out


def _is_clobber(operand: Operand) -> bool:
    return operand.kind in ("out", "lateout") and operand.discard and operand.reg is not None and operand.reg.explicit


def _operand_classes(operands: list[Operand], data: ArchData, target: Target,
                     out: list[Diagnostic]) -> dict[int, tuple[str, str | None]]:
    """operand index -> (class, canonical register or None) for operands whose register parsed."""
    classes: dict[int, tuple[str, str | None]] = {}
    for operand in operands:
        reg = operand.reg
        if reg is None or reg.kind == "unknown":
            continue
        if reg.explicit:
            reason, certain = data.reserved_reason(reg.name, target)
            if reason is not None:
                if certain:
                    out.append(Diagnostic("reserved-register", f"invalid register `{reg.name}`: {reason}",
                                          operand.start, operand.end))
                continue
            canonical = data.canonical(reg.name)
            if canonical is None:
                out.append(Diagnostic("unknown-register", f"invalid register `{reg.name}`: unknown register",
                                      operand.start, operand.end))
                continue
            classes[operand.index] = (data.class_of(canonical), canonical)
        elif reg.name in data.classes:
            classes[operand.index] = (reg.name, None)
        else:
            supported = ", ".join(f"`{name}`" for name in data.class_order)
            out.append(Diagnostic("unknown-register-class",
                                  f"invalid register class `{reg.name}`: unknown register class",
                                  operand.start, operand.end,
                                  notes=(f"the following register classes are supported on this target: {supported}",)))
    return classes


def _modifiers(resolved: ResolvedBlock, data: ArchData, target: Target,
               classes: dict[int, tuple[str, str | None]]) -> list[Diagnostic]:
    out = []
    for placeholder in resolved.block.placeholders:
        if placeholder.operand is None or placeholder.modifier is None or len(placeholder.modifier) != 1:
            continue
        if placeholder.operand not in classes:
            continue
        class_name, _ = classes[placeholder.operand]
        valid = data.valid_modifiers(class_name, target)
        if placeholder.modifier in valid:
            continue
        if valid:
            note = f"the `{class_name}` register class supports the following template modifiers: " + \
                ", ".join(f"`{m}`" for m in valid)
        else:
            note = f"the `{class_name}` register class does not support template modifiers"
        out.append(Diagnostic("invalid-modifier", "invalid asm template modifier for this register class",
                              placeholder.start, placeholder.end, notes=(note,),
                              fix=fix.ChooseModifier(tuple(valid))))
    return out


def _clobber_only_and_conflicts(operands: list[Operand], data: ArchData, target: Target,
                                classes: dict[int, tuple[str, str | None]], gate_known: bool) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    used_inputs: dict[str, int] = {}
    used_outputs: dict[str, int] = {}
    for operand in operands:
        if operand.index not in classes:
            continue
        class_name, register = classes[operand.index]
        kind = data.clobber_only(class_name, target)
        if kind == "stable" and not gate_known:
            continue      # #![feature(asm_experimental_reg)] may be enabled in an unseen crate root
        if kind is not None and not _is_clobber(operand):
            message = (f"register class `{class_name}` can only be used as a clobber, not as an input or output"
                       if kind == "clobber" else f"register class `{class_name}` can only be used as a clobber in stable")
            out.append(Diagnostic("clobber-only-class", message, operand.start, operand.end))
            continue
        if register is None:
            continue
        is_input = operand.kind in ("in", "inout", "inlateout") or operand.kind == "out"
        is_output = operand.kind != "in"
        reported = False
        for overlapping in data.overlapping(register, target):
            for flag, used in ((is_input, used_inputs), (is_output, used_outputs)):
                if not flag:
                    continue
                if overlapping in used:
                    if not reported:
                        reported = True
                        earlier = operands[used[overlapping]]
                        out.append(Diagnostic(
                            "register-conflict",
                            f"register `{operand.reg.name}` conflicts with register `{earlier.reg.name}`",
                            operand.start, operand.end,
                            related=(Related(earlier.start, earlier.end, f"register `{earlier.reg.name}`"),)))
                elif overlapping == register:
                    used[overlapping] = operand.index
    return out


def _typeck(operands: list[Operand], data: ArchData, target: Target,
            classes: dict[int, tuple[str, str | None]]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for operand in operands:
        if operand.index not in classes:
            continue
        class_name, register = classes[operand.index]
        if data.clobber_only(class_name, target) is not None and not _is_clobber(operand):
            continue
        if register is not None:
            error = data.filter_error(register, target, _is_clobber(operand))
            if error is not None:
                out.append(Diagnostic("reserved-register", f"cannot use register `{register}`: {error}",
                                      operand.start, operand.end))
                continue
        if _is_clobber(operand) or not target.features_known:
            continue
        features = data.class_features(class_name, target)
        if features and not any(feature in target.features for feature in features):
            if len(features) == 1:
                message = f"register class `{class_name}` requires the `{features[0]}` target feature"
            else:
                message = (f"register class `{class_name}` requires at least one of the following target features: "
                           + ", ".join(features))
            out.append(Diagnostic("register-class-feature", message, operand.start, operand.end,
                                  data={"features": features}))
    return out


def _clobber_abis(resolved: ResolvedBlock, data: ArchData, target: Target) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for arg in resolved.block.clobber_abis:
        spans = [(name, arg.start, arg.end) for name, _, _ in arg.abis] if len(arg.abis) == 1 else arg.abis
        for name, start, end in spans:
            entry, certain = data.clobber_abi(name, target)
            if entry is None:
                if not certain:
                    continue
                supported = data.clobber_abi_names(target)
                if supported is None:
                    continue
                if not supported:
                    out.append(Diagnostic("invalid-clobber-abi", "`clobber_abi` is not supported on this target",
                                          start, end))
                    continue
                out.append(Diagnostic("invalid-clobber-abi", "invalid ABI for `clobber_abi`", start, end,
                                      notes=("the following ABIs are supported on this target: "
                                             + ", ".join(f"`{n}`" for n in supported),)))
                continue
            # Without the target's OS the ABI a name selects may be unknown; the same name
            # twice is the same ABI all the same.
            identity = entry["abi"] if certain else f"name:{name}"
            if identity in seen:
                out.append(Diagnostic("duplicate-clobber-abi", f"`{seen[identity]}` ABI specified multiple times",
                                      start, end))
            else:
                seen[identity] = name
    return out
