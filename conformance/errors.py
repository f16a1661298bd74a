"""Errors of the suite itself, as opposed to violations found in the target (those are in `checks.failures`).

ConformanceError          anything that stops a run before it can judge the target
├── UsageError            bad arguments: an unknown API, a malformed URL, missing credentials   (exit 2)
│   └── DataNotFound      the specs or fixtures (`pimkit_data`) cannot be found                 (exit 2)
└── TargetUnreachable     the first probe got no HTTP answer: refused, DNS, TLS or timeout      (exit 3)
"""

from __future__ import annotations


class ConformanceError(Exception):
    """A run cannot go on; `exit_code` is what the CLI returns."""

    exit_code = 2


class UsageError(ConformanceError):
    """The command line asks for something the suite cannot do."""

    exit_code = 2


class DataNotFound(UsageError):
    """`pimkit_data` (openapi/, fixtures/) is neither installed nor pointed at by PIMKIT_DATA_DIR."""


class TargetUnreachable(ConformanceError):
    """The target did not answer the first request at all."""

    exit_code = 3
