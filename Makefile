# kanade console — build, run and test.
#   make run    build and start the headless console on the embedded NATS (data in ./data);
#               make run DEMO_AGENTS=20 NATS_LISTEN=0.0.0.0:4222 ADDR=127.0.0.1:8080 DATA=./data
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
# make run: NATS listener for agents (0.0.0.0:4222 lets other PCs connect) and
# simulated agents in the console process (0 = none).
NATS_LISTEN ?= 127.0.0.1:4222
DEMO_AGENTS ?= 0
# One line per stage, so no step runs silently for minutes.
stage = @echo "==> $(1)"
comma := ,

.PHONY: help deps frontend build run test test-go test-frontend test-e2e fuzz-smoke flake-check fmt fmt-check vet lint vet-cross static desktop wails-cli clean
.PHONY: bench bench-projection bench-scale bench-api bench-startup bench-listall bench-cluster bench-auth bench-inventory

help:
	@echo "make run      start the console (http://$(ADDR), NATS for agents on $(NATS_LISTEN), data in $(DATA))"
	@echo "               DEMO_AGENTS=N     also run N simulated agents (marked simulated in the UI)"
	@echo "               NATS_LISTEN=H:P   agents' NATS address; 0.0.0.0:4222 accepts other PCs"
	@echo "               ADDR=H:P DATA=DIR UI/API address, data directory"
	@echo "               the console prints the agent URL(s); its Connect agents page (/connect) has the agent config"
	@echo "make test     every test (installs npm packages; apt packages when root)"
	@echo "make test-e2e browser tests of the UI (Debian chromium; screenshots in artifacts/e2e/)"
	@echo "make build    headless static binary in $(BIN)"
	@echo "make static   headless static binaries for linux/windows/darwin, amd64/arm64, in bin/"
	@echo "make desktop  Wails desktop build (pinned Wails CLI $(WAILS_VERSION), webkit2gtk 4.1)"
	@echo "make desktop-windows  Windows exe + NSIS installer (cross-built here); make desktop-deb: Linux .deb"
	@echo "make test-desktop     desktop smoke test under Xvfb (screenshots in artifacts/desktop/)"
	@echo "make package-macos    macOS .app + .dmg (run it on macOS)"
	@echo "make flake-check  fleetsim and console, 30 runs each under -race with a CPU burner (long)"
	@echo "make bench    every benchmark (projection, scale, api, startup, cluster, auth), one after another; see BENCHMARKS.md"

deps:
	$(call stage,deps: npm packages$(comma) the Wails CLI$(comma) apt packages when root)
	@scripts/deps.sh

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	$(call stage,frontend: npm ci (first run: about a minute))
	cd frontend && npm ci --no-audit --no-fund

frontend: frontend/node_modules/.package-lock.json
	$(call stage,frontend: vite build into frontend/dist)
	cd frontend && npm run build

# -v lists each package as it compiles (a cold first build compiles ~300
# packages for about two minutes; a warm one prints next to nothing).
build: frontend
	$(call stage,go build $(BIN) (cold cache: about two minutes; packages are listed as they compile))
	CGO_ENABLED=0 $(GO) build -v -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .
	$(call stage,built $(BIN))

run: build
	$(call stage,starting $(BIN) serve (Ctrl-C stops it))
	$(BIN) serve --data $(DATA) --addr $(ADDR) --nats-listen $(NATS_LISTEN)$(if $(filter-out 0,$(DEMO_AGENTS)), --demo-agents $(DEMO_AGENTS))

test: deps frontend fmt-check lint vet-cross test-frontend test-go fuzz-smoke test-e2e bindings-check test-desktop test-packaging

test-frontend: frontend/node_modules/.package-lock.json
	$(call stage,test-frontend: ESLint (typescript-eslint$(comma) react-hooks) and Vitest)
	cd frontend && npm run lint && npm test

# The UI in headless Debian Chromium against a real `serve` and a simulated
# fleet; screenshots and logs in artifacts/e2e/.
test-e2e: build
	$(call stage,test-e2e: browser tests in headless Chromium)
	E2E_NO_BUILD=1 scripts/e2e.sh

test-go:
	$(call stage,test-go: every Go test with -race (cold cache: compiling takes a few minutes before the first ok line))
	$(GO) test -race -count=1 -timeout 30m ./...

# docs/openapi.json is generated from the route table and the Go types;
# TestOpenAPICommitted (in test-go) fails when it is stale.
.PHONY: openapi
openapi:
	$(GO) test -count=1 -run '^TestOpenAPICommitted$$' ./backend/api/ -update-openapi
	$(GO) generate ./backend/api/apiclient/
	cd frontend && npm run openapi
	$(call stage,openapi: docs/openapi.json$(comma) the generated Go client and frontend/src/api/openapi.d.ts regenerated)

