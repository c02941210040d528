"""What the spider hands its components with each request: one frozen ``Hop`` under
``request.meta["nianbao"]`` (pure: no Scrapy import; anything with a ``meta`` mapping will do).

Scrapy documents its special meta keys in one place; ours are in docs/DESIGN.md ("Request meta
keys"): ``nianbao`` carries the ``Hop``, the few ``nianbao_*`` flags below are set by components
on a request in flight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

KEY = "nianbao"  # request.meta[KEY]: the Hop

# Flags components set on a request in flight (documented in docs/DESIGN.md, "Request meta keys").
NOT_DUE = "nianbao_not_due"  # pipelines.revisit: skipped as not yet due; the spider's errback counts no failure
WHOLE = "nianbao_whole"  # pipelines.revisit: this check is a full download, not a conditional GET
# pipelines.redis_queue: redone after its worker died; pipelines.revisit fetches it whole, unplanned
RECOVERED = "nianbao_recovered"
# Not a meta key: the crawler attribute pipelines.revisit sets to a callable the spider
# (spiders.known) asks for the archive's known reports.
KNOWN_ATTR = "nianbao_known_reports"


class LinkKind(StrEnum):
    """What a link leads to; a ``str``, so ``kind == "report"`` still holds."""

    REPORT = "report"
    ATTACHMENT = "attachment"
    LIST = "list"
    NAV = "nav"
    PAGER = "pager"
    IGNORE = "ignore"


CANDIDATE_KINDS = (LinkKind.REPORT, LinkKind.ATTACHMENT)  # a report page or a file of one
LIST_KINDS = (LinkKind.LIST, LinkKind.PAGER)

# A document's formats still to fetch after this one: (url, kind, anchor text, score), best first.
Rendering = tuple[str, str, str, float]


@dataclass(frozen=True)
class Hop:
    site: str  # the agency (the seed's key)
    kind: LinkKind
    anchor: str = ""  # the link's text
    depth: int = 0
    home: bool = False  # the seed's home page
    score: float = 0.0  # the link's score (the request's priority)
    parent: str = ""  # the report page whose attachment this is
    # the page Capture waiting for its first attachment (pipelines archive the file first)
    parent_capture: Any = None
    renderings: tuple[Rendering, ...] = ()
    known: bool = False  # a known report nothing linked on this run (spiders.known)
    redirect_chain: tuple[str, ...] = ()  # the URLs a redirect the spider followed came through
    # records endpoints of list plug-ins (spiders.listwalk): the family, page number, page size,
    # the list page it serves, the last batch's signature and batches in a row with nothing new
    shape: str | None = None
    page: int | None = None
    per: int | None = None
    base: str = ""
    batch: str | None = None
    stale: int = 0


class _HasMeta(Protocol):
    @property
    def meta(self) -> Mapping[str, Any]: ...


def handoff_of(carrier: _HasMeta) -> Hop | None:
    """The Hop of a request or response; None for requests the spider did not build."""
    hop = carrier.meta.get(KEY)
    return hop if isinstance(hop, Hop) else None


def site_of(carrier: _HasMeta) -> str:
    hop = handoff_of(carrier)
    return hop.site if hop is not None else ""


def kind_of(carrier: _HasMeta) -> str:
    hop = handoff_of(carrier)
    return hop.kind if hop is not None else ""
