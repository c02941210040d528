"""Default settings: a polite crawl of real portals into the embedded SQLite archive."""

import os
import shutil

from scrapy.settings import default_settings as _default_settings

BOT_NAME = "nianbao"
# Only the one-machine spider: spiders.distributed has the same name ("reports") and is what
# settings.distributed loads; walking both would warn on every crawl and pick one by module order.
SPIDER_MODULES = ["spiders.reports"]
NEWSPIDER_MODULE = "spiders"

# Where the archive lives; DATABASE_URL in the environment wins (PostgreSQL for many machines).
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///data/nianbao.db")

# Politeness (DESIGN.md "Defaults a user expects").
USER_AGENT = "nianbao/0.1 (+https://github.com/nianbao/nianbao; research archive of 政府信息公开工作年度报告)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy starts this many asyncio workers for every callback's output, however few items it has; only
# the reading stage waits (for its process), so 100 (the default) only costs ~50 idle tasks per response.
CONCURRENT_ITEMS = 8
# Payloads are read (extract, classify, parse, fingerprint) in this many reading processes, so the reactor keeps
# fetching and storing meanwhile (pipelines/workers.py); 0 reads in the crawler process. Each is a
# whole Python process with lxml and the readers (tens of MB): one per core beyond the crawler's own.
NIANBAO_READ_WORKERS = 1
# A payload whose reading takes longer than this (seconds) is given up and its process replaced.
NIANBAO_READ_TIMEOUT = 300
# Responses waiting for their reading stay in memory with Scrapy's cached decoded text and parsed
# DOM: past 2 MB of bodies in process, Scrapy starts no new download. Scrapy's 5 MB let hundreds
# of pages pile up waiting at the larger scales, growing the crawler, with no gain in speed
# (figures: docs/performance.md, "Figures moved from code comments").
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 2_000_000
DOWNLOAD_DELAY = 1.0
# Broad crawls (hundreds of agencies): take the next request from the host with the fewest requests
# in the downloader, round robin, instead of the highest priority anywhere, which keeps the 16
# requests in flight on a few hosts each waiting out its delay. make bench's 300-site polite crawl
# (bench/breadth.py) took 216-242 s with it against 337 s with Scrapy's default queue.
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
# CONCURRENT_REQUESTS caps transfers, not requests waiting out robots.txt or their host's delay
# (pipelines/transfers.py); with delays, up to NIANBAO_DOWNLOADER_HELD_MAX requests wait in the
# downloader so that a host whose delay has passed has one ready (make bench's 300-site polite
# crawl, docs/performance.md).
DOWNLOADER = "pipelines.transfers.TransferCappedDownloader"
NIANBAO_DOWNLOADER_HELD_MAX = 64
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024
DOWNLOAD_WARNSIZE = 10 * 1024 * 1024
RETRY_TIMES = 2
# A browser page that timed out (a JavaScript list rendering under load) is tried again like any
# timed-out download, instead of losing the list's reports for this run.
RETRY_EXCEPTIONS = [*_default_settings.RETRY_EXCEPTIONS, "playwright.async_api.TimeoutError"]
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote control runs a local HTTP server that executes Python sent to it: nothing a
# cron crawler should expose.
REMOTE_CONTROL_ENABLED = False
# The spider sees 404/410 itself: a report URL that vanished is archive news, not an error.
HTTPERROR_ALLOWED_CODES = [304, 404, 410]

# Focused crawl (spiders/reports.py; list plug-ins crawler/lists/ walked by spiders/listwalk.py).
NIANBAO_SITE_PAGE_BUDGET = 400  # pages per agency site per run
NIANBAO_MAX_DEPTH = 5  # navigation hops from the seed page (pagination does not count)
NIANBAO_LIST_PAGES_MAX = 200  # pagination pages per list
NIANBAO_BROWSER_PAGES_PER_SITE = 10  # pages rendered in Chromium per agency site
# A rendered list's pager without a URL is clicked at most this often, each click given this long
# to settle (spiders/render.py); a pager that brings back a DOM seen before stops sooner.
NIANBAO_BROWSER_CLICKS = 10
NIANBAO_BROWSER_CLICK_WAIT = 5.0
# Weak navigation (crawler.links score below NIANBAO_FOCUS_NAV_SCORE: 其他信息, 网站地图 …) waits
# until the agency's lists are seen to give no report, then goes best first, one score level per
# round (crawler.weaknav); round NIANBAO_WEAK_NAV_ROUNDS releases all that is left.
NIANBAO_DEFER_NAV = True
NIANBAO_FOCUS_NAV_SCORE = 28.0
NIANBAO_WEAK_NAV_ROUNDS = 4
NIANBAO_HANWEB_PERPAGE = 1000  # ask Hanweb dataproxy.jsp for this many records at once

# Re-crawls (issues 6, 22): every known report and file is checked on every run, as cheaply as its
# server allows (pipelines/revisit.py, storage/revisit.py plan_check): a conditional GET where it gave
# ETag/Last-Modified; otherwise a HEAD (Content-Length), and a full download when that changed, when a
# list linking it changed, in its rotation slot while the site's byte budget lasts, and always once its
# last full download is NIANBAO_MAX_DETECTION_RUNS - 1 runs old (so every report is read whole at least
# every NIANBAO_MAX_DETECTION_RUNS runs). List pages are revalidated on their schedule (storage/revisit.py).
# NIANBAO_NOW (ISO 8601) replaces the clock for tests and replays; events go to the webhook at close.
NIANBAO_REVISIT = True
NIANBAO_MAX_DETECTION_RUNS = 4
NIANBAO_REVISIT_SITE_BYTES = 2_000_000  # per agency site per run, for downloads made without a signal
NIANBAO_REVISIT_KNOWN = True  # ask for known reports nothing linked on this run (spiders/known.py)
NIANBAO_NOW = os.environ.get("NIANBAO_NOW", "")
NIANBAO_WEBHOOK_URL = os.environ.get("NIANBAO_WEBHOOK_URL", "")

