"""The machine-code view: the `asm-ls.showMachineCode` command (arguments ``{uri, position}``, answering
``{title, language, content}``: a text document for the client to show) and the code lens above each call that runs
it.  Thin handlers over :mod:`asm_ls.ide.machine_code`; a command the server cannot answer (no open Rust document, no
call at the position, malformed arguments) answers an error response saying why."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams

from asm_ls.lazy import LazyModule
from asm_ls.server.analyses import Analysis, answer, current_snapshot, handle
from asm_ls.server.documents import path_of

if TYPE_CHECKING:
    from asm_ls.server.server import AsmLanguageServer

COMMAND = "asm-ls.showMachineCode"      # asm_ls.ide.machine_code.COMMAND, named here so that registering loads nothing
machine_code = LazyModule("asm_ls.ide.machine_code")     # and the machine layer, capstone, with the first request


class MachineCodeRefused(JsonRpcException):
    """The command cannot show a block: the message says why."""
    CODE = types.LSPErrorCodes.RequestFailed.value


def code_lenses(analysis: Analysis, params: types.CodeLensParams, assemble: bool) -> list[types.CodeLens]:
    if b"asm" not in analysis.source.data or not assemble:
        return []
    out = []
    for lens in machine_code.lenses(analysis.model):
        position = analysis.positions.position(lens.start)
        argument = {"uri": analysis.uri, "position": {"line": position.line, "character": position.character}}
        out.append(types.CodeLens(range=types.Range(start=position, end=position),
                                  command=types.Command(title=lens.title, command=COMMAND, arguments=[argument])))
    return out


def show(analysis: Analysis, position: types.Position, where: str, assemble: bool) -> dict[str, str]:
    """``assemble``: the assembler is on (the server's setting; the analysis's own settings never assemble)."""
    instructions = machine_code.block_instructions if assemble else None
    found = machine_code.machine_code(analysis.model, analysis.offset(position), analysis.settings,
                                      analysis.all_diagnostics, where, instructions)
    if found is None:
        raise MachineCodeRefused(f"no asm!, global_asm! or naked_asm! call at line {position.line + 1}")
    return {"title": found.title, "language": found.language, "content": found.content}


def _arguments(arguments: tuple[Any, ...]) -> tuple[str, types.Position]:
    argument = arguments[0] if len(arguments) == 1 else None
    uri = argument.get("uri") if isinstance(argument, dict) else None
    position = argument.get("position") if isinstance(argument, dict) else None
    line = position.get("line") if isinstance(position, dict) else None
    character = position.get("character") if isinstance(position, dict) else None
    if not isinstance(uri, str) or not all(isinstance(value, int) and not isinstance(value, bool) and value >= 0
                                           for value in (line, character)):
        raise JsonRpcInvalidParams(f"{COMMAND} takes one argument: {{uri, position: {{line, character}}}}")
    return uri, types.Position(line=line, character=character)


def _where(ls: AsmLanguageServer, uri: str) -> str:
    """The document's path relative to the workspace root when under it."""
    path = path_of(uri)
    if path is None:
        return uri
    root = ls.workspace.root_path
    if root:
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def register(server: AsmLanguageServer) -> None:
    handle(server, types.TEXT_DOCUMENT_CODE_LENS, [],
           lambda analysis, params: code_lenses(analysis, params, server.settings.assemble),
           types.CodeLensOptions(resolve_provider=False))

    @server.command(COMMAND)
    async def show_machine_code(ls, *arguments):      # (no annotations: pygls evaluates them)
        uri, position = _arguments(arguments)
        if current_snapshot(ls, uri) is None:
            raise MachineCodeRefused(f"{uri} is not an open Rust document")
        return await answer(ls, uri, None, lambda analysis: show(analysis, position, _where(ls, uri),
                                                                 ls.settings.assemble))
