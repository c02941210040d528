"""Report metadata: title, agency, year reported on, published date, format era."""

from __future__ import annotations

import re

from crawler.parse.cells import cn_int, normalize
from crawler.parse.labels import ERA_2019, ERA_2021

_TITLE_LINE = re.compile(r"(?:政府|政务)?信息公开.{0,8}(?:年度报告|年报|工作报告)")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度?")
_AGENCY_BEFORE = re.compile(r"^(?P<agency>[^\d]{2,40}?)\s*(?:19|20)\d{2}\s*年度?")
_AGENCY_AFTER = re.compile(r"^(?:19|20)\d{2}\s*年度?\s*(?P<agency>[^\d]{2,40}?)\s*(?:政府|政务)?信息公开")
_AGENCY_IN_TEXT = re.compile(
    r"(?:发布|公布|编制)(?P<agency>[^，。,;；\s“”《》]{2,40}?)\s*(?:19|20)\d{2}\s*年度?(?:政府|政务)?信息公开"
)
_ORGAN = re.compile(
    r"(?:局|厅|委员会|委|办公室|办公厅|办|人民政府|政府|中心|院|署|部|所|站|队|处|街道|镇|乡|馆|会|司|室)$"
)
_BAD_AGENCY = re.compile(r"[A-Za-z0-9、。：:;；]|本部门|本机关|我局|我厅|我委|我办|年度|报告|信息公开")
_PERIOD = re.compile(r"统计期限[^。\n]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_YEAR_REPORT = re.compile(r"((?:19|20)\d{2})\s*年度?[^。\n，,]{0,12}?(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)")
_YEAR_ANY = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_LINE = re.compile(r"^[（(]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?\s*[)）]?$")
_CN_DATE_LINE = re.compile(r"^[（(]?\s*([零〇○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                           r"\s*(?:([一二三四五六七八九十]{1,3})\s*日)?\s*[)）]?$")
_BYLINE_DATE = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期)\s*[:：]?\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_BARE_DATE = re.compile(r"^[•·\s]*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})\s*$")
_SPACES = re.compile(r"[\s\u3000]+")


def clean_line(line: str) -> str:
    return _SPACES.sub("", normalize(line)).strip("•·")


def find_title(title: str, lines: list[str]) -> str:
    """The given title, else the first early line that looks like a report title."""
    if title.strip():
        return _SPACES.sub(" ", title).strip()
    for line in lines[:8]:
        text = clean_line(line)
        if 8 <= len(text) <= 60 and _TITLE_LINE.search(text) and "|" not in text and "。" not in text:
            return text
    return ""


def valid_agency(name: str | None) -> str | None:
    if not name:
        return None
    name = clean_line(name).strip("，,:：")
    suffix = _ORGAN.search(name)
    if not (2 <= len(name) <= 40) or _BAD_AGENCY.search(name) or not suffix:
        return None
    if len(name[: suffix.start()].removesuffix("人民")) < 2:  # a bare "政府" / "人民政府" left by spam removal
        return None
    return name


def find_agency(title: str, lines: list[str], doc_agency: str | None, site_name: str | None) -> str | None:
    """Agency from the title, the document, a heading/byline line, a sentence, then the site name."""
    t = clean_line(title)
    for rx in (_AGENCY_BEFORE, _AGENCY_AFTER):
        m = rx.search(t)
        if m and valid_agency(m["agency"]):
            return valid_agency(m["agency"])
    if valid_agency(doc_agency):
        return valid_agency(doc_agency)
    for line in lines[:15]:
        text = clean_line(line)
        src = re.match(r"^(?:来源|信息来源|发布机构)[:：](.+)$", text)
        candidate = src.group(1) if src else text
        if len(candidate) <= 30 and valid_agency(candidate):
            return valid_agency(candidate)
    head = "\n".join(lines[:40])[:4000]
    for m in _AGENCY_IN_TEXT.finditer(normalize(head)):
        if valid_agency(m["agency"]):
            return valid_agency(m["agency"])
    # The site name is the portal's owner (a district government hosts every department's report):
    # only trusted when the report's own opening lines name it.
    site = valid_agency(site_name)
    if site and any(site in clean_line(line) for line in lines[:3]):
        return site
    return None


def find_year(title: str, lines: list[str], published: str | None) -> int | None:
    """The year reported on: title, 统计期限, "2019年度…信息公开…报告", else the commonest early year."""
    m = _YEAR_IN_TITLE.search(clean_line(title))
    if m:
        return int(m.group(1))
    head = normalize("\n".join(lines[:400]))[:20000]
    for rx in (_PERIOD, _YEAR_REPORT):
        m = rx.search(head)
        if m:
            return int(m.group(1))
    limit = int(published[:4]) if published else 9999
    counts: dict[int, int] = {}
    for m in _YEAR_ANY.finditer(head[:6000]):
        year = int(m.group(1))
        if year <= limit:
            counts[year] = counts.get(year, 0) + 1
    if counts:
        return max(counts, key=lambda y: (counts[y], y))
    return None


def _iso(year: int, month: int, day: int | None) -> str | None:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def find_published(doc_published: str | None, lines: list[str]) -> str | None:
    """doc.published, else a signing-date line ("(2020年1月20日)", "二〇一四年二月"), else a byline date.

    A signing line without a day gives an ISO month ("2014-02").
    """
    if doc_published:
        return doc_published
    head = [clean_line(line) for line in lines[:40]]
    tail = [clean_line(line) for line in lines[-15:]] if len(lines) > 40 else []
    for text in head + tail:
        m = _DATE_LINE.match(text)
        if m:
            iso = _iso(int(m[1]), int(m[2]), int(m[3]) if m[3] else None)
            if iso:
                return iso
        m = _CN_DATE_LINE.match(text)
        if m:
            year, month = cn_int(m[1]), cn_int(m[2])
            day = cn_int(m[3]) if m[3] else None
            if year and month:
                iso = _iso(year, month, day)
                if iso:
                    return iso
    for line in lines[:40]:
        text = normalize(line)
        m = _BYLINE_DATE.search(text) or _BARE_DATE.match(text)
        if m:
            iso = _iso(int(m[1]), int(m[2]), int(m[3]))
            if iso:
                return iso
    return None


def find_era(texts: list[str]) -> str | None:
    """'2019' / '2021' from table headers, None when neither header set is present."""
    hits19 = hits21 = 0
    for text in texts:
        flat = _SPACES.sub("", normalize(text))
        hits19 += len(ERA_2019.findall(flat))
        hits21 += len(ERA_2021.findall(flat))
    if not hits19 and not hits21:
        return None
    return "2021" if hits21 > hits19 else "2019"


def era_warning(era: str, year: int | None, has_tables: bool) -> str | None:
    if year is None:
        return None
    if era == "2019" and year >= 2021:
        return f"format: a {year} report uses the 2019 table format"
    if era == "2021" and year <= 2020:
        return f"format: a {year} report uses the 2021 table format"
    if era != "legacy" and year <= 2018:
        return f"format: a {year} report has {era}-format tables"
    if era == "legacy" and year >= 2019:
        return f"format: no standard tables found in a {year} report" + ("" if has_tables else " (no tables)")
    return None
