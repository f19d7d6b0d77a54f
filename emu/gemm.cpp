#include "emu/gemm.hpp"

#include <cmath>
#include <exception>
#include <stdexcept>

#include "emu/accum/dot.hpp"
#include "emu/block/block_quantize.hpp"
#include "emu/block/exact_value.hpp"
#include "emu/exact_arith.hpp"
#include "emu/gemm_fast.hpp"
#include "emu/tensor/parallel.hpp"
#include "formats/codec.hpp"

namespace bitexact {

namespace {

int64_t sign_extend(uint64_t code, int bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  code &= (m << 1) - 1;
  return int64_t(code ^ m) - int64_t(m);
}

// x * y for finite exact values (zeros and specials by IEEE rules); the product's significand must
// fit 128 bits (it does for every block scheme: elements of at most 24 and scales of at most 28 bits).
Exact exact_times(const Exact& x, const Exact& y) {
  const bool s = x.sign != y.sign;
  if (x.cls == ValueClass::NaN || y.cls == ValueClass::NaN) return Exact::nan();
  if ((x.cls == ValueClass::Inf && y.cls == ValueClass::Zero) || (x.cls == ValueClass::Zero && y.cls == ValueClass::Inf))
    return Exact::nan();
  if (x.cls == ValueClass::Inf || y.cls == ValueClass::Inf) return Exact::inf(s);
  if (x.cls == ValueClass::Zero || y.cls == ValueClass::Zero) return Exact::zero(s);
  // Trailing zero bits removed, so the widths are the significant bits.
  auto tight = [](u128 v, int32_t& e) {
    while ((v & 0xFFFFFFFFu) == 0) { v >>= 32; e += 32; }
    while ((v & 1) == 0) { v >>= 1; ++e; }
    return v;
  };
  int32_t ex = x.exponent, ey = y.exponent;
  const u128 a = tight(x.significand, ex), b = tight(y.significand, ey);
  if (msb(a) + msb(b) + 2 > 128) throw std::invalid_argument("gemm: a scaled block product is wider than 128 bits");
  const uint64_t alo = uint64_t(a), ahi = uint64_t(a >> 64), blo = uint64_t(b), bhi = uint64_t(b >> 64);
  const u128 p = u128(alo) * blo + ((u128(ahi) * blo + u128(alo) * bhi) << 64);  // fits: checked above
  return Exact::finite(s, p, ex + ey);
}

}  // namespace

BlockElement block_element(const GemmOperand& op, size_t row, size_t kk) {
  const BlockFormat& b = op.scheme.block;
  const size_t i = row * op.k + kk;
  const size_t blk = b.block ? i / b.block : 0;
  const uint64_t code = op.q.code(i);
  BlockElement r;
  const double s = block_scale_value(b, op.q.scale_codes[blk]);
  switch (b.kind) {
    case BlockKind::Mx:
    case BlockKind::Bfp:
      r.elem = b.int_element ? std::ldexp(double(sign_extend(code, b.int_bits)), -b.int_frac)
                             : to_double(decode(b.element, code));
      r.scale = s;
      break;
    case BlockKind::Nvfp4:
      r.elem = to_double(decode(b.element, code));
      r.scale = s * op.q.tensor_scale;  // exact: 4-bit times 24-bit significands
      break;
    case BlockKind::Absmax:
      r.elem = to_double(decode(b.element, code));
      r.scale = s;
      break;
    case BlockKind::GroupInt:
      r.elem = double(sign_extend(code, b.int_bits));
      r.scale = s;
      break;
  }
  return r;
}

void check_gemm_args(const AccumModel& m, const GemmOperand& a, const GemmOperand& b, std::span<const uint64_t> c,
                     std::span<uint64_t> out) {
  if (a.k != b.k) throw std::invalid_argument("gemm: A and B have different K");
  if (out.size() != a.rows * b.rows) throw std::invalid_argument("gemm: output size is not M*N");
  if (!c.empty() && c.size() != out.size()) throw std::invalid_argument("gemm: C size is not M*N");
  for (const GemmOperand* o : {&a, &b}) {
    if (!o->scheme.is_block) {
      if (o->codes.size() != o->rows * o->k) throw std::invalid_argument("gemm: operand size is not rows*K");
      continue;
    }
    const BlockFormat& bf = o->scheme.block;
    if (o->q.size != o->rows * o->k) throw std::invalid_argument("gemm: operand size is not rows*K");
    if (bf.block == 0 || o->k % bf.block) throw std::invalid_argument("gemm: K is not a multiple of the block size");
    if (bf.kind == BlockKind::GroupInt && !bf.symmetric)
      throw std::invalid_argument("gemm: asymmetric group INT inputs are not supported");
    if (m.product != ProductMode::Exact) throw std::invalid_argument("gemm: block inputs need product=exact");
  }
  if (m.scales == ScaleApply::After && a.scheme.is_block && b.scheme.is_block &&
      a.scheme.block.block != b.scheme.block.block)
    throw std::invalid_argument("gemm: scales=after needs equal block sizes along K");
}

GemmOperand gemm_operand(const Format& f, std::span<const uint64_t> codes, size_t rows, size_t k, bool transpose) {
  if (codes.size() != rows * k) throw std::invalid_argument("gemm_operand: size is not rows*k");
  GemmOperand o;
  o.scheme.format = f;
  o.rows = rows;
  o.k = k;
  o.codes.resize(rows * k);
  for (size_t r = 0; r < rows; ++r)
    for (size_t j = 0; j < k; ++j) o.codes[r * k + j] = transpose ? codes[j * rows + r] : codes[r * k + j];
  return o;
}

GemmOperand gemm_operand(const Scheme& s, std::span<const float> x, size_t rows, size_t k, bool transpose, Env& env,
                         int threads) {
  if (x.size() != rows * k) throw std::invalid_argument("gemm_operand: size is not rows*k");
  std::vector<float> t(rows * k);
  for (size_t r = 0; r < rows; ++r)
    for (size_t j = 0; j < k; ++j) t[r * k + j] = transpose ? x[j * rows + r] : x[r * k + j];
  GemmOperand o;
  o.scheme = s;
  o.rows = rows;
  o.k = k;
  o.q = quantize(s, t, env, nullptr, threads);
  if (!s.is_block) {
    o.codes.resize(rows * k);
    for (size_t i = 0; i < rows * k; ++i) o.codes[i] = o.q.code(i);
    o.q = {};
  }
  return o;
}

uint64_t gemm_element(const AccumModel& m, const GemmOperand& a, const GemmOperand& b, size_t i, size_t j,
                      const uint64_t* c, Env& e, std::vector<Exact>& prods) {
  const size_t K = a.k;
  Exact cv;
  if (c) {
    const Unpacked u = decode_operand(m.out_format, *c, e);
    if (u.is_nan() && u.signaling) e.flags |= flag::invalid;
    cv = Exact::from(u);
  }
  const bool blocks = a.scheme.is_block || b.scheme.is_block;
  if (!blocks) {
    prods.resize(K);
    for (size_t t = 0; t < K; ++t)
      prods[t] = model_product(m, a.scheme.format, a.codes[i * K + t], b.scheme.format, b.codes[j * K + t], e);
    return dot_terms(m, prods, c ? &cv : nullptr, e);
  }
  // Exact element values (and block scales) of both operands.
  auto elem = [&](const GemmOperand& o, size_t row, size_t t) -> BlockElement {
    if (o.scheme.is_block) return block_element(o, row, t);
    const Unpacked u = decode_operand(o.scheme.format, o.codes[row * K + t], e);
    return {to_double(u), 1.0};
  };
  prods.resize(K);
  bool invalid = false;
  for (size_t t = 0; t < K; ++t) {
    const BlockElement x = elem(a, i, t), y = elem(b, j, t);
    const Exact ex = exact_of(x.elem), ey = exact_of(y.elem);
    if ((ex.cls == ValueClass::Inf && ey.cls == ValueClass::Zero) || (ex.cls == ValueClass::Zero && ey.cls == ValueClass::Inf))
      invalid = true;
    if (m.scales == ScaleApply::Before) {
      prods[t] = exact_times(exact_times(ex, exact_of(x.scale)), exact_times(ey, exact_of(y.scale)));
    } else {
      prods[t] = exact_times(ex, ey);
    }
  }
  if (invalid) e.flags |= flag::invalid;
  if (m.scales == ScaleApply::Before) return dot_terms(m, prods, c ? &cv : nullptr, e);
  // After: one model dot per K-block, scaled exactly, added into the output with one rounding each.
  const size_t bs = a.scheme.is_block ? a.scheme.block.block : b.scheme.block.block;
  AccumModel add = m;
  add.kind = AccumKind::Exact;
  bool have = c != nullptr;
  Exact acc = cv;
  for (size_t s = 0; s < K; s += bs) {
    const uint64_t p = dot_terms(m, std::span<const Exact>(prods).subspan(s, bs), nullptr, e);
    const double sa = elem(a, i, s).scale, sb = elem(b, j, s).scale;
    const Exact scaled = exact_times(Exact::from(decode(m.out_format, p)), exact_times(exact_of(sa), exact_of(sb)));
    const uint64_t r = dot_terms(add, std::span<const Exact>(&scaled, 1), have ? &acc : nullptr, e);
    acc = Exact::from(decode(m.out_format, r));
    have = true;
  }
  if (!have) return dot_terms(add, {}, nullptr, e);
  return dot_terms(add, {}, &acc, e);
}

void gemm_reference(const AccumModel& m, const GemmOperand& a, const GemmOperand& b, std::span<const uint64_t> c,
                    std::span<uint64_t> out, Env& env, int threads) {
  check_gemm_args(m, a, b, c, out);
  const long long M = (long long)a.rows, N = (long long)b.rows;
  Env proto = env;
  proto.explicit_bits = {};  // counter-based draws only: keyed by the element index
  uint8_t flags = 0;
  std::exception_ptr error;
#pragma omp parallel num_threads(thread_count(threads)) reduction(| : flags)
  {
    Env e = proto;
    std::vector<Exact> prods;
#pragma omp for schedule(dynamic, 4)
    for (long long i = 0; i < M; ++i)
      for (long long j = 0; j < N; ++j) {
        const size_t idx = size_t(i * N + j);
        e.flags = 0;
        e.index = proto.index + (uint64_t(idx) << 32);
        try {
          out[idx] = gemm_element(m, a, b, size_t(i), size_t(j), c.empty() ? nullptr : &c[idx], e, prods);
        } catch (...) {
#pragma omp critical(bitexact_gemm_error)
          if (!error) error = std::current_exception();
        }
        flags |= e.flags;
      }
  }
  if (error) std::rethrow_exception(error);
  env.flags |= flags;
}

bool gemm_has_fast_path(const AccumModel& m, const GemmOperand& a, const GemmOperand& b) {
  return fast_gemm_supported(m, a, b);
}

void gemm(const AccumModel& m, const GemmOperand& a, const GemmOperand& b, std::span<const uint64_t> c,
          std::span<uint64_t> out, Env& env, int threads) {
  check_gemm_args(m, a, b, c, out);
  if (fast_gemm_supported(m, a, b)) return fast_gemm(m, a, b, c, out, env, threads);
  gemm_reference(m, a, b, c, out, env, threads);
}

void gemm(const AccumModel& m, size_t M, size_t N, size_t K, const Format& fa, std::span<const uint64_t> A,
          const Format& fb, std::span<const uint64_t> B, std::span<const uint64_t> c, std::span<uint64_t> out,
          Env& env, int threads) {
  gemm(m, gemm_operand(fa, A, M, K, false), gemm_operand(fb, B, N, K, true), c, out, env, threads);
}

}  // namespace bitexact
