"""Legacy binary formats (DOC, WPS, RTF) through external converters when they are installed.

LibreOffice turns them into DOCX (then read like any DOCX, tables included); antiword gives plain
text for Word 97-2003 files. Without either, the file is stored raw with a clear reason.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from crawler.model import AttachmentText

from .common import failed, make_result
from .docx import read_docx

TIMEOUT = 120  # seconds; a converter that hangs on a hostile file must not stall the crawl


def _libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def _via_libreoffice(exe: str, body: bytes, kind: str) -> AttachmentText | None:
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        src = Path(tmp) / f"input.{kind}"
        src.write_bytes(body)
        profile = Path(tmp) / "profile"  # a private profile: parallel conversions don't lock each other
        cmd = [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        out = Path(tmp) / "input.docx"
        if not out.is_file():
            return None
        result = read_docx(out.read_bytes())
    result.kind = kind
    if result.extracted:
        result.warnings.append(f"{kind} converted to docx by libreoffice")
    return result


def _via_antiword(exe: str, body: bytes, kind: str) -> AttachmentText | None:
    with tempfile.NamedTemporaryFile(suffix=f".{kind}") as fh:
        fh.write(body)
        fh.flush()
        try:
            proc = subprocess.run(
                [exe, "-m", "UTF-8.txt", "-w", "0", fh.name],
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
    if proc.returncode != 0 or not proc.stdout.strip():
        return None
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    return make_result(kind, lines, [], "", [f"{kind} read as plain text by antiword (tables flattened)"])


def read_office(body: bytes, kind: str) -> AttachmentText:
    """kind is doc, wps or rtf."""
    lo = _libreoffice()
    if lo:
        result = _via_libreoffice(lo, body, kind)
        if result is not None:
            return result
    antiword = shutil.which("antiword")
    if antiword and kind in ("doc", "wps"):
        result = _via_antiword(antiword, body, kind)
        if result is not None:
            return result
    if lo or (antiword and kind in ("doc", "wps")):
        return failed(kind, f"corrupt {kind}: converter could not read it")
    hint = "libreoffice or antiword" if kind != "rtf" else "libreoffice"
    return failed(kind, f"no converter for {kind} (install {hint})")
