"""Where a crawl's time goes: a cProfile of ``scrapy crawl reports`` summarised by pipeline stage.

Scrapy runs item pipelines in the reactor thread, so every second a stage spends is a second no
response is handled; the stage totals below are therefore directly comparable to the crawl time.
``python -m bench.run --profile`` adds this (one more 1× crawl under cProfile, ~2× slower).
"""

from __future__ import annotations

import logging
import os
import pstats
import time
from pathlib import Path
from typing import Any

# (label, file suffix, function name or prefix*) — inclusive (cumulative) time.
STAGES = [
    ("spider callbacks (links, lists)", "spiders/reports.py", "parse*"),
    ("pipeline 1 capture (fetch log, blobs)", "pipelines/capture.py", "process_item"),
    # Reading runs in worker processes (NIANBAO_READ_WORKERS), which cProfile does not see: what is
    # left here is handing payloads over and taking readings back. Profile with
    # -s NIANBAO_READ_WORKERS=0 to see extraction and parsing themselves.
    ("pipeline 2 read (extract, classify, parse)", "pipelines/extract.py", "process_item"),
    ("  of which PDF/DOCX attachments, in process", "crawler/extract/core.py", "_attachment"),
    ("  of which parse, in process", "crawler/parse/__init__.py", "parse"),
    ("pipeline 4 archive (versions, dedup)", "pipelines/archive.py", "process_item"),
    ("  of which minhash", "crawler/fingerprint.py", "minhash"),
    ("conditional-request middleware", "pipelines/conditional.py", "process_request"),
    ("logging records (all loggers)", "logging/__init__.py", "_log"),
]


def _matches(key: tuple[str, int, str], suffix: str, name: str) -> bool:
    filename, _, func = key
    if not filename.endswith(suffix):
        return False
    return func.startswith(name[:-1]) if name.endswith("*") else func == name


def _package(filename: str, func: str) -> str:
    if filename == "~":  # C functions: name the idle wait apart, it is time nobody worked
        return "idle: event-loop poll" if ("epoll" in func or "select" in func) else "builtins (C)"
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    for ours in ("crawler", "pipelines", "spiders", "storage"):
        if f"/{ours}/" in filename:
            return f"nianbao:{ours}"
    if filename.startswith("<"):
        return "builtins"
    path = Path(filename)
    return "stdlib:" + (path.parent.name if path.stem == "__init__" else path.stem)


def summarise(prof: Path, top: int = 12) -> dict[str, Any]:
    stats = pstats.Stats(str(prof))
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    total = max(ct for _, _, _, ct, _ in table.values())
    stages = []
    for label, suffix, name in STAGES:
        keys = [k for k in table if _matches(k, suffix, name)]
        # Recursive or nested matches (generators resumed many times) are counted once each.
        cum = sum(table[k][3] for k in keys)
        calls = sum(table[k][1] for k in keys)
        stages.append({"stage": label, "seconds": round(cum, 2), "share": round(cum / total, 3), "calls": calls})
    by_package: dict[str, float] = {}
    for key, (_, _, tt, _, _) in table.items():
        pkg = _package(key[0], key[2])
        by_package[pkg] = by_package.get(pkg, 0.0) + tt
    functions = sorted(table.items(), key=lambda kv: -kv[1][2])[:top]
    return {
        "profiled_seconds": round(total, 2),
        "stages": stages,
        "self_time_by_package": [
            {"package": p, "seconds": round(s, 2), "share": round(s / total, 3)}
            for p, s in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]
        ],
        "top_functions": [
            {"function": f"{Path(k[0]).name}:{k[1]}({k[2]})", "self_s": round(v[2], 2), "cum_s": round(v[3], 2),
             "calls": v[1]}
            for k, v in functions
        ],
    }


def pdf_logging_overhead(pdfs: list[Any], limit: int = 4) -> dict[str, Any]:
    """PDF extraction with the root logger as Scrapy leaves it (NOTSET, so pdfminer's per-token
    DEBUG records are built and then dropped by the INFO handler) vs with pdfminer at WARNING."""
    from crawler.extract import extract

    pdfs = pdfs[:limit]
    if not pdfs:
        return {}
    root, miner = logging.getLogger(), logging.getLogger("pdfminer")
    saved = (root.level, miner.level, root.handlers[:])
    # Scrapy's arrangement: root logger NOTSET, one handler filtering at LOG_LEVEL (INFO).
    handler = logging.StreamHandler(open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - closed below
    handler.setLevel(logging.INFO)
    root.handlers = [handler]

    def timed() -> float:
        started = time.perf_counter()
        for p in pdfs:
            extract(p.body, p.url, p.content_type)
        return time.perf_counter() - started

    try:
        root.setLevel(logging.NOTSET)
        miner.setLevel(logging.NOTSET)
        timed()  # warm-up
        as_scrapy = timed()
        miner.setLevel(logging.WARNING)
        quiet = timed()
    finally:
        root.handlers = saved[2]
        root.setLevel(saved[0])
        miner.setLevel(saved[1])
        handler.stream.close()
    return {"pdfs": len(pdfs), "as_under_scrapy_s": round(as_scrapy, 2), "pdfminer_warning_s": round(quiet, 2),
            "speedup": round(as_scrapy / quiet, 2) if quiet else None}
