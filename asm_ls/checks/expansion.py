"""What rustc's builtin-macro expansion rejects: operand bookkeeping, options, ``clobber_abi``
placement, template strings, placeholders and unused arguments.

The checks run in rustc's order and stop where rustc stops expanding the macro, so a block
never gets a diagnostic rustc would not reach.
"""

from __future__ import annotations

from asm_ls.diagnostics import Diagnostic, Related, fix
from asm_ls.model.block import CONFLICTING_OPTIONS, SUPPORTED_OPTIONS
from asm_ls.model.build import ResolvedBlock


class _Stop(Exception):
    """rustc returns an error from expansion here: nothing later is reported."""


def check_expansion(resolved: ResolvedBlock) -> list[Diagnostic]:
    block = resolved.block
    if block.parse_errors:
        return list(block.parse_errors)
    out: list[Diagnostic] = []
    try:
        _arguments(resolved, out)
        _option_combinations(resolved, out)
        _outputs(resolved, out)
        _clobber_abi_use(resolved, out)
        _templates(resolved, out)
        _unused(resolved, out)
    except _Stop:
        pass
    return out


def _arguments(resolved: ResolvedBlock, out: list[Diagnostic]) -> None:
    block = resolved.block
    for start, end in resolved.bad_attributes:
        out.append(Diagnostic("attribute-not-supported", "this attribute is not supported on assembly",
                              start, end))
    named: dict[str, int] = {}
    seen_named_or_explicit = False
    seen_options: set[str] = set()
    supported = SUPPORTED_OPTIONS[block.kind]
    for arg in resolved.args:
        if id(arg) in resolved.uncertain:
            continue     # maybe absent: it can neither clash with nor precede another argument
        if arg.kind == "operand":
            operand = arg.value
            explicit = operand.reg is not None and operand.reg.explicit
            if explicit:
                if operand.name is not None:
                    out.append(Diagnostic("named-explicit-register", "explicit register arguments cannot have names",
                                          operand.start, operand.end))
                seen_named_or_explicit = True
            elif operand.name is not None:
                if operand.name in named:
                    previous = block.operands[named[operand.name]]
                    out.append(Diagnostic("duplicate-operand-name", f"duplicate argument named `{operand.name}`",
                                          operand.start, operand.end,
                                          related=(Related(previous.start, previous.end, "previously here"),)))
                    continue
                named[operand.name] = operand.index
                seen_named_or_explicit = True
            elif seen_named_or_explicit and not (operand.reg is not None and operand.reg.kind == "unknown"):
                out.append(Diagnostic("positional-after-named",
                                      "positional arguments cannot follow named arguments or explicit register arguments",
                                      operand.start, operand.end))
        elif arg.kind == "options":
            for option in arg.value.options:
                if option.name not in supported:
                    out.append(Diagnostic("option-not-allowed",
                                          f"the `{option.name}` option cannot be used with `{block.kind}!`",
                                          option.start, option.end, fix=fix.RemoveOption(option.name)))
                elif option.name in seen_options:
                    out.append(Diagnostic("duplicate-option", f"the `{option.name}` option was already provided",
                                          option.start, option.end, fix=fix.RemoveOption(option.name)))
                else:
                    seen_options.add(option.name)


def _options_span(resolved: ResolvedBlock) -> tuple[int, int, tuple[Related, ...]]:
    spans = [(arg.start, arg.end) for arg in resolved.block.options]
    related = tuple(Related(start, end, "") for start, end in spans[1:])
    return spans[0][0], spans[0][1], related


def _option_combinations(resolved: ResolvedBlock, out: list[Diagnostic]) -> None:
    block = resolved.block
    options = block.option_names
    for first, second in CONFLICTING_OPTIONS:
        if first in options and second in options:
            start, end, related = _options_span(resolved)
            out.append(Diagnostic("conflicting-options", f"the `{first}` and `{second}` options are mutually exclusive",
                                  start, end, related=related))
    if "pure" in options and not options & {"nomem", "readonly"}:
        start, end, related = _options_span(resolved)
        out.append(Diagnostic("pure-needs-memory-option",
                              "the `pure` option must be combined with either `nomem` or `readonly`",
                              start, end, related=related))


def _outputs(resolved: ResolvedBlock, out: list[Diagnostic]) -> None:
    block = resolved.block
    options = block.option_names
    outputs = [operand for operand in block.operands if operand.is_output]
    labels = [operand for operand in block.operands if operand.kind == "label"]
    if "pure" in options and not any(operand.has_real_output for operand in block.operands) \
            and not block.unknown_args:
        start, end, related = _options_span(resolved)
        out.append(Diagnostic("pure-without-outputs", "asm with the `pure` option must have at least one output",
                              start, end, related=related))
    if "noreturn" in options and outputs and not labels:
        out.append(Diagnostic("noreturn-with-outputs", "asm outputs are not allowed with the `noreturn` option",
                              outputs[0].start, outputs[0].end,
                              related=tuple(Related(o.start, o.end, "") for o in outputs[1:])))
        raise _Stop
    if "may_unwind" in options and labels:
        out.append(Diagnostic("labels-with-may-unwind", "asm labels are not allowed with the `may_unwind` option",
                              labels[0].start, labels[0].end,
                              related=tuple(Related(o.start, o.end, "") for o in labels[1:])))


