#include "hwmodel/gemm_runner.hpp"

#include <algorithm>
#include <stdexcept>

namespace bitexact::hw {

namespace {
uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
}  // namespace

GemmEstimate estimate_gemm(const ArraySpec& ar, const GemmShape& g, const MemorySpec& mem) {
  const UnitTiming& u = ar.unit;
  if (g.M == 0 || g.N == 0 || g.K == 0) throw std::invalid_argument("gemm runner: M, N and K must be positive");
  if (ar.rows < 1 || ar.cols < 1 || u.tile_m < 1 || u.tile_n < 1 || u.tile_k < 1 || u.cycles_per_op < 1 || u.latency < 0)
    throw std::invalid_argument("gemm runner: array dimensions, unit tile and cycles must be positive");
  GemmEstimate e;
  const uint64_t TM = uint64_t(ar.rows) * uint64_t(u.tile_m), TN = uint64_t(ar.cols) * uint64_t(u.tile_n);
  e.tiles_m = ceil_div(g.M, TM);
  e.tiles_n = ceil_div(g.N, TN);
  e.tiles = e.tiles_m * e.tiles_n;
  e.ops_per_tile = ceil_div(g.K, uint64_t(u.tile_k));
  e.ops = e.tiles * e.ops_per_tile;
  uint64_t skew = 0;
  if (ar.systolic) {
    // The last tile (bottom-right) uses the rows and columns of units its remainder needs.
    const uint64_t used_r = ceil_div(g.M - (e.tiles_m - 1) * TM, uint64_t(u.tile_m));
    const uint64_t used_c = ceil_div(g.N - (e.tiles_n - 1) * TN, uint64_t(u.tile_n));
    skew = (used_r - 1) + (used_c - 1);
  }
  e.cycles = (e.ops - 1) * uint64_t(u.cycles_per_op) + uint64_t(u.latency) + skew;
  e.macs = double(g.M) * double(g.N) * double(g.K);
  e.peak_macs_per_cycle = double(ar.rows) * double(ar.cols) * u.macs_per_cycle();
  e.macs_per_cycle = e.cycles ? e.macs / double(e.cycles) : 0;
  e.utilization = e.macs_per_cycle / e.peak_macs_per_cycle;
  e.tile_utilization = e.macs / (double(e.ops) * double(TM) * double(TN) * double(u.tile_k));
  // Traffic.
  const double M = double(g.M), N = double(g.N), K = double(g.K);
  e.sram_a_reads = double(e.tiles_n) * M * K;
  e.sram_b_reads = double(e.tiles_m) * N * K;
  e.sram_c_writes = M * N;
  e.sram_c_reads = mem.addend ? M * N : 0;
  e.a_panel_fits = double(std::min<uint64_t>(TM, g.M)) * K * mem.a_bits / 8 <= double(mem.a_buffer_bytes);
  e.b_fits = N * K * mem.b_bits / 8 <= double(mem.b_buffer_bytes);
  e.dram_a = e.a_panel_fits ? M * K : double(e.tiles_n) * M * K;
  e.dram_b = e.b_fits ? N * K : double(e.tiles_m) * N * K;
  e.dram_c = M * N * (mem.addend ? 2 : 1);
  e.sram_bytes = (e.sram_a_reads * mem.a_bits + e.sram_b_reads * mem.b_bits +
                  (e.sram_c_writes + e.sram_c_reads) * mem.c_bits) / 8;
  e.dram_bytes = (e.dram_a * mem.a_bits + e.dram_b * mem.b_bits + e.dram_c * mem.c_bits) / 8;
  return e;
}

}  // namespace bitexact::hw
