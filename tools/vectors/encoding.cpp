#include "tools/vectors/encoding.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "emu/value_io.hpp"

namespace bitexact::vectors {

Encoding parse_encoding(std::string_view s) {
  if (s == "testfloat") return Encoding::TestFloat;
  if (s == "tv") return Encoding::Tv;
  if (s == "jsonl") return Encoding::Jsonl;
  throw std::invalid_argument(fmt::format("unknown encoding '{}' (expected testfloat, tv or jsonl)", s));
}

std::string_view encoding_name(Encoding e) {
  switch (e) {
    case Encoding::TestFloat: return "testfloat";
    case Encoding::Tv: return "tv";
    case Encoding::Jsonl: return "jsonl";
  }
  return "?";
}

std::string_view encoding_extension(Encoding e) {
  switch (e) {
    case Encoding::TestFloat: return ".txt";
    case Encoding::Tv: return ".tv";
    case Encoding::Jsonl: return ".jsonl";
  }
  return "";
}

std::optional<Encoding> encoding_from_path(std::string_view path) {
  auto ends = [&](std::string_view s) { return path.size() >= s.size() && path.substr(path.size() - s.size()) == s; };
  if (ends(".tv")) return Encoding::Tv;
  if (ends(".jsonl") || ends(".json")) return Encoding::Jsonl;
  if (ends(".txt")) return Encoding::TestFloat;
  return std::nullopt;
}

Encoding encoding_from_line(std::string_view line) {
  const size_t b = line.find_first_not_of(" \t");
  if (b != std::string_view::npos && line[b] == '{') return Encoding::Jsonl;
  return line.find('_') != std::string_view::npos ? Encoding::Tv : Encoding::TestFloat;
}

namespace {

void append_hex(std::string& out, uint64_t v, int width_bits) {
  fmt::format_to(std::back_inserter(out), "{:0{}X}", v, (width_bits + 3) / 4);
}

void append_result_text(std::string& out, const VectorOp& op, uint64_t r) {
  if (op.boolean_result()) out += r ? '1' : '0';
  else append_hex(out, r, op.result_format().width());
}

std::string code_text(const Format& f, uint64_t code) { return fmt::format("0x{:0{}x}", code, (f.width() + 3) / 4); }

}  // namespace

void append_line(std::string& out, Encoding e, const VectorOp& op, const uint64_t* x, uint64_t result, uint8_t flags,
                 uint64_t index) {
  const int n = op.arity();
  if (e != Encoding::Jsonl) {
    const char sep = e == Encoding::Tv ? '_' : ' ';
    for (int i = 0; i < n; ++i) {
      append_hex(out, x[i], op.operand_format(i).width());
      out += sep;
    }
    append_result_text(out, op, result);
    out += sep;
    fmt::format_to(std::back_inserter(out), "{:02X}\n", unsigned(flags));
    return;
  }
  fmt::format_to(std::back_inserter(out), "{{\"index\":{}", index);
  for (int i = 0; i < n; ++i)
    fmt::format_to(std::back_inserter(out), ",\"{}\":\"{}\"", op.field_name(i), code_text(op.operand_format(i), x[i]));
  if (op.boolean_result()) fmt::format_to(std::back_inserter(out), ",\"result\":{}", result ? "true" : "false");
  else fmt::format_to(std::back_inserter(out), ",\"result\":\"{}\"", code_text(op.result_format(), result));
  fmt::format_to(std::back_inserter(out), ",\"flags\":{}", unsigned(flags));
  for (int i = 0; i < n; ++i)
    fmt::format_to(std::back_inserter(out), ",\"{}_value\":\"{}\"", op.field_name(i),
                   value_to_string(op.operand_format(i), x[i]));
  if (!op.boolean_result())
    fmt::format_to(std::back_inserter(out), ",\"result_value\":\"{}\"", value_to_string(op.result_format(), result));
  fmt::format_to(std::back_inserter(out), ",\"flag_letters\":\"{}\"}}\n", flags_letters(flags));
}

std::string field_names(const VectorOp& op) {
  std::string s;
  for (int i = 0; i < op.arity(); ++i) s += op.field_name(i) + " ";
  return s + "result flags";
}

namespace {

[[noreturn]] void field_error(int field, const std::string& name, const std::string& what) {
  throw std::invalid_argument(fmt::format("field {} ({}): {}", field, name, what));
}

// Hex digits (optional 0x) of at most `bits` bits.
uint64_t parse_hex_field(std::string_view tok, int field, const std::string& name, int bits, const std::string& fmt_name) {
  std::string_view d = tok;
  if (d.size() > 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) d.remove_prefix(2);
  if (d.empty()) field_error(field, name, fmt::format("'{}' has no hex digits", tok));
  uint64_t v = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    const char c = d[i];
    int h = -1;
    if (c >= '0' && c <= '9') h = c - '0';
    else if (c >= 'a' && c <= 'f') h = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') h = c - 'A' + 10;
    if (h < 0) field_error(field, name, fmt::format("'{}' is not hex (unexpected character '{}')", tok, c));
    if (v >> 60) field_error(field, name, fmt::format("'{}' is wider than 64 bits", tok));
    v = v * 16 + uint64_t(h);
  }
  if (bits < 64 && (v >> bits) != 0)
    field_error(field, name, fmt::format("'{}' does not fit {} ({} bits)", tok, fmt_name, bits));
  return v;
}

constexpr uint64_t kFlagBits = 5;

}  // namespace

