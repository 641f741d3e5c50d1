"""Operand types against register classes: rustc's type check of a block (after lowering), for
the operands whose type is evident (:mod:`asm_ls.model.types`).

Per operand, in rustc's order: operands whose register was rejected (unknown, reserved,
filtered) or whose class needs a missing target feature are skipped, as rustc skips them.  Then
the type: not usable in asm at all; inout with incompatible input and output types; not in the
class's type list (or only with ``asm_experimental_reg``); needing a target feature; and the
``asm_sub_register`` lint for placeholders without a modifier.  Every fact comes from the
architecture data; an unknown type, an undecidable condition or unknown target features give no
diagnostic.
"""

from __future__ import annotations

from dataclasses import replace

from asm_ls.diagnostics import Diagnostic, Related, fix
from asm_ls.model.arch import ArchData, arch_data, first_holding, holds
from asm_ls.model.block import Operand
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.target import Target, pointer_width_of
from asm_ls.model.types import asm_type, printable

TypeMap = dict[int, tuple[str | None, str | None]]


def check_types(resolved: ResolvedBlock, target: Target, types: TypeMap,
                sub_register_allowed: bool = False, crate_features: frozenset[str] | None = None) -> list[Diagnostic]:
    """``types``: operand index -> (input type, output type) from
    :func:`asm_ls.model.types.operand_types`.  ``sub_register_allowed``: the lint is allowed
    (``#[allow(asm_sub_register)]``) where the block is."""
    data = arch_data(target.arch)
    width = pointer_width(target)
    if data is None or width is None or not types:
        return []
    block = resolved.block
    own_features = resolved.own_features
    if own_features:
        target = target.with_features(own_features)
    if block.call.in_macro_definition:
        target = replace(target, features_known=False)    # the features of the functions expanding the macro
    if crate_features is not None and "asm_experimental_reg" in crate_features:
        target = replace(target, allow_experimental_reg=True)
    checker = _Checker(resolved, data, target, width, own_features, sub_register_allowed)
    checker.gate_known = crate_features is not None
    for operand in block.operands:
        if operand.kind == "const":
            checker.out += _const_operand(operand, types.get(operand.index, (None, None))[0])
        elif operand.index in types and checker.usable(operand):
            checker.operand(operand, *types[operand.index])
    return checker.out


_INTEGERS = frozenset("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize".split())


def _const_operand(operand: Operand, ty: str | None) -> list[Diagnostic]:
    """rustc takes only integers as `const` operands."""
    if ty is None or ty in _INTEGERS or not printable(ty):
        return []
    return [Diagnostic("invalid-const-type", "invalid type for `const` operand", operand.start, operand.end,
                       notes=(f"is a `{ty}`", "`const` operands must be of an integer type"))]


def pointer_width(target: Target) -> int | None:
    width = pointer_width_of(target)
    return int(width) if width else None


def _is_clobber(operand: Operand) -> bool:
    return operand.kind in ("out", "lateout") and operand.discard and operand.reg is not None and operand.reg.explicit


