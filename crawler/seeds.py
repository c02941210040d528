"""Seed lists: CSV of agencies to crawl, validated row by row.

Columns (header row required): ``agency,url[,region,level,domains,render]``.

* ``domains``: hosts the crawl may stay on, separated by ``;`` or spaces; default is the URL's host.
* ``level``: the administrative tier of the agency — one of ``LEVELS`` (or its English name in
  ``LEVEL_ALIASES``) or empty.
  国家 (central), 省 (province / municipality directly under the central government), 市 (prefecture
  city), 县 (county, district, county-level city), 乡 (township, town, sub-district), 部门 (an
  agency whose tier is not recorded). A department takes the tier of its government (a 市人社局 is 市).
* ``render``: ``js`` forces the browser for the site's list pages; empty lets the spider decide.
* Lines starting with ``#`` and blank lines are ignored.

Every bad row gives one error line ``<source>:<line>: <what is wrong>`` and is skipped; the good
rows are still returned, so one typo never stops a crawl of a long list.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from urllib.parse import urlsplit

from crawler.model import Seed

log = logging.getLogger(__name__)

COLUMNS = ("agency", "url", "region", "level", "domains", "render")
REQUIRED = ("agency", "url")
LEVELS = ("国家", "省", "市", "县", "乡", "部门")
# English names are accepted too and stored as the Chinese tier.
LEVEL_ALIASES = {
    "national": "国家",
    "central": "国家",
    "province": "省",
    "provincial": "省",
    "city": "市",
    "prefecture": "市",
    "county": "县",
    "district": "县",
    "township": "乡",
    "town": "乡",
    "department": "部门",
}
RENDERS = ("", "js")


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _check_url(url: str) -> str:
    """Error text for a bad seed URL, "" when fine."""
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError as exc:
        return f"url {url!r} is malformed ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"url {url!r} is not http(s)"
    if not parts.hostname:
        return f"url {url!r} has no host"
    if not port_ok:
        return f"url {url!r} has a bad port"
    if any(ch.isspace() for ch in url):
        return f"url {url!r} contains spaces"
    return ""


def _uncommented(text: str) -> list[tuple[int, str]]:
    return [
        (n, line)
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def parse_seeds(text: str, source: str = "<string>") -> tuple[list[Seed], list[str]]:
    """Seeds and one error line per bad row (``source:line: message``). Never raises."""
    errors: list[str] = []
    # rows are parsed one physical line at a time so error line numbers stay exact around comments
    # (a quoted field may not span lines — agency names and URLs never need to)
    rows = _uncommented(text.lstrip("\ufeff"))
    if not rows:
        return [], [f"{source}: no header row (expected {','.join(COLUMNS)})"]
    header_no, header_line = rows[0]
    header = [h.strip().lower() for h in next(csv.reader([header_line]))]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        what = "; ".join(
            x
            for x in (
                f"missing column(s) {', '.join(missing)}" if missing else "",
                f"unknown column(s) {', '.join(unknown)}" if unknown else "",
            )
            if x
        )
        return [], [f"{source}:{header_no}: bad header: {what} (expected {','.join(COLUMNS)})"]

    seeds: list[Seed] = []
    seen_agency: dict[str, int] = {}
    seen_url: dict[str, int] = {}
    for line_no, line in rows[1:]:
        try:
            values = next(csv.reader([line]))
        except csv.Error as exc:
            errors.append(f"{source}:{line_no}: unreadable csv row ({exc})")
            continue
        if len(values) > len(header):
            errors.append(f"{source}:{line_no}: {len(values)} fields, header has {len(header)}")
            continue
        row = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
        row["level"] = LEVEL_ALIASES.get(row.get("level", "").lower(), row.get("level", ""))
        error = _row_error(row, seen_agency, seen_url)
        if error:
            errors.append(f"{source}:{line_no}: {error}")
            continue
        seen_agency[row["agency"]] = line_no
        seen_url[row["url"].rstrip("/").lower()] = line_no
        domains = tuple(d.lower() for d in row.get("domains", "").replace(";", " ").split()) or (
            _host(row["url"]),
        )
        seeds.append(
            Seed(
                agency=row["agency"],
                url=row["url"],
                region=row.get("region", ""),
                level=row.get("level", ""),
                domains=domains,
                render=row.get("render", "").lower(),
            )
        )
    for err in errors:
        log.warning("seed list: %s", err)
    return seeds, errors


def _row_error(row: dict[str, str], seen_agency: dict[str, int], seen_url: dict[str, int]) -> str:
    agency, url = row.get("agency", ""), row.get("url", "")
    if not agency:
        return "agency is empty"
    if not url:
        return "url is empty"
    bad_url = _check_url(url)
    if bad_url:
        return bad_url
    level = row.get("level", "")
    if level and level not in LEVELS:
        return f"level {level!r} is not one of {', '.join(LEVELS)} (or empty)"
    render = row.get("render", "").lower()
    if render not in RENDERS:
        return f"render {row.get('render')!r} must be 'js' or empty"
    for domain in row.get("domains", "").replace(";", " ").split():
        if "/" in domain or ":" in domain or "." not in domain:
            return f"domain {domain!r} is not a host name"
    if agency in seen_agency:
        return f"duplicate agency {agency!r} (first on line {seen_agency[agency]})"
    key = url.rstrip("/").lower()
    if key in seen_url:
        return f"duplicate url {url!r} (first on line {seen_url[key]})"
    return ""


def load_seeds(path: str | Path) -> tuple[list[Seed], list[str]]:
    """Read a seed CSV (UTF-8, BOM tolerated; GB18030 as a fallback for Excel exports)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        return [], [f"{p}: cannot read seed file ({exc.strerror or exc})"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            return [], [f"{p}: not UTF-8 or GB18030 text"]
    return parse_seeds(text, source=p.name)


__all__ = ["COLUMNS", "LEVELS", "load_seeds", "parse_seeds"]
