"""What the server keeps between requests, in one object it owns: the project context, the last analyses,
each document's kept block results and last syntax tree, and the machine-code findings last published.

Everything is bounded (the last analyses and trees of a few documents, ``DOCUMENTS`` documents' block results,
``ASSEMBLED`` documents' findings) and dropped explicitly: a closed document loses its entries (:meth:`Session.closed`),
changed settings empty the analyses and block results (:meth:`Session.settings_changed`).  The assembler's own
caches (``machine/cache.py``, ``machine/decoded.py``) are keyed by the generated text, target and rustc version,
so settings never make them wrong; they stay bounded where they are.

A model holds its text's syntax tree (its nodes do), about 27 bytes per byte of source (80 MiB for a 3 MB file):
the models, analyses and trees of the documents other than the last one used are kept only while their texts
total at most ``SOURCE_BUDGET`` (so a few large files open at once cost one large tree, not four)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, Generic, Hashable, TypeVar

from asm_ls.lazy import load

if TYPE_CHECKING:
    from asm_ls.block_results import BlockResults
    from asm_ls.project import Project
    from asm_ls.syntax.parsed import ParsedFile

DOCUMENTS = 64          # documents whose block results are kept
TREES = 4               # documents whose last syntax tree is kept (a 3 MB file's is about 80 MiB)
ASSEMBLED = 64          # documents whose last machine-code findings are kept
ANALYSES = 4            # documents whose last model and analysis are kept (each holds its tree)
SOURCE_BUDGET = 2 << 20     # bytes of text whose models, analyses or trees are kept besides the last document's

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


class Bounded(Generic[_K, _V]):
    """A thread-safe map that forgets its least recently used entries beyond ``size``, and beyond ``budget`` of
    their total ``weigh(value)`` (the most recently used entry is never forgotten for its weight)."""

    def __init__(self, size: int, weigh: Callable[[_V], int] | None = None, budget: int = 0) -> None:
        self.size = size
        self.weigh = weigh
        self.budget = budget
        self._entries: OrderedDict[_K, _V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: _K) -> _V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def setdefault(self, key: _K, make: Callable[[], _V]) -> _V:
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                value = self._entries[key] = make()
            self._entries.move_to_end(key)
            self._trim()
            return value

    def put(self, key: _K, value: _V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            self._trim()

    def pop(self, key: _K) -> _V | None:
        with self._lock:
            return self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _trim(self) -> None:
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        if self.weigh is not None:
            weights = [self.weigh(value) for value in self._entries.values()]
            total = sum(weights[:-1])       # the last one used is kept whatever it weighs
            for weight in weights[:-1]:
                if total <= self.budget:
                    break
                self._entries.popitem(last=False)
                total -= weight


class Session:
    def __init__(self) -> None:
        self._project: Project | None = None    # made, with the analysis modules, on first use
        self._project_lock = threading.Lock()
        # uri -> (key, Future of the Prepared model / of the FileResult); the key starts with the text
        self.models: Bounded[str, Any] = Bounded(ANALYSES, _text_size, SOURCE_BUDGET)
        self.analyses: Bounded[str, Any] = Bounded(ANALYSES, _text_size, SOURCE_BUDGET)
        self.analyses_lock = threading.Lock()
        self.kept: Bounded[str, BlockResults] = Bounded(DOCUMENTS)
        # uri -> ParsedFile.handover(): text, tree, scan, changes
        self.trees: Bounded[str, tuple] = Bounded(TREES, _text_size, SOURCE_BUDGET)
        self.assembled: Bounded[str, tuple[str, list]] = Bounded(ASSEMBLED)

    @property
    def project(self) -> Project:
        """The one project context of the server's documents."""
        with self._project_lock:
            if self._project is None:
                self._project = load("asm_ls.project").Project()     # and with it the analysis
            return self._project

    def kept_for(self, uri: str) -> BlockResults:
        """The document's block results from its earlier analyses."""
        return self.kept.setdefault(uri, load("asm_ls.block_results").BlockResults)

    def parsed_for(self, uri: str, data: bytes) -> ParsedFile:
        """A parse of the document's text ``data`` (made on first use) that reuses its last tree."""
        parsed_file = load("asm_ls.syntax.parsed").ParsedFile
        last = self.trees.get(uri)
        if last is not None and last[0] == data:
            return parsed_file(data, tree=last[1], earlier_scan=last[2], changes=last[3])
        return parsed_file(data, previous=last[:2] if last is not None else None,
                           earlier_scan=last[2] if last is not None and last[3] is None else None)

    def remember_tree(self, uri: str, parsed: ParsedFile) -> None:
        """Keep the document's tree (when it was made) for the parse of its next text."""
        handover = parsed.handover()
        if handover is not None:
            last = self.trees.get(uri)
            if handover[2] is None and last is not None and last[0] == parsed.data:
                return      # (what is kept for this text already holds its scan)
            self.trees.put(uri, handover)

    def settings_changed(self) -> None:
        """Other settings: no analysis or block result of the old ones is reused (the project and the trees,
        which do not depend on them, stay)."""
        self.models.clear()
        self.analyses.clear()
        self.kept.clear()

    def closed(self, uri: str) -> None:
        """The document closed: what was kept for it goes."""
        for store in (self.models, self.analyses, self.kept, self.trees, self.assembled):
            store.pop(uri)


def _text_size(entry: tuple) -> int:
    """The size of the text an entry of ``models``, ``analyses`` or ``trees`` is for (its first item)."""
    return len(entry[0])
