"""While the user types: the assembler's findings of unchanged blocks stay in every publication (no flicker), and
the assembler pass of a text that changed is cancelled, its rustc killed, before the next one starts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lsp_harness import change_document, open_document, session, summary, uri_of, wait_for_publication, wait_until

pytestmark = pytest.mark.asyncio

TARGETS = {"targets": ["x86_64-unknown-linux-gnu"]}

TEXT = '''// a file with one block the assembler rejects
pub fn add_five(x: u64) -> u64 {
    let mut y = x;
    unsafe { core::arch::asm!("addd {0}, 5", inout(reg) y) };
    y
}

pub fn ticks() -> u64 {
    let low: u64;
    unsafe { core::arch::asm!("rdtsc", "shl rdx, 32", "or rax, rdx", out("rax") low, out("rdx") _) };
    low
}
'''
ADDD = ("assembler-error", "invalid instruction mnemonic 'addd' (target: x86_64)", "error")


def _addd_line(params) -> int | None:
    """The line of the `addd` error in a publication; None when it is not there."""
    return next((line for (*finding, (line, _, _, _)) in summary(params.diagnostics) if tuple(finding) == ADDD), None)


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
async def test_the_assembler_error_of_an_unchanged_block_is_in_every_publication():
    async with session(TARGETS) as client:
        uri = uri_of("typing.rs")
        open_document(client, uri, TEXT)
        first = await wait_for_publication(client, uri, version=1)
        assembled = await wait_for_publication(client, uri, version=1, after=client.publications.index(first) + 1)
        assert _addd_line(assembled) == 3
        edits = [((0, 0), (0, 0), "// one more line above the block\n"),     # the block moves down a line
                 ((10, 31), (10, 31), " "),                                   # inside the other block's template
                 ((11, 4), (11, 4), "/* far away */ ")]
        for version, (start, end, text) in enumerate(edits, start=2):
            change_document(client, uri, version, start, end, text)
            # both publications of the version: the front end's (with the carried findings), then the assembler's
            await wait_until(lambda: len([p for p in client.published(uri) if p.version == version]) == 2)
        published = client.published(uri)
        after_first_assembled = published[published.index(assembled):]
        assert [(p.version, _addd_line(p)) for p in after_first_assembled] == \
            [(1, 3), (2, 4), (2, 4), (3, 4), (3, 4), (4, 4), (4, 4)]


FAKE_RUSTC = r'''#!/bin/sh
# A rustc that is slow on a crate that mentions `slowpoke` (it writes its process id and its child's, and waits) and
# fails at once on any other (writing "overlap" when the slow one is still alive).
for argument in "$@"; do
    if [ "$argument" = "-vV" ]; then
        printf 'rustc 1.95.0 (fake)\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\n'
        exit 0
    fi
    crate="$argument"
done
if grep -q slowpoke "$crate"; then
    sleep 60 &
    echo "$$ $!" > "{pids}.tmp" && mv "{pids}.tmp" "{pids}"
    wait
    exit 0
fi
for pid in $(cat "{pids}" 2>/dev/null); do
    state=$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)
    if [ -n "$state" ] && [ "$state" != Z ]; then echo overlap >> "{log}"; fi
done
echo "fake rustc: failed fast" >&2
exit 1
'''

SLOW = '''pub fn f() {
    unsafe { core::arch::asm!("slowpoke") };
}
'''
FAST_REASON = "templates were not assembled: rustc failed: fake rustc: failed fast"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


async def test_a_stale_assembler_run_is_killed_and_only_the_new_version_is_published(tmp_path):
    pids, log = tmp_path / "pids", tmp_path / "log"
    rustc = tmp_path / "rustc"
    rustc.write_text(FAKE_RUSTC.replace("{pids}", str(pids)).replace("{log}", str(log)))
    rustc.chmod(0o755)
    async with session({**TARGETS, "rustc": str(rustc)}) as client:
        uri = uri_of("stale.rs")
        open_document(client, uri, SLOW)
        await wait_until(pids.exists)
        slow = [int(pid) for pid in pids.read_text().split()]
        assert len(slow) == 2 and all(_alive(pid) for pid in slow)
        change_document(client, uri, 2, (1, 31), (1, 35), "fast")      # `slowpoke` -> `fastpoke`
        await wait_until(lambda: not any(_alive(pid) for pid in slow), timeout=5)
        await wait_for_publication(client, uri, version=2)
        # the new version's run fails at once: said once per session as a warning, not as a diagnostic
        await wait_until(lambda: any(FAST_REASON in m.message for m in client.messages))
        assert [m.message for m in client.messages] == [
            f"asm-ls: {FAST_REASON}; the checks that need the assembler are off (set `rustc` in the asm-ls settings "
            "to the rustc to use)"]
        assert [(p.version, summary(p.diagnostics)) for p in client.published(uri)] == [(1, []), (2, [])]
    assert not log.exists()      # the fast run started after the slow one had ended
