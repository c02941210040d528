"""The WARC export replays in pywb: a report page, an attachment and a list page come back byte for byte.

pywb cannot share the project's environment: pywb 2.10 pins ``redis==2.10.6``, and the crawler's
Redis queue needs ``redis>=5`` (scrapy-redis). So pywb lives in a venv of its own,
``~/.cache/nianbao/pywb-venv`` (or ``$NIANBAO_PYWB_VENV``), made on first use with pip; the test is
skipped, saying why, only when that venv cannot be made (no package index). Everything runs on
loopback: two crawls of the simulated web (revisits on, so list pages are logged and the second run
leaves revisit records), the export, ``wb-manager`` indexing it and ``wayback`` serving it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from storage.archive import Archive
from storage.cli import main as nianbao
from tests.e2e.crawl import run_crawl
from tests.ops.conftest import small_seeds

PYWB = "pywb==2.10.0"
VENV = Path(os.environ.get("NIANBAO_PYWB_VENV", Path.home() / ".cache" / "nianbao" / "pywb-venv"))
SITES = ("rsj.laoshan.gov.cn", "rsj.bjdch.gov.cn")  # TRS lists with validators; PDF attachments


def _pywb_bin() -> Path:
    wayback = VENV / "bin" / "wayback"
    if not wayback.exists():
        made = subprocess.run(f"{sys.executable} -m venv {VENV} && {VENV}/bin/python -m pip install -q {PYWB}",
                              shell=True, capture_output=True, text=True, timeout=900, check=False)
        if made.returncode or not wayback.exists():
            pytest.skip(f"pywb could not be installed into {VENV}: {made.stderr.strip()[-300:]}")
    return VENV / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def crawled(portal: Any, web: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("warc")
    db_url = f"sqlite:///{tmp / 'nianbao.db'}"
    seeds = small_seeds(web, tmp / "seeds.csv", unknown=False, sites=SITES)
    portal.set_state("counters", False)  # byte-stable pages: the second run's re-fetches are revisits
    try:
        for _ in range(2):
            result = run_crawl(portal.proxy_url, seeds, db_url, "NIANBAO_REVISIT=1", timeout=180)
            assert result.returncode == 0, result.stderr[-3000:]
    finally:
        portal.set_state("counters", True)
    return tmp, db_url


@pytest.fixture(scope="module")
def wayback(crawled: tuple[Path, str]) -> Iterator[tuple[str, Path]]:
    bin_dir = _pywb_bin()
    tmp, db_url = crawled
    warc = tmp / "nianbao.warc.gz"
    assert nianbao(["export", "--format", "warc", "-o", str(warc), "--db", db_url]) == 0
    root = tmp / "pywb"
    root.mkdir()
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    for args in (["init", "reports"], ["add", "reports", str(warc)]):
        subprocess.run([str(bin_dir / "wb-manager"), *args], cwd=root, env=env, check=True, capture_output=True,
                       timeout=120)
    port = _free_port()
    proc = subprocess.Popen([str(bin_dir / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with _opener().open(base + "/reports/", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"wayback did not start: {proc.stderr.read() if proc.stderr else ''}") from None
                time.sleep(0.3)
        yield base, warc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def test_warc_structure(wayback: tuple[str, Path]) -> None:
    _, warc = wayback
    with warc.open("rb") as fh:
        records = [(r.rec_type, r.rec_headers) for r in ArchiveIterator(fh)]
    assert records[0][0] == "warcinfo"
    assert [t for t, _ in records].count("warcinfo") == 1
    ids = {h.get_header("WARC-Record-ID"): t for t, h in records}
    for i, (kind, headers) in enumerate(records[1:], 1):
        if kind in ("response", "revisit"):  # each capture, then its request, pointing back at it
            request_kind, request = records[i + 1]
            assert request_kind == "request"
            assert request.get_header("WARC-Concurrent-To") == headers.get_header("WARC-Record-ID")
            assert request.get_header("WARC-Target-URI") == headers.get_header("WARC-Target-URI")
    kinds = [t for t, _ in records]
    assert kinds.count("request") == kinds.count("response") + kinds.count("revisit")
    revisits = [h for t, h in records if t == "revisit"]
    assert revisits and all(ids.get(_refers(h)) in (None, "response") for h in revisits)
    assert any(h.get_header("WARC-Profile", "").endswith("server-not-modified") for h in revisits)


def _refers(headers: Any) -> str | None:
    return headers.get_header("WARC-Refers-To")


def test_pywb_replays_report_attachment_and_list_byte_for_byte(wayback: tuple[str, Path],
                                                              crawled: tuple[Path, str]) -> None:
    base, _ = wayback
    archive = Archive.from_url(crawled[1])
    first: dict[str, dict[str, Any]] = {}
    for fetch in archive.fetches():
        if fetch["status"] == 200 and fetch["blob_sha256"] and fetch["kind"] not in first:
            first[fetch["kind"]] = fetch
    assert {"report", "attachment", "list"} <= set(first), set(first)
    for kind in ("report", "attachment", "list"):
        fetch = first[kind]
        stamp = "".join(ch for ch in fetch["fetched_at"] if ch.isdigit())[:14]
        url = fetch["final_url"] or fetch["url"]
        with _opener().open(f"{base}/reports/{stamp}id_/{url}", timeout=30) as resp:
            body = resp.read()
            assert resp.status == 200, (kind, url)
        assert body == archive.blob(fetch["blob_sha256"]), (kind, url, len(body))
    assert first["attachment"]["url"].endswith((".pdf", ".docx")) and body.lstrip().startswith(b"<")
