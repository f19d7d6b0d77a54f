# The two commands of the README: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build run test test-long test-asan test-asan-replay bench fuzz clean help

all: build

help:
	@echo 'make run        install deps, build, write the design-space report (bitexact explore) to out/explore/'
	@echo 'make test       install deps, build, run every CI test (labels unit, exhaustive, cli, rtl)'
	@echo 'make test-long  the long sweeps (all 2^32 float32 inputs into every <=8-bit format)'
	@echo 'make test-asan  the suite under AddressSanitizer + UBSan in build-asan/ (reduced exhaustive sweeps, no RTL)'
	@echo 'make test-asan-replay  CI'"'"'s sanitizer subset: every fuzz corpus replayed under ASan + UBSan (build-asan-replay/)'
	@echo 'make fuzz       the libFuzzer targets for FUZZ_SECONDS each (clang 14, build-fuzz/)'
	@echo 'make bench      the Google Benchmark programs'
	@echo 'make clean      remove $(BUILD_DIR)/'

deps:
	@tools/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The main job: the design-space report of formats x units on the built-in workload (README
# "Design-space exploration"); `bitexact selfcheck` is the conformance run that used to be here.
EXPLORE_DIR ?= out/explore
run: build
	$(BUILD_DIR)/tools/bitexact/bitexact explore --out-dir $(EXPLORE_DIR)
	@echo "Report: $(EXPLORE_DIR)/report.html (data: results.csv, layers.csv, results.json beside it)"

# Every CI test (labels unit, exhaustive, cli, rtl); test-long runs the long sweeps.
test: build
	cd $(BUILD_DIR) && ctest -LE long -j $(JOBS) --output-on-failure

test-long: build
	cd $(BUILD_DIR) && ctest -L long --output-on-failure

# libFuzzer targets (tests/fuzz/README.md): clang 14 build in build-fuzz, FUZZ_SECONDS (60) per target.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

# AddressSanitizer + UndefinedBehaviorSanitizer: the whole suite but the long sweeps, the Verilator
# RTL simulations and the yosys runs, built -O1 without LTO in $(ASAN_DIR). Any report stops the test
# (halt_on_error); the exhaustive suites run their reduced sweep (BITEXACT_REDUCED=1, case counts printed).
ASAN_DIR ?= build-asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CCACHE := $(shell command -v ccache 2>/dev/null)
SAN_ENV := ASAN_OPTIONS=halt_on_error=1:abort_on_error=0:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:print_stacktrace=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 BITEXACT_REDUCED=1
ASAN_CTEST ?= -LE long -E '^rtl_synth'

$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O1 -g' -DCMAKE_C_FLAGS_RELWITHDEBINFO='-O1 -g' \
	  -DCMAKE_CXX_FLAGS='$(ASAN_FLAGS)' -DCMAKE_C_FLAGS='$(ASAN_FLAGS)' \
	  -DCMAKE_EXE_LINKER_FLAGS='$(ASAN_FLAGS)' -DCMAKE_SHARED_LINKER_FLAGS='$(ASAN_FLAGS)' \
	  -DBITEXACT_WITH_RTL=OFF -DBITEXACT_WITH_BENCH=OFF $(if $(CCACHE),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

test-asan: deps $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && $(SAN_ENV) ctest $(ASAN_CTEST) -j $(JOBS) --output-on-failure

# CI's sanitizer subset (.ci/run, README "Reliability"): every parser of outside input replays its
# committed fuzz corpus under ASan + UBSan. Built at -O0 without debug info because compiling, not
# running, is the cost: about 215 s of CPU against 500 s at -O1 -g; the replays take seconds.
ASAN_REPLAY_DIR ?= build-asan-replay
$(ASAN_REPLAY_DIR)/build.ninja:
	cmake -S . -B $(ASAN_REPLAY_DIR) -G Ninja -DCMAKE_BUILD_TYPE=None \
	  -DCMAKE_CXX_FLAGS='-O0 $(ASAN_FLAGS)' -DCMAKE_C_FLAGS='-O0 $(ASAN_FLAGS)' \
	  -DCMAKE_EXE_LINKER_FLAGS='$(ASAN_FLAGS)' -DCMAKE_SHARED_LINKER_FLAGS='$(ASAN_FLAGS)' \
	  -DBITEXACT_WITH_RTL=OFF -DBITEXACT_WITH_BENCH=OFF $(if $(CCACHE),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

test-asan-replay: deps $(ASAN_REPLAY_DIR)/build.ninja
	cmake --build $(ASAN_REPLAY_DIR) --target fuzz_all -j $(JOBS)
	cd $(ASAN_REPLAY_DIR) && $(SAN_ENV) ctest -R '^fuzz_replay[.]' -j $(JOBS) --output-on-failure

# bench_lockstep (verilated lockstep throughput) is built only here, not by `make test`; needs Verilator.
bench: build
	$(BUILD_DIR)/tools/bench/bench_convert
	$(BUILD_DIR)/tools/bench/bench_ops
	$(BUILD_DIR)/tools/bench/bench_block
	$(BUILD_DIR)/tools/bench/bench_dpi
	$(BUILD_DIR)/tools/bench/bench_hw
	$(BUILD_DIR)/tools/bench/bench_hw_units
	$(BUILD_DIR)/tools/bench/bench_gemm
	if grep -q '^build bench_lockstep:' $(BUILD_DIR)/build.ninja; then \
	  cmake --build $(BUILD_DIR) -j $(JOBS) --target bench_lockstep && $(BUILD_DIR)/tools/bench/bench_lockstep; fi

clean:
	rm -rf $(BUILD_DIR)
