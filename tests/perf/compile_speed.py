#!/usr/bin/env python3
"""Compile-speed figures for parsel against protoc. Prints figures; never passes or fails.

1. Generates, deterministically, a synthetic project of about --lines lines of .pt (many
   modules; schemas of 5-15 fields of every type, enums, validate clauses; functions using
   let/if/for_each/match) plus a schemas-only variant of it, and the same schemas as proto3:
   one .proto file holding every schema (all.proto, what protoc is timed on) and one .proto per
   module (for the g++ comparison, so that the same subset of modules can be compiled).
2. Times, 3 runs each (median wall time, peak RSS of the child from os.wait4):
     parsel check DIR,  parsel build DIR --emit-only,  protoc --cpp_out=OUT all.proto
3. Compiles with g++ -O2 -std=c++20 -c, one file at a time, serially, a fixed subset of modules
   of our generated C++ (schemas-only project) and of protoc's .pb.cc for the same schemas.
4. If the phase_bench program is built (tests/perf/phase_bench.cpp), prints the time and memory
   of each compiler phase (parse, check, emit) on the same projects.

Usage: tests/perf/compile_speed.py [--parsel build-perf/bin/parsel] [--lines 100000]
           [--work /tmp/pt-perf] [--runs 3] [--gxx-modules 6] [--skip-gxx]
Standard library only.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# ---------------------------------------------------------------------------------------------
# The synthetic project

SCALARS = ["i64", "f64", "bool", "string", "bytes", "timestamp", "duration"]
PROTO_SCALAR = {
    "i64": "int64", "f64": "double", "bool": "bool", "string": "string", "bytes": "bytes",
    "timestamp": "google.protobuf.Timestamp", "duration": "google.protobuf.Duration",
}
ENUM_MEMBERS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
# Field names by the shape of their type (none is a keyword of either language).
NAME_STEM = {
    "i64": "count", "f64": "ratio", "bool": "flag", "string": "label", "bytes": "blob",
    "timestamp": "seen_at", "duration": "wait", "enum": "kind", "schema": "child",
    "list": "items", "map": "table", "optional": "maybe",
}


class Field:
    def __init__(self, name, shape, elem, default=None, validate=None):
        self.name = name
        self.shape = shape  # scalar name, "enum", "schema", "list", "map", "optional"
        self.elem = elem  # scalar name / enum name / schema name (the element for containers)
        self.default = default
        self.validate = validate

    def pt_type(self):
        if self.shape == "list":
            return f"list<{self.elem}>"
        if self.shape == "map":
            return f"map<string, {self.elem}>"
        if self.shape == "optional":
            return f"optional<{self.elem}>"
        return self.elem

    def proto(self, number):
        elem = PROTO_SCALAR.get(self.elem, self.elem)
        if self.shape == "list":
            return f"repeated {elem} {self.name} = {number};"
        if self.shape == "map":
            return f"map<string, {elem}> {self.name} = {number};"
        if self.shape == "optional":
            return f"optional {elem} {self.name} = {number};"
        return f"{elem} {self.name} = {number};"


class Schema:
    def __init__(self, name, fields):
        self.name = name
        self.fields = fields


class Enum:
    def __init__(self, name, members):
        self.name = name
        self.members = members


def make_field(rng, index, shape, elem):
    name = f"{NAME_STEM[shape if shape in NAME_STEM else elem]}_{index}"
    f = Field(name, shape, elem)
    r = rng.random()
    if shape == "i64":
        if r < 0.3:
            f.default, f.validate = "1", "between(0, 1_000_000)"
        elif r < 0.5:
            f.validate = "at_least(0)"
    elif shape == "f64" and r < 0.4:
        f.validate = "at_least(0.0)"
    elif shape == "string":
        if r < 0.2:
            f.validate = 'matches("[a-z0-9_]*")'
        elif r < 0.5:
            f.validate = "length_between(0, 256)"
    elif shape == "duration" and r < 0.5:
        f.default, f.validate = "30 seconds", "at_most(2 hours)"
    elif shape == "bool" and r < 0.3:
        f.default = "false"
    elif shape == "list" and r < 0.3:
        f.validate = "length_between(0, 1000)"
    elif shape == "optional" and elem == "i64" and r < 0.4:
        f.validate = "between(-5, 5_000)"
    return f


def gen_module(rng, m, n_schemas, n_enums):
    """Returns (enums, schemas) of module number m."""
    enums = []
    for e in range(n_enums):
        members = ENUM_MEMBERS[: rng.randint(3, len(ENUM_MEMBERS))]
        enums.append(Enum(f"M{m}Kind{e}", members))
    schemas = []
    for s in range(n_schemas):
        n_fields = rng.randint(5, 15)
        fields = []
        for i in range(n_fields):
            # Cycle through every type so that each schema of 5+ fields is varied.
            pick = rng.random()
            if pick < 0.55:
                shape = SCALARS[(i + s) % len(SCALARS)]
                elem = shape
            elif pick < 0.65:
                shape, elem = "enum", rng.choice(enums).name
            elif pick < 0.72 and schemas:
                shape, elem = "schema", rng.choice(schemas[-4:]).name
            else:
                shape = rng.choice(["list", "map", "optional"])
                inner = rng.random()
                if inner < 0.6:
                    elem = rng.choice(SCALARS)
                elif inner < 0.8 or not schemas:
                    elem = rng.choice(enums).name
                else:
                    elem = rng.choice(schemas[-4:]).name
            f = make_field(rng, i, shape, elem)
            if shape == "enum" and rng.random() < 0.3:
                enum = next(e for e in enums if e.name == elem)
                f.default = f"{elem}.{enum.members[0]}"
            fields.append(f)
        schemas.append(Schema(f"M{m}Rec{s}", fields))
    return enums, schemas


def pt_schema_text(enums, schemas):
    out = []
    for e in enums:
        out.append(f"/// Kinds of things, number {e.name[-1]}.")
        out.append(f"enum {e.name} {{")
        out.append("    " + ",\n    ".join(e.members))
        out.append("}")
        out.append("")
    for s in schemas:
        out.append(f"/// Record {s.name}.")
        out.append(f"schema {s.name} {{")
        for f in s.fields:
            line = f"    field {f.name}: {f.pt_type()}"
            if f.default is not None:
                line += f" = {f.default}"
            if f.validate is not None:
                line += f" validate {f.validate}"
            out.append(line)
        out.append("}")
        out.append("")
    return out


def pt_function_text(enums, schemas, module_name, prev_module):
    """Ordinary functions over the module's schemas: let, if, for_each, match."""
    enum_by_name = {e.name: e for e in enums}
    out = []
    for s in schemas[::3]:  # every third schema: about half the lines stay schemas
        out.append(f"/// A score over a list of {s.name}.")
        out.append(f"function score_{s.name.lower()}(records: list<{s.name}>, limit: i64) returns i64 {{")
        out.append("    let_mut_var total = 0")
        out.append("    let_immutable_var factor = limit * 2 + 1")
        out.append("    for_each record in records {")
        body = []
        for f in s.fields:
            r = f"record.{f.name}"
            if f.shape == "i64":
                body += [f"if {r} > factor {{",
                         f"    set_var total = total + {r}",
                         "} else {",
                         "    set_var total = total - 1",
                         "}"]
            elif f.shape == "f64":
                body += [f"if {r} > 0.5 and {r} < 1_000_000.0 {{",
                         f"    set_var total = total + to_i64({r})",
                         "}"]
            elif f.shape == "bool":
                body += [f"if {r} or total < limit {{", "    set_var total = total + 1", "}"]
            elif f.shape == "string":
                body += [f"let_immutable_var size_{f.name} = length({r})",
                         f"if size_{f.name} > 3 {{",
                         f"    set_var total = total + size_{f.name}",
                         "}"]
            elif f.shape == "duration":
                body += [f"if {r} > 5 seconds {{", "    set_var total = total + 2", "}"]
            elif f.shape == "enum":
                members = enum_by_name[f.elem].members
                body += [f"match {r} {{",
                         f"    when {members[0]} {{ set_var total = total + 1 }}",
                         f"    when {members[1]}, {members[2]} {{ set_var total = total + 2 }}",
                         "    otherwise { set_var total = total + 3 }",
                         "}"]
            elif f.shape == "optional" and f.elem == "i64":
                body += [f"match {r} {{",
                         "    when some(value) { set_var total = total + value }",
                         "    when none { set_var total = total - 1 }",
                         "}"]
            elif f.shape == "optional":
                body += [f"match {r} {{",
                         "    when some(_value) { set_var total = total + 1 }",
                         "    when none { }",
                         "}"]
            elif f.shape == "list" and f.elem == "i64":
                body += [f"for_each value in {r} {{",
                         "    if value > 0 { set_var total = total + value }",
                         "}"]
            elif f.shape == "list":
                body += [f"set_var total = total + length({r})"]
            elif f.shape == "map":
                body += [f"for_each key, _value in {r} {{",
                         "    if length(key) > 1 { set_var total = total + 1 }",
                         "}"]
            elif f.shape == "schema":
                body += [f"if total % 2 == 0 {{ set_var total = total + 1 }}"]
        out += ["        " + b for b in body]
        out.append("    }")
        out.append("    if total > factor {")
        out.append("        return total - factor")
        out.append("    }")
        out.append("    return total")
        out.append("}")
        out.append("")
    # One call into the previous module so that imports and qualified names are exercised.
    out.append(f"function depth_{module_name}(n: i64) returns i64 {{")
    out.append("    if n <= 0 {")
    out.append("        return 0")
    out.append("    }")
    if prev_module is not None:
        out.append(f"    return 1 + {prev_module}.depth_{prev_module}(n - 1)")
    else:
        out.append("    return 1")
    out.append("}")
    out.append("")
    return out


