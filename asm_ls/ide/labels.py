"""The labels of a file's templates: where each is defined (``name:`` at the start of a
statement) and what refers to it, for definition, references, highlight and rename.

Scopes follow how the code is assembled.  A numeric label (``2:``) is local to its block: ``2b``
is the nearest ``2:`` before the reference and ``2f`` the nearest one after it (GNU as), in the
block's text as rustc joins its template strings.  A named label of an ``asm!`` block belongs
to that block; ``global_asm!`` and ``naked_asm!`` code is assembled at module level, so their
named labels are one scope for the whole file, which an ``asm!`` block also reaches for a
name it does not define itself (``call my_global_fn``).

Every occurrence is a byte range of the file; one whose characters do not come from the source
one for one (``concat!``, escapes) can be navigated to but blocks a rename.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from asm_ls.ide.legend import DECLARATION, LABEL
from asm_ls.ide.tokens import WORD, lexed
from asm_ls.model.build import FileModel

_NUMERIC = re.compile(r"[0-9]+")
_NUMERIC_REFERENCE = re.compile(r"([0-9]+)([bf])")
_NAMED = re.compile(r"[A-Za-z_.$][A-Za-z0-9_.$]*")
FILE_SCOPE = -1         # the scope of global_asm!/naked_asm! labels: the file


@dataclass(frozen=True)
class Occurrence:
    name: str               # the label's name: "2" for both `2:` and `2b`
    start: int              # the bytes that spell it (`2b` whole)
    end: int
    defines: bool
    scope: int              # the call's start (its numeric labels and an asm!'s named ones), or FILE_SCOPE
    call: int               # the start of the call it is written in
    order: int              # its position in the call's text
    direction: str = ""     # "b" / "f" for a numeric reference
    exact: bool = False     # the bytes spell the text as written (a rename can edit them)


def occurrences(model: FileModel) -> list[Occurrence]:
    """Every label definition and every mention of a name some scope defines, in file order."""
    found: dict[tuple[int, int], Occurrence] = {}
    candidates: list[Occurrence] = []
    for resolved in model.blocks:
        call = resolved.block.call
        local = call.kind == "asm"
        text, spans = lexed(resolved, words=True)
        for first, last, kind, modifiers in spans:
            if kind not in (LABEL, WORD):
                continue
            origin = text.origin[first:last]
            if not origin or any(span is None for span in origin):
                continue
            start, end = origin[0][0], origin[-1][1]         # type: ignore[index]
            written = text.chars[first:last]
            exact = all(a[1] == b[0] for a, b in zip(origin, origin[1:])) and \
                model.source.data[start:end] == written.encode("utf-8")
            numeric = _NUMERIC.fullmatch(written) is not None
            reference = _NUMERIC_REFERENCE.fullmatch(written)
            if kind == LABEL and DECLARATION in modifiers:
                if not numeric and _NAMED.fullmatch(written) is None:
                    continue
                scope = call.start if numeric or local else FILE_SCOPE
                found.setdefault((start, end), Occurrence(written, start, end, True, scope, call.start, first,
                                                          exact=exact))
            elif reference is not None:
                found.setdefault((start, end), Occurrence(reference[1], start, end, False, call.start, call.start,
                                                          first, reference[2], exact))
            elif _NAMED.fullmatch(written):
                candidates.append(Occurrence(written, start, end, False, call.start if local else FILE_SCOPE,
                                             call.start, first, exact=exact))
    defined = {(o.scope, o.name) for o in found.values() if o.defines}
    for candidate in candidates:
        if (candidate.start, candidate.end) in found:
            continue
        if (candidate.scope, candidate.name) not in defined and (FILE_SCOPE, candidate.name) in defined:
            candidate = Occurrence(candidate.name, candidate.start, candidate.end, False, FILE_SCOPE,
                                   candidate.call, candidate.order, exact=candidate.exact)
        if (candidate.scope, candidate.name) in defined:
            found[(candidate.start, candidate.end)] = candidate
    return [found[key] for key in sorted(found)]


def at(found: list[Occurrence], offset: int) -> Occurrence | None:
    """The occurrence containing ``offset`` (its end included)."""
    for occurrence in found:
        if occurrence.start <= offset <= occurrence.end:
            return occurrence
    return None


def targets(found: list[Occurrence], occurrence: Occurrence) -> list[Occurrence]:
    """The definitions an occurrence stands for: itself for a definition; for ``Nb``/``Nf`` the
    nearest ``N:`` before/after it; for a name, its scope's definitions."""
    if occurrence.defines and not _NUMERIC.fullmatch(occurrence.name):
        return [o for o in found if o.defines and (o.scope, o.name) == (occurrence.scope, occurrence.name)]
    if occurrence.defines:
        return [occurrence]
    if not occurrence.direction:
        return [o for o in found if o.defines and (o.scope, o.name) == (occurrence.scope, occurrence.name)]
    same = [o for o in found if o.defines and o.call == occurrence.call and o.name == occurrence.name]
    if occurrence.direction == "b":
        before = [o for o in same if o.order < occurrence.order]
        return before[-1:]
    after = [o for o in same if o.order > occurrence.order]
    return after[:1]


def family(found: list[Occurrence], occurrence: Occurrence) -> list[Occurrence]:
    """The label's definitions and every reference resolving to them, in file order."""
    definitions = targets(found, occurrence)
    if not definitions:
        return []
    chosen = {(d.start, d.end) for d in definitions}
    return [o for o in found if (o.start, o.end) in chosen or
            (not o.defines and any((t.start, t.end) in chosen for t in targets(found, o)))]


# --- rename -------------------------------------------------------------------------------------

def rename_spans(found: list[Occurrence], occurrence: Occurrence) -> list[tuple[int, int]] | None:
    """The bytes spelling the label's name in each occurrence (``2`` of ``2b``); None when one of
    them is not written as is."""
    members = family(found, occurrence)
    if not members or not all(member.exact for member in members):
        return None
    return [(member.start, member.start + len(member.name.encode("utf-8"))) for member in members]


def rename_problem(found: list[Occurrence], occurrence: Occurrence, new_name: str) -> str | None:
    numeric = _NUMERIC.fullmatch(occurrence.name) is not None
    if numeric and _NUMERIC.fullmatch(new_name) is None:
        return f"`{new_name}` is not a numeric label (a local label is renamed to another number)"
    if not numeric and (_NAMED.fullmatch(new_name) is None or new_name.startswith("$")):
        return f"`{new_name}` is not a valid label name"
    if new_name == occurrence.name:
        return None
    scope = occurrence.call if numeric else occurrence.scope
    if any(o.defines and o.name == new_name and (o.call if numeric else o.scope) == scope for o in found):
        return f"a label named `{new_name}` already exists"
    if not numeric and occurrence.scope != FILE_SCOPE and \
            any(o.defines and o.name == new_name and o.scope == FILE_SCOPE for o in found):
        return f"a label named `{new_name}` already exists in this file's global assembly"
    return None
