"""Which hosts belong to the government web: the one rule discovery, extraction and safety share.

A host is in the government web when it is ``gov.cn`` or under it, or a public IP literal (some
real portals live on ``IP:port``, e.g. ``122.137.242.24:8080``). Hosts rewritten by an IPv6
gateway (``www-yuhang-gov-cnx7a72966f93868.ipv6best.cn``) are judged by the host they stand for.
Loopback, private, link-local and reserved addresses never count: a redirect or link to them is
an attack on the crawler's own network, not a government site.
"""

from __future__ import annotations

import ipaddress
import re

# An IPv6 gateway's rewriting: the real host (dots kept, or dots as dashes) + "x" + hex + ".ipv6best.cn"
# ("i-tianqi-comx3211966f93868xx.ipv6best.cn" is i.tianqi.com).
_GATEWAY = re.compile(r"^(?P<host>.+?)x[0-9a-f]{6,}x*\.ipv6best\.cn$")


def undo_gateway(host: str) -> str:
    """``host`` with an IPv6 gateway's rewriting undone (unchanged when there is none)."""
    m = _GATEWAY.match(host)
    if not m:
        return host
    real = m["host"]
    return real if "." in real else real.replace("-", ".")


def bare_host(host: str) -> str:
    """Lower-cased host without port, IPv6 brackets or the trailing dot of a fully qualified name."""
    host = host.strip().lower()
    if host.startswith("["):  # "[2001:db8::1]:8080"
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:  # "122.137.242.24:8080"; a bare IPv6 literal has several colons
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def is_gov_host(host: str) -> bool:
    """True for gov.cn hosts (also behind an IPv6 gateway) and public IP literals; see the module doc."""
    host = undo_gateway(bare_host(host))
    if host == "gov.cn" or host.endswith(".gov.cn"):
        return True
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return False
