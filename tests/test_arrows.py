"""DESIGN.md's arrows, enforced: every module's imports (at top level and inside functions) stay
within the rooms its room may import, and never reach the third-party packages it must not; and
the pipelines never read the spider's state (what it tells them comes in the Hop and the roster)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
OURS = ("crawler", "spiders", "pipelines", "storage", "settings", "tests", "bench")


def arrows() -> dict[str, tuple[set[str], set[str]]]:
    """room → (rooms of ours it may import, third-party packages it must not), from DESIGN.md."""
    text = (REPO / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    block = re.search(r"```arrows\n(.*?)```", text, re.S)
    assert block, "docs/DESIGN.md has no ```arrows block"
    rules: dict[str, tuple[set[str], set[str]]] = {}
    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        room, rest = (part.strip() for part in line.split("→", 1))
        allowed, _, banned = rest.partition("!")
        rules[room] = (set(allowed.split()), set(banned.split()))
    return rules


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every import in a module; relative imports name its own room."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append((node.lineno, path.relative_to(REPO).parts[0]))
            elif node.module:
                found.append((node.lineno, node.module.split(".")[0]))
    return found


RULES = arrows()
MODULES = sorted(p for room in RULES for p in (REPO / room).rglob("*.py"))


def test_every_room_has_modules() -> None:
    assert set(RULES) <= {p.relative_to(REPO).parts[0] for p in MODULES}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_imports_follow_the_arrows(path: Path) -> None:
    room = path.relative_to(REPO).parts[0]
    allowed, banned = RULES[room]
    wrong = [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for line, name in imported(path)
        if (name in OURS and name not in allowed) or name in banned
    ]
    assert not wrong, "; ".join(wrong)


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from pipelines.summary import x\n", encoding="utf-8")
    assert (2, "pipelines") in imported(module)


# Scrapy's own attributes of a spider a component may use; the spider's state it may not: what the
# spider tells the components travels in the Hop (crawler.handoff) and the roster (crawler.roster).
SPIDER_ATTRIBUTES_ALLOWED = {"logger", "name"}


def _is_spider(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "spider") or (isinstance(node, ast.Attribute)
                                                                    and node.attr == "spider")


def spider_reads(path: Path) -> list[tuple[int, str]]:
    """(line, what) of every read of a spider's own state: ``spider.sites``, ``crawler.spider.seeds``,
    ``getattr(spider, "sites")``, ``hasattr(spider, …)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_spider(node.value) and node.attr not in SPIDER_ATTRIBUTES_ALLOWED:
            found.append((node.lineno, f"spider.{node.attr}"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr")
              and node.args and _is_spider(node.args[0])):
            found.append((node.lineno, f"{node.func.id}(spider, …)"))
    return found


@pytest.mark.parametrize("path", sorted((REPO / "pipelines").rglob("*.py")), ids=lambda p: str(p.relative_to(REPO)))
def test_pipelines_never_read_the_spider(path: Path) -> None:
    wrong = [f"{path.relative_to(REPO)}:{line} reads {what}" for line, what in spider_reads(path)]
    assert not wrong, "; ".join(wrong)


def test_the_check_sees_spider_reads(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f(spider, crawler):\n    spider.logger.info('x')\n    n = len(spider.sites)\n"
                      "    crawler.spider.seeds()\n    getattr(spider, 'site_summary', None)\n", encoding="utf-8")
    assert sorted(line for line, _ in spider_reads(module)) == [3, 4, 5]