def proto_text(enums, schemas):
    out = []
    for e in enums:
        out.append(f"enum {e.name} {{")
        upper = e.name.upper()
        for i, member in enumerate(e.members):
            out.append(f"  {upper}_{member.upper()} = {i};")
        out.append("}")
        out.append("")
    for s in schemas:
        out.append(f"message {s.name} {{")
        for i, f in enumerate(s.fields):
            out.append("  " + f.proto(i + 1))
        out.append("}")
        out.append("")
    return out


PROTO_HEADER = [
    'syntax = "proto3";',
    "",
    "package perf;",
    "",
    'import "google/protobuf/timestamp.proto";',
    'import "google/protobuf/duration.proto";',
    "",
]


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(lines)


def manifest(name):
    return [
        "[project]",
        f'name = "{name}"',
        'version = "0.1.0"',
        'modules = ["src"]',
    ]


def generate(work, target_lines, seed=20261126):
    """Writes work/full (schemas + functions), work/schemas (schemas only), work/proto."""
    rng = random.Random(seed)
    for sub in ("full", "schemas", "proto"):
        shutil.rmtree(os.path.join(work, sub), ignore_errors=True)
    counts = {"full": 0, "schemas": 0, "proto": 0, "proto_all": 0, "modules": 0,
              "schema_decls": 0, "enum_decls": 0, "fields": 0, "functions": 0}
    all_proto = list(PROTO_HEADER)
    m = 0
    while counts["full"] < target_lines:
        name = f"m{m:03d}"
        prev = f"m{m - 1:03d}" if m > 0 else None
        enums, schemas = gen_module(rng, m, n_schemas=rng.randint(18, 26), n_enums=3)
        schema_lines = pt_schema_text(enums, schemas)
        head = [f"/// Synthetic module {m} for tests/perf/compile_speed.py.", f"module {name}", ""]
        full_head = list(head)
        if prev is not None:
            full_head += [f"import {prev}", ""]
        funcs = pt_function_text(enums, schemas, name, prev)
        tail = []
        if m == 0:
            tail = ["program main {", '    print_line("generated project: {depth_m000(3)}")', "}"]
        schemas_tail = ["program main {", '    print_line("schemas only")', "}"] if m == 0 else []
        counts["full"] += write(os.path.join(work, "full", "src", f"{name}.pt"),
                                full_head + schema_lines + funcs + tail)
        counts["schemas"] += write(os.path.join(work, "schemas", "src", f"{name}.pt"),
                                   head + schema_lines + schemas_tail)
        body = proto_text(enums, schemas)
        counts["proto"] += write(os.path.join(work, "proto", "split", f"{name}.proto"),
                                 PROTO_HEADER + body)
        all_proto += body
        counts["modules"] += 1
        counts["schema_decls"] += len(schemas)
        counts["enum_decls"] += len(enums)
        counts["fields"] += sum(len(s.fields) for s in schemas)
        counts["functions"] += len(schemas[::3]) + 1
        m += 1
    counts["proto_all"] = write(os.path.join(work, "proto", "all.proto"), all_proto)
    write(os.path.join(work, "full", "parsel.toml"), manifest("perf_full"))
    write(os.path.join(work, "schemas", "parsel.toml"), manifest("perf_schemas"))
    return counts


