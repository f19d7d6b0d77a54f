// `make test-long`: every one of the 2^32 float32 codes converted into each catalogued format of
// at most 8 bits, core against oracle. Modes and policies: BITEXACT_LONG_MODES (comma-separated,
// default "rne") x BITEXACT_LONG_POLICIES (default "ieee"). About 60 ns per case on one core
// (oracle ~55 ns, core ~7 ns), so one (mode, policy) takes ~27 min on 2 cores for all 12 formats.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "emu/reference/conformance.hpp"
#include "formats/catalog.hpp"

using namespace bitexact;
using namespace bitexact::reference;

namespace {

std::vector<std::string> list_env(const char* var, const char* dflt) {
  const char* s = std::getenv(var);
  std::stringstream in(s && *s ? s : dflt);
  std::vector<std::string> out;
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

void all_float32_into(const char* name) {
  const Format& from = Catalog::builtin().find("float32")->format;
  const Format& to = Catalog::builtin().find(name)->format;
  for (const std::string& mode : list_env("BITEXACT_LONG_MODES", "rne")) {
    for (const std::string& policy : list_env("BITEXACT_LONG_POLICIES", "ieee")) {
      Env env;
      env.mode = parse_rounding(mode, &env.sr_bits);
      env.overflow = parse_overflow(policy);
      std::atomic<uint64_t> cases{0}, mismatches{0};
      std::mutex m;
      std::string first;
      constexpr uint64_t kChunk = uint64_t{1} << 20;
      parallel_for((uint64_t{1} << 32) / kChunk, 2, [&](uint64_t chunk) {
        uint64_t local = 0, bad = 0;
        for (uint64_t a = chunk * kChunk; a < (chunk + 1) * kChunk; ++a) {
          Env e = env;
          e.index = a;
          const Case c{Op::Convert, &from, &to, a, 0, 0};
          const CaseOutcome o = check_case(c, e);
          ++local;
          if (!o.ok() && bad++ == 0) {
            std::lock_guard<std::mutex> lock(m);
            if (first.empty()) first = describe_case(c, e, o);
          }
        }
        cases += local;
        mismatches += bad;
      });
      INFO(name, " ", mode, "/", policy, ": first mismatch: ", first);
      CHECK(mismatches == 0);
      CHECK(cases == (uint64_t{1} << 32));
    }
  }
}

}  // namespace

TEST_CASE("all float32 -> float8_e4m3fn") { all_float32_into("float8_e4m3fn"); }
TEST_CASE("all float32 -> float8_e5m2") { all_float32_into("float8_e5m2"); }
TEST_CASE("all float32 -> float8_e4m3fnuz") { all_float32_into("float8_e4m3fnuz"); }
TEST_CASE("all float32 -> float8_e5m2fnuz") { all_float32_into("float8_e5m2fnuz"); }
TEST_CASE("all float32 -> float8_e4m3b11fnuz") { all_float32_into("float8_e4m3b11fnuz"); }
TEST_CASE("all float32 -> float8_e4m3") { all_float32_into("float8_e4m3"); }
TEST_CASE("all float32 -> float8_e3m4") { all_float32_into("float8_e3m4"); }
TEST_CASE("all float32 -> float8_e8m0fnu") { all_float32_into("float8_e8m0fnu"); }
TEST_CASE("all float32 -> float6_e2m3fn") { all_float32_into("float6_e2m3fn"); }
TEST_CASE("all float32 -> float6_e3m2fn") { all_float32_into("float6_e3m2fn"); }
TEST_CASE("all float32 -> float4_e2m1fn") { all_float32_into("float4_e2m1fn"); }
TEST_CASE("all float32 -> ue4m3") { all_float32_into("ue4m3"); }