bool parse_line(std::string_view line, Encoding e, const VectorOp& op, ParsedLine& out) {
  const size_t b = line.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return false;
  const std::string_view body = line.substr(b);
  if (body.rfind("//", 0) == 0 || body[0] == '#') return false;
  const int n = op.arity();
  out.x.resize(size_t(n));
  out.has_result = out.has_flags = false;
  out.index.reset();
  const std::string rname = "result";
  const int rbits = op.boolean_result() ? 1 : op.result_format().width();
  const std::string rfmt = op.boolean_result() ? std::string("a boolean result") : op.result_format().name;

  if (e == Encoding::Jsonl) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(body);
    } catch (const nlohmann::json::exception& err) {  // parse_error, and out_of_range for a number beyond double
      const std::string what = err.what();  // "[json.exception.parse_error.101] parse error at ..."
      const size_t b = what.find("] ");
      throw std::invalid_argument(fmt::format("not a JSON object: {}", b == std::string::npos ? what : what.substr(b + 2)));
    }
    if (!j.is_object()) throw std::invalid_argument("not a JSON object");
    auto code = [&](const nlohmann::json& v, int field, const std::string& name, int bits, const std::string& fname) {
      if (v.is_string()) return parse_hex_field(v.get<std::string>(), field, name, bits, fname);
      if (v.is_boolean() && bits == 1) return uint64_t(v.get<bool>());
      if (v.is_number_unsigned()) {
        const uint64_t u = v.get<uint64_t>();
        if (bits < 64 && (u >> bits)) field_error(field, name, fmt::format("{} does not fit {} ({} bits)", u, fname, bits));
        return u;
      }
      field_error(field, name, "expected a hex code string such as \"0x3c00\"");
    };
    for (int i = 0; i < n; ++i) {
      const std::string name = op.field_name(i);
      const auto it = j.find(name);
      if (it == j.end()) field_error(i + 1, name, "missing");
      out.x[size_t(i)] = code(*it, i + 1, name, op.operand_format(i).width(), op.operand_format(i).name);
    }
    if (const auto it = j.find("result"); it != j.end()) {
      out.result = code(*it, n + 1, rname, rbits, rfmt);
      out.has_result = true;
    }
    if (const auto it = j.find("flags"); it != j.end()) {
      out.flags = uint8_t(code(*it, n + 2, "flags", int(kFlagBits), "the five flags"));
      out.has_flags = true;
    }
    if (const auto it = j.find("index"); it != j.end() && it->is_number_unsigned()) out.index = it->get<uint64_t>();
    return true;
  }

  // Text: fields separated by spaces, tabs or '_'.
  std::string_view toks[64];
  int count = 0;
  size_t i = 0;
  while (i < body.size()) {
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '_' || body[i] == '\r')) ++i;
    if (i >= body.size()) break;
    size_t j = i;
    while (j < body.size() && body[j] != ' ' && body[j] != '\t' && body[j] != '_' && body[j] != '\r') ++j;
    if (count == 64) throw std::invalid_argument("more than 64 fields");
    toks[count++] = body.substr(i, j - i);
    i = j;
  }
  out.fields = count;
  if (count < n || count > n + 2)
    throw std::invalid_argument(fmt::format("expected {} fields ({}) or {} operands, found {}", n + 2, field_names(op),
                                            n, count));
  for (int k = 0; k < n; ++k)
    out.x[size_t(k)] = parse_hex_field(toks[k], k + 1, op.field_name(k), op.operand_format(k).width(),
                                       op.operand_format(k).name);
  if (count > n) {
    out.result = parse_hex_field(toks[n], n + 1, rname, rbits, rfmt);
    out.has_result = true;
  }
  if (count > n + 1) {
    out.flags = uint8_t(parse_hex_field(toks[n + 1], n + 2, "flags", int(kFlagBits), "the five flags"));
    out.has_flags = true;
  }
  return true;
}

}  // namespace bitexact::vectors
