// Shared pieces of the bitexact CLI: exit codes and the errors that map to them, the global
// options, the environment options (rounding, overflow, ...), format-spec options, the output
// sink (stdout or --out FILE) and the tabular writer behind every --format table|csv|json|jsonl.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "emu/atomic_file.hpp"
#include "emu/env.hpp"
#include "formats/error.hpp"
#include "formats/format.hpp"

namespace bitexact::cli {

// JSON that keeps members in insertion order (schema_version and context first).
using Json = nlohmann::ordered_json;

// Exit codes (shared/DESIGN.md "Interfaces").
inline constexpr int kExitOk = 0;
inline constexpr int kExitMismatch = 1;  // a verification found a difference
inline constexpr int kExitUsage = 2;     // bad option, format spec, mode name, operand count
inline constexpr int kExitInput = 3;     // bad input value or line, unreadable or unwritable file

// Thrown by commands; main() prints "bitexact: <what>" as one line and exits with the code.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The version from CMake's PROJECT_VERSION.
const char* version();

// Options of the top-level app, valid before or after the subcommand.
struct Globals {
  std::string catalog;  // --catalog FILE
  std::string out;      // --out FILE ("" or "-": stdout)
};

// A leaf subcommand and what runs it once the command line is parsed.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};
using Registry = std::vector<Command>;

// One function per subcommand file.
void add_formats_command(CLI::App& root, const Globals& globals, Registry& registry);
void add_convert_command(CLI::App& root, const Globals& globals, Registry& registry);
void add_calc_command(CLI::App& root, const Globals& globals, Registry& registry);
void add_selfcheck_command(CLI::App& root, const Globals& globals, Registry& registry);
void add_error_command(CLI::App& root, const Globals& globals, Registry& registry);
void add_gen_command(CLI::App& root, const Globals& globals, Registry& registry);
void add_verify_command(CLI::App& root, const Globals& globals, Registry& registry);
void add_merge_command(CLI::App& root, const Globals& globals, Registry& registry);
void add_hw_command(CLI::App& root, const Globals& globals, Registry& registry);
void add_dot_command(CLI::App& root, const Globals& globals, Registry& registry);
void add_explore_command(CLI::App& root, const Globals& globals, Registry& registry);
// `bitexact merge` of `explore --shard` folders (cmd_explore.cpp).
int merge_explore_shards(const std::vector<std::string>& dirs, const std::string& out_dir);

// A format spec given to an option; a bad spec is a UsageError naming the option and position.
Format parse_format_option(const std::string& spec, std::string_view option);
// A spec's FormatError (format, scheme, accumulation model) as the CLI's error, "PREFIX: what":
// a codebook file named inside it that is missing or malformed is bad input (InputError, exit 3),
// anything else a bad option (UsageError, exit 2).
[[noreturn]] void throw_spec_error(const FormatError& e, std::string_view prefix);

// --rounding, --overflow, --subnormals, --tininess, --preset, --seed.
// CLI11 validator for counts and seeds: decimal digits only, at most 2^64-1 (CLI11 alone would wrap
// "-1" around to 2^64-1).
const CLI::Validator& unsigned64();

struct EnvOptions {
  std::string rounding;  // empty: the preset's default for the target
  std::string overflow;
  std::string subnormals;
  std::string tininess;
  std::string preset = "ocp";
  uint64_t seed = 0;
  std::string random_bits;  // "w0,w1,..." or "@FILE": explicit random words, one per element

  void add_to(CLI::App* app);
  // preset_env(preset), then the explicit options; throws UsageError on a bad name, and reads
  // --random-bits (a bad word is a UsageError, an unreadable or malformed file an InputError).
  Env make(const Format& target) const;
  // With --random-bits, a UsageError unless env's mode is sr or sr:R (the words would go unread);
  // for commands whose only rounding is env's.
  void check_random_bits_used(const Env& env) const;
  // Element `index` of a run: its counter-based index, or with --random-bits the index-th word
  // (an InputError when there are fewer words than elements).
  void set_element(Env& env, uint64_t index) const;
  // The context block entries describing env (rounding, overflow, ...).
  Json describe(const Env& env) const;

