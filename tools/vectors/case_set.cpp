#include "tools/vectors/case_set.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "emu/random.hpp"
#include "emu/value_io.hpp"
#include "tools/vectors/patterns.hpp"

namespace bitexact::vectors {

Level parse_level(std::string_view s) {
  if (s == "sanity") return Level::Sanity;
  if (s == "standard") return Level::Standard;
  if (s == "exhaustive") return Level::Exhaustive;
  throw std::invalid_argument(fmt::format("unknown level '{}' (expected sanity, standard or exhaustive)", s));
}

std::string_view level_name(Level l) {
  switch (l) {
    case Level::Sanity: return "sanity";
    case Level::Standard: return "standard";
    case Level::Exhaustive: return "exhaustive";
    case Level::List: return "list";
  }
  return "?";
}

namespace {
constexpr int kSanityTripleCodes = 8;
constexpr int kMaxExhaustiveBits = 18;
}  // namespace

CaseSet::CaseSet(const VectorOp& op, Level level, uint64_t seed, std::optional<uint64_t> count)
    : level_(level), seed_(seed), arity_(op.arity()) {
  if (count && level != Level::Standard)
    throw std::invalid_argument(fmt::format("--count applies to --level standard only ({} has a fixed size)",
                                            level_name(level)));
  int total_bits = 0, widest = 0;
  for (int i = 0; i < arity_; ++i) {
    const Format& f = op.operand_format(i);
    widths_.push_back(f.width());
    masks_.push_back(f.facts.code_mask);
    sign_bits_.push_back(f.facts.sign_bit);
    man_bits_.push_back(f.is_float() ? f.fp.man_bits : -1);
    total_bits += f.width();
    widest = std::max(widest, f.width());
    if (level == Level::Sanity) {
      std::vector<uint64_t> l = sanity_codes(f);
      if (arity_ == 3 && l.size() > size_t(kSanityTripleCodes)) l.resize(kSanityTripleCodes);
      lists_.push_back(std::move(l));
    } else {
      lists_.push_back(pattern_codes(f));
    }
    exps_.push_back(f.is_float() ? pattern_exponents(f) : std::vector<uint64_t>{});
  }
  switch (level) {
    case Level::Sanity:
      if (arity_ > 3) {
        size_t shortest = lists_[0].size();
        for (int i = 0; i < arity_; ++i) {
          const Format& f = op.operand_format(i);
          Env env;
          const uint64_t one = value_from_string(f, "1", env);
          base_.push_back(env.flags ? lists_[size_t(i)][0] : one);
          one_hot_ += lists_[size_t(i)].size();
          shortest = std::min(shortest, lists_[size_t(i)].size());
        }
        size_ = one_hot_ + shortest;
        break;
      }
      size_ = 1;
      for (const auto& l : lists_) size_ *= l.size();
      break;
    case Level::Standard:
      size_ = count.value_or(kDefaultStandardCount);
      break;
    case Level::Exhaustive: {
      const bool ok = (arity_ == 1 && widest <= 16) || (arity_ == 2 && widest <= 8) || (arity_ == 3 && widest <= 6) ||
                      total_bits <= kMaxExhaustiveBits;
      if (!ok)
        throw std::invalid_argument(fmt::format(
            "--level exhaustive: {} on {} has 2^{} operand tuples; exhaustive covers every code of formats of up to "
            "16 bits, every pair up to 8 bits and every triple up to 6 bits (use --level standard)",
            op.name(), op.f.name, total_bits));
      size_ = uint64_t{1} << total_bits;
      break;
    }
    case Level::List: throw std::invalid_argument("CaseSet: a list level needs the operand list");
  }
}

CaseSet::CaseSet(const VectorOp& op, std::vector<uint64_t> flat_operands)
    : level_(Level::List), seed_(0), arity_(op.arity()), list_(std::move(flat_operands)) {
  size_ = list_.size() / size_t(arity_);
}

void CaseSet::operands(uint64_t index, uint64_t* x) const {
  switch (level_) {
    case Level::List:
      for (int i = 0; i < arity_; ++i) x[i] = list_[index * uint64_t(arity_) + uint64_t(i)];
      return;
    case Level::Sanity:
      if (arity_ > 3) {
        if (index >= one_hot_) {
          for (int i = 0; i < arity_; ++i) x[i] = lists_[size_t(i)][index - one_hot_];
          return;
        }
        for (int i = 0; i < arity_; ++i) x[i] = base_[size_t(i)];
        for (int i = 0; i < arity_; ++i) {
          const auto& l = lists_[size_t(i)];
          if (index < l.size()) {
            x[i] = l[index];
            return;
          }
          index -= l.size();
        }
        return;
      }
      for (int i = arity_ - 1; i >= 0; --i) {
        const auto& l = lists_[size_t(i)];
        x[i] = l[index % l.size()];
        index /= l.size();
      }
      return;
    case Level::Exhaustive:
      for (int i = arity_ - 1; i >= 0; --i) {
        x[i] = index & masks_[size_t(i)];
        index >>= widths_[size_t(i)];
      }
      return;
    case Level::Standard:
      for (int i = 0; i < arity_; ++i) {
        const uint64_t r = counter_random(seed_, uint64_t(i) + 1, index);
        const uint64_t r2 = counter_random(seed_, uint64_t(i) + 1 + 0x100, index);
        const auto& pats = lists_[size_t(i)];
        const auto& exps = exps_[size_t(i)];
        const int m = man_bits_[size_t(i)];
        const uint64_t mask = masks_[size_t(i)];
        switch (r & 3) {
          case 0:
          case 1: x[i] = pats[(r >> 2) % pats.size()]; break;
          case 2:
            if (m >= 0 && !exps.empty()) {
              const uint64_t man_mask = m ? (uint64_t{1} << m) - 1 : 0;
              const uint64_t e = exps[(r >> 2) % exps.size()];
              const uint64_t sign = (r >> 40) & 1 ? sign_bits_[size_t(i)] : 0;
              x[i] = ((e << m) | (r2 & man_mask) | sign) & mask;
              break;
            }
            [[fallthrough]];
          default: x[i] = r2 & mask; break;
        }
      }
      return;
  }
}

}  // namespace bitexact::vectors
