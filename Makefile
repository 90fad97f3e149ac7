# kharuul: the README's two commands and the developer targets.
#
#   make run     installs what is missing, builds, serves config/demo.toml
#   make test    installs what is missing, builds, runs every test tier (ctest)
#   make fuzz    libFuzzer + ASan + UBSan on the parser, then on the SMPP codec, for FUZZ_SECONDS each (clang, build-fuzz/)
#   make bench   Release build in build-release/ and bench/run
#   make bench-http  Release build in build-release/ and bench/http.sh (gateway vs bare HTTP and Kannel)
#   make bench-report  Release build and bench/report.sh (a year's report over a generated store)
#   make install builds, then installs the binary, a commented configuration, the systemd units and
#                the docs (PREFIX=/usr/local, DESTDIR honoured; see docs/operators-guide.md)
#   make clean   removes the build directories
#
# On a fresh Debian 12 machine, as root or with sudo. Two cores: builds and tests use -j$(JOBS).

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 1024
FUZZ_SMPP_MAX_LEN ?= 4096
# 1: check replies for valid UTF-8 only when the input was valid UTF-8, to keep fuzzing for other
# problems while the echo of invalid input (tests/fuzz/findings/) is open.
FUZZ_VALID_INPUT_ONLY ?= 0
RELEASE_DIR ?= build-release
DEMO_CONFIG ?= config/demo.toml
DEMO_TEXT ?= ID ALT 2B 12 MINE SHAFT

# Debian 12 packages the build (libssl-dev: OpenSSL for outbound https://, whose default trust is
# ca-certificates' store; libedit: line editing in `kharuul simulate`; zlib1g-dev: the dashboard's
# files gzip-compressed), the tests (Kannel, wrk and curl for the integration tier; chromium
# and poppler-utils' pdfinfo print the code card, chromium runs the dashboard's browser tests; systemd's systemd-analyze verifies the units),
# the fuzzer (clang with its runtime) and the benchmark need; libnet-smpp-perl is the SMSC the SMPP
# channel's tests bind to, stunnel4 puts TLS in front of it; linux-perf profiles the benchmark.
DEB_PACKAGES := build-essential cmake pkg-config \
	libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-program-options1.81-dev \
	libsqlitecpp-dev libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev libtomlplusplus-dev \
	libssl-dev zlib1g-dev libgtest-dev libgmock-dev googletest libbenchmark-dev clang libclang-rt-14-dev libedit-dev \
	kannel wrk curl ca-certificates procps \
	chromium poppler-utils systemd libnet-smpp-perl stunnel4 linux-perf

SHELL := /bin/bash
MAKEFLAGS += --no-print-directory
KHARUUL := $(BUILD_DIR)/kharuul

.PHONY: deps build test run fuzz bench bench-http clean install install-files

# Fast path: nothing to do when dpkg knows every package as installed. Otherwise apt-get, as
# root, or through sudo when we are not root and sudo exists.
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  [[ "$$(dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null)" == "install ok installed" ]] || missing="$$missing $$p"; \
	done; \
	if [[ -z "$$missing" ]]; then echo "deps: all $(words $(DEB_PACKAGES)) Debian packages are installed"; exit 0; fi; \
	echo "deps: installing:$$missing"; \
	if [[ $$(id -u) -eq 0 ]]; then sudo=""; \
	elif command -v sudo >/dev/null; then sudo="sudo"; \
	else echo "deps: missing packages and neither root nor sudo; install them:$$missing" >&2; exit 1; fi; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEB_PACKAGES)

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j$(JOBS)

# ctest's exit status is make's.
test: build peers
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

# The peers' own code the tests run, each installed by `npm ci` from its committed lockfile (the
# network is needed once; the tests run offline after): Twilio's helper library (npm `twilio`) in
# tests/peers/twilio, and Ajv with ajv-formats in tests/peers/openapi, which validate the API's real
# answers against api/openapi.json. npm is used where it exists (Node.js 20 brings its own, which
# conflicts with Debian's npm package); otherwise Debian's nodejs and npm are installed.
TWILIO_PEER := tests/peers/twilio
OPENAPI_PEER := tests/peers/openapi
NODE_PEERS := $(TWILIO_PEER) $(OPENAPI_PEER)
.PHONY: peers node-tools
peers: $(addsuffix /node_modules/.package-lock.json,$(NODE_PEERS))

