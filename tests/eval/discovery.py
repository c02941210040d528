"""Discovery eval over random webs (``make eval``): the real ``scrapy crawl reports`` through the
portal proxy on many random simulated gov.cn webs (tests/portal/random), each archive compared with
the web's ground truth.

    python -m tests.eval.discovery                 # 50 webs (fixed seeds), 3 sites each, 2 at a time
    python -m tests.eval.discovery --webs 5 --sites 4 --first 900
    NIANBAO_WEB_SEED=17,23 python -m tests.eval.discovery   # just these seeds

Printed: recall (true reports stored from a document URL, not a wrapper), precision (stored
reports that are a true report of a seeded agency), stubs or lists stored as reports, agency-years
stored twice, out-of-seed reports stored, key cells right, fetched pages per report found, and a
table of misses by dimension (each site records the dimensions it was drawn from). ``compare`` is
the comparison, reused by tests/e2e/test_random_webs.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.portal.model import TrueReport, Web

FIRST_SEED = 1000  # make eval's webs: seeds FIRST_SEED .. FIRST_SEED + webs - 1
# Opening an archive runs alembic's migration check, whose module-level context is not thread-safe
# (two at once: KeyError 'script'); webs crawled in parallel threads open theirs one at a time.
_OPEN_ARCHIVE = threading.Lock()


@dataclass
class Miss:
    agency: str
    year: int
    url: str
    why: str  # not-stored | stub-only | wrong-agency
    dims: dict[str, object]


@dataclass
class Wrong:
    url: str  # the stored version's URL
    kind: str  # stub | list | out-of-seed | confusable | duplicate | other
    agency: str
    year: int | None
    dims: dict[str, object]


@dataclass
class Comparison:
    seed: int | None
    true_reports: int
    found: int
    stored: int
    correct: int  # stored records that are a true seeded report read from its document
    stubs: int = 0  # stored from a wrapper page
    lists: int = 0  # stored from a list page
    twice: int = 0  # agency-years stored more than once
    twice_keys: list[str] = field(default_factory=list)  # "agency year: url, url"
    out_of_seed: int = 0
    cells_right: int = 0
    cells_total: int = 0
    fetched_kinds: Counter[str] = field(default_factory=Counter)  # requests answered, by what they were (FETCH_KINDS)
    misses: list[Miss] = field(default_factory=list)
    wrong: list[Wrong] = field(default_factory=list)
    report_dims: list[dict[str, object]] = field(default_factory=list)  # every true report's, for totals
    sites: dict[str, tuple[int, int]] = field(default_factory=dict)  # host -> (found, true reports)
    site_dims: dict[str, dict[str, object]] = field(default_factory=dict)
    crawl_error: str = ""

    @property
    def recall(self) -> float:
        return self.found / self.true_reports if self.true_reports else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.stored if self.stored else 1.0

    @property
    def fetched(self) -> int:
        """Requests the portal answered during the crawl."""
        return sum(self.fetched_kinds.values())

    def goals_met(self) -> bool:
        return (self.found == self.true_reports and self.correct == self.stored and not self.stubs
                and not self.lists and not self.twice and not self.out_of_seed)


def report_dims(web: Web, t: TrueReport) -> dict[str, object]:
    """The site's drawn dimensions plus how this report is published (``mixed`` sites vary it)."""
    dims = dict(web.dims.get(t.host, {}))
    if any("viewer.html" in w for w in t.wrappers):  # the list links the viewer, or a page embedding it
        dims["published_as"] = "pdfjs-linked" if len(t.wrappers) == 1 else "pdfjs-embedded"
    elif t.wrappers:
        dims["published_as"] = f"wrapper-{t.kind}-{len(t.urls)}"
    else:
        dims["published_as"] = "html" if t.kind == "html" else f"file-{t.kind}"
    dims["format"] = t.format
    return dims


def _cell(record: dict[str, Any], path: str) -> object:
    section, rest = path.split(".", 1)
    node: Any = record.get(section) or {}
    for part in rest.replace("[", ".").rstrip("]").split("."):
        try:
            node = node[int(part)] if part.isdigit() else node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _bare(url: str) -> str:
    return url.split("#")[0].split("?")[0]


