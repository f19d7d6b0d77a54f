// The technology tables of the cost model: every constant is data (hwmodel/tech/*.toml) with its
// value, unit, source, node, voltage and how it was obtained, plus the node-scaling factors.
// The files are embedded at build time; `load_tech_dir` reads a folder of them at run time
// (bitexact hw --tech DIR), its constants replacing the embedded ones of the same name.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bitexact::hw::cost {

struct TechConstant {
  std::string key;     // "file.name", e.g. "horowitz45.int_mul_area"
  double value = 0;
  std::string unit;
  std::string source;  // document + table/section
  std::string how;     // "V" verified (read from the source), "D" derived, "M" modelling assumption
  std::string note;
  double node_nm = 0;      // where the number was measured or synthesised
  double voltage_v = 0;
  double model_node_nm = 0;  // the node at which the model uses it (its file's reference node)
};

// One factor: area (energy) at from_nm x factor = area (energy) at to_nm.
struct NodeFactor {
  double from_nm = 0, to_nm = 0;
  double area = 1, energy = 1;
  std::string source;
};

struct NodeScale {
  double area = 1, energy = 1;
  std::string path;  // "45->28" or "45->28->5"
};

class TechLibrary {
 public:
  // The tables embedded at build time (hwmodel/tech/*.toml).
  static TechLibrary embedded();
  // Parses one file's text; `file` names it ("horowitz45"). Throws std::invalid_argument with
  // "FILE: line L: what" on a malformed file or a constant without value/unit/source/how.
  void add_toml(std::string_view text, const std::string& file);
  // Every *.toml in dir (sorted by name); a missing folder or no .toml file is an error.
  void add_dir(const std::string& dir);

  // Throws std::invalid_argument naming the key if it is not defined.
  const TechConstant& at(const std::string& key) const;
  double operator()(const std::string& key) const { return at(key).value; }
  const std::map<std::string, TechConstant>& constants() const { return constants_; }
  const std::vector<NodeFactor>& node_factors() const { return factors_; }

  // Area/energy factor from one node to another: 1 for the same node, a direct factor (or its
  // reciprocal) when one is listed, else the shortest chain of listed factors. Throws
  // std::invalid_argument listing the known nodes when there is no path.
  NodeScale scale(double from_nm, double to_nm) const;
  std::vector<double> nodes() const;

 private:
  std::map<std::string, TechConstant> constants_;
  std::vector<NodeFactor> factors_;
};

}  // namespace bitexact::hw::cost