node-tools:
	@if ! command -v npm >/dev/null; then \
	  echo "peers: installing Debian's nodejs and npm"; \
	  if [[ $$(id -u) -eq 0 ]]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; \
	  else echo "peers: npm is missing and neither root nor sudo; install nodejs and npm" >&2; exit 1; fi; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm; \
	fi

%/node_modules/.package-lock.json: %/package.json %/package-lock.json | node-tools
	npm ci --prefix $* --no-audit --no-fund --ignore-scripts
	@touch $@

# The dashboard's browser tests (tests/browser): playwright-core from the committed lockfile,
# driving Debian's chromium (no browser is downloaded: --ignore-scripts, and the tests set
# executablePath to /usr/bin/chromium). npm comes with the peers above.
BROWSER_TESTS := tests/browser
peers: $(BROWSER_TESTS)/node_modules/.package-lock.json

$(BROWSER_TESTS)/node_modules/.package-lock.json: $(BROWSER_TESTS)/package.json $(BROWSER_TESTS)/package-lock.json \
		$(TWILIO_PEER)/node_modules/.package-lock.json
	npm ci --prefix $(BROWSER_TESTS) --no-audit --no-fund --ignore-scripts
	@touch $@

# Serves the demo configuration once the daemon exists; until then shows the command line and
# how the demo configuration reads a sample message.
run: build
	@if out=$$($(KHARUUL) serve --help 2>&1) && grep -q serve <<<"$$out"; then \
	  echo "+ $(KHARUUL) serve --config $(DEMO_CONFIG)"; \
	  exec $(KHARUUL) serve --config $(DEMO_CONFIG); \
	else \
	  echo "run: 'kharuul serve' is not there yet; showing the command line and a parsed sample instead"; \
	  echo "+ $(KHARUUL) --help"; \
	  $(KHARUUL) --help; \
	  echo "+ $(KHARUUL) parse --config $(DEMO_CONFIG) \"$(DEMO_TEXT)\""; \
	  $(KHARUUL) parse --config $(DEMO_CONFIG) "$(DEMO_TEXT)"; \
	fi

# The parser under libFuzzer with ASan and UBSan, seeded by tests/fuzz/corpus; new inputs go to
# $(FUZZ_DIR)/corpus, crashes to $(FUZZ_DIR)/artifacts/. A crash stops the run with libFuzzer's
# exit status; copy its input to tests/fuzz/findings/ to make it a test.
fuzz: deps
	cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DKHARUUL_FUZZ=ON -DKHARUUL_TESTS=ON -DKHARUUL_BENCH=OFF
	cmake --build $(FUZZ_DIR) --target fuzz_parser fuzz_smpp -j$(JOBS)
	mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts $(FUZZ_DIR)/smpp_corpus $(FUZZ_DIR)/smpp_artifacts
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	  KHARUUL_FUZZ_VALID_INPUT_ONLY=$(FUZZ_VALID_INPUT_ONLY) \
	  $(FUZZ_DIR)/fuzz_parser -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=$(FUZZ_MAX_LEN) \
	  -dict=tests/fuzz/sms.dict -artifact_prefix=$(FUZZ_DIR)/artifacts/ -print_final_stats=1 \
	  $(FUZZ_DIR)/corpus tests/fuzz/corpus
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	  $(FUZZ_DIR)/fuzz_smpp -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=$(FUZZ_SMPP_MAX_LEN) \
	  -artifact_prefix=$(FUZZ_DIR)/smpp_artifacts/ -print_final_stats=1 \
	  $(FUZZ_DIR)/smpp_corpus tests/fuzz/smpp_corpus

bench: deps
	cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DKHARUUL_TESTS=OFF -DKHARUUL_BENCH=ON
	cmake --build $(RELEASE_DIR) --target bench_parser -j$(JOBS)
	BENCH_BIN=$(RELEASE_DIR)/bench_parser bench/run

# The daemon's benchmark (issue 13): bare server, gateway and Kannel interleaved, the fsync floor,
# latency and reads on a generated 1,000,000-message store (gen_store writes it once and keeps it in
# $(RELEASE_DIR)/bench-report, beside the report benchmark's), the realistic mix, overload, and
# bench/kannel_backlog.sh when it is there.
bench-http: deps
	cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DKHARUUL_TESTS=OFF -DKHARUUL_BENCH=ON
	cmake --build $(RELEASE_DIR) --target kharuul bare_server loadgen fsync_floor gen_store -j$(JOBS)
	BENCH_DIR=$(RELEASE_DIR) bench/http.sh

