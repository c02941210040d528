"""settings.demo with a short Retry-After cap, so the 429 case of the hostile web stays quick."""

from settings.demo import *  # noqa: F403

NIANBAO_RETRY_AFTER_MAX = 5  # seconds; settings.default: 30
