#!/bin/sh
# `make demo`: the worker on workerd (wrangler dev, 127.0.0.1:8787) against
# the bundled mock Sequentum API (mock/sequentum-api.mjs, 127.0.0.1:8788), so
# every tool, resource and prompt can be tried offline with `node scripts/try.mjs`. DEBUG=1 lets
# browser clients on localhost in (the MCP Inspector UI). Any bearer token
# works: the worker forwards it and the mock accepts any. Ctrl-C stops both.
#
# Ports: DEMO_PORT (worker) and DEMO_API_PORT (mock). Arguments are appended
# to the wrangler call. Session storage persists in .state/demo, apart from
# `make dev`'s.
set -eu
. "$(dirname -- "$0")/env.sh"
cd "$ROOT"

port=${DEMO_PORT:-8787}
api_port=${DEMO_API_PORT:-8788}
api_url=http://127.0.0.1:$api_port

# True when something accepts connections on 127.0.0.1:$1.
listening() {
  node -e "require('node:net').connect($1, '127.0.0.1')
    .on('connect', () => process.exit(0)).on('error', () => process.exit(1))"
}

for p in "$port" "$api_port"; do
  if listening "$p"; then
    echo "demo: port $p is already in use (another 'make demo' or 'make dev'?)." >&2
    echo "      Stop it, or pick other ports: DEMO_PORT=8797 DEMO_API_PORT=8798 make demo" >&2
    exit 1
  fi
done

mock_pid=
worker_pid=
# Stops what this script started, by pid; runs once, on any way out.
stop() {
  trap - EXIT INT TERM HUP
  for pid in $worker_pid $mock_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $worker_pid $mock_pid; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop; exit 129' HUP

node mock/sequentum-api.mjs --port "$api_port" &
mock_pid=$!
# Wait for the mock's socket (or its death), not a fixed time.
tries=0
until listening "$api_port"; do
  if ! kill -0 "$mock_pid" 2>/dev/null; then
    echo "demo: the mock Sequentum API did not start" >&2
    exit 1
  fi
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ]; then
    echo "demo: the mock Sequentum API is not listening on $api_url" >&2
    exit 1
  fi
  sleep 0.1
done

cat <<EOF

  Demo: worker on http://127.0.0.1:$port/mcp, mock Sequentum API on $api_url
  The first start builds the worker (several minutes); later ones take seconds.
  Then, in another terminal:
    node scripts/try.mjs tools
    node scripts/try.mjs call list_agents '{}'
    node scripts/try.mjs call get_agent '{"agentId":101}'
    node scripts/try.mjs read sequentum://agents/102/latest-failure
    node scripts/try.mjs prompt debug-agent agentName='Product Review Collector'
    node scripts/try.mjs complete prompt debug-agent agentName Comp
  or the MCP Inspector: URL http://127.0.0.1:$port/mcp, Streamable HTTP,
  header "Authorization: Bearer demo". Ctrl-C stops both servers.

EOF

# Unoptimised build for a fast start, as `make dev` does.
export WASM_OPT="${WASM_OPT:-0}"
# In the background so that a signal reaches the trap at once; a
# non-interactive shell would otherwise hold it until wrangler exits.
wrangler dev --persist-to .state/demo --port "$port" \
  --var "SEQUENTUM_API_URL:$api_url" --var DEBUG:1 "$@" &
worker_pid=$!
status=0
wait "$worker_pid" || status=$?
worker_pid=
exit "$status"
