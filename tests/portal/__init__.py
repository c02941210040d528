"""The simulated gov.cn web used by tests and ``make demo`` (see tests/portal/README.md).

``build_web()`` builds every site in memory; ``Portal(web)`` serves it as a local HTTP server that
is also a plain-HTTP forward proxy, so a crawler pointed at it with ``http_proxy`` sees real-looking
gov.cn hosts.
"""

from tests.portal.build import build_web
from tests.portal.model import Confusable, RequestLog, TrueReport, Web
from tests.portal.server import Portal

__all__ = ["Confusable", "Portal", "RequestLog", "TrueReport", "Web", "build_web"]
