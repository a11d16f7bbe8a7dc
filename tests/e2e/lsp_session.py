#!/usr/bin/env python3
"""A scripted session with `parsel lsp` (JSON-RPC over stdio) on a two-module project: each
feature of the language server with asserts on its actual answers (diagnostics and quick fixes
against `parsel check --diagnostics=json` and `parsel fix`, hover, definition across modules and
into the standard library, references, completion, document symbols, formatting against
`parsel fmt`), hostile input (malformed JSON, invalid UTF-8, half-typed, empty and huge files,
deep nesting) and the life cycle (shutdown, exit status).

usage: lsp_session.py PARSEL
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client, LspError, file_uri  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

SHOP = """module shop

/// An order placed by a customer.
schema Order {
    /// Who placed it.
    field customer: string validate non_empty()
    field quantity: i64 = 1
    field unit_price: f64
}

/// Where an order stands.
enum Status { placed, shipped }

/// The price of an order.
function order_total(order: Order) returns f64 {
    return order.unit_price * to_f64(order.quantity)
}

/// The API's core.
partition api { cores: 1, scheduler: backend_api }

/// Orders as they are placed.
slytherin_topic order_events carries Order { partitions: 1, durability: none }

/// Orders over HTTP.
basilisk_service OrderApi runs_on api listens_on port 8080 {
    route GET "/orders/{order_id: i64}" returns Order {
        return_ok(Order { customer: "c{order_id}", unit_price: 1.0 })
    }

    route POST "/orders" accepts Order returns Order {
        publish_message(order_events, request_body)
        return_created(request_body)
    }
}
"""

APP = """module app

import shop
import std.strings

/// Shows an order: 𝄞 and é before the names on a line test the column units.
function show(order: Order) {
    let_immutable_var total = order_total(order)
    print_line("𝄞é {order.customer}: {total}")
    print_line(to_upper(order.customer))
}

program main {
    let_immutable_var order = Order { customer: "ada", unit_price: 2.5 }
    show(order)
    publish_message(order_events, order)
    match Status.placed {
        when placed { print_line("placed") }
        when shipped { print_line("shipped") }
    }
}
"""

MESSY = """module messy
function  twice( x:i64 )returns i64{
  return x*2 }
program main {print_line("{twice(2)}")}
"""


class Failure(Exception):
    pass


def check(cond, what, detail=None):
    if not cond:
        raise Failure(what + ("" if detail is None else ": " + json.dumps(detail)[:2000]))


def units(s, enc):
    return len(s.encode("utf-16-le")) // 2 if enc == "utf-16" else len(s)


def pos(text, needle, nth=0, delta=0, enc="utf-16"):
    """The LSP position of the nth occurrence of needle in text, moved delta characters."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return {"line": line, "character": units(text[start:at], enc)}


def span(text, needle, nth=0, enc="utf-16"):
    start = pos(text, needle, nth, 0, enc)
    return {"start": start, "end": {"line": start["line"],
                                    "character": start["character"] + units(needle, enc)}}


def cli_position(text, line, column, enc="utf-16"):
    """The compiler's 1-based line and code-point column as an LSP position."""
    lines = text.split("\n")
    return {"line": line - 1, "character": units(lines[line - 1][:column - 1], enc)}


def apply_edits(text, edits, enc="utf-16"):
    """Applies LSP TextEdits (non-overlapping) to text."""
    def offset(p):
        lines = text.split("\n")
        at = sum(len(l) + 1 for l in lines[:p["line"]])
        line = lines[p["line"]] if p["line"] < len(lines) else ""
        n, count = 0, 0
        while n < len(line) and count < p["character"]:
            count += units(line[n], enc)
            n += 1
        return at + n
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                          e["range"]["start"]["character"]), reverse=True):
        a, b = offset(e["range"]["start"]), offset(e["range"]["end"])
        text = text[:a] + e["newText"] + text[b:]
    return text


