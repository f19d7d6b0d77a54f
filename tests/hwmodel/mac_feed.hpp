// Test helper: one dot product through a DPn unit, chunk by chunk, and the cycle its result left.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "hwmodel/mac/dpn.hpp"

namespace bitexact::hw::test {

struct FedResult {
  uint64_t code = 0;
  uint8_t flags = 0;
  uint64_t valid_cycle = 0;  // the step() call (0-based, counted from the first chunk) that returned it
};

// a, b: K codes each (MX: element codes, sa/sb one scale code per block of the scheme).
inline FedResult feed_dot(Dpn& u, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                          const uint64_t* c = nullptr, const std::vector<uint64_t>* sa = nullptr,
                          const std::vector<uint64_t>* sb = nullptr, uint64_t index = 0) {
  const MacConfig& cfg = u.config();
  const size_t n = size_t(cfg.lanes), K = a.size();
  const size_t chunks = K == 0 ? 1 : (K + n - 1) / n;
  const uint64_t start = u.cycle();
  std::vector<uint64_t> ca(n), cb(n), scale_a(n), scale_b(n);
  auto scales = [&](const Scheme& s, const std::vector<uint64_t>* codes, size_t k0, std::vector<uint64_t>& out) {
    if (!s.is_block || !codes) return;
    const size_t bs = s.block.block;
    const size_t per = bs < n ? n / bs : 1;
    // A chunk past the last block (K not a multiple of the lanes) has no scale: 0, unused.
    for (size_t i = 0; i < per; ++i) {
      const size_t blk = (k0 + i * bs) / bs;
      out[i] = blk < codes->size() ? (*codes)[blk] : 0;
    }
  };
  for (size_t s = 0; s < chunks; ++s) {
    DpnInputs in;
    in.valid = true;
    in.first = s == 0;
    in.last = s + 1 == chunks;
    const size_t k0 = s * n, cnt = std::min(n, K - std::min(K, k0));
    in.count = int(cnt);
    for (size_t l = 0; l < cnt; ++l) {
      ca[l] = a[k0 + l];
      cb[l] = b[k0 + l];
    }
    scales(cfg.act, sa, k0, scale_a);
    scales(cfg.weight, sb, k0, scale_b);
    in.a = ca.data();
    in.b = cb.data();
    in.scale_a = scale_a.data();
    in.scale_b = scale_b.data();
    in.has_c = c != nullptr;
    in.c = c ? *c : 0;
    in.index = index;
    const DpnOutputs o = u.step(in);
    if (o.valid) throw std::logic_error("feed_dot: a result before the last chunk's latency");
  }
  for (int t = 0; t < 1000; ++t) {
    const DpnOutputs o = u.step(DpnInputs{});
    if (o.valid) return {o.code, o.flags, u.cycle() - 1 - start};
  }
  throw std::logic_error("feed_dot: no result");
}

}  // namespace bitexact::hw::test
