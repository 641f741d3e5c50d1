"""Running asm-ls's Python API on one test run, in-process: the run's configuration turned into
``Settings`` (target with its features, ``--cfg``s marked exhaustive, edition, assembler), a time
limit, and the diagnostics in rustc's coordinates (1-based lines, 1-based character columns)."""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path[:1]:
    sys.path.insert(0, str(REPO))      # this checkout's asm_ls, not an installed one

from compiletest import RunConfig  # noqa: E402

TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Found:
    """One asm-ls diagnostic, converted to rustc's coordinates (1-based, char columns)."""

    code: str
    severity: str
    message: str
    line: int
    col: int
    end_line: int
    end_col: int
    target: str | None = None   # the architecture(s) of the block's configuration, when the finding depends on it


@dataclass
class Checked:
    found: list[Found]
    blocks: int     # inline-assembly macro calls in the file


def import_asm_ls():
    """asm-ls's API (from this checkout: see the sys.path line above)."""
    from asm_ls.analysis import Settings, analyze
    from asm_ls.syntax.source import SourceFile
    return Settings, analyze, SourceFile


def rustc_position(data: bytes, line_starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and 1-based column in characters, as rustc counts them."""
    lo, hi = 0, len(line_starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if line_starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    column = len(data[line_starts[lo]:offset].decode("utf-8", "replace"))
    return lo + 1, column + 1


def settings_for(config: RunConfig, assemble: bool = False):
    """asm-ls's Settings for a run: its target (with the run's target features and CPU; a target CPU
    whose features are unknown leaves them unknown), exactly the run's cfgs, its edition."""
    Settings, _, _ = import_asm_ls()
    from asm_ls.model.cfg_eval import CfgValues
    from asm_ls.model.target import apply_feature_flags, parse_target

    target = parse_target(config.target)
    if config.features:
        target = apply_feature_flags(target, config.features)
    if config.features_unknown:
        target = dataclasses.replace(target, features_known=False)
    if config.cpu:
        target = dataclasses.replace(target, cpu=config.cpu)     # the assembler gets `-C target-cpu`
    settings = Settings(targets=[target], edition=config.edition, assemble=assemble)
    settings.cfg = CfgValues(config.cfg_names, exhaustive=True)
    return settings


def check_file(path: Path, config: RunConfig, assemble: bool = False) -> Checked:
    _, analyze, SourceFile = import_asm_ls()
    data = path.read_bytes()
    result = analyze(SourceFile(data, str(path)), settings_for(config, assemble))
    line_starts = [0] + [i + 1 for i, byte in enumerate(data) if byte == 0x0A]
    found = []
    for d in result.diagnostics:
        line, col = rustc_position(data, line_starts, d.start)
        end_line, end_col = rustc_position(data, line_starts, d.end)
        found.append(Found(d.code, d.severity, d.message, line, col, end_line, end_col, d.target))
    return Checked(found, len(result.model.calls))


class Timeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int = TIMEOUT_SECONDS):
    """Raise :class:`Timeout` in the block after ``seconds`` (only where SIGALRM can be used)."""
    if not (hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()):
        yield
        return

    def alarm(signum, frame):
        raise Timeout(f"asm-ls took longer than {seconds}s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
