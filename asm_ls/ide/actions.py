"""Quick fixes for diagnostics: pure functions from the file model and one of asm-ls's own
diagnostics (byte offsets) with the typed spec of its fix (:mod:`asm_ls.diagnostics.fix`) to
:class:`~asm_ls.diagnostics.fix.Fix` records (title, byte-range edits, applicability), one
builder per kind of spec.

A fix is offered only when its edits are exact: an edit inside a template touches only the
characters that spell what it changes (escapes and raw strings included), and a fix that would
renumber placeholders it cannot edit exactly is not offered at all.
"""

from __future__ import annotations

import difflib
import re

from asm_ls.diagnostics import Diagnostic
from asm_ls.diagnostics import fix as spec
from asm_ls.diagnostics.fix import FIXES, UNSAFE, Edit, Fix, spec_of
from asm_ls.ide.navigation import blocks_at, is_exact, placeholder_name_span, resolutions_of
from asm_ls.model.block import AsmBlock, OptionsArg, Placeholder
from asm_ls.model.build import FileModel, ResolvedBlock
from asm_ls.syntax.source import SourceFile


FIXABLE = frozenset(FIXES)


def quick_fixes(model: FileModel, diagnostic: Diagnostic, others: list[Diagnostic] | tuple = ()) -> list[Fix]:
    """The fixes of one finding; ``others``, the file's findings, let a fix cover the block's
    findings of the same kind at once (every missing clobber)."""
    found = spec_of(diagnostic)
    builder = _BUILDERS.get(type(found))
    resolutions = blocks_at(model, diagnostic.start) if builder is not None else []
    if not resolutions:
        return []
    block_resolutions = resolutions_of(model, resolutions[0])
    if diagnostic.code == "undeclared-clobber":
        return _undeclared_clobbers(model, block_resolutions, diagnostic, found, others)
    return builder(model, block_resolutions, diagnostic, found)


# --- unused-argument -----------------------------------------------------------------------------

def _unused_argument(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                     found: spec.RemoveOperands) -> list[Fix]:
    indices = list(found.operands)
    layouts = {tuple(operand.start for operand in r.block.operands) for r in resolutions}
    if not indices or len(layouts) != 1:
        return []       # cfg'd operands: positions differ between architectures
    resolved = resolutions[0]
    operands = resolved.block.operands
    if any(not 0 <= index < len(operands) for index in indices) or operands[indices[0]].start != diagnostic.start:
        return []
    removed = sorted(set(indices))
    if any(operands[index].cfgs for index in removed):
        return []
    if any(operands[index].name in _misspelt(resolved) for index in removed):
        return []       # a placeholder misspells its name: removing it leaves the typo an error
    source = model.source
    spans = _removal_spans(source, [(operands[i].start, operands[i].end) for i in removed])
    if spans is None:
        return []
    edits = [Edit(start, end, "") for start, end in spans]
    renumbered = _renumber(resolved, removed)
    if renumbered is None:
        return []
    edits += renumbered
    if len(removed) == 1:
        text = source.text(operands[removed[0]].start, operands[removed[0]].end)
        title = f"Remove unused argument `{text}`" if len(text) <= 40 else "Remove unused argument"
    else:
        title = "Remove unused arguments"
    return [Fix(title, tuple(sorted(edits, key=lambda e: e.start)), preferred=True)]


# --- unknown-argument-name ---------------------------------------------------------------------

def _closest_name(resolved: ResolvedBlock, name: str) -> str | None:
    """The block's named operand ``name`` most likely misspells (unreferenced operands first)."""
    named = [operand.name for operand in resolved.block.operands if operand.name]
    used = {placeholder.name for placeholder in resolved.block.placeholders if placeholder.operand is not None}
    for candidates in ([n for n in named if n not in used], named):
        found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        if found:
            return found[0]
    return None


