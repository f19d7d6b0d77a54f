// Area from synthesis: the measured second estimate beside the analytic cost model. rtl/synth/synth.py
// synthesizes each RTL configuration with yosys 0.23 to CMOS gates and writes
// hwmodel/tech/yosys_area.toml (embedded at build time): cells, `stat -tech cmos` transistors, gate
// equivalents (transistors / 4) and an area at 45 nm (GE x the Nangate45 NAND2_X1 area). Each entry
// names what the analytic model compares it with: a primitive call ("int_mul(8x8)") or a unit
// configuration in `bitexact hw` terms (unit, formats, lanes, accumulation model).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hwmodel/cost/primitives.hpp"

namespace bitexact::hw::cost {

struct SynthEntry {
  std::string name;       // "int_mul_8x8"
  std::string kind;       // "primitive" or "unit"
  std::string what;       // one line: what the RTL is
  std::string top;        // the synthesized module
  std::string primitive;  // kind primitive: the Primitives call it measures, e.g. "int_mul(8x8)"
  std::string hw_unit, formats, accum;  // kind unit: `bitexact hw --unit U --formats F --accum A --lanes L [--bits-per-cycle B]`
  int lanes = 0;
  int bits_per_cycle = 0;  // bitserial: --bits-per-cycle (0: the default)
  std::string lut_tile, lut_table, lut_accum;  // lut: --lut-tile, --lut-table, --lut-accum ("": the default)
  long long cells = 0, transistors = 0, dffs = 0;
  int depth = 0;                   // longest topological path, in gates (ltp -noff)
  bool transistors_exact = true;   // false: cells without a CMOS cost (yosys printed "+")
  double ge = 0;                   // transistors / 4
  long long transistors_cmos = 0;  // the same netlist mapped to yosys's full CMOS set (abc -g cmos)
  double area_um2_45 = 0;          // ge x NAND2 area (45 nm)
  std::string script;              // the yosys commands
};

struct SynthTable {
  std::string yosys, date, flow;
  double nand2_um2 = 0;
  std::vector<SynthEntry> entries;
};

// Parses yosys_area.toml's text; throws std::invalid_argument "FILE: line L: what" on a malformed entry.
SynthTable parse_synth_table(std::string_view text, const std::string& file);
// The table embedded at build time (hwmodel/tech/yosys_area.toml).
SynthTable embedded_synth_table();

// The analytic area at 45 nm of a primitive call as written in SynthEntry::primitive ("int_mul(8x8)",
// "int_add(32)", "fp_mul(4x4)", "shifter(32,32)", "reg(32)", "mux(2,8)", "align_norm(24)",
// "normaliser(24)"): the uncalibrated Horowitz / Aladdin constants. Throws std::invalid_argument for
// anything else.
double primitive_area_um2(const Primitives& p, const std::string& call);

}  // namespace bitexact::hw::cost