class _Checker:
    def __init__(self, resolved: ResolvedBlock, data: ArchData, target: Target, width: int,
                 own_features: tuple[str, ...], sub_register_allowed: bool) -> None:
        self.resolved = resolved
        self.data = data
        self.target = target
        self.width = width
        # Features the function enables imply others asm-ls does not track: a missing feature
        # is then not certain.
        self.features_certain = target.features_known and not own_features
        self.sub_register_allowed = sub_register_allowed
        self.out: list[Diagnostic] = []
        self.class_name = ""

    # -- what rustc does before the type ------------------------------------------------------

    def usable(self, operand: Operand) -> bool:
        """Whether rustc reaches the type check for this operand (its register parsed, passed
        the filters and its class's feature requirement), certainly."""
        reg = operand.reg
        if reg is None or reg.kind == "unknown" or _is_clobber(operand):
            return False
        if operand.cfgs and self.resolved.block.unknown_args:
            return False
        data, target = self.data, self.target
        if reg.explicit:
            reason, certain = data.reserved_reason(reg.name, target)
            if reason is not None or not certain:
                return False
            register = data.canonical(reg.name)
            if register is None:
                return False
            entry, certain = first_holding(data.registers[register].get("filters", []), target, False)
            if entry is not None or not certain:
                return False
            self.class_name = data.class_of(register)
        elif reg.name in data.classes:
            self.class_name = reg.name
        else:
            return False
        features = data.class_features(self.class_name, target)
        if features and not any(feature in target.features for feature in features):
            return False      # rustc reports the class feature (or asm-ls cannot know)
        return True

    # -- the type check -------------------------------------------------------------------------

    def operand(self, operand: Operand, in_type: str | None, out_type: str | None) -> None:
        if operand.kind == "in":
            self.check(operand, operand.expr, in_type)
        elif operand.kind in ("out", "lateout"):
            if not operand.discard:
                self.check(operand, operand.expr, out_type)
        elif not operand.split:
            self.check(operand, operand.expr, out_type)
        else:
            known, tied = self.check(operand, operand.expr, in_type)
            if operand.out_expr is not None and known:
                self.check(operand, operand.out_expr, out_type, tied=(operand.expr, in_type, tied))

    def check(self, operand: Operand, expr, ty: str | None, tied=None) -> tuple[bool, str | None]:
        """rustc's check of one expression.  Returns (known, asm type or None): ``known`` False
        when asm-ls cannot tell what rustc does (and so what it does for the tied output)."""
        if expr is None or ty is None:
            return False, None
        kind = asm_type(ty, self.width)
        if kind is None:
            return False, None
        verdict, asm_ty = kind
        if verdict == "invalid":
            if printable(ty):
                self._error("unsupported-operand-type", f"cannot use value of type `{ty}` for inline assembly", expr,
                            notes=("only integers, floats, SIMD vectors, pointers and function pointers can be used "
                                   "as arguments for inline assembly",))
                return True, None
            return False, None
        if verdict == "unsized_pointer":
            if printable(ty):
                self._error("unsupported-operand-type",
                            f"cannot use value of unsized pointer type `{ty}` for inline assembly", expr,
                            notes=("only sized pointers can be used in inline assembly",))
                return True, None
            return False, None
        if tied is not None:
            in_expr, in_ty, in_asm = tied
            if in_asm is not None and in_asm != asm_ty:
                self._error("inout-type-mismatch", "incompatible types for asm inout argument", in_expr,
                            related=(Related(expr.start, expr.end, f"type `{ty}`" if printable(ty) else "output"),),
                            notes=("asm inout arguments must have the same type, unless they are both pointers "
                                   "or integers of the same size",))
            if in_asm is not None:
                return True, asm_ty
        supported = self._supported(asm_ty)
        if supported is None:
            return False, asm_ty
        found, feature = supported
        if not found:
            if not printable(ty):
                return True, asm_ty
            unstable = None if self.target.allow_experimental_reg else self._supported(asm_ty, experimental=True)
            if unstable is None and not self.target.allow_experimental_reg:
                return True, asm_ty
            if unstable is not None and unstable[0]:
                if not self.gate_known:
                    return True, asm_ty     # the crate root may enable asm_experimental_reg
                self._error("invalid-operand-type", f"type `{ty}` cannot be used with this register class in stable",
                            expr, notes=("add `#![feature(asm_experimental_reg)]` to the crate attributes to enable",))
            else:
                names = [entry["type"] for entry in self._types() if holds(entry.get("when"), self.target) is True
                         and (not entry.get("experimental") or self.target.allow_experimental_reg)]
                notes = [f"register class `{self.class_name}` supports these types: {', '.join(names)}"]
                suggestion = self._suggest_class(asm_ty)
                if suggestion:
                    notes.append(f"consider using the `{suggestion}` register class instead")
                self._error("invalid-operand-type", f"type `{ty}` cannot be used with this register class", expr,
                            notes=tuple(notes), data={"supported": names, "suggest_class": suggestion})
            return True, asm_ty
        if feature is not None and feature not in self.target.features:
            if self.features_certain and printable(ty):
                self._error("operand-type-feature", f"`{feature}` target feature is not enabled", expr,
                            notes=(f"this is required to use type `{ty}` with register class `{self.class_name}`",),
                            data={"feature": feature})
            return True, asm_ty
        self._sub_register(operand, expr, asm_ty)
        return True, asm_ty

    def _types(self) -> list[dict]:
        return self.data.classes[self.class_name].get("types", [])

    def _supported(self, asm_ty: str, experimental: bool = False) -> tuple[bool, str | None] | None:
        """(listed, feature) for the type in the class's list; None when undecidable."""
        allow = experimental or self.target.allow_experimental_reg
        undecided = False
        for entry in self._types():
            if entry["type"] != asm_ty or (entry.get("experimental") and not allow):
                continue
            verdict = holds(entry.get("when"), self.target)
            if verdict is True:
                return True, entry.get("feature")
            if verdict is None:
                undecided = True
        return None if undecided else (False, None)

    def _suggest_class(self, asm_ty: str) -> str | None:
        bits = _bits(asm_ty)
        for entry in self.data.classes[self.class_name].get("suggest_class", []):
            if bits in entry.get("type_bits", [bits]) and holds(entry.get("when"), self.target) is True:
                return entry["class"]
        return None

    def _sub_register(self, operand: Operand, expr, asm_ty: str) -> None:
        if self.sub_register_allowed:
            return
        block = self.resolved.block
        if block.unknown_template or block.unknown_args:
            return
        bits = _bits(asm_ty)
        suggestion = None
        for entry in self.data.classes[self.class_name].get("suggest_modifier", []):
            if "type_bits" in entry and bits not in entry["type_bits"]:
                continue
            verdict = holds(entry.get("when"), self.target)
            if verdict is None:
                return
            if verdict:
                suggestion = entry["modifier"]
                break
        if suggestion is None:
            return
        spans = [p for p in block.placeholders if p.operand == operand.index and p.modifier is None]
        if not spans:
            return
        default, certain = first_holding(self.data.classes[self.class_name].get("default_modifier", []), self.target)
        if default is None or not certain:
            return
        index = operand.index
        first = spans[0]
        self.out.append(Diagnostic(
            "asm-sub-register", "formatting may not be suitable for sub-register argument", first.start, first.end,
            related=tuple(Related(p.start, p.end, "placeholder without a modifier") for p in spans[1:])
            + (Related(expr.start, expr.end, "for this argument"),),
            notes=(f"use `{{{index}:{suggestion['char']}}}` to have the register formatted as "
                   f"`{suggestion['example']}` (for {suggestion['bits']}-bit values)",
                   f"or use `{{{index}:{default['char']}}}` to keep the default formatting of "
                   f"`{default['example']}` (for {default['bits']}-bit values)"),
            fix=fix.UseModifier(suggestion["char"], tuple((p.start, p.end) for p in spans))))

    def _error(self, code: str, message: str, expr, related=(), notes=(), data=None) -> None:
        self.out.append(Diagnostic(code, message, expr.start, expr.end, related=tuple(related),
                                   notes=tuple(notes), data=data or {}))


def _bits(asm_ty: str) -> int:
    """The size of an asm type: ``i32`` 32, ``f64`` 64, ``i8x16`` 128."""
    if "x" in asm_ty:
        element, count = asm_ty.split("x")
        return int(element[1:]) * int(count)
    return int(asm_ty[1:])
