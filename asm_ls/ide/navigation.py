"""Navigation between placeholders and the operands they bind, between labels and their uses
(``labels.py``), and from a ``sym`` operand to the Rust item it names (``sym_items.py``):
definition, references, document highlight and rename.

Pure functions from a :class:`FileModel` and a byte offset to byte ranges.  A call is resolved once
per architecture; every answer is the union over those resolutions (an operand under ``#[cfg]``
may only exist for some of them), de-duplicated and in file order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from asm_ls.diagnostics.fix import Edit
from asm_ls.ide import labels
from asm_ls.model.block import Operand, Placeholder, TemplatePiece
from asm_ls.model.build import FileModel, ResolvedBlock

Span = tuple[int, int]

# Rust's strict and reserved keywords (2018+): never valid as an operand name.
RUST_KEYWORDS = frozenset("""
    as break const continue crate else enum extern false fn for if impl in let loop match mod move
    mut pub ref return self Self static struct super trait true type unsafe use where while async
    await dyn abstract become box do final macro override priv typeof unsized virtual yield try gen
""".split())


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    kind: str           # "write" (the operand's definition) | "read" (a placeholder)


# --- shared lookups (also used by inlay.py and actions.py) ---------------------------------------

def blocks_at(model: FileModel, offset: int) -> list[ResolvedBlock]:
    """The resolutions of the call whose text contains ``offset`` (its end included)."""
    return [resolved for resolved in model.blocks
            if resolved.block.call.start <= offset <= resolved.block.call.end]


def resolutions_of(model: FileModel, resolved: ResolvedBlock) -> list[ResolvedBlock]:
    """Every resolution of the same call as ``resolved``."""
    call = resolved.block.call
    return [other for other in model.blocks if other.block.call is call]


def is_exact(resolved: ResolvedBlock, placeholder: Placeholder) -> bool:
    """Whether the placeholder's byte range is its own text (not a whole ``concat!``)."""
    pieces = resolved.block.templates
    return 0 <= placeholder.piece < len(pieces) and pieces[placeholder.piece].form == "string" \
        and pieces[placeholder.piece].decoded is not None


def placeholder_at(resolved: ResolvedBlock, offset: int) -> Placeholder | None:
    """The exact placeholder containing ``offset``; one ending at ``offset`` when none contains it."""
    touching = None
    for placeholder in resolved.block.placeholders:
        if not is_exact(resolved, placeholder):
            continue
        if placeholder.start <= offset < placeholder.end:
            return placeholder
        if offset == placeholder.end and touching is None:
            touching = placeholder
    return touching


def operand_at(resolved: ResolvedBlock, offset: int) -> Operand | None:
    for operand in resolved.block.operands:
        if operand.start <= offset <= operand.end:
            return operand
    return None


def definition_span(operand: Operand) -> Span:
    """The operand's name, or the whole operand when it has none."""
    if operand.name is not None and operand.name_end > operand.name_start:
        return operand.name_start, operand.name_end
    return operand.start, operand.end


def placeholder_name_span(piece: TemplatePiece, placeholder: Placeholder) -> Span | None:
    """The bytes of the name (or index) written in ``{name:m}``, without trailing whitespace."""
    decoded = piece.decoded
    written = placeholder.name if placeholder.name is not None else \
        (None if placeholder.implicit or placeholder.index is None else str(placeholder.index))
    if decoded is None or piece.form != "string" or written is None:
        return None
    first = placeholder.first + 1
    last = first + len(written)
    if decoded.value[first:last] != written:
        return None
    return decoded.span(first, last)


def _targets(model: FileModel, offset: int) -> list[tuple[ResolvedBlock, Operand]]:
    """The operand at ``offset`` (through a placeholder binding it, or its own text) in every
    resolution of the call there."""
    found = []
    for resolved in blocks_at(model, offset):
        placeholder = placeholder_at(resolved, offset)
        if placeholder is not None:
            if placeholder.operand is not None and placeholder.operand < len(resolved.block.operands):
                found.append((resolved, resolved.block.operands[placeholder.operand]))
            continue
        operand = operand_at(resolved, offset)
        if operand is not None:
            found.append((resolved, operand))
    return found


