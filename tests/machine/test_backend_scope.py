"""A backend scope: cancelling it kills its rustc runs' process groups and refuses new runs."""

from __future__ import annotations

import threading
import time

import pytest

from asm_ls.machine import backend


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def test_cancelling_a_scope_kills_its_process_group_and_refuses_new_runs(tmp_path):
    pids = tmp_path / "pids"
    script = tmp_path / "slow"
    script.write_text(f'#!/bin/sh\nsleep 60 &\necho "$$ $!" > "{pids}.tmp" && mv "{pids}.tmp" "{pids}"\nwait\n')
    script.chmod(0o755)
    scope = backend.Scope()
    errors: list[str] = []

    def work() -> None:
        with backend.scoped(scope):
            try:
                backend._run([str(script)], str(tmp_path), 30)
            except backend.BackendError as error:
                errors.append(str(error))

    worker = threading.Thread(target=work)
    worker.start()
    deadline = time.monotonic() + 10
    while not pids.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    started = [int(pid) for pid in pids.read_text().split()]
    scope.cancel()
    worker.join(10)
    assert not worker.is_alive()
    assert errors == ["cancelled: the text it was for changed"]
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(_alive(pid) for pid in started)
    with backend.scoped(scope), pytest.raises(backend.BackendError, match="cancelled"):
        backend._run(["true"], str(tmp_path), 30)


def test_runs_outside_a_cancelled_scope_go_on(tmp_path):
    backend.Scope().cancel()
    assert backend._run(["true"], str(tmp_path), 30)[0] == 0