class Session:
    def __init__(self, parsel, work):
        self.parsel = parsel
        self.work = work
        self.project = os.path.join(work, "shop")
        os.makedirs(os.path.join(self.project, "src"))
        with open(os.path.join(self.project, "parsel.toml"), "w") as f:
            f.write('[project]\nname = "shop"\nversion = "0.1.0"\nmodules = ["src"]\n')
        self.shop_path = os.path.join(self.project, "src", "shop.pt")
        self.app_path = os.path.join(self.project, "src", "app.pt")
        for path, text in ((self.shop_path, SHOP), (self.app_path, APP)):
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        self.shop = file_uri(self.shop_path)
        self.app = file_uri(self.app_path)
        self.version = 1  # the last version sent, for any document
        self.versions = {}  # uri -> its latest version
        self.client = None
        self.log = os.path.join(work, "server.log")
        self.tmp = os.path.join(work, "tmp")  # the server's TMPDIR: its scratch files
        os.makedirs(self.tmp)
        self.env = dict(os.environ, TMPDIR=self.tmp)

    def start(self, encodings=None):
        self.client = Client(self.parsel, self.log, env=self.env)
        return self.client.initialize(encodings, file_uri(self.project))

    def open(self, uri, text):
        self.version += 1
        self.versions[uri] = self.version
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "parseltongue", "version": self.version, "text": text}})

    def change(self, uri, text=None, edits=None):
        """A full change (text) or incremental ones (edits: [(range, text)])."""
        self.version += 1
        self.versions[uri] = self.version
        changes = [{"text": text}] if edits is None else [
            {"range": r, "text": t} for r, t in edits]
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": self.version}, "contentChanges": changes})

    def diagnostics(self, uri, where=None):
        """The diagnostics published for the document's latest version."""
        return self.client.diagnostics(uri, where=where, version=self.versions[uri])

    def at(self, method, uri, position, **extra):
        params = {"textDocument": {"uri": uri}, "position": position}
        params.update(extra)
        return self.client.result(method, params)

    def labels(self, uri, position):
        r = self.at("textDocument/completion", uri, position)
        return [i["label"] for i in r["items"]], r["items"]

    def run_cli(self, *args, stdin=None):
        return subprocess.run([self.parsel, *args], input=stdin, capture_output=True,
                              timeout=60, text=True)


def grammar_keywords():
    with open(os.path.join(ROOT, "grammar", "Parseltongue.g4")) as f:
        return re.findall(r"^[A-Z_]+\s*:\s*'([a-z_]+)'", f.read(), re.M)


# ---------------------------------------------------------------------------------------------


def test_initialize(s):
    r = s.start(["utf-16"])
    caps = r["capabilities"]
    check(caps.get("positionEncoding") == "utf-16", "utf-16 when the client offers only it", caps)
    for name in ("hoverProvider", "definitionProvider", "referencesProvider",
                 "documentSymbolProvider", "documentFormattingProvider"):
        check(caps.get(name) is True, name, caps)
    check(caps["codeActionProvider"]["codeActionKinds"] == ["quickfix"], "codeAction kinds", caps)
    check("." in caps["completionProvider"]["triggerCharacters"], "'.' triggers completion")
    check(caps["textDocumentSync"]["openClose"] is True, "openClose")
    print("ok initialize: capabilities, utf-16")


def test_clean_open(s):
    r = s.run_cli("check", s.project)
    check(r.returncode == 0 and r.stdout == "", "the test project checks clean", r.stdout)
    s.open(s.app, APP)
    s.open(s.shop, SHOP)
    check(s.diagnostics(s.app) == [], "no diagnostics for app.pt")
    check(s.diagnostics(s.shop) == [], "no diagnostics for shop.pt")
    print("ok didOpen: a clean project publishes empty diagnostics")


def test_hover(s):
    h = s.at("textDocument/hover", s.app, pos(APP, "order_total(order)", delta=3))
    v = h["contents"]["value"]
    check(h["contents"]["kind"] == "markdown", "hover is markdown")
    check("function order_total(order: Order) returns f64" in v, "hover: signature", v)
    check("The price of an order." in v, "hover: the doc comment", v)
    check("module `shop`" in v, "hover: the module", v)
    check(h["range"] == span(APP, "order_total"), "hover range", h["range"])
    # `customer` after 𝄞 (two UTF-16 code units) and é on the same line.
    line = "{order.customer}"
    h = s.at("textDocument/hover", s.app, pos(APP, line, delta=7))
    v = h["contents"]["value"]
    check("field customer: string" in v and "Who placed it." in v, "hover: field and doc", v)
    check(h["range"] == span(APP, "customer", 0), "hover range after 𝄞 in UTF-16", h["range"])
    # The '.' right after `order`: the parameter (the cursor touches its end), not the field.
    h = s.at("textDocument/hover", s.app, pos(APP, line, delta=6))
    v = h["contents"]["value"]
    check("(a parameter) order: Order" in v, "hover: a parameter's type", v)
    h = s.at("textDocument/hover", s.app, pos(APP, "{total}", delta=2))
    check("let_immutable_var total: f64" in h["contents"]["value"], "hover: a local's type", h)
    h = s.at("textDocument/hover", s.app, pos(APP, "to_upper", delta=1))
    check("runtime_function to_upper(text: string) returns string" in h["contents"]["value"],
          "hover: a standard library function", h)
    h = s.at("textDocument/hover", s.app, pos(APP, "print_line", delta=1))
    check("print_line(text: string)" in h["contents"]["value"], "hover: a built-in", h)
    h = s.at("textDocument/hover", s.app, pos(APP, "module app"))
    check(h is None or "module app" in h["contents"]["value"], "hover on a keyword", h)
    print("ok hover: signatures, doc comments, locals' types, UTF-16 columns")


