#!/bin/sh
# Load figures for the release build (with wasm-opt, as deployed) on local
# workerd: builds, then runs scripts/bench.mjs with the arguments given.
# Prints figures, never fails on a time; see docs/performance.md.
set -eu
. "$(dirname -- "$0")/env.sh"
cd "$ROOT"
sh scripts/build.sh
# The e2e harness imports node:sqlite, which Node 22 flags as experimental.
exec node --disable-warning=ExperimentalWarning scripts/bench.mjs "$@"
