#!/usr/bin/env python3
"""Slytherin against NATS JetStream and Redis Streams, in one run on this machine.

    python3 tests/perf/log_bench.py --build build-perf-log [--runs N] [--quick] [--peers LIST]

For every workload and every peer it starts a fresh server in a fresh directory, pinned to CPU 0
(taskset -c 0), runs that peer's log_bench_* client pinned to CPU 1, and measures:

- throughput: 1,000,000 x 100 B and 300,000 x 1 KiB records (publishing stops after 30 s),
  acknowledged records/s and MB/s;
- latency: 20,000 msg/s of 100 B for 10 s, one producer thread and one consumer thread in one
  client process, p50/p99/p99.9/max from send to receive;
- CPU seconds per million records of the server (utime+stime from /proc/PID/stat, children
  included, before and after the client run) and of the client (its rusage).

The servers:
- slytherin: BUILD/bin/slytherin_host --data DIR --port 0 --topic bench:1:batched:5
  (fsync_batched, 5 ms), driven by librdkafka (acks=all, socket.nagle.disable as the peers'
  clients set TCP_NODELAY, linger.ms 5 for throughput and 0 for latency, other batching
  settings at their defaults);
- slytherin-none, for context (not in the ratios): the same with --topic bench:1:none, no fsync,
  as the peers between their periodic syncs;
- nats: nats-server -js -sd DIR -p PORT -a 127.0.0.1, a stream with file storage (JetStream's
  default sync: fsync every 2 minutes), js_PublishAsync with 8192 acks outstanding at most;
- redis: redis-server --port PORT --bind 127.0.0.1 --appendonly yes --appendfsync everysec
  --save "" --auto-aof-rewrite-percentage 0 --dir DIR (no AOF rewrite during a run), XADD
  pipelined with 8192 replies outstanding at most, XREAD BLOCK for the consumer.

With --runs N every (workload, peer) runs N times, peers interleaved, and the tables show each
peer's median run. It prints each command, a table per workload, and the ratios: ours / best peer for throughput
(higher is better) and ours / best peer for p99.9 latency (lower is better). Figures only: it
never passes or fails on them (exit 1 only when a server or client could not run).
"""
import argparse
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
PEERS = ("nats", "redis")  # what the ratios compare slytherin with
SERVER_CPU = "0"
CLIENT_CPU = "1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu_s(pid):
    """utime + stime + cutime + cstime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    # fields[0] is field 3 (state): utime..cstime are fields 14..17.
    return sum(int(x) for x in fields[11:15]) / CLK_TCK


def wait_port(port, proc, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


class Server:
    """One server process, pinned to SERVER_CPU, in its own directory."""

    def __init__(self, peer, build, work, name):
        self.peer, self.dir = peer, tempfile.mkdtemp(prefix=f"{peer}-{name}-", dir=work)
        self.log_path = os.path.join(self.dir, "server.log")
        if peer.startswith("slytherin"):
            self.port = 0
            durability = "none" if peer == "slytherin-none" else "batched:5"
            cmd = [os.path.join(build, "bin", "slytherin_host"), "--data",
                   os.path.join(self.dir, "data"), "--port", "0", "--topic",
                   f"bench:1:{durability}", "--no-auto-create"]
        elif peer == "nats":
            self.port = free_port()
            cmd = ["nats-server", "-js", "-sd", os.path.join(self.dir, "js"), "-p", str(self.port),
                   "-a", "127.0.0.1"]
        else:
            self.port = free_port()
            cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--appendonly",
                   "yes", "--appendfsync", "everysec", "--save", "", "--auto-aof-rewrite-percentage",
                   "0", "--dir", self.dir]
        self.cmd = ["taskset", "-c", SERVER_CPU] + cmd
        self.log = open(self.log_path, "w")
        # taskset execs the server: the pid is the server's own.
        self.proc = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT)
        if not self._ready():
            self.stop()
            with open(self.log_path) as f:
                sys.stderr.write(f.read()[-3000:])
            raise RuntimeError(f"{peer} server did not start: {shlex.join(self.cmd)}")

    def _ready(self):
        if not self.peer.startswith("slytherin"):
            return wait_port(self.port, self.proc)
        deadline = time.time() + 15
        while time.time() < deadline and self.proc.poll() is None:
            with open(self.log_path) as f:
                m = re.search(r"listening on 127\.0\.0\.1:(\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                return True
            time.sleep(0.05)
        return False

    def cpu_s(self):
        return proc_cpu_s(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def client_exe(build, peer):
    return os.path.join(build, "bin",
                        f"log_bench_{'kafka' if peer.startswith('slytherin') else peer}")


def run_client(build, peer, port, args, timeout):
    exe = client_exe(build, peer)
    cmd = ["taskset", "-c", CLIENT_CPU, exe, "--target", f"127.0.0.1:{port}", "--name",
           "bench"] + args
    out = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.time() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    text = out.read()
    result = {}
    for line in text.splitlines():
        if line.startswith("RESULT "):
            for kv in line.split()[1:]:
                k, v = kv.split("=", 1)
                result[k] = v
    return cmd, proc.returncode, text, result, usage.ru_utime + usage.ru_stime


def measure(build, work, name, kind, wargs, peer, run):
    """One run of one workload against a fresh server; the client's RESULT fields plus CPU per
    million records, or None when the server or the client failed."""
    try:
        server = Server(peer, build, work, re.sub(r"\W+", "-", name))
    except RuntimeError as e:
        print(f"\n[{name}] {peer}: {e}")
        return None
    try:
        before = server.cpu_s()
        cmd, rc, text, result, client_cpu = run_client(build, peer, server.port, wargs,
                                                       timeout=180)
        server_cpu = server.cpu_s() - before
    finally:
        server.stop()
        if not os.environ.get("LOG_BENCH_KEEP"):
            shutil.rmtree(server.dir, ignore_errors=True)
    print(f"\n[{name}] {peer} (run {run + 1})\n  server: {shlex.join(server.cmd)}\n  client: "
          f"{shlex.join(cmd)}")
    for line in text.splitlines():
        if not line.startswith("RESULT "):
            print("  " + line)
    if rc != 0 or not result:
        print(f"  client exit status {rc}: no result for {peer}")
        return None
    if kind == "throughput":
        records = int(result["acked"])
    else:  # every message sent, warm-up included
        records = int(float(result["rate"]) * float(wargs[wargs.index("--seconds") + 1]))
    result["server_cpu_per_m"] = server_cpu / records * 1e6 if records else float("nan")
    result["client_cpu_per_m"] = client_cpu / records * 1e6 if records else float("nan")
    return result


def workloads(quick):
    scale = 0.1 if quick else 1.0
    secs = "3" if quick else "30"
    lat_secs = "3" if quick else "10"
    return [
        ("produce 100 B", "throughput",
         ["--mode", "throughput", "--count", str(int(1_000_000 * scale)), "--size", "100",
          "--seconds", secs, "--linger-ms", "5"]),
        ("produce 1 KiB", "throughput",
         ["--mode", "throughput", "--count", str(int(300_000 * scale)), "--size", "1024",
          "--seconds", secs, "--linger-ms", "5"]),
        ("latency 20k/s 100 B", "latency",
         ["--mode", "latency", "--rate", "20000", "--seconds", lat_secs, "--size", "100",
          "--linger-ms", "0"]),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build-perf-log", help="build dir (bin/ holds the programs)")
    ap.add_argument("--peers", default="slytherin,nats,redis,slytherin-none",
                    help="slytherin-none: our broker with durability none, for context only")
    ap.add_argument("--work", default=None, help="parent of the servers' data dirs (default: "
                    "a fresh dir under /tmp); each is removed after its run unless "
                    "LOG_BENCH_KEEP=1")
    ap.add_argument("--quick", action="store_true", help="a tenth of the records, 3 s runs")
    ap.add_argument("--runs", type=int, default=1,
                    help="runs per workload and peer (peers interleaved); the median is shown")
    ap.add_argument("--only", default=None, help="run only workloads whose name contains this")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    work = args.work or tempfile.mkdtemp(prefix="log-bench-")
    os.makedirs(work, exist_ok=True)
    peers = []
    for peer in args.peers.split(","):
        exe = client_exe(build, peer)
        server = (os.path.join(build, "bin", "slytherin_host") if peer.startswith("slytherin") else
                  {"nats": "nats-server", "redis": "redis-server"}[peer])
        if not os.access(exe, os.X_OK):
            print(f"skipping {peer}: {exe} is not built")
        elif not (os.access(server, os.X_OK) or shutil.which(server)):
            print(f"skipping {peer}: {server} not found")
        else:
            peers.append(peer)
    print(f"log_bench {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, server on CPU "
          f"{SERVER_CPU}, client on CPU {CLIENT_CPU}, data under {work}")
    failures = 0
    tables = []
    for name, kind, wargs in workloads(args.quick):
        if args.only and args.only not in name:
            continue
        runs = {peer: [] for peer in peers}
        for run in range(args.runs):
            for peer in peers:
                result = measure(build, work, name, kind, wargs, peer, run)
                if result is None:
                    failures += 1
                else:
                    runs[peer].append(result)
        # Each peer's median run by the workload's own figure (records/s, or p99.9).
        key = "records_per_s" if kind == "throughput" else "p999_us"
        rows = {}
        for peer, results in runs.items():
            if results:
                results.sort(key=lambda r: float(r[key]))
                rows[peer] = results[len(results) // 2]
                if len(results) > 1:
                    rows[peer]["runs"] = ", ".join(f"{float(r[key]):,.0f}" for r in results)
        if args.runs > 1:
            for peer, r in rows.items():
                print(f"[{name}] {peer}: {key} of the {args.runs} runs: {r['runs']}")
        tables.append((name, kind, rows))

    print()
    for name, kind, rows in tables:
        print(f"### {name}\n")
        if kind == "throughput":
            print("| peer | records acked | records/s | MB/s | server CPU s / M records | "
                  "client CPU s / M records |")
            print("|---|---:|---:|---:|---:|---:|")
            for peer, r in rows.items():
                print(f"| {peer} | {int(r['acked']):,} | {float(r['records_per_s']):,.0f} | "
                      f"{float(r['mb_per_s']):.1f} | {r['server_cpu_per_m']:.2f} | "
                      f"{r['client_cpu_per_m']:.2f} |")
            others = [float(r["records_per_s"]) for p, r in rows.items() if p in PEERS]
            if "slytherin" in rows and others:
                ours = float(rows["slytherin"]["records_per_s"])
                print(f"\nthroughput ratio, slytherin / best peer: {ours / max(others):.2f}x")
        else:
            print("| peer | received | p50 µs | p99 µs | p99.9 µs | max µs | "
                  "server CPU s / M records | client CPU s / M records |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            for peer, r in rows.items():
                print(f"| {peer} | {int(r['received']):,} of {int(r['expected']):,} | "
                      f"{float(r['p50_us']):,.0f} | {float(r['p99_us']):,.0f} | "
                      f"{float(r['p999_us']):,.0f} | {float(r['max_us']):,.0f} | "
                      f"{r['server_cpu_per_m']:.2f} | {r['client_cpu_per_m']:.2f} |")
            others = [float(r["p999_us"]) for p, r in rows.items() if p in PEERS]
            if "slytherin" in rows and others:
                ours = float(rows["slytherin"]["p999_us"])
                print(f"\np99.9 ratio, slytherin / best peer: {ours / min(others):.2f}x "
                      "(lower is better)")
        print()
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
