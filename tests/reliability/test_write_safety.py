"""Safety of what we write: hostile titles and text go through the real stages into a real SQLite
archive and come back intact (SQL only through bound parameters), stay text in the exports and in
Datasette's HTML, and no filesystem path is built from a URL."""

from __future__ import annotations

import ast
import asyncio
import csv
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text as sql

from crawler.extract import extract
from crawler.model import Seed
from crawler.parse import parse
from storage.archive import Archive
from storage.cli import main as storage_cli
from tests.reliability.fuzz import fixture_files
from tests.reliability.harness import write_result

REPO = Path(__file__).resolve().parents[2]
INJECTIONS = [
    "'); DROP TABLE report_version; --",
    "\" OR 1=1; DELETE FROM agency WHERE ''='",
    "x' UNION SELECT sha256, data FROM blob --",
]
SCRIPT = "<script>alert('nianbao')</script>"
# the report page is 毕节市金沙县教育局's: the seed names that agency (hostile strings inside), or the
# archive would rightly not store another agency's report under it (crawler.identity.other_agency)
AGENCY = f"毕节市金沙县{SCRIPT}{INJECTIONS[1]}教育局"
URL = "http://rsj.laoshan.gov.cn/zfxxgk/nb/t20220226_1.html?q=%27%3B%20DROP%20TABLE%20fetch%3B--"
RESULTS: dict[str, Any] = {}


def _page() -> bytes:
    """A real 2021-format report page from the extract fixtures, title and body made hostile."""
    source = next(p for p in fixture_files("extract", "input.html") if p.parent.name == "falsepos_jinsha_2021")
    html = source.read_bytes().decode("utf-8", "replace")
    title = f"2021年政府信息公开工作年度报告{INJECTIONS[0]}"
    # into the report's own first paragraph, where the extractor keeps text (not the page chrome)
    hostile = f"{INJECTIONS[0]} &lt;script&gt;alert('nianbao')&lt;/script&gt; {INJECTIONS[2]} "
    assert "本报告根据" in html
    html = html.replace("<title>", f"<title>{title}", 1).replace("本报告根据", hostile + "本报告根据", 1)
    return html.encode("utf-8")


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Archive, Path, dict[str, Any]]]:
    db = tmp_path_factory.mktemp("writes") / "w.db"
    archive = Archive.from_url(f"sqlite:///{db}")
    body = _page()
    doc = extract(body, URL, "text/html; charset=utf-8")
    report = parse(doc)
    run = archive.start_run({"spider": INJECTIONS[0]})
    agency = archive.upsert_agency(Seed(agency=AGENCY, url="http://rsj.laoshan.gov.cn/", region=INJECTIONS[2],
                                        level="county", domains=("rsj.laoshan.gov.cn",)))
    now = datetime(2026, 11, 22, 8, 0)
    rec = archive.record_fetch(run_id=run, url=URL, final_url=URL, status=200,
                               headers={"Content-Type": "text/html", "ETag": f'"{INJECTIONS[1]}"'}, body=body,
                               content_type="text/html", encoding="utf-8", fetched_at=now)
    result = archive.archive_document(run_id=run, agency_id=agency, fetch_id=rec.fetch_id, url=URL, doc=doc,
                                      report=report, fetched_at=now)
    yield archive, db, {"doc": doc, "outcome": result.outcome}
    write_result("writes", RESULTS)


def test_sql_injection_strings_come_back_intact(archived: tuple[Archive, Path, dict[str, Any]]) -> None:
    archive, _db, info = archived
    doc = info["doc"]
    assert any(i in doc.text for i in INJECTIONS), doc.text[:300]  # the stage kept them as text
    records = list(archive.export_versions())
    assert len(records) == 1, info["outcome"]
    rec = records[0]
    for needle in INJECTIONS:
        if needle in doc.text:
            assert needle in rec["text"]
    assert rec["text"] == doc.text or all(i in rec["text"] for i in INJECTIONS if i in doc.text)
    assert INJECTIONS[0] in (rec["title"] or "") or INJECTIONS[0] in rec["text"]
    assert rec["url"] == URL
    assert archive.reports()[0]["agency"] in (AGENCY, rec["agency"])
    assert archive.validators(URL)[0] == f'"{INJECTIONS[1]}"'
    with archive.engine.connect() as conn:
        tables = {r[0] for r in conn.execute(sql("SELECT name FROM sqlite_master WHERE type='table'"))}
        agencies = [r[0] for r in conn.execute(sql("SELECT name FROM agency"))]
    assert {"report_version", "agency", "fetch", "blob"} <= tables
    assert AGENCY in agencies
    RESULTS["sql"] = {"inputs": INJECTIONS, "stored_and_read_back": True, "tables_intact": sorted(tables)}


