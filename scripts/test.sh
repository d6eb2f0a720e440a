#!/bin/sh
# Every test tier, cheapest first. Any failure stops the run.
set -eu
. "$(dirname -- "$0")/env.sh"
cd "$ROOT"

tier() { printf '\n==> %s\n' "$*"; }

tier "format"
cargo fmt --all -- --check

tier "clippy (host and wasm32)"
cargo clippy --all-targets -- -D warnings
cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

tier "host tests"
cargo test

tier "wasm tests (wasm-bindgen-test under Node)"
cargo test --target wasm32-unknown-unknown

tier "production bundle (wrangler deploy --dry-run)"
node scripts/bundle-size.mjs

tier "end-to-end (Miniflare, real Durable Objects)"
node --test tests/e2e/*.test.mjs

tier "conformance (official suite against wrangler dev)"
node scripts/conformance.mjs
