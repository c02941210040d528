"""How a report reaches the web: an HTML body, a short wrapper page linking its file in one to
three formats, a pdf.js viewer page, or the file linked straight from the list. Each call records
the ground truth: the URLs serving the report's text, the wrapper URLs (sightings only), key cells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from tests.portal.attachments import lazy
from tests.portal.model import Response, TrueReport
from tests.portal.random.kit import RandKit
from tests.portal.reportgen import Doc, GenReport
from tests.portal.sitekit import doc_html, esc
from tests.portal.tables import t3_row_keys

_MIME = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
VIEWER = "/pdfjs/web/viewer.html"


@dataclass
class Item:
    """One entry of a list: a report, a confusable, a news item."""

    title: str
    href: str  # site path (lists may write it relative)
    when: datetime
    year: int = 0  # the year it is about (year folders); 0: the publication year


def key_cells(rep: GenReport) -> dict[str, object]:
    """The cells an eval checks (schema.md paths): 表三 totals and 表四 totals; none for legacy."""
    if rep.fmt == "legacy":
        return {}
    rows = dict(zip(t3_row_keys(rep.fmt), rep.t3, strict=True))
    cells: dict[str, object] = {}
    for key in ("new_received", "carried_over", "granted", "results_total", "carried_forward"):
        cells[f"requests.rows.{key}[6]"] = rows[key][6]
    cells["requests.rows.new_received[0]"] = rows["new_received"][0]
    for n, part in enumerate(("review", "litigation_direct", "litigation_after_review")):
        cells[f"review_litigation.{part}.total"] = rep.t4[n * 5 + 4]
    return cells


def _file(kit: RandKit, doc: Doc, when: datetime, ext: str) -> str:
    path = kit.file_path(when, ext)
    kit.add_bytes(path, _MIME[ext], lazy=lazy(ext, doc), when=when)
    return path


def _download_handler(kit: RandKit, path: str) -> str:
    """A Hanweb-style ``downfile.jsp?filename=…`` URL serving the same bytes as ``path``."""
    page = kit.web.pages[(kit.s.host, path)]
    route = "/module/download/downfile.jsp"
    files = kit.downfiles
    name = path.rsplit("/", 1)[-1]
    files[name] = page
    if (kit.s.host, route) not in kit.web.handlers:
        def download(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
            got = files.get((q.get("filename") or [""])[0])
            if got is None:
                return Response(404, "text/html; charset=utf-8", "<h1>文件不存在</h1>".encode())
            if got.body is None and got.lazy is not None:
                got.body = got.lazy()
            return Response(200, got.content_type, got.body or b"",
                            {"Content-Disposition": f"attachment; filename={name}"})

        kit.web.handlers[(kit.s.host, route)] = download
    return f"{route}?classid=0&filename={quote(name)}"


def publish(kit: RandKit, form: str, rep: GenReport, when: datetime, column_dir: str, column: str,
            crumbs: list[tuple[str, str]], *, seeded: bool = True, formats: int = 1) -> Item:
    """Put one report on the site as ``form`` (html | wrapper | pdfjs | direct_file); the list links
    the returned item. ``seeded=False``: an agency outside the seed list (truth: out_of_seed)."""
    doc = rep.doc()
    urls: list[str] = []
    wrappers: list[str] = []
    kind = "html"
    if form == "html":
        path = kit.article_path(column_dir, when)
        kit.article(path, doc.title, doc_html(doc), when, column, crumbs, source=rep.agency)
        urls.append(kit.url(path))
        href = path
    elif form == "direct_file":
        kind = kit.rng.choice(["pdf", "pdf", "docx"])
        href = _file(kit, doc, when, kind)
        urls.append(kit.url(href))
    elif form == "wrapper":
        exts = ["pdf", "docx", "download"][: max(1, formats)]
        if formats == 1:
            exts = [kit.rng.choice(["pdf", "docx"])]
        kind = exts[0]
        links = []
        first = ""
        for ext in exts:
            if ext == "download":  # the same PDF again behind a download script
                target = _download_handler(kit, first)
                links.append(f'<a href="{esc(target)}">点击下载</a>')
            else:
                target = _file(kit, doc, when, ext)
                first = first or target
                links.append(f'<a href="{target}">{esc(doc.title)}.{ext}</a>')
            urls.append(kit.url(target))
        path = kit.article_path(column_dir, when)
        body = (f'<p style="text-indent:2em">{esc(doc.title)}全文详见附件。</p>'
                f'<p>附件：{"<br>".join(links)}</p>')
        kit.article(path, doc.title, body, when, column, crumbs, source=rep.agency)
        wrappers.append(kit.url(path))
        href = path
    elif form == "pdfjs":
        kind = "pdf"
        pdf = _file(kit, doc, when, "pdf")
        urls.append(kit.url(pdf))
        viewer = f"{VIEWER}?file={quote(pdf, safe='')}"
        path = kit.article_path(column_dir, when)
        body = (f'<div class="pdf-view"><iframe src="{esc(viewer)}" width="100%" height="900" frameborder="0">'
                f'</iframe></div><p><a href="{pdf}" target="_blank">下载PDF</a></p>')
        kit.article(path, doc.title, body, when, column, crumbs, source=rep.agency)
        wrappers += [kit.url(path), kit.url(viewer)]
        href = path
        _viewer(kit)
    else:
        raise ValueError(form)
    truth = TrueReport(rep.agency, rep.year, urls, doc.fmt, False, kind, doc.title, wrappers=wrappers,
                       cells=key_cells(rep), host=kit.s.host)
    (kit.web.reports if seeded else kit.web.out_of_seed).append(truth)
    return Item(doc.title, href, when, rep.year)


def _viewer(kit: RandKit) -> None:
    """pdf.js's viewer.html: one static page for every file (the file comes from ``?file=``)."""
    if (kit.s.host, VIEWER) in kit.web.pages:
        return
    html = ('<!DOCTYPE html><html dir="ltr"><head><meta charset="utf-8"><title>PDF.js viewer</title>'
            '<link rel="stylesheet" href="viewer.css"><script src="../build/pdf.js"></script>'
            '<script src="viewer.js"></script></head><body tabindex="1"><div id="outerContainer">'
            '<div id="toolbarContainer"><button id="download" class="toolbarButton download" title="下载">'
            '<span>Download</span></button></div><div id="viewerContainer"><div id="viewer" class="pdfViewer">'
            '</div></div></div></body></html>')
    kit.add_bytes(VIEWER, "text/html; charset=utf-8", html.encode())
