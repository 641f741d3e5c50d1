"""Diagnostics runs per document: debouncing, the analysis off the event loop, and publication
only while the analysed text and settings are still current.

Each text is published twice: the front end's findings with the assembler's carried over from the
previous text for the blocks that did not change (``carried.py``), then the assembler's own.  At
most one assembler pass (one rustc) runs per document: a pass for a text that is no longer current
is cancelled, its rustc killed (``backend.Scope``), and the next pass waits for it to end."""

from __future__ import annotations

import asyncio
import traceback
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from asm_ls.diagnostics import Diagnostic
from asm_ls.lazy import load
from asm_ls.machine import backend
from asm_ls.server import analyses, memory
from asm_ls.server.carried import Carried
from asm_ls.server.convert import Positions, log_message, to_lsp_diagnostics, warning_message
from asm_ls.server.documents import Snapshot, is_rust, open_document

if TYPE_CHECKING:
    from asm_ls.analysis import FileResult, Settings
    from asm_ls.server.server import AsmLanguageServer
    from asm_ls.server.session import Session
    from asm_ls.syntax.source import SourceFile


def __getattr__(name: str) -> Any:
    """``analyze``, loaded on first use (the robustness tests replace it with one of their own)."""
    if name == "analyze":
        from asm_ls.analysis import analyze
        return analyze
    raise AttributeError(name)


def _analyzer():
    return globals().get("analyze") or __getattr__("analyze")


MIN_DEBOUNCE = 0.03     # seconds: the shortest wait after an edit


@dataclass
class Outcome:
    diagnostics: list[types.Diagnostic]
    error: str | None = None
    result: FileResult | None = None
    source: SourceFile | None = None
    assembled: list[Diagnostic] | None = None     # the machine-code findings alone
    unavailable: list[str] | None = None          # why templates were not assembled (said once per session)
    carried: list[Diagnostic] | None = None       # the previous text's machine-code findings of unchanged blocks
    refuted: list[tuple[int, int, str]] | None = None   # guessed configurations the assembler refuted


def run_analysis(snap: Snapshot, settings: Settings, encoding: str, carried: Carried | None = None,
                 session: Session | None = None) -> Outcome:
    """Get the document's shared analysis, convert, with the ``carried`` findings of the blocks that did
    not change; runs in a worker thread and never raises (a failure is an empty answer plus the
    traceback)."""
    try:
        source = snap.source_file()
        # ``analyze`` is looked up in this module at each run: the robustness tests replace it.
        result = analyses.result_for(snap, settings, source, _analyzer(), session)
        kept = carried.carried_to(result.model, source.data, settings) if carried is not None else []
        refuted = carried.refuted_in(result.model, source.data, settings) if carried is not None else []
        front_end = result.diagnostics
        if refuted:
            from asm_ls.analysis import without_refuted_guesses
            front_end = without_refuted_guesses(front_end, refuted)
        shown = sorted(front_end + kept, key=Diagnostic.sort_key) if kept or refuted else result.diagnostics
        return Outcome(to_lsp_diagnostics(shown, Positions(source, encoding), snap.uri),
                       result=result, source=source, carried=kept)
    except Exception:
        return Outcome([], traceback.format_exc())


def run_assembler(outcome: Outcome, settings: Settings, encoding: str, uri: str,
                  scope: backend.Scope | None = None) -> Outcome:
    """The assembler-backed findings added to the front end's (its rustc runs under ``scope``); in a worker
    thread, never raises."""
    from asm_ls.analysis import apply_settings, suppress, without_refuted_guesses
    assembler = load("asm_ls.machine.assemble")
    assemble_file = assembler.assemble_file

    try:
        with backend.scoped(scope or backend.Scope()):
            assembled = assemble_file(outcome.result.model, outcome.source, settings,
                                      front_end=outcome.result.diagnostics)
            found = apply_settings(assembled, settings)
        # the file's `asm-ls: allow(..)` comments: the machine-code codes are judged now
        found = suppress(found, outcome.result.suppressions, settings, machine=True, front_end=False)
        # No assembler (no rustc...) is the session's problem, not the file's: a message, no diagnostic.
        unavailable = [d.message for d in found if d.code == assembler.UNAVAILABLE]
        found = [d for d in found if d.code != assembler.UNAVAILABLE]
        front_end = without_refuted_guesses(outcome.result.diagnostics, getattr(assembled, "refuted", ()))
        merged = sorted(front_end + found, key=Diagnostic.sort_key)
        return Outcome(to_lsp_diagnostics(merged, Positions(outcome.source, encoding), uri), assembled=found,
                       unavailable=unavailable, refuted=list(getattr(assembled, "refuted", ())))
    except Exception:
        return Outcome(outcome.diagnostics, traceback.format_exc())


@dataclass
class _Pass:
    """A document's assembler pass in a worker thread: the text it is for and its rustc runs."""
    snap: Snapshot
    settings: Settings
    scope: backend.Scope
    future: Future


