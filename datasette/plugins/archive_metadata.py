"""Datasette plugin: the archive's metadata (labels, descriptions, hidden tables, canned queries) for
every database served, whatever its file is called.

Datasette keys database metadata by name, and a database is named after its file: metadata.yml's
``databases: nianbao:`` block applies to ``nianbao.db`` only, so ``datasette data/demo.db`` lost every
label and canned query and showed the ``blob`` table. ``make browse`` loads this folder with
``--plugins-dir datasette/plugins``; the block is copied to each database here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from datasette import hookimpl

METADATA = Path(__file__).resolve().parents[1] / "metadata.yml"
ARCHIVE_KEY = "nianbao"  # the block of metadata.yml that describes an archive
_INTERNAL = {"_internal", "_memory"}


@cache
def _archive_block() -> dict[str, Any]:
    meta = yaml.safe_load(METADATA.read_text(encoding="utf-8")) or {}
    return dict((meta.get("databases") or {}).get(ARCHIVE_KEY) or {})


@hookimpl
def get_metadata(datasette: Any, key: str, database: str | None, table: str | None) -> dict[str, Any]:
    block = _archive_block()
    names = [name for name in datasette.databases if name not in _INTERNAL]
    return {"databases": {name: block for name in names}}
