"""Normalised text and fingerprints for change detection and near-duplicate search.

Pure functions: the archive compares ``text_sha256`` of successive fetches to decide whether a
report changed, so everything that varies between two fetches of an unchanged page (view
counters, byline dates, whitespace, character width) must vanish here.
"""

from __future__ import annotations

import hashlib
import logging
import re
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # datasketch (and numpy) load with the first signature: the reading process never needs them
    from crawler.sketch import MinHash

log = logging.getLogger(__name__)

NUM_PERM = 128
SHINGLE_K = 5

# Punctuation NFKC leaves alone but extractors render inconsistently (PDF vs HTML, fonts).
_PUNCT = str.maketrans(
    {
        "“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"',
        "‘": "'", "’": "'",
        "—": "-", "–": "-", "―": "-", "‐": "-", "‑": "-", "−": "-", "－": "-",
        "～": "~", "〜": "~",
        "・": "·", "•": "·", "●": "·",
        "。": ".", "｡": ".",
        "、": ",", "､": ",",
        "〔": "[", "〕": "]", "【": "[", "】": "]", "［": "[", "］": "]",
        "《": "<", "》": ">", "〈": "<", "〉": ">",
        "\u00a0": " ", "\u3000": " ", "\u200b": "", "\ufeff": "", "\u200c": "", "\u200d": "",
    }
)

_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
# Lines that are chrome however they got past the extractor: counters, bylines, page tools.
_VOLATILE_LINE = re.compile(
    r"^[\s·*>\-]*(?:"
    r"(?:浏览|点击|阅读|访问)(?:次数|数|量)\s*[:：]?\s*[\d,]*\s*次?"
    r"|(?:发布|更新|成文|生成|发文)(?:时间|日期)\s*[:：].{0,40}"
    r"|(?:来源|信息来源|作者|责任编辑|编辑|供稿|字体显示|字体|字号)\s*[:：].{0,60}"
    r"|[\[【]?\s*(?:字体|字号)\s*[:：]?\s*\[?\s*大\s*\]?\s*\[?\s*中\s*\]?\s*\[?\s*小\s*\]?\s*[\]】]?.{0,40}"
    r"|(?:(?:打印本页|关闭窗口|\[打印\]|\[关闭\]|扫一扫在手机打开当前页面?|听全文|分享到\s*[:：]?.{0,40})\s*)+"
    r"|" + _DATE + r"\s*"
    r")\s*$"
)
# Counters and byline dates inside a longer chrome line ("发布时间：2022-01-20 浏览次数：345").
_VOLATILE_TOKEN = re.compile(
    r"(?:浏览|点击|阅读|访问)(?:次数|数|量)\s*[:：]\s*\d*\s*次?"
    r"|(?:发布|更新)(?:时间|日期)\s*[:：]\s*(?:" + _DATE + r")?"
)
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACE_NEAR_PUNCT = re.compile(r"\s*([,.:;!?()\[\]<>\"'|])\s*")
_WS = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")


def _is_chrome_line(line: str) -> bool:
    return len(line) <= 80 and bool(_VOLATILE_LINE.match(line))


def normalise(text: str) -> str:
    """Comparison form of a report text: NFKC, unified punctuation, no chrome, collapsed space.

    The result is one line: line breaks differ between renderings of the same body (PDF vs
    HTML, table cell joins), so they carry no meaning for "has the text changed".
    """
    if not isinstance(text, str):
        log.warning("normalise: expected str, got %s; treating as empty", type(text).__name__)
        return ""
    return _normalised(text)


