#include "tools/bitexact/cli_common.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <span>

#include <fmt/format.h>

#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "formats/spec_term.hpp"
#include "tools/report/html.hpp"

namespace bitexact::cli {

const char* version() { return BITEXACT_VERSION; }

Format parse_format_option(const std::string& spec, std::string_view option) {
  try {
    return parse_format(spec);
  } catch (const FormatError& e) {
    throw_spec_error(e, option);
  }
}

void throw_spec_error(const FormatError& e, std::string_view prefix) {
  if (dynamic_cast<const FormatFileError*>(&e)) throw InputError(fmt::format("{}: {}", prefix, e.what()));
  throw UsageError(fmt::format("{}: {}", prefix, e.what()));
}

const CLI::Validator& unsigned64() {
  static const CLI::Validator v(
      [](std::string& s) -> std::string {
        const std::string t = trim(s);
        if (t.empty() || t.size() > 20 || !std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); }))
          return "'" + s + "' is not an unsigned integer";
        if (t.size() == 20 && t > "18446744073709551615") return "'" + s + "' does not fit in 64 bits";
        return {};
      },
      "UINT64");
  return v;
}

void EnvOptions::add_to(CLI::App* app) {
  app->add_option("--rounding,-r", rounding,
                  "rounding mode: rne (default), rna, rtz, rup, rdn, rod, sr (stochastic, exact probability) or "
                  "sr:R (R random bits); aliases nearest, near_maxMag, minMag, max, min, odd")
      ->option_text("MODE");
  app->add_option("--overflow", overflow,
                  "overflow policy: ieee (inf, or NaN where the format has no inf; integers clamp with invalid), "
                  "saturate, or wrap (integer and fixed-point formats only: two's-complement wrap-around)")
      ->option_text("ieee|saturate|wrap");
  app->add_option("--subnormals", subnormals,
                  "subnormal policy: keep, ftz (flush tiny results), daz (read subnormal inputs as 0) or ftz+daz")
      ->option_text("POLICY");
  app->add_option("--tininess", tininess, "underflow tininess detection: after (default) or before rounding")
      ->option_text("after|before");
  app->add_option("--preset", preset,
                  "bundle of the choices specs leave open: ocp (default), cuda (saturating, +NaN, rup into "
                  "E8M0) or ml_dtypes (NaN into FP6/FP4 gives -0)")
      ->option_text("ocp|cuda|ml_dtypes");
  app->add_option("--seed", seed, "seed of the stochastic-rounding random stream (default 0)")
      ->option_text("S")
      ->check(unsigned64());
  app->add_option("--random-bits", random_bits,
                  "explicit random words for sr / sr:R instead of the seeded stream, e.g. to replay a DUT's LFSR: "
                  "hex words separated by commas, or @FILE with one hex word per line; element i (value or line i) "
                  "uses word i (sr compares all 64 bits, sr:R uses the low R bits)")
      ->option_text("LIST|@FILE");
}

namespace {

// One random word: hex digits with an optional 0x.
uint64_t parse_random_word(const std::string& text) {
  const std::string w = trim(text);
  const size_t start = w.size() > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X') ? 2 : 0;
  return parse_hex_digits(w, start, "bad random word");
}

std::vector<uint64_t> read_random_words(const std::string& spec) {
  std::vector<uint64_t> words;
  if (!spec.empty() && spec[0] == '@') {
    const std::string path = spec.substr(1);
    std::ifstream in(path);
    if (!in) throw InputError(fmt::format("--random-bits: cannot open '{}'", path));
    std::string line;
    for (size_t lineno = 1; std::getline(in, line); ++lineno) {
      if (trim(line).empty() || trim(line)[0] == '#') continue;
      try {
        words.push_back(parse_random_word(line));
      } catch (const FormatError& e) {
        throw InputError(fmt::format("--random-bits: {} line {}: {}", path, lineno, e.what()));
      }
    }
    return words;
  }
  size_t start = 0, item = 1;
  while (start <= spec.size()) {
    const size_t comma = std::min(spec.find(',', start), spec.size());
    try {
      words.push_back(parse_random_word(spec.substr(start, comma - start)));
    } catch (const FormatError& e) {
      throw UsageError(fmt::format("--random-bits: word {}: {}", item, e.what()));
    }
    start = comma + 1;
    ++item;
  }
  return words;
}

}  // namespace

