#!/bin/sh
# Serves the worker locally on workerd (wrangler dev) at 127.0.0.1:8787
# (wrangler.toml [dev]); arguments are appended to the wrangler call.
# Durable Object storage persists in .state/dev. WASM_OPT=1 for the
# production-optimised build; the default skips wasm-opt to start fast.
set -eu
. "$(dirname -- "$0")/env.sh"
cd "$ROOT"
export WASM_OPT="${WASM_OPT:-0}"
exec wrangler dev --persist-to .state/dev "$@"
