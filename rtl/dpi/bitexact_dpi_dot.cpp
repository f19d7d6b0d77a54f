// The DPI-C dot products: bx_dot over C arrays, bx_dot_sv over SystemVerilog open arrays. Both
// end in emu/accum/dot.hpp's dot() under a memoised parsed accumulation model.
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "emu/accum/accum_model.hpp"
#include "emu/accum/dot.hpp"
#include "rtl/dpi/bitexact_dpi.h"
#include "rtl/dpi/dpi_common.hpp"

// The simulator provides these (IEEE 1800 Annex H, svdpi.h); weak, so that C and C++ programs that
// never call bx_dot_sv link without a simulator.
extern "C" {
int svSize(void* const h, int d) __attribute__((weak));
int svLow(void* const h, int d) __attribute__((weak));
void* svGetArrElemPtr1(void* const h, int index) __attribute__((weak));
}

namespace bitexact::dpi {
namespace {

std::shared_ptr<const AccumModel> find_model(const char* spec) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<const AccumModel>> memo;
  if (spec == nullptr) return nullptr;
  std::string key(spec);
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = memo.find(key);
    if (it != memo.end()) return it->second;
  }
  std::shared_ptr<const AccumModel> m;
  try {
    m = std::make_shared<const AccumModel>(parse_accum_model(key));
  } catch (const std::exception&) {
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(mutex);
  if (memo.size() >= 4096) memo.clear();
  return memo.emplace(key, m).first->second;
}

int run_dot(const char* model, const char* format_a, const char* format_b, std::span<const uint64_t> a,
            std::span<const uint64_t> b, unsigned long long c, int has_c, int rounding, int overflow, int subnormals,
            int tininess, std::span<const uint64_t> random_bits, unsigned long long* result, unsigned int* flags) {
  if (result == nullptr || flags == nullptr || a.size() != b.size()) return BX_ERR_ARGUMENT;
  std::shared_ptr<const AccumModel> m = find_model(model);
  if (!m) return BX_ERR_MODEL;
  std::shared_ptr<const Format> fa = find_format(format_a), fb = find_format(format_b);
  if (!fa || !fb) return BX_ERR_FORMAT;
  Env env;
  if (int s = make_env(rounding, overflow, subnormals, tininess, env); s != BX_OK) return s;
  for (size_t i = 0; i < a.size(); ++i)
    if (!fits(*fa, a[i]) || !fits(*fb, b[i])) return BX_ERR_OPERAND;
  if (has_c && !fits(m->out_format, c)) return BX_ERR_OPERAND;
  // Draws come only from random_bits: an empty list would otherwise fall back to the counter generator.
  static const uint64_t none = 0;
  env.explicit_bits = random_bits.empty() ? std::span<const uint64_t>(&none, 1) : random_bits;
  try {
    const uint64_t r = dot(*m, *fa, a, *fb, b, c, has_c != 0, env);
    if (random_bits.empty() && env.explicit_pos > 0) return BX_ERR_RANDOM;
    *result = r;
    *flags = env.flags;
    return BX_OK;
  } catch (const std::out_of_range&) {
    return BX_ERR_RANDOM;
  } catch (const std::invalid_argument&) {
    return BX_ERR_ARGUMENT;
  } catch (...) {
    return BX_ERR_INTERNAL;
  }
}

// The elements of a one-dimensional open array of longint unsigned, copied out.
bool read_open_array(void* const h, std::vector<uint64_t>& out) {
  out.clear();
  if (h == nullptr) return true;
  const int n = svSize(h, 1), low = svLow(h, 1);
  out.reserve(n > 0 ? size_t(n) : 0);
  for (int i = 0; i < n; ++i) {
    const void* p = svGetArrElemPtr1(h, low + i);
    if (p == nullptr) return false;
    out.push_back(*static_cast<const uint64_t*>(p));
  }
  return true;
}

}  // namespace
}  // namespace bitexact::dpi

using namespace bitexact;
using namespace bitexact::dpi;

extern "C" {

int bx_dot(const char* model, const char* format_a, const char* format_b, int n, const unsigned long long* a,
           const unsigned long long* b, unsigned long long c, int has_c, int rounding, int overflow,
           int subnormals, int tininess, const unsigned long long* random_bits, int n_random,
           unsigned long long* result, unsigned int* flags) {
  if (n < 0 || n_random < 0 || (n > 0 && (a == nullptr || b == nullptr)) ||
      (n_random > 0 && random_bits == nullptr))
    return BX_ERR_ARGUMENT;
  static_assert(sizeof(unsigned long long) == sizeof(uint64_t));
  auto span = [](const unsigned long long* p, int k) {
    return std::span<const uint64_t>(reinterpret_cast<const uint64_t*>(p), size_t(k));
  };
  return run_dot(model, format_a, format_b, span(a, n), span(b, n), c, has_c, rounding, overflow, subnormals,
                 tininess, span(random_bits, n_random), result, flags);
}

int bx_dot_sv(const char* model, const char* format_a, const char* format_b, void* const a, void* const b,
              unsigned long long c, int has_c, int rounding, int overflow, int subnormals, int tininess,
              void* const random_bits, unsigned long long* result, unsigned int* flags) {
  if (svSize == nullptr || svLow == nullptr || svGetArrElemPtr1 == nullptr) return BX_ERR_ARGUMENT;
  std::vector<uint64_t> va, vb, vr;
  if (!read_open_array(a, va) || !read_open_array(b, vb) || !read_open_array(random_bits, vr))
    return BX_ERR_ARGUMENT;
  return run_dot(model, format_a, format_b, va, vb, c, has_c, rounding, overflow, subnormals, tininess, vr, result,
                 flags);
}

}  // extern "C"