ITEM_PIPELINES = {
    "pipelines.capture.CapturePipeline": 100,
    "pipelines.extract.ExtractPipeline": 200,
    "pipelines.archive.ArchivePipeline": 400,
}
DOWNLOADER_MIDDLEWARES = {
    # Safety first: refuse unsafe URLs and redirects before any connection; bounded decompression
    # instead of Scrapy's own (bombs); Retry-After honoured up to NIANBAO_RETRY_AFTER_MAX seconds.
    "pipelines.safety.RequestGuardMiddleware": 50,
    "pipelines.safety.RetryAfterMiddleware": 560,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "pipelines.safety.BoundedDecompressionMiddleware": 590,
    "pipelines.safety.RedirectGuardMiddleware": 610,
    # A resumed --job answers what its earlier runs fetched from the fetch log (pipelines.frontier).
    "pipelines.frontier.ReplayMiddleware": 555,
    "pipelines.revisit.RevisitMiddleware": 570,
    "pipelines.revisit.ListRevalidationMiddleware": 575,
    "pipelines.conditional.ConditionalRequestMiddleware": 580,
}
# The two switched off above are left out of Scrapy's own list as well: Scrapy imports every
# listed component, even one set to None, and the remote control's aiohttp is 7 MB of the crawl's
# resident memory (make bench's 500 MB goal).
EXTENSIONS_BASE = {path: order for path, order in _default_settings.EXTENSIONS_BASE.items()
                   if path not in ("scrapy.extensions.remote_control.RemoteControl",
                                   "scrapy.extensions.telnet.TelnetConsole")}
EXTENSIONS = {
    "pipelines.frontier.Frontier": 490,  # only with --job; before RunSummary, which reports it
    "pipelines.summary.RunSummary": 500,
    "pipelines.progress.CrawlProgress": 510,
    # expected network failures (DNS, refused, timeouts, robots.txt): one log line per host and reason
    "pipelines.netlog.QuietNetwork": 520,
}
# Operations (issue 8): a progress line every N seconds (0 = off); `scrapy crawl reports --job NAME`
# keeps its frontier in NIANBAO_JOBS_DIR/NAME (pipelines.frontier: a journal kill -9 cannot tear;
# not Scrapy's JOBDIR, whose disk queues a kill tears and whose spider state is saved only at close).
NIANBAO_PROGRESS_INTERVAL = 60.0
NIANBAO_JOBS_DIR = "data/jobs"

# JavaScript lists: scrapy-playwright with the system Chromium, used only for requests that ask for it.
# One shared scrapy-playwright handler for http and https (one browser, one driver, not two).
DOWNLOAD_HANDLERS = {
    "http": "pipelines.browser.SharedPlaywrightDownloadHandler",
    "https": "pipelines.browser.SharedPlaywrightDownloadHandler",
}
# The Node driver and Chromium run only while pages need them (pipelines.browser).
PLAYWRIGHT_BROWSER_PROVIDER = "pipelines.browser.OnDemandBrowserProvider"
NIANBAO_BROWSER_IDLE_CLOSE = 10.0
PLAYWRIGHT_ABORT_REQUEST = "pipelines.safety.abort_browser_request"
NIANBAO_RETRY_AFTER_MAX = 30
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
PLAYWRIGHT_BROWSER_TYPE = "chromium"
# Debian's chromium-headless-shell carries no browser UI (about 200 MB less than chromium).
_shell = shutil.which("chromium-headless-shell")
_chromium = os.environ.get("NIANBAO_CHROMIUM") or next(
    (p for p in (_shell, shutil.which("chromium"), shutil.which("chromium-browser"), shutil.which("google-chrome")) if p),
    None,
)
PLAYWRIGHT_LAUNCH_OPTIONS: dict = {
    "headless": True,
    # No sandbox (root in containers); and no background traffic: Chromium's own calls home would
    # go through the crawl's proxy and count against nobody's budget.
    "args": [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync", "--no-pings",
        "--disable-domain-reliability", "--disable-default-apps", "--disable-extensions",
        "--disable-client-side-phishing-detection", "--disable-features=Translate,OptimizationHints,MediaRouter,BackForwardCache,PaintHolding",
    ],
}
if _chromium:
    PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"] = _chromium
if _chromium and _chromium == _shell:
    # One process, small JS heap, no images, no disk or media caches (-14 MB): a list page needs none
    # of the rest. (Smaller V8 young generations and lite mode saved more, but in crawls at 16x scale
    # they coincided with JavaScript lists timing out, so they stay off.)
    PLAYWRIGHT_LAUNCH_OPTIONS["args"] += [
        "--single-process", "--no-zygote", "--blink-settings=imagesEnabled=false",
        "--js-flags=--max-old-space-size=64",
        "--disk-cache-size=1", "--media-cache-size=1", "--force-device-scale-factor=1",
        "--disable-dev-shm-usage", "--disable-software-rasterizer",
    ]
_proxy = os.environ.get("http_proxy") or os.environ.get("HTTP_PROXY")
if _proxy:
    # The browser must take the same road as Scrapy's own downloader.
    PLAYWRIGHT_LAUNCH_OPTIONS["proxy"] = {"server": _proxy}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4

LOG_LEVEL = os.environ.get("NIANBAO_LOG_LEVEL", "INFO")
LOG_FORMATTER = "pipelines.summary.QuietDropFormatter"
FEED_EXPORT_ENCODING = "utf-8"
COMMANDS_MODULE = "pipelines.commands"