def test_definition(s):
    d = s.at("textDocument/definition", s.app, pos(APP, "order_total(order)", delta=2))
    check(d == [{"uri": s.shop, "range": span(SHOP, "order_total")}],
          "definition of order_total in shop.pt", d)
    d = s.at("textDocument/definition", s.app, pos(APP, "order: Order", delta=8))
    check(d == [{"uri": s.shop, "range": span(SHOP, "Order", 0)}], "definition of Order", d)
    d = s.at("textDocument/definition", s.app, pos(APP, "order_events"))
    check(d[0]["uri"] == s.shop and d[0]["range"] == span(SHOP, "order_events"),
          "definition of a topic", d)
    d = s.at("textDocument/definition", s.app, pos(APP, "when placed", delta=6))
    check(d[0]["range"] == span(SHOP, "placed", 2), "definition of an enum member", d)
    d = s.at("textDocument/definition", s.app, pos(APP, "{total}", delta=1))
    check(d == [{"uri": s.app, "range": span(APP, "total")}], "definition of a local", d)
    d = s.at("textDocument/definition", s.app, pos(APP, "to_upper"))
    stdlib = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(s.parsel))),
                          "share", "parseltongue", "stdlib", "strings.pt")
    with open(stdlib, encoding="utf-8") as f:
        strings = f.read()
    check(d == [{"uri": file_uri(os.path.normpath(stdlib)),
                 "range": span(strings, "to_upper")}], "definition in the stdlib", d)
    d = s.at("textDocument/definition", s.app, pos(APP, "shop", 0))
    check(d[0]["uri"] == s.shop and d[0]["range"] == span(SHOP, "shop"),
          "definition of an import", d)
    print("ok definition: across modules, into std.strings, locals, members, imports")


def test_references(s):
    expected = len(re.findall(r"\bOrder\b", SHOP)) + len(re.findall(r"\bOrder\b", APP))
    check(expected == 9, "the test counts 9 uses of Order")
    refs = s.at("textDocument/references", s.shop, pos(SHOP, "schema Order", delta=8),
                context={"includeDeclaration": True})
    check(len(refs) == expected, "references of Order with its declaration", refs)
    check({r["uri"] for r in refs} == {s.shop, s.app}, "references in both modules")
    check({"uri": s.shop, "range": span(SHOP, "Order")} in refs, "the declaration is there")
    check({"uri": s.app, "range": span(APP, "Order", 0)} in refs, "app's use is there")
    refs = s.at("textDocument/references", s.app, pos(APP, "order: Order", delta=8),
                context={"includeDeclaration": False})
    check(len(refs) == expected - 1, "references of Order without its declaration", refs)
    check({"uri": s.shop, "range": span(SHOP, "Order")} not in refs, "no declaration")
    refs = s.at("textDocument/references", s.app, pos(APP, "total ="),
                context={"includeDeclaration": True})
    check(len(refs) == 2, "a local: its declaration and one use", refs)
    refs = s.at("textDocument/references", s.shop, pos(SHOP, "field customer", delta=6),
                context={"includeDeclaration": False})
    check(len(refs) == 4, "the field customer: 2 reads and 2 literal fields", refs)
    print("ok references: %d of Order across modules, includeDeclaration honoured" % expected)


def test_document_symbols(s):
    syms = s.client.result("textDocument/documentSymbol", {"textDocument": {"uri": s.shop}})
    names = [x["name"] for x in syms]
    check(names == ["Order", "Status", "order_total", "api", "order_events", "OrderApi"],
          "top-level symbols", names)
    order = syms[0]
    check(order["kind"] == 23 and [c["name"] for c in order["children"]] ==
          ["customer", "quantity", "unit_price"], "schema fields as children", order)
    check(order["selectionRange"] == span(SHOP, "Order"), "selection range: the name", order)
    check(syms[1]["kind"] == 10 and len(syms[1]["children"]) == 2, "enum members", syms[1])
    check(syms[2]["kind"] == 12 and "returns f64" in syms[2]["detail"], "function detail", syms[2])
    routes = syms[5]["children"]
    check(len(routes) == 2 and all(r["kind"] == 6 for r in routes), "service routes", routes)
    for x in syms:
        r, sel = x["range"], x["selectionRange"]
        check((r["start"]["line"], r["start"]["character"]) <=
              (sel["start"]["line"], sel["start"]["character"]) and
              (sel["end"]["line"], sel["end"]["character"]) <=
              (r["end"]["line"], r["end"]["character"]), "selectionRange inside range", x)
    print("ok documentSymbol: hierarchical, fields, members, routes")