# The report benchmark: bench/gen_store writes a year's store once (kept in $(RELEASE_DIR)), then
# bench/report.sh times `kharuul report` on one core against the sqlite3 baseline. /usr/bin/time
# comes from Debian's `time`, installed here when missing.
.PHONY: bench-report
bench-report: deps
	@if [[ ! -x /usr/bin/time ]]; then \
	  if [[ $$(id -u) -eq 0 ]]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; \
	  else echo "bench-report: /usr/bin/time is missing; install Debian's time" >&2; exit 1; fi; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends time; \
	fi
	cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DKHARUUL_TESTS=OFF -DKHARUUL_BENCH=ON
	cmake --build $(RELEASE_DIR) --target kharuul gen_store -j$(JOBS)
	BENCH_DIR=$(RELEASE_DIR) bench/report.sh

# Installing as a service. `install` builds first; `install-files` copies an existing build (the
# tests use it with DESTDIR). The units and the configuration are written with this install's
# paths. An existing configuration is never overwritten. As root with no DESTDIR, the `kharuul`
# user and the store's folder are created with systemd-sysusers and systemd-tmpfiles
# (CREATE_USER=0 skips that).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DOCDIR ?= $(PREFIX)/share/doc/kharuul
SYSCONFDIR ?= /etc
STATEDIR ?= /var/lib/kharuul
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
CREATE_USER ?= $(if $(DESTDIR),0,1)
INSTALL_PATHS := -e 's|/usr/local/bin/kharuul|$(BINDIR)/kharuul|g' -e 's|/etc/kharuul|$(SYSCONFDIR)/kharuul|g' \
	-e 's|/var/lib/kharuul|$(STATEDIR)|g' -e 's|/usr/local/share/doc/kharuul|$(DOCDIR)|g'

install: build
	@$(MAKE) install-files

install-files:
	@if [[ ! -x $(KHARUUL) ]]; then echo "install: $(KHARUUL) is not built; run make install" >&2; exit 1; fi
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR)/kharuul $(DESTDIR)$(DOCDIR) \
	  $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -d -m 0750 $(DESTDIR)$(STATEDIR)
	install -m 0755 $(KHARUUL) $(DESTDIR)$(BINDIR)/kharuul
	sed $(INSTALL_PATHS) packaging/kharuul.service > $(DESTDIR)$(UNITDIR)/kharuul.service
	sed $(INSTALL_PATHS) packaging/kharuul.socket > $(DESTDIR)$(UNITDIR)/kharuul.socket
	sed $(INSTALL_PATHS) packaging/kharuul.sysusers > $(DESTDIR)$(SYSUSERSDIR)/kharuul.conf
	sed $(INSTALL_PATHS) packaging/kharuul.tmpfiles > $(DESTDIR)$(TMPFILESDIR)/kharuul.conf
	chmod 0644 $(DESTDIR)$(UNITDIR)/kharuul.service $(DESTDIR)$(UNITDIR)/kharuul.socket \
	  $(DESTDIR)$(SYSUSERSDIR)/kharuul.conf $(DESTDIR)$(TMPFILESDIR)/kharuul.conf
	sed $(INSTALL_PATHS) packaging/kharuul.toml > $(DESTDIR)$(DOCDIR)/kharuul.toml.example
	install -m 0644 README.md docs/*.md config/demo.toml $(DESTDIR)$(DOCDIR)/
	@conf=$(DESTDIR)$(SYSCONFDIR)/kharuul/kharuul.toml; \
	if [[ -e "$$conf" ]]; then \
	  echo "install: kept the existing $$conf (the shipped one is $(DESTDIR)$(DOCDIR)/kharuul.toml.example)"; \
	else \
	  install -m 0640 $(DESTDIR)$(DOCDIR)/kharuul.toml.example "$$conf" && echo "install: wrote $$conf"; \
	fi
	@if [[ "$(CREATE_USER)" == 1 && $$(id -u) -eq 0 ]] && command -v systemd-sysusers >/dev/null; then \
	  systemd-sysusers $(SYSUSERSDIR)/kharuul.conf && systemd-tmpfiles --create $(TMPFILESDIR)/kharuul.conf && \
	  chgrp kharuul $(SYSCONFDIR)/kharuul/kharuul.toml && \
	  echo "install: user kharuul and $(STATEDIR) ready; now: systemctl daemon-reload && systemctl enable --now kharuul"; \
	fi

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR) $(RELEASE_DIR)
