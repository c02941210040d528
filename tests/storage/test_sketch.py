"""crawler.sketch: datasketch loaded without scipy, with the same LSH bands and rows as with it."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.e2e.crawl import REPO

_GRID = "[(t / 100, n) for t in range(30, 100, 5) for n in (64, 128, 256)]"


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=True)
    return proc.stdout.strip()


def test_loading_it_leaves_scipy_integrate_unloaded_and_real_afterwards() -> None:
    out = _run("import sys, crawler.sketch as s; print('scipy.integrate' in sys.modules, 'scipy.optimize' in sys.modules);"
               "import scipy.integrate as i; print(i.quad.__module__)")
    assert out.splitlines() == ["False False", "scipy.integrate._quadpack_py"]


def test_loading_it_leaves_redis_unloaded_and_importable_afterwards() -> None:
    out = _run("import sys, crawler.sketch; print('redis' in sys.modules);"
               "import redis, datasketch.storage as st; print(st.redis is None, redis.Redis.__name__)")
    assert out.splitlines() == ["False", "True Redis"]
    # a process that has redis already (a distributed crawl) keeps it
    out = _run("import redis, crawler.sketch, datasketch.storage as st; print(st.redis is redis)")
    assert out == "True"


def test_bands_and_rows_are_the_ones_scipy_gives() -> None:
    ours = _run(f"import json, crawler.sketch, datasketch.lsh as l; assert l.integrate is crawler.sketch.quad;"
                f"print(json.dumps([l._optimal_param(t, n, 0.5, 0.5) for t, n in {_GRID}]))")
    real = _run(f"import json, scipy.integrate, datasketch.lsh as l; assert l.integrate is scipy.integrate.quad;"
                f"print(json.dumps([l._optimal_param(t, n, 0.5, 0.5) for t, n in {_GRID}]))")
    assert json.loads(ours) == json.loads(real)


def test_quad_matches_scipy_on_the_lsh_integrands() -> None:
    from scipy.integrate import quad as scipy_quad

    from crawler.sketch import quad

    for b, r in ((16, 8), (32, 4), (8, 16), (128, 1)):
        def f(s: float, b: int = b, r: int = r) -> float:
            return 1 - (1 - s**r) ** b
        for lo, hi in ((0.0, 0.5), (0.5, 1.0), (0.0, 0.9)):
            assert abs(quad(f, lo, hi)[0] - scipy_quad(f, lo, hi)[0]) < 1e-9