def test_completion(s):
    main_line = pos(APP, "    show(order)", delta=4)
    labels, items = s.labels(s.app, main_line)
    missing = [k for k in grammar_keywords() if k not in labels]
    check(len(grammar_keywords()) > 50 and not missing, "every grammar keyword", missing)
    for name in ("order", "show", "order_total", "Order", "Status", "order_events", "print_line",
                 "shop", "strings", "to_upper", "i64"):
        check(name in labels, "in scope: " + name)
    check("total" not in labels, "another function's local is out of scope")
    local = next(i for i in items if i["label"] == "order")
    check(local["detail"] == "Order", "a local's detail is its type", local)

    # `order.` typed on the last line of main: fields of Order only. The file does not parse.
    line = APP.rindex("}\n")
    end = pos(APP, "}\n", nth=APP.count("}\n") - 1)
    after = APP[:line] + "    order.\n" + APP[line:]
    s.change(s.app, edits=[({"start": end, "end": end}, "    order.\n")])
    diags = s.diagnostics(s.app, where=lambda d: d != [])
    check(any(d["code"] == "PT1001" for d in diags), "a half-typed file: a syntax error", diags)
    labels, _ = s.labels(s.app, pos(after, "order.\n", delta=6))
    check(sorted(labels) == ["customer", "quantity", "unit_price"], "fields after order.", labels)
    h = s.at("textDocument/hover", s.shop, pos(SHOP, "order_total", delta=1))
    check("order_total" in h["contents"]["value"], "the server answers after a half-typed file")
    d = s.at("textDocument/definition", s.app, pos(after, "order_total"))
    check(d[0]["uri"] == s.shop, "definition from the last good analysis", d)

    def typed(text_line):
        t = APP[:line] + text_line + "\n" + APP[line:]
        s.change(s.app, t)
        return t, pos(t, text_line, delta=len(text_line))

    t, p = typed("    Status.")
    check(sorted(s.labels(s.app, p)[0]) == ["placed", "shipped"], "enum members after Status.")
    t, p = typed("    shop.")
    labels = s.labels(s.app, p)[0]
    check({"order_total", "Order", "order_events"} <= set(labels) and "print_line" not in labels,
          "a module's declarations after shop.", labels)
    t, p = typed("    publish_message(")
    check(s.labels(s.app, p)[0] == ["order_events"], "topics after publish_message(")
    t, p = typed("    print_line(order.customer) // order.")
    check(s.labels(s.app, p)[0] == [], "nothing in a comment")
    s.change(s.app, APP)
    check(s.diagnostics(s.app, where=lambda d: d == []) == [], "back to clean")
    labels = s.labels(s.app, pos(APP, "import shop", delta=7))[0]
    check("std.strings" in labels and "std.math" in labels, "modules after import", labels)

    # In shop.pt: route paths inside a route's string, partitions after runs_on.
    at = SHOP.index("    route POST")
    t = SHOP[:at] + '    route GET "/or\n' + SHOP[at:]
    s.change(s.shop, t)
    labels, items = s.labels(s.shop, pos(t, '"/or\n', delta=3))
    check({"/orders/{order_id: i64}", "/orders"} <= set(labels), "route paths", labels)
    edit = next(i for i in items if i["label"] == "/orders")["textEdit"]
    check(edit["range"]["start"] == pos(t, '"/or\n', delta=1), "a path replaces the string", edit)
    t = SHOP.replace("        publish_message(order_events, request_body)\n",
                     "        request_body.\n        publish_message(order_events, request_body)\n")
    s.change(s.shop, t)
    labels = s.labels(s.shop, pos(t, "request_body.\n", delta=13))[0]
    check(sorted(labels) == ["customer", "quantity", "unit_price"], "request_body.", labels)
    labels = s.labels(s.shop, pos(SHOP, "return_ok("))[0]
    check("order_id" in labels and "request_body" not in labels, "a route's parameters", labels)
    t = SHOP.replace("runs_on api", "runs_on ")
    s.change(s.shop, t)
    check(s.labels(s.shop, pos(t, "runs_on ", delta=8))[0] == ["api"], "partitions after runs_on")

    # Types where a type is written; values (a schema literal's field) get the general list.
    type_labels = {"i64", "f64", "bool", "string", "bytes", "timestamp", "duration", "list", "map",
                   "optional", "Order", "Status"}
    for typed_text, where in [("    field note: ", "a field"),
                              ("function f(x: ", "a parameter"),
                              ("function g() returns ", "returns"),
                              ("    field tags: list<", "list<"),
                              ("    field counts: map<string, ", "map<string, ")]:
        at = SHOP.index("}\n") if typed_text.startswith("    field") else len(SHOP)
        t = SHOP[:at] + typed_text + "\n" + SHOP[at:]
        s.change(s.shop, t)
        labels = s.labels(s.shop, pos(t, typed_text + "\n", delta=len(typed_text)))[0]
        check(set(labels) == type_labels, "types after " + where, sorted(labels))
    t = SHOP.replace('Order { customer: "c{order_id}"', 'Order { customer: ')
    s.change(s.shop, t)
    labels = s.labels(s.shop, pos(t, "Order { customer: ", delta=18))[0]
    check("order_id" in labels and "order_total" in labels, "values after a literal's field:",
          labels)
    s.change(s.shop, SHOP)
    s.diagnostics(s.shop, where=lambda d: d == [])
    print("ok completion: keywords, scope, fields after order., members, modules, topics, "
          "routes, partitions, types; a half-typed file keeps the server answering")