class Publisher:
    """At most one pending run per document; a new request cancels the previous one.  A run that
    finishes after its document changed, closed or the settings changed publishes nothing."""

    def __init__(self, server: AsmLanguageServer, debounce: float, adaptive: bool = False) -> None:
        self.server = server
        self.debounce = debounce
        self.adaptive = adaptive        # False: always wait ``debounce`` after an edit (set by tests, debugging)
        self._tasks: dict[str, asyncio.Task] = {}
        self._open: set[str] = set()      # documents that get (and on close lose) diagnostics
        self._built_for: dict[str, str] = {}    # the targets each document was last said to be checked for
        self._said_unavailable: set[str] = set()    # the reasons for not assembling already shown
        self._carried: dict[str, Carried] = {}  # each document's last assembler findings, by block
        self._passes: dict[str, _Pass] = {}     # each document's last assembler pass
        self._cost: dict[str, float] = {}       # how long each document's last front-end analysis took (seconds)

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        self.cancel(uri)
        self._open.add(uri)
        task = asyncio.ensure_future(self._run(uri, delay))
        self._tasks[uri] = task
        task.add_done_callback(partial(self._finished, uri))

    def schedule_debounced(self, uri: str) -> None:
        """After an edit: wait as long as the document's last analysis took (so that typing faster than it runs
        does not queue analyses), at least ``MIN_DEBOUNCE`` (edits sent together are analysed once) and at most the
        debounce; exactly the debounce when it is not adaptive."""
        cost = self._cost.get(uri, self.debounce) if self.adaptive else self.debounce
        self.schedule(uri, min(self.debounce, max(MIN_DEBOUNCE, cost)))

    def schedule_all(self) -> None:
        for document in list(self.server.workspace.text_documents.values()):
            if is_rust(document):
                self.schedule(document.uri)

    def cancel(self, uri: str) -> None:
        task = self._tasks.pop(uri, None)
        if task is not None:
            task.cancel()
        self._stop_stale_pass(uri)

    def _stop_stale_pass(self, uri: str) -> None:
        """Kill the rustc of the document's assembler pass when the text or settings it is for are no longer
        current (a pass for the current text goes on: the next run's pass uses what it finds)."""
        running = self._passes.get(uri)
        if running is not None and not running.future.done() and not self._current(running.snap, running.settings):
            running.scope.cancel()

    def clear(self, uri: str) -> None:
        self.cancel(uri)
        self._built_for.pop(uri, None)
        self._carried.pop(uri, None)
        self._cost.pop(uri, None)
        self.server.session.closed(uri)
        if uri in self._open:
            self._open.discard(uri)
            self._publish(uri, [], None)

    async def _run(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        current = analyses.current_snapshot(self.server, uri)
        if current is None:
            return
        snap, settings, encoding = current
        if self.server.excluded(uri):
            self._publish(uri, [], snap.version)
            return
        loop = asyncio.get_running_loop()
        carried = self._carried.get(uri) if self.server.settings.assemble else None
        started = loop.time()
        outcome = await loop.run_in_executor(self.server.thread_pool, run_analysis, snap, settings, encoding, carried,
                                             self.server.session)
        self._cost[uri] = loop.time() - started
        if not self._current(snap, settings):
            return
        if outcome.carried:
            analyses.remember_assembled(uri, snap.text, outcome.carried, self.server.session)  # for quick fixes
        if outcome.error is not None:
            self.server.window_log_message(
                log_message(f"asm-ls: analysis of {uri} (version {snap.version}) failed:\n{outcome.error}", error=True))
        self._publish(uri, outcome.diagnostics, snap.version)
        self._log_targets(uri, outcome)
        if outcome.result is None or not self.server.settings.assemble:
            return
        # The assembler is slower: its findings follow the front end's, for the same text only; one pass at a time.
        previous = self._passes.get(uri)
        if previous is not None and not previous.future.done():
            self._stop_stale_pass(uri)
            await asyncio.wait([asyncio.wrap_future(previous.future)])
            if not self._current(snap, settings):
                return
        scope = backend.Scope()
        future = self.server.thread_pool.submit(run_assembler, outcome, settings, encoding, uri, scope)
        self._passes[uri] = _Pass(snap, settings, scope, future)
        assembled = await asyncio.wrap_future(future)
        if not self._current(snap, settings) or scope.cancelled:
            return
        if assembled.error is not None:
            self.server.window_log_message(
                log_message(f"asm-ls: assembling {uri} (version {snap.version}) failed:\n{assembled.error}", error=True))
        self._say_unavailable(assembled.unavailable or [])
        if assembled.assembled is None:
            return
        analyses.remember_assembled(uri, snap.text, assembled.assembled, self.server.session)
        self._carried[uri] = Carried.of(outcome.result.model, outcome.source.data, settings, assembled.assembled,
                                        assembled.refuted or ())
        if assembled.assembled or outcome.carried or assembled.refuted:
            self._publish(uri, assembled.diagnostics, snap.version)

    def _say_unavailable(self, reasons: list[str]) -> None:
        """Each reason the templates could not be assembled, once per session, as a warning."""
        for reason in reasons:
            if reason not in self._said_unavailable:
                self._said_unavailable.add(reason)
                self.server.window_show_message(warning_message(
                    f"asm-ls: {reason}; the checks that need the assembler are off (set `rustc` in the asm-ls "
                    "settings to the rustc to use)"))

    def _log_targets(self, uri: str, outcome) -> None:
        """Say in the log which targets a document is checked for, when that changes."""
        placer = outcome.result.model.placer if outcome.result is not None else None
        if placer is None or self._built_for.get(uri) == (described := placer.build.describe()):
            return
        self._built_for[uri] = described
        self.server.window_log_message(log_message(f"asm-ls: {uri} is checked for {described}"))

    def _current(self, snap: Snapshot, settings: Settings) -> bool:
        document = open_document(self.server.workspace, snap.uri)
        return (document is not None and document.version == snap.version and document.source is snap.text
                and settings is self.server.analysis_settings)

    def _publish(self, uri: str, diagnostics: list[types.Diagnostic], version: int | None) -> None:
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def _finished(self, uri: str, task: asyncio.Task) -> None:
        if self._tasks.get(uri) is task:
            del self._tasks[uri]
        memory.give_back()      # what the run's texts, trees and analyses freed
        if not task.cancelled() and task.exception() is not None:
            error = "".join(traceback.format_exception(task.exception()))
            self.server.window_log_message(log_message(f"asm-ls: diagnostics run for {uri} failed:\n{error}", error=True))
