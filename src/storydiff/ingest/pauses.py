"""Pauses in a streamed input: a scraper piping articles into ``storydiff ingest -`` sends them as it
finds them, and what it has sent must not wait in a half-full batch until more comes. A reader
thread feeds a queue; when the next item is late, a :data:`PAUSE` marker goes down the pipeline and
every stage hands on what it holds (analysed, clustered, committed)."""

from __future__ import annotations

import os
import queue
import stat
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")


class Pause:
    """The marker of a pause in the input: the stages after the reader finish what came before it."""

    _instance: "Pause | None" = None

    def __new__(cls) -> "Pause":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "PAUSE"


PAUSE = Pause()


class _Ended:
    """The reader's last word: the input ended, or raised ``error``."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def is_stream(path: str | Path) -> bool:
    """Whether an input arrives over time: standard input ("-") or a named pipe. Files, folders
    and archives are read as fast as the disk allows and never pause."""
    if str(path) == "-":
        return True
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:  # missing: the reader reports it
        return False


def with_pauses(items: Iterable[T], idle: float, capacity: int = 1024,
                waited: Callable[[float], None] | None = None) -> Iterator[T | Pause]:
    """``items`` as they come, with :data:`PAUSE` after the last of them whenever the next is
    ``idle`` seconds late (once a pause, and not before the first item). The items are read on a
    thread (at most ``capacity`` ahead); its exceptions are raised here, at their place in the order.
    ``waited(seconds)`` is told each time the consumer waited for the input (none was ready)."""
    q: queue.Queue = queue.Queue(capacity)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as exc:  # handed to the consumer, raised in its thread
            put(_Ended(exc))
            return
        put(_Ended())

    thread = threading.Thread(target=read, name="storydiff-input", daemon=True)
    thread.start()
    held = False  # something came since the last pause
    try:
        while True:
            try:
                item = q.get_nowait()
            except queue.Empty:
                t0 = time.perf_counter()
                try:
                    item = q.get(timeout=idle) if held else q.get()
                except queue.Empty:
                    held = False
                    yield PAUSE
                    continue
                finally:
                    if waited:
                        waited(time.perf_counter() - t0)
            if isinstance(item, _Ended):
                if item.error is not None:
                    raise item.error
                return
            held = True
            yield item
    finally:
        stop.set()
