# Gişe. `make run` opens the kiosk, `make test` runs every test. Both install
# the Debian packages they need first (scripts/deps.sh).

SHELL := /bin/bash
# Fyne's threading migration (FyneApp.toml: [Migrations] fyneDo = true) is a
# build tag when building with plain `go`; no_emoji leaves out Fyne's 4 MB
# colour emoji font, which no screen needs and which Fyne parses once for
# every text style (about 20 MB resident; docs/PERFORMANCE.md).
# -buildmode=pie: a position-independent executable, as Debian's hardening
# asks (lintian); set for every go command here, so that the tests, the
# build and the package share one build cache.
export GOFLAGS := -tags=migrated_fynedo,no_emoji -buildmode=pie
export CGO_ENABLED := 1

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

# Stamped into the binary (gise version) and the package's version:
# packaging/version.sh reads git describe.
VERSION := $(shell packaging/version.sh 2>/dev/null || echo 0.0.0-dev)
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
BUILD_DATE := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.buildDate=$(BUILD_DATE) \
	-extldflags=-Wl,-z,relro,-z,now
DEB := dist/gise_$(VERSION)_amd64.deb

.PHONY: run build test lint bench soak load screenshots walk deps-build deps-test
.PHONY: package package-check package-test deps-package deps-package-test

run: deps-build
	go run . $(ARGS)

# Immediate binding (-z now), as Debian's hardening asks, and the version.
build: deps-build
	go build -ldflags '$(LDFLAGS)' -o bin/gise .

# The Debian package, from the same build (docs/INSTALL.md).
package: build deps-package
	packaging/build.sh

# What make test checks of the package: files, conffiles, control fields,
# desktop-file-validate, lintian errors (packaging/check.sh).
package-check: package
	packaging/check.sh $(DEB)

# The package installed for real in a throwaway Debian 12 root: install,
# kiosk session under Xvfb, kill and restart, upgrade from the base
# commit's package, purge (packaging/package-test.sh; root, network to
# Debian's mirror the first time).
package-test: package deps-package-test
	packaging/package-test.sh $(DEB)

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

deps-package:
	@scripts/deps.sh package

deps-package-test:
	@scripts/deps.sh package-test

test: deps-test lint package-check
	scripts/with-services.sh go test -count=1 -timeout 20m ./...

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo 'gofmt: the files above need formatting'; exit 1; }
	go vet ./...
	go run $(STATICCHECK) ./...

# PNGs of the main screens, Turkish and English, counter and self-service,
# rendered by Fyne's software painter (no display needed).
screenshots:
	mkdir -p docs/screenshots
	GISE_SCREENSHOTS=$(CURDIR)/docs/screenshots go test -count=1 -run '^TestScreenshots|^TestUSBScreen$$' ./ui

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

# The central under load (docs/PERFORMANCE.md): 50 terminals, the real sync
# worker over 2,000 queued records each, drain at once through two gise
# central nodes into one PostgreSQL (fsync on), then into the SQLite central.
# The report goes to load.out.
load: deps-test
	GISE_PG_CONF="-c fsync=on -c synchronous_commit=on -c full_page_writes=on" GISE_LOAD_OUT=$(CURDIR)/load.out \
		scripts/with-services.sh go test -tags migrated_fynedo,no_emoji,load -count=1 -timeout 30m -run '^TestLoad$$' -v .

bench: deps-test
	scripts/with-services.sh go test -run '^$$' -bench . -benchtime 1x -timeout 60m ./... | tee bench.out
