"""The machine code of one inline-assembly call, as a text document (the `asm-ls.showMachineCode` command, its code
lens and `asm-ls check --show-machine-code`).

For each of the call's configurations that has an architecture: a header naming the target, then one row per
instruction, grouped by template line: the line's source line number, the instruction's address (an offset from the
block's first byte), its bytes, capstone's disassembly and the registers it reads and writes.  The instructions are
those hover shows (``machine/instructions.py``: the object of the assembler's own run when it has run on the text).  A
block that does not assemble gets the assembler's errors instead; one that cannot be shown says why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from asm_ls.diagnostics.codes import severity_of
from asm_ls.machine import backend
from asm_ls.machine.assemble import assemble_file
from asm_ls.machine.blocks import assemblable, compile_target
from asm_ls.machine.semantics import available
from asm_ls.machine.framing import framing
from asm_ls.machine.instructions import BlockInstructions, block_instructions
from asm_ls.machine.substitute import REGISTER_KINDS, Substituter
from asm_ls.model.block import Placeholder
from asm_ls.model.build import FileModel, ResolvedBlock

if TYPE_CHECKING:
    from asm_ls.analysis import Settings
    from asm_ls.diagnostics import Diagnostic
    from asm_ls.syntax.finder import MacroCall

COMMAND = "asm-ls.showMachineCode"
LANGUAGE = "asm"
COMMENT = ";"
COLUMNS = (f"{COMMENT} line", "address", "bytes", "instruction", "reads", "writes")
# Findings that say why a block did not assemble.
_ASSEMBLER_CODES = ("assembler-error", "missing-target-feature", "assembler-directive-refused")

Instructions = Callable[[ResolvedBlock, bytes, "Settings"], "BlockInstructions | None"]


@dataclass(frozen=True)
class MachineCode:
    """The document: a suggested title and language, and its text."""

    title: str
    language: str
    content: str


@dataclass(frozen=True)
class Lens:
    """Where a call's code lens goes (its macro path) and what it says."""

    start: int
    title: str


def call_at(model: FileModel, offset: int) -> MacroCall | None:
    """The innermost call whose text holds ``offset``."""
    found = [call for call in model.calls if call.start <= offset <= call.end]
    return min(found, key=lambda call: call.end - call.start) if found else None


def architectures(model: FileModel, call: MacroCall) -> list[str]:
    """The architectures the call is built for, in the model's order."""
    out: list[str] = []
    for resolved in model.blocks:
        if resolved.block.call is call and resolved.arch is not None and resolved.arch not in out:
            out.append(resolved.arch)
    return out


def lenses(model: FileModel) -> list[Lens]:
    """One lens per call built for some architecture asm-ls disassembles."""
    out = []
    for call in model.calls:
        arches = [arch for arch in architectures(model, call) if available(arch)]
        if arches:
            out.append(Lens(call.start, f"Show machine code ({', '.join(arches)})"))
    return out


def machine_code(model: FileModel, offset: int, settings: "Settings", diagnostics: list["Diagnostic"] = (),
                 where: str | None = None, instructions: Instructions | None = block_instructions) \
        -> MachineCode | None:
    """The document of the call at ``offset`` (None: no call there).  ``diagnostics``: the file's findings known so
    far (the assembler's are looked for there first); ``where``: how to name the file (default: its path);
    ``instructions``: how to get a block's decoded instructions, None when the assembler is off.  This may run rustc:
    call it off the event loop."""
    call = call_at(model, offset)
    if call is None:
        return None
    where = where or model.source.path or "<input>"
    line = model.source.line_of(call.start) + 1
    configurations = [resolved for resolved in model.blocks if resolved.block.call is call and resolved.arch]
    arches = ", ".join(dict.fromkeys(resolved.arch for resolved in configurations)) or "no architecture"
    title = f"{call.kind}! at {_basename(where)}:{line} ({arches})"
    if not configurations:
        return MachineCode(title, LANGUAGE, _comment([f"{call.kind}! at {where}:{line}",
                                                       "No target is known to build this block."]))
    sections = [_section(resolved, model, settings, list(diagnostics), f"{where}:{line}", instructions)
                for resolved in configurations]
    return MachineCode(title, LANGUAGE, "\n".join(sections))


def file_machine_code(model: FileModel, settings: "Settings", diagnostics: list["Diagnostic"] = (),
                      where: str | None = None) -> str:
    """Every call's document, one after the other (the command line's ``--show-machine-code``; the assembler runs
    when ``settings.assemble`` says so)."""
    instructions = block_instructions if settings.assemble else None
    parts = [machine_code(model, call.start, settings, diagnostics, where, instructions) for call in model.calls]
    return "\n".join(part.content for part in parts if part is not None)


# -- one configuration ----------------------------------------------------------------------

def _section(resolved: ResolvedBlock, model: FileModel, settings: "Settings", diagnostics: list["Diagnostic"],
             where: str, instructions: Instructions | None) -> str:
    call = resolved.block.call
    function = f" in fn `{call.function.name}`" if call.function is not None and call.function.name else ""
    target = compile_target(resolved.target) if resolved.target is not None else None
    triple = target.triple if target is not None else resolved.arch
    header = [f"{call.kind}! at {where}{function}: machine code for {triple} ({resolved.arch})"]
    reason = _unshowable(resolved, settings, target, instructions is not None)
    found = instructions(resolved, model.source.data, settings) if reason is None else None
    if found is None:
        if reason is None:
            header.append("The block does not assemble:")
            return _comment(header + _assembler_errors(resolved, model, settings, diagnostics))
        return _comment(header + [reason] + _listed(_errors_in(resolved, diagnostics, None), model))
    chosen = _allocation(resolved, target, model.source.data)
    if chosen:
        header += ["The registers of `reg` operands are one allocation asm-ls chose for this example",
                   f"(the compiler may choose others): {chosen}."]
    header.append("Addresses are offsets from the block's first byte.")
    return _comment(header) + "\n" + _table(found, model)


