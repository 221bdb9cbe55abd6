# Pingjia: the two commands that matter are `make run` and `make test`.
SWIFT ?= swift
DEMO_DB ?= pingjia-demo.sqlite
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test build release unit browser bench fuzz fuzz-short clean

## Installs what is missing, builds, migrates, loads the demo center and serves on http://127.0.0.1:8080
run: release
	.build/release/pingjia migrate --db $(DEMO_DB)
	.build/release/pingjia demo --db $(DEMO_DB)
	.build/release/pingjia serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

## Runs every test: unit, store, end-to-end over HTTP, the pages in headless Chromium, and the
## deployment (nginx with TLS, systemd units, backup/restore, a full disk)
test:
	deploy/install-packages.sh --test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	python3 -m pytest -q Tests/api Tests/browser Tests/deploy Tests/ops
	$(MAKE) fuzz-short

## Fuzzes the JSON, form and period decoders for 10 s each with libFuzzer (about 40 s with the build)
fuzz-short:
	Tests/fuzz/run --short

## Fuzzes them for 60 s each and keeps the inputs that reach new code in Tests/fuzz/corpus
fuzz:
	Tests/fuzz/run

build:
	deploy/install-packages.sh
	$(SWIFT) build

release:
	deploy/install-packages.sh
	$(SWIFT) build -c release

## Runs the benchmarks (release build, wrk on loopback) and prints the figures for BENCHMARKS.md
bench:
	bench/run

clean:
	rm -rf .build