# ---------------------------------------------------------------------------------------------
# Measuring

def run_measured(argv, cwd=None, stdout_path=os.devnull):
    """Runs argv; returns (wall seconds, peak RSS in MiB, exit status, CPU seconds) of the child."""
    with open(stdout_path, "wb") as out, open(os.devnull, "wb") as err_sink:
        err_path = stdout_path + ".err" if stdout_path != os.devnull else os.devnull
        with open(err_path, "wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
    del err_sink
    return wall, usage.ru_maxrss / 1024.0, proc.returncode, usage.ru_utime + usage.ru_stime


def measure(label, argv, runs, before=None, cwd=None):
    walls, rss, cpus = [], [], []
    for _ in range(runs):
        if before:
            before()
        wall, peak, code, cpu = run_measured(argv, cwd=cwd)
        if code != 0:
            print(f"  {label}: exit status {code} from {' '.join(argv)}")
            log = "/tmp/compile_speed_failed.log"
            run_measured(argv, cwd=cwd, stdout_path=log)
            print(f"  output in {log} and {log}.err")
            sys.exit(1)
        walls.append(wall)
        rss.append(peak)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(rss), walls, statistics.median(cpus)


def fmt_rate(lines, seconds):
    return f"{lines / seconds:>12,.0f} lines/s"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parsel", default=os.path.join(ROOT, "build-perf", "bin", "parsel"))
    ap.add_argument("--phase-bench", default=None,
                    help="default: phase_bench next to parsel, when it exists")
    ap.add_argument("--protoc", default=shutil.which("protoc") or "protoc")
    ap.add_argument("--cxx", default=shutil.which("g++") or "g++")
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--work", default="/tmp/pt-perf")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gxx-modules", type=int, default=6,
                    help="modules compiled with g++ for each side (a fixed subset: m000...)")
    ap.add_argument("--skip-gxx", action="store_true")
    args = ap.parse_args()
    parsel = os.path.abspath(args.parsel)
    if not os.path.exists(parsel):
        sys.exit(f"no parsel at {parsel}: build it first (see tests/perf/README.md)")
    bench = args.phase_bench or os.path.join(os.path.dirname(parsel), "phase_bench")

    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    print(f"compile_speed: {time.strftime('%Y-%m-%d %H:%M')} on {os.uname().nodename}, "
          f"{os.cpu_count()} cores; parsel {parsel}")
    t0 = time.perf_counter()
    c = generate(work, args.lines)
    print(f"generated in {time.perf_counter() - t0:.1f}s under {work}:")
    print(f"  {c['modules']} modules, {c['schema_decls']} schemas, {c['enum_decls']} enums, "
          f"{c['fields']} fields, {c['functions']} functions")
    print(f"  full project (schemas + functions): {c['full']:,} lines of .pt")
    print(f"  schemas-only project:               {c['schemas']:,} lines of .pt")
    print(f"  the same schemas in proto3:         {c['proto_all']:,} lines (all.proto), "
          f"{c['proto']:,} lines in {c['modules']} per-module files")

    full, schemas = os.path.join(work, "full"), os.path.join(work, "schemas")
    # The projects must check without any diagnostic, or the figures mean nothing.
    for d in (full, schemas):
        r = subprocess.run([parsel, "check", d], capture_output=True, text=True)
        if r.returncode != 0 or r.stdout.strip() or r.stderr.strip():
            print(f"parsel check {d} is not clean (exit {r.returncode}):")
            print((r.stdout + r.stderr)[:4000])
            sys.exit(1)
    print("  both projects check with zero diagnostics")

    def clean_build(d):
        return lambda: shutil.rmtree(os.path.join(d, "build"), ignore_errors=True)

    proto_out = os.path.join(work, "proto", "out")
    split = os.path.join(work, "proto", "split")
    split_files = sorted(os.path.join(split, f) for f in os.listdir(split))

    def clean_proto():
        shutil.rmtree(proto_out, ignore_errors=True)
        os.makedirs(proto_out)

    rows = []
    print(f"\nwall time: median of {args.runs} runs; peak RSS: the child's ru_maxrss (median)")
    for label, lines, argv, before in [
        ("parsel check     full", c["full"], [parsel, "check", full], None),
        ("parsel emit-only full", c["full"], [parsel, "build", full, "--emit-only"], clean_build(full)),
        ("parsel check     schemas", c["schemas"], [parsel, "check", schemas], None),
        ("parsel emit-only schemas", c["schemas"], [parsel, "build", schemas, "--emit-only"],
         clean_build(schemas)),
        ("protoc --cpp_out all.proto", c["proto_all"],
         [args.protoc, f"--proto_path={os.path.join(work, 'proto')}", f"--cpp_out={proto_out}",
          os.path.join(work, "proto", "all.proto")], clean_proto),
        ("protoc --cpp_out split/*.proto", c["proto"],
         [args.protoc, f"--proto_path={split}", f"--cpp_out={proto_out}"] + split_files, clean_proto),
        # For context only: protoc's parser and linker without its C++ generator.
        ("protoc parse only all.proto", c["proto_all"],
         [args.protoc, f"--proto_path={os.path.join(work, 'proto')}",
          f"--descriptor_set_out={os.path.join(work, 'proto', 'all.desc')}",
          os.path.join(work, "proto", "all.proto")], None),
    ]:
        wall, rss, walls, cpu = measure(label, argv, args.runs, before=before)
        rows.append((label, lines, wall, rss, cpu))
        runs = ", ".join(f"{w:.3f}" for w in walls)
        print(f"  {label:<28} {lines:>8,} lines  {wall:7.3f} s  {fmt_rate(lines, wall)}  "
              f"peak {rss:7.1f} MiB   cpu {cpu:6.3f} s  (wall runs: {runs})")

    by = {r[0]: r for r in rows}
    # The comparison uses whichever protoc run was faster in lines/s (the stricter target for us).
    pc = max((by["protoc --cpp_out all.proto"], by["protoc --cpp_out split/*.proto"]),
             key=lambda r: r[1] / r[2])
    print(f"\nratios against protoc on the same schemas (its faster run: {pc[0]}; > 1 means parsel "
          f"is faster / uses less):")
    for label in ("parsel emit-only schemas", "parsel check     schemas",
                  "parsel emit-only full", "parsel check     full"):
        r = by[label]
        speed = (r[1] / r[2]) / (pc[1] / pc[2])
        cpu_speed = (r[1] / r[4]) / (pc[1] / pc[4]) if r[4] > 0 and pc[4] > 0 else float("nan")
        fields_speed = pc[2] / r[2] if "schemas" in label else None
        mem = pc[3] / r[3]
        extra = f", same schemas in {fields_speed:.2f}x less time" if fields_speed else ""
        print(f"  {label:<26} speed (lines/s) x{speed:.2f} (by CPU time x{cpu_speed:.2f}){extra}; "
              f"peak memory: protoc/parsel = "
              f"{mem:.2f} (parsel uses {r[3] / pc[3]:.2f}x protoc's)")
    po = by["protoc parse only all.proto"]
    print(f"  for context, against protoc's parser alone (--descriptor_set_out, no C++ generated): "
          f"parsel check schemas x{(by['parsel check     schemas'][1] / by['parsel check     schemas'][2]) / (po[1] / po[2]):.2f} "
          f"in lines/s, parsel uses {by['parsel check     schemas'][3] / po[3]:.2f}x its peak memory")
    target = by["parsel emit-only schemas"]
    ok_speed = (target[1] / target[2]) >= 2 * (pc[1] / pc[2])
    ok_mem = target[3] <= 0.5 * pc[3]
    print(f"  target (check + generation >= 2x protoc's lines/s, <= 1/2 its peak memory): "
          f"speed {'MET' if ok_speed else 'MISSED'}, memory {'MET' if ok_mem else 'MISSED'}")

    if os.path.exists(bench):
        print(f"\nphases ({bench}, in-process, median of {args.runs}):")
        for d in (full, schemas):
            r = subprocess.run([bench, d, str(args.runs)], capture_output=True, text=True)
            print(r.stdout.rstrip())
            if r.returncode != 0:
                print(r.stderr[:2000])
    else:
        print(f"\n(no {bench}: build the phase_bench target for per-phase figures)")

    if not args.skip_gxx:
        gxx_compare(args, work, c, schemas)