 private:
  mutable std::vector<uint64_t> words_;
};

// The JSON/JSONL context block: version, seed and whatever the command adds.
Json base_context();
// {"name": canonical or spec, "spec": spec string} for the context block.
Json format_context(const Format& f);

enum class OutFormat { Table, Csv, Json, Jsonl };
OutFormat parse_out_format(const std::string& s);  // throws UsageError
inline const char* kOutFormatHelp = "output: table (aligned, for people), csv, json (one document) or jsonl";

// A finished document written atomically to path (temp file + rename), so a failure leaves no half
// file; a failure is an InputError naming the option ("--html: ...").
void write_file(std::string_view option, const std::string& path, std::string_view content);
// A finished document to stdout, or atomically to the --out file.
void write_data(const Globals& g, std::string_view content);
// Finished documents written together: every temporary file (the --out file's too) is created and
// written before any is renamed into place, so an output path that cannot be written leaves none
// of the others behind. `data` goes to stdout, or to the --out file.
struct FileOutput {
  std::string option;  // "--html", for messages
  std::string path;
  std::string content;
};
void write_outputs(const Globals& g, const std::vector<FileOutput>& files, std::string_view data);

// stdout, or the --out file, written atomically (AtomicFile): the bytes go to a temporary
// file beside it, and finish() renames it into place. A run that ends without finish() (an error
// part-way, an exception) leaves no file at the --out path; on stdout, rows already written stay.
class Output {
 public:
  // Creating the temporary file failed: an InputError ("--out: PATH: cannot open for writing: ...").
  explicit Output(const std::string& path);
  ~Output();
  std::ostream& stream() { return *os_; }
  // Flushes (and for a file renames it into place); a write failure is an InputError.
  void finish();

 private:
  std::string path_;
  std::unique_ptr<AtomicFile> file_;
  std::ostream* os_;
};

// Tabular output. Each row is a list of JSON cells (strings, integers, booleans, arrays):
// table prints them as aligned text, csv as RFC 4180 fields, json as one document
// {"schema_version": 1, "context": ..., <rows_key>: [ {column: cell, ...}, ... ]}, jsonl as a
// first line {"schema_version": 1, "context": ...} and then one object per row.
// Rows already passed stay valid output: finish() closes the document whatever happened.
class TableWriter {
 public:
  struct Column {
    std::string name;
    bool table_only = false;  // shown in table output only (e.g. flag letters)
    bool data_only = false;   // left out of table output (e.g. long descriptions)
    bool right = false;       // right-aligned in table output (counts)
    bool json_only = false;   // only in json/jsonl (e.g. nested histograms)
  };
  TableWriter(std::ostream& os, OutFormat fmt, std::vector<Column> columns, Json context,
              std::string rows_key = "rows");
  void row(std::vector<Json> cells);
  void finish();
  // Extra top-level members of the JSON document (and of the JSONL first line).
  void set_extra(const std::string& key, Json value) { extra_[key] = std::move(value); }

 private:
  void flush_table_buffer();
  Json document_head() const;
  std::string csv_header() const;
  void print_table_row(const std::vector<std::string>& cells);
  std::string text(const Json& cell) const;

  std::ostream& os_;
  OutFormat fmt_;
  std::vector<Column> columns_;
  Json context_;
  std::string rows_key_;
  Json extra_ = Json::object();
  Json json_rows_ = Json::array();
  std::vector<std::vector<std::string>> buffer_;  // table: rows held to size the columns
  std::vector<size_t> widths_;
  std::vector<bool> right_;  // per table column
  bool started_ = false;
  bool finished_ = false;
};

// Formatting helpers.
std::string code_hex(const Format& f, uint64_t code);          // "0x7e": lowercase, ceil(width/4) digits
std::string code_hex_upper(const Format& f, uint64_t code);    // "7E": TestFloat style, no prefix
std::string flags_hex(uint8_t flags);                          // "01"
std::string wrap(std::string_view text, size_t width, std::string_view indent = "");
std::string trim(std::string_view s);
// Splits repeated list options ("a,b<k=1,m=2>,c") at the commas outside <...>, trimmed; an
// empty entry is a UsageError naming `option`.
std::vector<std::string> split_spec_list(const std::vector<std::string>& args, std::string_view option);

// A "0x..." token meaning a code of f: hex digits only (no '.', 'p' or sign). Returns false if
// the token is not spelled as a code; throws FormatError (input, position) if it is but is bad.
bool is_code_token(std::string_view token);
uint64_t parse_code(const Format& f, std::string_view token);
// The hex digits of token from `start` on as a number of at most 64 bits; a FormatError starting
// with `what` and naming the offending character's position otherwise.
uint64_t parse_hex_digits(const std::string& token, size_t start, std::string_view what);

// Where a bad input came from, for error messages: "argument 2", "stdin line 3".
std::string input_error(const std::string& where, const std::exception& e);

}  // namespace bitexact::cli