def _bound(resolved: ResolvedBlock, operand: Operand) -> list[Placeholder]:
    return [p for p in resolved.block.placeholders if p.operand == operand.index]


# --- features -----------------------------------------------------------------------------------

def definition(model: FileModel, offset: int) -> list[Span]:
    """From a placeholder to the operand it binds (its name, or the whole positional operand);
    from a label to its definition; from a ``sym`` operand's path to the item it names."""
    spans: set[Span] = set()
    for resolved in blocks_at(model, offset):
        placeholder = placeholder_at(resolved, offset)
        if placeholder is not None and placeholder.operand is not None \
                and placeholder.operand < len(resolved.block.operands):
            spans.add(definition_span(resolved.block.operands[placeholder.operand]))
    if spans:
        return sorted(spans)
    label = _label_at(model, offset)
    if label is not None:
        return [(target.start, target.end) for target in labels.targets(*label)]
    item = sym_definition(model, offset)
    return [item] if item is not None else []


def sym_definition(model: FileModel, offset: int) -> Span | None:
    """The name of the Rust item the path of the ``sym`` operand at ``offset`` names."""
    for resolved in blocks_at(model, offset):
        operand = operand_at(resolved, offset)
        if operand is not None and operand.kind == "sym" and operand.expr is not None \
                and operand.expr.known and operand.expr.start <= offset <= operand.expr.end:
            from asm_ls.ide.sym_items import item_name_span
            from asm_ls.syntax.treesitter import parse
            path = model.source.text(operand.expr.start, operand.expr.end)
            return item_name_span(parse(model.source.data), model.source.data, resolved.block.call.start, path)
    return None


def _label_at(model: FileModel, offset: int) -> tuple[list[labels.Occurrence], labels.Occurrence] | None:
    """The file's label occurrences and the one at ``offset``."""
    if not blocks_at(model, offset):
        return None
    found = labels.occurrences(model)
    occurrence = labels.at(found, offset)
    return (found, occurrence) if occurrence is not None else None


def references(model: FileModel, offset: int, include_declaration: bool = True) -> list[Span]:
    """The operand at ``offset``: its definition and every placeholder binding it; the label at
    ``offset``: its definitions and every reference to them."""
    spans: set[Span] = set()
    for resolved, operand in _targets(model, offset):
        if include_declaration:
            spans.add(definition_span(operand))
        spans.update((p.start, p.end) for p in _bound(resolved, operand))
    if not spans and (label := _label_at(model, offset)) is not None:
        spans.update((o.start, o.end) for o in labels.family(*label) if include_declaration or not o.defines)
    return sorted(spans)


def highlights(model: FileModel, offset: int) -> list[Highlight]:
    found: dict[Span, str] = {}
    for resolved, operand in _targets(model, offset):
        found[definition_span(operand)] = "write"
        for placeholder in _bound(resolved, operand):
            found.setdefault((placeholder.start, placeholder.end), "read")
    if not found and (label := _label_at(model, offset)) is not None:
        found = {(o.start, o.end): "write" if o.defines else "read" for o in labels.family(*label)}
    return [Highlight(start, end, kind) for (start, end), kind in sorted(found.items())]


# --- rename -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RenameTarget:
    name: str
    start: int          # the name under the cursor
    end: int
    edits: tuple[Span, ...]     # every occurrence of the name, in file order
    label: bool = False         # a label (else a named operand)


def prepare_rename(model: FileModel, offset: int) -> RenameTarget | None:
    """The named operand or the label at ``offset`` and every byte range spelling its name;
    None when it cannot be renamed exactly (positional operand, explicit register, unknown
    template or arguments, a template that does not parse, a placeholder or label inside
    ``concat!`` or spelt with escapes...)."""
    return _operand_rename(model, offset) or _label_rename(model, offset)


def _label_rename(model: FileModel, offset: int) -> RenameTarget | None:
    label = _label_at(model, offset)
    edits = labels.rename_spans(*label) if label is not None else None
    if label is None or edits is None:
        return None
    occurrence = label[1]
    cursor = (occurrence.start, occurrence.start + len(occurrence.name.encode("utf-8")))
    if cursor not in edits:
        return None
    return RenameTarget(occurrence.name, cursor[0], cursor[1], tuple(sorted(set(edits))), label=True)


