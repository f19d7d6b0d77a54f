# The two commands of the README: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build run test test-long bench fuzz clean

all: build

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