def truth_urls(web: Web) -> tuple[dict[str, TrueReport], dict[str, TrueReport], set[str], set[str]]:
    """``web``'s truth by URL: report documents and wrapper pages → their report, then the URLs of
    unseeded agencies' reports and of look-alikes."""
    return ({u: t for t in web.reports for u in t.urls}, {u: t for t in web.reports for u in t.wrappers},
            {u for t in web.out_of_seed for u in t.urls + t.wrappers}, {c.url for c in web.confusables})


# noqa below: one pass over the archive's records tallying every goal of issue 19 side by side; split per
# goal, each would walk the records again and the tallies would drift apart.
def compare(  # noqa: C901
    web: Web, records: list[dict[str, Any]], fetched: Counter[str] | None = None, seed: int | None = None
) -> Comparison:
    """Archive ``records`` (``Archive.export_versions(latest=True)``) against ``web``'s truth;
    ``fetched``: the requests answered, by kind (``fetch_kinds``)."""
    by_doc, by_wrapper, oos, confusables = truth_urls(web)
    out = Comparison(seed, len(web.reports), 0, len(records), 0, fetched_kinds=fetched or Counter(),
                     report_dims=[report_dims(web, t) for t in web.reports])
    hits: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for rec in records:
        url = rec["url"]
        t = by_doc.get(url)
        host = urlsplit(url).hostname or ""
        dims = dict(web.dims.get(host, {}))
        kind = ""
        if url in oos or set(rec.get("urls") or []) & oos:
            kind, out.out_of_seed = "out-of-seed", out.out_of_seed + 1
        elif t is not None:
            hits[id(t)].append(rec)
            if len(hits[id(t)]) > 1:
                kind = "duplicate"
            else:
                out.correct += 1
        elif url in by_wrapper:
            kind, out.stubs = "stub", out.stubs + 1
            hits[id(by_wrapper[url])].append(rec)
        elif _bare(url) in web.list_urls or url in web.list_urls:
            kind, out.lists = "list", out.lists + 1
        elif url in confusables:
            kind = "confusable"
        else:
            kind = "other"
        if kind:
            out.wrong.append(Wrong(url, kind, rec.get("agency") or "", rec.get("year"), dims))
    pairs: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    for rec in records:
        pairs[(rec.get("seed_agency") or rec.get("agency") or "", rec.get("year"))].append(rec["url"])
    out.twice_keys = [f"{a} {y}: {', '.join(urls)}" for (a, y), urls in pairs.items() if len(urls) > 1]
    out.twice = len(out.twice_keys)
    for t in web.reports:
        recs = hits.get(id(t), [])
        good = [r for r in recs if r["url"] in t.urls]
        found, total = out.sites.get(t.host, (0, 0))
        out.sites[t.host] = (found + bool(good), total + 1)
        out.site_dims[t.host] = dict(web.dims.get(t.host, {}))
        if good:
            out.found += 1
            rec = good[0]
            for path, want in t.cells.items():
                out.cells_total += 1
                out.cells_right += _cell(rec, path) == want
        else:
            why = "stub-only" if recs else "not-stored"
            out.misses.append(Miss(t.agency, t.year, t.urls[0], why, report_dims(web, t)))
    return out


# ------------------------------------------------------------------------------------ crawling

# What a fetched URL was, by the web's truth, in the order the eval prints them: what any crawler
# of the web fetches for its reports (robots.txt, home pages, the reports' documents, their wrapper
# pages, list pages and list endpoints), then what a focused crawl might have left alone.
FETCH_KINDS = ("robots.txt", "home page", "report document", "wrapper page", "list page or endpoint",
               "look-alike", "unseeded agency's report", "other page")


