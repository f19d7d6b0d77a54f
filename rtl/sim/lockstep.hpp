// The lockstep harness: drives a Verilated unit and its C++ model with the same inputs every clock,
// compares their outputs (valid timing included) every cycle, and on the first mismatch stops and
// reports the cycle, the inputs, both outputs decoded and an FST trace of the last cycles.
//
// A unit plugs in through an Adapter (the glue between its ports and its model):
//
//   struct MyAdapter {
//     using Top = Vmy_unit;                    // the verilated module: clk and rst_n ports
//     struct In { ... };                       // one cycle's inputs (a plain value: it is recorded)
//     struct Out { ... };                      // one cycle's outputs
//     void drive(Top& t, const In& in) const;  // set the input ports
//     Out sample(const Top& t) const;          // read the output ports
//     Out model(const In& in);                 // the C++ model's step(): outputs of this cycle
//     void reset_model();                      // the model's reset()
//     bool same(const Out& rtl, const Out& model) const;  // what must agree (e.g. code only if valid)
//     std::string show_in(const In&) const;    // one line, decoded
//     std::string show_out(const Out&) const;
//     int latency() const;                     // optional: cycles from an input to its output;
//   };                                         // the report marks the input that made the result
//
// Timing convention (the C++ models' step()): the inputs of cycle t are set, the outputs of cycle t
// are read before the rising edge (they come from registers: state after edge t-1), then the edge.
// model(in) returns the same cycle's outputs, so a unit whose result leaves `pipeline` cycles after
// its last input has the same latency in both.
//
// Tracing costs nothing while the simulations agree: the RTL is deterministic from reset, so on a
// mismatch the recorded inputs are replayed into a fresh instance that dumps the last
// trace_cycles cycles to an FST (the "ring" of the last cycles, rebuilt on demand). The unit must be
// verilated with TRACE_FST.
#pragma once

#include <verilated.h>
#include <verilated_fst_c.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace bitexact::rtl {

struct LockstepOptions {
  std::string name = "unit";  // names the report and the trace file
  std::string trace_dir;      // where a mismatch's FST goes (empty: $BITEXACT_RTL_TRACE_DIR or the cwd)
  int trace_cycles = 32;      // cycles before the mismatch in the trace (and the mismatch itself)
  int history = 4;            // earlier inputs printed in the report
  int reset_cycles = 2;
  bool record = true;         // keep the inputs since reset for the trace replay (false: no trace)
  uint64_t record_limit = uint64_t{1} << 24;  // cycles recorded at most; beyond, no trace
};

struct Mismatch {
  uint64_t cycle = 0;       // cycles since reset
  std::string report;       // the whole human-readable report
  std::string trace_path;   // the FST of the last cycles (empty when not written)
};

template <class Adapter>
class Lockstep {
 public:
  using Top = typename Adapter::Top;
  using In = typename Adapter::In;
  using Out = typename Adapter::Out;

  Lockstep(Adapter& adapter, LockstepOptions opt = {}) : ad_(adapter), opt_(std::move(opt)) {
    ctx_ = std::make_unique<VerilatedContext>();
    top_ = std::make_unique<Top>(ctx_.get());
    reset();
  }
  ~Lockstep() {
    if (top_) top_->final();
  }

  // Holds rst_n low for reset_cycles clocks (inputs as In{}), resets the model; the cycle count and
  // the recorded inputs restart. A mismatch already found stays reported.
  void reset() {
    reset_rtl(*top_);
    ad_.reset_model();
    cycle_ = 0;
    log_.clear();
    hist_.clear();
  }

  // One clock on both sides. Returns false on the first mismatch (and on every call after it,
  // without simulating).
  bool step(const In& in) {
    if (mismatch_) return false;
    ad_.drive(*top_, in);
    top_->clk = 0;
    top_->eval();
    const Out r = ad_.sample(*top_);
    const Out m = ad_.model(in);
    last_ = r;
    if (opt_.record && log_.size() < opt_.record_limit) log_.push_back(in);
    if (!ad_.same(r, m)) {
      report(in, r, m);
      return false;
    }
    top_->clk = 1;
    top_->eval();
    hist_.push_back(in);
    if (hist_.size() > size_t(opt_.history)) hist_.pop_front();
    ++cycle_;
    return true;
  }

  // Clocks n cycles of idle inputs (In{}): drains the pipelines while comparing.
  bool idle(int n) {
    for (int i = 0; i < n; ++i)
      if (!step(In{})) return false;
    return true;
  }

  uint64_t cycle() const { return cycle_; }
  // The RTL's outputs of the last cycle stepped (equal to the model's when step() returned true):
  // for checks of results against an oracle beyond the model.
  const Out& rtl_out() const { return last_; }
  const std::optional<Mismatch>& mismatch() const { return mismatch_; }
  Top& top() { return *top_; }
  Adapter& adapter() { return ad_; }

 private:
  void reset_rtl(Top& t) {
    const In idle{};
    ad_.drive(t, idle);
    t.rst_n = 0;
    for (int i = 0; i < opt_.reset_cycles; ++i) {
      t.clk = 0;
      t.eval();
      t.clk = 1;
      t.eval();
    }
    t.rst_n = 1;
  }

