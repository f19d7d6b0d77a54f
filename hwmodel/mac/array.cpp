#include "hwmodel/mac/array.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>

#include "emu/tensor/parallel.hpp"

namespace bitexact::hw {

namespace {

size_t scales_per_chunk(const Scheme& s, size_t lanes) {
  return s.is_block && s.block.block < lanes ? lanes / s.block.block : 1;
}

// The scale codes a chunk of `count` lanes uses.
size_t scales_used(const Scheme& s, size_t lanes, size_t count) {
  if (!s.is_block || s.block.block >= lanes) return 1;
  return (count + s.block.block - 1) / s.block.block;
}

}  // namespace

MacArray::MacArray(const MacConfig& c, const Env& env, std::shared_ptr<const MacTables> tables) : cfg_(c) {
  validate(c);
  rows_ = size_t(c.rows);
  cols_ = size_t(c.cols);
  lanes_ = size_t(c.lanes);
  nscale_ = std::max(scales_per_chunk(c.act, lanes_), scales_per_chunk(c.weight, lanes_));
  const bool sys = c.feed == ArrayFeed::Systolic;
  depth_a_ = sys ? cols_ : 1;
  depth_b_ = sys ? rows_ : 1;
  if (!tables) tables = make_mac_tables(c, env);
  pe_.reserve(rows_ * cols_);
  for (size_t i = 0; i < rows_ * cols_; ++i) pe_.emplace_back(c, env, tables);
  reg_a_.assign(rows_ * depth_a_, Reg{});
  reg_b_.assign(cols_ * depth_b_, Reg{});
  code_a_.assign(rows_ * depth_a_ * lanes_, 0);
  code_b_.assign(cols_ * depth_b_ * lanes_, 0);
  scale_a_.assign(rows_ * depth_a_ * nscale_, 0);
  scale_b_.assign(cols_ * depth_b_ * nscale_, 0);
  c_a_.assign(rows_ * depth_a_ * cols_, 0);
  out_.assign(rows_ * cols_, DpnOutputs{});
}

void MacArray::reset() {
  for (Dpn& p : pe_) p.reset();
  std::fill(reg_a_.begin(), reg_a_.end(), Reg{});
  std::fill(reg_b_.begin(), reg_b_.end(), Reg{});
  cycle_ = 0;
}

std::span<const DpnOutputs> MacArray::step(const ArrayInputs& in) {
  if (in.left.size() != rows_ || in.top.size() != cols_)
    throw std::invalid_argument("mac array: expected one edge chunk per row and per column");
  const size_t sa = size_t(cycle_ % depth_a_), sb = size_t(cycle_ % depth_b_);
  // The edge chunks enter the first operand registers.
  auto load = [&](const EdgeChunk& e, Reg& r, uint64_t* codes, uint64_t* scales, const Scheme& s, uint64_t* cvals) {
    r = Reg{};
    if (!e.valid) return;
    r.valid = true;
    r.first = e.first;
    r.last = e.last;
    r.count = e.count;
    r.index = e.index;
    const size_t n = e.count < 0 ? lanes_ : std::min(size_t(e.count), lanes_);
    std::copy_n(e.codes, n, codes);
    if (s.is_block && e.scales) std::copy_n(e.scales, scales_used(s, lanes_, n), scales);
    if (cvals && e.first && e.c) {
      r.has_c = true;
      std::copy_n(e.c, cols_, cvals);
    }
  };
  for (size_t r = 0; r < rows_; ++r) {
    const size_t at = r * depth_a_ + sa;
    load(in.left[r], reg_a_[at], &code_a_[at * lanes_], &scale_a_[at * nscale_], cfg_.act, &c_a_[at * cols_]);
  }
  for (size_t c = 0; c < cols_; ++c) {
    const size_t at = c * depth_b_ + sb;
    load(in.top[c], reg_b_[at], &code_b_[at * lanes_], &scale_b_[at * nscale_], cfg_.weight, nullptr);
  }
  for (size_t r = 0; r < rows_; ++r)
    for (size_t c = 0; c < cols_; ++c) {
      // Systolic: the A chunk PE (r, c) holds entered row r c cycles ago, the B chunk column c r cycles ago.
      const size_t ia = r * depth_a_ + size_t((cycle_ + depth_a_ - (depth_a_ > 1 ? c : 0)) % depth_a_);
      const size_t ib = c * depth_b_ + size_t((cycle_ + depth_b_ - (depth_b_ > 1 ? r : 0)) % depth_b_);
      const Reg &A = reg_a_[ia], &B = reg_b_[ib];
      DpnInputs d;
      if (A.valid && B.valid) {
        d.valid = true;
        d.first = A.first;
        d.last = A.last;
        d.count = A.count;
        d.a = &code_a_[ia * lanes_];
        d.b = &code_b_[ib * lanes_];
        d.scale_a = &scale_a_[ia * nscale_];
        d.scale_b = &scale_b_[ib * nscale_];
        d.has_c = A.has_c;
        d.c = A.has_c ? c_a_[ia * cols_ + c] : 0;
        d.index = A.index + B.index;
      }
      out_[r * cols_ + c] = pe_[r * cols_ + c].step(d);
    }
  ++cycle_;
  return out_;
}

MacGemmStats run_gemm(const MacConfig& cfg, const MacOperand& a, const MacOperand& b, std::span<const uint64_t> c,
                      std::span<uint64_t> out, Env& env, int threads) {
  validate(cfg);
  const size_t M = a.rows, N = b.rows, K = a.k;
  if (b.k != K) throw std::invalid_argument("mac gemm: A and B have different K");
  if (K == 0) throw std::invalid_argument("mac gemm: K must be at least 1");
  if (a.codes.size() != M * K || b.codes.size() != N * K) throw std::invalid_argument("mac gemm: operand size is not rows*K");
  if (out.size() != M * N || (!c.empty() && c.size() != M * N)) throw std::invalid_argument("mac gemm: C/out size is not M*N");
  for (const MacOperand* o : {&a, &b}) {
    if (!o->scheme.is_block) continue;
    const size_t bs = o->scheme.block.block;
    if (K % bs) throw std::invalid_argument("mac gemm: K is not a multiple of the block size");
    if (o->scales.size() != o->rows * (K / bs)) throw std::invalid_argument("mac gemm: scale count is not rows*K/block");
  }
  const size_t R = size_t(cfg.rows), C = size_t(cfg.cols), lanes = size_t(cfg.lanes);
  const size_t S = (K + lanes - 1) / lanes;
  const size_t TM = (M + R - 1) / R, TN = (N + C - 1) / C, T = TM * TN;
  const bool sys = cfg.feed == ArrayFeed::Systolic;
  const uint64_t L = uint64_t(cfg.pipeline), skew = uint64_t(array_skew(cfg));
  const size_t G = std::max<size_t>(1, std::min<size_t>(size_t(std::max(threads, 1)), T));
  Env proto = env;
  proto.explicit_bits = {};
  proto.flags = 0;
  const auto tables = make_mac_tables(cfg, proto);
  std::vector<uint64_t> group_cycles(G, 0);
  std::vector<uint8_t> group_flags(G, 0);
  std::exception_ptr error;
  const size_t abs_ = a.scheme.is_block ? a.scheme.block.block : 0, bbs = b.scheme.is_block ? b.scheme.block.block : 0;
#pragma omp parallel for num_threads(int(G)) schedule(static, 1)
  for (long long g = 0; g < (long long)G; ++g) {
    try {
      const size_t t0 = T * size_t(g) / G, t1 = T * size_t(g + 1) / G;
      const uint64_t stream = uint64_t(t1 - t0) * S;  // edge chunks in this group
      MacArray arr(cfg, proto, tables);
      std::vector<EdgeChunk> left(R), top(C);
      std::vector<uint64_t> crow(R * C, 0);
      uint8_t flags = 0;
      uint64_t last_valid = 0;
      const uint64_t end = stream - 1 + skew + L;
      for (uint64_t t = 0; t <= end; ++t) {
        for (size_t r = 0; r < R; ++r) {
          EdgeChunk& e = left[r];
          e = EdgeChunk{};
          const uint64_t d = sys ? r : 0;
          if (t < d || t - d >= stream) continue;
          const uint64_t ch = t - d;
          const size_t tile = t0 + size_t(ch / S), s = size_t(ch % S);
          const size_t i = (tile / TN) * R + r, j0 = (tile % TN) * C;
          if (i >= M) continue;
          e.valid = true;
          e.first = s == 0;
          e.last = s + 1 == S;
          e.count = int(std::min(lanes, K - s * lanes));
          e.codes = &a.codes[i * K + s * lanes];
          if (abs_) e.scales = &a.scales[i * (K / abs_) + s * lanes / abs_];
          e.index = proto.index + (uint64_t(i * N) << 32);
          if (!c.empty() && e.first) {
            uint64_t* cr = &crow[r * C];
            for (size_t q = 0; q < C; ++q) cr[q] = j0 + q < N ? c[i * N + j0 + q] : 0;
            e.c = cr;
          }
        }
        for (size_t q = 0; q < C; ++q) {
          EdgeChunk& e = top[q];
          e = EdgeChunk{};
          const uint64_t d = sys ? q : 0;
          if (t < d || t - d >= stream) continue;
          const uint64_t ch = t - d;
          const size_t tile = t0 + size_t(ch / S), s = size_t(ch % S);
          const size_t j = (tile % TN) * C + q;
          if (j >= N) continue;
          e.valid = true;
          e.first = s == 0;
          e.last = s + 1 == S;
          e.count = int(std::min(lanes, K - s * lanes));
          e.codes = &b.codes[j * K + s * lanes];
          if (bbs) e.scales = &b.scales[j * (K / bbs) + s * lanes / bbs];
          e.index = uint64_t(j) << 32;
        }
        const auto res = arr.step({left, top});
        for (size_t r = 0; r < R; ++r)
          for (size_t q = 0; q < C; ++q) {
            const DpnOutputs& o = res[r * C + q];
            if (!o.valid) continue;
            // The last chunk of this result entered PE (r, q) L cycles ago, edge chunk t - L - skew(r, q).
            const uint64_t ch = t - L - (sys ? r + q : 0);
            const size_t tile = t0 + size_t(ch / S);
            const size_t i = (tile / TN) * R + r, j = (tile % TN) * C + q;
            out[i * N + j] = o.code;
            flags |= o.flags;
            last_valid = t;
          }
      }
      group_cycles[size_t(g)] = last_valid;
      group_flags[size_t(g)] = flags;
    } catch (...) {
#pragma omp critical(bitexact_mac_gemm_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  MacGemmStats st;
  st.tiles = T;
  st.chunks_per_tile = S;
  // Groups run back to back on one array: each starts the cycle after the previous one's last chunk.
  for (size_t g = 0; g + 1 < G; ++g) st.cycles += uint64_t(T * (g + 1) / G - T * g / G) * S;
  st.cycles += group_cycles[G - 1];
  for (uint8_t f : group_flags) env.flags |= f;
  st.pe_steps = uint64_t(M) * N * S;
  return st;
}

}  // namespace bitexact::hw
