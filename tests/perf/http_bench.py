#!/usr/bin/env python3
"""Basilisk against nginx and h2o: requests/s and latency of two small JSON workloads.

    python3 tests/perf/http_bench.py [--ours CMD] [--runs 3] [--duration 5] [--connections 64]
                                     [--server-cpus 0] [--client-cpus 1] [--servers LIST]
                                     [--get-body FILE] [--post-body FILE]

Workloads, each on a keep-alive connection pool of --connections:
- GET /order: a fixed Order (a 200-byte JSON object, http_bench/order.json);
- POST /echo: the same 200 bytes as an application/json body, which ours decodes, validates and
  echoes (to_json of the decoded value: the same bytes); nginx and h2o cannot decode, so they
  read the body and answer the fixed bytes that the echo produces.
--get-body and --post-body change those bytes (every server is configured with them).
--pipeline N writes N requests at a time on each connection (not the issue's measurement: it
takes wrk's own limit, about 130-150k requests/s on one core here, out of the picture).

Servers (configs in tests/perf/http_bench/, every file they use in a fresh temp dir):
- ours: by default tests/perf/http_bench/project, built with `build/bin/parsel build` (release)
  and run with PT_BASILISK_PORT_<Service>=PORT PT_BASILISK_ACCESS_LOG=off; or --ours CMD, a
  command line in which {port} is replaced by the port (e.g. "build/bin/http_host --port {port}
  --access-log off");
- nginx: one worker (worker_processes = number of server CPUs), `return 200 '<bytes>'`;
- h2o: num-threads = number of server CPUs, an mruby handler answering the bytes;
- h2o-file (GET only, context): h2o serving the bytes with file.file, its fastest fixed answer.

For every run, workload and server (servers interleaved): start the server pinned to
--server-cpus (taskset), wait until it answers, check its answers on one keep-alive connection
(status 200, application/json, the exact bytes; GET, POST, POST, GET; for ours also that an
invalid body gets 400), warm up for 1 s with wrk checking every body, then run
`taskset -c CLIENT wrk -t1 -cN -dDs --latency` and stop the server. wrk must report no non-2xx
responses and no socket errors. The tables show each server's median requests/s, p50 and p99
(each the median of its runs), the CPU the server and wrk used, and the ratios; the target is
ours >= 1.5x nginx's requests/s with a p99 no worse than nginx's. Figures only: exit 1 only when
a server could not run or answered wrongly.
"""
import argparse
import atexit
import http.client
import math
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ASSETS = os.path.join(HERE, "http_bench")
ROOT = os.path.dirname(os.path.dirname(HERE))
PROJECT = os.path.join(ASSETS, "project")
sys.path.insert(0, ASSETS)
sys.dont_write_bytecode = True  # no __pycache__ beside the configs
from procs import (Failure, busy_cpu_s, free_port, kill_all, kill_group, parse_cpus,  # noqa: E402
                   parse_wrk, run_timed, session_cpu_s, spawn)
# The bytes each path answers (and /echo's request body), set from --get-body and --post-body.
BODY_FILES = {}


def body(path):
    with open(BODY_FILES[path], "rb") as f:
        return f.read()


def invalid_body():
    """The POST body with quantity 0, which ours must refuse with 400 (its schemas want >= 1)."""
    return re.sub(rb'"quantity":\d+', b'"quantity":0', body("/echo"))
WORKLOADS = (("GET /order", "GET", "/order"), ("POST /echo", "POST", "/echo"))
def render(template, path, **values):
    with open(os.path.join(ASSETS, template)) as f:
        text = f.read()
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    with open(path, "w") as f:
        f.write(text)
    return path


