"""The HTML path: parse, drop hidden and injected blocks, pick the body, serialise it to lines."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from lxml import etree

from crawler.extract import spam as spamlib
from crawler.extract import widgets
from crawler.extract.flatten import flatten
from crawler.extract.tables import Slot, clean_ws, slots_to_lines, table_rows, table_slots
from crawler.model import Removed, Spam, Table

log = logging.getLogger(__name__)

_DROP_TAGS = ("script", "style", "noscript", "template", "noframes", "head", "object", "embed", "svg", "canvas",
              "select", "option", "button", "input", "textarea", "nav")
_BLOCK = frozenset(
    ["p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
     "section", "article", "aside", "blockquote", "pre", "center", "header", "footer", "main", "address", "caption",
     "hr", "figure", "figcaption", "marquee"]
)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$|!)|"
    r"(?:left|top|text-indent|margin-left)\s*:\s*-\d{3,}|(?:^|;)\s*(?:height|width)\s*:\s*0(?:px)?\s*;[^\"]*overflow\s*:\s*hidden|"
    r"opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)",
    re.I,
)
_HIDING_HINTS = ("none", "hidden", "font-size", ":-", "opacity")
# Known gov CMS body containers, best first: (attribute, lower-cased token).
CONTAINERS: list[tuple[str, str]] = [
    ("id", "ucap-content"), ("class", "trs_editor_view"), ("class", "trs_editor"), ("class", "trs_ueditor"),
    ("id", "ivs_content"), ("id", "zoom"), ("id", "fontzoom"), ("class", "article-content"), ("class", "article_content"),
    ("id", "webeditorview"), ("class", "jgzn_content"), ("class", "wordsection1"), ("class", "section1"),
    ("class", "xl_main"), ("class", "bt_content"), ("id", "js_content"),
]
_RANK = {key: i for i, key in enumerate(CONTAINERS)}
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,2}\s*[、.．]|引\s*言|概\s*述|前\s*言)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
TRAFILATURA_MAX_CHARS = 150_000
# libxml2's message when it stops at its nesting limit; matched on the text because the error code
# has changed between releases (ERR_RESOURCE_LIMIT in 2.14)
_DEPTH_ERROR = "Excessive depth in document"


@dataclass
class PageResult:
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    method: str = "fallback"
    meta: dict[str, str] = field(default_factory=dict)
    page_title: str = ""
    h1: str = ""
    full_text: str = ""  # whole visible page, for site identity in the footer
    gkmlpt: dict[str, str] = field(default_factory=dict)


# A browser reads on past "</body>" and "</html>" (content after them joins the body); libxml2 stops
# there and drops the rest. Server-side includes leave such tags mid-page (a header fragment with
# its own "</html>" before the article), so they go before parsing.
_DOC_END = re.compile(r"</(?:body|html)\s*>", re.I)


def parse_html(text: str) -> etree._Element | None:
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    text = _DOC_END.sub("", text)
    if not text.strip():
        return None
    root, too_deep = _parse(text)
    if too_deep:
        # libxml2 stopped at its depth limit and dropped the rest of the page, without raising:
        # parse again a copy whose excess nesting is gone (only such pages pay for the second pass)
        root, _ = _parse(flatten(text))
    return root


def _parse(text: str) -> tuple[etree._Element | None, bool]:
    """(root, whether libxml2 hit its nesting limit: its error log is the only trace of it)."""
    # plain etree elements: lxml.html's element-class lookup costs more than the whole body selection
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, False
    return root, any(_DEPTH_ERROR in e.message for e in parser.error_log)


def text_of(el: etree._Element) -> str:
    text: str = etree.tostring(el, method="text", encoding="unicode", with_tail=False)  # unicode -> str
    return text


def read_meta(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or el.get("http-equiv") or "").strip().lower()
        content = clean_ws(el.get("content") or "")
        if name and content and name not in meta:
            meta[name] = content
    return meta


def _gkmlpt_detail(root: etree._Element) -> dict[str, str]:
    """Guangdong gkmlpt detail pages carry the article in ``window._CONFIG = {… DETAIL: {json}}``."""
    for script in root.iter("script"):
        code = script.text or ""
        if "_CONFIG" not in code or "DETAIL" not in code:
            continue
        m = re.search(r"DETAIL\s*:\s*\{", code)
        if not m:
            continue
        try:
            detail, _ = json.JSONDecoder().raw_decode(code[m.end() - 1 :])
        except ValueError:
            continue
        if isinstance(detail, dict) and detail.get("content"):
            return {k: str(v) for k, v in detail.items() if isinstance(v, str | int | float)}
    return {}


def _hidden_style_selectors(root: etree._Element) -> list[str]:
    """Class / id selectors that a page's own <style> hides (injected links often hide this way)."""
    selectors = []
    for style in root.iter("style"):
        for selector, body in css_rules(style.text or ""):
            if _HIDDEN_STYLE.search(body):
                for sel in selector.split(","):
                    sel = sel.strip()
                    if re.fullmatch(r"[.#][\w-]+", sel):
                        selectors.append(sel)
    return selectors