def fetch_kinds(web: Web, requests: list[Any]) -> Counter[str]:
    """The portal's answered requests (``RequestLog``) on ``web``'s hosts, counted by ``FETCH_KINDS``."""
    by_doc, by_wrapper, oos, confusables = truth_urls(web)
    docs, wrappers = set(by_doc), set(by_wrapper)
    homes = {a.url for a in web.agencies}
    kinds: Counter[str] = Counter()
    for r in requests:
        if r.host not in web.hosts or r.method == "CONNECT":
            continue  # chrome's calls to other hosts (weather, statistics) are not the crawl's
        urls = {f"{scheme}://{r.host}{path}" for scheme in ("http", "https") for path in {r.path, r.path.split("?")[0]}}
        kinds[
            "robots.txt" if r.path == "/robots.txt"
            else "report document" if urls & docs
            else "wrapper page" if urls & wrappers
            else "home page" if urls & homes
            else "list page or endpoint" if urls & web.list_urls
            else "look-alike" if urls & confusables
            else "unseeded agency's report" if urls & oos
            else "other page"
        ] += 1
    return kinds


def crawl_web(web: Web, workdir: Path, *, latency_draw: int | None = 1, timeout: float = 300,
              settings: tuple[str, ...] = (), answered: list[str] | None = None,
              ) -> tuple[list[dict[str, Any]], Counter[str], str]:
    """Serve ``web`` on a fresh portal, crawl it into a fresh SQLite archive in ``workdir``:
    (latest records, requests answered by kind (``fetch_kinds``), error line or ""); ``answered``
    receives every answered request on the web's hosts as "host/path?query"."""
    from tests.e2e.crawl import run_crawl
    from tests.portal.server import Portal

    workdir.mkdir(parents=True, exist_ok=True)
    seeds = workdir / "seeds.csv"
    seeds.write_text(web.seeds_csv(), encoding="utf-8")
    db_url = f"sqlite:///{workdir / 'nianbao.db'}"
    portal = Portal(web, latency_draw=latency_draw)
    portal.set_state("counters", False)
    portal.start()
    try:
        result = run_crawl(portal.proxy_url, seeds, db_url, *settings, timeout=timeout)
        fetched = fetch_kinds(web, portal.requests)
        if answered is not None:
            answered += [r.host + r.path for r in portal.requests if r.host in web.hosts and r.method != "CONNECT"]
    finally:
        portal.stop()
    error = ""
    if result.returncode != 0 or "Traceback" in result.stderr:
        tail = [ln for ln in result.stderr.splitlines() if ln.strip()][-1:] or ["?"]
        error = f"exit {result.returncode}: {tail[0][:200]}"
    records = list(open_archive(db_url).export_versions(latest=True))
    return records, fetched, error


def open_archive(db_url: str) -> Any:
    """``Archive.from_url`` safe to call from several threads at once."""
    from storage.archive import Archive

    with _OPEN_ARCHIVE:
        return Archive.from_url(db_url)


def run_seed(seed: int, n_sites: int, root: Path, settings: tuple[str, ...] = ()) -> Comparison:
    from tests.portal.random import build_random_web

    web = build_random_web(seed, n_sites=n_sites)
    try:
        records, fetched, error = crawl_web(web, root / f"web{seed}", settings=settings)
    except Exception as exc:  # one web that breaks the harness costs that web only
        cmp = compare(web, [], None, seed)
        cmp.crawl_error = f"{type(exc).__name__}: {exc}"
        return cmp
    cmp = compare(web, records, fetched, seed)
    cmp.crawl_error = error
    return cmp


# ------------------------------------------------------------------------------------ printing


