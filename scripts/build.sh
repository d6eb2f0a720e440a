#!/bin/sh
# Builds the Worker into build/ with worker-build, offline. Run by wrangler
# (wrangler.toml [build]) and by the tests. WASM_OPT=0 skips wasm-opt (dev).
set -eu
. "$(dirname -- "$0")/env.sh"
cd "$ROOT"

want=$(lock_version wasm-bindgen)
have=$("$WASM_BINDGEN_BIN" --version 2>/dev/null | awk '{print $2}')
if [ "$want" != "$have" ]; then
  echo "build: wasm-bindgen CLI is '$have' but Cargo.lock needs '$want'; run 'make setup'" >&2
  exit 1
fi
if [ "${WASM_OPT:-1}" = 0 ]; then set -- --no-opt "$@"; fi
exec worker-build --release "$@"