def css_rules(css: str) -> list[tuple[str, str]]:
    """``(selector, declarations)`` of each ``selector{declarations}`` in a style sheet, as the
    pattern ``([^{}]+)\\{([^}]*)\\}`` finds them, in linear time: that pattern backtracks
    quadratically over a long run without braces (a cut-off Word style sheet took 20 s)."""
    rules = []
    for chunk in css.split("}")[:-1]:  # a rule ends at a "}"; the text after the last one is none
        start = 0
        while (brace := chunk.find("{", start)) >= 0:
            if brace > start:  # the selector: the brace-free run right before this "{"
                rules.append((chunk[start:brace], chunk[brace + 1 :]))
                break
            start = brace + 1
    return rules


def _is_hidden(el: etree._Element, names: list[str], hidden_classes: set[str], hidden_ids: set[str],
               styles: dict[str, bool]) -> bool:
    """``names``: the element's attribute names; ``styles``: the verdict on each style attribute seen so
    far on the page (a Word export sets a handful of styles on thousands of spans)."""
    if "hidden" in names or ("aria-hidden" in names and el.get("aria-hidden") == "true"):
        return True
    style = el.get("style") if "style" in names else None
    if style:
        hides = styles.get(style)
        if hides is None:
            hides = styles[style] = _hiding_style(style)
        if hides:
            return True
    if hidden_classes and set((el.get("class") or "").split()) & hidden_classes:
        return True
    return bool(hidden_ids and el.get("id") in hidden_ids)


def _hiding_style(style: str) -> bool:
    # cheap substring test first: most styles (widths, paddings) cannot hide anything
    low = style.lower().replace(" ", "")
    return any(k in low for k in _HIDING_HINTS) and _HIDDEN_STYLE.search(style) is not None


def strip_page(root: etree._Element, url: str, spam: Spam, removed: list[Removed], selectors: list[str]) -> None:
    """Remove hidden, framed and injected blocks (whole), recording what each carried and why.

    Spam only on the words (crawler.extract.spam): a hidden or framed block, or a visible off-site
    link, is flagged when its text or anchor texts are spam; otherwise it is chrome, removed under
    the reason crawler.extract.widgets names (share, credit, widget, …).
    ``selectors``: class/id selectors the page's own <style> hides (read before <style> is dropped).
    """
    page_host = widgets.real_host(url)
    body = root.find("body")
    if body is None:
        return
    doomed = _hidden_blocks(body, selectors) + _spam_banners(body, page_host)
    seen: set[int] = set()
    for el, why in doomed:
        if id(el) in seen or any(id(anc) in seen for anc in el.iterancestors()):
            continue
        if _remove_block(el, why, page_host, spam, removed):
            seen.add(id(el))
            _drop(el)


def _hidden_blocks(body: etree._Element, selectors: list[str]) -> list[tuple[etree._Element, str]]:
    """Hidden elements, frames and share bars, each with why it is a candidate."""
    hidden_classes = {s[1:] for s in selectors if s[0] == "."}
    hidden_ids = {s[1:] for s in selectors if s[0] == "#"}
    styles: dict[str, bool] = {}
    doomed: list[tuple[etree._Element, str]] = []
    for el in body.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in ("html", "body"):
            continue
        names = el.keys()  # one call instead of an attribute lookup per test: this loop sees every element
        if _is_hidden(el, names, hidden_classes, hidden_ids, styles):
            doomed.append((el, "hidden"))
        elif tag in ("marquee", "iframe", "frame"):
            doomed.append((el, "frame"))
        elif ("class" in names or "id" in names) and _is_share_bar(el) and not _contains_container(el):
            doomed.append((el, "share"))
    return doomed


def _is_share_bar(el: etree._Element) -> bool:
    return _SHARE_BAR.search(" ".join(filter(None, [el.get("class"), el.get("id")]))) is not None