void EnvOptions::set_element(Env& env, uint64_t index) const {
  env.index = index;
  if (words_.empty()) return;
  if (index >= words_.size())
    throw InputError(fmt::format("--random-bits: element {} needs word {}, but only {} were given", index + 1,
                                 index + 1, words_.size()));
  env.explicit_bits = std::span<const uint64_t>(words_).subspan(index, 1);
  env.explicit_pos = 0;
}

Env EnvOptions::make(const Format& target) const {
  try {
    const Preset p = parse_preset(preset);
    Env env = preset_env(p);
    if (rounding.empty()) {
      env.mode = preset_default_rounding(p, target.has_zero());
    } else {
      int bits = 0;
      env.mode = parse_rounding(rounding, &bits);
      env.sr_bits = bits;
    }
    if (!overflow.empty()) env.overflow = parse_overflow(overflow);
    if (env.overflow == OverflowPolicy::Wrap && target.family != Family::Int)
      throw UsageError(fmt::format("--overflow wrap applies to integer and fixed-point formats, not to {}", target.name));
    if (!subnormals.empty()) env.subnormals = parse_subnormals(subnormals);
    if (!tininess.empty()) env.tininess = parse_tininess(tininess);
    env.seed = seed;
    if (!random_bits.empty()) words_ = read_random_words(random_bits);
    return env;
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

void EnvOptions::check_random_bits_used(const Env& env) const {
  if (!random_bits.empty() && env.mode != RoundingMode::SR && env.mode != RoundingMode::SRR)
    throw UsageError(fmt::format("--random-bits applies to --rounding sr or sr:R, not {}", rounding_name(env.mode, env.sr_bits)));
}

Json EnvOptions::describe(const Env& env) const {
  Json j;
  j["rounding"] = rounding_name(env.mode, env.sr_bits);
  j["overflow"] = std::string(overflow_name(env.overflow));
  j["subnormals"] = std::string(subnormals_name(env.subnormals));
  j["tininess"] = env.tininess == Tininess::AfterRounding ? "after" : "before";
  j["preset"] = std::string(preset_name(parse_preset(preset)));
  return j;
}

Json base_context() {
  Json j;
  j["bitexact"] = version();
  return j;
}

Json format_context(const Format& f) { return {{"name", f.name}, {"spec", spec_string(f)}}; }

OutFormat parse_out_format(const std::string& s) {
  if (s == "table") return OutFormat::Table;
  if (s == "csv") return OutFormat::Csv;
  if (s == "json") return OutFormat::Json;
  if (s == "jsonl") return OutFormat::Jsonl;
  throw UsageError(fmt::format("unknown output format '{}' (expected table, csv, json or jsonl)", s));
}

void write_file(std::string_view option, const std::string& path, std::string_view content) {
  try {
    write_file_atomic(path, content);
  } catch (const std::runtime_error& e) {
    throw InputError(fmt::format("{}: {}", option, e.what()));
  }
}

void write_data(const Globals& g, std::string_view content) {
  if (!g.out.empty() && g.out != "-") return write_file("--out", g.out, content);
  std::cout << content;
  std::cout.flush();
  if (!std::cout) throw InputError("write error on stdout");
}

void write_outputs(const Globals& g, const std::vector<FileOutput>& files, std::string_view data) {
  std::vector<FileOutput> all = files;
  const bool to_file = !g.out.empty() && g.out != "-";
  if (to_file) all.push_back({"--out", g.out, std::string(data)});
  std::vector<std::unique_ptr<AtomicFile>> open;
  for (const FileOutput& f : all) {
    try {
      open.push_back(std::make_unique<AtomicFile>(f.path));
      open.back()->write(f.content);
    } catch (const std::runtime_error& e) {
      throw InputError(fmt::format("{}: {}", f.option, e.what()));
    }
  }
  for (size_t i = 0; i < all.size(); ++i) {
    try {
      open[i]->commit();
    } catch (const std::runtime_error& e) {
      throw InputError(fmt::format("{}: {}", all[i].option, e.what()));
    }
  }
  if (!to_file) {
    std::cout << data;
    std::cout.flush();
    if (!std::cout) throw InputError("write error on stdout");
  }
}

Output::Output(const std::string& path) : path_(path), os_(&std::cout) {
  if (path.empty() || path == "-") return;
  try {
    file_ = std::make_unique<AtomicFile>(path);
  } catch (const std::runtime_error& e) {
    throw InputError(fmt::format("--out: {}", e.what()));
  }
  os_ = &file_->stream();
}

Output::~Output() = default;  // an uncommitted file is removed

void Output::finish() {
  if (!file_) {
    os_->flush();
    if (!*os_) throw InputError("write error on stdout");
    return;
  }
  try {
    file_->commit();
  } catch (const std::runtime_error& e) {
    file_.reset();
    os_ = &std::cout;
    throw InputError(fmt::format("--out: {}", e.what()));
  }
}

// ---------------------------------------------------------------------------------------------
// TableWriter

namespace {
constexpr size_t kTableBufferRows = 1000;  // rows held to size the table's columns; later rows stream

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string r = "\"";
  for (char c : s) {
    if (c == '"') r += '"';
    r += c;
  }
  return r + "\"";
}
}  // namespace

TableWriter::TableWriter(std::ostream& os, OutFormat fmt, std::vector<Column> columns, Json context,
                         std::string rows_key)
    : os_(os), fmt_(fmt), columns_(std::move(columns)), context_(std::move(context)), rows_key_(std::move(rows_key)) {}

std::string TableWriter::text(const Json& cell) const {
  if (cell.is_string()) return cell.get<std::string>();
  if (cell.is_boolean()) return fmt_ == OutFormat::Table ? (cell.get<bool>() ? "yes" : "no") : (cell.get<bool>() ? "true" : "false");
  if (cell.is_null()) return "";
  if (cell.is_array()) {
    std::string s;
    for (const auto& e : cell) s += (s.empty() ? "" : " ") + text(e);
    return s;
  }
  return cell.dump();
}

void TableWriter::print_table_row(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    const size_t pad = widths_[i] > cells[i].size() ? widths_[i] - cells[i].size() : 0;
    if (right_[i]) line.append(pad, ' ');
    line += cells[i];
    if (i + 1 < cells.size()) line.append(right_[i] ? 2 : pad + 2, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  os_ << line << '\n';
}

void TableWriter::flush_table_buffer() {
  if (widths_.empty()) {
    std::vector<std::string> header;
    for (const auto& c : columns_)
      if (!c.data_only && !c.json_only) {
        header.push_back(c.name);
        right_.push_back(c.right);
      }
    widths_.assign(header.size(), 0);
    for (size_t i = 0; i < header.size(); ++i) widths_[i] = header[i].size();
    for (const auto& r : buffer_)
      for (size_t i = 0; i < r.size(); ++i) widths_[i] = std::max(widths_[i], r[i].size());
    print_table_row(header);
  }
  for (const auto& r : buffer_) print_table_row(r);
  buffer_.clear();
}

void TableWriter::row(std::vector<Json> cells) {
  switch (fmt_) {
    case OutFormat::Table: {
      std::vector<std::string> t;
      for (size_t i = 0; i < cells.size(); ++i)
        if (!columns_[i].data_only && !columns_[i].json_only) t.push_back(text(cells[i]));
      buffer_.push_back(std::move(t));
      if (buffer_.size() >= kTableBufferRows) flush_table_buffer();
      break;
    }
    case OutFormat::Csv: {
      if (!started_) {
        os_ << csv_header() << '\n';
        started_ = true;
      }
      std::string line;
      bool first = true;
      for (size_t i = 0; i < cells.size(); ++i) {
        if (columns_[i].table_only || columns_[i].json_only) continue;
        if (!first) line += ',';
        line += csv_field(text(cells[i]));
        first = false;
      }
      os_ << line << '\n';
      break;
    }
    case OutFormat::Json:
    case OutFormat::Jsonl: {
      Json o = Json::object();
      for (size_t i = 0; i < cells.size(); ++i)
        if (!columns_[i].table_only) o[columns_[i].name] = cells[i];
      if (fmt_ == OutFormat::Json) {
        json_rows_.push_back(std::move(o));
        break;
      }
      if (!started_) {
        os_ << document_head().dump() << '\n';
        started_ = true;
      }
      os_ << o.dump() << '\n';
      break;
    }
  }
}

// schema_version, context and the extra members: the JSON document's head, JSONL's first line.
Json TableWriter::document_head() const {
  Json head = Json::object();
  head["schema_version"] = 1;
  head["context"] = context_;
  for (auto& [k, v] : extra_.items()) head[k] = v;
  return head;
}

std::string TableWriter::csv_header() const {
  std::string h;
  for (const auto& c : columns_)
    if (!c.table_only && !c.json_only) h += (h.empty() ? "" : ",") + csv_field(c.name);
  return h;
}

void TableWriter::finish() {
  if (finished_) return;
  finished_ = true;
  switch (fmt_) {
    case OutFormat::Table:
      if (!buffer_.empty() || !widths_.empty()) flush_table_buffer();  // no rows: no bare header
      break;
    case OutFormat::Csv:
      if (!started_) {
        os_ << csv_header() << '\n';
      }
      break;
    case OutFormat::Json: {
      Json doc = document_head();
      Json& rows = json_rows_;
      doc[rows_key_] = std::move(rows);
      os_ << doc.dump(2) << '\n';
      break;
    }
    case OutFormat::Jsonl:
      if (!started_) {
        os_ << document_head().dump() << '\n';
      }
      break;
  }
  os_.flush();
}

// ---------------------------------------------------------------------------------------------
// Helpers

std::string code_hex(const Format& f, uint64_t code) {
  return fmt::format("0x{:0{}x}", code, (f.width() + 3) / 4);
}

std::string code_hex_upper(const Format& f, uint64_t code) {
  return fmt::format("{:0{}X}", code, (f.width() + 3) / 4);
}

std::string flags_hex(uint8_t flags) { return fmt::format("{:02x}", unsigned(flags)); }

std::string wrap(std::string_view text, size_t width, std::string_view indent) {
  std::string out, line;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    const std::string_view word = text.substr(i, j - i);
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += std::string(indent) + line + "\n";
      line.clear();
    }
    if (!word.empty()) line += (line.empty() ? "" : " ") + std::string(word);
    i = j;
  }
  if (!line.empty()) out += std::string(indent) + line + "\n";
  return out;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split_spec_list(const std::vector<std::string>& args, std::string_view option) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    size_t i = 0, end = 0;
    do {
      end = nested_item_end(a, i);
      out.push_back(trim(std::string_view(a).substr(i, end - i)));
      i = end + 1;
    } while (end < a.size());
  }
  for (const std::string& s : out)
    if (s.empty()) throw UsageError(fmt::format("{}: empty entry in the list", option));
  return out;
}

