"""``build_web``: every site of the simulated web, built in memory from one seeded RNG."""

from __future__ import annotations

import random
from collections.abc import Callable

from tests.portal.model import Agency, Web
from tests.portal.sites import CORE_SITES, Ident

SEED = 20240115
# Replicas rename the place: first syllable by replica number, second by site, so names never collide.
_FIRST = "东西南北中上下前后左右新老大小金"
_SECOND = "港岭湖川溪山沙台泉门源河宁平和城"

SiteBuilder = Callable[[Web, Ident, random.Random], None]


def _sites() -> list[tuple[SiteBuilder, Ident, str]]:
    from tests.portal.sites_extra import EXTRA_SITES

    return [*CORE_SITES, *EXTRA_SITES]


def _replica(ident: Ident, place: str, n: int, site_no: int) -> Ident:
    if n == 0:
        return ident
    new_place = _FIRST[(n - 1) % len(_FIRST)] + _SECOND[site_no % len(_SECOND)] + place[-1]
    labels = ident.host.split(".")
    labels[1] = f"{labels[1]}{n + 1}"
    return Ident(".".join(labels), ident.agency.replace(place, new_place), ident.region.replace(place, new_place),
                 ident.level, original=False)


def build_web(scale: int = 1, *, bad_input: bool = False) -> Web:
    """The whole simulated web; ``scale=k`` adds k-1 renamed copies of every site on new hosts.

    ``bad_input`` adds one more agency whose 年报 list fails in every way (tests of the crawler's
    error accounting); it is off by default so the standard web stays fast and clean.
    """
    from tests.portal.sites_extra import BAD_INPUT_SITE

    web = Web(scale=scale)
    extra = [BAD_INPUT_SITE] if bad_input else []
    for n in range(max(1, scale)):
        for site_no, (builder, base, place) in enumerate(_sites() + extra):
            ident = _replica(base, place, n, site_no)
            rng = random.Random(f"{SEED}-{ident.host}")
            builder(web, ident, rng)
            web.agencies.append(Agency(ident.agency, f"http://{ident.host}/", ident.region, ident.level,
                                       [ident.host]))
    return web