def _spam_banners(body: etree._Element, page_host: str) -> list[tuple[etree._Element, str]]:
    """Spam banners: a small visible block whose text is spam and which links off the gov web."""
    doomed: list[tuple[etree._Element, str]] = []
    for a in body.iter("a"):
        # the link test first: it is the cheaper one, and most links stay on the site or the gov web
        if not widgets.foreign_links(a, page_host) or not spamlib.has_spam(" ".join(widgets.anchor_texts(a))):
            continue
        block = a
        while True:
            parent = block.getparent()
            if parent is None or parent.tag in ("body", "html") or _contains_container(parent):
                break
            if len(clean_ws(text_of(parent))) > 400:
                break
            block = parent
        doomed.append((block, "banner"))
    return doomed


def _remove_block(el: etree._Element, why: str, page_host: str, spam: Spam, removed: list[Removed]) -> bool:
    """Record what a candidate block carried and why it goes; False when it stays (a hidden body,
    a frame with no off-site links)."""
    text = clean_ws(text_of(el))
    links = widgets.foreign_links(el, page_host)
    # the advertised words: anchor texts name them one link at a time; else the block's text
    words = spamlib.spam_terms(" | ".join(widgets.anchor_texts(el))) or spamlib.spam_terms(text)
    if why == "hidden" and _hidden_body(el, text):
        return False
    if words:
        kind = "hidden-link" if why == "hidden" else "spam-banner"
        hosts = " ".join(links[:5])
        spamlib.add_finding(spam, f"{widgets.describe(el)}: {', '.join(words[:8])}" + (f" → {hosts}" if hosts else ""), kind)
        removed.append(Removed(text[:200] or " ".join(links[:3]), "spam" if why == "hidden" else "spam-banner"))
    elif why == "frame" and not links:
        return False  # a gov PDF viewer iframe or a news ticker of the site's own links
    elif text or links:
        removed.append(Removed(text[:200] or " ".join(links[:3]), widgets.chrome_kind(el, text, links)))
    return True


# Share bars are chrome wherever they sit, visible or not (a bShare bar inside the article container).
_SHARE_BAR = re.compile(r"bshare|jiathis|bdshare", re.I)


def _hidden_body(el: etree._Element, text: str) -> bool:
    """A CMS body container hidden for a script to reveal (some TRS templates do): keep it."""
    if len(_CJK.findall(text[:2000])) < 200 or spamlib.has_spam(text):
        return False
    return _container_key(el) is not None or _contains_container(el)


def _contains_container(el: etree._Element) -> bool:
    return any(isinstance(d.tag, str) and _container_key(d) is not None for d in el.iter())


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:  # keep the text that followed the removed element
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _container_key(el: etree._Element) -> tuple[str, str] | None:
    best = None
    el_id = (el.get("id") or "").lower()
    if el_id and ("id", el_id) in _RANK:
        best = ("id", el_id)
    for cls in (el.get("class") or "").lower().split():
        key = ("class", cls)
        if key in _RANK and (best is None or _RANK[key] < _RANK[best]):
            best = key
    return best


def _text_size(el: etree._Element) -> int:
    """Length of the text, or 0 when it holds fewer than 10 Chinese characters (an empty shell)."""
    text = text_of(el)
    return len(text) if _cjk_at_least(text[:4000], 10) else 0


def _cjk_at_least(text: str, n: int) -> bool:
    """Whether ``text`` holds ``n`` Chinese characters; stops counting at the n-th."""
    return next(islice(_CJK.finditer(text), n - 1, None), None) is not None


def find_container(body: etree._Element) -> etree._Element | None:
    """The best-ranked known container among those holding a fair share of the page's container text."""
    candidates = []
    # the verdict on each (id, class) pair seen: a page repeats a few (Word's MsoNormal on every <p>)
    keys: dict[tuple[str | None, str | None], tuple[str, str] | None] = {}
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        attrs = (el.get("id"), el.get("class"))
        if attrs == (None, None):
            continue
        if attrs not in keys:
            keys[attrs] = _container_key(el)
        key = keys[attrs]
        if key is not None and (n := _text_size(el)):
            candidates.append((_RANK[key], -n, el))
    if not candidates:
        return None
    largest = -min(c[1] for c in candidates)
    # a small sidebar block with a high-ranked class must not beat the real body
    fair = [c for c in candidates if -c[1] >= 0.3 * largest]
    fair.sort(key=lambda c: (c[0], c[1]))
    return fair[0][2]


