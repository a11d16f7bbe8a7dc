#!/usr/bin/env bash
# The VS Code extension (editors/vscode): installs its pinned npm packages (npm ci), runs its
# Node tests with PARSEL set (the grammar over every .pt file of examples/, tests/ and stdlib/,
# the snippets checked by parsel, the language client against stand-ins, the client's JSON-RPC
# library against the real `parsel lsp`), then packages it with
# @vscode/vsce into a temporary directory and checks what the .vsix holds (docs/vscode.md).
set -euo pipefail
parsel="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
root="$(cd "$(dirname "$0")/../.." && pwd)"
ext="$root/editors/vscode"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

command -v node > /dev/null || fail "node is not installed: the extension's tests run on Node.js (20 or later)"
command -v npm > /dev/null || fail "npm is not installed: the extension's packages come from npm"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || fail "node $(node --version) is too old: @vscode/vsce needs Node.js 20 or later"

# The packages, exactly as package-lock.json pins them.
(cd "$ext" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) > "$tmp/npm.log" 2>&1 ||
  { cat "$tmp/npm.log"; fail "npm ci in editors/vscode"; }

# The Node tests; their summary lines are printed, everything on failure.
if ! (cd "$ext" && PARSEL="$parsel" timeout 300 node --test test/*.test.js) > "$tmp/test.log" 2>&1; then
  cat "$tmp/test.log"
  fail "the extension's Node tests (editors/vscode/test)"
fi
grep -E '^# (grammar|snippets):' "$tmp/test.log" | sed 's/^# //'
grep -q '^# grammar: .* 0 problems' "$tmp/test.log" || { cat "$tmp/test.log"; fail "no grammar summary with 0 problems"; }
grep -q '^# snippets: [0-9]* checked' "$tmp/test.log" || { cat "$tmp/test.log"; fail "the snippets were not checked with parsel"; }
grep -q '^# fail 0$' "$tmp/test.log" || { cat "$tmp/test.log"; fail "a Node test failed"; }
grep -q '^# skipped 0$' "$tmp/test.log" || { cat "$tmp/test.log"; fail "a Node test was skipped"; }
echo "node tests: $(grep -E '^# pass ' "$tmp/test.log" | sed 's/^# //'), fail 0"

# The package. No stdin: vsce must not ask anything.
vsix="$tmp/parseltongue.vsix"
(cd "$ext" && timeout 120 npx --no vsce package --allow-missing-repository --out "$vsix") < /dev/null > "$tmp/vsce.log" 2>&1 ||
  { cat "$tmp/vsce.log"; fail "vsce package"; }
[ -s "$vsix" ] || fail "vsce wrote no $vsix"
python3 - "$vsix" "$ext" <<'PY' || fail "the .vsix does not hold what it should (above)"
import json, sys, zipfile
vsix, ext = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(vsix) as z:
    names = set(z.namelist())
    problems = []
    for name in ["extension.vsixmanifest", "extension/package.json", "extension/extension.js",
                 "extension/syntaxes/parseltongue.tmLanguage.json", "extension/snippets/parseltongue.json",
                 "extension/language-configuration.json", "extension/LICENSE.txt", "extension/readme.md",
                 "extension/node_modules/vscode-languageclient/package.json",
                 "extension/node_modules/vscode-languageclient/node.js"]:
        if name not in names:
            problems.append("missing " + name)
    for name in names:
        if name.startswith("extension/test/") or name.startswith("extension/node_modules/vscode-textmate/") \
                or name.startswith("extension/node_modules/@vscode/vsce/"):
            problems.append("holds " + name + " (tests and dev packages stay out)")
    for packaged, source in [("extension/syntaxes/parseltongue.tmLanguage.json", "syntaxes/parseltongue.tmLanguage.json"),
                             ("extension/snippets/parseltongue.json", "snippets/parseltongue.json"),
                             ("extension/language-configuration.json", "language-configuration.json")]:
        if packaged in names and z.read(packaged) != open(ext + "/" + source, "rb").read():
            problems.append(packaged + " differs from editors/vscode/" + source)
    if "extension/package.json" in names:
        manifest = json.loads(z.read("extension/package.json"))
        if manifest.get("name") != "parseltongue" or manifest.get("main") != "./extension.js":
            problems.append("extension/package.json: unexpected name or main")
        if manifest["contributes"]["grammars"][0]["path"] != "./syntaxes/parseltongue.tmLanguage.json":
            problems.append("extension/package.json: unexpected grammar path")
    for p in problems:
        print(p)
    print(f"vsix: {len(names)} files, {sum(i.file_size for i in z.infolist())} bytes unpacked")
    sys.exit(1 if problems else 0)
PY
echo "PASS: test_vscode_extension"
