"""Report files for `run`, multi-target runs and `compare`: checked before the run, written through one function."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from conformance.errors import UsageError

ReportWriter = Callable[[str], None]


def check_report_path(option: str, path: str) -> None:
    """Fail before the run, not after it, when a report cannot be written; its directory is created."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{option} {path!r} is a directory")
    parent = target.parent if str(target.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{option} {path!r} cannot be written: its directory cannot be created ({exc})") from None
    if target.exists():
        writable = os.access(target, os.W_OK)
    else:
        writable = parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
    if not writable:
        raise UsageError(f"{option} {path!r} cannot be written")


def check_report_paths(args: argparse.Namespace, *options: str) -> None:
    """`check_report_path` for each of `options` ("json", "junit", "html") the command line gave a file."""
    for option in options:
        path = getattr(args, option, None)
        if path:
            check_report_path(f"--{option}", path)


def write_reports(args: argparse.Namespace, err: Console, **writers: ReportWriter) -> bool:
    """Write each report the command line asked for (`--junit`, `--json`, `--html`: `writers` by option name,
    in order); False, said on `err`, when the file system refuses one (checked up front, but a disk may fill)."""
    try:
        for option, write in writers.items():
            path = getattr(args, option, None)
            if path:
                write(path)
    except OSError as exc:
        err.print(f"pim-conformance: error: a report could not be written: {exc}", style="bold red")
        return False
    return True
