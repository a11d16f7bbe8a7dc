#!/usr/bin/env python3
"""Checks the code blocks of docs/llm-guide.md against the compiler.

Usage: check_llm_guide.py PARSEL GUIDE

Every ```pt example block must be a complete module that `parsel check` accepts;
every ```pt wrong PTxxxx block must be refused with diagnostic PTxxxx.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

MAX_BYTES = 25000
MIN_EXAMPLES = 15
MIN_WRONG = 10

FENCE = re.compile(r"^```(.*)$")
MODULE = re.compile(r"^\s*module\s+([A-Za-z_][A-Za-z0-9_.]*)", re.MULTILINE)


def blocks(text):
    """Yields (line, info, body) for every fenced block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            info, start, body = m.group(1).strip(), i + 1, []
            i += 1
            while i < len(lines) and lines[i].rstrip() != "```":
                body.append(lines[i])
                i += 1
            yield start, info, "\n".join(body) + "\n"
        i += 1


def codes_of(stdout):
    codes = set()
    for chunk in [stdout] + stdout.splitlines():
        try:
            data = json.loads(chunk)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get("code"), str):
                    codes.add(item["code"])
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return codes


def main():
    if len(sys.argv) != 3:
        print("usage: check_llm_guide.py PARSEL GUIDE", file=sys.stderr)
        return 2
    parsel, guide = sys.argv[1], sys.argv[2]
    with open(guide, "rb") as f:
        raw = f.read()
    failures = 0
    if len(raw) >= MAX_BYTES:
        print(f"FAIL size: {len(raw)} bytes, must be under {MAX_BYTES}")
        failures += 1
    examples = wrong = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, (line, info, body) in enumerate(blocks(raw.decode("utf-8"))):
            words = info.split()
            if len(words) < 2 or words[0] != "pt" or words[1] not in ("example", "wrong"):
                continue
            label = f"{guide}:{line} [{info}]"
            m = MODULE.match(body.lstrip("\n")) if body.strip() else None
            m = m or MODULE.search(body)
            if not m or not body.lstrip().startswith("module"):
                print(f"FAIL {label}: does not start with `module NAME`")
                failures += 1
                continue
            d = os.path.join(tmp, str(n))
            os.mkdir(d)
            path = os.path.join(d, m.group(1) + ".pt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(body)
            r = subprocess.run([parsel, "check", path, "--diagnostics=json"],
                               capture_output=True, text=True)
            codes = codes_of(r.stdout) | codes_of(r.stderr)
            if words[1] == "example":
                examples += 1
                ok = r.returncode == 0
                why = f"exit {r.returncode}, codes {sorted(codes)}"
            else:
                wrong += 1
                want = words[2] if len(words) > 2 else "?"
                ok = r.returncode == 1 and want in codes
                why = f"exit {r.returncode}, want {want}, got {sorted(codes)}"
            print(f"{'ok  ' if ok else 'FAIL'} {label}: {why}")
            if not ok:
                failures += 1
                sys.stdout.write(r.stdout[-2000:] + r.stderr[-2000:])
    if examples < MIN_EXAMPLES:
        print(f"FAIL only {examples} `pt example` blocks, need {MIN_EXAMPLES}")
        failures += 1
    if wrong < MIN_WRONG:
        print(f"FAIL only {wrong} `pt wrong` blocks, need {MIN_WRONG}")
        failures += 1
    print(f"{examples} examples, {wrong} wrong examples, {len(raw)} bytes, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