  void report(const In& in, const Out& r, const Out& m) {
    Mismatch mm;
    mm.cycle = cycle_;
    const bool replayable = opt_.record && log_.size() == cycle_ + 1 && kTraceable;
    if (replayable) mm.trace_path = write_trace();
    std::ostringstream s;
    s << "lockstep mismatch: " << opt_.name << " at cycle " << cycle_ << " (" << cycle_
      << " cycles agreed since reset)\n";
    int64_t cause = -1;  // the cycle whose input the mismatching output belongs to
    if constexpr (requires { ad_.latency(); }) cause = int64_t(cycle_) - ad_.latency();
    uint64_t c = cycle_ - hist_.size();
    auto line = [&](uint64_t cyc, const In& x) {
      s << "  cycle " << cyc << " in : " << ad_.show_in(x) << (int64_t(cyc) == cause ? "   <- the result's input" : "")
        << "\n";
    };
    for (const In& h : hist_) line(c++, h);
    line(cycle_, in);
    s << "  rtl   : " << ad_.show_out(r) << "\n";
    s << "  model : " << ad_.show_out(m) << "\n";
    if (!replayable)
      s << "  trace : none ("
        << (!kTraceable ? "verilated without TRACE_FST" : opt_.record ? "more cycles than record_limit" : "recording off")
        << ")\n";
    if (!mm.trace_path.empty()) {
      const uint64_t from = cycle_ >= uint64_t(opt_.trace_cycles) ? cycle_ - uint64_t(opt_.trace_cycles) : 0;
      s << "  trace : " << mm.trace_path << " (cycles " << from << ".." << cycle_ << ", time = 10 * cycle)\n";
    }
    mm.report = s.str();
    mismatch_ = std::move(mm);
  }

  // Whether the unit was verilated with TRACE_FST (a gate netlist may not be).
  static constexpr bool kTraceable = requires(Top& t, VerilatedFstC* f) { t.trace(f, 99); };

  // Replays the recorded inputs into a fresh instance and dumps the last trace_cycles cycles.
  std::string write_trace() {
    if constexpr (!kTraceable) {
      return {};
    } else {
      namespace fs = std::filesystem;
      std::string dir = opt_.trace_dir;
      if (dir.empty()) {
        const char* e = std::getenv("BITEXACT_RTL_TRACE_DIR");
        dir = e && *e ? e : fs::current_path().string();
      }
      std::error_code ec;
      fs::create_directories(dir, ec);
      const std::string path = (fs::path(dir) / (opt_.name + "-mismatch.fst")).string();
      VerilatedContext ctx;
      ctx.traceEverOn(true);
      Top t(&ctx);
      VerilatedFstC tfp;
      t.trace(&tfp, 99);
      tfp.open(path.c_str());
      if (!tfp.isOpen()) return {};
      reset_rtl(t);
      const uint64_t from = cycle_ >= uint64_t(opt_.trace_cycles) ? cycle_ - uint64_t(opt_.trace_cycles) : 0;
      for (uint64_t i = 0; i < log_.size(); ++i) {
        ad_.drive(t, log_[i]);
        t.clk = 0;
        t.eval();
        if (i >= from) tfp.dump(i * 10);
        t.clk = 1;
        t.eval();
        if (i >= from) tfp.dump(i * 10 + 5);
      }
      tfp.close();
      t.final();
      return path;
    }
  }

  Adapter& ad_;
  LockstepOptions opt_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Top> top_;
  uint64_t cycle_ = 0;
  Out last_{};
  std::vector<In> log_;
  std::deque<In> hist_;
  std::optional<Mismatch> mismatch_;
};

// Sets / reads `width`-bit field `index` of a packed port, whatever C type Verilator chose for it
// (CData/SData/IData up to 32 bits, QData up to 64, VlWide beyond).
template <class Port>
inline void set_field(Port& port, int index, int width, uint64_t value) {
  const uint64_t mask = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  value &= mask;
  const int lo = index * width;
  if constexpr (std::is_integral_v<Port>) {
    port = Port((uint64_t(port) & ~(mask << lo)) | (value << lo));
  } else {  // VlWide<N>: 32-bit words
    for (int b = 0; b < width; ++b) {
      const int bit = lo + b;
      uint32_t& w = port[bit / 32];
      w = (w & ~(1u << (bit % 32))) | (uint32_t((value >> b) & 1) << (bit % 32));
    }
  }
}

template <class Port>
inline uint64_t get_field(const Port& port, int index, int width) {
  const uint64_t mask = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  const int lo = index * width;
  if constexpr (std::is_integral_v<Port>) {
    return (uint64_t(port) >> lo) & mask;
  } else {
    uint64_t v = 0;
    for (int b = 0; b < width; ++b) v |= uint64_t((port[(lo + b) / 32] >> ((lo + b) % 32)) & 1) << b;
    return v;
  }
}

// Wall-clock seconds for throughput figures.
inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace bitexact::rtl
