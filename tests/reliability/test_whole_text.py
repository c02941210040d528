"""Big UTF-8 text and HTML without a charset are decoded whole, never cut inside a character.

Before: a 3 MiB byte limit fell inside a UTF-8 character, the rest was read as GB18030 and stored
garbled (``2020骞�1鏈�20鏃�``), with the year lost and no warning. Now the body is decoded whole
and cut, if at all, at ``MAX_CHARS`` characters, with a ``truncated:`` warning. The sizes (9 and
15 MB) sit on both sides of that limit for Chinese text; the 0-2 leading bytes move every byte
offset across a character's three bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import MAX_CHARS, TRUNCATED, extract
from crawler.parse import parse
from tests.reliability.harness import LONG, write_result

SOURCE = Path(__file__).resolve().parents[1] / "portal" / "seedtexts" / "hengyang_2019.txt"
TITLE = "衡阳市人民政府2019年政府信息公开工作年度报告"
YEAR = 2019  # the title's year (the report is dated 2020年1月20日)
END = "本年度报告到此结束。"
RESULTS: list[dict[str, object]] = []


def _text(size: int) -> str:
    """The title, then the report's body repeated until its UTF-8 form reaches ``size`` bytes, then the end line."""
    body = SOURCE.read_text(encoding="utf-8").strip()
    parts, total = [TITLE], len(TITLE.encode())
    while total < size:
        parts.append(body)
        total += len(body.encode()) + 1
    parts.append(END)
    return "\n".join(parts)


def _payload(kind: str, text: str, shift: int) -> bytes:
    lead = b" " * shift
    if kind == "text":
        return lead + text.encode("utf-8")
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n")[1:])
    return lead + f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><div class='content'>" \
                  f"{paragraphs}</div></body></html>".encode()


# every case in `make fuzz`; `make test` reads the HTML (5 s a case on a busy 2-core host) at one shift
CASES = [(kind, size, shift) for kind in ("text", "html") for size in (9_000_000, 15_000_000) for shift in (0, 1, 2)
         if LONG or kind == "text" or shift == 1]


@pytest.mark.parametrize(("kind", "size", "shift"), CASES)
def test_big_utf8_is_decoded_whole(kind: str, size: int, shift: int) -> None:
    text = _text(size)
    body = _payload(kind, text, shift)
    doc = extract(body, f"http://www.hengyang.gov.cn/xxgk/nb2019.{'txt' if kind == 'text' else 'html'}",
                  "text/plain" if kind == "text" else None)
    report = parse(doc)
    truncated = [w for w in doc.warnings if w.startswith(TRUNCATED)]
    over = len(body.decode("utf-8")) > MAX_CHARS
    RESULTS.append({"kind": kind, "mb": size // 1_000_000, "shift": shift, "characters": len(text),
                    "year": report.year, "replacement_chars": doc.text.count("\ufffd"),
                    "truncated": bool(truncated), "limit_applies": over})
    write_result("whole_text", {"max_chars": MAX_CHARS, "rows": sorted(RESULTS, key=str)})
    assert "\ufffd" not in doc.text
    assert report.year == YEAR
    assert bool(truncated) == over, doc.warnings
    assert (END in doc.text) == (not over)  # a whole document keeps its last line