# Every fuzz target for a few thousand inputs (plain `go test` already runs their seeds).
# Targets are found in the sources (no compile just to list them); each one
# prints a line before and its time after (the first one of a package also
# compiles the fuzz build).
# A count, not a duration: with a duration, Go 1.26's fuzz coordinator can
# report "context deadline exceeded" as a failure when a worker on a loaded
# machine misses the stop deadline (go.dev/issue/75804, fixed in Go 1.27; it
# failed one fuzz-smoke run here). A count has no deadline to race.
FUZZTIME ?= 5000x
# Issue 13's flake check: fleetsim and console, 30 runs each under -race with
# a CPU burner (COUNT, PKGS, RUN, BURNERS as in scripts/flake-check.sh). Long:
# not part of make test.
flake-check:
	$(call stage,flake-check: go test -race -count=$${COUNT:-30} fleetsim and console with a CPU burner)
	@scripts/flake-check.sh

fuzz-smoke:
	$(call stage,fuzz-smoke: every fuzz target for $(FUZZTIME) inputs)
	@for dir in $$(grep -l '^func Fuzz' $$(git ls-files '*_test.go') | xargs -n1 dirname | sort -u); do \
	  note=" (compiles the fuzz build first)"; \
	  for fz in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | sed 's/^func //'); do \
	    printf 'fuzz ./%s %s%s ... ' "$$dir" "$$fz" "$$note"; note=; t0=$$(date +%s%N); \
	    $(GO) test -run '^$$' -fuzz "^$$fz\$$" -fuzztime $(FUZZTIME) ./$$dir >/tmp/fuzz-smoke.$$$$.log 2>&1 || { echo FAIL; cat /tmp/fuzz-smoke.$$$$.log; rm -f /tmp/fuzz-smoke.$$$$.log; exit 1; }; \
	    awk -v ns=$$(( $$(date +%s%N) - t0 )) 'BEGIN { printf "ok in %.1f s\n", ns / 1e9 }'; \
	  done; \
	done; rm -f /tmp/fuzz-smoke.$$$$.log

fmt:
	gofmt -w $$(git ls-files '*.go')

fmt-check:
	$(call stage,fmt-check: gofmt)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(call stage,vet: go vet ./...)
	$(GO) vet ./...

# go vet (also the desktop window's files, build tag desktop; without cgo,
# so no GTK headers are needed) and staticcheck, pinned here and fetched by
# `go run` (no tool dependency in go.mod).
STATICCHECK_VERSION := v0.8.2
lint: vet
	$(call stage,lint: go vet -tags desktop$(comma) staticcheck $(STATICCHECK_VERSION) (cold: a few minutes))
	CGO_ENABLED=0 $(GO) vet -tags desktop .
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

# The Windows (registry, service control manager) and macOS (launchd) code
# paths type-check and vet here too.
vet-cross:
	GOOS=windows GOARCH=amd64 $(GO) vet ./...
	GOOS=darwin GOARCH=arm64 $(GO) vet ./...

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
	@$(MAKE) --no-print-directory bench-listall
	@$(MAKE) --no-print-directory bench-cluster
	@$(MAKE) --no-print-directory bench-auth
	@$(MAKE) --no-print-directory bench-inventory

# Inventory explode tables: search p50/p99 over 50,000 PCs x 200 apps (10M rows)
# and the results projector with an explode spec vs without (~5 min).
bench-inventory:
	$(GO) run ./backend/bench/inventory

# Raw JetStream vs raw SQLite vs the results projector; rewrites docs/bench/projection-batch-size.svg.
bench-projection:
	$(GO) run ./backend/bench/projection

# 1k/10k/50k simulated agents against the console process: CPU, RSS, heartbeat lag, broadcast (~4 min).
bench-scale:
	$(GO) run ./backend/bench/scale -agents $(BENCH_AGENTS)

# 1,000,000 results and 50,000 agents: /api/results and /api/agents latency, query plans (~4 min).
bench-api:
	$(GO) run ./backend/bench/api

# Accounts: login latency (argon2id) and the per-request authorization check at 1,000 req/s.
bench-auth:
	$(GO) run ./backend/bench/auth

# Binary sizes (with the UI embedded: builds it first when frontend/dist has none), time to /readyz, idle RSS.
# 0.29's unpaged GET /api/agents over 100,000 agents: the console's RSS growth.
bench-listall:
	$(GO) run ./backend/bench/listall

# Two consoles on a three-node R3 cluster vs one on the embedded server, and RESULTS-leader failover.
bench-cluster:
	$(GO) run ./backend/bench/cluster

bench-startup: $(if $(wildcard frontend/dist/index.html),,frontend)
	$(GO) run ./backend/bench/startup $(if $(BENCH_TARGETS),-targets $(BENCH_TARGETS))

