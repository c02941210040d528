"""Optional webhook: POST a run's events as JSON to a URL from the settings (issue 6 §6)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any

log = logging.getLogger(__name__)


def post_events(url: str, events: list[dict[str, Any]], timeout: float = 10.0) -> bool:
    """Send ``{"events": [...]}``; True on a 2xx answer. Failures are one warning, never an exception."""
    if not url or not events:
        return bool(url) and not events
    body = json.dumps({"events": events}, ensure_ascii=False, default=str).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - operator's URL
            ok = 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError) as err:
        log.warning("webhook %s failed: %s", url, getattr(err, "reason", err))
        return False
    if not ok:
        log.warning("webhook %s answered HTTP %s", url, response.status)
    return ok