def gxx_compare(args, work, c, schemas):
    n = min(args.gxx_modules, c["modules"])
    names = [f"m{i:03d}" for i in range(n)]
    # Our side: the generated C++ of the schemas-only project.
    shutil.rmtree(os.path.join(schemas, "build"), ignore_errors=True)
    subprocess.run([args.parsel, "build", schemas, "--emit-only"], check=True,
                   capture_output=True)
    gen = os.path.join(schemas, "build", "gen")
    # protoc's side: the per-module .proto files of the same modules.
    split = os.path.join(work, "proto", "split")
    pb_out = os.path.join(work, "proto", "split_out")
    shutil.rmtree(pb_out, ignore_errors=True)
    os.makedirs(pb_out)
    subprocess.run([args.protoc, f"--proto_path={split}", f"--cpp_out={pb_out}"] +
                   [os.path.join(split, f"{m}.proto") for m in names], check=True)
    flags = ["-O2", "-std=c++20", "-c", "-o", os.devnull]
    ours = [(os.path.join(gen, f"{m}.cpp"), ["-I", os.path.join(ROOT, "runtime", "include"), "-I", gen])
            for m in names]
    theirs = [(os.path.join(pb_out, f"{m}.pb.cc"), ["-I", pb_out]) for m in names]

    def lines_of(path):
        with open(path, "rb") as f:
            return f.read().count(b"\n")

    def lines_with_header(path):
        header = path[: -len(".pb.cc")] + ".pb.h" if path.endswith(".pb.cc") else path[:-4] + ".h"
        return lines_of(path) + lines_of(header)

    print(f"\ng++ -O2 -std=c++20 -c, one file at a time, serially: a fixed subset of {n} of "
          f"{c['modules']} modules ({names[0]}..{names[-1]}), the schemas-only project vs "
          f"protoc's .pb.cc of the same schemas (the whole set would take too long on 2 cores)")
    totals = {}
    for label, files in (("parsel C++", ours), ("protoc .pb.cc", theirs)):
        total, peak, gen_lines = 0.0, 0.0, 0
        for path, extra in files:
            wall, rss, code, _ = run_measured([args.cxx] + flags + extra + [path])
            if code != 0:
                print(f"  {label}: g++ failed on {path}")
                run_measured([args.cxx] + flags + extra + [path], stdout_path="/tmp/gxx.log")
                print("  see /tmp/gxx.log.err")
                return
            total += wall
            peak = max(peak, rss)
            gen_lines += lines_with_header(path)
        totals[label] = total
        print(f"  {label:<14} {total:7.1f} s total, {total / n:5.1f} s per module, "
              f"max peak RSS {peak:6.0f} MiB, {gen_lines:,} generated lines (.cpp + .h)")
    a, b = totals["parsel C++"], totals["protoc .pb.cc"]
    print(f"  ratio: our generated C++ takes {a / b:.2f}x the g++ time of protoc's "
          f"(extrapolated to all {c['modules']} modules: ours ~{a / n * c['modules'] / 60:.0f} min, "
          f"protoc's ~{b / n * c['modules'] / 60:.0f} min)")


if __name__ == "__main__":
    main()
