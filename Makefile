# The contract others script against (see README.md):
#   make setup   install everything the other targets need (idempotent)
#   make dev     run the worker on workerd at 127.0.0.1:8787; extra wrangler flags via DEV_ARGS
#   make demo    the worker against the bundled mock Sequentum API, offline, at
#                127.0.0.1:8787; try it with `node scripts/try.mjs tools`; flags via DEMO_ARGS
#   make test    every test tier, lints included
#   make bench   release build, then load figures on local workerd; flags via BENCH_ARGS
SHELL := /bin/sh
DEV_ARGS ?=
BENCH_ARGS ?=
DEMO_ARGS ?=

.PHONY: setup dev demo test conformance build bench clean

setup:
	@sh scripts/setup.sh

dev: setup
	@sh scripts/dev.sh $(DEV_ARGS)

demo: setup
	@sh scripts/demo.sh $(DEMO_ARGS)

test: setup
	@sh scripts/test.sh

conformance: setup
	@sh scripts/conformance.sh

build: setup
	@sh scripts/build.sh

bench: setup
	@sh scripts/bench.sh $(BENCH_ARGS)

clean:
	rm -rf build target .state node_modules
