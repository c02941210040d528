"""Shared fixtures: real services (PostgreSQL, Redis) and the simulated gov.cn web."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("NIANBAO_REQUIRE_SERVICES") == "1"
PG_URL = os.environ.get("NIANBAO_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("NIANBAO_TEST_REDIS", "redis://127.0.0.1:6379/15")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def need_service(name: str, host: str, port: int) -> None:
    """Skip when a service is down, unless CI said the services are required."""
    if _reachable(host, port):
        return
    message = f"{name} not reachable at {host}:{port}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (NIANBAO_REQUIRE_SERVICES=1)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_url() -> str:
    need_service("PostgreSQL", "127.0.0.1", 5432)
    return PG_URL


@pytest.fixture(scope="session")
def redis_url() -> str:
    need_service("Redis", "127.0.0.1", 6379)
    return REDIS_URL


@pytest.fixture(scope="session")
def web():  # type: ignore[no-untyped-def]
    from tests.portal import build_web

    return build_web(scale=1)


@pytest.fixture(scope="session")
def portal(web) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from tests.portal import Portal

    p = Portal(web, latency=0.0)
    p.start(host="127.0.0.1", port=0)
    try:
        yield p
    finally:
        p.stop()
