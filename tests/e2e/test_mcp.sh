#!/usr/bin/env bash
# parsel mcp: a scripted Model Context Protocol session (tests/e2e/mcp_session.py): initialize,
# tools/list, check, explain, format, outline, protocol errors and EOF.
# Usage: test_mcp.sh PARSEL
set -euo pipefail
parsel="$1"
here="$(cd "$(dirname "$0")" && pwd)"
# The session bounds each answer (30 s) and kills the server when it fails; this bounds the whole.
exec timeout --kill-after=10 300 python3 "$here/mcp_session.py" "$parsel"
