# Gişe. `make run` opens the kiosk, `make test` runs every test. Both install
# the Debian packages they need first (scripts/deps.sh).

SHELL := /bin/bash
# Fyne's threading migration (FyneApp.toml: [Migrations] fyneDo = true) is a
# build tag when building with plain `go`; no_emoji leaves out Fyne's 4 MB
# colour emoji font, which no screen needs and which Fyne parses once for
# every text style (about 20 MB resident; docs/PERFORMANCE.md).
export GOFLAGS := -tags=migrated_fynedo,no_emoji
export CGO_ENABLED := 1

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run build test lint bench soak screenshots walk deps-build deps-test

run: deps-build
	go run . $(ARGS)

build: deps-build
	go build -o bin/gise .

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

test: deps-test lint
	scripts/with-services.sh go test -count=1 -timeout 20m ./...

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo 'gofmt: the files above need formatting'; exit 1; }
	go vet ./...
	go run $(STATICCHECK) ./...

# PNGs of the main screens, Turkish and English, counter and self-service,
# rendered by Fyne's software painter (no display needed).
screenshots:
	mkdir -p docs/screenshots
	GISE_SCREENSHOTS=$(CURDIR)/docs/screenshots go test -count=1 -run '^TestScreenshots$$' ./ui

# The screen walk: every flow at three sizes in both languages, checked
# after every step for what a person sees (ui/walk_test.go); a PNG of every
# step under WALK_DIR/SIZE/LANG/FLOW/ (default: the system temp folder).
# make test runs it too, with every check but without the PNGs.
WALK_DIR ?= $(or $(TMPDIR),/tmp)/gise-walk
walk:
	WALK_DIR=$(abspath $(WALK_DIR)) go test -count=1 -timeout 20m -run '^TestWalk$$' ./ui
	@echo "walk PNGs under $(abspath $(WALK_DIR))"

# The accelerated soak: every counter flow in the real binary under Xvfb,
# memory read from the kiosk's log (SOAK=30m by default).
SOAK ?= 30m
soak: deps-test
	GISE_SOAK=$(SOAK) scripts/with-services.sh go test -count=1 -timeout 0 -run '^TestSoak$$' -v .

bench: deps-test
	scripts/with-services.sh go test -run '^$$' -bench . -benchtime 1x -timeout 60m ./... | tee bench.out
