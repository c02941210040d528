"""Markup nested too deeply for libxml2, rewritten shallow enough to parse without losing text.

libxml2's HTML parser stops at 2,048 levels (huge_tree; 256 without) and silently drops the rest of
the page: 10,000 nested <div>s, or tens of thousands of never-closed <table><td><span> tags. This
pass tokenizes the page itself (no tree, no depth limit) and writes it back unchanged except that the
start and end tags of elements nested deeper than MAX_DEPTH are left out: all text stays, in order.

The tokenizer is one linear regex scan, not html.parser: on Python 3.11 html.parser takes minutes
on 1 MB of "</</</" (quadratic rescans), and this runs on pages already known to be hostile.
"""

from __future__ import annotations

import re

# Far below libxml2's 2,048, so elements it implies itself cannot push it over; far above real
# layouts (a few dozen levels, a hundred in the worst table-in-table templates).
MAX_DEPTH = 512
# A tag ends at the first ">" (not quote-aware) and cannot contain "<": every scan stops at the
# next "<" or ">", so no input makes the search quadratic. Comments run to "-->" or the end.
_TOKEN = re.compile(r"<(?:!--.*?(?:-->|\Z)|(/?)([A-Za-z][^\s/<>]*)[^<>]*>|[!?][^<>]*>)", re.S)
_VOID = frozenset(
    ["area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen",
     "link", "meta", "param", "source", "track", "wbr"]
)
_RAW_TEXT = frozenset(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"])
# A dropped tag of these becomes one <br> before the next text, so the text on either side stays on
# separate lines (one per run of dropped tags: 600,000 dropped <div>s must not become 600,000 <br>s).
_BREAKS = frozenset(
    ["p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
     "section", "article", "blockquote", "pre", "center", "header", "footer", "main", "address", "caption"]
)
# A start tag that ends an open element of the same kind (HTML's implied end tags), unless one of the
# boundary elements is open nearer: <td> ends the open <td> of its row, not that of an outer table.
_ENDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "td": (frozenset(["td", "th"]), frozenset(["tr", "table"])),
    "th": (frozenset(["td", "th"]), frozenset(["tr", "table"])),
    "tr": (frozenset(["tr", "td", "th"]), frozenset(["table"])),
    "li": (frozenset(["li"]), frozenset(["ul", "ol"])),
    "dt": (frozenset(["dt", "dd"]), frozenset(["dl"])),
    "dd": (frozenset(["dt", "dd"]), frozenset(["dl"])),
    "option": (frozenset(["option"]), frozenset(["select"])),
    "p": (frozenset(["p"]), frozenset(["div", "td", "th", "table", "li", "blockquote", "body"])),
}
_IMPLIED_WINDOW = 64  # open elements searched for an implied end: keeps each tag O(1)
_RAW_END: dict[str, re.Pattern[str]] = {}


class _Writer:
    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # open elements: (tag, written to the output)
        self.open: dict[str, int] = {}  # open elements per tag, so a stray end tag costs no search
        self.broken = False  # a dropped block tag since the last text: a <br> is owed

    def _pop_to(self, index: int) -> None:
        for tag, _ in self.stack[index:]:
            self.open[tag] -= 1
        del self.stack[index:]

    def data(self, text: str) -> None:
        if self.broken and text and not text.isspace():
            self.out.append("<br>")
            self.broken = False
        self.out.append(text)

    def start(self, tag: str, raw: str) -> bool:
        ends = _ENDS.get(tag)
        if ends is not None and any(self.open.get(t) for t in ends[0]):
            for i in range(len(self.stack) - 1, max(-1, len(self.stack) - 1 - _IMPLIED_WINDOW), -1):
                if self.stack[i][0] in ends[1]:
                    break
                if self.stack[i][0] in ends[0]:
                    self._pop_to(i)  # libxml2 implies these end tags itself: nothing to write
                    break
        keep = len(self.stack) < self.max_depth
        self.stack.append((tag, keep))
        self.open[tag] = self.open.get(tag, 0) + 1
        if keep:
            self.out.append(raw)
        elif tag in _BREAKS:
            self.broken = True
        return keep

    def end(self, tag: str, raw: str) -> None:
        if not self.open.get(tag):
            self.out.append(raw)  # stray: libxml2 ignores it, whatever the depth
            return
        i = len(self.stack) - 1
        while self.stack[i][0] != tag:  # found: open[tag] says it is there; popped, so amortised O(1)
            i -= 1
        kept = self.stack[i][1]
        self._pop_to(i)
        if kept:
            self.out.append(raw)
        elif tag in _BREAKS:
            self.broken = True


def flatten(text: str, max_depth: int = MAX_DEPTH) -> str:
    """``text`` without the start and end tags of elements nested deeper than ``max_depth`` (their
    text kept, in order); everything else exactly as it was."""
    w = _Writer(max_depth)
    pos = 0
    while (m := _TOKEN.search(text, pos)) is not None:
        w.data(text[pos : m.start()])
        pos = m.end()
        name = m.group(2)
        if name is None:  # comment, doctype, processing instruction: no depth
            w.out.append(m.group())
            continue
        tag = name.lower()
        if m.group(1):
            w.end(tag, m.group())
        elif tag in _VOID or m.group().endswith("/>"):
            w.out.append(m.group())
        else:
            kept = w.start(tag, m.group())
            if tag in _RAW_TEXT:  # script, style …: markup-looking text inside is not markup
                end = _RAW_END.setdefault(tag, re.compile(rf"</{tag}[\s/>]", re.I)).search(text, pos)
                stop = end.start() if end else len(text)
                if kept:  # a dropped <script>'s code must not turn into page text
                    w.out.append(text[pos:stop])
                pos = stop
    w.data(text[pos:])
    return "".join(w.out)