def dimension_table(hit: list[dict[str, object]], every: list[dict[str, object]]) -> list[str]:
    """Rows ``dimension  value  n / total  share`` for every dimension value among ``hit``
    (e.g. the missed reports' dimensions) against ``every`` (all true reports' dimensions)."""
    totals: Counter[tuple[str, str]] = Counter()
    counted: Counter[tuple[str, str]] = Counter()
    for dims in every:
        for k, v in dims.items():
            totals[(k, str(v))] += 1
    for dims in hit:
        for k, v in dims.items():
            counted[(k, str(v))] += 1
    rows = []
    for (k, v), n in sorted(counted.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
        total = totals.get((k, v), 0)
        share = f"{n / total:6.0%}" if total else "     -"
        rows.append(f"  {k:<14} {v:<26} {n:>4} / {total:<4} {share}")
    return rows


def summary(results: list[Comparison]) -> list[str]:
    true = sum(c.true_reports for c in results)
    found = sum(c.found for c in results)
    stored = sum(c.stored for c in results)
    correct = sum(c.correct for c in results)
    cells_right, cells_total = sum(c.cells_right for c in results), sum(c.cells_total for c in results)
    fetched = sum(c.fetched for c in results)
    lines = [
        f"webs {len(results)}, every goal met on {sum(c.goals_met() for c in results)} of them",
        f"recall     {found}/{true} = {found / true if true else 1:.3f}",
        f"precision  {correct}/{stored} = {correct / stored if stored else 1:.3f}",
        f"stubs stored as reports {sum(c.stubs for c in results)}   lists stored as reports "
        f"{sum(c.lists for c in results)}",
        f"agency-years stored twice {sum(c.twice for c in results)}   out-of-seed stored "
        f"{sum(c.out_of_seed for c in results)}",
        f"key cells right {cells_right}/{cells_total} = {cells_right / cells_total if cells_total else 1:.3f}",
        f"fetched pages per report found {fetched / found if found else float('inf'):.1f} (goal <= 2), of them:",
    ]
    kinds: Counter[str] = sum((c.fetched_kinds for c in results), Counter())
    lines += [f"  {kind:<26} {kinds[kind] / found if found else 0:.2f}" for kind in FETCH_KINDS if kinds[kind]]
    wrong = Counter(w.kind for c in results for w in c.wrong)
    if wrong:
        lines.append("wrong records by kind: " + ", ".join(f"{k} {n}" for k, n in wrong.most_common()))
    errors = [f"  seed {c.seed}: {c.crawl_error}" for c in results if c.crawl_error]
    if errors:
        lines += ["crawl errors:", *errors]
    return lines


def main(argv: list[str] | None = None) -> int:
    from tests.portal.random import web_seeds

    ap = argparse.ArgumentParser(prog="python -m tests.eval.discovery", description=__doc__.splitlines()[0])
    ap.add_argument("--webs", type=int, default=50)
    ap.add_argument("--sites", type=int, default=3, help="sites per web")
    ap.add_argument("--first", type=int, default=FIRST_SEED, help="first seed")
    ap.add_argument("--jobs", type=int, default=2, help="webs crawled at a time")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a crawl setting for every web (e.g. NIANBAO_WEAK_NAV_ROUNDS=8); repeatable")
    args = ap.parse_args(argv)
    seeds = web_seeds(list(range(args.first, args.first + args.webs)))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nianbao-discovery-") as tmp, ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(lambda s: run_seed(s, args.sites, Path(tmp), tuple(args.set)), seeds))
    print(f"discovery over random webs: seeds {seeds[0]}..{seeds[-1]}, {args.sites} sites each, "
          f"{time.monotonic() - started:.0f} s")
    for line in summary(results):
        print(line)
    every = [d for c in results for d in c.report_dims]
    rows = dimension_table([m.dims for c in results for m in c.misses], every)
    if rows:
        print("misses by dimension (missed / true reports with that value):")
        print("\n".join(rows))
    keys = ("cms", "entry", "depth", "delivery", "split", "publish", "aggregate", "fault", "encoding", "relative")
    sites = [(c.sites[h], {k: c.site_dims[h].get(k) for k in keys}) for c in results for h in c.sites]
    blank = [d for (found, _total), d in sites if found == 0]
    print(f"sites where no report was found: {len(blank)} of {len(sites)}; by dimension (such sites / sites):")
    print("\n".join(dimension_table(blank, [d for _n, d in sites])))
    wrong_rows = dimension_table([w.dims | {"kind": w.kind} for c in results for w in c.wrong], every)
    if wrong_rows:
        print("wrong records by dimension of their site (wrong records / true reports with that value):")
        print("\n".join(wrong_rows))
        print("missed reports:")
        for cmp in results:
            for m in cmp.misses:
                print(f"  seed {cmp.seed} {m.agency} {m.year} {m.why} {m.url}")
    wrong = [(c.seed, w) for c in results for w in c.wrong]
    if wrong:
        print("wrong records:")
        for seed, w in wrong:
            print(f"  seed {seed} {w.kind:<11} {w.agency} {w.year} {w.url}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
