"""Processes, CPU accounting and wrk's output, for tests/perf/http_bench.py."""
import os
import re
import signal
import socket
import subprocess
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
LIVE = []  # every process started, killed with its process group at exit


class Failure(Exception):
    pass


def kill_group(proc, timeout=10):
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def kill_all():
    for proc in LIVE:
        kill_group(proc, timeout=3)


def spawn(cmd, **kw):
    """A process in its own session (so its whole group can be killed), remembered for exit."""
    proc = subprocess.Popen(cmd, start_new_session=True, **kw)
    LIVE.append(proc)
    return proc


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_cpus(spec):
    cpus = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        cpus += range(int(lo), int(hi or lo) + 1)
    return cpus


def session_cpu_s(sid):
    """utime + stime of every live process of a session, in seconds."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[0] is field 3 (state): session is field 6, utime and stime fields 14 and 15.
        if int(fields[3]) == sid:
            total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def busy_cpu_s():
    """CPU seconds the whole machine has been busy (all but idle and iowait), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLK_TCK


UNITS = {"us": 1.0, "ms": 1e3, "s": 1e6, "m": 60e6}


def to_us(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise Failure(f"cannot read the latency {text!r}")
    return float(m.group(1)) * UNITS[m.group(2)]


def run_timed(cmd, env, timeout):
    """Runs cmd to its end (at most timeout s): (exit status or None, output, CPU seconds)."""
    out = tempfile.TemporaryFile(mode="w+")
    proc = spawn(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.time() > deadline:
            kill_group(proc)
            return None, "", 0.0
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    return proc.returncode, out.read(), usage.ru_utime + usage.ru_stime


def parse_wrk(text, shown):
    """requests/s, p50 and p99 (µs) of `wrk --latency`'s output; a Failure when it reports
    non-2xx answers or socket errors."""
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", text, re.M))
    if not m or len(lat) != 2:
        raise Failure(f"cannot read wrk's output: {shown}\n{text}")
    problems = re.findall(r"^\s*(Non-2xx or 3xx responses: \d+|Socket errors: .*)$", text, re.M)
    if problems:
        raise Failure(f"wrk reports {'; '.join(problems)}: {shown}\n{text}")
    return {"rps": float(m.group(1)), "p50_us": to_us(lat["50"]), "p99_us": to_us(lat["99"]),
            "text": text}
