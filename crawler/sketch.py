"""datasketch's MinHash classes, imported without scipy.

datasketch imports ``scipy.integrate.quad`` at load time. It needs it for one thing: the integral
that picks an LSH index's bands and rows for a threshold. That import pulls in scipy's special,
sparse, linalg and optimize packages, about 40 MB of a crawl's resident memory, and the crawl
with its browser has to stay under 500 MB. While datasketch loads, ``scipy.integrate`` is
therefore a small module whose ``quad`` is a 128-point Gauss-Legendre rule. That rule is exact
for polynomials of degree < 256, and datasketch's integrand, 1 − (1 − s^r)^b with r·b = 128, is
such a polynomial. The stand-in is removed again as soon as datasketch has loaded, so any other
``import scipy.integrate`` gets the real module. If scipy.integrate is already loaded, nothing is
replaced. tests/storage/test_sketch.py checks that the bands and rows chosen are scipy's.

Likewise datasketch imports ``redis`` (8 MB) for Redis-backed LSH storage, which nianbao never uses
(its index lives in memory, storage/dedup.py): while datasketch loads, ``import redis`` fails, so
datasketch takes Redis as absent, and afterwards imports it as usual. A process that has loaded
redis already (a distributed crawl) keeps it.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import Any

import numpy as np

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(128)


def quad(func: Callable[[float], float], a: float, b: float, *args: Any, **kwargs: Any) -> tuple[float, float]:
    """∫ₐᵇ func: the (value, error estimate) pair of ``scipy.integrate.quad``, for polynomials."""
    half, mid = (b - a) / 2.0, (b + a) / 2.0
    total = sum(float(w) * func(half * float(x) + mid, *args) for x, w in zip(_NODES, _WEIGHTS, strict=True))
    return half * total, 0.0


def _load() -> types.ModuleType:
    if "datasketch" in sys.modules:
        return importlib.import_module("datasketch")
    stand_ins: dict[str, types.ModuleType | None] = {}
    if "scipy.integrate" not in sys.modules:
        integrate = types.ModuleType("scipy.integrate")
        integrate.quad = quad  # type: ignore[attr-defined]
        stand_ins["scipy.integrate"] = integrate
    if "redis" not in sys.modules:
        stand_ins["redis"] = None  # a None entry makes ``import redis`` raise ImportError
    sys.modules.update(stand_ins)  # type: ignore[arg-type]  # None blocks an import (the import system's own rule)
    try:
        return importlib.import_module("datasketch")
    finally:
        for name, stand_in in stand_ins.items():
            if name in sys.modules and sys.modules[name] is stand_in:
                del sys.modules[name]


_datasketch = _load()
MinHash = _datasketch.MinHash
LeanMinHash = _datasketch.LeanMinHash
MinHashLSH = _datasketch.MinHashLSH

__all__ = ["LeanMinHash", "MinHash", "MinHashLSH", "quad"]
