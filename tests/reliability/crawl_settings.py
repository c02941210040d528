"""settings.demo plus the reliability lines the lead is asked to add to settings/default.py.

The reliability tests crawl with this module, so they exercise the safety middlewares and the lean
browser before settings/ carries them; once it does, this module changes nothing.
"""

import shutil

from settings.demo import *  # noqa: F403

# --- asked of settings/default.py -------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    **DOWNLOADER_MIDDLEWARES,  # noqa: F405
    "pipelines.safety.RequestGuardMiddleware": 50,
    "pipelines.safety.RetryAfterMiddleware": 560,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "pipelines.safety.BoundedDecompressionMiddleware": 590,
    "pipelines.safety.RedirectGuardMiddleware": 610,
}
NIANBAO_RETRY_AFTER_MAX = 5  # seconds; default.py: 30
DOWNLOAD_HANDLERS = {
    "http": "pipelines.safety.SharedPlaywrightDownloadHandler",
    "https": "pipelines.safety.SharedPlaywrightDownloadHandler",
}
PLAYWRIGHT_ABORT_REQUEST = "pipelines.safety.abort_browser_request"
# Debian's chromium-headless-shell (apt) has no browser UI to carry: about 200 MB less than chromium.
_shell = shutil.which("chromium-headless-shell")
if _shell:
    PLAYWRIGHT_LAUNCH_OPTIONS = {  # noqa: F405
        **PLAYWRIGHT_LAUNCH_OPTIONS,  # noqa: F405
        "executable_path": _shell,
        "args": [
            *PLAYWRIGHT_LAUNCH_OPTIONS["args"],  # noqa: F405
            "--single-process",
            "--no-zygote",
            "--disable-extensions",
            "--blink-settings=imagesEnabled=false",
            "--js-flags=--max-old-space-size=64",
        ],
    }
