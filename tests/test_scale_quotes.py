"""Quote choice (MMR) costs one vector operation per quote, not Python work per member."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from listenlens.themes.quotes import mmr, normalise_text


def reference_mmr(x: np.ndarray, centroid: np.ndarray, unit_ids: Sequence[str], n: int,
                  lam: float, duplicate: float, texts: Sequence[str]) -> list[int]:
    """The rule as first written: a Python scan of every member for every quote."""
    m = len(x)
    c = centroid / np.linalg.norm(centroid)
    relevance = x @ c
    order = sorted(range(m), key=lambda i: (-round(float(relevance[i]), 6), unit_ids[i]))
    keys = [normalise_text(t) for t in texts]
    chosen: list[int] = []
    seen: set[str] = set()
    redundancy = np.full(m, -1.0, dtype=np.float32)
    blocked = np.zeros(m, dtype=bool)
    while len(chosen) < min(n, m):
        best, best_score = -1, -np.inf
        for i in order:
            if blocked[i]:
                continue
            score = (lam * relevance[i] - (1 - lam) * max(redundancy[i], 0.0) if chosen
                     else relevance[i])
            if score > best_score + 1e-9:
                best, best_score = i, score
        if best < 0:
            break
        chosen.append(best)
        blocked[best] = True
        sims = x @ x[best]
        redundancy = np.maximum(redundancy, sims)
        blocked |= sims >= duplicate
        seen.add(keys[best])
        blocked |= np.array([k in seen for k in keys], dtype=bool)
    return chosen


class CountingTexts(list):
    """A list of texts that counts how many were read by index."""

    reads = 0

    def __getitem__(self, i):  # type: ignore[override]
        CountingTexts.reads += 1
        return super().__getitem__(i)

    def __iter__(self):  # type: ignore[override]
        for i in range(len(self)):
            yield self[i]


@pytest.mark.parametrize("seed", range(6))
def test_same_choice_as_the_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = 300
    x = rng.standard_normal((m, 12)).astype(np.float32)
    x[::7] = x[1::7][: len(x[::7])]  # exact duplicate vectors: ties broken by unit id
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    texts = [f"Words {i % 40}!" for i in range(m)]  # many verbatim repeats
    ids = [f"u-{rng.integers(10**6):06d}-{i}" for i in range(m)]
    centre = x[:20].mean(axis=0)
    for lam, n in ((0.7, 5), (1.0, 8), (0.3, 12)):
        want = reference_mmr(x, centre, ids, n, lam, 0.92, texts)
        assert mmr(x, centre, ids, n=n, lam=lam, texts=texts) == want


def test_reads_only_the_texts_it_considers() -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5000, 16)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    texts = CountingTexts(f"text {i}" for i in range(5000))
    CountingTexts.reads = 0
    got = mmr(x, x[0], [f"u{i}" for i in range(5000)], n=5, texts=texts)
    assert len(got) == 5 and CountingTexts.reads <= 20


@pytest.mark.parametrize("seed", range(3))
def test_the_closest_candidates_give_the_choice_of_all_members(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = 6000
    x = rng.standard_normal((m, 24)).astype(np.float32)
    x[:2000] += 2.0 * x[0]  # one dense theme inside a wider spread
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    ids = [f"u{rng.integers(10**9):09d}-{i}" for i in range(m)]
    texts = [f"words {i % 700}" for i in range(m)]
    centre = x[:2000].mean(axis=0)
    for n in (5, 40):  # the weights themes.quotes uses (diversity 0.3)
        everything = mmr(x, centre, ids, n=n, lam=0.7, texts=texts, candidates=None)
        assert mmr(x, centre, ids, n=n, lam=0.7, texts=texts, candidates=300) == everything
    # a capped search never looks past its candidates
    relevance = x @ (centre / np.linalg.norm(centre))
    closest = set(np.argsort(-relevance, kind="stable")[:50].tolist())
    assert set(mmr(x, centre, ids, n=10, lam=0.0, candidates=50)) <= closest
