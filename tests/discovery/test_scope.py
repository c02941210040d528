"""crawler.scope.is_gov_host: the one "is this the government web" rule, as a table."""

from __future__ import annotations

import pytest

from crawler.scope import bare_host, is_gov_host, undo_gateway

GOV = [
    "gov.cn",
    "www.gov.cn",
    "xxgk.yuhang.gov.cn",
    "WWW.Hangzhou.Gov.CN",  # hosts are case-insensitive
    "www.gov.cn.",  # fully qualified, trailing dot
    "xxgk.yuhang.gov.cn:8080",
    "122.137.242.24",  # real portals on a bare public address
    "122.137.242.24:8080",
    "[2400:3200::1]",  # a public IPv6 literal, bracketed as in a URL's netloc
    "[2400:3200::1]:443",
    "2400:3200::1",
    "www.yuhang.gov.cnx7a72966f93868.ipv6best.cn",  # IPv6 gateway, dots kept
    "www-yuhang-gov-cnx3211966f93868xx.ipv6best.cn",  # IPv6 gateway, dots as dashes
]
NOT_GOV = [
    "",
    "localhost",
    "127.0.0.1",  # loopback
    "127.0.0.1:6800",
    "[::1]",
    "::1",
    "10.0.0.8",  # private
    "192.168.1.1:8080",
    "172.16.5.4",
    "169.254.169.254",  # link-local (cloud metadata)
    "0.0.0.0",
    "240.0.0.1",  # reserved
    "100.64.0.1",  # carrier-grade NAT, not global
    "[fd00::1]",  # unique local IPv6
    "www.yuhang-gov.com",
    "gov.cn.example.com",
    "notgov.cn",  # ends in "gov.cn" but is not under it
    "www.acas.org.cnx7a72966f93868.ipv6best.cn",  # a gateway in front of a non-gov host
    "ipv6best.cn",
    "999.1.1.1",
]


@pytest.mark.parametrize("host", GOV)
def test_gov_hosts(host: str) -> None:
    assert is_gov_host(host)


@pytest.mark.parametrize("host", NOT_GOV)
def test_not_gov_hosts(host: str) -> None:
    assert not is_gov_host(host)


def test_bare_host_and_gateway() -> None:
    assert bare_host("[2400:3200::1]:443") == "2400:3200::1"
    assert bare_host("Example.GOV.cn.:80") == "example.gov.cn"
    assert undo_gateway("i-tianqi-comx3211966f93868xx.ipv6best.cn") == "i.tianqi.com"
    assert undo_gateway("www.acas.org.cnx7a72966f93868.ipv6best.cn") == "www.acas.org.cn"
    assert undo_gateway("www.gov.cn") == "www.gov.cn"
