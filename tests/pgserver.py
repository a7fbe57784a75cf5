"""A throw-away PostgreSQL server for tests: Debian's postgresql binaries (installed by
``scripts/ensure-postgres``, which ``make test`` runs), a fresh cluster in a temporary folder, trust
auth on 127.0.0.1 and a free port. Tests that need it skip with a clear message when the binaries
are absent (a user's machine without PostgreSQL)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self) -> None:
        self.bin = pg_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL binaries not found (Debian package postgresql; `make test` installs it)")
        self.dir = Path(tempfile.mkdtemp(prefix="storydiff-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0
        if self._as_root:  # initdb refuses to run as root: run the server as the postgres user
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "storydiff")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/storydiff"

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bin / tool), *args]
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, cwd=self.dir)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-t", "60", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def close(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        time.sleep(0.2)
        shutil.rmtree(self.dir, ignore_errors=True)
