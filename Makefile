# medvault — the two commands of the quick start:
#   make demo   set up, build, and run a demo server with one account per role
#   make test   set up, build with ASan+UBSan, run every test and the fuzzers briefly
# Other targets: build (release), web (the web app), web-test (its browser test against
# the ASan build), bench, fuzz, format, clean.

SHELL := /bin/bash
DEMO_DIR ?= build/demo-data
FUZZ_SECONDS ?= 10

.PHONY: setup build web web-test demo test unit-tests fuzz bench format format-check clean

setup:
	@./scripts/setup.sh

build: setup
	cmake --preset release
	cmake --build --preset release

demo: build web
	rm -rf $(DEMO_DIR)
	./build/release/medvault demo --data $(DEMO_DIR) $(DEMO_ARGS)

# The unit tests keep both cores busy; the integration suites mostly wait (TOTP steps,
# timers, the server's answers: about one core in use at -j4 on the 2-core machine), so
# three run at once. The output of failed tests is printed last, where CI's log shows it.
test: setup
	cmake --preset asan
	cmake --build --preset asan
	ctest --preset asan -j2 -LE integration || { ./scripts/ctest_failures.sh build/asan; exit 1; }
	ctest --preset asan -j3 -L integration || { ./scripts/ctest_failures.sh build/asan; exit 1; }
	$(MAKE) --no-print-directory web-test
	$(MAKE) --no-print-directory fuzz

# The web application's dictionary and error-label check (web/unit, under Node), then its
# browser test (web/e2e: Chromium driven by playwright-core)
# against the ASan server `make test` builds; screenshots land in web/artifacts.
# Separate from ctest so that the browser and the server do not compete with two other
# tests for the two cores. MEDVAULT_BIN=build/release/medvault tests another binary.
web-test: web
	cd web && npm run unit
	cd web && MEDVAULT_BIN=$${MEDVAULT_BIN:-$(CURDIR)/build/asan/medvault} npm run e2e

fuzz: setup
	cmake --preset fuzz
	cmake --build --preset fuzz
	./fuzz/run_briefly.sh $(FUZZ_SECONDS)

# The web application (web/dist), which the server serves at /.
web: setup
	cd web && npm run build

bench: build
	./bench/read_benchmark.sh

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build