def find_by_headings(body: etree._Element) -> etree._Element | None:
    """Old layout-table pages: the smallest element holding the report's own section headings."""
    heads = []
    # whether a table is data, judged only for tables that hold a heading (judging reads every cell)
    data_tables: dict[etree._Element, bool] = {}
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("a", "option", "li"):
            continue
        own = clean_ws(el.text or "")
        if own and _HEADING.match(own) and len(own) < 60:
            # 表三's row labels (一、本年新收…) are not section headings
            if any(_is_data_table(t, data_tables) for t in el.iterancestors("table")):
                continue
            heads.append(el)
    numbered = [h for h in heads if re.match(r"\s*[一二三四五六七八九十]", h.text or "")]
    if len(numbered) < 2:
        return None
    common = list(heads[0].iterancestors())
    for h in heads[1:]:
        ancestors = set(h.iterancestors())
        common = [a for a in common if a in ancestors]
    if not common:
        return None
    node = common[0]
    # a heading cell of a layout table: take the whole row group rather than one cell
    return node if node.tag not in ("tr",) else node.getparent()


def _is_data_table(table: etree._Element, verdicts: dict[etree._Element, bool]) -> bool:
    if table not in verdicts:
        verdicts[table] = not _is_layout_table(table)
    return verdicts[table]


def _is_layout_table(table: etree._Element, slots: list[list[Slot]] | None = None) -> bool:
    """Tables used for page layout (nested tables, one column, long prose cells) are not data."""
    if table.find(".//table") is not None:
        return True
    rows = table_rows(table)
    if not rows:
        return True
    width = max(len([c for c in r if isinstance(c.tag, str) and c.tag in ("td", "th")]) for r in rows)
    if width <= 1:
        return True
    if slots is None:
        slots = table_slots(table)
    return any(len(s.text) > 300 for row in slots for s in row if s.origin)


_META_LABEL = re.compile(
    r"^(?:索引号|信息索引号|发布机构|发文机关|发文日期|成文日期|发布日期|公开日期|生成日期|主题分类|组配分类|体裁分类|文号|发文字号|有效性|"
    r"时效|关键词|信息名称|名称|公开方式|公开范围|公开时限|所属机构)\s*[:：]?$"
)


def _is_metadata_table(slots: list[list[Slot]]) -> bool:
    """The 信息公开目录 metadata table (索引号 | … | 发布机构 | …) is chrome, not a report table."""
    labels = [s.text for row in slots[:4] for s in row if s.origin and _META_LABEL.match(s.text)]
    return len(labels) >= 2


def _metadata_lines(slots: list[list[Slot]]) -> list[str]:
    """"label：value" lines so the byline filter can harvest and drop them."""
    lines = []
    for row in slots:
        cells = [s.text for s in row if s.origin and s.text]
        parts, i = [], 0
        while i < len(cells):
            if _META_LABEL.match(cells[i]) and i + 1 < len(cells) and not _META_LABEL.match(cells[i + 1]):
                parts.append(cells[i].rstrip(":：") + "：" + cells[i + 1])
                i += 2
            else:
                parts.append(cells[i])
                i += 1
        lines.append(" ".join(parts))
    return lines


def serialize(root: etree._Element) -> tuple[list[str], list[Table]]:
    """Body element → text lines (paragraph per line, table row per line) and table grids."""
    lines: list[str] = []
    tables: list[Table] = []
    buf: list[str] = []
    # Iterative, not recursive: a page of 10,000 nested <div>s must not exhaust the stack.
    stack: list[tuple[str, Any]] = [("enter", root)]
    while stack:
        op, item = stack.pop()
        if op == "text":
            buf.append(item)
            continue
        if op == "exit":
            _flush(buf, lines)
            continue
        el = item
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:
            continue
        if tag == "table" and _serialize_table(el, buf, lines, tables):
            continue
        if tag in _BLOCK or tag == "table":
            _flush(buf, lines)
            stack.append(("exit", el))
        if el.text:
            buf.append(el.text)
        for child in reversed(el):
            if child.tail:
                stack.append(("text", child.tail))
            stack.append(("enter", child))
    _flush(buf, lines)
    return lines, tables


def _flush(buf: list[str], lines: list[str]) -> None:
    """The text gathered since the last block boundary becomes one line (when it is not blank)."""
    text = clean_ws("".join(buf))
    buf.clear()
    if text:
        lines.append(text)


