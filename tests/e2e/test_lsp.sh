#!/usr/bin/env bash
# parsel lsp: a scripted JSON-RPC session over stdio (tests/e2e/lsp_session.py) on a two-module
# project covering diagnostics and quick fixes (against the command line's), hover, definition,
# references, completion, document symbols, formatting (against parsel fmt), hostile input and
# the exit status.
# Usage: test_lsp.sh PARSEL
set -euo pipefail
parsel="$1"
here="$(cd "$(dirname "$0")" && pwd)"
exec timeout 300 python3 "$here/lsp_session.py" "$parsel"
