"""The five real seed texts turned back into report bodies with real spanned tables.

The seed texts are what a generic extractor returned from the live pages (copied here from the
shared seeds folder so a clean clone has them). Their page chrome (bylines, footers) is cut off
here and re-created by the site's own chrome; every word of the report body is kept, including
the seeds' own mistakes (misnumbered rows, a find-and-replace accident, sums that do not add up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.portal.reportgen import Block, Doc, Heading
from tests.portal.tables import (
    build_simple,
    build_t2,
    build_t3,
    build_t4,
    parse_t2,
    parse_t3,
    parse_t4,
    tokens,
)

SEED_DIR = Path(__file__).with_name("seedtexts")
_HEADING = re.compile(r"^[一二三四五六七八九十]、")
_NUMERIC = re.compile(r"^[\d,.]+$")
_UNITS = {"条", "人次", "件", "个", "人", "万元", "元"}


@dataclass(frozen=True)
class SeedMeta:
    file: str
    agency: str
    year: int
    fmt: str
    title: str
    published: str  # "YYYY-MM-DD HH:MM"
    drop_head: int = 0  # chrome lines at the top
    stop_at: str | None = None  # first chrome line at the bottom


SEEDS: dict[str, SeedMeta] = {
    "000": SeedMeta("laoshan_2019.txt", "青岛市崂山区人力资源和社会保障局", 2019, "2019",
                    "青岛市崂山区人力资源和社会保障局2019年政府信息公开工作年度报告", "2020-01-21 09:30"),
    "001": SeedMeta("jilin_2017.txt", "吉林省人力资源和社会保障厅", 2017, "legacy",
                    "bet03652017年政府信息公开工作年度报告", "2018-03-19 14:31", drop_head=5,
                    stop_at="• 责任编辑"),
    "002": SeedMeta("wulong_2021.txt", "重庆市武隆区人力资源和社会保障局", 2021, "2021",
                    "重庆市武隆区人力资源和社会保障局2021年政府信息公开工作年度报告", "2022-01-20 10:12",
                    stop_at="国务院部门网站"),
    "003": SeedMeta("hengyang_2019.txt", "衡阳市人力资源和社会保障局", 2019, "2019",
                    "衡阳市人力资源和社会保障局2019年政府信息公开工作年度报告", "2020-01-20 16:05",
                    stop_at="扫一扫在手机打开当前页"),
    "004": SeedMeta("guangzhou_2013.txt", "广州市人力资源和社会保障局", 2013, "legacy",
                    "2013年广州市人力资源和社会保障局政府信息公开年度报告", "2014-03-11 10:00", drop_head=7,
                    stop_at="相关附件"),
}

# Extra words of the seed pages that are chrome, re-used by the sites' page templates.
WULONG_FOOTER = {
    "links": ["国务院部门网站", "地方政府网站", "市政府部门网站", "区(县)政府网站", "武隆区部门街镇网站", "其他网站"],
    "copyright": "重庆市武隆区人民政府", "sponsor": "重庆市武隆区人民政府办公室",
    "id_code": "5002320015", "icp": "渝ICP备11006838号-1", "police": "渝公网安备 50023202000180号",
}


def _body_lines(meta: SeedMeta) -> list[str]:
    lines = (SEED_DIR / meta.file).read_text(encoding="utf-8").splitlines()[meta.drop_head:]
    out: list[str] = []
    for line in lines:
        if meta.stop_at and line.strip().startswith(meta.stop_at):
            break
        out.append(line)
    return out


def _table_region(lines: list[str], start: int) -> int:
    """Index just past the flattened table that starts at ``start`` (up to the next heading)."""
    i = start
    while i < len(lines) and not _is_heading(lines[i].strip()):
        i += 1
    return i


def _is_heading(line: str) -> bool:
    return bool(_HEADING.match(line)) and "|" not in line


def _modern(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            continue
        if not _is_heading(line):
            blocks.append(line)
            continue
        blocks.append(Heading(line))
        if line.startswith(("二、主动公开", "三、收到和处理", "四、政府信息公开行政复议")):
            end = _table_region(lines, i)
            toks = tokens(lines[i:end])
            if line.startswith("二"):
                blocks.append(build_t2(parse_t2(toks)))
            elif line.startswith("三"):
                fmt, header, labels, rows = parse_t3(toks)
                blocks.append(build_t3(fmt, rows, labels, header))
            else:
                header, values = parse_t4(toks)
                blocks.append(build_t4(values, header))
            i = end
    return blocks


def _annex(lines: list[str]) -> list[Block]:
    """Guangzhou's 附表1–4: caption lines, a header of 指标/单位/数量, rows of label [unit] value."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            continue
        if not line.startswith("附表"):
            blocks.append(line)
            continue
        while i < len(lines) and not lines[i].strip():
            i += 1
        caption = lines[i].strip() if i < len(lines) else ""
        blocks.append(line)
        i += 1
        j = i
        while j < len(lines) and not lines[j].strip().startswith("附表"):
            j += 1
        toks = [t.strip() for t in lines[i:j] if t.strip()]
        header: list[str] = []
        while toks and toks[0] in ("指标", "单位", "数量"):
            header.append(toks.pop(0))
        rows: list[list[str]] = []
        for tok in toks:
            if _NUMERIC.match(tok) or tok in _UNITS:
                rows[-1].append(tok)
            else:
                rows.append([tok])
        if len(header) == 3:  # blank 单位 cells were dropped by the flattening
            rows = [r if len(r) == 3 else [r[0], "", *r[1:]] for r in rows]
        blocks.append(caption)
        blocks.append(build_simple(header, rows))
        i = j
    return blocks


def load_seed(key: str) -> Doc:
    meta = SEEDS[key]
    lines = _body_lines(meta)
    if meta.fmt != "legacy":
        return Doc(meta.title, _modern(lines), meta.fmt, meta.year)
    blocks: list[Block] = []
    stripped = [ln.strip() for ln in lines]
    annex_at = next((n for n, ln in enumerate(stripped) if ln.startswith("八、说明与附表")), len(lines))
    for line in stripped[:annex_at]:
        if line:
            blocks.append(Heading(line) if _HEADING.match(line) or line == "引  言" else line)
    if annex_at < len(lines):
        blocks.append(Heading(stripped[annex_at]))
        blocks.extend(_annex(lines[annex_at + 1:]))
    return Doc(meta.title, blocks, meta.fmt, meta.year)