def _operand_rename(model: FileModel, offset: int) -> RenameTarget | None:
    resolutions = blocks_at(model, offset)
    if not resolutions:
        return None
    name = None
    cursor: Span | None = None
    for resolved in resolutions:
        placeholder = placeholder_at(resolved, offset)
        if placeholder is not None:
            if placeholder.name is None or placeholder.operand is None:
                return None
            span = placeholder_name_span(resolved.block.templates[placeholder.piece], placeholder)
            if span is None:
                return None
            name, cursor = placeholder.name, span
            break
        operand = operand_at(resolved, offset)
        if operand is not None:
            if operand.name is None or not (operand.name_start <= offset <= operand.name_end):
                return None
            name, cursor = operand.name, (operand.name_start, operand.name_end)
            break
    if name is None or cursor is None:
        return None
    edits: set[Span] = set()
    for resolved in resolutions_of(model, resolutions[0]):
        spans = _occurrences(model, resolved, name)
        if spans is None:
            return None
        edits.update(spans)
    if cursor not in edits:
        return None
    return RenameTarget(name, cursor[0], cursor[1], tuple(sorted(edits)))


def _occurrences(model: FileModel, resolved: ResolvedBlock, name: str) -> list[Span] | None:
    block = resolved.block
    if block.unknown_args or block.unknown_template or block.parse_errors:
        return None
    if len(resolved.templates_parsed) != len(block.templates) or \
            any(parsed is not None and parsed.error is not None for parsed in resolved.templates_parsed):
        return None
    defining = [operand for operand in block.operands if operand.name == name]
    if len(defining) > 1:
        return None
    if not defining:
        # The operand is cfg'd out here: nothing may refer to the name.
        return [] if not any(p.name == name for p in block.placeholders) else None
    operand = defining[0]
    if operand.reg is not None and operand.reg.explicit:
        return None
    if model.source.data[operand.name_start:operand.name_end].decode("utf-8", "replace") != name:
        return None     # a raw identifier or a name produced by a macro
    spans = [(operand.name_start, operand.name_end)]
    for placeholder in block.placeholders:
        if placeholder.name != name:
            continue
        if placeholder.operand != operand.index:
            return None
        span = placeholder_name_span(block.templates[placeholder.piece], placeholder)
        if span is None:
            return None
        spans.append(span)
    return spans


def rename_problem(model: FileModel, offset: int, new_name: str) -> str | None:
    """Why ``new_name`` cannot replace the name at ``offset`` (None: it can)."""
    target = prepare_rename(model, offset)
    if target is None:
        return "only a named operand or a label can be renamed"
    if target.label:
        label = _label_at(model, offset)
        return labels.rename_problem(*label, new_name) if label is not None else "the label changed"
    if not is_identifier(new_name):
        return f"`{new_name}` is not a valid operand name"
    if new_name == target.name:
        return None
    for resolved in resolutions_of(model, blocks_at(model, offset)[0]):
        if any(operand.name == new_name for operand in resolved.block.operands):
            return f"an operand named `{new_name}` already exists"
    return None


def rename(model: FileModel, offset: int, new_name: str) -> list[Edit] | None:
    """The edits renaming the named operand at ``offset``; None when it cannot be done."""
    target = prepare_rename(model, offset)
    if target is None or rename_problem(model, offset, new_name) is not None:
        return None
    return [Edit(start, end, new_name) for start, end in target.edits]


def is_identifier(name: str) -> bool:
    """A Rust identifier that rustc accepts both as ``name = ...`` and as ``{name}``."""
    if not name or name == "_" or name in RUST_KEYWORDS:
        return False
    first = name[0]
    if not (first == "_" or first.isalpha() or unicodedata.category(first) == "Nl"):
        return False
    return all(char == "_" or char.isalnum() or unicodedata.category(char) in ("Mn", "Mc", "Nd", "Pc", "Nl")
               for char in name[1:])
