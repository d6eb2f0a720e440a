# The contract others script against (see README.md):
#   make setup   install everything both other targets need (idempotent)
#   make dev     run the worker on workerd at 127.0.0.1:8787; extra wrangler flags via DEV_ARGS
#   make test    every test tier, lints included
SHELL := /bin/sh
DEV_ARGS ?=

.PHONY: setup dev test build bench clean

setup:
	@sh scripts/setup.sh

# WASM_OPT=0: skip wasm-opt for a fast start; the tests build the optimised bundle.
dev: setup
	@. scripts/env.sh && WASM_OPT=$${WASM_OPT:-0} wrangler dev --persist-to .state/dev $(DEV_ARGS)

test: setup
	@sh scripts/test.sh

build: setup
	@sh scripts/build.sh

clean:
	rm -rf build target .state node_modules
