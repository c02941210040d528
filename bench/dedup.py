"""Near-duplicate lookup at 10k and 100k stored reports (storage.dedup.NearDupIndex, as the archive uses it).

Synthetic archive: real report texts (seeds, fixtures, the simulated web's report pages) cut into
paragraphs of their compact form (crawler.fingerprint's normalise + letters/digits only), and
every stored report is a new draw: another agency and year in the title, numbers changed in some
paragraphs (a pool of variants per paragraph), paragraphs dropped or swapped.

A MinHash is the element-wise minimum of its shingles' permuted hashes, so a report's signature is
the minimum over its paragraphs' signatures and the 4 shingles that span each paragraph boundary.
Paragraph and boundary signatures are computed once with crawler.fingerprint's scheme (datasketch,
128 permutations, 5-gram shingles) and cached; ``exact`` in the result says whether sampled
reports got bit-identical signatures from ``crawler.fingerprint.minhash`` of their full text.
This builds 100k signatures in seconds instead of the ~10 minutes of hashing every text.
"""

from __future__ import annotations

import logging
import random
import re
import statistics
import time
from typing import Any

import numpy as np

from crawler.fingerprint import NUM_PERM, SHINGLE_K, normalise
from crawler.fingerprint import minhash as fingerprint_minhash
from crawler.sketch import MinHash

_NON_WORD = re.compile(r"[\W_]+")  # as crawler.fingerprint.shingles strips the normalised text
_DIGITS = re.compile(r"\d+")
_PLACES = "东西南北中上下前后左右新老大小金港岭湖川溪山沙台泉门源河宁平和城青白红黄安康长乐永福兴隆丰"
_AGENCIES = ["人力资源和社会保障局", "教育局", "财政局", "人民政府", "卫生健康委员会", "生态环境局", "公安局",
             "住房和城乡建设局", "交通运输局", "农业农村局", "市场监督管理局", "民政局", "司法局", "审计局"]
_LEVELS = ["市", "区", "县"]
MIN_PARAGRAPH = 40  # characters; short lines are merged so a boundary always has 4 characters each side
VARIANTS = 6  # per paragraph with digits: the original and 5 with other numbers


def compact(text: str) -> str:
    return _NON_WORD.sub("", normalise(text))


def paragraphs(text: str) -> list[str]:
    """Compact paragraphs of ≥ MIN_PARAGRAPH characters, each unchanged by ``compact`` again."""
    out: list[str] = []
    buf = ""
    for line in text.splitlines():
        buf += compact(line)
        if len(buf) >= MIN_PARAGRAPH:
            out.append(buf)
            buf = ""
    if buf and out:
        out[-1] += buf
    return [p for p in out if compact(p) == p]


_TEMPLATE = MinHash(num_perm=NUM_PERM)  # crawler.fingerprint's scheme; its permutations are reused


def _vector(grams: set[str]) -> np.ndarray:
    # Same seed and scheme as MinHash(num_perm=NUM_PERM), without regenerating the permutations.
    mh = MinHash(num_perm=NUM_PERM, permutations=_TEMPLATE.permutations, scheme=_TEMPLATE.scheme)
    mh.update_batch([g.encode("utf-8") for g in grams])
    return np.asarray(mh.hashvalues, dtype=np.uint64)


def _grams(s: str) -> set[str]:
    return {s[i : i + SHINGLE_K] for i in range(len(s) - SHINGLE_K + 1)}