clean:
	rm -rf bin build/bin frontend/dist/assets frontend/dist/index.html

# ---- desktop app (Wails) -----------------------------------------------------
# See README "Desktop app". The builds below reuse the frontend built by
# `make frontend` (-s: no second npm ci), the committed bindings
# (-skipbindings; `make bindings-check` catches drift) and leave go.mod alone
# (-m: no `go mod tidy`).
.PHONY: desktop-linux desktop-windows desktop-deb package-macos bindings bindings-check test-desktop test-packaging

WAILS_TAGS      := webkit2_41
DESKTOP_LDFLAGS := -X main.version=$(VERSION)
PRODUCT_VERSION := $(shell sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
print_size = ls -l $(1) | awk '{printf "%-56s %6.1f MB\n", $$9, $$5/1048576}'

# Linux desktop binary: build/bin/kanade-console (GTK 3, WebKitGTK 4.1).
desktop-linux: frontend wails-cli
	$(call stage,desktop-linux: wails build (cold: a few minutes))
	@scripts/desktop-deps.sh --no-cli
	$(WAILS) build -s -skipbindings -m -tags $(WAILS_TAGS) -trimpath -ldflags "$(DESKTOP_LDFLAGS)"
	@$(call print_size,build/bin/kanade-console)

# Windows exe and NSIS installer, cross-built (pure Go, no mingw). Version,
# company and copyright come from wails.json (build/windows/info.json).
desktop-windows: frontend wails-cli
	@scripts/desktop-deps.sh --no-cli
	$(WAILS) build -s -skipbindings -m -platform windows/amd64 -nsis -tags $(WAILS_TAGS) -trimpath -ldflags "$(DESKTOP_LDFLAGS)"
	@$(call print_size,build/bin/kanade-console.exe)
	@$(call print_size,build/bin/kanade-console-amd64-installer.exe)

# Debian package with a .desktop entry: build/bin/kanade-console_<version>_<arch>.deb.
desktop-deb:
	@[ -x build/bin/kanade-console ] || $(MAKE) --no-print-directory desktop-linux
	scripts/desktop-deb.sh

# macOS .app and .dmg. Wails cannot cross-compile the macOS app (it needs
# clang and the Apple SDK), so this runs only on macOS (Xcode command line
# tools, Go, Node); the headless darwin binaries come from `make static`.
package-macos:
	@if [ "$$(uname -s)" != Darwin ]; then \
	  echo "package-macos: needs macOS: Wails cannot cross-compile the macOS app from $$(uname -s)."; \
	  echo "  Run 'make package-macos' on a Mac (or a macos-14 CI runner) with Go 1.26, Node 20 and the Xcode command line tools."; \
	  echo "  Headless darwin binaries (no window) build anywhere: make static"; \
	  exit 1; fi
	$(MAKE) --no-print-directory frontend wails-cli
	$(WAILS) build -s -skipbindings -m -platform darwin/universal -trimpath -ldflags "$(DESKTOP_LDFLAGS)"
	rm -f "build/bin/kanade-console-$(PRODUCT_VERSION).dmg"
	cp build/service/dev.kanade.console.plist "build/bin/kanade-console.app/Contents/Resources/"
	hdiutil create -volname "kanade console" -srcfolder "build/bin/kanade-console.app" -ov -format UDZO "build/bin/kanade-console-$(PRODUCT_VERSION).dmg"
	@$(call print_size,build/bin/kanade-console-$(PRODUCT_VERSION).dmg)

# Regenerate the TypeScript bindings (frontend/wailsjs) from package app.
bindings: wails-cli
	$(call stage,bindings: wails generate module (frontend/wailsjs))
	$(WAILS) generate module -tags $(WAILS_TAGS)
	@find frontend/wailsjs -type f -exec chmod 0644 {} +   # Wails writes some 0755, some 0644

# CI: the committed bindings must match the Go code.
bindings-check: bindings
	@if ! git diff --exit-code --stat -- frontend/wailsjs || [ -n "$$(git status --porcelain -- frontend/wailsjs)" ]; then \
	  echo "frontend/wailsjs is out of date with package app: run 'make bindings' and commit it"; exit 1; fi
	@echo "bindings: frontend/wailsjs matches package app"

# The desktop build under Xvfb with 20 simulated agents, driven by xdotool;
# screenshots and the app log in artifacts/desktop/.
test-desktop: desktop-linux
	$(call stage,test-desktop: the desktop window under Xvfb$(comma) driven by xdotool)
	scripts/desktop-smoke.sh
	scripts/desktop-signin-smoke.sh

# Installers and cross builds: Windows exe + NSIS installer, the static
# headless binaries for every target, the .deb.
test-packaging: desktop-windows static desktop-deb
