"""A site's dimensions: each drawn on its own from the site's RNG, so seeds cover combinations
nobody wrote by hand. ``SiteDims.as_dict()`` is what ``web.dims[host]`` records for the eval's
table of misses by dimension."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from tests.portal.random.names import COLUMN_NAMES

CMS = ["trs", "hanweb", "gkmlpt", "vsb", "ucap", "jcms", "static"]
ENTRY = ["menu", "tab", "tree", "sitemap"]
DELIVERY = ["static", "script_pager", "json_api", "xml_api", "fragment_api", "split_key", "data_attr",
            "onclick", "load_more", "year_folders"]
SPLIT = ["same_page", "key_in_script_file", "cats_on_other_page"]
PUBLISH = ["html", "wrapper", "pdfjs", "direct_file", "mixed"]
SHARE = ["none", "bshare", "jiathis"]
CREDIT = ["none", "hanweb", "trs", "kaipu", "ucap"]
IFRAMES = ["none", "weather", "stats", "both"]
A11Y = ["none", "toolbar", "elder"]
ENCODING = ["utf-8", "utf-8", "gbk", "gb2312"]


@dataclass
class SiteDims:
    cms: str
    encoding: str
    column_name: str
    depth: int  # clicks from the home page to the 年报 column (sitemap: home → 网站地图 → column)
    entry: str  # where the last link to the column sits
    delivery: str  # how the column's list reaches the browser
    split: str  # split_key only: where the key and the category ids are
    per_page: int
    relative: bool  # links to the column and list entries written relative to the page
    news_mixed: bool  # news items interleaved with the reports
    publish: str  # how a report is published (mixed: drawn per report)
    formats: int  # wrapper: how many file formats the wrapper links (1-3)
    aggregate: bool  # a county portal whose list also carries reports of unseeded agencies
    share: str
    credit: str
    iframes: str
    counter: str  # server: number in the HTML | js: counter script (static bytes)
    a11y: str
    confusables: int
    latency_ms: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def draw_dims(rng: random.Random, county: bool) -> SiteDims:
    """One site's dimensions; ``county``: the agency is a county government (aggregate lists)."""
    delivery = rng.choice(DELIVERY)
    cms = rng.choice(CMS)
    return SiteDims(
        cms=cms,
        encoding=rng.choice(ENCODING),
        column_name=rng.choice(COLUMN_NAMES),
        depth=rng.randint(1, 4),
        entry=rng.choice(ENTRY),
        delivery=delivery,
        split=rng.choice(SPLIT) if delivery == "split_key" else "-",
        per_page=rng.choice([3, 4, 5, 8, 10, 15, 20]),
        relative=rng.random() < 0.5,
        news_mixed=rng.random() < 0.35,
        publish=rng.choice(PUBLISH),
        formats=rng.randint(1, 3),
        aggregate=county and rng.random() < 0.6,
        share=rng.choice(SHARE),
        credit=rng.choice(CREDIT),
        iframes=rng.choice(IFRAMES),
        counter=rng.choice(["server", "js"]),
        a11y=rng.choice(A11Y),
        confusables=rng.randint(0, 4),
        latency_ms=rng.choice([0, 5, 10, 20, 40]),
    )
