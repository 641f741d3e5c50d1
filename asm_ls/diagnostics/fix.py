"""Quick fixes as typed data.

A finding carries what its fix does as a *spec* (one of the frozen classes below), made where the
finding is made, from what the check knows there (``Diagnostic(..., fix=RemoveOperands((2,)))``).
``asm_ls/ide/actions.py`` turns a spec and the file's model into a :class:`Fix`: a title, exact
byte-range edits and an applicability; the server only converts that to LSP.  ``FIXES`` is the one
table of which codes have fixes and the spec each code's findings carry.

The contract analysis (``asm_ls/machine/``) still attaches its fix hints as a dict in
``Diagnostic.data``; :func:`from_hints` is the one place that reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

SAFE = "safe"           # the code then says what it does (a declaration corrected, an evident typo): apply freely
UNSAFE = "unsafe"       # it changes what the code does or picks one of several meanings: review it


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    preferred: bool = False
    applicability: str = SAFE


# --- what a finding's fix does ----------------------------------------------------------------

@dataclass(frozen=True)
class RemoveOperands:
    """Remove the unused operands (their indices), renumbering the placeholders after them."""
    operands: tuple[int, ...]


@dataclass(frozen=True)
class RenamePlaceholder:
    """Spell a placeholder's unknown name as the operand it most likely means."""


@dataclass(frozen=True)
class RemoveOption:
    """Remove the option the finding points at."""
    name: str


@dataclass(frozen=True)
class ReplaceOption:
    """Replace the option ``old`` with ``new``, or remove it (``new`` None; with ``pure`` when
    nothing ``pure`` needs is left)."""
    old: str
    new: str | None = None


@dataclass(frozen=True)
class RemoveAttSyntax:
    """Remove every ``att_syntax`` option of the block."""


@dataclass(frozen=True)
class FixSyntax:
    """A register written in the other syntax: ``att`` True when the block is AT&T (add the
    ``%``; or drop ``att_syntax``), False when Intel (drop the ``%``; or add ``att_syntax``)."""
    att: bool


@dataclass(frozen=True)
class RemoveModifier:
    """Remove the placeholder's template modifier."""


@dataclass(frozen=True)
class ChooseModifier:
    """Use one of the modifiers the register class accepts, or none."""
    valid: tuple[str, ...]


@dataclass(frozen=True)
class UseModifier:
    """Add ``modifier`` to the placeholders (their byte ranges)."""
    modifier: str
    placeholders: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class WrapInUnsafe:
    """Put the call in an ``unsafe { }`` block."""


@dataclass(frozen=True)
class AppendLine:
    """Add a template line at the end of the block."""
    line: str


@dataclass(frozen=True)
class AddOperands:
    """Declare more operands (each as written, e.g. ``lateout("rcx") _``)."""
    operands: tuple[str, ...]


@dataclass(frozen=True)
class MakeInout:
    """Turn the input operand (its index) into an ``inout``."""
    operand: int


@dataclass(frozen=True)
class RenameLabel:
    """Turn a named label into a numeric local label."""
    label: str


FixSpec = Union[RemoveOperands, RenamePlaceholder, RemoveOption, ReplaceOption, RemoveAttSyntax, FixSyntax,
                RemoveModifier, ChooseModifier, UseModifier, WrapInUnsafe, AppendLine, AddOperands, MakeInout,
                RenameLabel]

# Every code with a fix, and the spec its findings carry.
FIXES: dict[str, type] = {
    "unused-argument": RemoveOperands,
    "unknown-argument-name": RenamePlaceholder,
    "duplicate-option": RemoveOption,
    "option-not-allowed": RemoveOption,
    "att-syntax-not-x86": RemoveAttSyntax,
    "wrong-syntax": FixSyntax,
    "modifier-not-allowed": RemoveModifier,
    "invalid-modifier": ChooseModifier,
    "asm-sub-register": UseModifier,
    "asm-requires-unsafe": WrapInUnsafe,
    "unbalanced-directive": AppendLine,
    "named-asm-labels": RenameLabel,
    # the contract analysis's (from_hints)
    "undeclared-clobber": AddOperands,
    "call-without-clobber-abi": AddOperands,
    "input-overwritten": MakeInout,
    "memory-with-nomem": ReplaceOption,
    "write-with-readonly": ReplaceOption,
    "flags-not-preserved": ReplaceOption,
    "stack-with-nostack": ReplaceOption,
    "direction-flag-set": AppendLine,
}


def from_hints(data: dict[str, Any]) -> FixSpec | None:
    """The spec the contract analysis's dict hints describe: ``add`` (operands),
    ``replace_option`` ([old, new or None]), ``remove_option``, ``add_after`` (a line),
    ``operand`` (the input to make ``inout``); None when they describe none."""
    added = [entry for entry in data.get("add") or () if isinstance(entry, str) and entry]
    if added:
        return AddOperands(tuple(added))
    replace = data.get("replace_option")
    if isinstance(replace, (list, tuple)) and len(replace) == 2 and isinstance(replace[0], str):
        return ReplaceOption(replace[0], replace[1] if isinstance(replace[1], str) and replace[1] else None)
    if isinstance(data.get("remove_option"), str):
        return ReplaceOption(data["remove_option"])
    if isinstance(data.get("add_after"), str) and data["add_after"]:
        return AppendLine(data["add_after"])
    if isinstance(data.get("operand"), int) and not isinstance(data.get("operand"), bool):
        return MakeInout(data["operand"])
    return None


def spec_of(diagnostic) -> FixSpec | None:
    """The spec of a finding's fix, when its code has fixes and the spec is the code's kind."""
    expected = FIXES.get(diagnostic.code)
    spec = diagnostic.fix if diagnostic.fix is not None else from_hints(diagnostic.data)
    return spec if expected is not None and isinstance(spec, expected) else None
