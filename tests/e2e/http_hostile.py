#!/usr/bin/env python3
"""Hostile input against any Basilisk HTTP service (standard library only).

    http_hostile.py HOST PORT [--json-route /echo] [--json-field quantity]
                    [--json-body '{"order_id":1,...}'] [--max-connections 50]
                    [--flood-connections 200] [--slow-seconds 30]

Each case sends one kind of bad input and checks the status the service answers (and, where it
matters, that the connection is closed and nothing leaks); after every case a normal request
(GET /healthz, built into every Basilisk service) on a new connection must get 200. One line
per case: PASS or FAIL, the case, what happened. Exit status 0 only when every case passes.

The slowloris case needs the service's request timeout to be well under --slow-seconds, and
the connection flood needs --max-connections (the service's limit times its cores) to be under
--flood-connections, or it is skipped (a SKIP line, not a failure).
"""
import argparse
import json
import select
import socket
import sys
import time

TIMEOUT = 10.0
DEFAULT_BODY = ('{"order_id":1234567,"customer":"ada.lovelace@example.com","product":"Analytical '
                'engine gear, brass","quantity":12,"unit_price":19.95,"currency":"EUR","note":"Deliver '
                'to the back door and ring twice."}')


class Reply:
    def __init__(self):
        self.status = None
        self.head = b""
        self.body = b""
        self.closed = False

    def header(self, name):
        for line in self.head.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == name.lower().encode():
                return value.strip().decode("latin-1")
        return None

    def __repr__(self):
        return f"status {self.status}, {len(self.body)} body bytes, closed={self.closed}"


