"""README.md is a user's guide that works: every command of its ``sh`` blocks runs against the demo
archive, every file it names exists, and its samples are what the demo archive holds.

The commands run in a scratch checkout (``seeds/``, ``scrapy.cfg``, ``data/demo.db`` made by the demo
itself), with ``nianbao`` and ``scrapy`` on ``PATH`` running this tree's code and ``http_proxy``
pointing at the simulated web (real agencies are out of reach here: their rows fail, exit status 1).
Three commands are not run literally: ``make demo`` runs its recipe (``python -m tests.e2e.demo``)
into the scratch checkout, ``make test`` is the suite this test is part of, and ``make browse``
runs its Datasette recipe with ``--get`` (one request, then exit) instead of serving forever.
The scale-out block's placeholder hosts (``queue``, ``db``) become the test Redis (db 15, its own
key prefix) and a fresh PostgreSQL schema.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.crawl import REPO
from tests.pg import pg_schema

README = REPO / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```$", TEXT, flags=re.M | re.S)
# Exit status each command may end with when it is not 0: the real agencies of seeds/china.csv are
# unreachable from the simulated web, so their rows fail.
EXPECTED = {"nianbao seeds check seeds/china.csv": 1, "scrapy crawl reports": 1}
SLOW = ("scrapy crawl reports",)  # crawls: run side by side, in the background
# Files the commands write (they must exist in the scratch checkout afterwards, not in the repo).
OUTPUTS = {"reports.jsonl", "cells.csv", "cells.parquet", "coverage.html", "demo.warc.gz", "data/demo.db",
           "data/nianbao.db"}
SERVER_ONLY = {"data/crawl.log"}  # the crontab line's log, on the server it runs on


def _commands(lang: str = "sh") -> list[list[str]]:
    """The command lines of each block of ``lang`` (one list per block)."""
    return [[line.strip() for line in body.splitlines() if line.strip() and not line.startswith("#")]
            for kind, body in BLOCKS if kind == lang]


def _recipe(target: str) -> str:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, flags=re.M)
    assert match, target
    return match.group(1).strip()


@dataclass
class Ran:
    work: Path
    results: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def ran(portal: Any, pg_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ran]:
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "seeds", work / "seeds")
    (work / "datasette").symlink_to(REPO / "datasette")
    # scrapy.cfg names settings.default; here the same settings without politeness delays.
    (work / "scrapy.cfg").write_text((REPO / "scrapy.cfg").read_text(encoding="utf-8").replace(
        "default = settings.default", "default = tests.ops.readme_default"), encoding="utf-8")
    bin_dir = work / ".bin"
    bin_dir.mkdir()
    for name, module in (("nianbao", "storage.cli"), ("scrapy", "scrapy")):
        shim = bin_dir / name
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m {module} "$@"\n', encoding="utf-8")
        shim.chmod(0o755)
    base = {k: v for k, v in os.environ.items()
            if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "database_url", "redis_url",
                                 "scrapy_settings_module")}
    base.update(PATH=f"{bin_dir}:{os.environ['PATH']}", PYTHONPATH=str(REPO), http_proxy=portal.proxy_url,
                no_proxy="localhost,127.0.0.1", NIANBAO_REDIS_PREFIX=f"readme-{uuid.uuid4().hex[:8]}",
                NIANBAO_IDLE_CLOSE_SECONDS="3")
    out = Ran(work)
    with pg_schema(pg_url, "readme") as pg:
        placeholders = {"settings.distributed": "tests.ops.readme_distributed",
                        "redis://queue:6379/0": redis_url.rsplit("/", 1)[0] + "/15",
                        "postgresql+psycopg://nianbao@db/nianbao": re.sub(r"^postgresql(\+\w+)?://", "postgresql+psycopg://", pg)}
        background: list[tuple[str, subprocess.Popen[str]]] = []  # crawls, side by side with the rest
        for block in _commands():
            env = dict(base)
            quick: list[tuple[str, subprocess.Popen[str], float]] = []
            slow: list[str] = []
            for line in block:
                if line.startswith("export "):
                    name, value = line.removeprefix("export ").split("=", 1)
                    env[name] = placeholders.get(value, value)
                elif line.startswith("make ") or " make " in line:
                    out.results[line] = _make(line, work, env)
                elif line.startswith(SLOW):
                    slow.append(line)  # after the block's other commands (enqueue before the workers)
                else:
                    quick.append((line, _start(line, work, env), time.monotonic()))
            for line, proc, started in quick:  # the block's quick commands ran side by side
                stdout, stderr = proc.communicate(timeout=300)
                out.results[line] = subprocess.CompletedProcess(line, proc.returncode, stdout, stderr)
                print(f"{time.monotonic() - started:6.1f} s  {line}")
            background += [(line, _start(line, work, env)) for line in slow]
        started = time.monotonic()
        for line, proc in background:
            stdout, stderr = proc.communicate(timeout=400)
            print(f"{time.monotonic() - started:6.1f} s  {line} (background)")
            out.results[line] = subprocess.CompletedProcess(line, proc.returncode, stdout, stderr)
        yield out


def _start(line: str, work: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(["bash", "-c", line], cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", errors="replace")


def _make(line: str, work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if line.startswith("make demo"):
        assert _recipe("demo") == "$(PY) -m tests.e2e.demo"
        cmd = [sys.executable, "-m", "tests.e2e.demo", "--db", str(work / "data" / "demo.db")]
    elif line.startswith("make test"):
        assert _recipe("test") == "$(PY) -m pytest -q"
        return subprocess.CompletedProcess(line, 0, "", "")  # the suite this test runs in
    else:
        match = re.match(r"DB=(\S+) make browse$", line)
        assert match, line
        recipe = _recipe("browse").replace("$(VENV)/bin/datasette", f"{sys.executable} -m datasette")
        recipe = recipe.replace("$${DB:-data/nianbao.db}", match.group(1))
        name = Path(match.group(1)).stem
        cmd = ["bash", "-c", f"{recipe} --get /{name}.json"]
    return subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_readme_is_short_and_names_only_files_that_exist(ran: Ran) -> None:
    assert len(TEXT.splitlines()) <= 220
    named = set(re.findall(r"\]\(((?!https?:)[^)#]+)\)", TEXT))
    named |= set(re.findall(r"(?<![\w/.-])((?:[\w-]+/)*[\w.-]+\.(?:py|md|csv|png|yml|toml|db|jsonl|parquet|html|gz|log))\b",
                            TEXT))
    named |= {m for m in re.findall(r"`((?:[\w-]+/)+)`", TEXT)}
    assert {"seeds/china.csv", "docs/performance.md", "docs/coverage.png", "docs/schema.md"} <= named
    for path in sorted(named - SERVER_ONLY):
        if path in OUTPUTS:
            assert (ran.work / path).exists(), f"README names {path}, which its commands did not write"
        else:
            assert (REPO / path).exists(), f"README names {path}, which does not exist"
    assert "seeds/all.csv" not in TEXT and "seeds/province.csv" not in TEXT


def test_every_command_runs(ran: Ran) -> None:
    commands = [c for block in _commands() for c in block if not c.startswith("export ")]
    assert len(commands) >= 15
    for command in commands:
        result = ran.results[command]
        want = next((code for prefix, code in EXPECTED.items() if command.startswith(prefix)), 0)
        assert result.returncode == want, (command, result.returncode, result.stderr[-3000:])
        # No traceback through our code (Scrapy's robots.txt middleware logs its own for unresolvable hosts).
        ours = re.search(rf'File "{re.escape(str(REPO))}/(crawler|spiders|pipelines|storage|settings)/', result.stderr)
        assert ours is None and ("Traceback" not in result.stderr or command.startswith(SLOW)), \
            (command, result.stderr[-3000:])
    crawl = ran.results["scrapy crawl reports -a seeds=seeds/china.csv --job nightly"]
    assert "exit status: 1" in crawl.stderr  # the summary on stderr, as the README says
    assert (ran.work / "data" / "nianbao.db").exists()
    status = next(r for c, r in ran.results.items() if c.startswith("nianbao status"))
    assert "last success" in status.stdout
    # The crontab and systemd lines run the crawl command the sh block runs.
    crawl_line = "scrapy crawl reports -a seeds=seeds/china.csv --job nightly"
    for lang in ("crontab", "ini"):
        body = next(b for kind, b in BLOCKS if kind == lang)
        assert f"/.venv/bin/{crawl_line}" in body or f".venv/bin/{crawl_line}" in body, lang


def test_samples_are_the_demo_archive(ran: Ran) -> None:
    # The reports table: each sample row is a row of the real table (ids depend on crawl order).
    table = ran.results["nianbao reports --db data/demo.db"].stdout.splitlines()
    sample = next(b for kind, b in BLOCKS if kind == "text").splitlines()
    assert sample[:2] == table[:2]

    def without_id(line: str) -> str:
        return line.split(None, 1)[1]

    assert {without_id(r) for r in sample[2:]} <= {without_id(r) for r in table[2:-1]}
    # The JSON record: every key, and every value but ids, times and the cut text.
    shown = json.loads(next(b for kind, b in BLOCKS if kind == "json"))
    records = [json.loads(line) for line in (ran.work / "reports.jsonl").read_text(encoding="utf-8").splitlines()]
    real = next(r for r in records if (r["seed_agency"], r["year"]) == (shown["seed_agency"], shown["year"]))
    assert set(shown) == set(real)
    for key, value in shown.items():
        if key == "text":
            assert real["text"].startswith(value.rstrip("…"))
        elif key not in ("report_id", "fetched_at", "first_seen", "last_seen"):
            assert real[key] == value, key
    # The cells rows: each is a row of cells.csv.
    with (ran.work / "cells.csv").open(encoding="utf-8", newline="") as fh:
        cells = list(csv.DictReader(fh))
    header = next(line for line in TEXT.splitlines() if line.startswith("| seed_agency"))
    keys = [k.strip() for k in header.strip()[1:-1].split("|")]
    after = TEXT.split(header, 1)[1].splitlines()[2:]
    rows = after[: next(i for i, line in enumerate(after) if not line.startswith("| "))]  # this table only
    assert len(rows) >= 4
    for line in rows:
        want = dict(zip(keys, (v.strip() for v in line.strip()[1:-1].split("|")), strict=True))
        assert any(all((float(c[k]) == float(v)) if k == "value" else c[k] == v for k, v in want.items())
                   for c in cells), want
    # The coverage picture is a PNG of the page.
    png = (REPO / "docs" / "coverage.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    assert "nianbao coverage" in (ran.work / "coverage.html").read_text(encoding="utf-8")