def test_quick_fix(s):
    broken = APP.replace("    show(order)", "    show(ordr)")
    s.change(s.app, broken)
    diags = s.diagnostics(s.app, where=lambda d: d != [])
    check([d["code"] for d in diags] == ["PT2001"], "one unknown name", diags)
    d = diags[0]
    check(d["severity"] == 1 and d["source"] == "parsel", "an error from parsel", d)
    check(d["range"] == span(broken, "ordr"), "the diagnostic's range", d)
    # The command line's view of the same text.
    copy = os.path.join(s.work, "copy")
    shutil.copytree(s.project, copy)
    with open(os.path.join(copy, "src", "app.pt"), "w", encoding="utf-8") as f:
        f.write(broken)
    cli = [json.loads(l) for l in s.run_cli("check", "--diagnostics=json", copy).stdout.split("\n")
           if l.startswith("{")]
    check(len(cli) == 1 and cli[0]["code"] == "PT2001", "the CLI sees the same error", cli)
    check(d["message"] == cli[0]["message"], "the same message", [d["message"], cli[0]])
    cli_fix = cli[0]["fixes"][0]
    check(d["data"]["fixes"][0]["description"] == cli_fix["description"], "fix in data", d)
    actions = s.client.result("textDocument/codeAction", {
        "textDocument": {"uri": s.app}, "range": span(broken, "ordr"),
        "context": {"diagnostics": diags, "only": ["quickfix"]}})
    check(len(actions) == 1, "one quick fix", actions)
    a = actions[0]
    check(a["kind"] == "quickfix" and a["isPreferred"] is True, "a preferred quickfix", a)
    check(a["title"] == cli_fix["description"], "the title is the fix's description", a)
    edits = a["edit"]["changes"][s.app]
    e = cli_fix["edits"][0]
    check(edits == [{"range": {"start": cli_position(broken, e["line"], e["column"]),
                               "end": cli_position(broken, e["end"]["line"],
                                                   e["end"]["column"])},
                     "newText": e["replacement"]}], "the quick fix is the CLI's fix", edits)
    r = s.run_cli("fix", copy)
    with open(os.path.join(copy, "src", "app.pt"), encoding="utf-8") as f:
        fixed = f.read()
    check(r.returncode == 0 and apply_edits(broken, edits) == fixed == APP,
          "applying the quick fix gives what parsel fix gives")
    none = s.client.result("textDocument/codeAction", {
        "textDocument": {"uri": s.app}, "range": span(broken, "module app"),
        "context": {"diagnostics": []}})
    check(none == [], "no quick fix away from the diagnostic", none)
    # `5 s`: the checker reports PT1001 and goes on; names are resolved in this very text.
    paused = APP.replace("    show(order)\n", "    let_immutable_var pause: duration = 5 s\n"
                         "    print_line(\"{pause}\")\n    show(order)\n")
    s.change(s.app, paused)
    diags = s.diagnostics(s.app, where=lambda d: d != [])
    check([d["code"] for d in diags] == ["PT1001"], "5 s: PT1001", diags)
    check(diags[0]["data"]["fixes"][0]["edits"][0]["newText"].endswith("seconds"), "its fix", diags)
    h = s.at("textDocument/hover", s.app, pos(paused, "{pause}", delta=1))
    check(h and "pause: duration" in h["contents"]["value"], "hover in the text with 5 s", h)
    s.change(s.app, APP)
    s.diagnostics(s.app, where=lambda d: d == [])
    print("ok diagnostics and quick fix: same code, message and edit as the command line")


