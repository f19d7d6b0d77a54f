// The DPI-C golden model: the C entry points of bitexact_dpi.h over the core's scalar operations.
// Each call builds its own Env from its arguments; the only shared thing is the memo of parsed
// format specs, which holds immutable Formats behind a lock.
#include "rtl/dpi/bitexact_dpi.h"

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "emu/env.hpp"
#include "emu/operation.hpp"
#include "formats/codec.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "rtl/dpi/dpi_common.hpp"

namespace bitexact::dpi {

namespace {

std::shared_ptr<const Format> parse_memoised(const char* spec) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<const Format>> memo;
  std::string key(spec);
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = memo.find(key);
    if (it != memo.end()) return it->second;
  }
  std::shared_ptr<const Format> f;
  try {
    f = std::make_shared<const Format>(parse_format(key));
  } catch (const std::exception&) {
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(mutex);
  if (memo.size() >= 4096) memo.clear();  // a bound for callers that generate specs
  return memo.emplace(key, f).first->second;
}

}  // namespace

std::shared_ptr<const Format> find_format(const char* spec) {
  // Testbenches call with a handful of specs millions of times: parse each once (a memo shared by all
  // threads, behind a lock), and keep each thread's last few in front of it, compared by content.
  if (spec == nullptr) return nullptr;
  struct Recent {
    std::string spec;
    std::shared_ptr<const Format> format;
  };
  thread_local Recent recent[4];
  thread_local unsigned next = 0;
  for (const Recent& r : recent)
    if (r.format && r.spec == spec) return r.format;
  std::shared_ptr<const Format> f = parse_memoised(spec);
  if (f) recent[next++ % 4] = Recent{spec, f};
  return f;
}

int make_env(int rounding, int overflow, int subnormals, int tininess, Env& env) {
  const int mode = rounding & 0xFF, r = rounding >> 8;
  if (rounding < 0 || mode > int(RoundingMode::SRR)) return BX_ERR_ROUNDING;
  if (mode == int(RoundingMode::SRR) ? (r < 1 || r > 32) : r != 0) return BX_ERR_ROUNDING;
  if (overflow < 0 || overflow > int(OverflowPolicy::Wrap)) return BX_ERR_OVERFLOW;
  if (subnormals < 0 || subnormals > int(SubnormalPolicy::FlushBoth)) return BX_ERR_SUBNORMALS;
  if (tininess < 0 || tininess > int(Tininess::BeforeRounding)) return BX_ERR_TININESS;
  env.mode = RoundingMode(mode);
  env.sr_bits = mode == int(RoundingMode::SRR) ? r : 0;
  env.overflow = OverflowPolicy(overflow);
  env.subnormals = SubnormalPolicy(subnormals);
  env.tininess = Tininess(tininess);
  return BX_OK;
}

bool fits(const Format& f, unsigned long long code) { return (code & ~f.facts.code_mask) == 0; }

}  // namespace bitexact::dpi

using namespace bitexact;
using namespace bitexact::dpi;

namespace {

// Runs op with the operands checked and the random word supplied; maps exceptions to codes.
int run(Operation op, const Format& f, const Format& to, int rounding, int overflow, int subnormals, int tininess,
        const unsigned long long* x, unsigned long long random_bits, unsigned long long* result,
        unsigned int* flags) {
  if (result == nullptr || flags == nullptr) return BX_ERR_ARGUMENT;
  Env env;
  if (int s = make_env(rounding, overflow, subnormals, tininess, env); s != BX_OK) return s;
  const int arity = operation_info(op).arity;
  uint64_t operands[3] = {0, 0, 0};
  for (int i = 0; i < arity; ++i) {
    if (!fits(f, x[i])) return BX_ERR_OPERAND;
    operands[i] = x[i];
  }
  const uint64_t word = random_bits;
  env.explicit_bits = std::span<const uint64_t>(&word, 1);
  try {
    const uint64_t r = apply_operation(op, f, operands, to, env);
    *result = r;
    *flags = env.flags;
    return BX_OK;
  } catch (const std::out_of_range&) {
    return BX_ERR_RANDOM;
  } catch (...) {
    return BX_ERR_INTERNAL;
  }
}

}  // namespace

extern "C" {

int bx_op(const char* format, int op, int rounding, int overflow, int subnormals, int tininess,
          unsigned long long a, unsigned long long b, unsigned long long c, unsigned long long random_bits,
          unsigned long long* result, unsigned int* flags) {
  if (op < 0 || op > int(Operation::Convert)) return BX_ERR_OPERATION;
  std::shared_ptr<const Format> f = find_format(format);
  if (!f) return BX_ERR_FORMAT;
  const unsigned long long x[3] = {a, b, c};
  return run(Operation(op), *f, *f, rounding, overflow, subnormals, tininess, x, random_bits, result, flags);
}

int bx_convert(const char* from, const char* to, int rounding, int overflow, int subnormals, int tininess,
               unsigned long long a, unsigned long long random_bits, unsigned long long* result,
               unsigned int* flags) {
  std::shared_ptr<const Format> f = find_format(from), t = find_format(to);
  if (!f || !t) return BX_ERR_FORMAT;
  return run(Operation::Convert, *f, *t, rounding, overflow, subnormals, tininess, &a, random_bits, result, flags);
}

int bx_width(const char* format) {
  std::shared_ptr<const Format> f = find_format(format);
  return f ? f->width() : BX_ERR_FORMAT;
}

int bx_is_nan(const char* format, unsigned long long code) {
  std::shared_ptr<const Format> f = find_format(format);
  if (!f) return BX_ERR_FORMAT;
  if (!fits(*f, code)) return BX_ERR_OPERAND;
  return decode(*f, code).is_nan() ? 1 : 0;
}

const char* bx_error_message(int status) {
  switch (status) {
    case BX_OK: return "ok";
    case BX_ERR_FORMAT: return "format spec does not parse (try: bitexact formats show SPEC)";
    case BX_ERR_OPERATION: return "operation number out of range (BX_OP_ADD..BX_OP_CONVERT)";
    case BX_ERR_ROUNDING: return "rounding code out of range (BX_RM_RNE..BX_RM_SRR; sr:R needs 1 <= R <= 32)";
    case BX_ERR_OVERFLOW: return "overflow policy out of range (BX_OVF_IEEE, BX_OVF_SATURATE, BX_OVF_WRAP)";
    case BX_ERR_SUBNORMALS: return "subnormal policy out of range (BX_SUB_KEEP..BX_SUB_FTZ_DAZ)";
    case BX_ERR_TININESS: return "tininess out of range (BX_TINY_AFTER, BX_TINY_BEFORE)";
    case BX_ERR_OPERAND: return "operand has bits set above its format's width";
    case BX_ERR_RANDOM: return "stochastic rounding needed more random words than were given";
    case BX_ERR_MODEL: return "accumulation model spec does not parse (try: bitexact dot --help)";
    case BX_ERR_ARGUMENT: return "null pointer, negative length, or operand formats the model refuses";
    case BX_ERR_INTERNAL: return "internal error in the model";
    default: return "unknown status code";
  }
}

}  // extern "C"
