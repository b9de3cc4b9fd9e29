"""A real Virtuoso Open Source server for the remote-store tests, started on loopback.

Debian's `virtuoso-opensource-7-bin` (installed by tests/install-virtuoso.sh) gives
`virtuoso-t` and `isql-vt`. The fixture writes a virtuoso.ini into a temporary folder with free
loopback ports for SQL and HTTP, starts `virtuoso-t -f` (a fresh database: user dba, password
dba), waits until its SPARQL endpoint answers, lets the anonymous SPARQL user update (so that
`/sparql` takes updates without credentials; `/sparql-auth` asks for dba's, by HTTP Digest),
and stops the server at the end of the session. Without virtuoso-t, the tests skip, saying so.
"""
from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 500M
DirsAllowed = ., {dir}
CheckpointInterval = 60
ServerThreads = 10
ThreadCleanupInterval = 0
ResourcesCleanupInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
EnabledDavVSP = 0
KeepAliveTimeout = 10

[SPARQL]
; Virtuoso's usual default: kg pages its scans of the graph under it
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 0
DefaultGraph =
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running server: `url` takes queries and updates anonymously, `auth_url` asks for
    `user`/`password` (HTTP Digest)."""

    url: str
    auth_url: str
    user: str
    password: str
    sql_port: int
    folder: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    data = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _isql(isql: str, port: int, statement: str) -> None:
    result = subprocess.run([isql, f"127.0.0.1:{port}", "dba", "dba", f"exec={statement}"],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
        raise RuntimeError(f"isql {statement!r} failed: {result.stdout}{result.stderr}")


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Virtuoso:
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if server is None or isql is None:
        pytest.skip("Virtuoso is not installed (no virtuoso-t/isql-vt on PATH): "
                    "run `sh tests/install-virtuoso.sh` (Debian package virtuoso-opensource-7-bin)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_port(), _free_port()
    while http_port == sql_port:
        http_port = _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = open(folder / "stdout.log", "wb")
    process = subprocess.Popen([server, "-f", "-c", str(ini)], cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        deadline = time.monotonic() + 180
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (folder / "stdout.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"Virtuoso did not start (exit status {process.poll()}):\n{tail}")
            time.sleep(0.5)
        _isql(isql, sql_port, 'GRANT SPARQL_UPDATE TO "SPARQL";')
        yield Virtuoso(url, f"http://127.0.0.1:{http_port}/sparql-auth", "dba", "dba", sql_port, folder)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def clear(virtuoso: Virtuoso) -> None:
    """Drop every graph kg wrote (articles and the union graph), for a test that starts empty."""
    import pyoxigraph as ox

    from kg.remote import UNION_GRAPH
    from kg.store import Store

    with Store(virtuoso.url) as store:
        for graph in list(store.raw.named_graphs()):
            store._update(f"CLEAR SILENT GRAPH {graph}")
        store._update(f"CLEAR SILENT GRAPH {ox.NamedNode(UNION_GRAPH)}")
