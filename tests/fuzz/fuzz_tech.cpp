// Technology tables of the cost model (hwmodel/cost/tech.hpp, synth_area.hpp): the TOML files of
// hwmodel/tech/ and `bitexact hw --tech DIR`. Input: the TOML text, read both as a constants /
// node-scaling file (added over the embedded tables) and as a yosys_area.toml synthesis table.
// Properties, for text that parses: every node scales to and from the first and last node (or
// throws the documented std::invalid_argument "no path"), factors are finite; every synthesized
// primitive call is either priced or rejected with std::invalid_argument. Allowed errors: std::invalid_argument.
#include "tests/fuzz/fuzz_common.hpp"

#include <cmath>

#include "hwmodel/cost/primitives.hpp"
#include "hwmodel/cost/synth_area.hpp"
#include "hwmodel/cost/tech.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;
using namespace bitexact::hw::cost;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const TechLibrary embedded = TechLibrary::embedded();
  TechLibrary lib = embedded;
  if (allowed([&] { lib.add_toml(text, "fuzz"); })) {
    for (const auto& [key, c] : lib.constants()) FUZZ_CHECK(key == c.key, "constant stored under another key");
    // Every node to and from the first and the last node, and to itself: 3N searches, not N^2 (the
    // scaling paths are searched per pair; all pairs made this target the slowest).
    const std::vector<double> nodes = lib.nodes();
    for (const double a : nodes)
      for (const double b : {nodes.empty() ? a : nodes.front(), nodes.empty() ? a : nodes.back(), a}) {
        NodeScale s;
        const bool forth = allowed([&] { s = lib.scale(a, b); });
        if (forth) FUZZ_CHECK(std::isfinite(s.area) && std::isfinite(s.energy), "non-finite scale " + s.path);
        if (allowed([&] { s = lib.scale(b, a); }))
          FUZZ_CHECK(std::isfinite(s.area) && std::isfinite(s.energy), "non-finite scale " + s.path);
      }
    (void)allowed([&] { Primitives p(lib); });
  }
  SynthTable t;
  if (allowed([&] { t = parse_synth_table(text, "fuzz"); })) {
    const Primitives p(embedded);
    for (const SynthEntry& e : t.entries)
      if (!e.primitive.empty()) (void)allowed([&] { (void)primitive_area_um2(p, e.primitive); });
  }
  return 0;
}