def connect(args):
    s = socket.create_connection((args.host, args.port), timeout=TIMEOUT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def send_quietly(sock, data):
    """Sends what the server takes; a server that answered early may close or reset first."""
    try:
        sock.sendall(data)
        return True
    except OSError:
        return False


def read_reply(sock, timeout=TIMEOUT, skip_interim=True, wait_close=False):
    """Reads one response (Content-Length framed); skips 1xx. With wait_close, also waits for
    the server to close (up to the timeout) and records whether it did."""
    reply = Reply()
    data = b""
    deadline = time.monotonic() + timeout
    while True:
        end = data.find(b"\r\n\r\n")
        if end >= 0:
            head = data[:end]
            try:
                status = int(head[9:12])
            except ValueError:
                status = -1
            if skip_interim and 100 <= status < 200:
                data = data[end + 4:]
                continue
            reply.head, reply.status = head, status
            length = int(reply.header("Content-Length") or 0)
            if len(data) >= end + 4 + length:
                reply.body = data[end + 4:end + 4 + length]
                break
        left = deadline - time.monotonic()
        if left <= 0:
            return reply
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return reply
        except OSError:
            reply.closed = True
            return reply
        if not chunk:
            reply.closed = True
            return reply
        data += chunk
    if wait_close:
        reply.closed = wait_for_close(sock, deadline)
    return reply


def wait_for_close(sock, deadline):
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            if not sock.recv(65536):
                return True
        except socket.timeout:
            return False
        except OSError:
            return True


def exchange(args, data, **kw):
    with connect(args) as s:
        send_quietly(s, data)
        return read_reply(s, **kw)


def get(path, extra=b""):
    return b"GET " + path + b" HTTP/1.1\r\nHost: hostile\r\n" + extra + b"\r\n"


def post(args, body, content_type=b"application/json", extra=b""):
    route = args.json_route.encode()
    return (b"POST " + route + b" HTTP/1.1\r\nHost: hostile\r\nContent-Type: " + content_type +
            b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n" + extra + b"\r\n" + body)


def expect(reply, statuses, closed=None):
    ok = reply.status in statuses
    if closed is not None and reply.closed != closed:
        ok = False
    return ok, repr(reply)


# ---- the cases: each returns (ok, detail) ----

def malformed_request_lines(args):
    lines = [
        b"GET\r\n\r\n",                          # no target, no version
        b"GET /healthz\r\n\r\n",                  # HTTP/0.9 style: no version
        b"GET  /healthz HTTP/1.1\r\nHost: x\r\n\r\n",  # two spaces
        b"GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n",
        b"GET /healthz HTTX/1.1\r\nHost: x\r\n\r\n",
        b"G(T /healthz HTTP/1.1\r\nHost: x\r\n\r\n",  # not a token
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 32 + b"\r\n\r\n",  # TLS hello
        b" GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost x\r\n\r\n",   # a field without a colon
        b"GET /healthz HTTP/1.1\r\n Host: x\r\n\r\n",  # obsolete line folding
    ]
    details = []
    ok = True
    for line in lines:
        r = exchange(args, line, wait_close=True)
        good = r.status in (400, 505) and r.closed
        ok &= good
        if not good:
            details.append(f"{line[:24]!r} -> {r}")
    return ok, "; ".join(details) or f"{len(lines)} kinds -> 400/505 and closed"


def invalid_utf8(args):
    path = exchange(args, get(b"/\xff\xfe/\xc3\x28"))
    header = exchange(args, get(b"/healthz", b"X-Name: \xff\xfe\xc3\x28\r\n"))
    field = args.json_field.encode()
    body = exchange(args, post(args, b'{"' + field + b'": "\xff\xfe\xc3\x28"}'))
    ok = (path.status in (400, 404) and header.status in (200, 400) and body.status == 400)
    return ok, f"path: {path.status}, header: {header.status}, body: {body.status}"


def header_flood(args):
    headers = b"".join(b"X-H%d: v\r\n" % i for i in range(10000))
    return expect(exchange(args, get(b"/healthz", headers), wait_close=True), (431,), closed=True)


def huge_header_line(args):
    return expect(exchange(args, get(b"/healthz", b"X-Huge: " + b"a" * 200000 + b"\r\n"),
                           wait_close=True), (431,), closed=True)


def huge_content_length(args):
    head = (b"POST " + args.json_route.encode() + b" HTTP/1.1\r\nHost: hostile\r\n"
            b"Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n")
    return expect(exchange(args, head, wait_close=True), (413,), closed=True)


def oversize_chunked(args):
    route = args.json_route.encode()
    with connect(args) as s:
        send_quietly(s, b"POST " + route + b" HTTP/1.1\r\nHost: hostile\r\n"
                     b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n" % 65536 + b"[" * 65536 + b"\r\n"
        sent = 0
        while sent < 64 * 1024 * 1024:  # far past any body limit
            readable, _, _ = select.select([s], [], [], 0)
            if readable:
                break
            if not send_quietly(s, chunk):
                break
            sent += 65536
        return expect(read_reply(s, wait_close=True), (413,), closed=True)


def long_uri(args):
    return expect(exchange(args, get(b"/" + b"a" * 100000), wait_close=True), (414,),
                  closed=True)


def slowloris(args):
    with connect(args) as s:
        start = time.monotonic()
        send_quietly(s, b"GET /healthz HTTP/1.1\r\nHost: hostile\r\nX-Slow: ")
        while time.monotonic() - start < args.slow_seconds:
            readable, _, _ = select.select([s], [], [], 0.2)
            if readable:
                break
            if not send_quietly(s, b"a"):
                break
        r = read_reply(s, wait_close=True)
        ok, detail = expect(r, (408,), closed=True)
        return ok, f"{detail} after {time.monotonic() - start:.1f} s"


def path_traversal(args):
    details = []
    ok = True
    for path in (b"/../../etc/passwd", b"/%2e%2e/%2e%2e/etc/passwd", b"//etc/passwd",
                 b"/..%2f..%2fetc%2fpasswd", b"/%2e%2e%5c%2e%2e%5cetc%5cpasswd"):
        r = exchange(args, get(path))
        good = r.status in (400, 404) and b"root:" not in r.body
        ok &= good
        details.append(f"{path.decode()} {r.status}")
    return ok, ", ".join(details)


def wrong_json_types(args):
    valid = json.loads(args.json_body)
    r = exchange(args, post(args, json.dumps(valid).encode()))
    if not r.status or not 200 <= r.status < 300:
        return False, f"the valid body was refused: {r} {r.body[:200]!r}"
    details = []
    ok = True
    current = valid.get(args.json_field)
    wrongs = ["not a number", [1, 2], {"a": 1}, None] if not isinstance(current, str) else \
        [12345, [1], {"a": 1}, True]
    for wrong in wrongs:
        body = dict(valid)
        body[args.json_field] = wrong
        r = exchange(args, post(args, json.dumps(body).encode()))
        problem = (r.header("Content-Type") or "").startswith("application/problem+json")
        good = r.status == 400 and problem and args.json_field.encode() in r.body
        ok &= good
        if not good:
            details.append(f"{json.dumps(wrong)} -> {r} {r.body[:200]!r}")
    return ok, "; ".join(details) or f"{len(wrongs)} wrong types -> 400 naming {args.json_field}"


def deep_json(args):
    r = exchange(args, post(args, b"[" * 100000))
    return expect(r, (400, 413))


def nul_bytes(args):
    line = exchange(args, b"GET /heal\x00thz HTTP/1.1\r\nHost: x\r\n\r\n")
    header = exchange(args, get(b"/healthz", b"X-Nul: a\x00b\r\n"))
    field = args.json_field.encode()
    body = exchange(args, post(args, b'{"' + field + b'": "a\x00b"}'))
    ok = line.status == 400 and header.status == 400 and body.status == 400
    return ok, f"request line: {line.status}, header: {header.status}, body: {body.status}"


def smuggling(args):
    route = args.json_route.encode()
    cl_te = (b"POST " + route + b" HTTP/1.1\r\nHost: hostile\r\nContent-Length: 4\r\n"
             b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    cl_cl = (b"POST " + route + b" HTTP/1.1\r\nHost: hostile\r\nContent-Length: 4\r\n"
             b"Content-Length: 40\r\n\r\nabcd")
    te_obfuscated = (b"POST " + route + b" HTTP/1.1\r\nHost: hostile\r\n"
                     b"Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n")
    a = exchange(args, cl_te, wait_close=True)
    b = exchange(args, cl_cl, wait_close=True)
    c = exchange(args, te_obfuscated, wait_close=True)
    ok = a.status == 400 and a.closed and b.status == 400 and c.status in (400, 501)
    return ok, f"CL+TE: {a}; CL+CL: {b.status}; TE xchunked: {c.status}"


def http2_preface(args):
    return expect(exchange(args, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", wait_close=True),
                  (400, 505), closed=True)


def connection_flood(args):
    if args.max_connections <= 0 or args.max_connections >= args.flood_connections:
        return None, (f"skipped: --max-connections {args.max_connections} is not under "
                      f"--flood-connections {args.flood_connections}")
    socks = []
    try:
        for _ in range(args.flood_connections):
            socks.append(connect(args))
        rejected = 0
        deadline = time.monotonic() + 5.0
        pending = list(socks)
        # Rejected connections get a 503 at once; admitted ones hear nothing until they ask.
        while pending and time.monotonic() < deadline:
            readable, _, _ = select.select(pending, [], [], 0.5)
            if not readable:
                break
            for s in readable:
                r = read_reply(s, timeout=2.0)
                if r.status == 503:
                    rejected += 1
                pending.remove(s)
        expected = args.flood_connections - args.max_connections
        # The admitted ones are served.
        served = 0
        for s in pending[:5]:
            send_quietly(s, get(b"/healthz"))
            if read_reply(s).status == 200:
                served += 1
        ok = rejected == expected and served == min(5, len(pending))
        return ok, (f"{args.flood_connections} at once: {rejected} got 503 (expected {expected}), "
                    f"{served} admitted ones served")
    finally:
        for s in socks:
            s.close()


CASES = [
    ("malformed request lines", malformed_request_lines),
    ("invalid UTF-8", invalid_utf8),
    ("header flood (10k headers)", header_flood),
    ("huge header line", huge_header_line),
    ("Content-Length 10 GB", huge_content_length),
    ("oversize chunked body", oversize_chunked),
    ("too-long URI", long_uri),
    ("slowloris", slowloris),
    ("path traversal", path_traversal),
    ("wrong JSON types", wrong_json_types),
    ("deep JSON nesting", deep_json),
    ("NUL bytes", nul_bytes),
    ("request smuggling", smuggling),
    ("HTTP/2 preface", http2_preface),
    ("connection flood", connection_flood),
]


def healthy(args):
    """A normal request on a new connection (retried briefly: closed connections may still be
    counted against the limit for a moment)."""
    r = Reply()
    for _ in range(20):
        try:
            r = exchange(args, get(b"/healthz"))
        except OSError as e:
            r = Reply()
            r.head = str(e).encode()
        if r.status == 200 and b'"ok"' in r.body:
            return True, r
        time.sleep(0.1)
    return False, r


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("--json-route", default="/echo")
    parser.add_argument("--json-field", default="quantity")
    parser.add_argument("--json-body", default=DEFAULT_BODY,
                        help="a valid body for --json-route (the default suits http_host)")
    parser.add_argument("--max-connections", type=int, default=0,
                        help="the service's connection limit (all cores); 0: skip the flood")
    parser.add_argument("--flood-connections", type=int, default=200)
    parser.add_argument("--slow-seconds", type=float, default=30.0)
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()

    failed = 0
    for name, case in CASES:
        if args.only and args.only not in name:
            continue
        try:
            ok, detail = case(args)
        except Exception as e:  # a case that blows up is a failure, not the end of the run
            ok, detail = False, f"{type(e).__name__}: {e}"
        if ok is None:
            print(f"SKIP {name}: {detail}", flush=True)
            continue
        alive, reply = healthy(args)
        if not alive:
            ok = False
            detail += f"; then GET /healthz failed: {reply} {reply.head[:100]!r}"
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
        failed += 0 if ok else 1
    print(f"{failed} case(s) failed" if failed else "all cases passed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