@lru_cache(maxsize=8)  # the archive hashes a text, then shingles it, then the index may again
def _normalised(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    kept: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or _is_chrome_line(line):
            continue
        if len(line) <= 120:
            line = _VOLATILE_TOKEN.sub(" ", line)
        kept.append(line)
    joined = _WS.sub(" ", " ".join(kept))
    joined = _SPACE_NEAR_CJK.sub("", joined)
    joined = _SPACE_NEAR_PUNCT.sub(r"\1", joined)
    return joined.strip()


# Hit-counter labels as they appear in raw pages (UTF-8 and GBK sites); the digits that follow,
# after at most a few tags and separators, change on every request.
_COUNTER_LABELS = ("浏览次数", "浏览量", "浏览人次", "点击数", "点击量", "点击次数", "点击率", "阅读次数",
                   "阅读量", "阅读数", "访问量", "访问次数", "访问人次", "访问数")
_COUNTER_BYTES = re.compile(
    rb"((?:"
    + b"|".join(re.escape(label.encode(enc)) for label in _COUNTER_LABELS for enc in ("utf-8", "gbk"))
    + rb")(?:[^0-9<]|<[^>]{0,200}>){0,80}?)[0-9][0-9,]*"
)


def payload_fingerprint(body: bytes, content_type: str | None = None) -> str:
    """sha256 of a raw payload with its hit counters masked (HTML only; other bytes as they are).

    Two fetches of a page that differ only in its server-side 浏览次数 get the same fingerprint,
    so the archive can keep one blob for both.
    """
    if not isinstance(body, (bytes, bytearray)):
        log.warning("payload_fingerprint: expected bytes, got %s", type(body).__name__)
        body = b""
    data = bytes(body)
    head = data[:512].lstrip().lower()
    is_html = (content_type or "").lower().startswith(("text/html", "application/xhtml")) or head.startswith(
        (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<body", b"<div", b"<!--")
    )
    if is_html:
        data = _COUNTER_BYTES.sub(rb"\1#", data)
    return hashlib.sha256(data).hexdigest()


def text_sha256(text: str) -> str:
    """sha256 hex of the normalised text; equal for two renderings that differ only in chrome."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def shingles(text: str, k: int = SHINGLE_K) -> set[str]:
    """Character k-grams of the normalised text's letters and digits only.

    Chinese has no word breaks, and dropping punctuation and separators makes a table flattened
    as "2 | 0 | 2" (HTML) and "2 0 2" (PDF) shingle alike.
    """
    compact = _NON_WORD.sub("", normalise(text))
    if k < 1:
        log.warning("shingles: k=%d is not positive; using 1", k)
        k = 1
    if len(compact) <= k:
        return {compact} if compact else set()
    return {compact[i : i + k] for i in range(len(compact) - k + 1)}


_FIRST_U32 = struct.Struct("<I").unpack_from


def shingle_hash(data: bytes) -> int:
    """The 32-bit hash MinHash takes of a shingle: the first 4 bytes of its SHA-1, little-endian
    (datasketch's default ``sha1_hash32``, so signatures stored before this existed still compare)."""
    (value,) = _FIRST_U32(hashlib.sha1(data).digest())  # "<I" unpacks one int
    return int(value)


@dataclass(frozen=True)
class TextPrint:
    """What the archive needs of a text to place it, computed where the text is read.

    ``sha256`` is ``text_sha256`` ("" when nothing is left after normalisation); ``hashes`` are the
    ``shingle_hash`` of every 5-gram, from which ``minhash_of`` builds the signature.
    """

    sha256: str
    hashes: tuple[int, ...]


def text_print(text: str) -> TextPrint:
    norm = normalise(text)
    if not norm:
        return TextPrint("", ())
    # shingle_hash inlined: a page has about a thousand shingles, and a call apiece cost a quarter of
    # the time (docs/performance.md, "Figures moved from code comments")
    sha1 = hashlib.sha1
    return TextPrint(hashlib.sha256(norm.encode("utf-8")).hexdigest(),
                     tuple([_FIRST_U32(sha1(g.encode("utf-8")).digest())[0] for g in shingles(text)]))


def _given(value: int) -> int:
    return value  # the hash was taken already (shingle_hash)


_PERMUTATIONS: dict[int, tuple[Any, str]] = {}  # num_perm → (permutations, scheme) of datasketch's seed 1


def minhash_of(hashes: Iterable[int], num_perm: int = NUM_PERM) -> MinHash:
    """MinHash of shingle hashes; none gives an empty (all-max) signature."""
    from crawler.sketch import MinHash

    # datasketch draws its permutations afresh for every MinHash (a fifth of this function's time):
    # draw them once, then hand the same ones in.
    if num_perm not in _PERMUTATIONS:
        first = MinHash(num_perm=num_perm, hashfunc=_given)
        _PERMUTATIONS[num_perm] = (first.permutations, first.scheme)
    permutations, scheme = _PERMUTATIONS[num_perm]
    mh = MinHash(num_perm=num_perm, hashfunc=_given, permutations=permutations, scheme=scheme)
    values = list(hashes)
    if values:
        mh.update_batch(values)
    return mh


def minhash(text: str, num_perm: int = NUM_PERM) -> MinHash:
    """MinHash over the 5-gram shingles; an empty text gives an empty (all-max) signature."""
    return minhash_of((shingle_hash(g.encode("utf-8")) for g in shingles(text)), num_perm)
