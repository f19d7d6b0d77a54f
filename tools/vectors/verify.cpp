#include "tools/vectors/verify.hpp"

#include <fmt/format.h>

#include "emu/value_io.hpp"
#include "formats/codec.hpp"
#include "tools/vectors/generate.hpp"

namespace bitexact::vectors {

bool result_matches(const VectorOp& op, const VerifyPolicy& p, uint64_t want, uint8_t want_flags, uint64_t got,
                    uint8_t got_flags) {
  if (p.check_flags && got_flags != want_flags) return false;
  if (got == want) return true;
  if (p.nan_exact || op.boolean_result()) return false;
  const Format& rf = op.result_format();
  return decode(rf, want).is_nan() && decode(rf, got).is_nan();
}

bool check_case(const VectorOp& op, const Env& env, const VerifyPolicy& p, const ParsedLine& pl, uint64_t index,
                Mismatch* m) {
  Env e = env;
  const uint64_t want = golden(op, p.nan_exact ? p.nan_style : NanStyle::Canonical, pl.x.data(), index, e);
  const bool same = result_matches(op, p, want, e.flags, pl.result, pl.flags);
  if (!same && m) {
    m->x = pl.x;
    m->want = want;
    m->got = pl.result;
    m->want_flags = e.flags;
    m->got_flags = pl.flags;
  }
  return same;
}

VerifyResult verify_stream(std::istream& in, const std::string& name, std::optional<Encoding> encoding,
                           const VectorOp& op, const Env& env, const VerifyPolicy& p, uint64_t first_index,
                           size_t max_report) {
  VerifyResult r;
  ParsedLine pl;
  Mismatch m;
  std::string line;
  uint64_t ordinal = 0;
  for (uint64_t lineno = 1; std::getline(in, line); ++lineno) {
    try {
      if (!encoding) {
        const size_t b = line.find_first_not_of(" \t\r");
        if (b == std::string::npos || line.compare(b, 2, "//") == 0 || line[b] == '#') continue;
        encoding = encoding_from_line(line);
      }
      if (!parse_line(line, *encoding, op, pl)) continue;
      if (!pl.has_result) {
        if (*encoding == Encoding::Jsonl) throw std::invalid_argument(fmt::format("field {} (result): missing", op.arity() + 1));
        throw std::invalid_argument(fmt::format("expected {} fields ({}), found {}", op.arity() + 2, field_names(op),
                                                pl.fields));
      }
      if (p.check_flags && !pl.has_flags) {
        if (*encoding == Encoding::Jsonl) throw std::invalid_argument(fmt::format("field {} (flags): missing", op.arity() + 2));
        throw std::invalid_argument(fmt::format("expected {} fields ({}), found {} (--no-flags accepts lines without "
                                                "flags)",
                                                op.arity() + 2, field_names(op), pl.fields));
      }
    } catch (const std::invalid_argument& e) {
      throw LineError(fmt::format("{}:{}: {}", name, lineno, e.what()));
    }
    const uint64_t index = pl.index.value_or(first_index + ordinal);
    ++ordinal;
    if (check_case(op, env, p, pl, index, &m)) {
      ++r.passed;
    } else {
      ++r.failed;
      m.line = lineno;
      if (r.first.size() < max_report) r.first.push_back(m);
    }
  }
  if (in.bad()) throw LineError(fmt::format("{}: read error", name));
  return r;
}

namespace {
std::string field_text(const VectorOp& op, const Format& f, uint64_t code, bool result) {
  if (result && op.boolean_result()) return fmt::format("{} ({})", code ? 1 : 0, code ? "true" : "false");
  return fmt::format("{:0{}X} ({})", code, (f.width() + 3) / 4, value_to_string(f, code));
}
}  // namespace

std::string describe_mismatch(const VectorOp& op, const std::string& name, const Mismatch& m) {
  std::string ops;
  for (int i = 0; i < op.arity(); ++i)
    ops += fmt::format(" {}={}", op.field_name(i), field_text(op, op.operand_format(i), m.x[size_t(i)], false));
  const Format& rf = op.result_format();
  const size_t w = std::max(field_text(op, rf, m.want, true).size(), field_text(op, rf, m.got, true).size());
  return fmt::format("{}:{}: {}{}\n  expected {:<{}}  flags {:02X} {}\n  actual   {:<{}}  flags {:02X} {}\n", name, m.line,
                     op.name(), ops, field_text(op, rf, m.want, true), w, unsigned(m.want_flags),
                     flags_letters(m.want_flags), field_text(op, rf, m.got, true), w, unsigned(m.got_flags),
                     flags_letters(m.got_flags));
}

}  // namespace bitexact::vectors
