"""``settings.distributed`` without politeness delays, for the README test (tests/ops/readme_settings.py)."""

from settings.distributed import *  # noqa: F403
from tests.ops.readme_settings import QUICK

globals().update(QUICK)
