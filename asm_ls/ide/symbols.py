"""Document and workspace symbols: one per inline-assembly call, named after what holds it
(``sys_write › asm!``, ``start › naked_asm!``, ``global_asm! (boot.rs)`` or ``global_asm! (mod
arch::x86)`` at module level), its architectures as detail, with the labels it defines and its
named operands as children, in file order."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from asm_ls.ide import labels
from asm_ls.model.block import Operand
from asm_ls.model.build import FileModel, ResolvedBlock

SEPARATOR = " › "


@dataclass
class Symbol:
    name: str
    kind: str               # "function" (global_asm!, naked_asm!: they define code) | "event" (asm!)
                            # | "variable" (operand) | "constant" (label)
    start: int              # the whole call / operand / label
    end: int
    selection_start: int    # the macro path / operand name / label
    selection_end: int
    detail: str | None = None
    children: list["Symbol"] = field(default_factory=list)


def document_symbols(model: FileModel, file_name: str | None = None) -> list[Symbol]:
    """``file_name`` names the file in the symbol of a ``global_asm!`` at its top level."""
    found = labels.occurrences(model)
    modules = _modules(model) if any(call.kind == "global_asm" for call in model.calls) else []
    symbols = []
    for call in model.calls:
        resolutions = [resolved for resolved in model.blocks if resolved.block.call is call]
        defined = [o for o in found if o.defines and o.call == call.start]
        symbols.append(_call_symbol(model, call, resolutions, defined, _container(call, modules, file_name)))
    return symbols


def block_name(call, container: str) -> str:
    if call.kind == "global_asm" or call.function is None or not call.function.name:
        return f"{call.kind}!" + (f" ({container})" if container and call.kind == "global_asm" else "")
    return f"{call.function.name}{SEPARATOR}{call.kind}!"


def _container(call, modules: list[tuple[int, int, str]], file_name: str | None) -> str:
    if call.kind != "global_asm":
        return ""
    enclosing = [name for start, end, name in modules if start <= call.start < end]
    if enclosing:
        return "mod " + "::".join(enclosing)
    return PurePath(file_name).name if file_name and not file_name.startswith("<") else "file"


def _modules(model: FileModel) -> list[tuple[int, int, str]]:
    """The inline ``mod name { .. }`` items of the file: (start, end, name), outermost first."""
    from asm_ls.syntax.treesitter import find_nodes, parse
    data = model.source.data
    out = []
    for node in find_nodes(parse(data).root_node, ("mod_item",)):
        name = node.child_by_field_name("name")
        if name is not None and node.child_by_field_name("body") is not None:
            out.append((node.start_byte, node.end_byte, data[name.start_byte:name.end_byte].decode("utf-8", "replace")))
    return sorted(out)


def _call_symbol(model: FileModel, call, resolutions: list[ResolvedBlock], defined: list[labels.Occurrence],
                 container: str) -> Symbol:
    architectures = resolutions[0].block.architectures if resolutions else []
    bang = model.source.data.find(b"!", call.start, call.end)
    selection_end = bang + 1 if bang >= 0 else call.end
    children = [Symbol(o.name, "constant", o.start, o.end, o.start, o.end, "label") for o in defined]
    seen: set[tuple[int, int]] = set()
    for resolved in resolutions:
        for operand in resolved.block.operands:
            if operand.name is None or (operand.name_start, operand.name_end) in seen:
                continue
            seen.add((operand.name_start, operand.name_end))
            children.append(_operand_symbol(model, operand))
    children.sort(key=lambda symbol: symbol.start)
    return Symbol(block_name(call, container), "event" if call.kind == "asm" else "function", call.start, call.end,
                  call.start, selection_end, ", ".join(architectures) or None, children)


def _operand_symbol(model: FileModel, operand: Operand) -> Symbol:
    detail = operand.kind
    if operand.reg is not None:
        detail += "(" + model.source.text(operand.reg.start, operand.reg.end) + ")"
    return Symbol(operand.name or "", "variable", operand.start, operand.end,
                  operand.name_start, operand.name_end, detail)


def flattened(found: list[Symbol], container: str | None = None) -> list[tuple[Symbol, str | None]]:
    """Every symbol with the name of the one holding it (for workspace symbols)."""
    out = []
    for symbol in found:
        out.append((symbol, container))
        out += flattened(symbol.children, symbol.name)
    return out


def matches(query: str, name: str) -> bool:
    """The workspace-symbol filter: the query's characters, in order, case-insensitively."""
    rest = iter(name.lower())
    return all(char in rest for char in query.lower() if not char.isspace())