class Server:
    """One server, pinned to the server CPUs, with its files in its own temp dir."""

    def __init__(self, name, work, cpus, ours_cmd, ours_env):
        self.name, self.port = name, free_port()
        self.dir = tempfile.mkdtemp(prefix=f"{name}-", dir=work)
        os.chmod(self.dir, 0o755)  # nginx's worker and h2o serve as nobody
        values = dict(DIR=self.dir, PORT=self.port, GET_BODY=body("/order").decode(),
                      POST_BODY=body("/echo").decode())
        for text in values.values():  # nginx's and mruby's quoted strings take them as they are
            assert not re.search(r"['\\$]", str(text)), f"cannot quote {text!r} in a config"
        env = None
        if name == "ours":
            cmd = [a.replace("{port}", str(self.port)) for a in ours_cmd]
            env = dict(os.environ, **{k: v.replace("{port}", str(self.port))
                                      for k, v in ours_env.items()})
        elif name == "nginx":
            masks = " ".join(format(1 << c, "b") for c in cpus)
            conf = render("nginx.conf.in", os.path.join(self.dir, "nginx.conf"),
                          WORKERS=len(cpus), AFFINITY=masks, **values)
            cmd = ["nginx", "-p", self.dir, "-c", conf, "-e",
                   os.path.join(self.dir, "nginx-error.log")]
        else:
            shutil.copy(BODY_FILES["/order"], os.path.join(self.dir, "order.json"))
            template = "h2o.conf.in" if name == "h2o" else "h2o-file.conf.in"
            conf = render(template, os.path.join(self.dir, "h2o.conf"), THREADS=len(cpus),
                          **values)
            cmd = ["h2o", "-c", conf]
        self.cmd = ["taskset", "-c", ",".join(map(str, cpus))] + cmd
        self.log_path = os.path.join(self.dir, "server.log")
        with open(self.log_path, "w") as log:
            self.proc = spawn(self.cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        if not self._ready():
            self.stop()
            raise Failure(f"{name} did not start: {shlex.join(self.cmd)}\n{self.log_tail()}")

    def _ready(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline and self.proc.poll() is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/order")
                conn.getresponse().read()
                conn.close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def log_tail(self):
        texts = []
        for name in sorted(os.listdir(self.dir)):
            if name.endswith(".log"):
                with open(os.path.join(self.dir, name), errors="replace") as f:
                    texts.append(f"--- {name}\n{f.read()[-2000:]}")
        return "\n".join(texts)

    def cpu_s(self):
        return session_cpu_s(self.proc.pid)

    def stop(self):
        kill_group(self.proc)


def check_answers(server, workloads):
    """The exact bytes on one keep-alive connection, each workload twice; ours rejects INVALID."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    steps = [(m, p, body(p) if m == "POST" else None) for _, m, p in workloads]
    for method, path, sent in steps + steps[::-1]:
        headers = {"Content-Type": "application/json"} if sent else {}
        conn.request(method, path, body=sent, headers=headers)
        resp = conn.getresponse()
        got = resp.read()
        ctype = resp.getheader("Content-Type", "")
        if resp.status != 200 or got != body(path) or not ctype.startswith("application/json"):
            raise Failure(f"{server.name}: {method} {path} answered {resp.status} {ctype!r} "
                          f"{got[:300]!r}, expected 200 application/json {body(path)!r}")
    if server.name == "ours" and any(m == "POST" for _, m, _ in workloads):
        conn.request("POST", "/echo", body=invalid_body(), headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        got = resp.read()
        if resp.status != 400:
            raise Failure(f"ours: POST /echo with quantity 0 answered {resp.status} {got!r}, "
                          "expected 400 (the body is not validated)")
    conn.close()


def run_wrk(args, port, method, path, seconds, check):
    env = dict(os.environ)
    env.pop("HTTP_BENCH_BODY", None)
    env.pop("HTTP_BENCH_EXPECT", None)
    env["HTTP_BENCH_PIPELINE"] = str(args.pipeline)
    if method == "POST":
        env["HTTP_BENCH_BODY"] = BODY_FILES[path]
    if check:
        env["HTTP_BENCH_EXPECT"] = BODY_FILES[path]
    cmd = ["taskset", "-c", args.client_cpus, "wrk", f"-t{args.threads}",
           f"-c{args.connections}", f"-d{seconds}s", "--latency", "-s",
           os.path.join(ASSETS, "wrk.lua"), f"http://127.0.0.1:{port}{path}"]
    returncode, text, cpu_s = run_timed(cmd, env, seconds + 30)
    prefix = f"HTTP_BENCH_BODY={env['HTTP_BENCH_BODY']} " if method == "POST" else ""
    if args.pipeline > 1:
        prefix += f"HTTP_BENCH_PIPELINE={args.pipeline} "
    shown = prefix + shlex.join(cmd)
    if returncode is None:
        raise Failure(f"wrk did not finish: {shown}")
    if returncode != 0:
        raise Failure(f"wrk failed ({returncode}): {shown}\n{text}")
    result = dict(parse_wrk(text, shown), cmd=shown, wrk_cpu_s=cpu_s)
    if args.pipeline > 1:
        # wrk records one latency per batch, and its percentiles then come out wrong (a p99 of
        # 0 us above a p90 of 10 ms): not shown.
        result.update(p50_us=math.nan, p99_us=math.nan)
    if check:
        c = re.search(r"check: responses (\d+) wrong (\d+)", text)
        if not c or int(c.group(1)) == 0 or int(c.group(2)) != 0:
            raise Failure(f"the warm-up saw wrong answers: {shown}\n{text}")
    return result


def measure(args, work, name, workload, ours_cmd, ours_env):
    label, method, path = workload
    server = Server(name, work, parse_cpus(args.server_cpus), ours_cmd, ours_env)
    try:
        check_answers(server, [workload])
        run_wrk(args, server.port, method, path, 1, check=True)
        before, machine_before = server.cpu_s(), busy_cpu_s()
        result = run_wrk(args, server.port, method, path, args.duration, check=False)
        result["server_cpu_s"] = server.cpu_s() - before
        # What the client's speed does not cap: requests answered per CPU second of the server.
        result["per_cpu_s"] = result["rps"] * args.duration / max(result["server_cpu_s"], 0.01)
        # What neither the server nor wrk used: other programs, the kernel's softirqs outside
        # them, and this script. High values mean the figures are not to be quoted.
        result["other_cpu_s"] = max(0.0, busy_cpu_s() - machine_before - result["server_cpu_s"]
                                    - result["wrk_cpu_s"])
        result["server_cmd"] = shlex.join(server.cmd)
    finally:
        server.stop()
        if not os.environ.get("HTTP_BENCH_KEEP"):
            shutil.rmtree(server.dir, ignore_errors=True)
    return result


def build_ours(parsel):
    """Builds the .pt project; returns (command, environment) to run it."""
    with open(os.path.join(PROJECT, "parsel.toml")) as f:
        name = re.search(r'^name\s*=\s*"([^"]+)"', f.read(), re.M).group(1)
    print(f"building {PROJECT} with {parsel}", flush=True)
    done = subprocess.run([parsel, "build", PROJECT], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        raise Failure(f"parsel build failed:\n{done.stdout[-3000:]}")
    src = os.path.join(PROJECT, "src")
    text = "".join(open(os.path.join(src, f)).read() for f in sorted(os.listdir(src)))
    service = re.search(r"^basilisk_service\s+(\w+)", text, re.M).group(1)
    env = {f"PT_BASILISK_PORT_{service}": "{port}", "PT_BASILISK_ACCESS_LOG": "off"}
    return [os.path.join(PROJECT, "build", "bin", name)], env


def us(value):
    return "n/a" if math.isnan(value) else f"{value:,.0f}"


def print_tables(args, results):
    print()
    ratios = []
    for label, _, _ in WORKLOADS:
        print(f"### {label}\n")
        print("| server | requests/s | p50 µs | p99 µs | requests / server CPU s | server CPU % "
              "| wrk CPU % | other CPU % | requests/s of the runs |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        med = {}
        for name, runs in results.get(label, {}).items():
            if not runs:
                continue
            m = {k: statistics.median(r[k] for r in runs) for k in
                 ("rps", "p50_us", "p99_us", "per_cpu_s", "server_cpu_s", "wrk_cpu_s", "other_cpu_s")}
            med[name] = m
            print(f"| {name} | {m['rps']:,.0f} | {us(m['p50_us'])} | {us(m['p99_us'])} | "
                  f"{m['per_cpu_s']:,.0f} | "
                  f"{100 * m['server_cpu_s'] / args.duration:.0f} | "
                  f"{100 * m['wrk_cpu_s'] / args.duration:.0f} | "
                  f"{100 * m['other_cpu_s'] / args.duration:.0f} | "
                  f"{', '.join(format(r['rps'], ',.0f') for r in runs)} |")
        print()
        if "ours" in med:
            for peer in ("nginx", "h2o", "h2o-file"):
                if peer in med:
                    rps = med["ours"]["rps"] / med[peer]["rps"]
                    p99 = med["ours"]["p99_us"] / med[peer]["p99_us"]
                    per_cpu = med["ours"]["per_cpu_s"] / med[peer]["per_cpu_s"]
                    p99 = "n/a" if math.isnan(p99) else f"{p99:.2f}x"
                    print(f"ours / {peer}: requests/s {rps:.2f}x, p99 {p99}, requests per "
                          f"server CPU s {per_cpu:.2f}x")
            if "nginx" in med and args.pipeline == 1:
                rps = med["ours"]["rps"] / med["nginx"]["rps"]
                p99_ok = med["ours"]["p99_us"] <= med["nginx"]["p99_us"]
                met = rps >= 1.5 and p99_ok
                ratios.append(met)
                print(f"target (>= 1.5x nginx's requests/s, p99 <= nginx's): "
                      f"{'met' if met else 'NOT met'} ({rps:.2f}x, p99 "
                      f"{'<=' if p99_ok else '>'} nginx's)")
            print()
        client_bound = [n for n, m in med.items() if m["wrk_cpu_s"] >= 0.9 * args.duration]
        if client_bound:
            print(f"note: wrk used 90% or more of its CPU against {', '.join(client_bound)}: "
                  "those requests/s are near what one wrk thread can send, and requests per "
                  "server CPU second compares the servers without that cap\n")
    return ratios


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ours", default=None, help="command line of our server, {port} replaced "
                    "(default: build and run tests/perf/http_bench/project)")
    ap.add_argument("--parsel", default=os.path.join(ROOT, "build", "bin", "parsel"))
    ap.add_argument("--servers", default="ours,nginx,h2o,h2o-file")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1, help="wrk threads")
    ap.add_argument("--pipeline", type=int, default=1, help="requests written at a time per "
                    "connection (1: none, the issue's measurement; more shows what a server "
                    "does past one wrk thread's limit, latencies then count from each batch)")
    ap.add_argument("--server-cpus", default="0")
    ap.add_argument("--client-cpus", default="1")
    ap.add_argument("--only", default=None, help="only workloads whose name contains this")
    ap.add_argument("--get-body", default=os.path.join(ASSETS, "order.json"),
                    help="the bytes GET /order answers")
    ap.add_argument("--post-body", default=os.path.join(ASSETS, "order.json"),
                    help="the body POSTed to /echo, and so the bytes it answers")
    args = ap.parse_args()
    BODY_FILES.update({"/order": os.path.abspath(args.get_body),
                       "/echo": os.path.abspath(args.post_body)})

    atexit.register(kill_all)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(130))
    work = tempfile.mkdtemp(prefix="http-bench-")
    os.chmod(work, 0o755)  # h2o serves as nobody and reads its file from below here
    atexit.register(shutil.rmtree, work, True)

    servers = args.servers.split(",")
    ours_cmd, ours_env = None, {}
    if "ours" in servers:
        try:
            if args.ours:
                ours_cmd = shlex.split(args.ours)
            else:
                ours_cmd, ours_env = build_ours(args.parsel)
        except (Failure, OSError) as e:
            print(f"ours: not measured: {e}")
            servers.remove("ours")
    for tool in ["wrk", "taskset"] + [s for s in ("nginx", "h2o") if s in servers]:
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed (scripts/install-deps.sh)")

    print(f"http_bench {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}: servers on "
          f"CPU {args.server_cpus}, wrk on CPU {args.client_cpus}, {args.connections} "
          f"connections, pipeline {args.pipeline}, {args.runs} x {args.duration} s, load average "
          f"{os.getloadavg()[0]:.2f}")
    results = {}
    for run in range(args.runs):
        for workload in WORKLOADS:
            label, method, _ = workload
            if args.only and args.only not in label:
                continue
            for name in servers:
                if name == "h2o-file" and method != "GET":
                    continue
                r = measure(args, work, name, workload, ours_cmd, ours_env)
                results.setdefault(label, {}).setdefault(name, []).append(r)
                print(f"\n[{label}] {name} (run {run + 1}): {r['rps']:,.0f} requests/s, p50 "
                      f"{us(r['p50_us'])} µs, p99 {us(r['p99_us'])} µs\n  server: "
                      f"{r['server_cmd']}\n  client: {r['cmd']}", flush=True)
    print_tables(args, results)
    print(f"load average at the end {os.getloadavg()[0]:.2f}; CPU % is of one CPU, other CPU % "
          "is what the rest of the machine used during the runs")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"\nhttp_bench: {e}", file=sys.stderr)
        sys.exit(1)