def test_unsaved_buffers(s):
    # shop.pt's buffer (not saved) renames order_total: app.pt, also open, sees it at once.
    renamed = SHOP.replace("function order_total", "function order_sum")
    s.change(s.shop, renamed)
    diags = s.client.diagnostics(s.app, where=lambda d: d != [])
    check([d["code"] for d in diags] == ["PT2001"] and diags[0]["range"] == span(
        APP, "order_total"), "app.pt is checked against shop.pt's unsaved buffer", diags)
    d = s.at("textDocument/definition", s.app, pos(APP, "show(order)"))
    check(d[0]["uri"] == s.app, "navigation still answers", d)
    with open(s.shop_path, encoding="utf-8") as f:
        check(f.read() == SHOP, "the file on disk is untouched")
    s.change(s.shop, SHOP)
    check(s.client.diagnostics(s.app, where=lambda d: d == []) == [], "app.pt clean again")
    print("ok unsaved buffers: a change in one open module re-checks the others")


def test_formatting(s):
    lone = os.path.join(s.work, "lone", "messy.pt")
    os.makedirs(os.path.dirname(lone))
    with open(lone, "w") as f:
        f.write(MESSY)
    uri = file_uri(lone)
    s.open(uri, MESSY)
    check(s.diagnostics(uri) == [], "a lone file outside any project checks alone")
    edits = s.client.result("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}})
    want = s.run_cli("fmt", "--stdin", stdin=MESSY)
    check(want.returncode == 0 and want.stdout != MESSY, "parsel fmt changes the messy file")
    check(apply_edits(MESSY, edits) == want.stdout, "formatting gives what parsel fmt gives",
          edits)
    s.change(uri, want.stdout)
    edits = s.client.result("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}})
    check(edits == [], "a formatted file needs no edits", edits)
    s.change(uri, "module messy\nfunction (\n")
    r = s.client.call("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}})
    check(r.get("result") == [] or "error" in r, "a file that does not parse: no edits", r)
    s.client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    check(s.client.diagnostics(uri, where=lambda d: d == []) == [],
          "closing a lone file clears its diagnostics")
    print("ok formatting: the same text as parsel fmt; none for a formatted or broken file")


def test_untitled(s):
    uri = "untitled:Untitled-1"
    text = "program main {\n    let_immutable_var n = 1\n    print_line(n)\n}\n"
    s.open(uri, text)
    diags = s.diagnostics(uri)
    check([d["code"] for d in diags] == ["PT3001"], "an untitled buffer is checked alone", diags)
    actions = s.client.result("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": diags}})
    check(actions and list(actions[0]["edit"]["changes"]) == [uri], "its quick fix edits it",
          actions)
    d = s.at("textDocument/definition", uri, pos(text, "print_line(n)", delta=11))
    n = pos(text, "n = 1")
    check(d == [{"uri": uri, "range": {"start": n, "end": dict(n, character=n["character"] + 1)}}],
          "definition inside an untitled buffer", d)
    check(len(os.listdir(s.tmp)) == 1, "one scratch directory", os.listdir(s.tmp))
    # Fields through a call's result and a list's element.
    chains = ("schema P {\n    field x: i64\n}\n\nfunction mk() returns P {\n"
              "    return P { x: 1 }\n}\n\nprogram main {\n    let_immutable_var ps = [mk()]\n"
              "    print_line(\"{ps[0].x}\")\n}\n")
    s.change(uri, chains)
    check(s.diagnostics(uri) == [], "the chains text checks")
    for typed in ("    mk().", "    ps[0].", "    ps[length(ps) - 1]."):
        t = chains[:chains.rindex("}")] + typed + "\n}\n"
        s.change(uri, t)
        labels = s.labels(uri, pos(t, typed, delta=len(typed)))[0]
        check(labels == ["x"], "fields after " + typed.strip(), labels)
    s.client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    check(s.client.diagnostics(uri, where=lambda d: d == []) == [], "closed: no diagnostics")
    # A file: document that is not on disk yet (a new file, not saved).
    new = os.path.join(s.work, "lone", "not_saved.pt")
    new_uri = file_uri(new)
    s.open(new_uri, text)
    diags = s.diagnostics(new_uri)
    check([d["code"] for d in diags] == ["PT3001"], "a file not on disk is checked", diags)
    d = s.at("textDocument/definition", new_uri, pos(text, "print_line(n)", delta=11))
    check(d and d[0]["uri"] == new_uri, "definition in a file not on disk", d)
    s.client.notify("textDocument/didClose", {"textDocument": {"uri": new_uri}})
    s.client.diagnostics(new_uri, where=lambda d: d == [])
    check(not os.path.exists(new), "the server wrote nothing there")
    print("ok untitled buffers and files not on disk: diagnostics, quick fix and definition "
          "under their own URI")


def test_hostile(s):
    c = s.client

    def alive(what):
        h = s.at("textDocument/hover", s.shop, pos(SHOP, "order_total", delta=1))
        check(h is not None and "order_total" in h["contents"]["value"], "alive after " + what)

    body = b'{"jsonrpc": "2.0", "id": 99, "method": '
    c.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    m = c.answer()
    check(m.get("id") is None and m["error"]["code"] == -32700, "malformed JSON", m)
    alive("malformed JSON")
    bad = (b'{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":'
           b'{"uri":"' + s.app.encode() + b'","version":50},"contentChanges":[{"text":"\xff\xfe'
           b'module app"}]}}')
    c.send_raw(b"Content-Length: %d\r\n\r\n" % len(bad) + bad)
    m = c.answer()
    check(m["error"]["code"] == -32700, "invalid UTF-8 in a message: a parse error", m)
    alive("invalid UTF-8")
    c.send_raw(b"Content-Length: banana\r\n\r\n")
    m = c.answer()
    check(m["error"]["code"] == -32700, "a bad Content-Length", m)
    alive("a bad header")
    r = c.call("textDocument/semanticTokens/full", {"textDocument": {"uri": s.app}})
    check(r["error"]["code"] == -32601, "unknown method", r)
    c.notify("textDocument/unknownNotification", {"x": 1})
    r = c.call("textDocument/hover", {"textDocument": {"uri": s.app}})
    check(r["error"]["code"] == -32602, "missing params", r)
    r = c.call("textDocument/hover", {"textDocument": {"uri": "file:///nowhere/x.pt"},
                                      "position": {"line": 0, "character": 0}})
    check("error" in r or r.get("result") is None, "a document not open", r)
    c.send([1, 2, 3])
    m = c.answer()
    check(m["error"]["code"] == -32600, "a batch is not a request", m)
    c.send({"jsonrpc": "2.0", "id": 1.5, "method": "shutdown"})
    m = c.answer()
    check(m["error"]["code"] == -32600 and m["id"] is None, "a fractional id", m)
    deep = (b'{"jsonrpc":"2.0","id":77,"method":"textDocument/hover","params":{"textDocument":' +
            b'[' * 100000 + b']' * 100000 + b'}}')
    c.send_raw(b"Content-Length: %d\r\n\r\n" % len(deep) + deep)
    m = c.answer()
    check(m["id"] == 77 and m["error"]["code"] == -32602, "params nested 100k deep", m)
    deep = deep.replace(b'"id":77,', b"").replace(b"hover", b"didChange")
    c.send_raw(b"Content-Length: %d\r\n\r\n" % len(deep) + deep)
    alive("bad messages")

    # (what, text, whether it has an error)
    cases = [
        ("an empty file", "", True),
        ("a half-typed declaration", "module app\nimport shop\nfunction show(order: Ord", True),
        ("a 1 MB line", "module app\nprogram main {\n    print_line(\"" + "x" * (1 << 20) +
         "\")\n}\n", False),
        ("a 1 MB comment", "module app\n// " + "é𝄞" * (1 << 18) + "\n", False),
        ("10k nested brackets", "module app\nprogram main {\n    print_line(" + "(" * 10000 +
         "1" + ")" * 10000 + ")\n}\n", True),
        ("10k nested lists", "module app\nprogram main {\n    let_immutable_var x = " +
         "[" * 10000 + "]" * 10000 + "\n}\n", True),
        ("10k nested braces", "module app\n" + "{" * 10000, True),
        ("a 1,999-operand chain", "module app\nprogram main {\n    print_line(to_string(" +
         " + ".join(["1"] * 1999) + "))\n}\n", False),
        ("a 20,000-operand chain", "module app\nprogram main {\n    print_line(to_string(" +
         " + ".join(["1"] * 20000) + "))\n}\n", True),
        ("10k nots", "module app\nprogram main {\n    print_line(to_string(" + "not " * 10000 +
         "true))\n}\n", True),
        ("NUL and control bytes", "module app\x00\x01\x1b program main { }", True),
        ("a replacement character", "module app\nprogram main { print_line(\"\ufffd\") \ufffd }",
         True),
    ]
    for what, text, has_error in cases:
        s.change(s.app, text)
        diags = s.diagnostics(s.app)
        check(any(d["severity"] == 1 for d in diags) == has_error, what + ": errors", diags[:3])
        for method in ("textDocument/hover", "textDocument/definition",
                       "textDocument/references", "textDocument/completion"):
            c.result(method, {"textDocument": {"uri": s.app},
                              "position": {"line": 1, "character": 5},
                              "context": {"includeDeclaration": True}})
        c.result("textDocument/documentSymbol", {"textDocument": {"uri": s.app}})
        c.result("textDocument/formatting", {"textDocument": {"uri": s.app},
                                             "options": {"tabSize": 4, "insertSpaces": True}})
        alive(what)
    # An edit far past the end, and one with its ends swapped: clamped, never a crash.
    s.change(s.app, APP)
    s.change(s.app, edits=[({"start": {"line": 10 ** 6, "character": 5},
                             "end": {"line": 10 ** 6, "character": 9}}, "// tail\n")])
    s.change(s.app, edits=[({"start": {"line": 2, "character": 4},
                             "end": {"line": 1, "character": 0}}, "")])
    s.diagnostics(s.app)
    # A file on disk (not open) with bytes that are not UTF-8.
    bad_path = os.path.join(s.project, "src", "bad.pt")
    with open(bad_path, "wb") as f:
        f.write(b'module bad\nprogram other { print_line("\xff\xfe") }\n')
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": file_uri(bad_path), "type": 1}]})
    diags = c.diagnostics(file_uri(bad_path), where=lambda d: d != [])
    check(any(d["severity"] == 1 for d in diags), "a file with invalid UTF-8 on disk", diags)
    os.remove(bad_path)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": file_uri(bad_path), "type": 3}]})
    s.change(s.app, APP)
    check(s.diagnostics(s.app, where=lambda d: d == []) == [], "clean again")
    alive("hostile files")
    print("ok hostile input: %d files and 10 bad messages; the server kept answering" % len(cases))


def test_shutdown(s):
    c = s.client
    check(c.result("shutdown") is None, "shutdown answers null")
    r = c.call("textDocument/hover", {"textDocument": {"uri": s.app},
                                      "position": {"line": 0, "character": 0}})
    check(r["error"]["code"] == -32600, "a request after shutdown", r)
    c.notify("exit")
    check(c.wait_exit() == 0, "exit after shutdown: status 0")
    c.close()
    check(os.listdir(s.tmp) == [], "the scratch directory is gone", os.listdir(s.tmp))
    print("ok shutdown then exit: status 0; requests after shutdown are refused")


def test_utf32_and_exit_without_shutdown(s):
    r = s.start(["utf-32", "utf-16"])
    check(r["capabilities"]["positionEncoding"] == "utf-32", "utf-32 when offered", r)
    s.open(s.app, APP)
    s.diagnostics(s.app)
    h = s.at("textDocument/hover", s.app, pos(APP, "{order.customer}", delta=7, enc="utf-32"))
    check(h["range"] == span(APP, "customer", 0, enc="utf-32"), "utf-32 columns", h)
    s.client.notify("exit")
    check(s.client.wait_exit() == 1, "exit without shutdown: status 1")
    s.client.close()
    s.client = Client(s.parsel, s.log, env=s.env)
    r = s.client.call("textDocument/hover", {})
    check(r["error"]["code"] == -32002, "a request before initialize", r)
    s.client.proc.stdin.close()
    check(s.client.wait_exit() == 1, "the end of input without exit: status 1")
    s.client.close()
    print("ok utf-32 positions; exit without shutdown and end of input: status 1")


def main():
    # Killed by a timeout: still clean up (the server and the temporary directory).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parsel = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="lsp_session.")
    s = Session(parsel, work)
    try:
        test_initialize(s)
        test_clean_open(s)
        test_hover(s)
        test_definition(s)
        test_references(s)
        test_document_symbols(s)
        test_completion(s)
        test_quick_fix(s)
        test_unsaved_buffers(s)
        test_formatting(s)
        test_untitled(s)
        test_hostile(s)
        test_shutdown(s)
        test_utf32_and_exit_without_shutdown(s)
    except (Failure, LspError, KeyError, TypeError, StopIteration, ValueError) as e:
        print("FAIL: %s: %s" % (type(e).__name__, e))
        traceback.print_exc(limit=-4, file=sys.stdout)
        if s.client is not None and s.client.proc.poll() is not None:
            print("the server exited with status %s" % s.client.proc.returncode)
        try:
            with open(s.log, errors="replace") as f:
                sys.stdout.write(f.read()[-4000:])
        except OSError:
            pass
        return 1
    finally:
        if s.client is not None:
            s.client.close()
        if os.environ.get("LSP_SESSION_KEEP") is None:  # set: keep the files to look at
            shutil.rmtree(work, ignore_errors=True)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