def _serialize_table(el: etree._Element, buf: list[str], lines: list[str], tables: list[Table]) -> bool:
    """A data table's rows as lines (and its grid); False for a layout table, read as blocks."""
    slots = table_slots(el) if el.find(".//table") is None else None
    if _is_layout_table(el, slots):
        return False
    _flush(buf, lines)
    slots = slots or []
    if slots and _is_metadata_table(slots):
        lines.extend(_metadata_lines(slots))
    elif slots:
        if len(slots[0]) > 1:
            tables.append(Table(rows=[[s.text for s in row] for row in slots]))
        lines.extend(slots_to_lines(slots))
    return True


def _drop_tags(root: etree._Element) -> None:
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            _drop(el)


def process(root: etree._Element, url: str, spam: Spam, removed: list[Removed], warnings: list[str]) -> PageResult:
    result = PageResult(meta=read_meta(root))
    title_el = root.find(".//title")
    result.page_title = clean_ws(text_of(title_el)) if title_el is not None else ""
    result.gkmlpt = _gkmlpt_detail(root)
    selectors = _hidden_style_selectors(root)
    _drop_tags(root)
    strip_page(root, url, spam, removed, selectors)
    body = root.find("body")
    if body is None:
        body = root
    # spaces kept: footer fields are separated by them ("版权所有：XX人民政府 地址：…")
    result.full_text = re.sub(r"[\s\u00a0\u3000]+", " ", text_of(body)).strip()
    # the article heading, not a logo <h1> holding the site name: prefer one that names a report
    heads = [clean_ws(text_of(h)) for h in body.iter("h1", "h2")]
    heads = [h for h in heads if 4 <= len(h) <= 120]
    result.h1 = next((h for h in heads if re.search(r"报告|年报", h)), "")

    if result.gkmlpt:
        frag = parse_html("<html><body>" + result.gkmlpt["content"] + "</body></html>")
        if frag is not None:
            frag_selectors = _hidden_style_selectors(frag)
            _drop_tags(frag)
            strip_page(frag, url, spam, removed, selectors + frag_selectors)
            result.lines, result.tables = serialize(frag.find("body"))
            result.method = "container"
            return result
    node = find_container(body)
    if node is not None:
        result.method = "container"
    else:
        node = find_by_headings(body)
        result.method = "headings" if node is not None else result.method
    if node is not None:
        result.lines, result.tables = serialize(node)
        return result
    if len(result.full_text) > TRAFILATURA_MAX_CHARS:
        # trafilatura takes minutes on multi-megabyte pages; keep the whole body instead
        body_lines, result.tables = serialize(body)
        result.lines, result.method = body_lines, "fallback"
        warnings.append("no body container found on a very large page; kept the whole page")
        return result
    result.lines, result.tables, result.method = _trafilatura(root, warnings)
    return result


def _table_key(table: etree._Element) -> str:
    return re.sub(r"\s+", "", text_of(table))


def _restore_tables(frag: etree._Element, root: etree._Element) -> None:
    """trafilatura keeps a table's text but drops rowspan/colspan; put the page's own table back."""
    tables = list(frag.iter("table"))
    if not tables:
        return
    originals = {_table_key(t): t for t in root.iter("table") if t.find(".//table") is None}
    for table in tables:
        original = originals.get(_table_key(table))
        parent = table.getparent()
        if original is not None and parent is not None:
            clone = etree.fromstring(etree.tostring(original, method="html", with_tail=False), etree.HTMLParser())
            clone = clone.find(".//table")
            if clone is not None:
                clone.tail = table.tail
                parent.replace(table, clone)


def _trafilatura(root: etree._Element, warnings: list[str]) -> tuple[list[str], list[Table], str]:
    """No container and no headings: let trafilatura choose, then serialise its choice ourselves."""
    try:
        import trafilatura

        out = trafilatura.extract(
            etree.tostring(root, method="html", encoding="unicode"), include_tables=True, favor_recall=True,
            output_format="html", include_comments=False,
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura raises assorted errors on odd pages
        log.warning("trafilatura failed: %s", exc)
        out = None
    if out:
        frag = parse_html(out)
        if frag is not None:
            _restore_tables(frag, root)
            lines, tables = serialize(frag.find("body") if frag.find("body") is not None else frag)
            if lines:
                return lines, tables, "trafilatura"
    body = root.find("body")
    lines, tables = serialize(body if body is not None else root)
    warnings.append("no body container found; kept the whole page")
    return lines, tables, "fallback"
