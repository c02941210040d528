"""Every entry point answers ``--help`` and does nothing else: no archive opened or created, no file
written, no crawl, no demo database deleted."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cli import build_parser
from storage.cli import main as nianbao
from tests.e2e.crawl import REPO

MODULES = ["tests.e2e.demo", "tests.portal", "bench.run", "tests.eval.extract", "tests.eval.parse",
           "tests.reliability.report", "storage.cli", "crawler.cli"]
# Files a run of those modules writes or deletes; --help must leave them as they are.
WATCHED = ["data/demo.db", "data/nianbao.db", "bench/results.json", "bench/results.md", "RELIABILITY.md"]


def _subcommands() -> list[list[str]]:
    """Every ``nianbao`` subcommand, nested ones (``seeds check``) included."""
    import storage.cli as cli

    captured: dict[str, argparse.ArgumentParser] = {}
    original = build_parser

    def spy() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:  # type: ignore[type-arg]
        parser, sub = original()
        captured["parser"] = parser
        return parser, sub

    cli.build_parser = spy  # type: ignore[assignment]
    try:
        with pytest.raises(SystemExit):
            nianbao(["--help"])
    finally:
        cli.build_parser = original  # type: ignore[assignment]
    out: list[list[str]] = []

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    out.append([*prefix, name])
                    walk(child, [*prefix, name])

    walk(captured["parser"], [])
    return out


def test_every_nianbao_subcommand_answers_help(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'absent.db'}")
    commands = _subcommands()
    names = {" ".join(c) for c in commands}
    assert {"reports", "coverage", "cells", "export", "seeds", "seeds check", "status"} <= names, names
    for command in commands:
        with pytest.raises(SystemExit) as stop:
            nianbao([*command, "--help"])
        assert stop.value.code == 0, command
        out = capsys.readouterr().out
        assert out.startswith("usage:") and command[-1] in out, command
    assert list(tmp_path.iterdir()) == []  # no archive, export or page was written


def test_every_module_answers_help_without_side_effects(tmp_path: Path) -> None:
    before = {p: _stamp(REPO / p) for p in WATCHED}
    env = {**os.environ, "PYTHONPATH": str(REPO), "DATABASE_URL": f"sqlite:///{tmp_path / 'absent.db'}"}
    procs = {m: subprocess.Popen([sys.executable, "-m", m, "--help"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for m in MODULES}
    for module, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, (module, err[-2000:])
        assert out.startswith("usage:"), (module, out[:300])
    assert {p: _stamp(REPO / p) for p in WATCHED} == before
    assert not (tmp_path / "absent.db").exists()


def _stamp(path: Path) -> tuple[int, int] | None:
    return (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else None