def _unshowable(resolved: ResolvedBlock, settings: "Settings", target, assemble: bool) -> str | None:
    """Why the block's machine code cannot be shown, before any rustc run; None when it may be."""
    if not assemble:
        return "The assembler is off (the `assemble` setting): asm-ls shows no machine code."
    if not available(resolved.arch):
        return f"asm-ls does not disassemble {resolved.arch}."
    if target is None or not framing(target).decodable:
        return (f"asm-ls reads machine code from ELF objects only; {target.triple if target else 'this target'} "
                "builds another object format.")
    rustc = getattr(settings, "rustc", None)
    if backend.find_rustc(rustc) is None:
        return f"`{rustc or 'rustc'}` was not found: the block was not assembled."
    if not assemblable(resolved, settings, None):
        return "The block has errors asm-ls finds before assembling it: it was not assembled."
    return None


def _assembler_errors(resolved: ResolvedBlock, model: FileModel, settings: "Settings",
                      diagnostics: list["Diagnostic"]) -> list[str]:
    """The assembler's errors on the block for its architecture: from ``diagnostics``, else from an assembler pass
    over the file (its runs are cached: one the server or the command line made already runs no rustc)."""
    found = _errors_in(resolved, diagnostics)
    if not found:
        try:
            found = _errors_in(resolved, assemble_file(model, model.source, settings, front_end=list(diagnostics)))
        except backend.BackendError as error:
            return [f"  rustc could not be run: {error}"]
    return _listed(found, model) or ["  (the assembler gave no message for it; asm-ls could not read its machine code)"]


def _listed(found: list["Diagnostic"], model: FileModel) -> list[str]:
    out = []
    for diagnostic in found:
        where = model.source.position(diagnostic.start)
        out.append(f"  line {where.line + 1}, column {where.character + 1}: {diagnostic.message}")
        out += [f"    {note}" for note in diagnostic.notes]
    return out


def _errors_in(resolved: ResolvedBlock, diagnostics, codes=_ASSEMBLER_CODES) -> list["Diagnostic"]:
    """The errors among ``diagnostics`` (of ``codes``; None: any) on the block for its architecture."""
    block = resolved.block
    return [diagnostic for diagnostic in diagnostics
            if (codes is None or diagnostic.code in codes) and block.start <= diagnostic.start < block.end
            and (diagnostic.severity or severity_of(diagnostic.code)) == "error"
            and (not diagnostic.target or resolved.arch in diagnostic.target.split(", "))]


def _allocation(resolved: ResolvedBlock, target, data: bytes) -> str:
    """``name = register`` for each register-class operand, named as a placeholder without modifier renders it."""
    substituter = Substituter(resolved, target, "listing", data)
    if not substituter.ok:
        return ""
    parts = []
    for operand in resolved.block.operands:
        if operand.kind in REGISTER_KINDS and operand.reg is not None and not operand.reg.explicit:
            rendered = substituter.render(Placeholder(0, 0, 0, 0, 0, operand.index))
            if rendered is not None:
                name = operand.name if operand.name is not None else str(operand.index)
                parts.append(f"{name} = {rendered.text.lstrip('%')}")
    return ", ".join(parts)


# -- the table ------------------------------------------------------------------------------

def _table(found: BlockInstructions, model: FileModel) -> str:
    rows: list[tuple[str, ...]] = []
    code = found.code
    relocated = code.relocated if code is not None else frozenset()
    for index, line in enumerate(found.generated.lines):
        origin = next((origin for origin in line.origin if origin is not None), None)
        number = str(model.source.line_of(origin[0]) + 1) if origin is not None else ""
        details = found.lines.get(index, [])
        if not details:
            text = line.text.strip()
            if text:        # a label or a directive that emits nothing
                start = code.line_offsets.get(index) if code is not None else None
                rows.append((number, _address(start) if start is not None else "", "", text, "", ""))
            continue
        for position, detail in enumerate(details):
            text = detail.text
            if any(offset in relocated for offset in range(detail.offset, detail.offset + len(detail.encoding))):
                text += f"  {COMMENT} relocated: the linker fills in the target"
            rows.append((number if position == 0 else "", _address(detail.offset), detail.encoding.hex(" "), text,
                         _registers(detail.reads, detail.flags_read, detail.memory_read),
                         _registers(detail.writes, detail.flags_written, detail.memory_write)))
    widths = [max(len(row[column]) for row in rows + [COLUMNS]) for column in range(len(COLUMNS))]

    def render(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0]) if row is COLUMNS else row[0].rjust(widths[0])] + [cell.ljust(width) for cell, width in zip(row[1:], widths[1:])]
        return "  ".join(cells).rstrip()

    return "\n".join(render(row) for row in [COLUMNS] + rows) + "\n"


def _address(offset: int) -> str:
    return f"{offset:04x}"


def _registers(registers: list[str], flags: list[str], memory: bool) -> str:
    parts = list(registers)
    if flags:
        parts.append(flags[0] if len(flags) == 1 and not _x86_flags(flags) else f"flags({' '.join(flags)})")
    if memory:
        parts.append("memory")
    return ", ".join(parts)


def _x86_flags(flags: list[str]) -> bool:
    return all(len(flag) == 2 and flag.isupper() for flag in flags)


def _comment(lines: list[str]) -> str:
    return "".join(f"{COMMENT} {line}".rstrip() + "\n" for line in lines)


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


__all__ = ["COMMAND", "Lens", "MachineCode", "architectures", "call_at", "file_machine_code", "lenses",
           "machine_code"]
