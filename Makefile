# Tender: two commands on a fresh Debian machine with the Swift toolchain.
#   make run    the main job
#   make test   the whole test suite
SHELL := /bin/bash

# Debian packages the build, the tests and the reports need.
DEBIAN_PACKAGES := pkg-config libuv1-dev libsqlite3-dev libjs-chart.js
SWIFT_BUILD_FLAGS ?=
RELEASE := .build/release/tender

.PHONY: run test build release deps demo validate clean bench test-queueing

run: deps release
	$(RELEASE) demo

# The suite runs optimised: the queueing-theory tests simulate millions of incidents.
TEST_FLAGS := -c release -Xswiftc -enable-testing $(SWIFT_BUILD_FLAGS)

test: deps
	swift build --build-tests $(TEST_FLAGS)
	swift test --skip-build $(TEST_FLAGS)

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

release: deps
	swift build -c release $(SWIFT_BUILD_FLAGS)

validate: release
	$(RELEASE) validate specialists simulations

# Simulator benchmark: prints its figures as JSON (release build, one thread).
bench: release
	$(RELEASE) bench simulate

# Just the queueing-theory validation (part of `make test` too).
test-queueing: deps
	swift test $(TEST_FLAGS) --filter QueueingValidation

# Install what is missing: with apt-get when root, otherwise say exactly what to install.
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "Missing Debian packages: $$missing"; \
			echo "Install them with: sudo apt-get install $$missing"; \
			exit 1; \
		fi; \
	fi
	@command -v swift >/dev/null || { echo "Swift is not on PATH: install the Swift 6 toolchain from swift.org"; exit 1; }

clean:
	rm -rf .build
