"""How long one fdatasync of a small append takes on a disk.

That is the floor of produce-to-consume latency for an fsync'd Slytherin topic, whose consumers
see a record only once it is durable. Usage: python3 tests/perf/fsync_probe.py [DIR] [SAMPLES]
(DIR defaults to /tmp: pass a folder on the disk the data directory uses).
"""
import os
import sys
import tempfile
import time


def main() -> None:
    parent = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    folder = tempfile.mkdtemp(dir=parent)
    path = os.path.join(folder, "probe")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    millis = []
    try:
        for _ in range(samples):
            os.write(fd, b"x" * 2048)
            start = time.perf_counter()
            os.fdatasync(fd)
            millis.append((time.perf_counter() - start) * 1e3)
    finally:
        os.close(fd)
        os.remove(path)
        os.rmdir(folder)
    millis.sort()
    at = lambda q: millis[min(len(millis) - 1, int(q * len(millis)))]
    print(f"fdatasync of a 2 KiB append, {samples} samples in {parent}: "
          f"p50 {at(0.5):.2f} ms, p99 {at(0.99):.2f} ms, max {millis[-1]:.2f} ms")


if __name__ == "__main__":
    main()
