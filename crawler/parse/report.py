"""CleanDocument → Report: metadata, sections, tables 二/三/四 (grids first, text otherwise), checks."""

from __future__ import annotations

import logging
from collections.abc import Callable

from crawler.model import CleanDocument, Report
from crawler.parse import checks, locate, meta
from crawler.parse.legacy import legacy_figures
from crawler.parse.sections import split_sections
from crawler.parse.tables import Parsed, parse_proactive, parse_requests, parse_review
from crawler.parse.textchecks import format_check, text_checks

log = logging.getLogger(__name__)

# Real reports are < 300 kB of text; beyond this the rest is not read (bounded time on junk input).
MAX_TEXT = 2_000_000


def _first_found(
    candidates: list[locate.Located], run: Callable[[locate.Located], Parsed]
) -> Parsed:
    """Parse the grid first, the text when the grid gave nothing (e.g. an unrelated grid matched)."""
    result = Parsed()
    for located in candidates:
        result = run(located)
        if result.cells or result.blanks:
            return result
    return result


def build(doc: CleanDocument) -> Report:
    report = Report()
    text = doc.text or ""
    if len(text) > MAX_TEXT:
        report.warnings.append(f"text of {len(text)} characters; only the first {MAX_TEXT} were parsed")
        text = text[:MAX_TEXT]
    lines = text.splitlines()
    report.title = meta.find_title(doc.title or "", lines)
    report.published = meta.find_published(doc.published, lines)
    report.year = meta.find_year(report.title, lines, report.published)
    report.agency = meta.find_agency(report.title, lines, doc.agency, doc.site.name if doc.site else None)
    report.sections, headings = split_sections(lines)

    grids = locate.from_grids(doc.tables or [])
    flat = locate.from_lines(lines, headings)
    found = {k: [x for x in (grids.get(k), flat.get(k)) if x is not None] for k in ("t2", "t3", "t4")}
    era = meta.find_era([x.header for k in ("t2", "t3") for x in found[k]])

    def requests_as(era_name: str) -> Parsed:
        return _first_found(found["t3"], lambda t: parse_requests(t.records, t.header, era_name, t.grid))

    requests = requests_as(era or "2021")
    if era is None and requests.cells:  # the table's own shape decides when table 二 said nothing
        era = requests.era_hint or ("2021" if (report.year or 0) >= 2021 else "2019")
        requests = requests_as(era)
    if era is None:
        era = "legacy"
    report.format = era
    warning = meta.era_warning(era, report.year, bool(doc.tables))
    if warning:
        report.warnings.append(warning)

    if era == "legacy":
        _read_legacy(report, lines, text)
    else:
        _read_tables(report, found, requests, era, warning)
    return report


def _read_legacy(report: Report, lines: list[str], text: str) -> None:
    """A report before the 2019 tables: the figures its prose gives."""
    report.legacy_figures = legacy_figures(lines, text)
    report.checks = checks.legacy_checks(report.legacy_figures)
    if not report.legacy_figures and not report.sections:
        report.warnings.append("no tables, sections or figures found")


def _read_tables(
    report: Report, found: dict[str, list[locate.Located]], requests: Parsed, era: str, warning: str | None
) -> None:
    """Tables 二 and 四 read in ``era``'s shape beside 三 (already read), their warnings and the checks."""
    proactive = _first_found(found["t2"], lambda t: parse_proactive(t.records, t.header, era, t.grid))
    review = _first_found(found["t4"], lambda t: parse_review(t.records, t.grid))
    for name, part in (("表二", proactive), ("表三", requests), ("表四", review)):
        report.warnings.extend(part.warnings)
        if not part.located:
            report.warnings.append(f"{name} not found")
        elif not part.cells and not part.blanks:
            report.warnings.append(f"{name}: no values found")
        elif part.blanks:
            report.warnings.append(f"{name}: {part.blanks} blank cells stored as null")
    report.proactive = proactive.data if proactive.located else {}
    report.review_litigation = review.data if review.located else {}
    if requests.located:
        requests.data["blank_means_zero"] = checks.blank_means_zero(requests.data, requests.blanks)
        report.requests = requests.data
    report.checks = (
        checks.proactive_checks(report.proactive, era)
        + checks.request_checks(report.requests)
        + checks.review_checks(report.review_litigation)
        + text_checks(report.sections, report.requests, report.review_litigation)
        + format_check(warning)
    )


def parse_document(doc: CleanDocument) -> Report:
    try:
        return build(doc)
    except Exception as exc:  # a parser bug must not stop the pipeline; keep what metadata we can
        log.exception("parse failed for %s", doc.url or doc.title or "document")
        report = Report(title=doc.title or "", published=doc.published)
        report.warnings.append(f"parse failed: {type(exc).__name__}: {exc}")
        return report
