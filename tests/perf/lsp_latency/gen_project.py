#!/usr/bin/env python3
"""Writes a Parseltongue project of MODULES modules of LINES lines each (default 10 x 500 =
5,000 lines) for measuring the language server: enums, schemas with doc comments and
validators, functions that walk lists and match enums, imports between the modules, and in the
last module a Basilisk service with routes, a Slytherin topic with a consumer and the program.
The project checks clean (`parsel check DIR`: no errors, no warnings) and is laid out as
`parsel fmt` lays it out.

usage: gen_project.py DIR [--modules N] [--lines N]
"""
import argparse
import os


def block(i, k):
    """One group of declarations of module i: a schema and the functions over it."""
    r = f"Rec{i}_{k}"
    return f"""/// A record of group {k} in module {i}.
schema {r} {{
    /// Its identifier.
    field id: i64       validate at_least(0)
    field name: string  validate length_between(1, 40)
    field price: f64 = 0.0
    field status: Status{i} = Status{i}.pending
    field tags: list<string>
}}

/// Sums the prices of the records that are not closed.
function total{i}_{k}(items: list<{r}>) returns f64 {{
    let_mut_var sum = 0.0
    for_each item in items {{
        if item.status == Status{i}.closed {{
            continue
        }}
        set_var sum = sum + item.price
    }}
    return sum
}}

/// Describes one record.
function describe{i}_{k}(item: {r}) returns string {{
    let_immutable_var label = "{{item.name}} ({{item.id}})"
    match item.status {{
        when pending {{ return "{{label}} pending" }}
        when active {{ return "{{label}} active" }}
        when closed {{ return "{{label}} closed" }}
    }}
}}

/// Makes a record with a price from its id.
function make{i}_{k}(id: i64) returns {r} {{
    return {r} {{ id: id, name: "r{{id}}", price: to_f64(id) * 1.5 }}
}}

"""


def header(i):
    lines = [f"module mod{i}", ""]
    if i > 0:
        lines += [f"import mod{i - 1}", ""]
    lines += [
        f"/// Where a record of module {i} stands.",
        f"enum Status{i} {{ pending, active, closed }}",
        "",
    ]
    return "\n".join(lines) + "\n"


def chain(i):
    """A function that uses the module before (so that its import is used)."""
    if i == 0:
        return f"""/// The total of one made record.
function chain{i}() returns f64 {{
    return total{i}_0([make{i}_0(1)])
}}

"""
    return f"""/// The total of one made record, plus the module before's.
function chain{i}() returns f64 {{
    return total{i}_0([make{i}_0(1)]) + chain{i - 1}()
}}

"""


def system(i):
    r = f"Rec{i}_0"
    return f"""/// The API's core.
partition api {{ cores: 1, scheduler: backend_api }}

/// The stream's core.
partition stream_cores {{ cores: 1, scheduler: messaging }}

/// Every record made.
slytherin_topic record_events carries {r} {{
    partitions: 2
    retention: 7 days
    durability: none
    key: id
}}

/// Counts the records published.
slytherin_consumer RecordCounter runs_on stream_cores reads record_events group "counter" {{
    let_mut_var seen: i64 = 0
    on_message(record: {r}) {{
        set_var seen = seen + 1
        print_line("seen {{seen}}: {{describe{i}_0(record)}}")
    }}
}}

/// Records over HTTP.
basilisk_service RecordApi runs_on api listens_on port 8080 {{
    let_mut_var records: map<string, {r}> = [:]

    route POST "/records" accepts {r} returns {r} {{
        map_put(records, to_string(request_body.id), request_body)
        publish_message(record_events, request_body)
        return_created(request_body)
    }}

    route GET "/records/{{record_id: i64}}" returns {r} {{
        match map_get(records, to_string(record_id)) {{
            when some(found) {{ return_ok(found) }}
            when none {{ return_not_found("no record {{record_id}}") }}
        }}
    }}

    route GET "/records" returns list<{r}> {{
        return_ok(map_values(records))
    }}
}}

program main {{
    print_line("total {{chain{i}()}}")
}}

"""


def module_text(i, last, lines):
    text = header(i) + chain(i)
    tail = system(i) if last else ""
    k = 0
    while True:
        b = block(i, k)
        if (text + b + tail).count("\n") > lines:
            break
        text += b
        k += 1
    text += tail
    n = text.count("\n")
    if n > lines:
        raise SystemExit(f"module {i}: {n} lines is over {lines}; ask for more lines")
    # Fill up to the line count with comment lines (kept out of the declarations).
    text += "".join(f"// filler {j}\n" for j in range(lines - n))
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--modules", type=int, default=10)
    ap.add_argument("--lines", type=int, default=500)
    a = ap.parse_args()
    os.makedirs(os.path.join(a.dir, "src"), exist_ok=True)
    with open(os.path.join(a.dir, "parsel.toml"), "w") as f:
        f.write('[project]\nname = "lsp_latency"\nversion = "0.1.0"\nmodules = ["src"]\n\n'
                "[machine]\ncores = 2\n")
    for i in range(a.modules):
        with open(os.path.join(a.dir, "src", f"mod{i}.pt"), "w") as f:
            f.write(module_text(i, i == a.modules - 1, a.lines))


if __name__ == "__main__":
    main()
