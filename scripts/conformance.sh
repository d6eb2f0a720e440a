#!/bin/sh
# The official MCP conformance suite against `wrangler dev` (docs/conformance.md).
# Arguments go to scripts/conformance.mjs (`--verbose`: the suite's own output).
set -eu
. "$(dirname -- "$0")/env.sh"
cd "$ROOT"
exec node scripts/conformance.mjs "$@"
