"""The one analysis of each open document, shared by diagnostics, hover, completion and navigation:
the project context, a small cache keyed by text and settings, and the request path off the event
loop."""

from __future__ import annotations

import asyncio
import threading
import traceback
from collections import OrderedDict
from concurrent.futures import Future
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from asm_ls.lazy import load
from asm_ls.server.convert import Positions, log_message
from asm_ls.server.documents import Snapshot, is_rust, open_document, path_of, snapshot  # noqa: F401 (path_of)

if TYPE_CHECKING:
    from asm_ls.analysis import FileContext, FileResult, Settings
    from asm_ls.model.build import FileModel
    from asm_ls.project import Project
    from asm_ls.server.server import AsmLanguageServer
    from asm_ls.syntax.parsed import ParsedFile
    from asm_ls.syntax.source import SourceFile

_T = TypeVar("_T")

CACHE_SIZE = 16
_PROJECT: Project | None = None         # made, with the analysis modules, on first use
_PROJECT_LOCK = threading.Lock()


def project() -> Project:
    """The one project context of the server's documents."""
    global _PROJECT
    with _PROJECT_LOCK:
        if _PROJECT is None:
            _PROJECT = load("asm_ls.project").Project()     # and with it the analysis
        return _PROJECT


def context_for(uri: str, source: SourceFile, parsed: ParsedFile | None = None) -> FileContext | None:
    """What the files around the document say about it (module cfgs, crate features, edition),
    with its editor text registered first (from ``parsed``, the text's parse, when given); None
    for a document that is not a file."""
    path = path_of(uri)
    if path is None:
        return None
    found = project()
    found.add(path, source, parsed)
    return found.context_for(path)


class _Cache:
    """The analysis of the last few documents, one entry per URI, keyed by version, text, settings
    (identity) and file context.  A second caller asking for an analysis that is under way waits
    for it instead of running it again; a failed analysis is not kept.  A new text is parsed once,
    on demand, for both the project's module index and the analysis
    (``analyzer(source, settings, context, parsed)``)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[tuple, Future]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, snap: Snapshot, settings: Settings, source: SourceFile,
            analyzer: Callable[..., FileResult]) -> FileResult:
        from asm_ls.syntax.parsed import ParsedFile
        parsed = ParsedFile(source.data)        # parses only when something asks for the tree
        context = context_for(snap.uri, source, parsed)
        key = (snap.version, snap.text, settings, context)
        with self._lock:
            entry = self._entries.get(snap.uri)
            if entry is not None and _same(entry[0], key):
                self._entries.move_to_end(snap.uri)
                future = entry[1]
                owner = False
            else:
                future = Future()
                self._entries[snap.uri] = (key, future)
                self._entries.move_to_end(snap.uri)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
                owner = True
        if not owner:
            return future.result()
        try:
            result = analyzer(source, settings, context, parsed)
        except BaseException as error:
            with self._lock:
                if self._entries.get(snap.uri, (None, None))[1] is future:
                    del self._entries[snap.uri]
            future.set_exception(error)
            raise
        future.set_result(result)
        return result


def _same(cached: tuple, key: tuple) -> bool:
    return (cached[0] == key[0] and cached[1] == key[1] and cached[2] is key[2] and cached[3] == key[3])


_CACHE = _Cache(CACHE_SIZE)


def result_for(snap: Snapshot, settings: Settings, source: SourceFile | None = None,
               analyzer: Callable[..., FileResult] | None = None) -> FileResult:
    """The document's analysis (``analyzer(source, settings, context, parsed)``, by default
    :func:`asm_ls.analysis.analyze`), run at most once per text, settings and context.  Call it in a
    worker thread: it may run the analysis."""
    if analyzer is None:
        from asm_ls.analysis import analyze as analyzer
    return _CACHE.get(snap, settings, snap.source_file() if source is None else source, analyzer)


def current_snapshot(ls: AsmLanguageServer, uri: str) -> tuple[Snapshot, Settings, str] | None:
    """The open Rust document's snapshot, with the settings and the position encoding in force;
    None for a document that is not open or not Rust."""
    document = open_document(ls.workspace, uri)
    if document is None or not is_rust(document):
        return None
    encoding = ls.workspace.position_encoding or types.PositionEncodingKind.Utf16
    return snapshot(document, uri), ls.analysis_settings, encoding


_ASSEMBLED: dict[str, tuple[str, list]] = {}     # uri -> (text, the assembler's and contract's findings)
_ASSEMBLED_LOCK = threading.Lock()


def remember_assembled(uri: str, text: str, diagnostics: list) -> None:
    """The machine-code findings last published for a document's text (quick fixes look them up)."""
    with _ASSEMBLED_LOCK:
        _ASSEMBLED[uri] = (text, list(diagnostics))
        while len(_ASSEMBLED) > 64:
            del _ASSEMBLED[next(iter(_ASSEMBLED))]


def assembled_for(uri: str, text: str) -> list:
    with _ASSEMBLED_LOCK:
        found = _ASSEMBLED.get(uri)
    return found[1] if found is not None and found[0] == text else []


class Analysis:
    """A document as one request sees it: its text, the position mapping in the negotiated
    encoding, and (when first asked for) the shared analysis."""

    def __init__(self, snap: Snapshot, settings: Settings, encoding: str) -> None:
        self.uri = snap.uri
        self.settings = settings
        self.source = snap.source_file()
        self.positions = Positions(self.source, encoding)
        self._snap = snap

    @cached_property
    def result(self) -> FileResult:
        return result_for(self._snap, self.settings, self.source)

    @property
    def model(self) -> FileModel:
        return self.result.model

    @property
    def all_diagnostics(self) -> list:
        """The front end's findings and, for the same text, the assembler's and the contract analysis's."""
        return self.result.diagnostics + assembled_for(self.uri, self._snap.text)

    def offset(self, position: types.Position) -> int:
        return self.positions.offset(position)


async def answer(ls: AsmLanguageServer, uri: str, default: Any, feature: Callable[[Analysis], _T | None]) -> _T | Any:
    """Run ``feature`` on the document in a worker thread; ``default`` when it answers None, for
    documents that are not open Rust files, and when anything fails (the failure is logged); a
    :class:`JsonRpcException` the feature raises is the error response."""
    try:
        current = current_snapshot(ls, uri)
        if current is None:
            return default

        def run() -> Any:
            result = feature(Analysis(*current))
            return default if result is None else result

        return await asyncio.get_running_loop().run_in_executor(ls.thread_pool, run)
    except JsonRpcException:
        raise           # a refusal the feature explains to the client (an error response)
    except Exception:
        try:
            ls.window_log_message(log_message(f"asm-ls: request on {uri} failed:\n{traceback.format_exc()}",
                                              error=True))
        except Exception:
            pass
        return default


def handle(server: AsmLanguageServer, method: str, default: Any, feature: Callable[[Analysis, Any], Any],
           options: Any = None) -> None:
    """Register the handler of a document request: ``feature(analysis, params)`` through
    :func:`answer`."""
    @server.feature(method, options)
    async def handler(ls: AsmLanguageServer, params: Any) -> Any:
        return await answer(ls, params.text_document.uri, default, lambda analysis: feature(analysis, params))
