"""The simulated gov.cn web (tests/portal/): same pipeline, no politeness delays, demo database."""

import os

from settings.default import *  # noqa: F403

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///data/demo.db")
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_TIMEOUT = 20
RETRY_TIMES = 1
# Back-to-back demo and e2e crawls fetch everything; tests turn revisits on with -s NIANBAO_REVISIT=1.
NIANBAO_REVISIT = False
NIANBAO_PROGRESS_INTERVAL = 2.0  # issue 8: a progress line every 2 s in the demo
