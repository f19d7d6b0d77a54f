#include "hwmodel/bitserial/array.hpp"

#include <algorithm>
#include <stdexcept>

namespace bitexact::hw {

BitSerialArray::BitSerialArray(const BitSerialConfig& c, const Env& env, std::shared_ptr<const SerialTables> tables)
    : cfg_(c) {
  if (!tables) tables = make_serial_tables(c, env);
  pe_.reserve(size_t(c.rows) * size_t(c.cols));
  for (int i = 0; i < c.rows * c.cols; ++i) pe_.emplace_back(c, env, tables);
  out_.resize(pe_.size());
}

uint64_t BitSerialArray::wide_groups() const {
  uint64_t n = 0;
  for (const auto& p : pe_) n += p.wide_groups();
  return n;
}

void BitSerialArray::reset() {
  for (auto& p : pe_) p.reset();
  cycle_ = 0;
}

std::span<const SerialOutputs> BitSerialArray::step(const SerialArrayInputs& in) {
  ++cycle_;
  const size_t rows = size_t(cfg_.rows), cols = size_t(cfg_.cols), L = size_t(cfg_.lanes);
  const size_t ur = in.used_rows < 0 ? rows : std::min(rows, size_t(in.used_rows));
  const size_t uc = in.used_cols < 0 ? cols : std::min(cols, size_t(in.used_cols));
  SerialInputs pin;
  pin.first = in.first;
  pin.last = in.last;
  pin.count = in.count;
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) {
      const bool load = in.load && r < ur && c < uc;
      pin.load = load;
      if (load) {
        pin.a = in.a + r * L;
        pin.w = in.w + c * L;
        pin.has_c = in.c != nullptr;
        pin.c = in.c ? in.c[r * cols + c] : 0;
        pin.index = in.index + r * in.row_stride + c * in.col_stride;
      }
      out_[r * cols + c] = pe_[r * cols + c].step(pin);
    }
  return out_;
}

SerialGemmStats run_gemm(const BitSerialConfig& cfg, std::span<const uint64_t> a, std::span<const uint64_t> b,
                         size_t M, size_t N, size_t K, std::span<const uint64_t> c, std::span<uint64_t> out, Env& env,
                         int threads) {
  validate(cfg);
  if (M == 0 || N == 0 || K == 0) throw std::invalid_argument("bitserial: run_gemm needs non-zero M, N, K");
  if (a.size() != M * K || b.size() != N * K || out.size() != M * N || (!c.empty() && c.size() != M * N))
    throw std::invalid_argument("bitserial: run_gemm operand sizes do not match M, N, K");
  const size_t R = size_t(cfg.rows), Cc = size_t(cfg.cols), L = size_t(cfg.lanes);
  const size_t tm = (M + R - 1) / R, tn = (N + Cc - 1) / Cc, tiles = tm * tn, groups = (K + L - 1) / L;
  const auto tables = make_serial_tables(cfg, env);
  const int C = tables->w.cycles;
  threads = std::max(1, std::min<int>(threads, int(tiles)));
  uint8_t flags = 0;
  uint64_t wide = 0, steps = 0;
  std::exception_ptr error;
#pragma omp parallel for num_threads(threads) schedule(static, 1) reduction(| : flags) reduction(+ : wide, steps)
  for (int part = 0; part < threads; ++part) {
    try {
      const size_t t0 = tiles * size_t(part) / size_t(threads), t1 = tiles * size_t(part + 1) / size_t(threads);
      Env penv = env;
      penv.flags = 0;
      BitSerialArray arr(cfg, penv, tables);
      std::vector<uint64_t> abuf(R * L), wbuf(Cc * L), cbuf(R * Cc);
      auto collect = [&](std::span<const SerialOutputs> o, size_t tile) {
        const size_t i0 = (tile / tn) * R, j0 = (tile % tn) * Cc;
        for (size_t r = 0; r < R && i0 + r < M; ++r)
          for (size_t q = 0; q < Cc && j0 + q < N; ++q) {
            const SerialOutputs& x = o[r * Cc + q];
            if (!x.valid) throw std::logic_error("bitserial: a result did not leave on time");
            out[(i0 + r) * N + j0 + q] = x.code;
            flags |= x.flags;
          }
      };
      for (size_t tile = t0; tile < t1; ++tile) {
        const size_t i0 = (tile / tn) * R, j0 = (tile % tn) * Cc;
        const size_t ur = std::min(R, M - i0), uc = std::min(Cc, N - j0);
        SerialArrayInputs in;
        in.used_rows = int(ur);
        in.used_cols = int(uc);
        in.index = uint64_t(i0 * N + j0) << 32;
        in.row_stride = uint64_t(N) << 32;
        in.col_stride = uint64_t(1) << 32;
        if (!c.empty()) {
          for (size_t r = 0; r < ur; ++r)
            for (size_t q = 0; q < uc; ++q) cbuf[r * Cc + q] = c[(i0 + r) * N + j0 + q];
          in.c = cbuf.data();
        }
        for (size_t g = 0; g < groups; ++g) {
          const size_t k0 = g * L, n = std::min(L, K - k0);
          for (size_t r = 0; r < ur; ++r) std::copy_n(a.data() + (i0 + r) * K + k0, n, abuf.data() + r * L);
          for (size_t q = 0; q < uc; ++q) std::copy_n(b.data() + (j0 + q) * K + k0, n, wbuf.data() + q * L);
          in.load = true;
          in.first = g == 0;
          in.last = g + 1 == groups;
          in.count = int(n);
          in.a = abuf.data();
          in.w = wbuf.data();
          // The previous tile's results leave in the cycle this tile's first group loads.
          const auto o = arr.step(in);
          if (g == 0 && tile > t0) collect(o, tile - 1);
          in.load = false;
          for (int d = 1; d < C; ++d) arr.step(in);
        }
      }
      if (t1 > t0) collect(arr.step(SerialArrayInputs{}), t1 - 1);
      wide += arr.wide_groups();
      steps += arr.cycle() > 0 ? arr.cycle() - 1 : 0;
    } catch (...) {
#pragma omp critical
      error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  env.flags |= flags;
  SerialGemmStats st;
  st.tiles = tiles;
  st.groups_per_tile = groups;
  // The parts' clocked cycles stitched end to end (each part's last, draining cycle overlaps the
  // next part's first load), plus the final drain: tiles * groups * C + 1.
  st.cycles = steps + 1;
  st.wide_groups = wide;
  return st;
}

}  // namespace bitexact::hw
