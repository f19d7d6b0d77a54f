// Claims from the literature, reproduced where the project's own models can speak to them: each
// claim is recomputed by the project's code (formats, emu block formats and metrics, L-Mul, the
// hwmodel unit models and cost model) and put beside the published figure with its source and a
// verdict. Sources are the project's reference notes (shared/reference/seeds-digest.md §5,
// hardware.md §9); each Claim carries its citation. The explore report renders the list.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace bitexact::explore {

enum class Verdict { agrees, partly, disagrees, not_modelled };
std::string_view to_string(Verdict);

struct Claim {
  std::string id;          // stable slug, e.g. "fp8-vs-int8-area"
  std::string topic;       // short title
  std::string published;   // the published claim with its number(s)
  std::string source;      // citation: authors, year, title, table/figure (from ../shared/reference)
  std::string conditions;  // the published conditions, and ours
  std::string ours;        // the project's figure(s), formatted
  std::string computed_by; // which project computation produced it (function / command line)
  Verdict verdict;
  std::string note;        // why partly / disagrees / not modelled
};

struct ClaimsOptions {
  uint64_t seed = 1;
  int threads = 0;     // 0: OpenMP's default; results do not depend on it
  bool quick = false;  // smaller samples (tests); the verdicts are the same
};

// progress: one short line per claim as it starts (explore prints it on stderr).
std::vector<Claim> reproduce_claims(const ClaimsOptions&, const std::function<void(std::string_view)>& progress);

}  // namespace bitexact::explore