def _misspelt(resolved: ResolvedBlock) -> set[str]:
    """The operand names the block's unknown placeholder names are typos of."""
    out = set()
    for placeholder in resolved.block.placeholders:
        if placeholder.name is not None and placeholder.operand is None:
            closest = _closest_name(resolved, placeholder.name)
            if closest is not None:
                out.add(closest)
    return out


def _unknown_name(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                  found: spec.RenamePlaceholder) -> list[Fix]:
    for resolved in resolutions:
        for placeholder in resolved.block.placeholders:
            if placeholder.name is None or placeholder.operand is not None \
                    or (placeholder.name_start, placeholder.name_end) != (diagnostic.start, diagnostic.end):
                continue
            closest = _closest_name(resolved, placeholder.name)
            span = placeholder_name_span(resolved.block.templates[placeholder.piece], placeholder)
            if closest is None or span is None:
                return []
            return [Fix(f"Change `{{{placeholder.name}}}` to `{{{closest}}}`", (Edit(span[0], span[1], closest),),
                        preferred=True)]
    return []


def _renumber(resolved: ResolvedBlock, removed: list[int]) -> list[Edit] | None:
    """Edits keeping ``{N}`` placeholders on their operands once ``removed`` operands are gone."""
    edits = []
    for placeholder in resolved.block.placeholders:
        if placeholder.name is not None or placeholder.index is None or placeholder.operand is None:
            continue
        shift = sum(1 for index in removed if index < placeholder.index)
        if not shift:
            continue
        if placeholder.implicit:
            return None
        span = placeholder_name_span(resolved.block.templates[placeholder.piece], placeholder)
        if span is None:
            return None
        edits.append(Edit(span[0], span[1], str(placeholder.index - shift)))
    return edits


