"""Random simulated gov.cn webs: ``build_random_web(seed)`` draws every site from independent
dimensions (CMS family and URL scheme, where the 年报 column sits and what it is called, how its
list is delivered, how each report is published, chrome, encoding, latency), so many seeds give
many webs nobody looked at. Served by the same ``Portal`` as today's fixed web.

    from tests.portal.random import build_random_web
    web = build_random_web(7, n_sites=4)
    web.reports, web.out_of_seed, web.dims[host], web.list_urls
    Portal(web, latency_draw=1)    # every URL waits web.latency_for(host, target, 1) seconds
"""

from __future__ import annotations

import os
import random
from dataclasses import replace
from typing import Any

from tests.portal.model import Agency, Web
from tests.portal.random.dims import draw_dims
from tests.portal.random.names import DEPARTMENTS, PLACES
from tests.portal.random.site import SiteIdent, build_site

FIXED_SEEDS = [3, 11, 19, 42, 77]  # make test's random webs; NIANBAO_WEB_SEED=N tries others


def web_seeds(default: list[int] = FIXED_SEEDS) -> list[int]:
    """The fixed seeds, or the comma-separated ``NIANBAO_WEB_SEED`` instead."""
    raw = os.environ.get("NIANBAO_WEB_SEED", "").strip()
    if not raw:
        return list(default)
    return [int(x) for x in raw.replace(" ", "").split(",") if x]


def _idents(rng: random.Random, n: int) -> list[SiteIdent]:
    out = []
    for place, py, prov, city in rng.sample(PLACES, min(n, len(PLACES))):
        kind = "县" if rng.random() < 0.6 else "区"
        region = f"{prov}{city}{place}{kind}"
        prefix = f"{city or prov}{place}{kind}"
        if rng.random() < 0.35:
            out.append(SiteIdent(f"www.{py}.gov.cn", f"{prefix}人民政府", region, "county", place + kind, True))
        else:
            dept, label = rng.choice(DEPARTMENTS)
            out.append(SiteIdent(f"{label}.{py}.gov.cn", f"{prefix}{dept}", region, "county", place + kind, False))
    return out


def build_random_web(seed: int, n_sites: int = 8, *, overrides: list[dict[str, Any]] | None = None) -> Web:
    """A web of ``n_sites`` sites drawn from ``seed``: the same seed always gives the same web.

    ``overrides``: site ``i`` takes ``overrides[i % len(overrides)]`` over its drawn dimensions
    (e.g. ``[{"delivery": "json_api"}, {"delivery": "split_key", "split": "same_page"}]``), for
    tests that must cover given shapes.
    """
    rng = random.Random(f"nianbao-randweb-{seed}")
    web = Web(seed=seed)
    for n, ident in enumerate(_idents(rng, n_sites)):
        site_rng = random.Random(f"nianbao-randweb-{seed}-{ident.host}")
        dims = draw_dims(site_rng, ident.county)
        if overrides:
            dims = replace(dims, **overrides[n % len(overrides)])
            if dims.delivery == "split_key" and dims.split == "-":
                dims.split = "same_page"
        build_site(web, ident, dims, site_rng)
        web.dims[ident.host] = dims.as_dict()
        web.host_latency[ident.host] = dims.latency_ms / 1000
        web.agencies.append(Agency(ident.agency, f"http://{ident.host}/", ident.region, ident.level, [ident.host]))
    return web


__all__ = ["FIXED_SEEDS", "build_random_web", "web_seeds"]
