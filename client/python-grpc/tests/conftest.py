"""Real `segue serve` processes on loopback for the tests, started from a store given by SEGUE_TEST_STORE.

Two servers, each on a free port (--port 0; the port is read from its "listening on" line):
- ``plain_server``: plaintext with a bearer token (as PythonClientTest had it);
- ``tls_server``: TLS with a throwaway certificate made by openssl for the name segue.test only (so the
  client must override the authority), and a bearer token.
SEGUE_TEST_SERVER (optional) names an already running plaintext server without a token, e.g. the kept server
of `segue demo --keep-server` in .ci/run, for the README example. SEGUE_BIN overrides bin/segue.
"""
import os
import pathlib
import re
import signal
import subprocess
import threading
import time

import pytest

from segue_client import SegueClient

REPO = pathlib.Path(__file__).resolve().parents[3]
TOKEN = "py-token"
START_TIMEOUT = float(os.environ.get("SEGUE_TEST_START_TIMEOUT", "300"))
LISTENING = re.compile(r"segue serve: listening on ([0-9.]+):(\d+) ")


class Server:
    """One `segue serve` child: its target, its output so far, and a stop() that waits for it to exit."""

    def __init__(self, name, args, log_path):
        self.name = name
        self.log_path = log_path
        self.lines = []
        env = dict(os.environ, SEGUE_HEAP=os.environ.get("SEGUE_TEST_HEAP", "1g"))
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env=env, start_new_session=True)
        self._port = None
        self._seen = threading.Event()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        with open(self.log_path, "w") as log:
            for line in self.process.stdout:
                log.write(line)
                log.flush()
                self.lines.append(line.rstrip("\n"))
                m = LISTENING.search(line)
                if m and self._port is None:
                    self._port = int(m.group(2))
                    self._seen.set()
        self._seen.set()

    def target(self):
        if not self._seen.wait(START_TIMEOUT) or self._port is None:
            self.stop()
            raise RuntimeError(f"{self.name} server did not start listening within {START_TIMEOUT:g} s; "
                               f"exit code {self.process.poll()}; output:\n" + "\n".join(self.lines[-30:]))
        return f"127.0.0.1:{self._port}"

    def stop(self):
        if self.process.poll() is None:
            # SIGTERM to its process group (bin/segue execs java; a build it ran first goes too): drain, exit
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _segue():
    return os.environ.get("SEGUE_BIN", str(REPO / "bin" / "segue"))


def _store():
    store = os.environ.get("SEGUE_TEST_STORE")
    if not store:
        pytest.fail("SEGUE_TEST_STORE is not set: run client/python-grpc/run_tests.sh --store DIR "
                    "(a feature store with track_factors, e.g. the demo's <workdir>/store)", pytrace=False)
    if not pathlib.Path(store, "track_factors").is_dir():
        pytest.fail(f"SEGUE_TEST_STORE={store} has no track_factors folder", pytrace=False)
    return store


def _start(name, tmp, extra):
    server = Server(name, [_segue(), "serve", "--store", _store(), "--host", "127.0.0.1", "--port", "0",
                           "--shutdown-grace-ms", "2000", *extra], tmp / f"{name}-server.log")
    return server


@pytest.fixture(scope="session")
def token_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("token") / "token.txt"
    path.write_text(TOKEN + "\n")
    return path


@pytest.fixture(scope="session")
def plain_server(tmp_path_factory, token_file):
    tmp = tmp_path_factory.mktemp("plain")
    server = _start("plain", tmp, ["--token-file", str(token_file)])
    try:
        target = server.target()
        with SegueClient(target, token=TOKEN) as client:
            client.wait_until_serving(timeout=START_TIMEOUT)
        yield target
    finally:
        server.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A self-signed certificate for DNS name segue.test only (not 127.0.0.1) and its key."""
    tmp = tmp_path_factory.mktemp("tls")
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=segue.test",
                    "-addext", "subjectAltName=DNS:segue.test", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="session")
def tls_server(tmp_path_factory, token_file, certificate, plain_server):
    # plain_server first: it has built (or loaded) the store's saved index before this one loads it
    cert, key = certificate
    tmp = tmp_path_factory.mktemp("tlsserver")
    server = _start("tls", tmp, ["--tls-cert", str(cert), "--tls-key", str(key), "--token-file", str(token_file)])
    try:
        target = server.target()
        with SegueClient(target, ca_file=cert, authority="segue.test", token=TOKEN) as client:
            client.wait_until_serving(timeout=START_TIMEOUT)
        yield target
    finally:
        server.stop()


@pytest.fixture
def plain(plain_server):
    with SegueClient(plain_server, token=TOKEN) as client:
        yield client


@pytest.fixture(scope="session")
def a_track(plain_server):
    """A track URI the server knows: the first answer to a title-only request."""
    with SegueClient(plain_server, token=TOKEN) as client:
        return client.continue_(title="chill", k=5).tracks[0].track_uri


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
