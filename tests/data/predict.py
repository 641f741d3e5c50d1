"""Predict rustc's register/class diagnostics for one asm! block from the arch data.

This mirrors the order of rustc's checks:
  AST lowering: parse register / class (invalid register / invalid register class),
                clobber-only classes, explicit-register conflicts;
  type check:   validate filters (`cannot use register`), class target features, operand type.
"""
from __future__ import annotations

from dataclasses import dataclass

from archdata import Arch, Target, TYPE_BITS, SUB_REGISTER_LINT


@dataclass
class Op:
    kind: str          # in | out | lateout | inout | inlateout
    spec: str          # register alias (explicit=True) or class name
    explicit: bool
    ty: str | None     # Rust scalar type of the expression, None for `_`
    modifier: str | None = None  # template modifier used on this operand ({0:x}), if any


def _flags(kind: str):
    # (input, output) as rustc's conflict check sees them; a late output does not use inputs
    return {"in": (True, False), "out": (True, True), "lateout": (False, True),
            "inout": (True, True), "inlateout": (True, True)}[kind]


def predict(arch: Arch, t: Target, ops: list[Op]) -> list[tuple[int, str]]:
    """-> list of (operand index, message), lowering errors first, then type-check errors."""
    lowering: list[tuple[int, str]] = []
    resolved = []  # (reg or None, class or None)
    for i, op in enumerate(ops):
        if op.explicit:
            reg, err = arch.parse_reg(op.spec, t)
            if err:
                lowering.append((i, err))
                resolved.append((None, None))
            else:
                resolved.append((reg, arch.class_of(reg)))
        else:
            if op.spec not in arch.classes:
                lowering.append((i, f"invalid register class `{op.spec}`: unknown register class"))
                resolved.append((None, None))
            else:
                resolved.append((None, op.spec))

    # template modifiers (only for operands whose class is known)
    for i, op in enumerate(ops):
        reg, cls = resolved[i]
        if cls is None or op.modifier is None:
            continue
        if op.modifier not in arch.valid_modifiers(cls, t):
            lowering.append((i, "invalid asm template modifier for this register class"))

    used = {True: {}, False: {}}  # input map, output map: reg -> operand index
    for i, op in enumerate(ops):
        reg, cls = resolved[i]
        if cls is None:
            continue
        is_clobber = op.explicit and op.ty is None and op.kind in ("out", "lateout")
        if not is_clobber:
            co = arch.clobber_only_error(cls, t)
            if co:
                lowering.append((i, co))
                continue
        if reg is None:
            continue
        inp, outp = _flags(op.kind)
        skip = False
        for r in arch.overlapping(reg):
            for is_input, active in ((True, inp), (False, outp)):
                if not active:
                    continue
                m = used[is_input]
                if r in m:
                    if not skip:
                        skip = True
                        lowering.append(
                            (i, f"register `{op.spec}` conflicts with register `{ops[m[r]].spec}`"))
                elif r == reg:
                    m[r] = i

    typeck: list[tuple[int, str]] = []
    for i, op in enumerate(ops):
        reg, cls = resolved[i]
        if cls is None:
            continue
        is_clobber = op.explicit and op.ty is None and op.kind in ("out", "lateout")
        if reg is not None:
            fe = arch.filter_error(reg, t, is_clobber)
            if fe:
                typeck.append((i, fe))
                continue
        if not is_clobber:
            fe = arch.feature_error(cls, t)
            if fe:
                typeck.append((i, fe))
                continue
        if op.ty is not None and op.ty not in arch.usable_types(cls, t):
            stable_only = (not t.allow_experimental_reg and any(
                ty["type"] == op.ty and ty.get("experimental") for ty in arch.classes[cls]["types"]))
            suffix = " in stable" if stable_only else ""
            typeck.append((i, f"type `{op.ty}` cannot be used with this register class{suffix}"))
            continue
        # asm_sub_register lint (warning): a class operand used in the template without a
        # modifier, whose type size makes the class suggest a modifier
        if (op.ty is not None and not op.explicit and op.modifier is None
                and arch.suggest_modifier(cls, t, TYPE_BITS[op.ty]) is not None):
            typeck.append((i, SUB_REGISTER_LINT))
    return lowering + typeck
