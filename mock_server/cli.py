"""`pim-mock`: serve the fake.

    pim-mock serve [--host 127.0.0.1] [--port 8080 | --uds PATH] [--clock real|manual]
                   [--faults faults.yaml] [--lenient] [--data state.json [--data-sync disk|os]
                   [--data-compact-mb 64]] [--journal-size N]
                   [--admin-token T] [--max-connections N] [--header-timeout S] [--body-timeout S]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import socket
import stat
import sys
import threading
import warnings

import uvicorn

from mock_server.config import Config
from mock_server.serving import DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS, uvicorn_options

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def banner(app, base: str) -> str:
    runtime = app.runtime
    lines = [f"pimkit fake serving on {base} (clock: {runtime.config.clock})", ""]
    for name, vendor in runtime.vendors.items():
        lines.append(f"  {name:<16} {base}{vendor.prefix}   docs: {base}{vendor.prefix}/ui/")
        lines += [f"  {'':<16} {line}" for line in vendor.banner(runtime.fixtures[name])]
    lines += ["", f"  admin            {base}/__admin   (health, reset, clock, requests, faults, data)"]
    config = runtime.config
    extras = ["lenient: on" if config.lenient else "", f"data: {config.data_file}" if config.data_file else "",
              f"faults: {len(runtime.faults.all())}" if config.faults else ""]
    if any(extras):
        lines.append("  " + "   ".join(e for e in extras if e))
    lines.append("")
    return "\n".join(lines)


def serve(args: argparse.Namespace) -> int:
    if args.uds is not None:
        problem = uds_problem(args.uds)
        if problem is not None:
            code, message = problem
            print(f"pim-mock: {message}", file=sys.stderr)
            return code
    # Connexion 3.3 imports Starlette's test client, which warns about httpx on every start (docs/STACK-NOTES.md).
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from connexion.exceptions import ConnexionException

    from mock_server import compat
    from mock_server.app import create_app
    from mock_server.compat import IncompatibleConnexion

    try:
        faults = read_faults(args.faults) if args.faults else ()
        config = Config(clock=args.clock, max_upload_bytes=int(args.max_upload_mb * 1024 * 1024),
                        source_dir=args.source_dir, faults=faults, lenient=args.lenient, data_file=args.data,
                        data_compact_bytes=int(args.data_compact_mb * 1024 * 1024), data_sync=args.data_sync,
                        journal_size=args.journal_size, admin_token=args.admin_token,
                        body_timeout=args.body_timeout, max_tenants=args.max_tenants,
                        tenant_idle_seconds=args.tenant_idle, import_workers=args.import_workers,
                        import_child_processes=args.import_children, webhook_workers=args.webhook_workers,
                        import_process_bytes=None if args.read_in_child_mb < 0
                        else int(args.read_in_child_mb * 1024 * 1024))
        app = create_app(config)
    except (OSError, ValueError, IncompatibleConnexion) as exc:  # a bad --faults or --data file, a Connexion
        # whose internals mock_server/compat was not written for
        print(f"pim-mock: {exc}", file=sys.stderr)
        return 2
    # Everything built so far lives as long as the process: take it out of the collector's sight, and
    # collect less often, so full collections (≈40 ms each, blocking the event loop) stop setting p99.
    # Connexion's middleware stack (every operation's validators) is built first: it would be built by the first
    # request, and left in sight.
    try:
        compat.build_middleware_stack(app)
    except ConnexionException as exc:  # a handler the spec names and the code lacks: specs and code disagree
        app.runtime.close()
        print(f"pim-mock: {exc}", file=sys.stderr)
        return 2
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    if args.uds:
        where = {"uds": args.uds}
        print(banner(app, "http://localhost") + f"  (on the Unix socket {args.uds}: curl --unix-socket "
              f"{args.uds} http://localhost/__admin/health)\n", flush=True)
    else:
        where = {"host": args.host, "port": args.port}
        print(banner(app, f"http://{args.host}:{args.port}"), flush=True)
        warning = exposure_warning(args.host, bool(args.admin_token))
        if warning:
            print(warning, file=sys.stderr, flush=True)
    options = uvicorn_options(args.max_connections, args.header_timeout)
    server = StoppingServer(uvicorn.Config(app, **where, log_level=args.log_level, access_log=False, **options))
    try:
        server.run()
    finally:
        app.runtime.close()  # with --data: the log flushed and the state outside the store saved
        if args.uds and os.path.exists(args.uds) and stat.S_ISSOCK(os.stat(args.uds).st_mode):
            os.unlink(args.uds)  # what this process bound (a stale socket at the path was replaced at the start)
    return 0


UDS_PATH_MAX = 107  # bytes: a Unix socket's address holds 108, its terminating NUL included (Linux)


def uds_problem(path: str) -> tuple[int, str] | None:
    """Why `serve --uds PATH` cannot listen at `path`, as (exit code, message); None when it can. A socket file
    nobody listens on (a killed server's) is replaced; one a live server listens on is refused (exit 3, as a
    port in use is), never taken over."""
    if not path:
        return 2, "--uds needs a path"
    if len(os.fsencode(path)) > UDS_PATH_MAX:
        return 2, f"--uds {path}: longer than the {UDS_PATH_MAX} bytes a Unix socket's path may have"
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        return 2, f"--uds {path}: no directory {directory}"
    if not os.access(directory, os.W_OK | os.X_OK):
        return 2, f"--uds {path}: cannot create a socket in {directory} (permission denied)"
    if not os.path.lexists(path):
        return None
    if not stat.S_ISSOCK(os.lstat(path).st_mode):
        return 2, f"--uds {path} exists and is not a socket"  # never replaced by one
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
        except OSError:  # refused: nobody listens, a stale socket the server replaces
            return None
    return 3, f"--uds {path}: address already in use (another server listens on it)"


class StoppingServer(uvicorn.Server):
    """uvicorn's Server, stopped gracefully by SIGINT (Ctrl-C), SIGTERM (kill, docker stop, systemd, CI teardown)
    and SIGHUP (a closed terminal), that returns once stopped instead of re-raising the signal as uvicorn does:
    the signal's default action would kill the process before the runtime's last save (openapi/DECISIONS.md
    DUR-D04). A second SIGINT still forces the stop."""

    @contextlib.contextmanager
    def capture_signals(self):
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        original = {sig: signal.signal(sig, self.handle_exit) for sig in STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})


def exposure_warning(host: str, admin_token: bool) -> str | None:
    """What to tell the user when the fake listens beyond this machine (None on loopback)."""
    from mock_server.middleware.admin_access import is_loopback

    if host.lower() in LOOPBACK_NAMES or is_loopback((host.strip("[]"), 0)):
        return None
    lines = [f"WARNING: pim-mock is listening on {host}, beyond this machine: anyone who can reach it can use "
             "the vendor APIs with the test credentials printed above."]
    if admin_token:
        lines.append("The admin API (/__admin: reset, data, clock, journal, faults) requires --admin-token's "
                     "token from every client.")
    else:
        lines.append("WARNING: no --admin-token: the admin API (/__admin: reset, load data, faults, and the journal "
                     "of requests) answers loopback clients only; remote clients get 403. Set --admin-token "
                     "(or PIM_MOCK_ADMIN_TOKEN) to use it remotely.")
    return "\n".join(lines)


def read_faults(path: str) -> tuple[dict, ...]:
    """A `--faults` YAML (or JSON) file: a list of fault definitions, or `{faults: [...]}`."""
    import yaml

    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: not YAML: {exc}") from exc
    if isinstance(data, dict):
        data = data.get("faults")
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of faults (or a mapping with a `faults` list)")
    return tuple(data)


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="pim-mock", description="A local, stateful fake of PIM vendor APIs.")
    sub = top.add_subparsers(dest="command", required=True)
    run = sub.add_parser("serve", help="serve every API on one port")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8080)
    run.add_argument("--uds", default=None, metavar="PATH",
                     help="listen on this Unix domain socket instead of --host/--port (a replica behind nginx on the "
                          "same machine: docs/scale-out.md); its clients are local, as loopback ones are")
    run.add_argument("--clock", choices=("real", "manual"), default="real",
                     help="real: time passes; manual: time moves only through POST /__admin/clock/advance")
    run.add_argument("--max-upload-mb", type=float, default=20.0, help="largest upload accepted (default 20)")
    run.add_argument("--read-in-child-mb", type=float, default=1.0,
                     help="import files of at least this size are parsed in a child process, off the serving "
                          "process's GIL (default 1; -1: never)")
    run.add_argument("--import-workers", type=_positive_int, default=2, metavar="N",
                     help="threads reading import files, shared by every tenant in turn (default 2)")
    run.add_argument("--import-children", type=_positive_int, default=4, metavar="N",
                     help="import files parsed in child processes at once, process-wide (default 4)")
    run.add_argument("--webhook-workers", type=_positive_int, default=4, metavar="N",
                     help="threads posting webhooks, shared by every tenant in turn (default 4)")
    run.add_argument("--source-dir", default=None,
                     help="where Pixee automations with an sftp/ftp source read files: <dir>/<host>/<path> "
                          "(default: the packaged fixtures/pixee/sources)")
    run.add_argument("--faults", default=None, metavar="FILE",
                     help="YAML list of faults in force from the start (see openapi/admin.yaml, POST /faults)")
    run.add_argument("--lenient", action="store_true",
                     help="accept requests the spec rejects for unknown fields or loose types; the journal records "
                          "the violation (default: strict)")
    run.add_argument("--data", default=None, metavar="FILE",
                     help="keep the state in FILE (and its log, FILE.log.N) across restarts: every change is on disk "
                          "before its request is answered (default: in memory)")
    run.add_argument("--data-compact-mb", type=float, default=64.0,
                     help="with --data: fold the log into FILE once it passes this size (default 64)")
    run.add_argument("--data-sync", choices=("disk", "os"), default="disk",
                     help="with --data, a change is acknowledged once: disk: fdatasync'd, surviving power loss "
                          "(default); os: written to the kernel, surviving kill -9 but not power loss (faster)")
    run.add_argument("--journal-size", type=int, default=10_000,
                     help="requests the journal keeps, oldest dropped first (0: no journal; default 10000)")
    run.add_argument("--admin-token", default=os.environ.get("PIM_MOCK_ADMIN_TOKEN") or None, metavar="TOKEN",
                     help="require this token (Authorization: Bearer TOKEN or X-Admin-Token: TOKEN) on every admin "
                          "request, from any address (default: $PIM_MOCK_ADMIN_TOKEN; without one the admin API "
                          "answers loopback clients only)")
    run.add_argument("--max-connections", type=_positive_int, default=DEFAULT_MAX_CONNECTIONS,
                     help="open connections held at once; past it the longest idle one is closed (default "
                          f"{DEFAULT_MAX_CONNECTIONS})")
    run.add_argument("--header-timeout", type=_positive_float, default=DEFAULT_HEADER_TIMEOUT, metavar="SECONDS",
                     help="a connection must send a complete request head within this (default "
                          f"{DEFAULT_HEADER_TIMEOUT:g})")
    run.add_argument("--body-timeout", type=_positive_float, default=60.0, metavar="SECONDS",
                     help="a request body must arrive within this, else 408 (default 60)")
    run.add_argument("--max-tenants", type=_positive_int, default=1000, metavar="N",
                     help="tenants (/t/<tenant>/...) live at once; past it the least recently used is evicted "
                          "(default 1000)")
    run.add_argument("--tenant-idle", type=_positive_float, default=3600.0, metavar="SECONDS",
                     help="a tenant idle this long is evicted; with --data it comes back from its file (default 3600)")
    run.add_argument("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"))
    run.set_defaults(func=serve)
    conf = sub.add_parser("nginx-config", help="print an nginx.conf routing each tenant to one of several replicas "
                                               "(docs/scale-out.md)")
    conf.add_argument("--listen", default="127.0.0.1:8080", help="where nginx listens (default 127.0.0.1:8080)")
    conf.add_argument("--replica", action="append", required=True, metavar="HOST:PORT|unix:PATH",
                      help="a `pim-mock serve` replica, on a port or on a Unix socket (serve --uds PATH); repeat for "
                           "each")
    conf.add_argument("--workdir", default="/tmp/pim-mock-nginx", help="nginx's pid, log and temporary files")
    conf.add_argument("--workers", type=_positive_int, default=1, help="nginx worker processes (default 1)")
    conf.add_argument("--foreground", action="store_true", help="daemon off: nginx stays in the foreground")
    conf.set_defaults(func=print_nginx_config)
    return top


def print_nginx_config(args: argparse.Namespace) -> int:
    from mock_server.scaleout import nginx_config

    print(nginx_config(args.listen, args.replica, workdir=args.workdir, workers=args.workers,
                       foreground=args.foreground), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
