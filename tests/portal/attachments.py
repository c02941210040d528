"""PDF/DOCX report attachments, rendered by tests/docgen.py on first use and cached on disk.

Rendering a PDF with an embedded CJK font subset takes seconds, so bytes are cached in memory by
the page and on disk (``NIANBAO_PORTAL_CACHE``, default ``~/.cache/nianbao/portal``) under a hash
of the input and of docgen.py itself: docgen output is deterministic, so a cached file is exactly
what a fresh render would give.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from tests.portal.reportgen import Doc
from tests.portal.sitekit import doc_blocks

log = logging.getLogger(__name__)
DOCGEN = Path(__file__).resolve().parents[1] / "docgen.py"


def _cache_dir() -> Path:
    env = os.environ.get("NIANBAO_PORTAL_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "nianbao" / "portal"


def render(kind: str, doc: Doc) -> bytes:
    from tests import docgen

    blocks = doc_blocks(doc)
    key = hashlib.sha256(repr((kind, doc.title, blocks)).encode() + DOCGEN.read_bytes()).hexdigest()
    path = _cache_dir() / f"{key}.{kind}"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = docgen.render_pdf(doc.title, blocks) if kind == "pdf" else docgen.render_docx(doc.title, blocks)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:  # a read-only home only costs speed
        log.warning("portal: cannot cache %s: %s", path, exc)
    return data


def lazy(kind: str, doc: Doc) -> Callable[[], bytes]:
    return lambda: render(kind, doc)