class Synth:
    """Draws synthetic reports and their exact MinHash signatures from cached parts."""

    def __init__(self, texts: list[str], seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.bases: list[list[list[str]]] = []  # base → paragraph → variants
        for text in texts:
            paras = paragraphs(text)
            if len(paras) >= 5:
                self.bases.append([self._variants(p) for p in paras])
        self._cache: dict[str, np.ndarray] = {}
        self._edges: dict[str, np.ndarray] = {}
        self.agencies = [f"{a}{b}{lv}{ag}" for a in _PLACES for b in _PLACES for lv in _LEVELS for ag in _AGENCIES]

    def _variants(self, p: str) -> list[str]:
        if not _DIGITS.search(p):
            return [p]
        out = [p]
        for _ in range(VARIANTS - 1):
            v = _DIGITS.sub(lambda m: m.group(0) if self.rng.random() < 0.5 else
                            str(self.rng.randint(0, 10 ** len(m.group(0)) - 1)), p)
            if compact(v) == v:
                out.append(v)
        return out

    def _vec(self, p: str) -> np.ndarray:
        v = self._cache.get(p)
        if v is None:
            v = self._cache[p] = _vector(_grams(p))
        return v

    def _edge(self, left: str, right: str) -> np.ndarray:
        window = left[-(SHINGLE_K - 1):] + right[: SHINGLE_K - 1]
        v = self._edges.get(window)
        if v is None:
            v = self._edges[window] = _vector(_grams(window))
        return v

    def draw(self) -> tuple[list[str], int]:
        """One synthetic report as compact paragraphs (title first) and its base index."""
        rng = self.rng
        b = rng.randrange(len(self.bases))
        year = rng.randint(2008, 2024)
        title = f"{rng.choice(self.agencies)}{year}年政府信息公开工作年度报告"
        body = [rng.choice(variants) for variants in self.bases[b] if rng.random() > 0.03]
        if len(body) > 2 and rng.random() < 0.3:
            i = rng.randrange(len(body) - 1)
            body[i], body[i + 1] = body[i + 1], body[i]
        return [title, *body], b

    def mutate(self, doc: list[str]) -> list[str]:
        """A near-duplicate: one paragraph's numbers changed (a revised cell)."""
        out = list(doc)
        i = self.rng.randrange(1, len(out))
        out[i] = _DIGITS.sub(lambda m: str(int(m.group(0)) + 1), out[i], count=1)
        return out

    def signature(self, doc: list[str]) -> np.ndarray:
        parts = [self._vec(p) for p in doc]
        parts += [self._edge(a, b) for a, b in zip(doc, doc[1:], strict=False)]
        return np.minimum.reduce(parts)


def _lean(sig: np.ndarray) -> Any:
    from storage.dedup import unpack

    return unpack(sig.astype(np.uint32).tobytes())  # exactly how the archive reads a stored signature


def _check_exact(synth: Synth, samples: int = 5) -> bool:
    for _ in range(samples):
        doc, _ = synth.draw()
        ref = np.asarray(fingerprint_minhash("\n".join(doc)).hashvalues, dtype=np.uint64)
        if not np.array_equal(ref, synth.signature(doc)):
            return False
    return True


def lookup_bench(synth: Synth, sizes: tuple[int, ...], queries: int = 200) -> dict[str, dict[str, Any]]:
    """Grow one NearDupIndex through ``sizes`` stored reports; at each size time ``queries`` lookups."""
    from storage.dedup import Match, NearDupIndex

    index = NearDupIndex()
    docs: list[list[str]] = []
    out: dict[str, dict[str, Any]] = {}
    synth_s = build_s = 0.0
    for n in sorted(sizes):
        started = time.perf_counter()
        batch = []
        while len(docs) < n:
            doc, base = synth.draw()
            docs.append(doc)
            batch.append((len(docs), _lean(synth.signature(doc)), base))
        synth_s += time.perf_counter() - started
        started = time.perf_counter()
        # NearDupIndex.refresh does exactly this per stored version after reading it from the database.
        for vid, mh, base in batch:
            index._sigs[vid] = (mh, Match(vid, base, 2020, f"p{base}", 1.0))
            index._lsh.insert(str(vid), mh)
        build_s += time.perf_counter() - started
        near = [synth.mutate(docs[synth.rng.randrange(n)]) for _ in range(queries // 2)]
        fresh = [synth.draw()[0] for _ in range(queries - len(near))]
        probes = [(_lean(synth.signature(d)), True) for d in near] + [(_lean(synth.signature(d)), False)
                                                                       for d in fresh]
        times, found, candidates = [], 0, 0
        for mh, is_near in probes:
            started = time.perf_counter()
            matches = index.query(mh)
            times.append((time.perf_counter() - started) * 1000)
            found += bool(matches) and is_near
            candidates += len(matches)
        ordered = sorted(times)
        out[f"n{n}"] = {
            "reports": n,
            "synth_s": round(synth_s, 2),
            "build_s": round(build_s, 2),  # cumulative: the index grows from 0 to n
            "build_us_per_report": round(build_s / n * 1e6, 1),
            "lookup_ms_mean": round(statistics.fmean(times), 4),
            "lookup_ms_median": round(statistics.median(times), 4),
            "lookup_ms_p95": round(ordered[round(0.95 * (len(ordered) - 1))], 4),
            "queries": len(probes),
            "near_duplicates_found": f"{found}/{len(near)}",
            "matches_per_query": round(candidates / len(probes), 2),
        }
    return out


def minhash_ms(texts: list[str]) -> float:
    """crawler.fingerprint.minhash of a whole report text (normalise + shingles + hashing), mean ms."""
    fingerprint_minhash(texts[0])
    started = time.perf_counter()
    for t in texts:
        fingerprint_minhash(t)
    return round((time.perf_counter() - started) / len(texts) * 1000, 3)


def run(texts: list[str], sizes: tuple[int, ...] = (10_000, 100_000), queries: int = 200) -> dict[str, Any]:
    quiet = logging.getLogger("crawler")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        started = time.perf_counter()
        synth = Synth(texts)
        out: dict[str, Any] = {"base_texts": len(synth.bases), "threshold": 0.9, "num_perm": NUM_PERM,
                               "shingle_k": SHINGLE_K}
        out["exact"] = _check_exact(synth)
        out["parts_s"] = round(time.perf_counter() - started, 2)
        out["minhash_ms_per_report"] = minhash_ms([t for t in texts if len(t) > 500][:40])
        out.update(lookup_bench(synth, sizes, queries))
        out["cached_parts"] = len(synth._cache) + len(synth._edges)
    finally:
        quiet.setLevel(level)
    return out
