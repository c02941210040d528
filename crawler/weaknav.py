"""Weak navigation, followed best first: which held-back links of an agency go in the next round.

A page of the disclosure area links many pages that might lead to the 年报 column (法定主动公开内容,
其他信息, 财政预决算, the site map …). A person looking for the column opens the most promising one,
looks, and only then tries the next. The spider holds such links back (``Site.deferred``) while
the agency's strong leads are followed; once every request of the agency has been answered
(spiders/rounds.py), an agency whose lists gave no report gets its next round: the best-scored held
links (ties together), and after ``max_rounds`` rounds everything still held, so an agency without
reports cannot keep a crawl going one link at a time. The rounds depend only on what was fetched in the rounds before, never on
when responses arrived, so two crawls of one web fetch the same pages.

A site map goes first: a person who finds no 年报 in the menus opens it, and it names the column
on portals that link it nowhere else (one page against a round of hub pages).

Real example: the Huai'an-style static portal of the random webs links 政府信息公开指南, 制度, 财政预决算,
其他信息 and 网站地图 from its disclosure page; the 年报 column sits under 其他信息. Released all at once
they cost five pages; best first, 指南 and 制度 (pages about disclosure, never lists) come last and
are never fetched once 其他信息 has led to the list.
"""

from __future__ import annotations

from typing import NamedTuple


class Held(NamedTuple):
    """A navigation link held back: where it goes, its anchor text and score, and where it was seen."""

    url: str
    text: str
    score: float
    referer: str
    depth: int
    site_map: bool = False  # a site map (网站地图): one page that shows every column, tried first


def next_round(held: list[Held], rounds_done: int, max_rounds: int) -> tuple[list[Held], list[Held]]:
    """(links to follow now, links still held): each URL once, with the best score it was seen with.

    A round releases the site maps held, else every link scored as well as the best one held; round
    ``max_rounds`` (counted from 0) releases them all."""
    best: dict[str, Held] = {}
    for link in held:
        seen = best.get(link.url)
        if seen is None or link.score > seen.score:
            best[link.url] = link
    links = sorted(best.values(), key=lambda h: (not h.site_map, -h.score, h.depth, h.url))
    if not links:
        return [], []
    if rounds_done + 1 >= max_rounds:
        return links, []
    first = links[0]
    now = [h for h in links if (h.site_map, h.score) >= (first.site_map, first.score)]
    return now, links[len(now):]
