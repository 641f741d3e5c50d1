"""The one analysis of each open document, shared by diagnostics, hover, completion and navigation
(what is kept between them is the server's ``Session``), and the request path off the event loop."""

from __future__ import annotations

import asyncio
import traceback
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from asm_ls.server.convert import Positions, log_message
from asm_ls.server.documents import Snapshot, is_rust, open_document, path_of, snapshot  # noqa: F401 (path_of)
from asm_ls.server.session import Session

if TYPE_CHECKING:
    from asm_ls.analysis import FileContext, FileResult, Settings
    from asm_ls.model.build import FileModel
    from asm_ls.server.server import AsmLanguageServer
    from asm_ls.syntax.parsed import ParsedFile
    from asm_ls.syntax.source import SourceFile

_T = TypeVar("_T")

_DEFAULT: Session | None = None


def default_session() -> Session:
    """The session of callers without a server (tests, tools); the server passes its own."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Session()
    return _DEFAULT


def context_for(uri: str, source: SourceFile, parsed: ParsedFile | None = None,
                session: Session | None = None) -> FileContext | None:
    """What the files around the document say about it (module cfgs, crate features, edition),
    with its editor text registered first (from ``parsed``, the text's parse, when given); None
    for a document that is not a file."""
    path = path_of(uri)
    if path is None:
        return None
    found = (session or default_session()).project
    found.add(path, source, parsed)
    return found.context_for(path)


@dataclass
class Prepared:
    """A text's model, and what it was built from (the analysis of that text checks this same model)."""
    source: SourceFile
    context: FileContext | None
    parsed: ParsedFile
    model: FileModel


def prepared_for(snap: Snapshot, settings: Settings, source: SourceFile | None = None,
                 session: Session | None = None) -> Prepared:
    """The document's model (``asm_ls.analysis.model_of``), built at most once per text, settings and context.
    The new text is parsed once, on demand, reusing the document's last tree, for both the project's module index
    and the model.  Requests read it without waiting for the checks.  Call it in a worker thread."""
    from asm_ls.analysis import model_of
    session = session or default_session()
    source = snap.source_file() if source is None else source
    parsed = session.parsed_for(snap.uri, source.data)     # parses only when something asks for the tree
    context = context_for(snap.uri, source, parsed, session)
    last = session.models.get(snap.uri)     # the earlier text's, whose unchanged calls keep their blocks

    def build() -> Prepared:
        earlier = last[1].result().model if last is not None and last[1].done() and last[1].exception() is None \
            else None
        model = model_of(source, settings, context, parsed, earlier)
        session.remember_tree(snap.uri, parsed)
        return Prepared(source, context, parsed, model)

    return _once(session, session.models, snap.uri, (snap.text, settings, context), build)


def result_for(snap: Snapshot, settings: Settings, source: SourceFile | None = None,
               analyzer: Callable[..., FileResult] | None = None, session: Session | None = None) -> FileResult:
    """The document's analysis (``analyzer(source, settings, context, parsed, kept, model)``, by default
    :func:`asm_ls.analysis.analyze`) of its model (:func:`prepared_for`), run at most once per text, settings and
    context; its blocks' results are reused where nothing they depend on changed.  Call it in a worker thread."""
    if analyzer is None:
        from asm_ls.analysis import analyze as analyzer
    session = session or default_session()
    prepared = prepared_for(snap, settings, source, session)
    return _once(session, session.analyses, snap.uri, (snap.text, settings, prepared.context),
                 lambda: analyzer(prepared.source, settings, prepared.context, prepared.parsed,
                                  session.kept_for(snap.uri), prepared.model))


def _once(session: Session, store, uri: str, key: tuple, make: Callable[[], _T]) -> _T:
    """``make()``, or what it made for the same ``key`` (the document's last one in ``store``): a second caller
    asking for one under way waits for it; a failure is not kept."""
    with session.analyses_lock:
        entry = store.get(uri)
        if entry is not None and _same(entry[0], key):
            future, owner = entry[1], False
        else:
            future, owner = Future(), True
            store.put(uri, (key, future))
    if not owner:
        return future.result()
    try:
        made = make()
    except BaseException as error:
        with session.analyses_lock:
            if (store.get(uri) or (None, None))[1] is future:
                store.pop(uri)
        future.set_exception(error)
        raise
    future.set_result(made)
    return made


def _same(cached: tuple, key: tuple) -> bool:
    """Same text (by value: versions do not matter), the same settings object and an equal context."""
    return cached[0] == key[0] and cached[1] is key[1] and cached[2] == key[2]


def current_snapshot(ls: AsmLanguageServer, uri: str) -> tuple[Snapshot, Settings, str] | None:
    """The open Rust document's snapshot, with the settings and the position encoding in force;
    None for a document that is not open or not Rust."""
    document = open_document(ls.workspace, uri)
    if document is None or not is_rust(document):
        return None
    encoding = ls.workspace.position_encoding or types.PositionEncodingKind.Utf16
    return snapshot(document, uri), ls.analysis_settings, encoding


def remember_assembled(uri: str, text: str, diagnostics: list, session: Session | None = None) -> None:
    """The machine-code findings last published for a document's text (quick fixes look them up)."""
    (session or default_session()).assembled.put(uri, (text, list(diagnostics)))


def assembled_for(uri: str, text: str, session: Session | None = None) -> list:
    found = (session or default_session()).assembled.get(uri)
    return found[1] if found is not None and found[0] == text else []


class Analysis:
    """A document as one request sees it: its text, the position mapping in the negotiated
    encoding, and (when first asked for) the shared analysis."""

    def __init__(self, snap: Snapshot, settings: Settings, encoding: str, session: Session | None = None) -> None:
        self.uri = snap.uri
        self.settings = settings
        self.source = snap.source_file()
        self.positions = Positions(self.source, encoding)
        self.session = session or default_session()
        self._snap = snap

    @cached_property
    def result(self) -> FileResult:
        return result_for(self._snap, self.settings, self.source, session=self.session)

    @cached_property
    def prepared(self) -> Prepared:
        return prepared_for(self._snap, self.settings, self.source, self.session)

    @property
    def model(self) -> FileModel:
        """The text's model, without waiting for its checks."""
        return self.prepared.model

    def model_at(self, offset: int) -> FileModel:
        """What a request at ``offset`` reads: the text's model when it is built, else (right after an edit, before
        the whole file's is) the model of the calls at ``offset`` (``asm_ls.analysis.model_near``), so that the
        request never waits for the whole file."""
        entry = self.session.models.get(self.uri)
        if entry is not None and entry[0][0] == self._snap.text and entry[0][1] is self.settings \
                and entry[1].done() and entry[1].exception() is None:
            return entry[1].result().model
        from asm_ls.analysis import model_near
        parsed = self.session.parsed_for(self.uri, self.source.data)
        context = context_for(self.uri, self.source, parsed, self.session)
        model = model_near(self.source, self.settings, context, parsed, offset)
        self.session.remember_tree(self.uri, parsed)    # the whole model's build reuses this parse
        return model

    @property
    def tree(self):
        """The text's syntax tree."""
        return self.prepared.parsed.tree

    @property
    def all_diagnostics(self) -> list:
        """The front end's findings and, for the same text, the assembler's and the contract analysis's."""
        return self.result.diagnostics + assembled_for(self.uri, self._snap.text, self.session)

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
            result = feature(Analysis(*current, ls.session))
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
