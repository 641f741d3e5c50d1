"""The mutation-fuzz campaign of ``tools/fuzz.py``, bounded for CI: fixed seeds, the repository's own files (the
fixtures and the examples) mutated by every mutation class, through the analysis, every editor request and
``asm-ls --check``.  ``python tools/fuzz.py --seconds 600 --corpus DIR...`` runs it longer, on other files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from fuzz import MUTATIONS, campaign, check_cli, corpus_files, tokens

ROOT = Path(__file__).resolve().parents[2]
CORPUS = corpus_files([str(ROOT / "tests" / "fixtures"), str(ROOT / "examples")])


def test_the_corpus_is_the_repository_files():
    assert len(CORPUS) > 100
    assert any(path.parent.name == "examples" for path, _ in CORPUS)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_campaign_finds_no_crash(seed):
    stats = campaign(CORPUS, seed, cases=350, cli_every=175, measure_memory=False)
    assert stats.cases == 350 and stats.cli_runs == 2
    assert stats.requests > 350 * 11                 # every request kind, on every case that analysed
    assert {name: crash.error for name, crash in stats.crashes.items()} == {}
    assert stats.cli_failures == []
    assert set(stats.worst) == set(MUTATIONS)        # every mutation class ran


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_each_mutation_changes_the_file(kind):
    rng = random.Random(kind)
    path, data = next((p, d) for p, d in CORPUS if p.name == "x86_64_mistakes.rs")
    changed = [MUTATIONS[kind](data, rng) != data for _ in range(20)]
    assert sum(changed) >= 18, f"{kind} left {path.name} unchanged too often"


def test_invalid_utf8_mutants_are_named_and_the_rest_reported():
    """The --check property itself: a batch with unreadable files reports every other file and exits 2."""
    rng = random.Random(7)
    good = [data for _, data in CORPUS[:5]]
    bad = [MUTATIONS["invalid-utf8"](data, rng) for data in good[:2]]
    assert check_cli(good + bad) is None


def test_tokens_cover_the_text():
    text = b'asm!("mov {0}, {1}", in(reg) x) // c\n'
    assert [text[s:e] for s, e in tokens(text)] == [b"asm!", b"(", b'"mov {0}, {1}"', b",", b"in", b"(", b"reg",
                                                    b")", b"x", b")", b"// c"]


@pytest.mark.asyncio
async def test_the_server_answers_every_request_on_mutated_text():
    """The real server, one session: mutants of the examples opened one after another (invalid UTF-8 decoded as an
    editor would), each published and every request answered with a result, never an error."""
    import asyncio

    from lsp_harness import open_document, session, uri_of, wait_for_publication
    from lsp_requests import all_requests

    rng = random.Random(11)
    sources = [data for path, data in CORPUS if path.parent.name == "examples"]
    async with session({"assemble": False}, ASM_LS_DEBOUNCE_MS="0") as client:
        for index in range(12):
            kind = sorted(MUTATIONS)[index % len(MUTATIONS)]
            text = MUTATIONS[kind](rng.choice(sources), rng).decode("utf-8", "replace")
            uri = uri_of(f"mutant{index}.rs")
            open_document(client, uri, text)
            await wait_for_publication(client, uri, version=1)
            answers = await asyncio.wait_for(asyncio.gather(*all_requests(client, uri)), 30)
            assert len(answers) == 11
