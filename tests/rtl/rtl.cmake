# tests/rtl: included from tests/CMakeLists.txt (so bitexact_test and main.cpp are the suite's own).
# The DPI-C golden model (rtl/dpi): numbering, oracle agreement, status codes.
bitexact_test(rtl_dpi rtl rtl/test_dpi.cpp)
target_link_libraries(rtl_dpi PRIVATE bitexact_dpi)
target_compile_definitions(rtl_dpi PRIVATE BITEXACT_DPI_PKG="${PROJECT_SOURCE_DIR}/rtl/dpi/bitexact_dpi_pkg.sv")
# A small E4M3 multiplier checked exhaustively (codes and flags) under Verilator against the DPI-C
# model called from SystemVerilog, and three deliberately wrong variants that must be caught
# (rtl/dpi/examples).
if(BITEXACT_WITH_RTL)
  set(_ex ${PROJECT_SOURCE_DIR}/rtl/dpi/examples)
  add_executable(rtl_sim_fp8_e4m3_mul ${_ex}/sim_fp8_e4m3_mul.cpp)
  target_link_libraries(rtl_sim_fp8_e4m3_mul PRIVATE bitexact_dpi)
  target_compile_options(rtl_sim_fp8_e4m3_mul PRIVATE -Wno-unused-parameter)  # Verilator's own headers
  verilate(rtl_sim_fp8_e4m3_mul
    SOURCES ${PROJECT_SOURCE_DIR}/rtl/dpi/bitexact_dpi_pkg.sv ${_ex}/fp8_e4m3_mul.sv ${_ex}/tb_fp8_e4m3_mul.sv
    TOP_MODULE tb_fp8_e4m3_mul PREFIX Vtb_fp8_e4m3_mul
    VERILATOR_ARGS -Wall OPT_FAST -O2 OPT_SLOW -O1)
  function(rtl_sim_test name)
    add_test(NAME rtl_sim.fp8_e4m3_mul.${name} COMMAND rtl_sim_fp8_e4m3_mul ${ARGN})
    set_tests_properties(rtl_sim.fp8_e4m3_mul.${name} PROPERTIES LABELS rtl)
  endfunction()
  rtl_sim_test(good)
  rtl_sim_test(saturating +sat)
  rtl_sim_test(fault_truncate_caught +fault=1 +expect_fault)
  rtl_sim_test(fault_no_sticky_caught +fault=2 +expect_fault)
  # Tininess before rounding changes flags only: caught by the flags, invisible to codes alone.
  rtl_sim_test(fault_tininess_caught +fault=3 +expect_fault)
  rtl_sim_test(fault_tininess_codes_only +fault=3 +noflags)
