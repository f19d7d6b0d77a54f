#include "emu/reference/conformance.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "emu/ops.hpp"
#include "emu/random.hpp"
#include "formats/catalog.hpp"

namespace bitexact::reference {

namespace {

const Format& catalogued(const std::string& name) {
  const CatalogEntry* e = active_catalog().find(name);
  if (!e) throw std::invalid_argument(fmt::format("conformance: unknown format '{}'", name));
  return e->format;
}

uint64_t draws_taken(const Env& before, const Env& after) {
  return !before.explicit_bits.empty() ? after.explicit_pos - before.explicit_pos : after.index - before.index;
}

std::string hex(const Format& f, uint64_t code) {
  return fmt::format("0x{:0{}x}", code, (f.width() + 3) / 4);
}

struct Job {
  ConformanceRow row;
  Env env;
  uint64_t n = 0;
  std::function<Case(uint64_t)> gen;
};

}  // namespace

OracleResult run_oracle(const Case& c, const Env& env, Method method) {
  switch (c.op) {
    case Op::Convert: return oracle_convert(*c.f, c.a, *c.to, env, method);
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div: return oracle_binary(c.op, *c.f, c.a, c.b, env, method);
    case Op::Fma: return oracle_fma(*c.f, c.a, c.b, c.c, env, method);
    case Op::Sqrt: return oracle_sqrt(*c.f, c.a, env, method);
  }
  throw std::invalid_argument("run_oracle: unknown op");
}

CaseOutcome check_case(const Case& c, const Env& env, Method method) {
  CaseOutcome o;
  Env e = env;
  e.flags = 0;
  switch (c.op) {
    case Op::Convert: o.core_code = convert(*c.f, c.a, *c.to, e); break;
    case Op::Add: o.core_code = add(*c.f, c.a, c.b, e); break;
    case Op::Sub: o.core_code = sub(*c.f, c.a, c.b, e); break;
    case Op::Mul: o.core_code = mul(*c.f, c.a, c.b, e); break;
    case Op::Div: o.core_code = div(*c.f, c.a, c.b, e); break;
    case Op::Fma: o.core_code = fma(*c.f, c.a, c.b, c.c, e); break;
    case Op::Sqrt: o.core_code = sqrt(*c.f, c.a, e); break;
  }
  o.core_flags = e.flags;
  o.core_draws = uint8_t(draws_taken(env, e));
  o.oracle = run_oracle(c, env, method);
  return o;
}

std::string env_name(const Env& env) {
  std::string s = rounding_name(env.mode, env.sr_bits) + "/" + std::string(overflow_name(env.overflow));
  if (env.tininess == Tininess::BeforeRounding) s += "/tininess=before";
  if (env.subnormals != SubnormalPolicy::Keep) s += "/" + std::string(subnormals_name(env.subnormals));
  if (env.nan_to_nonan != NanToNoNan::Max) s += "/nan_to_nonan=zero";
  if (env.nan_sign != NanSign::Preserve) s += "/nan_sign=positive";
  return s;
}

std::string describe_case(const Case& c, const Env& env, const CaseOutcome& o) {
  std::string s = fmt::format("{} {}", c.f->name, op_name(c.op));
  if (c.op == Op::Convert) s += "->" + c.to->name;
  s += " " + env_name(env) + " a=" + hex(*c.f, c.a);
  if (c.op != Op::Convert && c.op != Op::Sqrt) s += " b=" + hex(*c.f, c.b);
  if (c.op == Op::Fma) s += " c=" + hex(*c.f, c.c);
  const Format& rf = c.op == Op::Convert ? *c.to : *c.f;
  s += fmt::format(": core {} {}", hex(rf, o.core_code), flags_letters(o.core_flags));
  if (o.core_draws != o.oracle.draws) s += fmt::format(" ({} draws)", o.core_draws);
  s += fmt::format(", oracle {} {}", hex(rf, o.oracle.code), flags_letters(o.oracle.flags));
  if (o.core_draws != o.oracle.draws) s += fmt::format(" ({} draws)", o.oracle.draws);
  return s;
}

void parallel_for(uint64_t n, unsigned threads, const std::function<void(uint64_t)>& fn, uint64_t chunk) {
  if (threads <= 1 || n <= chunk) {
    for (uint64_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<uint64_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    try {
      for (;;) {
        const uint64_t begin = next.fetch_add(chunk);
        if (begin >= n) return;
        const uint64_t end = std::min(n, begin + chunk);
        for (uint64_t i = begin; i < end; ++i) fn(i);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next = n;
    }
  };
  std::vector<std::thread> pool;
  try {
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  } catch (const std::system_error&) {
    // The system refused another thread: the ones running finish the work (at least this one).
    if (pool.empty()) worker();
  }
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

std::vector<ConformanceRow> run_conformance(const ConformanceOptions& opt, const ProgressFn& progress) {
  std::vector<const Format*> formats, targets, wide;
  if (opt.formats.empty()) {
    for (const CatalogEntry& e : active_catalog().entries())
      if (e.format.width() <= 8) formats.push_back(&e.format);
  } else {
    for (const std::string& n : opt.formats) formats.push_back(&catalogued(n));
  }
  if (opt.convert_targets.empty()) {
    for (const CatalogEntry& e : active_catalog().entries()) targets.push_back(&e.format);
  } else {
    for (const std::string& n : opt.convert_targets) targets.push_back(&catalogued(n));
  }
  for (const std::string& n : opt.wide_sources)  // a user catalogue may lack them: skip, not fail
    if (const CatalogEntry* e = active_catalog().find(n)) wide.push_back(&e->format);
  std::vector<RoundingMode> modes = opt.modes;
  if (modes.empty())
    modes = {RoundingMode::RNE, RoundingMode::RNA, RoundingMode::RTZ,
             RoundingMode::RUP, RoundingMode::RDN, RoundingMode::ROD};
  std::vector<OverflowPolicy> policies = opt.overflow;
  if (policies.empty()) policies = {OverflowPolicy::Ieee, OverflowPolicy::Saturate};
  std::vector<RoundingMode> vmodes = opt.variant_modes;
  if (vmodes.empty()) vmodes = modes;

  std::vector<Job> jobs;
  // All rows of one (format, env): convert, wide conversions into it, sqrt, binary ops, fma.
  auto add_rows = [&](const Format& f, const Env& env, const std::string& variant, uint64_t fma_random) {
    const uint64_t nf = uint64_t{1} << f.width();
    auto job = [&](std::string op, uint64_t n, std::function<Case(uint64_t)> gen, const Format& shown) {
      Job j;
      j.row.format = shown.name;
      j.row.operation = std::move(op);
      j.row.mode = rounding_name(env.mode, env.sr_bits);
      j.row.overflow = std::string(overflow_name(env.overflow));
      j.row.variant = variant;
      j.row.cases = n;
      j.env = env;
      j.n = n;
      j.gen = std::move(gen);
      jobs.push_back(std::move(j));
    };
    const Format* fp = &f;
    if (opt.convert) {
      const std::vector<const Format*> ts = targets;
      job("convert", nf * ts.size(),
          [fp, ts, nf](uint64_t i) { return Case{Op::Convert, fp, ts[i / nf], i % nf, 0, 0}; }, f);
      for (const Format* w : wide) {
        const uint64_t nw = uint64_t{1} << w->width();
        job("convert->" + f.name, nw, [fp, w](uint64_t i) { return Case{Op::Convert, w, fp, i, 0, 0}; }, *w);
      }
    }
    if (opt.sqrt) job("sqrt", nf, [fp](uint64_t i) { return Case{Op::Sqrt, fp, nullptr, i, 0, 0}; }, f);
    if (opt.binary) {
      for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div})
        job(op_name(op), nf * nf, [fp, op, nf](uint64_t i) { return Case{op, fp, nullptr, i / nf, i % nf, 0}; }, f);
    }
    if (opt.fma) {
      if (f.width() <= opt.fma_exhaustive_max_bits) {
        job("fma", nf * nf * nf,
            [fp, nf](uint64_t i) { return Case{Op::Fma, fp, nullptr, i / (nf * nf), (i / nf) % nf, i % nf}; }, f);
      } else if (fma_random > 0) {
        // Uniform codes, and one case in four with c near -(a*b) for cancellation.
        const uint64_t stream = jobs.size() + 1, seed = opt.seed;
        job("fma(random)", fma_random,
            [fp, nf, stream, seed](uint64_t i) {
              const uint64_t r = counter_random(seed, stream, i);
              Case c{Op::Fma, fp, nullptr, r % nf, (r >> 16) % nf, (r >> 32) % nf};
              if (((r >> 60) & 3) == 0) {
                Env e;
                const uint64_t p = oracle_binary(Op::Mul, *fp, c.a, c.b, e).code;
                const int64_t delta = int64_t((r >> 48) & 7) - 3;
                c.c = (p ^ fp->facts.sign_bit) + uint64_t(delta);
                c.c &= fp->facts.code_mask;
              }
              return c;
            },
            f);
      }
    }
  };

  const uint64_t combos = modes.size() * policies.size();
  for (const Format* f : opt.deterministic ? formats : std::vector<const Format*>{}) {
    for (RoundingMode m : modes) {
      for (OverflowPolicy p : policies) {
        Env env;
        env.mode = m;
        env.overflow = p;
        env.seed = opt.seed;
        add_rows(*f, env, "", (opt.fma_random_cases + combos - 1) / combos);
      }
    }
  }
  if (opt.variants) {
    for (const Format* f : formats) {
      for (RoundingMode m : vmodes) {
        for (int v = 0; v < 3; ++v) {
          Env env;
          env.mode = m;
          env.seed = opt.seed;
          std::string name;
          if (v == 0) env.tininess = Tininess::BeforeRounding, name = "tininess=before";
          if (v == 1) env.subnormals = SubnormalPolicy::FlushOut, name = "ftz";
          if (v == 2) env.subnormals = SubnormalPolicy::FlushIn, name = "daz";
          add_rows(*f, env, name, opt.variant_fma_random_cases);
        }
      }
    }
  }

  if (opt.stochastic) {
    for (const Format* f : formats) {
      for (int sr_bits : {0, opt.stochastic_sr_bits}) {
        Env env;
        env.mode = sr_bits == 0 ? RoundingMode::SR : RoundingMode::SRR;
        env.sr_bits = sr_bits;
        env.seed = opt.seed;
        add_rows(*f, env, "", opt.fma_random_cases / combos);
      }
    }
  }

  std::vector<ConformanceRow> rows(jobs.size());
  std::mutex mutex;
  size_t done = 0;
  parallel_for(jobs.size(), opt.threads, [&](uint64_t j) {
    const Job& job = jobs[j];
    ConformanceRow row = job.row;
    const auto t0 = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < job.n; ++i) {
      const Case c = job.gen(i);
      Env env = job.env;
      env.index = i;  // stochastic modes: one counter per case
      const CaseOutcome o = check_case(c, env);
      if (!o.ok()) {
        if (row.mismatches++ == 0) row.first_mismatch = describe_case(c, env, o);
      }
    }
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::lock_guard<std::mutex> lock(mutex);
    rows[j] = row;
    ++done;
    if (progress) progress(done, rows.size(), rows[j]);
  });
  return rows;
}

}  // namespace bitexact::reference
