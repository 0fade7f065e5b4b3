# kanade console — build, run and test.
#   make run    build and start the headless console on the embedded NATS (data in ./data)
#   make test   install what the tests need, then run every test
#   make bench  run every benchmark program and print the numbers (see BENCHMARKS.md)
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO        ?= go
WAILS_VERSION := v2.16.0
WAILS     := $(shell $(GO) env GOPATH)/bin/wails
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
BIN       := bin/kanade-console
DATA      ?= ./data
ADDR      ?= 127.0.0.1:8080

.PHONY: help deps frontend build run test test-go test-frontend test-e2e fuzz-smoke fmt fmt-check vet static desktop wails-cli clean

help:
	@echo "make run      start the console (http://$(ADDR), NATS for agents on 127.0.0.1:4222, data in $(DATA))"
	@echo "make test     every test (installs npm packages; apt packages when root)"
	@echo "make test-e2e browser tests of the UI (Debian chromium; screenshots in artifacts/e2e/)"
	@echo "make build    headless static binary in $(BIN)"
	@echo "make static   headless static binaries for linux/windows/darwin, amd64/arm64, in bin/"
	@echo "make desktop  Wails desktop build (pinned Wails CLI $(WAILS_VERSION), webkit2gtk 4.1)"
	@echo "make bench    every benchmark (projection, scale, api, startup), one after another; see BENCHMARKS.md"

deps:
	@scripts/deps.sh

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm run build

build: frontend
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

run: build
	$(BIN) serve --data $(DATA) --addr $(ADDR)

test: deps frontend fmt-check vet test-frontend test-go fuzz-smoke test-e2e

test-frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm test

# The UI in headless Debian Chromium against a real `serve` and a simulated
# fleet; screenshots and logs in artifacts/e2e/.
test-e2e: build
	E2E_NO_BUILD=1 scripts/e2e.sh

test-go:
	$(GO) test -race -count=1 -timeout 30m ./...

# Every fuzz target for a few seconds (plain `go test` already runs their seeds).
FUZZTIME ?= 5s
fuzz-smoke:
	@for pkg in $$($(GO) list ./...); do \
	  for fz in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$fz"; \
	    $(GO) test -run '^$$' -fuzz "^$$fz\$$" -fuzztime $(FUZZTIME) $$pkg >/dev/null || exit 1; \
	  done; \
	done

fmt:
	gofmt -w $$(git ls-files '*.go')

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

static: frontend
	@for target in linux/amd64 linux/arm64 windows/amd64 windows/arm64 darwin/amd64 darwin/arm64; do \
	  os=$${target%/*}; arch=$${target#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  out=bin/kanade-console-$$os-$$arch$$ext; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $$out . || exit 1; \
	  ls -l $$out | awk '{printf "%-44s %6.1f MB\n", $$9, $$5/1048576}'; \
	done

wails-cli:
	@[ -x $(WAILS) ] && $(WAILS) version 2>/dev/null | grep -q $(WAILS_VERSION) || $(GO) install github.com/wailsapp/wails/v2/cmd/wails@$(WAILS_VERSION)

desktop: wails-cli
	$(WAILS) build -tags webkit2_41 -trimpath -ldflags "-X main.version=$(VERSION)"

# Benchmarks: programs that print measured numbers and ratios against the
# targets (never part of `make test`). They run one after another, never in
# parallel, since each one measures the whole machine.
#   BENCH_AGENTS   fleet sizes of bench-scale (default 1000,10000,50000)
#   BENCH_TARGETS  extra GOOS/GOARCH pairs whose binary sizes bench-startup reports
BENCH_AGENTS  ?= 1000,10000,50000
BENCH_TARGETS ?=

bench:
	@$(MAKE) --no-print-directory bench-projection
	@$(MAKE) --no-print-directory bench-scale
	@$(MAKE) --no-print-directory bench-api
	@$(MAKE) --no-print-directory bench-startup

# Raw JetStream vs raw SQLite vs the results projector; rewrites docs/bench/projection-batch-size.svg.
bench-projection:
	$(GO) run ./backend/bench/projection

# 1k/10k/50k simulated agents against the console process: CPU, RSS, heartbeat lag, broadcast (~4 min).
bench-scale:
	$(GO) run ./backend/bench/scale -agents $(BENCH_AGENTS)

# 1,000,000 results and 50,000 agents: /api/results and /api/agents latency, query plans (~4 min).
bench-api:
	$(GO) run ./backend/bench/api

# Binary sizes (with the UI embedded), time to /readyz, idle RSS.
bench-startup: frontend
	$(GO) run ./backend/bench/startup $(if $(BENCH_TARGETS),-targets $(BENCH_TARGETS))

clean:
	rm -rf bin build/bin frontend/dist/assets frontend/dist/index.html