endif()
# The README walkthrough: bitexact gen -> the verilated testbench replays the .tv -> bitexact verify.
if(BITEXACT_WITH_RTL)
  bitexact_test(rtl_walkthrough rtl rtl/test_walkthrough.cpp)
  target_include_directories(rtl_walkthrough PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(rtl_walkthrough PRIVATE BITEXACT_BIN="$<TARGET_FILE:bitexact>"
    SIM_BIN="$<TARGET_FILE:rtl_sim_fp8_e4m3_mul>")
  add_dependencies(rtl_walkthrough bitexact rtl_sim_fp8_e4m3_mul)
endif()
# The example datapath stays synthesizable: yosys (tools/install-deps.sh installs it) maps it to gates.
find_program(BITEXACT_YOSYS yosys)
if(BITEXACT_YOSYS)
  add_test(NAME rtl_synth.fp8_e4m3_mul COMMAND ${BITEXACT_YOSYS} -q -p
    "read_verilog -sv ${PROJECT_SOURCE_DIR}/rtl/dpi/examples/fp8_e4m3_mul.sv; synth -top fp8_e4m3_mul; stat")
  set_tests_properties(rtl_synth.fp8_e4m3_mul PROPERTIES LABELS rtl)
endif()
# The bit-serial PE (rtl/units/bitserial) in lockstep with hwmodel/bitserial's BitSerialPe: int8 x int4
# (bit planes and radix-4 Booth in one top) and E4M3 x E2M1 terms, 4 lanes; each top carries its FAULT
# variants. The verilated configurations are rtl/sim's library (shared with tools/bench).
if(BITEXACT_WITH_RTL)
  bitexact_test(rtl_lockstep_bitserial rtl rtl/test_lockstep_bitserial.cpp)
  target_link_libraries(rtl_lockstep_bitserial PRIVATE bitexact_rtl_models)
endif()
# The hardware units (rtl/units) in lockstep with their C++ models (hwmodel/) through the harness
# rtl/sim/lockstep.hpp; the verilated configurations (rtl/sim/CMakeLists.txt) carry TRACE_FST.
if(BITEXACT_WITH_RTL)
  # mac: INT8 x INT8 DP4 with exact INT32 accumulation (the top carries the FAULT 1..2 variants);
  # floating-point DP4s with a fused register (v100-fp16), float32 out: E4M3 (FAULT=1, a 13-bit
  # register), E5M2, FP16, FP6, FP4, E4M3 x E2M1 (FP4 FAULT=2), BF16, MX block inputs (MXFP8 / 6 / 4,
  # E8M0 scales; FAULT=3) (one verilated top); the array.
  bitexact_test(rtl_lockstep_mac rtl rtl/test_lockstep_mac.cpp)
  target_link_libraries(rtl_lockstep_mac PRIVATE bitexact_rtl_models)
endif()
# The mac units stay in the subset yosys 0.23 reads and maps to gates.
if(BITEXACT_YOSYS)
  foreach(_t int fp)
    add_test(NAME rtl_synth.mac_dpn_${_t} COMMAND ${BITEXACT_YOSYS} -q -p
      "read_verilog -sv ${PROJECT_SOURCE_DIR}/rtl/pkg/bitexact_formats_pkg.sv ${PROJECT_SOURCE_DIR}/rtl/units/mac/bitexact_mac_out_pipe.sv ${PROJECT_SOURCE_DIR}/rtl/units/mac/bitexact_mac_dpn_${_t}.sv; synth -top bitexact_mac_dpn_${_t}; stat")
    set_tests_properties(rtl_synth.mac_dpn_${_t} PROPERTIES LABELS rtl)
  endforeach()
endif()
# Area from synthesis (rtl/synth): the stored figures (hwmodel/tech/yosys_area.toml) are current: every
# configuration's RTL hash matches; the smallest, the E4M3 multiplier and the mac unit are re-synthesized
# and compared cell by cell (which also keeps them in the subset yosys 0.23 reads).
find_program(BITEXACT_PYTHON3 python3)
if(BITEXACT_YOSYS AND BITEXACT_PYTHON3)
  add_test(NAME rtl_synth.area_current COMMAND ${BITEXACT_PYTHON3} ${PROJECT_SOURCE_DIR}/rtl/synth/synth.py
    --check int_add_8 fp8_e4m3_mul mac_int8_dp4)
  set_tests_properties(rtl_synth.area_current PROPERTIES LABELS rtl TIMEOUT 120)
endif()
# lut: the LUT Tensor Core tile (rtl/units/lut) in lockstep with hw::LutTile, K = 4, W_BIT 1..4 and
# every weight mapping through the tile's configuration ports. M2N8 PIPELINE=1: int8 tables into
# INT32 beside its three FAULT variants and FP16 tables into FP32 (lut_tile_faults.sv); the default
# M2N64 PIPELINE=2 with FP16 tables into INT32 (exact for int8 activations).
if(BITEXACT_WITH_RTL)
  bitexact_test(rtl_lockstep_lut rtl rtl/test_lockstep_lut.cpp)
  target_link_libraries(rtl_lockstep_lut PRIVATE bitexact_rtl_models)
endif()
# The LUT tile stays synthesizable by yosys 0.23 (its synthesis top, a small N, both table types).
if(BITEXACT_YOSYS)
  add_test(NAME rtl_synth.lut_tile COMMAND ${BITEXACT_YOSYS} -q -p
    "read_verilog -sv ${PROJECT_SOURCE_DIR}/rtl/units/lut/lut_tile.sv ${PROJECT_SOURCE_DIR}/rtl/units/lut/lut_fp32_add.sv ${PROJECT_SOURCE_DIR}/rtl/units/lut/lut_tile_syn.sv; chparam -set N 2 -set W_BIT 2 -set TABLE 1 lut_tile_syn; synth -flatten -top lut_tile_syn; stat")
  set_tests_properties(rtl_synth.lut_tile PROPERTIES LABELS rtl)
endif()
