#!/usr/bin/env python3
"""How long `parsel fmt` and the `parsel mcp` tools take: `parsel fmt --stdin` on one generated
5,000-line file and `parsel fmt --check` on a generated 5,000-line project (10 modules of 500
lines; both from lsp_latency/gen_project.py), each the median and maximum of --runs process runs
(process start included); then one `parsel mcp` session that calls each tool --calls times on
examples/orders_api and on the 5,000-line project, and prints the median and maximum per tool,
measured from the request's write to its answer. Figures for reading: nothing passes or fails on
time (the language server has its own program, lsp_latency.py).

usage: tool_latency.py PARSEL [--runs N] [--calls N]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "lsp_latency"))
import gen_project  # noqa: E402


def generate(directory, modules, lines):
    subprocess.run([sys.executable, gen_project.__file__, directory, "--modules", str(modules),
                    "--lines", str(lines)], check=True)


def timed_runs(argv, runs, stdin_path=None):
    times = []
    for _ in range(runs):
        with open(stdin_path or os.devnull, "rb") as stdin:
            t = time.perf_counter()
            r = subprocess.run(argv, stdin=stdin, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=120)
            times.append((time.perf_counter() - t) * 1000)
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(argv)}: status {r.returncode}: {r.stderr.decode()}")
    return times


class Mcp:
    def __init__(self, parsel):
        self.proc = subprocess.Popen([parsel, "mcp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 1

    def call(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.proc.stdin.write((json.dumps({"jsonrpc": "2.0", "id": rid, "method": method,
                                           "params": params}) + "\n").encode())
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("parsel mcp closed its output")
        answer = json.loads(line)
        if answer.get("id") != rid or "error" in answer:
            raise SystemExit(f"{method}: {answer}")
        return answer["result"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def row(name, times):
    print(f"{name:<52} {len(times):>5} {statistics.median(times):>8.2f} {max(times):>8.2f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("parsel")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--calls", type=int, default=30)
    a = ap.parse_args()
    parsel = os.path.abspath(a.parsel)
    work = tempfile.mkdtemp(prefix="pt-tool-latency-")
    try:
        big, project = os.path.join(work, "big"), os.path.join(work, "project")
        generate(big, 1, 5000)
        generate(project, 10, 500)
        big_file = os.path.join(big, "src", "mod0.pt")
        print("what (ms)                                                n   median      max")
        row("parsel fmt --stdin, one 5,000-line file", timed_runs(
            [parsel, "fmt", "--stdin"], a.runs, big_file))
        row("parsel fmt --check, 10 modules of 500 lines", timed_runs(
            [parsel, "fmt", "--check", project], a.runs))
        mcp = Mcp(parsel)
        mcp.call("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                "clientInfo": {"name": "tool_latency", "version": "1"}})
        orders = os.path.join(ROOT, "examples", "orders_api")
        orders_file = os.path.join(orders, "src", "orders_api.pt")
        calls = [("check", {"path": orders}, "examples/orders_api"),
                 ("outline", {"path": orders}, "examples/orders_api"),
                 ("format", {"path": orders_file}, "examples/orders_api's file"),
                 ("explain", {"code": "PT8008"}, "PT8008"),
                 ("check", {"path": project}, "the 5,000-line project"),
                 ("outline", {"path": project}, "the 5,000-line project"),
                 ("format", {"path": big_file}, "one 5,000-line file")]
        for tool, arguments, what in calls:
            times = []
            for _ in range(a.calls):
                t = time.perf_counter()
                result = mcp.call("tools/call", {"name": tool, "arguments": arguments})
                times.append((time.perf_counter() - t) * 1000)
                if result.get("isError"):
                    raise SystemExit(f"{tool} {what}: {result}")
            row(f"mcp {tool}, {what}", times)
        mcp.close()
        print(f"reproduce: python3 tests/perf/tool_latency.py {a.parsel} --runs {a.runs} "
              f"--calls {a.calls}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
