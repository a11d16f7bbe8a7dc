#!/usr/bin/env python3
"""How fast `parsel lsp` answers on a generated 5,000-line project (10 modules of 500 lines,
tests/perf/lsp_latency/gen_project.py): it opens every module, then makes N edits to one module
(a literal changed in place; every fifth edit leaves the file half-typed, a syntax error) and
after each edit times, one request at a time: the publishDiagnostics for the edit (from the
didChange), hover, definition (into another module), completion (in scope, and after `item.`),
references, documentSymbol and formatting; and, on a second edit each time, a hover sent right
behind the didChange (so its answer waits for the re-analysis). Prints p50/p99/max in ms per
request type. The figures are for reading: nothing here passes or fails on time.

usage: lsp_latency.py PARSEL [--edits N] [--modules N] [--lines N] [--keep DIR]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
sys.path.insert(0, os.path.join(HERE, "lsp_latency"))
from lsp_client import Client, file_uri  # noqa: E402
import gen_project  # noqa: E402


def position(text, needle, nth=0, delta=0):
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    start = text.rfind("\n", 0, at) + 1
    return {"line": text.count("\n", 0, at),
            "character": len(text[start:at].encode("utf-16-le")) // 2}


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("parsel")
    ap.add_argument("--edits", type=int, default=100)
    ap.add_argument("--modules", type=int, default=10)
    ap.add_argument("--lines", type=int, default=500)
    ap.add_argument("--keep", help="write the project here and keep it")
    a = ap.parse_args()
    if a.modules < 2:
        ap.error("--modules: at least 2 (definitions go to the module before the edited one)")

    work = a.keep or tempfile.mkdtemp(prefix="lsp_latency.")
    project = os.path.join(work, "project") if not a.keep else a.keep
    gen = [sys.executable, os.path.join(HERE, "lsp_latency", "gen_project.py"), project,
           "--modules", str(a.modules), "--lines", str(a.lines)]
    subprocess.run(gen, check=True)
    check = subprocess.run([a.parsel, "check", project], capture_output=True, text=True)
    total_lines = 0
    texts = {}
    for i in range(a.modules):
        path = os.path.join(project, "src", "mod%d.pt" % i)
        with open(path) as f:
            texts[i] = f.read()
        total_lines += texts[i].count("\n")
    print("project: %d modules, %d lines; parsel check: status %d, %d output lines"
          % (a.modules, total_lines, check.returncode, len(check.stdout.splitlines())))
    if check.returncode != 0:
        print(check.stdout[:2000])
        return 1

    target = a.modules // 2  # the module being edited
    uri = file_uri(os.path.join(project, "src", "mod%d.pt" % target))
    base = texts[target]
    c = Client(a.parsel, os.path.join(work, "server.log"), timeout=30)
    times = {}

    def record(name, ms):
        times.setdefault(name, []).append(ms)

    def timed(name, method, params):
        t = time.perf_counter()
        r = c.result(method, params)
        record(name, (time.perf_counter() - t) * 1000)
        return r

    def sane(what, ok):
        if not ok:
            raise SystemExit("unexpected answer: " + what)

    try:
        c.initialize(["utf-16"], file_uri(project))
        t = time.perf_counter()
        for i in range(a.modules):
            c.notify("textDocument/didOpen", {"textDocument": {
                "uri": file_uri(os.path.join(project, "src", "mod%d.pt" % i)),
                "languageId": "parseltongue", "version": 1, "text": texts[i]}})
        c.diagnostics(uri, version=1)
        print("open %d modules to first diagnostics: %.1f ms" % (a.modules,
                                                               (time.perf_counter() - t) * 1000))
        version = 1
        # The literal edited: `* 1.5` in make<target>_0, changed to another digit each time.
        lit = position(base, "to_f64(id) * 1.5", delta=len("to_f64(id) * 1."))
        lit_end = {"line": lit["line"], "character": lit["character"] + 1}
        # The half-typed edit: `order.`-style, the line cut after `item.` in total<target>_1.
        cut = position(base, "set_var sum = sum + item.price", 1, len("set_var sum = sum + item."))
        cut_end = {"line": cut["line"], "character": cut["character"] + len("price")}
        doc = {"uri": uri}
        hover_at = position(base, "make%d_0(1)" % target, delta=2)
        definition_at = position(base, "chain%d()" % (target - 1), delta=2)
        complete_scope = position(base, "    return sum", 0, 4)
        complete_member = position(base, "item.price", 0, 5)
        references_at = position(base, "enum Status%d" % target, delta=6)
        for k in range(a.edits):
            broken = k % 5 == 4
            version += 1
            if broken:
                change = {"range": {"start": cut, "end": cut_end}, "text": ""}
            else:
                change = {"range": {"start": lit, "end": lit_end}, "text": str(k % 10)}
            t = time.perf_counter()
            c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                "contentChanges": [change]})
            diags = c.diagnostics(uri, version=version)
            record("diagnostics (didChange to publish)" + (", syntax error" if broken else ""),
                   (time.perf_counter() - t) * 1000)
            if broken != any(d["code"] == "PT1001" for d in diags):
                print("unexpected diagnostics after edit %d: %r" % (k, diags[:2]))
                return 1
            r = timed("hover", "textDocument/hover", {"textDocument": doc, "position": hover_at})
            sane("hover", "function make" in r["contents"]["value"])
            r = timed("definition", "textDocument/definition",
                      {"textDocument": doc, "position": definition_at})
            sane("definition", r[0]["uri"].endswith("mod%d.pt" % (target - 1)))
            r = timed("completion (in scope)", "textDocument/completion",
                      {"textDocument": doc, "position": complete_scope})
            sane("completion", {"sum", "items", "let_mut_var"} <= {i["label"] for i in r["items"]})
            r = timed("completion (after item.)", "textDocument/completion",
                      {"textDocument": doc, "position": complete_member})
            sane("fields", sorted(i["label"] for i in r["items"]) ==
                 ["id", "name", "price", "status", "tags"])
            r = timed("references", "textDocument/references",
                      {"textDocument": doc, "position": references_at,
                       "context": {"includeDeclaration": True}})
            sane("references", len(r) > 20)
            r = timed("documentSymbol", "textDocument/documentSymbol", {"textDocument": doc})
            sane("symbols", len(r) > 20)
            r = timed("formatting", "textDocument/formatting",
                      {"textDocument": doc, "options": {"tabSize": 4, "insertSpaces": True}})
            sane("formatting", isinstance(r, list))
            if broken:  # put the cut text back
                version += 1
                c.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": cut, "end": cut}, "text": "price"}]})
                c.diagnostics(uri, version=version)
            # A hover right behind a change: its answer waits for the re-analysis.
            version += 1
            t = time.perf_counter()
            c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                "contentChanges": [{"range": {
                                                    "start": lit, "end": lit_end},
                                                    "text": str((k + 5) % 10)}]})
            c.result("textDocument/hover", {"textDocument": doc, "position": hover_at})
            record("hover right after didChange", (time.perf_counter() - t) * 1000)
            c.drain()
        c.result("shutdown")
        c.notify("exit")
        c.wait_exit()
    finally:
        c.close()
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)

    print("%d edits of mod%d.pt; per request type, in ms:" % (a.edits, target))
    print("%-44s %5s %8s %8s %8s" % ("request", "n", "p50", "p99", "max"))
    for name, v in times.items():
        print("%-44s %5d %8.2f %8.2f %8.2f" % (name, len(v), percentile(v, 50),
                                               percentile(v, 99), max(v)))
    print("reproduce: python3 tests/perf/lsp_latency.py %s --edits %d --modules %d --lines %d"
          % (a.parsel, a.edits, a.modules, a.lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
