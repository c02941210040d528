"""The README's crawl commands run against the simulated web in tests/ops/test_readme.py: the same
settings modules, without politeness delays (as ``settings.demo``), so the test takes seconds.

``default`` stands in for ``settings.default`` (named by the scratch checkout's scrapy.cfg),
``distributed`` for ``settings.distributed`` (the scale-out block's ``SCRAPY_SETTINGS_MODULE``).
"""

QUICK = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
         "DOWNLOAD_TIMEOUT": 20, "RETRY_TIMES": 1}