def _clobber_abi_spans(resolved: ResolvedBlock) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for arg in resolved.block.clobber_abis:
        if len(arg.abis) == 1:
            spans.append((arg.start, arg.end))
        else:
            spans.extend((start, end) for _, start, end in arg.abis)
    return spans


def _clobber_abi_use(resolved: ResolvedBlock, out: list[Diagnostic]) -> None:
    block = resolved.block
    spans = _clobber_abi_spans(resolved)
    if not spans:
        return
    if block.kind != "asm":
        out.append(Diagnostic("clobber-abi-not-allowed", f"`clobber_abi` cannot be used with `{block.kind}!`",
                              spans[0][0], spans[0][1], related=tuple(Related(s, e, "") for s, e in spans[1:])))
        raise _Stop
    class_outputs = [operand for operand in block.operands
                     if operand.is_output and operand.reg is not None and operand.reg.kind == "class"]
    if class_outputs:
        first = class_outputs[0]
        out.append(Diagnostic("clobber-abi-needs-explicit-outputs",
                              "asm with `clobber_abi` must specify explicit registers for outputs",
                              first.start, first.end,
                              related=tuple(Related(o.start, o.end, "") for o in class_outputs[1:])
                              + tuple(Related(s, e, "clobber_abi") for s, e in spans)))


def _templates(resolved: ResolvedBlock, out: list[Diagnostic]) -> None:
    block = resolved.block
    for piece, parsed in zip(block.templates, resolved.templates_parsed):
        if piece.form in ("other", "nonliteral"):
            out.append(Diagnostic("template-not-string", "asm template must be a string literal",
                                  piece.start, piece.end))
            raise _Stop
        if parsed is None:
            continue
        for placeholder in parsed.placeholders:
            _placeholder(resolved, placeholder, out)
        if parsed.error is not None:
            out.append(parsed.error)
            raise _Stop


def _placeholder(resolved: ResolvedBlock, placeholder, out: list[Diagnostic]) -> None:
    block = resolved.block
    unknown_positions = block.unknown_args or _unknown_before(resolved, placeholder.piece)
    if placeholder.name is not None:
        if placeholder.operand is None and not block.unknown_args:
            out.append(Diagnostic("unknown-argument-name", f"there is no argument named `{placeholder.name}`",
                                  placeholder.name_start, placeholder.name_end, fix=fix.RenamePlaceholder()))
    elif placeholder.operand is None and not (unknown_positions and placeholder.implicit) and not block.unknown_args:
        out.append(Diagnostic("invalid-argument-index",
                              f"invalid reference to argument at index {placeholder.index}",
                              placeholder.start, placeholder.end,
                              notes=(_argument_count_note(resolved),)))
    if placeholder.modifier is not None and len(placeholder.modifier) > 1:
        out.append(Diagnostic("malformed-modifier", "asm template modifier must be a single character",
                              placeholder.modifier_start, placeholder.modifier_end))


def _unknown_before(resolved: ResolvedBlock, piece_index: int) -> bool:
    return any(piece.decoded is None for piece in resolved.block.templates[:piece_index])


def _argument_count_note(resolved: ResolvedBlock) -> str:
    total = len(resolved.block.operands)
    positional = total - len(resolved.named) - len(resolved.explicit)
    qualifier = "positional " if positional != total else ""
    if positional == 0:
        return f"no {qualifier}arguments were given"
    if positional == 1:
        return f"there is 1 {qualifier}argument"
    return f"there are {positional} {qualifier}arguments"


def _unused(resolved: ResolvedBlock, out: list[Diagnostic]) -> None:
    block = resolved.block
    if block.unknown_args or block.unknown_template:
        return
    used = set(resolved.explicit)
    used.update(p.operand for p in block.placeholders if p.operand is not None)
    by_index = {index: name for name, index in resolved.named.items()}
    unused = [operand for operand in block.operands if operand.index not in used]
    if not unused:
        return
    hint = " ".join("{" + (by_index.get(o.index) or str(o.index)) + "}" for o in unused)
    if len(unused) == 1:
        operand = unused[0]
        message = "named argument never used" if operand.index in by_index else "argument never used"
        out.append(Diagnostic("unused-argument", message, operand.start, operand.end,
                              notes=(f'if this argument is intentionally unused, consider using it in an asm comment: `"/* {hint} */"`',),
                              fix=fix.RemoveOperands((operand.index,))))
        return
    first = unused[0]
    out.append(Diagnostic("unused-argument", "multiple unused asm arguments", first.start, first.end,
                          related=tuple(Related(o.start, o.end, "argument never used") for o in unused[1:]),
                          notes=(f'if these arguments are intentionally unused, consider using them in an asm comment: `"/* {hint} */"`',),
                          fix=fix.RemoveOperands(tuple(o.index for o in unused))))
