"""Template text checks beyond rustc: directives the Rust reference does not guarantee,
stateful directives a block does not undo, the wrong x86 syntax, and a trailing x86 prefix.

Facts come from ``asm_ls/data/directives.json`` and the architecture data; blocks whose text is
not fully known are skipped.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

from asm_ls.diagnostics import Diagnostic, fix
from asm_ls.model.arch import ArchData, arch_data, holds
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.statements import Statement, block_statements, split_label
from asm_ls.model.target import Target

# Left to rustc's bad_asm_style lint (checks/lints.py), which already warns about them.
_SYNTAX_SWITCHES = (".intel_syntax", ".att_syntax")
_DIRECTIVE = re.compile(r"\.[A-Za-z_][A-Za-z0-9_]*")


@functools.lru_cache(maxsize=1)
def directive_data() -> dict:
    return json.loads(resources.files("asm_ls.data").joinpath("directives.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=256)
def supported_directives(target: Target | None) -> frozenset[str]:
    """Directives guaranteed for this target (every group's when the target is only a guess);
    worked out once per target."""
    data = directive_data()
    found = set(data["guaranteed"])
    for group in data["groups"]:
        if target is None or holds(group["when"], target) is not False:
            found.update(group["directives"])
    return frozenset(found)


def check_directives(resolved: ResolvedBlock, target: Target) -> list[Diagnostic]:
    data = arch_data(target.arch)
    statements = block_statements(resolved.block, _line_comments(data))
    if statements is None or data is None:
        return []
    bodies = [split_label(statement)[1] for statement in statements]
    bodies = [body for body in bodies if body.text]
    guessed = not resolved.certain
    out = _unsupported(bodies, None if guessed else target)
    if guessed:
        return out       # the architecture is a guess: only architecture-independent findings
    if resolved.block.kind != "global_asm":
        out += _unbalanced(bodies, target)
    if data.data.get("att_syntax"):
        out += _syntax(bodies, data, att="att_syntax" in resolved.block.option_names)
        out += _trailing_prefix(bodies, data, resolved)
    return out


def _line_comments(data: ArchData | None) -> tuple[str, ...]:
    return tuple(data.data.get("line_comments", ())) if data is not None else ()


def _directive(statement: Statement) -> str | None:
    match = _DIRECTIVE.match(statement.text)
    return match.group(0).lower() if match else None


def _unsupported(bodies: list[Statement], target: Target | None) -> list[Diagnostic]:
    supported = supported_directives(target)
    out = []
    for body in bodies:
        name = _directive(body)
        if name is None or name in supported or name in _SYNTAX_SWITCHES:
            continue
        start, end = body.span(0, len(name))
        out.append(Diagnostic("unsupported-directive",
                              f"`{name}` is not among the directives the Rust reference guarantees for inline assembly",
                              start, end, data={"directive": name}))
    return out


@functools.lru_cache(maxsize=256)
def _stateful_rules(target: Target) -> tuple[dict, ...]:
    """The stateful directives that may apply to this target; worked out once per target."""
    return tuple(rule for rule in directive_data()["stateful"] if holds(rule.get("when"), target) is not False)


@functools.lru_cache(maxsize=256)
def _first_characters(target: Target) -> frozenset[str] | None:
    """The characters this target's stateful directives and their undoing ones begin with (a statement beginning
    with none of them is none of them); None when one is empty."""
    rules = _stateful_rules(target)
    words = [rule["directive"] for rule in rules] + [rule["undo"] for rule in rules if rule.get("undo")]
    return None if not all(words) else frozenset(word[0] for word in words)


def _unbalanced(bodies: list[Statement], target: Target) -> list[Diagnostic]:
    rules = _stateful_rules(target)
    first_characters = _first_characters(target)
    out: list[Diagnostic] = []
    open_stacks: dict[str, list[Statement]] = {}
    switched: dict[str, Statement | None] = {}
    for body in bodies:
        words = " ".join(body.text.lower().split()[:2])
        if first_characters is not None and words[:1] not in first_characters:
            continue
        for rule in rules:
            directive, undo = rule["directive"], rule.get("undo", "")
            if _starts_with(words, directive):
                if rule["kind"] == "change":
                    start, end = body.span(0, len(directive))
                    out.append(Diagnostic("unbalanced-directive",
                                          f"`{directive}` changes how the assembly after this block is processed, "
                                          "and the block cannot undo it", start, end))
                elif rule["kind"] == "stack":
                    open_stacks.setdefault(directive, []).append(body)
                else:
                    switched[directive] = body
                break
            if undo and _starts_with(words, undo):
                if rule["kind"] == "stack" and open_stacks.get(directive):
                    open_stacks[directive].pop()
                elif rule["kind"] == "switch":
                    switched[directive] = None
                break
    for rule in rules:
        directive = rule["directive"]
        still_open = open_stacks.get(directive, []) + ([switched[directive]] if switched.get(directive) else [])
        for body in still_open:
            start, end = body.span(0, len(directive))
            out.append(Diagnostic("unbalanced-directive",
                                  f"`{directive}` is still in effect at the end of the block: add `{rule['undo']}`",
                                  start, end, fix=fix.AppendLine(rule["undo"])))
    return out


def _starts_with(words: str, directive: str) -> bool:
    return words == directive or words.startswith(directive + " ") or words.startswith(directive + ",")


_PERCENT_REGISTER = re.compile(r"%([a-z][a-z0-9]*)")
_WORD = re.compile(r"(?<![%$.\w{:])([a-z][a-z0-9]*)(?![\w(:])")


def _syntax(bodies: list[Statement], data: ArchData, att: bool) -> list[Diagnostic]:
    names = data.aliases        # register name -> canonical name: only its keys are looked at
    out: list[Diagnostic] = []
    for body in bodies:
        if _directive(body) is not None:
            if body.text.lower().startswith((".att_syntax", ".intel_syntax")):
                return out    # the block switches syntax itself: bad-asm-style covers it
            continue
        parts = body.text.split(None, 1)
        if len(parts) < 2:
            continue
        operands_start = len(body.text) - len(parts[1])
        operands = parts[1]
        if not att:
            for match in _PERCENT_REGISTER.finditer(operands):
                if match.group(1) in names:
                    start, end = body.span(operands_start + match.start(), operands_start + match.end())
                    out.append(Diagnostic("wrong-syntax",
                                          f"`{match.group(0)}` is AT&T syntax, but this block is assembled as Intel "
                                          f"syntax: write `{match.group(1)}`, or add `options(att_syntax)`",
                                          start, end, fix=fix.FixSyntax(att=False)))
                    break
        else:
            for match in _WORD.finditer(operands):
                if match.group(1) in names:
                    start, end = body.span(operands_start + match.start(1), operands_start + match.end(1))
                    out.append(Diagnostic("wrong-syntax",
                                          f"`{match.group(1)}` is Intel syntax, but this block uses "
                                          f"`options(att_syntax)`: write `%{match.group(1)}`",
                                          start, end, fix=fix.FixSyntax(att=True)))
                    break
    return out


def _trailing_prefix(bodies: list[Statement], data: ArchData, resolved: ResolvedBlock) -> list[Diagnostic]:
    if resolved.block.kind != "asm" or not bodies:
        return []
    prefixes = set(data.data.get("instruction_prefixes", ()))
    last = bodies[-1]
    words = last.text.lower().split()
    if words and all(word in prefixes for word in words):
        start, end = last.span()
        return [Diagnostic("trailing-prefix",
                           f"the template ends with the prefix `{words[-1]}`, which would apply to whatever "
                           "instruction the compiler emits after the block",
                           start, end)]
    return []
