"""The real gov.cn pages of ../shared/real (beside the checkout), read at run time, never copied."""

from __future__ import annotations

from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"
PINGTAN = "report_pingtan_2024_trs-hycloud_2021fmt.html"
SHUYANG = "report_shuyang-fgj_2023_ucap_2021fmt_crawlerwrapped.html"
ORDOS_LIST = "list_ordos-engebei_trs_xxgknb_index.html"
PINGTAN_LIST = "list_pingtan_trs-hycloud_zfxxgknb_index.html"


def real_pages() -> list[Path]:
    return sorted(REAL.glob("*.html")) if REAL.is_dir() else []


def real_page(name: str) -> bytes:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{path} absent: the real pages live in ../shared/real beside the checkout")
    return path.read_bytes()
