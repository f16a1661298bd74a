"""Big files parsed in a child process, so parsing does not hold the serving process's GIL.

The import workers are threads of the serving process: parsing a 20 MB XLSX or CSV there competes with the event
loop for the GIL (p99 of every API's GET rose to 73–252 ms with two such imports). A file of at least
`Engine.process_min_bytes` is parsed by a child (multiprocessing, forkserver: a clean process, never a fork of
this threaded one) running the same readers with the same limits; it sends records back in batches over a pipe,
and the worker thread, waiting on the pipe without the GIL, hands them on. Row rules and store writes stay in the
serving process, so a job's outcome, its batches and the order of its writes are what an in-thread read gives
(README "Imports run side by side", openapi/DECISIONS.md ENG-D10).
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Iterator
from pathlib import Path

from mock_server.imports.formats import read_records
from mock_server.imports.limits import ImportAborted, Limits

SEND_ROWS = 1000  # records per message: a few hundred KB at most (rows are at most 1 MiB, HOS-D01)
_context = None


def _ctx():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(["mock_server.imports.formats"])
    return _context


def _read(conn, path: str, fmt: str, limits: Limits, allowed: frozenset[str] | None) -> None:
    """The child: read the file, send ("rows", [...]) messages, then ("done",) or why it stopped."""
    try:
        batch = []
        for record in read_records(Path(path), fmt, limits, allowed):
            batch.append(record)
            if len(batch) >= SEND_ROWS:
                conn.send(("rows", batch))
                batch = []
        conn.send(("rows", batch))
        conn.send(("done",))
    except ImportAborted as exc:
        conn.send(("rows", batch))
        conn.send(("aborted", exc.code, exc.params))
    except BaseException:  # noqa: BLE001 - anything else is the reader's bug: the parent logs it, the job fails
        conn.send(("crashed", traceback.format_exc()))
    finally:
        conn.close()


def records_in_child(path: Path, fmt: str, limits: Limits, allowed: frozenset[str] | None = None) -> Iterator:
    """`read_records`, parsed in a child process: the same records in the same order, the same ImportAborted."""
    ctx = _ctx()
    receiving, sending = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_read, args=(sending, str(path), fmt, limits, allowed), daemon=True,
                        name="pimkit-reader")
    child.start()
    sending.close()
    try:
        while True:
            try:
                message = receiving.recv()
            except EOFError:
                raise RuntimeError(f"the reader process of {path.name} died (exit {child.exitcode})") from None
            if message[0] == "rows":
                yield from message[1]
            elif message[0] == "done":
                return
            elif message[0] == "aborted":
                raise ImportAborted(message[1], **message[2])
            else:
                raise RuntimeError("the reader process crashed:\n" + message[1])
    finally:  # read to the end, failed, or dropped by a reset: the child goes
        receiving.close()
        if child.is_alive():
            child.terminate()
        child.join(5)
