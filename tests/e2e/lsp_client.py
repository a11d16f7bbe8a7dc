"""A small LSP client for tests: runs `parsel lsp`, frames JSON-RPC over its stdin and stdout,
and times out every read. Used by lsp_session.py and tests/perf/lsp_latency.py (stdlib only)."""
import json
import os
import select
import subprocess
import time


class LspError(Exception):
    pass


class Client:
    def __init__(self, parsel, stderr_path=None, timeout=10.0, env=None):
        self.timeout = timeout
        self.stderr = open(stderr_path or os.devnull, "wb")
        self.proc = subprocess.Popen([parsel, "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr, env=env)
        self.buf = b""
        self.next_id = 1
        self.notifications = []  # notifications read while waiting for an answer

    # ---- wire ----

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise LspError("timed out waiting for the server")
        ready, _, _ = select.select([self.proc.stdout], [], [], left)
        if not ready:
            raise LspError("timed out waiting for the server")
        chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
        if not chunk:
            raise LspError("the server closed its output")
        self.buf += chunk

    def read(self, timeout=None):
        """The next message from the server."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        length = None
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None:
            raise LspError("a message without Content-Length: %r" % head)
        self.buf = rest
        while len(self.buf) < length:
            self._fill(deadline)
        body, self.buf = self.buf[:length], self.buf[length:]
        return json.loads(body)

    # ---- requests and notifications ----

    def notify(self, method, params=None):
        self.send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def request_async(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params or {}})
        return rid

    def wait_answer(self, rid, timeout=None):
        m = self.answer(timeout)
        if m.get("id") != rid:
            raise LspError("an answer to another request: %r" % m)
        return m

    def call(self, method, params=None, timeout=None):
        """The whole answer (result or error) of one request."""
        return self.wait_answer(self.request_async(method, params), timeout)

    def result(self, method, params=None, timeout=None):
        m = self.call(method, params, timeout)
        if "error" in m:
            raise LspError("%s failed: %r" % (method, m["error"]))
        return m["result"]

    def answer(self, timeout=None):
        """The next message that is not a notification (notifications are kept)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            m = self.read(max(0.001, deadline - time.monotonic()))
            if "method" in m and "id" not in m:
                self.notifications.append(m)
                continue
            return m

    def diagnostics(self, uri, timeout=None, where=None, version=None):
        """The next publishDiagnostics for uri (one already read first) passing `where`, of at
        least `version` when given."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for i, m in enumerate(self.notifications):
                if (m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri
                        and (version is None or m["params"].get("version", -1) >= version)
                        and (where is None or where(m["params"]["diagnostics"]))):
                    del self.notifications[:i + 1]
                    return m["params"]["diagnostics"]
            m = self.read(max(0.001, deadline - time.monotonic()))
            if "id" in m:
                raise LspError("an unexpected answer: %r" % m)
            self.notifications.append(m)

    def drain(self):
        self.notifications = []

    # ---- life cycle ----

    def initialize(self, encodings=None, root=None):
        caps = {"general": {"positionEncodings": encodings}} if encodings else {}
        r = self.result("initialize", {"processId": os.getpid(), "capabilities": caps,
                                       "rootUri": root})
        self.notify("initialized", {})
        return r

    def wait_exit(self, timeout=None):
        try:
            return self.proc.wait(timeout or self.timeout)
        except subprocess.TimeoutExpired:
            raise LspError("the server did not exit")

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        self.stderr.close()


def file_uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))
