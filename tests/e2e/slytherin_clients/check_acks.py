#!/usr/bin/env python3
"""Checks what consume_check read against what acks_producer was told was acknowledged.

    check_acks.py RECS ACKS... [--expect PREFIX=N]... [--contiguous]

RECS holds consume_check's "rec <partition> <offset> <value>" lines; each ACKS file holds one
acks_producer run's "ack <partition> <offset> <value>" lines (other lines are ignored), given in
the order the runs happened. The rules:

- the log serves each (partition, offset) once, with offsets increasing within a partition
  (and, with --contiguous, exactly 0, 1, 2, ... with no gap);
- every acknowledged record with an offset is found at that partition and offset with that value;
- no value is present twice, acknowledged or not (values are unique per run and per record);
- per partition, acknowledged offsets increase in acknowledgement order, across all runs;
- acks=0 runs acknowledge with offset -1: those values must be present once, and
  --expect PREFIX=N requires exactly N present values starting with "PREFIX-".

Prints a summary line and every violation (the first 20 of each kind); exits 1 on any.
"""
import collections
import sys


def read_lines(path, tag):
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 3)
            if len(parts) == 4 and parts[0] == tag:
                rows.append((int(parts[1]), int(parts[2]), parts[3]))
    return rows


def main(argv):
    files, expects, contiguous = [], [], False
    i = 1
    while i < len(argv):
        if argv[i] == "--expect":
            prefix, n = argv[i + 1].rsplit("=", 1)
            expects.append((prefix, int(n)))
            i += 2
        elif argv[i] == "--contiguous":
            contiguous = True
            i += 1
        else:
            files.append(argv[i])
            i += 1
    if len(files) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    recs = read_lines(files[0], "rec")
    runs = [read_lines(f, "ack") for f in files[1:]]

    problems = collections.defaultdict(list)
    at = {}  # (partition, offset) -> value
    last = {}  # partition -> last offset served
    for p, o, v in recs:
        if (p, o) in at:
            problems["offset served twice"].append(f"{p}/{o}")
        at[(p, o)] = v
        if p in last and o <= last[p]:
            problems["offsets not increasing"].append(f"{p}: {last[p]} then {o}")
        elif contiguous and o != last.get(p, -1) + 1:
            problems["offset gap"].append(f"{p}: {last.get(p, -1)} then {o}")
        last[p] = o
    counts = collections.Counter(v for _, _, v in recs)
    for v, n in counts.items():
        if n > 1:
            problems["value present more than once"].append(f"{v} x{n}")

    acked = found = lost = dup_acked = 0
    ack_last = {}
    for run in runs:
        for p, o, v in run:
            acked += 1
            n = counts.get(v, 0)
            if n > 1:
                dup_acked += 1
            if o < 0:  # acks=0: no offset to check, only presence
                if n == 0:
                    lost += 1
                    problems["acknowledged (acks=0) record missing"].append(v)
                else:
                    found += 1
                continue
            if at.get((p, o)) == v:
                found += 1
            else:
                lost += 1
                problems["acknowledged record missing"].append(f"{p}/{o} {v} (log has "
                                                               f"{at.get((p, o))!r})")
            if p in ack_last and o <= ack_last[p]:
                problems["acknowledged offsets not increasing"].append(
                    f"{p}: {ack_last[p]} then {o} ({v})")
            ack_last[p] = o
    for prefix, n in expects:
        have = sum(1 for v in counts if v.startswith(prefix + "-"))
        if have != n:
            problems[f"records of {prefix}"].append(f"expected {n}, found {have}")

    acked_values = {v for run in runs for _, _, v in run}
    unacked_present = sum(1 for v in counts if v not in acked_values)
    print(f"check_acks: runs {len(runs)}, acked {acked}, found {found}, lost {lost}, "
          f"duplicates of acked {dup_acked}, records in log {len(recs)}, "
          f"unacknowledged but present {unacked_present}")
    for kind, items in problems.items():
        print(f"check_acks: {kind}: {len(items)}: " + "; ".join(items[:20]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
