# Tender: two commands on a fresh Debian machine with the Swift toolchain.
#   make run    the main job
#   make test   the whole test suite
SHELL := /bin/bash

# Debian packages the build, the tests and the reports need.
DEBIAN_PACKAGES := pkg-config libuv1-dev libsqlite3-dev libjs-chart.js libhttp-parser-dev libopenblas-dev chromium prometheus
SWIFT_BUILD_FLAGS ?=
RELEASE := .build/release/tender

.PHONY: run test build release deps demo validate clean bench test-queueing proto bench-coordinator bench-http openapi-check api-fuzz dashboard-screenshot

# The live system: coordinator, a pool of the four specialists and a storm feeder; Ctrl-C stops
# it cleanly with a summary. The demo runs every step without asking (`up` alone gates high-risk
# steps on a person, and unanswered requests would escalate the storm).
run: deps release
	$(RELEASE) up --http 127.0.0.1:8080 --approval-risk none

# The suite runs optimised: the queueing-theory tests simulate millions of incidents. It builds
# in its own scratch path: `-enable-testing` changes every module's flags, so sharing
# .build/release with `make run` would make each rebuild everything the other built. The CLI
# and live tests run the `tender` built beside the test runner (.build/test/release/tender).
TEST_SCRATCH := .build/test
TEST_FLAGS := -c release --scratch-path $(TEST_SCRATCH) -Xswiftc -enable-testing $(SWIFT_BUILD_FLAGS)

test: deps
	swift build --build-tests $(TEST_FLAGS)
	swift test --skip-build $(TEST_FLAGS)

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

release: deps
	swift build -c release $(SWIFT_BUILD_FLAGS)

validate: release
	$(RELEASE) validate specialists simulations policies

# Simulator benchmark: prints its figures as JSON (release build, one thread).
bench: release
	$(RELEASE) bench simulate

# Live coordinator benchmark over loopback TCP with real specialist processes (JSON figures).
bench-coordinator: release
	$(RELEASE) bench coordinator --specialists 4 --cfp-sample 2 --rate 50000 --duration 5 --json
	$(RELEASE) bench coordinator --specialists 4 --rate 40000 --duration 5 --json
	$(RELEASE) bench coordinator --specialists 4 --rate 25000 --duration 5 --json
	$(RELEASE) bench coordinator --specialists 4 --rate 80000 --duration 5 --json
	$(RELEASE) bench coordinator --specialists 4,64,256,1024 --cfp-sample 2 --rate 25000 --duration 5 --json

# Regenerate the wire protocol's Swift code (committed, so builds do not need the plugin).
# PROTOC_GEN_SWIFT points at a protoc-gen-swift 1.39 binary (swift-protobuf's plugin).
PROTOC_GEN_SWIFT ?= $(shell command -v protoc-gen-swift || echo /tmp/protogen/sp/.build/release/protoc-gen-swift)
proto:
	@command -v protoc >/dev/null || { echo "protoc is missing: apt-get install protobuf-compiler"; exit 1; }
	@test -x "$(PROTOC_GEN_SWIFT)" || { echo "protoc-gen-swift not found: build swift-protobuf's plugin (swift build -c release --product protoc-gen-swift) and set PROTOC_GEN_SWIFT"; exit 1; }
	protoc --plugin=protoc-gen-swift=$(PROTOC_GEN_SWIFT) --swift_out=Sources/TenderWire --swift_opt=Visibility=Public -I proto proto/tender.proto

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
	@python3 -c "import openapi_spec_validator" 2>/dev/null || { \
		echo "Installing openapi-spec-validator from PyPI (the OpenAPI test uses it)"; \
		python3 -m pip install -q openapi-spec-validator 2>/dev/null || python3 -m pip install -q --break-system-packages openapi-spec-validator; }

clean:
	rm -rf .build

# HTTP API: requests/s of POST /v1/incidents and GET /v1/fairness over keep-alive (JSON figures).
bench-http: release
	$(RELEASE) bench http --json

# The OpenAPI file is valid (pip install openapi-spec-validator).
openapi-check:
	python3 -c "import sys; from openapi_spec_validator import validate; from openapi_spec_validator.readers import read_from_filename; validate(read_from_filename(sys.argv[1])[0]); print(sys.argv[1] + ': valid')" docs/openapi.yaml

# Property-based fuzz of the API from docs/openapi.yaml (pip install schemathesis) against the
# synthetic backend: no 5xx, every response matching the schema, every schema-valid request
# accepted. Not checked: that every schema-violating request is refused. The schema states
# lengths in characters, set so any valid string fits the coordinator's UTF-8 byte limits
# (e.g. 256 characters for a 1,024-byte entity value); the coordinator enforces the bytes, so
# a 300-character ASCII value is accepted though the schema is stricter.
API_FUZZ_PORT ?= 18089
api-fuzz: release
	@token=$$(mktemp); echo fuzz-token > $$token; \
	$(RELEASE) bench http --serve 127.0.0.1:$(API_FUZZ_PORT) --api-token-file $$token & pid=$$!; \
	trap "kill $$pid; rm -f $$token" EXIT; sleep 1; \
	st run docs/openapi.yaml --url http://127.0.0.1:$(API_FUZZ_PORT) -H "Authorization: Bearer fuzz-token" --checks all --exclude-checks negative_data_rejection --max-examples 50 --exclude-path /events

# Refresh docs/dashboard.png: headless Chromium against the synthetic backend.
dashboard-screenshot: deps
	TENDER_SCREENSHOT=$(CURDIR)/docs/dashboard.png swift test --filter BrowserTests
