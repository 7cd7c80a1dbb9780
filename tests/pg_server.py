"""A throw-away PostgreSQL + PostGIS server for the tests (and the store benchmark).

The server lives in a temporary directory, listens on 127.0.0.1 only, on a
free port, with trust authentication on the loopback, and is stopped and
removed at the end. When the process runs as root, ``initdb``/``pg_ctl`` run as
the ``postgres`` user (PostgreSQL refuses to run as root) in a directory owned
by it.

    server = PgServer().start()
    server.create_database("tq")       # with CREATE EXTENSION postgis
    dsn = server.dsn("tq")             # "postgresql://postgres@127.0.0.1:<port>/tq"
    server.stop()

When the binaries are missing, :class:`PgUnavailable` says what to install;
the tests' fixture turns it into a failure when ``CI`` is set, so that CI
never passes by skipping the PostGIS half of the suite.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from typing import List, Optional


def installed_version(root: str = "/usr/lib/postgresql") -> int:
    """The newest PostgreSQL major version installed with its PostGIS (Debian 12: 15,
    Debian 13: 17), else the newest installed, else Debian's default of this release."""
    try:
        versions = sorted((int(v) for v in os.listdir(root) if v.isdigit()), reverse=True)
    except OSError:
        versions = []
    for v in versions:
        if os.path.exists(f"/usr/share/postgresql/{v}/extension/postgis.control"):
            return v
    if versions:
        return versions[0]
    try:
        with open("/etc/debian_version") as f:
            major = f.read().split(".")[0].strip()
    except OSError:
        major = ""
    return {"12": 15, "13": 17}.get(major, 17)


PG_VERSION = installed_version()
BINDIR = f"/usr/lib/postgresql/{PG_VERSION}/bin"
HOST = "127.0.0.1"  # never anything else
INSTALL_HINT = (
    f"PostgreSQL {PG_VERSION} with PostGIS 3 is needed for the store tests: "
    f"install the Debian packages postgresql-{PG_VERSION}-postgis-3 and python3-psycopg2 "
    "(bash scripts/install_system_deps.sh does it)"
)


class PgUnavailable(RuntimeError):
    """The PostgreSQL binaries, PostGIS or psycopg2 are missing."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def missing_parts() -> List[str]:
    missing = [f"{BINDIR}/{b}" for b in ("initdb", "pg_ctl", "postgres") if not os.path.exists(f"{BINDIR}/{b}")]
    if not os.path.exists(f"/usr/share/postgresql/{PG_VERSION}/extension/postgis.control"):
        missing.append("PostGIS extension (postgis.control)")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        missing.append("python module psycopg2")
    return missing


class PgServer:
    def __init__(self, user: str = "postgres", tls: bool = False):
        self.user = user
        #: TLS on, with a CA made by the test (tests/tls_ca.py): its certificate is ``ca_file``
        self.tls = tls
        self.ca_file: Optional[str] = None
        self.port: Optional[int] = None
        self.root: Optional[str] = None
        self.data: Optional[str] = None
        self.log: Optional[str] = None
        self._as_root = os.geteuid() == 0

    # --- lifecycle -------------------------------------------------------------

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return subprocess.run(cmd, check=check, capture_output=True, text=True, cwd=self.root)

    def start(self) -> "PgServer":
        missing = missing_parts()
        if missing:
            raise PgUnavailable(f"{INSTALL_HINT}; missing: {', '.join(missing)}")
        self.root = tempfile.mkdtemp(prefix="tq-pg-")
        os.chmod(self.root, 0o700)
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self.data = os.path.join(self.root, "data")
        self.log = os.path.join(self.root, "server.log")
        try:
            self._run(
                f"{BINDIR}/initdb", "-D", self.data, "-U", self.user, "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync",
            )
            with open(os.path.join(self.data, "pg_hba.conf"), "w") as hba:
                # loopback only, trust: a disposable test server
                hba.write(f"host all all {HOST}/32 trust\nlocal all all trust\n")
            tls = ""
            if self.tls:
                from tls_ca import write_server_certificates

                self.ca_file, cert, key = write_server_certificates(self.root, HOST)
                if self._as_root:
                    for path in (cert, key):
                        shutil.chown(path, "postgres", "postgres")
                tls = f" -c ssl=on -c ssl_cert_file={cert} -c ssl_key_file={key}"
            last_error = ""
            for _attempt in range(5):
                self.port = free_port()
                options = (
                    f"-h {HOST} -p {self.port} -k {self.root} -F "
                    "-c max_connections=40 -c shared_buffers=64MB -c synchronous_commit=off "
                    "-c full_page_writes=off -c max_wal_size=2GB" + tls
                )
                done = self._run(
                    f"{BINDIR}/pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "-t", "60", "start",
                    check=False,
                )
                if done.returncode == 0:
                    return self
                last_error = done.stderr + self._log_tail()
            raise RuntimeError(f"PostgreSQL test server did not start: {last_error}")
        except BaseException:
            self.stop()
            raise

    def _log_tail(self) -> str:
        try:
            with open(self.log) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.root is None:
            return
        if self.data and os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._run(f"{BINDIR}/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- databases -------------------------------------------------------------

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@{HOST}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres"):
        import psycopg2

        return psycopg2.connect(host=HOST, port=self.port, user=self.user, dbname=dbname)

    def create_database(self, dbname: str, postgis: bool = True) -> str:
        conn = self.connect()
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{dbname}"')
        finally:
            conn.close()
        if postgis:
            conn = self.connect(dbname)
            try:
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute("CREATE EXTENSION postgis")
            finally:
                conn.close()
        return self.dsn(dbname)


def wait_until(predicate, timeout: float = 10.0, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
