"""PDF/DOCX report attachments, rendered by tests/docgen.py on first use and cached on disk.

Rendering a PDF with an embedded CJK font subset takes seconds, so bytes are cached in memory by
the page and on disk (``NIANBAO_PORTAL_CACHE``, default ``~/.cache/nianbao/portal``) under a hash
of the input and of docgen.py itself: docgen output is deterministic, so a cached file is exactly
what a fresh render would give.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tests import docgen
from tests.portal.reportgen import Doc
from tests.portal.sitekit import doc_blocks

log = logging.getLogger(__name__)
DOCGEN = Path(__file__).resolve().parents[1] / "docgen.py"


@lru_cache(maxsize=1)
def _docgen_source() -> bytes:
    return DOCGEN.read_bytes()


def _cache_path(kind: str, doc: Doc) -> Path:
    key = hashlib.sha256(repr((kind, doc.title, doc_blocks(doc))).encode() + _docgen_source()).hexdigest()
    return docgen.cache_dir() / f"{key}.{kind}"


def render(kind: str, doc: Doc) -> bytes:
    path = _cache_path(kind, doc)
    try:
        return path.read_bytes()
    except OSError:
        pass
    blocks = doc_blocks(doc)
    data = docgen.render_pdf(doc.title, blocks) if kind == "pdf" else docgen.render_docx(doc.title, blocks)
    failed = docgen.cache_put(path, data)
    if failed is not None:
        log.warning("portal: cannot cache %s: %s", path, failed)
    return data


@dataclass(frozen=True)
class Lazy:
    """A page body rendered on first request (picklable: ``warm`` renders them in other processes)."""

    kind: str
    doc: Doc

    def __call__(self) -> bytes:
        return render(self.kind, self.doc)


def lazy(kind: str, doc: Doc) -> Callable[[], bytes]:
    return Lazy(kind, doc)


def _cached(job: Lazy) -> None:
    job()  # into the disk cache; the parent reads it from there


def warm(pages: Iterable[Any], processes: int | None = None) -> int:
    """Give every page of ``pages`` (``Page`` objects) built on first request its body now. Documents
    not on disk yet are rendered in ``processes`` worker processes (default: one per core; a 16x web
    has ~300 of them, a PDF ~0.3 s each). Returns how many were rendered."""
    todo = [p for p in pages if p.body is None and p.lazy is not None]
    fresh = [p.lazy for p in todo
             if isinstance(p.lazy, Lazy) and not _cache_path(p.lazy.kind, p.lazy.doc).is_file()]
    workers = min(len(fresh), processes or os.cpu_count() or 1)
    if any(job.kind == "pdf" for job in fresh):
        docgen.prepare_font()
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_cached, fresh, chunksize=4))
    for page in todo:
        page.body = page.lazy()
    return len(fresh)
