"""Human-readable differences between two versions of a report (pure).

``cell_diff`` speaks the key paths of docs/schema.md so that a change reads like
``requests.rows.new_received[6]: 2 -> 3``; the archive stores these with each new version.
"""

from __future__ import annotations

import difflib
import json
import logging
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)

TABLE_KEYS = ("proactive", "requests", "review_litigation")
META_KEYS = ("title", "published", "agency", "year")
_ABSENT = object()


def text_diff(old: str, new: str, context: int = 2) -> str:
    """Unified diff over lines ("" when equal)."""
    old = old if isinstance(old, str) else ""
    new = new if isinstance(new, str) else ""
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), "previous", "current", lineterm="", n=context
    )
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if value is _ABSENT:
        return "absent"
    if value is None:
        return "null"
    if isinstance(value, dict) and "value" in value and "unit" in value:
        # Money cells: the raw text is what a reader recognises ("68.64万元").
        raw = value.get("raw")
        return str(raw) if raw else f"{value.get('value')}{value.get('unit') or ''}"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _is_leaf(value: Any) -> bool:
    if isinstance(value, dict):
        return "value" in value and "unit" in value  # a money cell is one value
    return not isinstance(value, list)


def _walk(path: str, old: Any, new: Any) -> Iterator[str]:
    if old == new:
        return
    both_dicts = isinstance(old, dict) and isinstance(new, dict)
    both_lists = isinstance(old, list) and isinstance(new, list)
    if both_dicts and not (_is_leaf(old) and _is_leaf(new)):
        for key in list(old) + [k for k in new if k not in old]:
            yield from _walk(f"{path}.{key}", old.get(key, _ABSENT), new.get(key, _ABSENT))
        return
    if both_lists:
        for i in range(max(len(old), len(new))):
            a = old[i] if i < len(old) else _ABSENT
            b = new[i] if i < len(new) else _ABSENT
            yield from _walk(f"{path}[{i}]", a, b)
        return
    # A container against a scalar (or absent): descend into the side that has structure so the
    # paths stay cell-level when a whole block appears or disappears.
    if isinstance(old, (dict, list)) and not _is_leaf(old) and not isinstance(new, (dict, list)):
        yield from _walk(path, old, {} if isinstance(old, dict) else [])
        return
    if isinstance(new, (dict, list)) and not _is_leaf(new) and not isinstance(old, (dict, list)):
        yield from _walk(path, {} if isinstance(new, dict) else [], new)
        return
    yield f"{path}: {_fmt(old)} -> {_fmt(new)}"


def cell_diff(old_report: dict[str, Any], new_report: dict[str, Any]) -> list[str]:
    """Changed table cells between two parsed reports (Report.to_dict() shapes)."""
    if not isinstance(old_report, dict) or not isinstance(new_report, dict):
        log.warning("cell_diff: expected two dicts; no cells compared")
        return []
    out: list[str] = []
    for key in TABLE_KEYS:
        out.extend(_walk(key, old_report.get(key) or {}, new_report.get(key) or {}))
    return out


def meta_diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Changed title / published / agency / year, e.g. ``published: 2022-01-20 -> 2022-01-25``."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        log.warning("meta_diff: expected two dicts; nothing compared")
        return []
    return [
        f"{key}: {_fmt(old.get(key))} -> {_fmt(new.get(key))}"
        for key in META_KEYS
        if old.get(key) != new.get(key)
    ]