def test_script_stays_text_in_exports(archived: tuple[Archive, Path, dict[str, Any]], tmp_path: Path) -> None:
    _archive, db, info = archived
    assert SCRIPT in info["doc"].text  # an escaped script on the page is report text, kept verbatim
    out = tmp_path / "e.jsonl"
    assert storage_cli(["export", "--format", "jsonl", "--db", f"sqlite:///{db}", "-o", str(out)]) == 0
    line = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert SCRIPT in line["text"]
    out_csv = tmp_path / "e.csv"
    assert storage_cli(["export", "--format", "csv", "--db", f"sqlite:///{db}", "-o", str(out_csv)]) == 0
    with out_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1 and SCRIPT in rows[0]["text"] and rows[0]["url"] == URL
    RESULTS["exports"] = {"input": SCRIPT, "jsonl": "verbatim (JSON string)", "csv": "verbatim (quoted field)"}


def test_datasette_renders_script_as_text(archived: tuple[Archive, Path, dict[str, Any]]) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    _archive, db, _info = archived

    async def page() -> str:
        ds = datasette_app.Datasette([str(db)])
        await ds.invoke_startup()
        response = await ds.client.get(f"/{db.stem}/report_version?_size=5")
        assert response.status_code == 200
        return response.text

    html = asyncio.run(page())
    assert "&lt;script&gt;alert(" in html
    assert SCRIPT not in html
    RESULTS["datasette"] = {"input": SCRIPT, "rendered": "escaped as &lt;script&gt;"}


def test_coverage_page_escapes_archived_text(archived: tuple[Archive, Path, dict[str, Any]],
                                             tmp_path: Path) -> None:
    coverage_html = pytest.importorskip("storage.coverage_html")
    archive, _db, _info = archived
    out = tmp_path / "coverage.html"
    coverage_html.render(archive, out)
    page = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page  # the agency name is on the page, escaped
    assert "<script" not in page.lower()
    RESULTS["coverage_html"] = {"input": AGENCY, "rendered": "escaped; no <script> element on the page"}


_URLISH = ("url", "href", "host", "location", "link")
_PATH_CALLS = {"open", "Path", "join", "mkdir", "write_text", "write_bytes", "makedirs", "joinpath"}
# Reviewed: (file, function) → why its "url" is not a crawled URL.
_REVIEWED = {
    ("storage/cli_archive.py", "open_archive"): "--db / DATABASE_URL given on the command line, not crawled",
    ("storage/db.py", "make_engine"): "DATABASE_URL from the environment, not crawled",
}


def _mentions_url(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        name = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else ""
        if any(word in name.lower() for word in _URLISH):
            return True
    return False


def _path_from_url(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        fn = node.func
        name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
        if name == "join" and not ast.unparse(fn).endswith("path.join"):
            return False  # str.join
        return name in _PATH_CALLS and any(_mentions_url(a) for a in node.args)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and _mentions_url(node.right):
        left = ast.unparse(node.left).lower()
        return any(w in left for w in ("path", "dir", "tmp", "folder", "root"))
    return False


def test_no_filesystem_path_is_built_from_a_url() -> None:
    """Every Path()/open()/os.path.join()/``/`` in our code whose operands mention a URL-ish name."""
    offenders, reviewed = [], []
    for folder in ("crawler", "storage", "spiders", "pipelines", "settings"):
        for path in sorted((REPO / folder).rglob("*.py")):
            rel = str(path.relative_to(REPO))
            tree = ast.parse(path.read_text(encoding="utf-8"))
            scopes = [(f.name, f) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)]
            for node in ast.walk(tree):
                if not _path_from_url(node):
                    continue
                owner = next((n for n, f in reversed(scopes)
                              if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)), "")
                if (rel, owner) in _REVIEWED:
                    reviewed.append(f"{rel}:{owner} ({_REVIEWED[(rel, owner)]})")
                else:
                    offenders.append(f"{rel}:{node.lineno} in {owner or 'module'}")
    RESULTS["paths"] = {"scanned": ["crawler", "storage", "spiders", "pipelines", "settings"],
                        "paths_from_urls": offenders, "reviewed": sorted(set(reviewed))}
    assert not offenders, offenders


def test_no_html_writer_without_escaping() -> None:
    """We produce no HTML of our own today (Datasette renders the archive); a module that starts
    writing markup must escape (html.escape / markupsafe / jinja2 autoescape)."""
    writers = []
    # crawler/ reads HTML (its patterns mention tags); the writers are the CLIs, storage, pipelines
    paths = [*sorted((REPO / "storage").rglob("*.py")), *sorted((REPO / "pipelines").rglob("*.py")),
             REPO / "crawler" / "cli.py"]
    for path in paths:
        source = path.read_text(encoding="utf-8")
        markup = any(isinstance(n, ast.Constant) and isinstance(n.value, str)
                     and any(t in n.value for t in ("<td", "<tr", "<li", "<html", "<div", "<p>"))
                     for n in ast.walk(ast.parse(source)))
        if markup:
            escapes = any(k in source for k in ("html.escape", "markupsafe", "autoescape", "escape("))
            writers.append((str(path.relative_to(REPO)), escapes))
    RESULTS["html_writers"] = writers
    assert all(ok for _, ok in writers), writers
