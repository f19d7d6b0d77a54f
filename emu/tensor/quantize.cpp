#include "emu/tensor/quantize.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "emu/block/block_quantize.hpp"
#include "emu/block/fast_paths.hpp"
#include "emu/block/hadamard.hpp"
#include "emu/ops.hpp"
#include "emu/tensor/parallel.hpp"
#include "formats/codec.hpp"

namespace bitexact {

uint64_t QuantizedTensor::code(size_t i) const {
  uint64_t c = 0;
  std::memcpy(&c, codes.data() + i * size_t(code_bytes), size_t(code_bytes));  // little-endian host
  return c;
}

void QuantizedTensor::set_code(size_t i, uint64_t c) {
  std::memcpy(codes.data() + i * size_t(code_bytes), &c, size_t(code_bytes));
}

namespace {

int bytes_for(int bits) { return bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8; }

template <class T>
uint64_t scalar_code(const Format& f, T x, Env& e) {
  if constexpr (sizeof(T) == 4) return from_float(f, x, e);
  else return from_double(f, x, e);
}

template <class T>
void quantize_scalar(const Format& f, std::span<const T> in, QuantizedTensor& q, Env& env, QuantizeStats* st,
                     int threads) {
  const long long n = (long long)in.size();
  const double maxv = to_double(decode(f, max_code(f, false)));  // any family
  const uint64_t base = env.index;
  const Env proto = env;
  uint64_t clipped = 0, flushed = 0, nonfinite = 0;
  uint8_t flags = 0;
#pragma omp parallel num_threads(thread_count(threads)) reduction(+ : clipped, flushed, nonfinite) reduction(| : flags)
  {
    Env e = proto;
    e.flags = 0;
#pragma omp for schedule(static)
    for (long long i = 0; i < n; ++i) {
      const T x = in[size_t(i)];
      e.index = base + uint64_t(i);
      const uint64_t c = scalar_code(f, x, e);
      q.set_code(size_t(i), c);
      if (!std::isfinite(x)) {
        ++nonfinite;
        continue;
      }
      clipped += std::fabs(double(x)) > maxv;
      flushed += x != 0 && to_double(decode(f, c)) == 0;
    }
    flags |= e.flags;
  }
  env.flags |= flags;
  env.index = base + uint64_t(n);
  if (st) st->clipped += clipped, st->flushed_to_zero += flushed, st->nonfinite += nonfinite;
}

template <class T>
QuantizedTensor quantize_impl(const Scheme& s, std::span<const T> in, Env& env, QuantizeStats* st, int threads,
                              bool allow_fast) {
  QuantizedTensor q;
  q.scheme = scheme_name(s);
  q.size = in.size();
  q.code_bits = s.is_block ? block_code_bits(s.block) : s.format.width();
  q.code_bytes = bytes_for(q.code_bits);
  q.codes.assign(q.size * size_t(q.code_bytes), 0);
  if (!s.is_block) {
    quantize_scalar(s.format, in, q, env, st, threads);
    return q;
  }
  const BlockFormat& b = s.block;
  const size_t n = in.size();
  // The rotated copy (float64), or the input itself.
  std::vector<double> rotated;
  if (b.rht) {
    rotated.assign(in.begin(), in.end());
    hadamard_rotate(rotated, b.rht, b.seed, threads);
  }
  auto value = [&](size_t i) -> double { return b.rht ? rotated[i] : double(in[i]); };

  double amax = 0;
  if (b.kind == BlockKind::Nvfp4 && b.tensor == TensorScale::Amax) {
    const long long nn = (long long)n;
#pragma omp parallel for num_threads(thread_count(threads)) reduction(max : amax) schedule(static)
    for (long long i = 0; i < nn; ++i) {
      const double v = std::fabs(value(size_t(i)));
      if (std::isfinite(v) && v > amax) amax = v;
    }
  }
  q.tensor_scale = block_tensor_scale(b, amax);
  const size_t bs = b.block ? b.block : std::max<size_t>(n, 1);
  const size_t nblocks = (n + bs - 1) / bs;
  q.scale_codes.assign(nblocks, 0);
  const bool asym = b.kind == BlockKind::GroupInt && !b.symmetric;
  if (asym) q.zero_points.assign(nblocks, 0);
  const uint64_t base = env.index;
  const Env proto = env;
  uint64_t clipped = 0, flushed = 0, nonfinite = 0;
  uint8_t flags = 0;
  // After either path: the flags, the random index and the statistics.
  auto finish = [&]() -> QuantizedTensor {
    env.flags |= flags;
    env.index = base + n;
    if (st) {
      st->clipped += clipped, st->flushed_to_zero += flushed, st->nonfinite += nonfinite;
      for (uint64_t sc : q.scale_codes) st->block_scale.push_back(block_scale_value(b, sc) * q.tensor_scale);
    }
    return std::move(q);
  };
  if constexpr (sizeof(T) == 4) {
    if (allow_fast && !b.rht && block_fast_path(b, env) && q.code_bytes == 1) {
      const long long chunks = (long long)((nblocks + kFastChunkBlocks - 1) / kFastChunkBlocks);
#pragma omp parallel num_threads(thread_count(threads)) reduction(+ : clipped, flushed, nonfinite) reduction(| : flags)
      {
        Env e = proto;
        e.flags = 0;
        BlockCounts c;
#pragma omp for schedule(static)
        for (long long k = 0; k < chunks; ++k) {
          const size_t first = size_t(k) * kFastChunkBlocks, last = std::min(nblocks, first + kFastChunkBlocks);
          quantize_blocks_fast(b, in.data(), n, first, last, q.tensor_scale, q.codes.data(), q.scale_codes.data(), e,
                               &c);
        }
        clipped += c.clipped, flushed += c.flushed_to_zero, nonfinite += c.nonfinite;
        flags |= e.flags;
      }
      return finish();
    }
  }
  const long long nb = (long long)nblocks;
#pragma omp parallel num_threads(thread_count(threads)) reduction(+ : clipped, flushed, nonfinite) reduction(| : flags)
  {
    Env e = proto;
    e.flags = 0;
    // A block holds at most n values: a group size far beyond the tensor (nf4<group=456118834>)
    // must not allocate the group's size per thread.
    const size_t scratch = std::max<size_t>(1, std::min(bs, n));
    std::vector<double> vals(scratch);
    std::vector<uint64_t> codes(scratch);
    BlockCounts c;
#pragma omp for schedule(static)
    for (long long k = 0; k < nb; ++k) {
      const size_t first = size_t(k) * bs, len = std::min(bs, n - first);
      for (size_t i = 0; i < len; ++i) vals[i] = value(first + i);
      const BlockParams p = quantize_block(b, vals.data(), len, q.tensor_scale, base + first, codes.data(), e, &c);
      q.scale_codes[size_t(k)] = p.scale_code;
      if (asym) q.zero_points[size_t(k)] = p.zero;
      for (size_t i = 0; i < len; ++i) q.set_code(first + i, codes[i]);
    }
    clipped += c.clipped, flushed += c.flushed_to_zero, nonfinite += c.nonfinite;
    flags |= e.flags;
  }
  return finish();
}

template <class T>
void dequantize_impl(const Scheme& s, const QuantizedTensor& q, std::span<T> out, int threads) {
  if (out.size() != q.size) throw std::invalid_argument("dequantize: output size differs from the tensor's");
  const long long n = (long long)q.size;
  if (!s.is_block) {
#pragma omp parallel for num_threads(thread_count(threads)) schedule(static)
    for (long long i = 0; i < n; ++i) out[size_t(i)] = T(to_double(decode(s.format, q.code(size_t(i)))));
    return;
  }
  const BlockFormat& b = s.block;
  const size_t bs = b.block ? b.block : std::max<size_t>(q.size, 1);
  const bool asym = b.kind == BlockKind::GroupInt && !b.symmetric;
  if (b.rht) {
    std::vector<double> tmp(q.size);
#pragma omp parallel for num_threads(thread_count(threads)) schedule(static)
    for (long long i = 0; i < n; ++i) {
      const size_t k = size_t(i) / bs;
      const BlockParams p{q.scale_codes[k], asym ? q.zero_points[k] : 0};
      tmp[size_t(i)] = dequantize_element(b, q.code(size_t(i)), p, q.tensor_scale);
    }
    hadamard_unrotate(tmp, b.rht, b.seed, threads);
    for (size_t i = 0; i < q.size; ++i) out[i] = T(tmp[i]);
    return;
  }
#pragma omp parallel for num_threads(thread_count(threads)) schedule(static)
  for (long long i = 0; i < n; ++i) {
    const size_t k = size_t(i) / bs;
    const BlockParams p{q.scale_codes[k], asym ? q.zero_points[k] : 0};
    out[size_t(i)] = T(dequantize_element(b, q.code(size_t(i)), p, q.tensor_scale));
  }
}

}  // namespace

QuantizedTensor quantize(const Scheme& s, std::span<const float> in, Env& env, QuantizeStats* stats, int threads) {
  return quantize_impl<float>(s, in, env, stats, threads, true);
}
QuantizedTensor quantize(const Scheme& s, std::span<const double> in, Env& env, QuantizeStats* stats, int threads) {
  return quantize_impl<double>(s, in, env, stats, threads, true);
}
QuantizedTensor quantize_reference(const Scheme& s, std::span<const float> in, Env& env, QuantizeStats* stats,
                                   int threads) {
  return quantize_impl<float>(s, in, env, stats, threads, false);
}

void dequantize(const Scheme& s, const QuantizedTensor& q, std::span<double> out, int threads) {
  dequantize_impl<double>(s, q, out, threads);
}
void dequantize(const Scheme& s, const QuantizedTensor& q, std::span<float> out, int threads) {
  dequantize_impl<float>(s, q, out, threads);
}

void fake_quantize(const Scheme& s, std::span<const double> in, std::span<double> out, const Env& env,
                   QuantizeStats* stats, int threads) {
  if (out.size() != in.size()) throw std::invalid_argument("fake_quantize: output size differs from the input's");
  Env e = env;
  const QuantizedTensor q = quantize(s, in, e, stats, threads);
  dequantize(s, q, out, threads);
}

}  // namespace bitexact
