"""The archive's version rules as one pure function: ``decide(prior, incoming) -> Decision``.

storage/archive.py looks up the prior (which stored report this document belongs to, and how it
was found: ``place``), asks ``decide`` and applies the decision in one transaction. Nothing here
touches a database, so every rule has a scenario fixture under tests/fixtures/decide/ and the
arrival-order property (same documents, any order, same archive) is tested on ``Ledger``, an
in-memory archive that applies decisions the way storage does.

Rules (docs/DESIGN.md, "Identity"):
- a report's versions follow one *source URL*; text seen at every other URL only moves its sighting;
- a wrapper page (crawler.identity) is a sighting of its file, never a version; when no file is known
  the wrapper is kept as a ``stub`` report, which the first real rendering replaces (its version 1 is
  the rendering's text, its source the rendering): so wrapper-then-file and file-then-wrapper end alike;
- a list page is never stored; a report of an agency outside the seed list is counted and suggested
  as a seed, not stored under the seed's agency;
- a defaced text is a flagged version, never the current one; the clean text coming back restores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Protocol

from crawler.identity import LIST, REPORT, WRAPPER, source_rank

# How the prior was found, in the order ``place`` tries (first hit wins).
AT_URL, SAME_TEXT, IDENTITY, PARENT, STUB_OF_YEAR, NEAR, AGENCY_YEAR, NONE = (
    "url", "same-text", "identity", "parent", "stub-of-year", "near", "agency-year", "none")


@dataclass(frozen=True)
class VersionState:
    n: int
    sha: str
    flagged: bool
    url: str


@dataclass(frozen=True)
class SightingState:
    url: str
    sha: str
    removed: bool = False
    via: str = ""  # the page this file was linked from (a wrapper), "" when none


@dataclass(frozen=True)
class ReportState:
    """One stored report as the rules need it."""

    key: str  # storage's id (as text) or the ledger's key
    agency: str
    year: int | None
    state: str  # live | removed | defaced
    source_url: str
    stub: bool = False
    versions: tuple[VersionState, ...] = ()
    sightings: tuple[SightingState, ...] = ()
    first_run: int | None = None  # the run that stored it
    hosts: tuple[str, ...] = ()  # its agency's own hosts (a repost elsewhere is a worse source)

    def sighting(self, url: str) -> SightingState | None:
        return next((s for s in self.sightings if s.url == url), None)

    def latest(self, clean: bool) -> VersionState | None:
        vs = [v for v in self.versions if not (clean and v.flagged)]
        return max(vs, key=lambda v: v.n) if vs else None


@dataclass(frozen=True)
class Incoming:
    url: str
    sha: str
    kind: str = REPORT  # crawler.identity: report | wrapper | list
    spam: bool = False
    year: int | None = None
    identity: str = ""  # storage's identity key of this document (agency, year, publisher)
    via: str = ""  # the page that linked this file
    out_of_seed: bool = False  # the publisher is an agency the seed list does not hold
    run: int | None = None  # the crawl run it was fetched in


@dataclass(frozen=True)
class Prior:
    report: ReportState | None
    how: str = NONE  # AT_URL | SAME_TEXT | … | NONE


@dataclass(frozen=True)
class Decision:
    outcome: str  # new | revised | unchanged | sighting | near-duplicate | defaced | stub | list | out-of-seed
    events: tuple[str, ...] = ()
    state: str = "live"  # the report's state afterwards
    new_report: bool = False
    add_version: bool = False  # append a version n = max + 1 (flagged when the text is defaced)
    # The report's versions give way to this text as version 1: a stub's when its file arrives, and
    # a report first stored this run when a better rendering of it arrives (source_rank).
    replace_first: bool = False
    stub: bool = False  # the report afterwards is a stub
    sighting: str = "none"  # add | update | none
    restore_sighting: bool = False
    source_url: str | None = None  # the report's source afterwards when it moves (or is set)
    previous: int | None = None  # the version n a new version is diffed against
    follow_meta: bool = False  # title, publisher follow this clean text
    variant: bool = False  # a non-source rendering: the text changed there (``variant-changed``)


class Lookup(Protocol):
    """What ``place`` asks the archive, in its order (storage answers with SQL, the ledger with dicts)."""

    def at_url(self, url: str, year: int | None) -> ReportState | None: ...
    def same_text(self, sha: str) -> ReportState | None:
        """A report with this text as a version, else as the last text seen at one of its URLs."""
        ...
    def identity(self, key: str) -> ReportState | None: ...
    def parent(self, url: str, via: str, year: int | None) -> ReportState | None:
        """The report of the page that linked this file (``via``), of another file that page linked,
        or of a file this page linked."""
        ...
    def agency_year(self, year: int | None, stub: bool | None) -> ReportState | None: ...
    def near(self) -> tuple[ReportState | None, bool]: ...


def place(inc: Incoming, look: Lookup) -> Prior:
    """Which stored report ``inc`` belongs to, and how it was found (first hit wins).

    A wrapper is matched by its URL, by a file that named it as its page, or by its agency-year;
    never by text (every "详见附件" reads alike). A rendering finds a stub of its agency-year before
    any near-duplicate: the stub is the same report waiting for its text.
    """
    if inc.kind == LIST:
        return Prior(None, NONE)
    if inc.out_of_seed:
        # another agency's report (or its wrapper): only as a repost of one we hold (URL or text)
        return _first((AT_URL, lambda: look.at_url(inc.url, inc.year)),
                      (SAME_TEXT, lambda: look.same_text(inc.sha) if inc.kind == REPORT else None))
    found = look.at_url(inc.url, inc.year)
    if found is not None:
        return Prior(found, AT_URL)
    if inc.kind == WRAPPER:
        return _first((PARENT, lambda: look.parent(inc.url, "", inc.year)),
                      (AGENCY_YEAR, lambda: look.agency_year(inc.year, False)),
                      (STUB_OF_YEAR, lambda: look.agency_year(inc.year, True)))
    hit = _first((SAME_TEXT, lambda: look.same_text(inc.sha)),
                 (IDENTITY, lambda: look.identity(inc.identity)),
                 (PARENT, lambda: look.parent(inc.url, inc.via, inc.year)),
                 (STUB_OF_YEAR, lambda: look.agency_year(inc.year, True)))
    if hit.report is not None:
        return hit
    near, _ = look.near()
    return Prior(near, NEAR if near is not None else NONE)


def _first(*steps: tuple[str, Callable[[], ReportState | None]]) -> Prior:
    """The first look-up that finds a report, tried in order and lazily (each costs a query)."""
    for how, look_up in steps:
        found = look_up()
        if found is not None:
            return Prior(found, how)
    return Prior(None, NONE)


def decide(prior: Prior, inc: Incoming) -> Decision:
    """What the archive does with ``inc`` given the report it belongs to (see the module's rules)."""
    if inc.kind == LIST:
        return Decision("list", state="")
    row = prior.report
    if inc.out_of_seed and row is None:
        return Decision("out-of-seed", ("out-of-seed",), state="")
    if row is None:
        if inc.kind == WRAPPER:
            return Decision("stub", ("stub",), new_report=True, add_version=True, stub=True, sighting="add",
                            source_url=inc.url)
        events = ("new", "defaced") if inc.spam else ("new",)
        return Decision("defaced" if inc.spam else "new", events, state="defaced" if inc.spam else "live",
                        new_report=True, add_version=True, sighting="add", source_url=inc.url)
    if row.stub and inc.kind == REPORT:
        return _fill_stub(row, inc)
    known = row.sighting(inc.url)
    if known is None:
        # A URL new to this report: another rendering, a repost, the wrapper of its file.
        outcome = "near-duplicate" if prior.how == NEAR else "sighting"
        if row.stub and inc.kind == WRAPPER:
            outcome = "stub"
        if row.state == "removed":
            # Withdrawn, now back at another address: restored, and that address carries the versions
            # (the old source is gone) unless it only wraps the file.
            latest = row.latest(clean=False)
            state = "defaced" if latest is not None and latest.flagged else "live"
            moves = inc.kind == REPORT and not row.stub
            return Decision(outcome, ("restored", "source-moved") if moves else ("restored",), state,
                            stub=row.stub, sighting="add", source_url=inc.url if moves else None)
        if inc.kind == REPORT and not row.stub and _better_first(row, inc):
            # Met in the run that stored the report and a better rendering of it: it carries the
            # versions, as if it had arrived first.
            return Decision(outcome, state=row.state, replace_first=True, sighting="add", source_url=inc.url,
                            follow_meta=True)
        return Decision(outcome, state=row.state, stub=row.stub, sighting="add")
    return _seen_again(row, inc, known)


def _better_first(row: ReportState, inc: Incoming) -> bool:
    """Still settling its source: stored this run from one clean text, and ``inc`` ranks before it."""
    if inc.spam or inc.run is None or row.first_run != inc.run or row.state != "live" or len(row.versions) != 1:
        return False
    if row.versions[0].flagged:
        return False
    return source_rank(inc.url, row.hosts) < source_rank(row.source_url, row.hosts)


@dataclass(frozen=True)
class Removal:
    remove_sighting: bool  # the URL's sighting is marked removed
    report_removed: bool  # and with it the report: no live URL is left
    reason: str = ""


def decide_removal(row: ReportState, url: str, gone: str, listed: bool | None) -> Removal:
    """Removal needs both signals of one run: ``gone`` (why the URL failed: "http 404", "http 410",
    "soft-404"; "" when it answered) and the report no longer on its list (``listed`` False; None when
    the list was not completely crawled, which proves nothing). One signal alone is a dead link on a
    live list or a report moved off the first list page: not a withdrawal."""
    sighting = row.sighting(url)
    if sighting is None or sighting.removed or not gone or listed is not False:
        return Removal(False, False)
    live = [s for s in row.sightings if not s.removed and s.url != url]
    return Removal(True, not live and row.state != "removed", f"{gone}; missing-from-list")


def _fill_stub(row: ReportState, inc: Incoming) -> Decision:
    """The report's text arrives for a stub: it becomes version 1 and the source, as if first."""
    events = ("new", "defaced") if inc.spam else ("new",)
    return Decision("defaced" if inc.spam else "new", events, state="defaced" if inc.spam else "live",
                    replace_first=True, stub=False, sighting="update" if row.sighting(inc.url) else "add",
                    restore_sighting=bool((s := row.sighting(inc.url)) and s.removed),
                    source_url=inc.url, follow_meta=True)


# noqa below: one table of the version rules read top to bottom; split into steps, the order that is
# their precedence (unchanged, wrapper, variant, defaced, repaired, revised) would no longer show.
def _seen_again(row: ReportState, inc: Incoming, sighting: SightingState) -> Decision:  # noqa: C901
    events: list[str] = []
    state, source = row.state, row.source_url
    if sighting.removed and state == "removed":
        latest = row.latest(clean=False)
        state = "defaced" if latest is not None and latest.flagged else "live"
        events.append("restored")
    moved = None
    if inc.url != source:
        src = row.sighting(source)
        if src is not None and src.removed and inc.kind == REPORT:
            # The page that carried the versions is gone; this rendering carries them from now on.
            events.append("source-moved")
            moved = source = inc.url
    base = dict(sighting="update", restore_sighting=sighting.removed, source_url=moved, stub=row.stub)
    if sighting.sha == inc.sha:
        return Decision("unchanged", tuple(events), state, **base)  # type: ignore[arg-type]
    if inc.kind == WRAPPER:
        # A wrapper never makes a version; a stub's own wrapper text is just kept current.
        return Decision("stub" if row.stub else "sighting", tuple(events), state,
                        replace_first=row.stub, **base)  # type: ignore[arg-type]
    known = {v.sha for v in row.versions}
    if inc.url != source and not inc.spam:
        flagged_here = any(v.flagged and v.url == inc.url for v in row.versions)
        variant = False
        if state == "defaced" and flagged_here:
            state = "live"  # the defacement was on this rendering and it is clean again
            events.append("restored")
        elif inc.sha not in known:
            events.append("variant-changed")
            variant = True
        return Decision("sighting", tuple(events), state, variant=variant, **base)  # type: ignore[arg-type]
    latest_clean = row.latest(clean=True)
    previous = latest_clean.n if latest_clean else None
    if inc.spam:
        # A defacement seen before (same flagged text) adds no version but still flips the state.
        add = inc.sha not in known
        if state != "defaced":
            state = "defaced"
            events.append("defaced")
        outcome = "defaced" if add or events else "unchanged"
        return Decision(outcome, tuple(events), state, add_version=add, previous=previous,
                        **base)  # type: ignore[arg-type]
    if latest_clean is not None and latest_clean.sha == inc.sha:
        if state == "defaced":  # the clean text is back: no version, just the state
            state = "live"
            events.append("restored")
        return Decision("unchanged", tuple(events), state, **base)  # type: ignore[arg-type]
    if state == "defaced":
        events.append("restored")
    if latest_clean is not None:
        events.append("revised")
    return Decision("revised", tuple(events), "live", add_version=True, previous=previous, follow_meta=True,
                    **base)  # type: ignore[arg-type]


# -- an in-memory archive: the rules' reference model ------------------------------------------------
@dataclass
class Ledger:
    """Applies decisions to dicts the way storage applies them to rows (one seed agency)."""

    reports: dict[str, ReportState] = field(default_factory=dict)
    identities: dict[str, str] = field(default_factory=dict)
    out_of_seed: set[str] = field(default_factory=set)
    hosts: tuple[str, ...] = ()  # the seed agency's own hosts
    # Which texts are near-duplicates of each other (storage's MinHash index): texts of one family.
    family: Callable[[str], str] | None = None
    _near: dict[str, str] = field(default_factory=dict)  # sha -> report key, for near-duplicates
    _inc: Incoming | None = None

    # Lookup
    def at_url(self, url: str, year: int | None) -> ReportState | None:
        rows = [r for r in self.reports.values() if r.sighting(url) is not None
                and (year is None or r.year is None or r.year == year)]
        return min(rows, key=lambda r: r.key) if rows else None

    def same_text(self, sha: str) -> ReportState | None:
        rows = [r for r in self.reports.values() if not r.stub and any(v.sha == sha for v in r.versions)]
        rows = rows or [r for r in self.reports.values() if not r.stub and any(x.sha == sha for x in r.sightings)]
        return min(rows, key=lambda r: r.key) if rows else None

    def identity(self, key: str) -> ReportState | None:
        return self.reports.get(self.identities.get(key, "")) if key else None

    def parent(self, url: str, via: str, year: int | None) -> ReportState | None:
        rows = [r for r in self.reports.values()
                if (via and (r.sighting(via) is not None or any(s.via == via for s in r.sightings)))
                or any(s.via == url for s in r.sightings)]
        rows = [r for r in rows if year is None or r.year is None or r.year == year]
        return min(rows, key=lambda r: r.key) if rows else None

    def agency_year(self, year: int | None, stub: bool | None) -> ReportState | None:
        if year is None:
            return None
        rows = [r for r in self.reports.values() if r.year == year and (stub is None or r.stub == stub)]
        return min(rows, key=lambda r: r.key) if rows else None

    def near(self) -> tuple[ReportState | None, bool]:
        inc = self._inc
        key = self._near.get(inc.sha if inc else "")
        if key:
            return self.reports.get(key), True
        if inc is None or self.family is None:
            return None, False
        fam = self.family(inc.sha)
        rows = [r for r in self.reports.values() if not r.stub
                and (inc.year is None or r.year is None or r.year == inc.year)
                and any(not v.flagged and self.family(v.sha) == fam for v in r.versions)]
        return (min(rows, key=lambda r: r.key), True) if rows else (None, False)

    # Apply
    def add(self, inc: Incoming, near_of: str = "") -> Decision:
        """Place and decide ``inc``; ``near_of``: the sha of a stored text ``inc`` nearly repeats."""
        self._inc = inc
        if near_of:
            for r in self.reports.values():
                if any(v.sha == near_of for v in r.versions):
                    self._near[inc.sha] = r.key
        prior = place(inc, self)
        d = decide(prior, inc)
        self.apply(prior, inc, d)
        return d

    def apply(self, prior: Prior, inc: Incoming, d: Decision) -> None:
        if d.outcome == "out-of-seed":
            self.out_of_seed.add(inc.url)
        if d.outcome in ("list", "out-of-seed"):
            return
        if d.new_report:
            row = ReportState(key=inc.identity or f"u|{inc.url}", agency="", year=inc.year, state=d.state,
                              source_url=inc.url, stub=d.stub, first_run=inc.run,
                              hosts=self.hosts)
        else:
            assert prior.report is not None
            row = self.reports[prior.report.key]
        versions = list(row.versions)
        sightings = {s.url: s for s in row.sightings}
        if d.replace_first:
            versions = [VersionState(1, inc.sha, inc.spam, inc.url)]
        elif d.add_version or d.new_report:
            n = max((v.n for v in versions), default=0) + 1
            versions.append(VersionState(n, inc.sha, inc.spam, inc.url))
        if d.sighting in ("add", "update"):
            old = sightings.get(inc.url)
            removed = False if d.restore_sighting or old is None else old.removed
            sightings[inc.url] = SightingState(inc.url, inc.sha, removed, inc.via or (old.via if old else ""))
        year = row.year if row.year is not None else inc.year
        if d.replace_first and not d.stub:
            year = inc.year if inc.year is not None else row.year
        row = replace(row, state=d.state or row.state, stub=d.stub, versions=tuple(versions), year=year,
                      sightings=tuple(sorted(sightings.values(), key=lambda s: s.url)),
                      source_url=d.source_url or row.source_url)
        self.reports[row.key] = row
        if inc.identity and (d.new_report or (d.replace_first and not d.stub)):
            self.identities[inc.identity] = row.key

    def snapshot(self) -> dict[tuple[int | None, str], tuple[str, tuple[str, ...], tuple[str, ...], bool]]:
        """The archive as a reader sees it: per (year, source) the versions' texts, the URLs, the stub flag."""
        return {(r.year, r.source_url): (r.state, tuple(v.sha for v in sorted(r.versions, key=lambda v: v.n)),
                                         tuple(s.url for s in r.sightings), r.stub)
                for r in self.reports.values()}


def fold(docs: Iterable[Incoming], hosts: tuple[str, ...] = (),
         family: Callable[[str], str] | None = None) -> Ledger:
    ledger = Ledger(hosts=hosts, family=family)
    for inc in docs:
        ledger.add(inc)
    return ledger
