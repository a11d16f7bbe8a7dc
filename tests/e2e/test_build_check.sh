#!/usr/bin/env bash
# `parsel build` writes only what changed, `--check` notices any drift between the .pt files and
# build/gen, `--emit-only` stops before the C++ compiler, and generation is deterministic: the
# same project in two directories gives byte-identical build/gen trees.
set -euo pipefail
parsel="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A project of two modules, so that build/gen holds several files.
write_project() {
  local dir="$1"
  mkdir -p "$dir/src"
  cat > "$dir/parsel.toml" <<'TOML'
[project]
name = "shelf"
version = "0.1.0"
modules = ["src"]
TOML
  cat > "$dir/src/items.pt" <<'PT'
module items

schema Item {
    field name: string  validate non_empty()
    field count: i64 = 1 validate at_least(0)
}

function describe(item: Item) returns string {
    return "{item.count} x {item.name}"
}
PT
  cat > "$dir/src/main.pt" <<'PT'
module shelf

import items

program main {
    print_line(describe(Item { name: "jar" }))
}
PT
}

# Runs parsel and keeps its status, stdout and stderr.
run() {
  set +e
  "$parsel" "$@" > "$tmp/out" 2> "$tmp/err"
  status=$?
  set -e
}

project="$tmp/a/shelf"
write_project "$project"

# --emit-only: C++ is written, nothing is compiled.
run build "$project" --emit-only
[ "$status" = 0 ] || { cat "$tmp/err"; fail "build --emit-only exited $status"; }
[ -f "$project/build/gen/main.cpp" ] || fail "--emit-only did not write build/gen/main.cpp"
[ -f "$project/build/CMakeLists.txt" ] || fail "--emit-only did not write build/CMakeLists.txt"
[ ! -e "$project/build/bin/shelf" ] || fail "--emit-only compiled a binary"
[ ! -e "$project/build/cmake" ] || fail "--emit-only configured the C++ build"
grep -q "\[3/3\]" "$tmp/err" && fail "--emit-only reached the compile step"
run build "$project" --check
[ "$status" = 0 ] || { cat "$tmp/out" "$tmp/err"; fail "--check right after --emit-only exited $status"; }

# A full build, then --check passes and the binary runs.
run build "$project"
[ "$status" = 0 ] || { cat "$tmp/err"; fail "parsel build exited $status"; }
[ "$("$project/build/bin/shelf")" = "1 x jar" ] || fail "the built binary printed something else"
run build "$project" --check
[ "$status" = 0 ] || { cat "$tmp/out" "$tmp/err"; fail "--check after a build exited $status"; }
grep -q "up to date" "$tmp/err" || { cat "$tmp/err"; fail "--check does not say the files are up to date"; }

# Rebuilding an unchanged project writes nothing.
run build "$project"
[ "$status" = 0 ] || { cat "$tmp/err"; fail "the second build exited $status"; }
grep -q "0 file(s) written" "$tmp/err" || { cat "$tmp/err"; fail "rebuilding an unchanged project wrote files"; }

# A hand edit under build/gen: --check exits 1 and names the file; a build repairs it.
gen_file="$(cd "$project/build" && ls gen/*.cpp | grep -v main.cpp | head -1)"
[ -n "$gen_file" ] || fail "no module .cpp under build/gen"
echo "// edited by hand" >> "$project/build/$gen_file"
run build "$project" --check
[ "$status" = 1 ] || { cat "$tmp/out" "$tmp/err"; fail "--check after editing $gen_file exited $status, expected 1"; }
grep -qF "build/$gen_file" "$tmp/out" || { cat "$tmp/out" "$tmp/err"; fail "--check does not name build/$gen_file"; }
run build "$project" --emit-only
grep -q "1 file(s) written" "$tmp/err" || { cat "$tmp/err"; fail "a build did not rewrite the edited file"; }
run build "$project" --check
[ "$status" = 0 ] || { cat "$tmp/out"; fail "--check after the repair exited $status"; }

# An edit to a .pt file: the generated files are stale, so --check exits 1.
sed -i 's/"jar"/"pot"/' "$project/src/main.pt"
run build "$project" --check
[ "$status" = 1 ] || { cat "$tmp/out" "$tmp/err"; fail "--check after editing src/main.pt exited $status, expected 1"; }
grep -q "stale: build/gen/" "$tmp/out" || { cat "$tmp/out"; fail "--check does not list the stale files"; }
grep -q "differ from what parsel generates" "$tmp/err" || { cat "$tmp/err"; fail "--check does not explain the failure"; }
run build "$project"
[ "$status" = 0 ] || { cat "$tmp/err"; fail "the build after editing src/main.pt exited $status"; }
[ "$("$project/build/bin/shelf")" = "1 x pot" ] || fail "the rebuilt binary does not show the edit"

# A .pt file with an error: --check reports it (exit 1) rather than comparing files.
cp "$project/src/main.pt" "$tmp/main.pt.good"
echo 'function broken() returns i64 { return "text" }' >> "$project/src/main.pt"
run build "$project" --check
[ "$status" = 1 ] || fail "--check on a project with a type error exited $status, expected 1"
grep -q "PT3009" "$tmp/err" || { cat "$tmp/err"; fail "--check does not report the type error"; }
cp "$tmp/main.pt.good" "$project/src/main.pt"

# Determinism: the same sources in another directory give byte-identical build/gen trees.
write_project "$tmp/b/shelf"
cp "$project/src/main.pt" "$tmp/b/shelf/src/main.pt"
run build "$tmp/b/shelf" --emit-only
[ "$status" = 0 ] || { cat "$tmp/err"; fail "build --emit-only of the copy exited $status"; }
diff -r "$project/build/gen" "$tmp/b/shelf/build/gen" || fail "build/gen differs between two directories (diff above)"
diff "$project/build/CMakeLists.txt" "$tmp/b/shelf/build/CMakeLists.txt" || fail "build/CMakeLists.txt differs between two directories"
# ... and between two runs in one directory.
cp -r "$tmp/b/shelf/build/gen" "$tmp/gen.first"
rm -rf "$tmp/b/shelf/build"
run build "$tmp/b/shelf" --emit-only
diff -r "$tmp/gen.first" "$tmp/b/shelf/build/gen" || fail "build/gen differs between two runs (diff above)"

# A generated file that no module produces any more is removed.
touch "$project/build/gen/leftover.cpp"
run build "$project" --emit-only
[ ! -e "$project/build/gen/leftover.cpp" ] || fail "a stray file under build/gen survived a build"

echo "ok: test_build_check"