def _removal_spans(source: SourceFile, spans: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """Byte ranges removing arguments with their commas: whole lines when every argument sits
    alone on its line, else each one with the comma before it."""
    lines = [_line_removal(source, start, end) for start, end in spans]
    if all(line is not None for line in lines):
        return lines          # type: ignore[return-value]
    out = []
    for start, end in spans:
        comma = _comma_before(source.data, start)
        if comma is None:
            return None
        out.append((comma, end))
    return out


def _line_removal(source: SourceFile, start: int, end: int) -> tuple[int, int] | None:
    line = source.line_of(start)
    line_start, _ = source.line_span(line)
    if source.data[line_start:start].strip(b" \t"):
        return None
    last = source.line_of(end)
    _, line_end = source.line_span(last)
    rest = source.data[end:line_end].strip(b" \t")
    if rest not in (b"", b",") or last + 1 >= source.line_count:
        return None
    if not _comma_before(source.data, start):
        return None
    return line_start, source.line_span(last + 1)[0]


def _comma_before(data: bytes, offset: int) -> int | None:
    index = offset - 1
    while index >= 0 and data[index:index + 1] in (b" ", b"\t", b"\n", b"\r"):
        index -= 1
    return index if index >= 0 and data[index:index + 1] == b"," else None


# --- options -------------------------------------------------------------------------------------

def _remove_option(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                   found: spec.RemoveOption) -> list[Fix]:
    for arg in _options_args(resolutions):
        for option in arg.options:
            if option.start == diagnostic.start and option.end == diagnostic.end:
                edits = _remove_options(model.source, arg, {option.start})
                if edits is None:
                    return []
                return [Fix(f"Remove option `{option.name}`", tuple(edits), preferred=True)]
    return []


# Options a block with `pure` needs one of.
_PURE_NEEDS = ("nomem", "readonly")


def _contract_option(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                     change: spec.ReplaceOption) -> list[Fix]:
    """A contract finding's option change: the option replaced, or removed (`pure` too when
    nothing it needs is left)."""
    old, new = change.old, change.new
    args = _options_args(resolutions)
    found = [(arg, option) for arg in args for option in arg.options if option.name == old]
    if len(found) != 1:
        return []
    arg, option = found[0]
    if new:
        return [Fix(f"Replace option `{old}` with `{new}`", (Edit(option.start, option.end, new),), preferred=True)]
    names = [o.name for a in args for o in a.options]
    removed = {option.start}
    if "pure" in names and not any(name in _PURE_NEEDS for name in names if name != old):
        removed |= {o.start for o in arg.options if o.name == "pure"}
        if len(removed) != 2:
            return []
    edits = _remove_options(model.source, arg, removed)
    if edits is None:
        return []
    title = f"Remove option `{old}`" if len(removed) == 1 else f"Remove options `{old}` and `pure`"
    return [Fix(title, tuple(edits), preferred=True)]


def _att_syntax_not_x86(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                        found: spec.RemoveAttSyntax) -> list[Fix]:
    edits = _att_syntax_removal(model.source, resolutions)
    if not edits:
        return []
    return [Fix("Remove option `att_syntax`", edits, preferred=True)]


def _att_syntax_removal(source: SourceFile, resolutions: list[ResolvedBlock]) -> tuple[Edit, ...] | None:
    """The edits removing every ``att_syntax`` option of the blocks, in source order; None when
    one of them cannot be removed exactly."""
    edits: list[Edit] = []
    for arg in _options_args(resolutions):
        starts = {option.start for option in arg.options if option.name == "att_syntax"}
        if starts:
            arg_edits = _remove_options(source, arg, starts)
            if arg_edits is None:
                return None
            edits += arg_edits
    return tuple(sorted(edits, key=lambda e: e.start))


def _options_args(resolutions: list[ResolvedBlock]) -> list[OptionsArg]:
    found: dict[int, OptionsArg] = {}
    for resolved in resolutions:
        for arg in resolved.block.options:
            found.setdefault(arg.start, arg)
    return [found[start] for start in sorted(found)]


def _remove_options(source: SourceFile, arg: OptionsArg, starts: set[int]) -> list[Edit] | None:
    options = arg.options
    kept = [option for option in options if option.start not in starts]
    if not kept:
        comma = _comma_before(source.data, arg.start)
        return None if comma is None else [Edit(comma, arg.end, "")]
    removed = [index for index, option in enumerate(options) if option.start in starts]
    if len(removed) == 1:
        index = removed[0]
        if index == len(options) - 1:
            return [Edit(options[index - 1].end, options[index].end, "")]
        return [Edit(options[index].start, options[index + 1].start, "")]
    return [Edit(arg.start, arg.end, "options(" + ", ".join(option.name for option in kept) + ")")]


# --- modifiers -----------------------------------------------------------------------------------

def _placeholder_of(resolutions: list[ResolvedBlock], diagnostic: Diagnostic) -> tuple[ResolvedBlock, Placeholder] | None:
    for resolved in resolutions:
        for placeholder in resolved.block.placeholders:
            if placeholder.start == diagnostic.start and placeholder.end == diagnostic.end \
                    and placeholder.modifier is not None and is_exact(resolved, placeholder):
                return resolved, placeholder
    return None


def _modifier_removal(resolved: ResolvedBlock, placeholder: Placeholder) -> Edit | None:
    """Removes ``:m`` (the colon found through the source map, escapes included)."""
    decoded = resolved.block.templates[placeholder.piece].decoded
    if decoded is None:
        return None
    for index in range(placeholder.first + 1, placeholder.last):
        if decoded.starts[index] == placeholder.modifier_start:
            if decoded.value[index - 1] != ":":
                return None
            return Edit(decoded.starts[index - 1], placeholder.modifier_end, "")
    return None


def _modifier_not_allowed(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                          _spec: spec.RemoveModifier) -> list[Fix]:
    found = _placeholder_of(resolutions, diagnostic)
    edit = _modifier_removal(*found) if found else None
    if found is None or edit is None:
        return []
    return [Fix(f"Remove modifier `{found[1].modifier}`", (edit,), preferred=True)]


def _invalid_modifier(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                      choice: spec.ChooseModifier) -> list[Fix]:
    """Each valid modifier, and none: which register part is meant is the user's choice."""
    found = _placeholder_of(resolutions, diagnostic)
    if found is None:
        return []
    _, placeholder = found
    fixes = [Fix(f"Use modifier `{valid}`", (Edit(placeholder.modifier_start, placeholder.modifier_end, valid),),
                 applicability=UNSAFE)
             for valid in choice.valid]
    removal = _modifier_removal(*found)
    if removal is not None:
        fixes.append(Fix(f"Remove modifier `{placeholder.modifier}`", (removal,), applicability=UNSAFE))
    return fixes


# --- context -------------------------------------------------------------------------------------

def _requires_unsafe(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                     found: spec.WrapInUnsafe) -> list[Fix]:
    call = resolutions[0].block.call
    if call.start != diagnostic.start or call.end != diagnostic.end:
        return []
    return [Fix("Wrap in `unsafe { }`", (Edit(call.start, call.start, "unsafe { "), Edit(call.end, call.end, " }")),
                preferred=True)]


# --- template text -------------------------------------------------------------------------------

def _append_line(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                 found: spec.AppendLine) -> list[Fix]:
    """Adds the template line at the end of the block (it changes the block's code)."""
    undo = found.line
    pieces = [piece for resolved in resolutions for piece in resolved.block.templates]
    if not undo or not pieces:
        return []
    last = max(pieces, key=lambda piece: piece.end)
    raw = any(r.block.has_option("raw") for r in resolutions)
    literal = '"' + _escape(undo, raw) + '"'
    edit = _append_argument(model.source, resolutions[0].block.call.start, last.start, last.end, literal)
    return [Fix(f"Add `{undo}` at the end of the block", (edit,), preferred=True, applicability=UNSAFE)]


def _append_argument(source: SourceFile, call_start: int, start: int, end: int, text: str) -> Edit:
    """Inserts the argument ``text`` after the one at ``start:end``: on a line of its own with the
    same indentation when that one has its own line, else after `, `."""
    line = source.line_of(start)
    indent = source.data[source.line_span(line)[0]:start]
    if not indent.strip(b" \t") and line != source.line_of(call_start):
        return Edit(end, end, ",\n" + indent.decode("utf-8", "replace") + text)
    return Edit(end, end, ", " + text)


def _escape(text: str, raw: bool) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return text if raw else text.replace("{", "{{").replace("}", "}}")


def _wrong_syntax(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                  found: spec.FixSyntax) -> list[Fix]:
    """The register spelt in the block's syntax (preferred), or the block's syntax changed."""
    written = model.source.text(diagnostic.start, diagnostic.end)
    fixes = []
    if not found.att:
        if written.startswith("%") and len(written) > 1:
            fixes.append(Fix(f"Write `{written[1:]}`", (Edit(diagnostic.start, diagnostic.start + 1, ""),),
                             preferred=True))
        edit = _add_option(resolutions, model.source, "att_syntax")
        if edit is not None:
            fixes.append(Fix("Add `options(att_syntax)`", (edit,), applicability=UNSAFE))
    else:
        if written and written[0].isalpha():
            fixes.append(Fix(f"Write `%{written}`", (Edit(diagnostic.start, diagnostic.start, "%"),),
                             preferred=True))
        edits = _att_syntax_removal(model.source, resolutions) if _intel_looking(resolutions) else None
        if edits:
            fixes.append(Fix("Remove option `att_syntax`", edits, applicability=UNSAFE))
    return fixes


def _intel_looking(resolutions: list[ResolvedBlock]) -> bool:
    """Whether no template of the block spells a register or an immediate the AT&T way (`%`, `$`):
    only then can dropping `att_syntax` leave code that assembles."""
    pieces = [piece for resolved in resolutions for piece in resolved.block.templates]
    return all(piece.decoded is not None and not set("%$") & set(piece.decoded.value) for piece in pieces)


def _add_option(resolutions: list[ResolvedBlock], source: SourceFile, name: str) -> Edit | None:
    args = _options_args(resolutions)
    if args:
        first = args[0]
        if first.options:
            return Edit(first.options[-1].end, first.options[-1].end, f", {name}")
        return Edit(first.end - 1, first.end - 1, name)
    spans = [span for resolved in resolutions for span in _argument_spans(resolved.block)]
    if not spans:
        return None
    start, end = max(spans, key=lambda span: span[1])
    return _append_argument(source, resolutions[0].block.call.start, start, end, f"options({name})")


def _argument_spans(block: AsmBlock) -> list[tuple[int, int]]:
    return [(piece.start, piece.end) for piece in block.templates] + \
        [(operand.start, operand.end) for operand in block.operands] + \
        [(arg.start, arg.end) for arg in block.clobber_abis]


# --- contract ------------------------------------------------------------------------------------

def _added(diagnostic: Diagnostic) -> list[str]:
    found = spec_of(diagnostic)
    return list(found.operands) if isinstance(found, spec.AddOperands) else []


def _undeclared_clobber(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                        found: spec.AddOperands, added: list[str] | None = None, title: str | None = None,
                        preferred: bool = True) -> list[Fix]:
    """Declares the operands (the compiler is told what the block already does)."""
    added = list(found.operands) if added is None else added
    if not added or any(r.block.unknown_args for r in resolutions):
        return []
    edit = _insert_operands(model.source, resolutions, added)
    if edit is None:
        return []
    title = title or (f"Add `{added[0]}`" if len(added) == 1 else "Add " + ", ".join(f"`{entry}`" for entry in added))
    return [Fix(title, (edit,), preferred=preferred)]


def _undeclared_clobbers(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                         found: spec.AddOperands, others) -> list[Fix]:
    """The finding's own clobbers, and every missing clobber of the block when it has more."""
    fixes = _undeclared_clobber(model, resolutions, diagnostic, found)
    block = resolutions[0].block
    every: list[str] = []
    same = [d for d in others if d.code == diagnostic.code]
    for other in sorted(same if diagnostic in same else same + [diagnostic], key=Diagnostic.sort_key):
        found = blocks_at(model, other.start)
        if found and found[0].block.call.start == block.call.start:
            every += [entry for entry in _added(other) if entry not in every]
    if fixes and len(every) > len(_added(diagnostic)):
        fixes += _undeclared_clobber(model, resolutions, diagnostic, found, every,
                                     f"Add all missing clobbers of the block ({len(every)})", preferred=False)
    return fixes


def _insert_operands(source: SourceFile, resolutions: list[ResolvedBlock], texts: list[str]) -> Edit | None:
    """Inserts operands before the first ``options(...)`` / ``clobber_abi(...)`` argument, else
    after the last argument; on lines of their own when the neighbouring argument has its own."""
    call_start = resolutions[0].block.call.start
    after = [arg.start for r in resolutions for arg in list(r.block.options) + list(r.block.clobber_abis)]
    if after:
        start = min(after)
        line = source.line_of(start)
        indent = source.data[source.line_span(line)[0]:start]
        if not indent.strip(b" \t") and line != source.line_of(call_start):
            separator = ",\n" + indent.decode("utf-8", "replace")
            return Edit(start, start, separator.join(texts) + separator)
        return Edit(start, start, ", ".join(texts) + ", ")
    spans = [span for r in resolutions for span in _argument_spans(r.block)]
    if not spans:
        return None
    start, end = max(spans, key=lambda span: span[1])
    line = source.line_of(start)
    indent = source.data[source.line_span(line)[0]:start]
    if not indent.strip(b" \t") and line != source.line_of(call_start):
        separator = ",\n" + indent.decode("utf-8", "replace")
        return Edit(end, end, separator + separator.join(texts))
    return Edit(end, end, ", " + ", ".join(texts))


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _input_overwritten(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                       found: spec.MakeInout) -> list[Fix]:
    """``inout(..) x => _`` (the value written is dropped, preferred), or ``inout(..) x`` (the
    variable then holds it: a change of what the code does)."""
    index = found.operand
    chosen = [r for r in resolutions if r.arch == diagnostic.target] or resolutions
    operands = chosen[0].block.operands
    if not 0 <= index < len(operands):
        return []
    operand = operands[index]
    if operand.kind != "in" or operand.expr is None or operand.reg is None \
            or operand.keyword_end <= operand.keyword_start or not operand.expr.known:
        return []
    source = model.source
    if source.text(operand.keyword_start, operand.keyword_end) != "in":
        return []
    keyword = Edit(operand.keyword_start, operand.keyword_end, "inout")
    expr = source.text(operand.expr.start, operand.expr.end)
    reg = source.text(operand.reg.start, operand.reg.end)
    discard = Fix(f"Change to `inout({reg}) {expr} => _`" if len(expr) <= 40 else "Change `in` to `inout(..) .. => _`",
                  (keyword, Edit(operand.expr.end, operand.expr.end, " => _")), preferred=True)
    name = expr.strip()
    if _IDENTIFIER.fullmatch(name) is None or \
            re.search(rf"\bmut\s+{name}\b", source.data[:operand.start].decode("utf-8", "replace")) is None:
        return [discard]        # not a variable declared `mut` before the block: assigning it may not compile
    title = f"Change to `inout({reg}) {expr}`" if len(expr) <= 40 else "Change `in` to `inout`"
    return [Fix(title, (keyword,), applicability=UNSAFE), discard]


# --- asm_sub_register ----------------------------------------------------------------------------

def _sub_register(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                  found: spec.UseModifier) -> list[Fix]:
    """The modifier of the value's size (rustc's first suggestion; keeping the default is the other)."""
    modifier = found.modifier
    spans = set(found.placeholders)
    if not modifier or not spans:
        return []
    edits: dict[int, Edit] = {}
    for resolved in resolutions:
        for placeholder in resolved.block.placeholders:
            if (placeholder.start, placeholder.end) not in spans or placeholder.start in edits:
                continue
            edit = _modifier_insertion(resolved, placeholder, modifier)
            if edit is None:
                return []
            edits[placeholder.start] = edit
    if len(edits) != len(spans):
        return []
    return [Fix(f"Use modifier `{modifier}`", tuple(edits[start] for start in sorted(edits)), preferred=True,
                applicability=UNSAFE)]


def _modifier_insertion(resolved: ResolvedBlock, placeholder: Placeholder, modifier: str) -> Edit | None:
    """Inserts ``:m`` before the closing ``}`` (found through the source map), or ``m`` after an
    empty ``:``."""
    if placeholder.modifier is not None or not is_exact(resolved, placeholder):
        return None
    decoded = resolved.block.templates[placeholder.piece].decoded
    closing = placeholder.last - 1
    if decoded is None or not placeholder.first < closing < len(decoded.value) or decoded.value[closing] != "}":
        return None
    colon = decoded.value.find(":", placeholder.first + 1, closing)
    if colon >= 0:
        return Edit(decoded.starts[colon + 1], decoded.starts[colon + 1], modifier)
    return Edit(decoded.starts[closing], decoded.starts[closing], ":" + modifier)


# --- named_asm_labels ----------------------------------------------------------------------------

_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.")
_LABEL = re.compile(r"[A-Za-z._][A-Za-z0-9_$]*|[0-9]+")
_BRANCH_PREFIXES = ("j", "b", "cb", "tb")
_BRANCHES = frozenset({"call", "loop", "loope", "loopne", "loopz", "loopnz"})


def _named_label(model: FileModel, resolutions: list[ResolvedBlock], diagnostic: Diagnostic,
                 found: spec.RenameLabel) -> list[Fix]:
    label = found.label
    block = resolutions[0].block
    if not label or block.unknown_template or block.unknown_args \
            or len({tuple(p.start for p in r.block.templates) for r in resolutions}) != 1:
        return []
    pieces = block.templates
    if not pieces or any(piece.form != "string" or piece.decoded is None for piece in pieces):
        return []
    definitions: list[tuple[int, int]] = []     # (piece, decoded index)
    references: list[tuple[int, int]] = []
    for number, piece in enumerate(pieces):
        text = piece.decoded.value
        defined, referenced = _label_uses(text, label)
        found = set(defined) | set(referenced)
        if any(position not in found for position in _occurrences(text, label)):
            return []           # the name is used some other way
        definitions += [(number, position) for position in defined]
        references += [(number, position) for position in referenced]
    if len(definitions) != 1:
        return []
    new = _unused_number(piece.decoded.value for piece in pieces)
    edits = []
    for (number, position), text in [(definitions[0], new)] + \
            [(ref, new + ("b" if ref > definitions[0] else "f")) for ref in references]:
        start, end = pieces[number].decoded.span(position, position + len(label))
        edits.append(Edit(start, end, text))
    return [Fix(f"Rename label `{label}` to `{new}`", tuple(sorted(edits, key=lambda e: e.start)), preferred=True)]


def _occurrences(text: str, name: str) -> list[int]:
    """Where ``name`` stands as a whole symbol in ``text``."""
    out = []
    position = text.find(name)
    while position >= 0:
        end = position + len(name)
        if (position == 0 or text[position - 1] not in _LABEL_CHARS) and \
                (end >= len(text) or text[end] not in _LABEL_CHARS):
            out.append(position)
        position = text.find(name, position + 1)
    return out


def _label_uses(text: str, name: str) -> tuple[list[int], list[int]]:
    """(definitions, branch references) of the label ``name`` in one template's text, as decoded
    indices: ``name:`` at the start of a statement, and ``name`` as a branch's whole operand."""
    definitions, references = [], []
    offset = 0
    for statement in re.split(r"([\n;])", text):
        if statement in ("\n", ";"):
            offset += 1
            continue
        comment = statement.find("//")
        code = statement if comment < 0 else statement[:comment]
        rest = 0
        for colon in [index for index, char in enumerate(code) if char == ":"]:
            candidate = code[rest:colon].strip()
            if _LABEL.fullmatch(candidate) is None:
                break
            if candidate == name:
                definitions.append(offset + rest + code[rest:colon].index(name))
            rest = colon + 1
        words = code[rest:].split(None, 1)
        if len(words) == 2:
            mnemonic = words[0].lower()
            if mnemonic.startswith(_BRANCH_PREFIXES) or mnemonic in _BRANCHES:
                operands_at = rest + code[rest:].index(words[1], len(words[0]))
                index = operands_at
                for operand in words[1].split(","):
                    if operand.strip() == name:
                        references.append(offset + index + operand.index(name))
                    index += len(operand) + 1
        offset += len(statement)
    return definitions, references


def _unused_number(texts) -> str:
    """The smallest number from 2 that no template mentions and that is not all 0s and 1s
    (``binary_asm_labels``)."""
    used = {match for text in texts for match in re.findall(r"(?<![A-Za-z0-9_$.])[0-9]+", text)}
    number = 2
    while str(number) in used or set(str(number)) <= {"0", "1"}:
        number += 1
    return str(number)


_BUILDERS = {
    spec.RemoveOperands: _unused_argument,
    spec.RenamePlaceholder: _unknown_name,
    spec.RemoveOption: _remove_option,
    spec.ReplaceOption: _contract_option,
    spec.RemoveAttSyntax: _att_syntax_not_x86,
    spec.FixSyntax: _wrong_syntax,
    spec.RemoveModifier: _modifier_not_allowed,
    spec.ChooseModifier: _invalid_modifier,
    spec.UseModifier: _sub_register,
    spec.WrapInUnsafe: _requires_unsafe,
    spec.AppendLine: _append_line,
    spec.AddOperands: _undeclared_clobber,      # undeclared-clobber through _undeclared_clobbers: the block's findings
    spec.MakeInout: _input_overwritten,
    spec.RenameLabel: _named_label,
}
