"""Serve the app under gunicorn: several worker processes, each with a few threads.

Python runs one thread at a time per process, so a single process serves from one core however
many threads it has; rendering a review page is CPU work, so the server forks one worker per core
(measured with ``benchmarks/bench_web.py``). Each worker builds its own app from the factory after
the fork: its own bank registry (which notices edited banks by itself), its own SQLite
connections (which must never cross a fork) and its own write lock, which queues with the other
workers' through ``flock``. The command builds the app once before forking, so that the instance
folder, the secret key and the migrations exist before the workers race to create them.
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    """One worker per core the process may use."""
    return max(1, len(os.sched_getaffinity(0)))


class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's documented custom-application hook: settings from a mapping, the app from a
    factory called in each worker."""

    def __init__(self, factory: Callable[[], Flask], options: Mapping[str, Any]) -> None:
        self.factory = factory
        self.options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.factory()


class CannotListen(OSError):
    """The server cannot listen on the address asked for: why, and what to do instead."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.reason}: {self.hint}"


class PortInUse(CannotListen):
    """Another process listens on the port already."""


def check_port_free(host: str, port: int) -> None:
    """Raise CannotListen (PortInUse if something listens there) unless ``host:port`` is free.

    The workers bind with SO_REUSEPORT, which would let a second server started by the same user
    share the port with the first and silently take half of its connections. A plain bind
    (without the flag) fails on a port that anyone holds. Every other failure is named for what
    it is, so that a mistyped host is not reported as a busy port.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As a listening server binds: a port that only holds closed connections (TIME_WAIT
        # after a restart) is free, one with a listener (even an SO_REUSEPORT one) is not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as e:
            raise _bind_failure(e, host, port) from None


def _bind_failure(error: OSError, host: str, port: int) -> CannotListen:
    """The reason a bind failed, in the instructor's terms, with what to do about it."""
    where = f"{host}:{port}"
    why = error.strerror or str(error)
    if isinstance(error, socket.gaierror):
        return CannotListen(
            f"cannot resolve host '{host}' ({why})",
            "pass --host an address of this machine, such as 127.0.0.1 or 0.0.0.0 (all)",
        )
    if error.errno == errno.EADDRINUSE:
        return PortInUse(f"{where} is in use ({why})", "stop the other server or pass --port")
    if error.errno in (errno.EACCES, errno.EPERM):
        return CannotListen(
            f"permission denied to listen on {where} ({why})",
            "ports below 1024 need root: pass --port 1024 or higher (the default is 5000) "
            "and put a reverse proxy in front for port 80 or 443",
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return CannotListen(
            f"{host} is not an address of this machine ({why})",
            "pass --host 127.0.0.1, 0.0.0.0 (all addresses) or one of this machine's addresses",
        )
    return CannotListen(f"cannot listen on {where} ({why})", "try another --host or --port")


def serve(
    factory: Callable[[], Flask],
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    connections: int,
) -> None:
    """Run until stopped (Ctrl+C or SIGTERM; workers finish the requests they hold).

    Call ``check_port_free`` first (``studyapp serve`` does, before it builds the app).
    """
    Server(
        factory,
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            # Keep-alive connections wait in the worker's poller, not in a thread: a class of
            # browsers holding connections open does not use up the threads.
            "worker_connections": connections,
            # Each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads new
            # connections evenly over them. With one shared socket, a burst of connections
            # (a class opening the app at once) lands mostly on whichever worker wakes first,
            # and kept-alive connections stay there: measured, that halved the throughput.
            "reuse_port": True,
            "keepalive": 5,
            "graceful_timeout": 10,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "studyapp",
        },
    ).run()