bool is_code_token(std::string_view t) {
  if (t.size() < 2 || t[0] != '0' || (t[1] != 'x' && t[1] != 'X')) return false;
  return t.find_first_of(".pP") == std::string_view::npos;
}

uint64_t parse_hex_digits(const std::string& token, size_t start, std::string_view what) {
  if (start >= token.size()) throw FormatError(fmt::format("{}: expected hex digits", what), token, start);
  uint64_t v = 0;
  for (size_t i = start; i < token.size(); ++i) {
    const char c = token[i];
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0) throw FormatError(fmt::format("{}: unexpected character '{}'", what, c), token, i);
    if (v >> 60) throw FormatError(fmt::format("{}: more than 64 bits", what), token, i);
    v = v * 16 + uint64_t(d);
  }
  return v;
}

uint64_t parse_code(const Format& f, std::string_view token) {
  const std::string input(token);
  const uint64_t v = parse_hex_digits(input, 2, "bad code");
  if (v > f.facts.code_mask)
    throw FormatError(fmt::format("bad code: {} does not fit {} ({} bits)", token, f.name, f.width()), input, 0);
  return v;
}

std::string input_error(const std::string& where, const std::exception& e) {
  return fmt::format("{}: {}", where, e.what());
}

}  // namespace bitexact::cli
