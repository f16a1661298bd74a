"""Several targets in one run: one after the other, or `--workers N` at once, each in its own process.

Processes, not threads (QA-D07): Schemathesis and Hypothesis keep per-run state in globals (the Hypothesis
storage directory is an environment variable, its settings profile and seeding are process-wide), so two
runs in one interpreter could see each other's state. A process per target keeps each run exactly what
it would be alone, and `--seed` repeats it. Progress comes back over a queue; each worker hands back its
`RunReport`, or the error that stopped the target (usage, unreachable), which never stops the others.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass

from conformance.errors import ConformanceError
from conformance.results import RunReport
from conformance.runner import RunConfig, run

EXIT_CRASH = 4


@dataclass
class Outcome:
    """One target's end: its report, or why it could not be checked (exit code and message)."""

    config: RunConfig
    report: RunReport | None = None
    exit_code: int | None = None
    error: str | None = None


# (target index, event, text): event is "start", "progress" or "done"
Progress = Callable[[int, str, str], None]
Events = queue_module.Queue[tuple[int, str, str]]  # the workers' progress, through a multiprocessing manager


def run_one(
    index: int, config: RunConfig, say: Callable[[int, str, str], None], runner: Callable[..., RunReport] = run
) -> Outcome:
    say(index, "start", "")
    try:
        report = runner(config, progress=lambda text: say(index, "progress", text))
    except ConformanceError as exc:
        say(index, "done", str(exc))
        return Outcome(config, exit_code=exc.exit_code, error=str(exc))
    except Exception:  # a bug of the suite: this target's verdict is lost, the others' are not
        text = traceback.format_exc()
        say(index, "done", "suite crashed")
        return Outcome(
            config, exit_code=EXIT_CRASH, error=f"the suite itself crashed (a bug in pim-conformance):\n{text}"
        )
    say(index, "done", report.verdict)
    return Outcome(config, report=report)


def _in_worker(index: int, config: RunConfig, events: Events) -> Outcome:
    return run_one(index, config, lambda i, kind, text: events.put((i, kind, text)))


def run_all(configs: list[RunConfig], workers: int, progress: Progress | None = None) -> list[Outcome]:
    """Outcomes in the order of `configs`."""
    say = progress or (lambda *_: None)
    if workers <= 1 or len(configs) <= 1:
        return [run_one(i, config, say) for i, config in enumerate(configs)]
    context = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads and sockets
    with context.Manager() as manager:
        events = manager.Queue()
        with ProcessPoolExecutor(max_workers=min(workers, len(configs)), mp_context=context) as pool:
            futures: dict[Future, int] = {
                pool.submit(_in_worker, i, config, events): i for i, config in enumerate(configs)
            }
            outcomes: dict[int, Outcome] = {}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                _drain(events, say)
                for future in done:
                    index = futures[future]
                    try:
                        outcomes[index] = future.result()
                    except Exception as exc:  # the worker process itself died
                        outcomes[index] = Outcome(configs[index], exit_code=EXIT_CRASH, error=f"worker died: {exc!r}")
            _drain(events, say)
    return [outcomes[i] for i in range(len(configs))]


def _drain(events: Events, say: Progress) -> None:
    while True:
        try:
            index, kind, text = events.get_nowait()
        except queue_module.Empty:
            return
        say(index, kind, text)
