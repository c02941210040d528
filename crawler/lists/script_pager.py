"""Static list pages whose pager exists only as a script that writes its links.

The page count and the link are in the script, the links are not in the HTML::

    var totalpage = 3; for (var i = 1; i <= totalpage; i++) {
      document.write('<a href="/list.jsp?totalpage=' + totalpage + '&PAGENUM=' + i + '&wbtreeid=1043">' + i + '</a>'); }
                                                                         (VSB: list.jsp?…&PAGENUM=N)
    var pageCount = 4; for (var i = 0; i < pageCount; i++) {
      var name = (i == 0) ? 'index' : 'index_' + (i + 1);
      document.write('<a href="' + name + '.html">' + (i + 1) + '</a>'); }          (index_2.html …)

The loop's range and the pieces of the link are read off the script and the links written out, as
the browser would. TRS's own pager function is ``crawler.lists.trs``; Hanweb's ``pageNum`` pager is
``crawler.lists.hanweb_pagenum``: this one is for the rest.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from crawler.lists import Batch, Limits, Page, Step

NAME = "script_pager"
ANYWHERE = False
FALLBACK = True

_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)
_COUNT = re.compile(r"\b(countPage|pageCount|totalPage|totalpage|pagecount|totalPages|pages)\s*=\s*(\d+)")
_LOOP = re.compile(r"for\s*\(\s*(?:var|let)?\s*(\w+)\s*=\s*(\d+)\s*;\s*\1\s*(<=?)\s*(\w+)\s*;")
_HREF = re.compile(r"""href=\\?["']""")
_STRING = re.compile(r"""(['"])((?:\\.|(?!\1).)*)\1""")
_PLUS = re.compile(r"\s*\+\s*")
_EXPR = re.compile(r"\(\s*(\w+)\s*\+\s*(\d+)\s*\)|(\w+)")


def _numbers(script: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"\b(\w+)\s*=\s*(\d+)\s*[;,]", script)}


def _piece(script: str, at: int, loop: str, nums: dict[str, int]) -> tuple[str, int] | None:
    """One concatenated piece at ``at``: a string, a number variable, the loop variable ({i}, {i+k}),
    or a variable set by ``(i == 0) ? 'index' : 'index_' + (i + k)`` (its second branch)."""
    if s := _STRING.match(script, at):
        return s.group(2), s.end()
    m = _EXPR.match(script, at)
    if not m:
        return None
    if m.group(1):
        return (f"{{i+{m.group(2)}}}", m.end()) if m.group(1) == loop else None
    name = m.group(3)
    if name == loop:
        return "{i+0}", m.end()
    if name in nums:
        return str(nums[name]), m.end()
    tern = re.search(rf"\b{re.escape(name)}\s*=\s*\([^)]*\)\s*\?\s*(['\"])[^'\"]*\1\s*:\s*(['\"])([^'\"]*)\2\s*\+\s*\(\s*{re.escape(loop)}\s*\+\s*(\d+)\s*\)", script)
    if tern:
        return tern.group(3) + f"{{i+{tern.group(4)}}}", m.end()
    return None


def _template(script: str, loop: str, nums: dict[str, int]) -> str | None:
    """The link the loop writes, with ``{i+k}`` for the loop variable: from a string literal holding
    ``href="`` through the pieces joined to it, up to the quote that closes the attribute."""
    for lit in _STRING.finditer(script):
        content = lit.group(2)
        href = _HREF.search(content)
        if not href:
            continue
        html_quote = content[href.end() - 1]
        pieces = [content[href.end():]]
        at = lit.end()
        while (plus := _PLUS.match(script, at)) and plus.end() > at:
            got = _piece(script, plus.end(), loop, nums)
            if got is None:
                break
            value, at = got
            if html_quote in value and not value.startswith("{i+"):
                pieces.append(value[: value.index(html_quote)].rstrip("\\"))
                template = "".join(pieces)
                return template if "{i+" in template else None
            pieces.append(value)
    return None


def _fill(template: str, i: int) -> str:
    return re.sub(r"\{i\+(\d+)\}", lambda m: str(i + int(m.group(1))), template)


def page_urls(text: str, url: str, max_pages: int = 200) -> list[str]:
    """Every page the pager script links, in its order (the page itself left out)."""
    for sm in _SCRIPT.finditer(text):
        script = sm.group(1)
        if not _COUNT.search(script) or "href" not in script:
            continue
        loop = _LOOP.search(script)
        if not loop:
            continue
        var, start, op, bound = loop.group(1), int(loop.group(2)), loop.group(3), loop.group(4)
        nums = _numbers(script)
        end = int(bound) if bound.isdigit() else nums.get(bound)
        template = _template(script[loop.start():], var, nums) if end is not None else None
        if template is None or end is None:
            continue
        # (i == 0) ? 'index' : 'index_' + (i + 1): the first branch is the column's first page
        first = re.search(rf"\(\s*{re.escape(var)}\s*==\s*(\d+)\s*\)\s*\?", script)
        skip = int(first.group(1)) if first else None
        out: list[str] = []
        for i in range(start, min(end + 1 if op == "<=" else end, start + max_pages)):
            if i == skip:
                continue
            target = urljoin(url, _fill(template, i).replace("&amp;", "&"))
            if target not in out and target.split("#")[0] != url.split("#")[0]:
                out.append(target)
        if out:
            return out
    return []


def detect(page: Page) -> bool:
    return bool(_COUNT.search(page.text)) and "for" in page.text and bool(page_urls(page.text, page.url, 2))


def next_page(page: Page, limits: Limits) -> list[Step]:
    return [Step(u, NAME) for u in page_urls(page.text, page.url, limits.max_pages)]


def records(page: Page) -> Batch:
    """The pages are HTML lists: the spider reads their links like any page's."""
    return Batch([])
