"""Split report text into the numbered sections 一 … 十 (plus an unnumbered preamble)."""

from __future__ import annotations

import re

from crawler.model import Section
from crawler.parse.cells import cn_int, normalize

_HEADING = re.compile(r"^\s*[•·]?\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*(\S.{0,45}?)\s*$")
# Table-三 row labels look like headings ("一、本年新收…", "四、结转下年度…"); never section titles.
_TABLE_LABEL = re.compile(r"本年新收|上年结转|本年度办理结果|结转下年|下年度继续办理|\d+\s*$")


def find_headings(lines: list[str]) -> list[tuple[int, str, str]]:
    """(line index, number, title) of each section heading, numbers strictly increasing."""
    out: list[tuple[int, str, str]] = []
    last = 0
    for index, line in enumerate(lines):
        if len(line) > 80 or "|" in line:
            continue
        m = _HEADING.match(normalize(line))
        if not m:
            continue
        title = re.sub(r"[\s\u3000]+", "", m.group(2))
        if _TABLE_LABEL.search(title) or title.endswith(("。", "；", ";")) or "。" in title:
            continue
        number = cn_int(m.group(1))
        if number is None or number <= last:
            continue
        out.append((index, m.group(1), title))
        last = number
    return out


def split_sections(lines: list[str]) -> tuple[list[Section], list[tuple[int, str, str]]]:
    headings = find_headings(lines)
    sections: list[Section] = []
    first = headings[0][0] if headings else len(lines)
    preamble = "\n".join(line.strip() for line in lines[:first] if line.strip())
    if preamble:
        sections.append(Section("", "", preamble))
    for i, (index, number, title) in enumerate(headings):
        end = headings[i + 1][0] if i + 1 < len(headings) else len(lines)
        body = "\n".join(line.strip() for line in lines[index + 1 : end] if line.strip())
        sections.append(Section(number, title, body))
    return sections, headings
