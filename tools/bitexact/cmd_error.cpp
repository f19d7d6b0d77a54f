// bitexact error: how much error each quantization scheme makes on synthetic or user tensors.
// Inputs (--dist, --input) x schemes (--scheme) -> one row of metrics each (emu/metrics.hpp),
// as table / CSV / JSON, plus an optional self-contained HTML report (tools/report/html.hpp).
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "emu/distributions.hpp"
#include "emu/metrics.hpp"
#include "emu/scheme.hpp"
#include "emu/tensor/npy.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "tools/bitexact/cli_common.hpp"
#include "tools/report/html.hpp"

namespace bitexact::cli {

namespace {

struct ErrorOptions {
  std::vector<std::string> dists;
  std::vector<std::string> inputs;
  std::vector<std::string> schemes;
  uint64_t size = 65536;
  double scale = 1;
  double outliers = 0;
  double outlier_factor = 100;
  EnvOptions env;
  std::string out_format = "table";
  std::string html;
  int threads = 0;
};

struct Input {
  std::string name;  // as shown in rows: "normal", "student-t:3 +outliers", "w.npy"
  Json description;  // for the context block
  std::vector<uint64_t> shape;
  std::vector<double> values;
};

struct Result {
  size_t input = 0;
  std::string scheme, family;
  double bits = 0;
  size_t block = 0;
  ErrorMetrics m;
};

std::vector<Input> build_inputs(const ErrorOptions& o) {
  std::vector<Input> inputs;
  if (o.size == 0 || o.size > (uint64_t(1) << 31))
    throw UsageError(fmt::format("--size: {} is out of range (1 .. 2147483648)", o.size));
  if (!(o.outliers >= 0 && o.outliers <= 1))
    throw UsageError(fmt::format("--outliers: {} is not a fraction between 0 and 1", o.outliers));
  if (!std::isfinite(o.outlier_factor)) throw UsageError("--outlier-factor: must be finite");
  if (!std::isfinite(o.scale)) throw UsageError("--scale: must be finite");
  for (const std::string& spec : o.dists) {
    Distribution d;
    try {
      d = parse_distribution(trim(spec));
    } catch (const FormatError& e) {
      throw UsageError(fmt::format("--dist: {}", e.what()));
    }
    d.scale = o.scale;
    d.outlier_fraction = o.outliers;
    d.outlier_factor = o.outlier_factor;
    Input in;
    in.name = distribution_name(d);
    if (o.scale != 1) in.name += fmt::format(" x{}", o.scale);
    if (o.outliers > 0) in.name += fmt::format(" +outliers {}x{}", o.outliers, o.outlier_factor);
    in.shape = {o.size};
    in.values.resize(size_t(o.size));
    generate(d, o.env.seed, in.values);
    in.description = {{"distribution", distribution_name(d)}, {"size", o.size}, {"seed", o.env.seed}};
    if (o.scale != 1) in.description["scale"] = o.scale;
    if (o.outliers > 0) {
      in.description["outlier_fraction"] = o.outliers;
      in.description["outlier_factor"] = o.outlier_factor;
    }
    inputs.push_back(std::move(in));
  }
  for (const std::string& path : o.inputs) {
    NpyArray a;
    try {
      a = read_npy(path);
    } catch (const NpyError& e) {
      throw InputError(fmt::format("--input: {}", e.what()));
    }
    Input in;
    in.name = path;
    in.shape = a.shape;
    in.values = npy_to_doubles(a);
    if (in.values.empty()) throw InputError(fmt::format("--input: {}: the array has no elements", path));
    Json shape = Json::array();
    for (uint64_t d : a.shape) shape.push_back(d);
    in.description = {{"file", path}, {"dtype", npy_type_name(a.type)}, {"shape", shape}};
    inputs.push_back(std::move(in));
  }
  if (inputs.empty())
    throw UsageError("error: no input; give --dist NAME (e.g. --dist normal) or --input FILE.npy (see 'bitexact error --help')");
  return inputs;
}

// Numbers in rows: JSON numbers where finite, else the strings "inf", "-inf", "nan"; text
// (table: 4 significant digits, csv: shortest round trip) otherwise.
Json num(double v, OutFormat of, int digits = 4) {
  const bool json = of == OutFormat::Json || of == OutFormat::Jsonl;
  if (json) return std::isfinite(v) ? Json(v) : Json(report::number(v));
  if (of == OutFormat::Csv) return std::isfinite(v) ? fmt::format("{}", v) : report::number(v);
  return report::number(v, digits);
}

Json histogram_json(const ErrorHistogram& h) {
  return {{"min_exp", h.min_exp}, {"bins", h.bins}, {"exact", h.exact}, {"nonfinite", h.nonfinite}};
}

std::string render_html(const std::vector<Input>& inputs, const std::vector<Result>& results, const Json& ctx) {
  report::HtmlPage page("bitexact error report");
  page.raw(fmt::format("<p class=\"small\">bitexact {} &middot; rounding {} &middot; overflow {} &middot; preset {} "
                       "&middot; seed {}</p>\n",
                       report::html_escape(ctx.value("bitexact", "")),
                       report::html_escape(ctx.value("rounding", "")), report::html_escape(ctx.value("overflow", "")),
                       report::html_escape(ctx.value("preset", "")), ctx.value("seed", uint64_t(0))));
  page.paragraph(
      "For each input, every scheme quantizes and dequantizes the tensor; the error e = q - x is measured against "
      "the input. SQNR = 10 log10(sum x^2 / sum e^2) in dB (higher is better; +inf when exact). Bits per value "
      "include the scale overhead of block formats. The histogram counts elements by the binade of |e| "
      "(2^k <= |e| < 2^(k+1)); exact elements are not drawn.");
  for (size_t ii = 0; ii < inputs.size(); ++ii) {
    const Input& in = inputs[ii];
    std::string shape;
    for (uint64_t d : in.shape) shape += (shape.empty() ? "" : " x ") + std::to_string(d);
    page.heading(fmt::format("Input {}: {} ({} elements, shape {})", ii + 1, in.name, in.values.size(), shape));

    // SQNR against bits per value, one series per family.
    std::map<std::string, std::vector<const Result*>> fam;
    std::vector<std::string> order;
    std::vector<std::string> skipped;
    for (const Result& r : results) {
      if (r.input != ii) continue;
      if (!std::isfinite(r.m.sqnr_db)) {
        skipped.push_back(r.scheme + " (" + report::number(r.m.sqnr_db) + " dB)");
        continue;
      }
      if (!fam.count(r.family)) order.push_back(r.family);
      fam[r.family].push_back(&r);
    }
    report::Plot sq;
    sq.title = "SQNR against bits per value";
    sq.x_label = "bits per value (incl. scales)";
    sq.y_label = "SQNR (dB)";
    sq.width = 720;
    sq.height = 420;
    // Per family: every scheme as a labelled marker, and a line through the best SQNR at each
    // bits-per-value (the family's frontier).
    for (size_t fi = 0; fi < order.size(); ++fi) {
      auto pts = fam[order[fi]];
      std::stable_sort(pts.begin(), pts.end(), [](const Result* a, const Result* b) { return a->bits < b->bits; });
      report::Series marks, line;
      marks.name = order[fi];
      marks.lines = false;
      marks.colour = line.colour = int(fi);
      line.markers = false;
      line.legend = false;
      for (const Result* r : pts) {
        marks.x.push_back(r->bits);
        marks.y.push_back(r->m.sqnr_db);
        marks.labels.push_back(r->scheme);
        if (!line.x.empty() && line.x.back() == r->bits) {
          line.y.back() = std::max(line.y.back(), r->m.sqnr_db);
        } else {
          line.x.push_back(r->bits);
          line.y.push_back(r->m.sqnr_db);
        }
      }
      sq.series.push_back(std::move(line));
      sq.series.push_back(std::move(marks));
    }
    if (!skipped.empty()) {
      std::string note = "not drawn: ";
      for (size_t i = 0; i < skipped.size(); ++i) note += (i ? ", " : "") + skipped[i];
      sq.note = note;
    }

    // Error histograms: overlaid outlines for a few schemes, a shaded matrix (one row per
    // scheme) for more, where outlines would be unreadable.
    std::vector<const Result*> rs;
    int lo = 0, hi = -1;
    for (const Result& r : results) {
      if (r.input != ii) continue;
      rs.push_back(&r);
      if (r.m.histogram.bins.empty()) continue;
      const int a = r.m.histogram.min_exp, b = a + int(r.m.histogram.bins.size()) - 1;
      if (hi < lo) lo = a, hi = b;
      lo = std::min(lo, a);
      hi = std::max(hi, b);
    }
    auto fraction = [](const Result& r, int bin) {
      const int k = bin - r.m.histogram.min_exp;
      if (k < 0 || k >= int(r.m.histogram.bins.size())) return 0.0;
      return double(r.m.histogram.bins[size_t(k)]) / double(std::max<uint64_t>(1, r.m.count));
    };
    const char* hist_title = "Error histogram: fraction of elements per binade of |e|";
    const char* hist_x = "log2 |e| (bin k: 2^k <= |e| < 2^(k+1))";
    std::string hist_svg;
    if (rs.size() <= 6) {
      report::Plot hist;
      hist.title = hist_title;
      hist.x_label = hist_x;
      hist.y_label = "fraction of elements";
      hist.width = 720;
      hist.height = 420;
      for (const Result* r : rs) {
        report::Series s;
        s.name = r->scheme;
        s.steps = true;
        s.markers = false;
        for (int b = lo; b <= hi; ++b) {
          s.x.push_back(double(b));
          s.y.push_back(fraction(*r, b));
        }
        hist.series.push_back(std::move(s));
      }
      hist_svg = report::svg_plot(hist);
    } else {
      report::Heatmap hm;
      hm.title = hist_title;
      hm.x_label = hist_x;
      hm.width = 720;
      hm.first_bin = lo;
      hm.note = "shade: fraction of the elements (square-root scale, darkest = the largest fraction; white = none)";
      for (const Result* r : rs) {
        hm.rows.push_back(r->scheme);
        std::vector<double> row;
        for (int b = lo; b <= hi; ++b) row.push_back(fraction(*r, b));
        hm.values.push_back(std::move(row));
      }
      hist_svg = report::svg_heatmap(hm);
    }
    page.raw("<div class=\"plots\">\n" + report::svg_plot(sq) + hist_svg + "</div>\n");

    std::vector<std::vector<std::string>> rows;
    for (const Result& r : results) {
      if (r.input != ii) continue;
      const ErrorMetrics& m = r.m;
      rows.push_back({r.scheme, r.family, report::number(r.bits), report::number(m.sqnr_db, 4),
                      report::number(m.rmse, 4), report::number(m.max_abs, 4), report::number(m.max_rel, 4),
                      report::number(m.bias, 3), report::number(100 * m.clip_rate, 3),
                      report::number(100 * m.flush_rate, 3),
                      r.block ? std::to_string(r.block) : "-",
                      r.block ? report::number(m.block.sqnr_min, 4) : "-",
                      r.block ? report::number(m.block.sqnr_p10, 4) : "-",
                      r.block ? report::number(m.block.sqnr_median, 4) : "-",
                      r.block ? report::number(m.block.max_abs_max, 4) : "-"});
    }
    page.raw("<div class=\"wide\">\n" +
             report::html_table({"scheme", "family", "bits", "SQNR dB", "RMSE", "max |e|", "max rel", "bias",
                                 "clip %", "flush %", "block", "blk SQNR min", "blk SQNR p10",
                                 "blk SQNR median", "blk max |e|"},
                                rows, {false, false, true, true, true, true, true, true, true, true, true, true, true,
                                       true, true}) +
             "</div>\n");
  }
  page.raw("<p class=\"small\">Block columns: per-block SQNR over the blocks of the scheme's block size "
           "(consecutive elements in C order), as nearest-rank quantiles; blk max |e| is the largest error in any "
           "block. Generated by bitexact error; the same command gives the same page.</p>\n");
  return page.str();
}

int run_error(const Globals& g, const ErrorOptions& o) {
  const OutFormat of = parse_out_format(o.out_format);
  if (!o.env.random_bits.empty())
    throw UsageError("error: --random-bits is not supported here; stochastic rounding uses --seed and the element index");
  const std::vector<std::string> specs = split_spec_list(o.schemes, "--scheme");
  if (specs.empty()) throw UsageError("error: no scheme; give --scheme LIST (e.g. --scheme mxfp4,nvfp4,e4m3)");
  std::vector<Scheme> schemes;
  for (const std::string& s : specs) {
    try {
      schemes.push_back(parse_scheme(s));
    } catch (const FormatError& e) {
      throw_spec_error(e, "--scheme");
    }
  }
  const Env env = o.env.make(parse_format("float32"));
  const std::vector<Input> inputs = build_inputs(o);

  const bool progress = isatty(2);
  std::vector<Result> results;
  std::vector<double> q;
  const size_t total = inputs.size() * schemes.size();
  for (size_t ii = 0; ii < inputs.size(); ++ii) {
    const Input& in = inputs[ii];
    q.assign(in.values.size(), 0.0);
    for (const Scheme& s : schemes) {
      Result r;
      r.input = ii;
      r.scheme = scheme_name(s);
      r.family = scheme_family(s);
      r.bits = bits_per_value(s);
      r.block = scheme_block_size(s);
      if (progress)
        std::cerr << fmt::format("\rbitexact error: {}/{}: {} on {} ...\x1b[K", results.size() + 1, total, r.scheme,
                                 in.name)
                  << std::flush;
      QuantizeStats stats;
      try {
        fake_quantize(s, in.values, q, env, &stats, o.threads);
      } catch (const std::invalid_argument& e) {
        throw InputError(fmt::format("{} on {}: {}", r.scheme, in.name, e.what()));
      }
      r.m = measure_error(in.values, q, r.block, stats.clipped);
      results.push_back(std::move(r));
    }
  }
  if (progress) std::cerr << "\r\x1b[K" << std::flush;

  Json ctx = base_context();
  ctx["seed"] = o.env.seed;
  const Json env_desc = o.env.describe(env);
  for (auto& [k, v] : env_desc.items()) ctx[k] = v;
  Json ins = Json::array();
  for (const Input& in : inputs) ins.push_back(in.description);
  ctx["inputs"] = ins;

  std::vector<TableWriter::Column> cols{{"input"},
                                        {"scheme"},
                                        {"family"},
                                        {"bits", false, false, true},
                                        {"sqnr_db", false, false, true},
                                        {"mse", false, true, true},
                                        {"rmse", false, false, true},
                                        {"max_abs", false, false, true},
                                        {"max_rel", false, false, true},
                                        {"bias", false, false, true},
                                        {"clip_rate", false, false, true},
                                        {"flush_rate", false, false, true},
                                        {"block", false, false, true},
                                        {"block_sqnr_min", false, false, true},
                                        {"block_sqnr_median", false, false, true},
                                        {"block_max_abs", false, true, true},
                                        {"count", false, true, true},
                                        {"overflowed", false, true, true},
                                        {"histogram", false, true, false, true}};
  std::ostringstream os;
  {
    TableWriter w(os, of, cols, ctx, "results");
    for (const Result& r : results) {
      const ErrorMetrics& m = r.m;
      const bool blk = r.block > 0;
      const Json none = of == OutFormat::Table ? Json("-") : Json(nullptr);
      w.row({inputs[r.input].name, r.scheme, r.family, num(r.bits, of, 6), num(m.sqnr_db, of), num(m.mse, of),
             num(m.rmse, of), num(m.max_abs, of), num(m.max_rel, of), num(m.bias, of, 3), num(m.clip_rate, of, 3),
             num(m.flush_rate, of, 3), blk ? Json(uint64_t(r.block)) : none,
             blk ? num(m.block.sqnr_min, of) : none, blk ? num(m.block.sqnr_median, of) : none,
             blk ? num(m.block.max_abs_max, of) : none, Json(m.count), Json(m.overflowed),
             histogram_json(m.histogram)});
    }
    w.finish();
  }
  std::string html;
  if (!o.html.empty()) html = render_html(inputs, results, ctx);

  // Everything is computed; now write (atomically for files, so a failure leaves no half file).
  std::vector<FileOutput> files;
  if (!o.html.empty()) files.push_back({"--html", o.html, std::move(html)});
  write_outputs(g, files, os.str());
  return kExitOk;
}

}  // namespace

void add_error_command(CLI::App& root, const Globals& globals, Registry& registry) {
  auto o = std::make_shared<ErrorOptions>();
  CLI::App* cmd = root.add_subcommand(
      "error", "quantization error of formats and block schemes on synthetic distributions or .npy tensors: SQNR, "
               "MSE, max abs/rel error, bias, clip and flush rates, error histograms, per-block statistics, HTML "
               "report");
  CLI::Option* dist = cmd->add_option("--dist,-d", o->dists,
                  std::string("a synthetic input (repeatable): ") + distribution_help())
      ->option_text("NAME")
      ->allow_extra_args(false);
  cmd->add_option("--input,-i", o->inputs,
                  "a .npy tensor (repeatable): float16/32/64 or integer dtypes, any shape, read in C order")
      ->option_text("FILE.npy")
      ->allow_extra_args(false);
  cmd->add_option("--scheme,-s", o->schemes,
                  "schemes to compare (repeatable, or a comma list; commas inside <...> belong to the scheme): "
                  "scalar formats (e4m3, e2m1, bf16, ...) or block schemes (mxfp4, mxfp8_e4m3, mxint8, nvfp4, "
                  "bfp<m=8,e=8>, int4<group=128>, ...; rht=N adds a random Hadamard rotation); see below")
      ->option_text("LIST")
      ->allow_extra_args(false);
  // The synthetic inputs' options need --dist (a .npy input is read as it is), --outlier-factor
  // needs --outliers: CLI11 refuses them alone rather than ignoring them.
  cmd->add_option("--size,-n", o->size, "elements per synthetic input (default 65536)")
      ->option_text("N")
      ->check(unsigned64())
      ->needs(dist);
  cmd->add_option("--scale", o->scale, "multiply every synthetic value by X (default 1)")->option_text("X")->needs(dist);
  CLI::Option* outliers = cmd->add_option("--outliers", o->outliers,
                                          "inject outliers: each synthetic element independently with probability F is "
                                          "multiplied by --outlier-factor (e.g. 0.001)")
                              ->option_text("F")
                              ->needs(dist);
  cmd->add_option("--outlier-factor", o->outlier_factor, "what outliers are multiplied by (default 100)")
      ->option_text("K")
      ->needs(outliers);
  o->env.add_to(cmd);
  cmd->get_option("--seed")->description(
      "seed of the synthetic inputs and of stochastic rounding (separate streams; default 0)");
  cmd->add_option("--format,-f", o->out_format, "output: table (default), csv, json or jsonl (JSON adds histograms)")
      ->option_text("table|csv|json|jsonl");
  cmd->add_option("--html", o->html, "also write a self-contained HTML report (inline SVG plots, no scripts)")
      ->option_text("FILE");
  cmd->add_option("--threads,-j", o->threads, "worker threads for quantization (default: all; results do not depend on it)")
      ->option_text("N")
      ->check(CLI::Range(0, 256));
  cmd->footer(wrap(
      "Each input is quantized and dequantized by each scheme, and the result q is compared with the input x: "
      "SQNR = 10 log10(sum x^2 / sum (q-x)^2) dB (+inf when exact), MSE, RMSE, max |q-x|, max |q-x|/|x| (an "
      "x = 0 counts 0 if q = 0, else inf), bias = mean(q-x), clip rate (elements beyond the largest "
      "representable value), flush rate (non-zero x with q = 0), and for block schemes the per-block SQNR "
      "(min, median) and the largest per-block error. Synthetic inputs are standardised to variance 1 "
      "(log-normal excepted) and are the same bytes on every machine for the same --seed. Output files "
      "(--out, --html) are written atomically after all work is done; a bad input writes nothing.",
      100) +
      "\n" + scheme_spec_help() +
      "\nExamples:\n"
      "  bitexact error --dist normal --scheme 'int4<group=128>',mxfp4,nvfp4,e2m1\n"
      "  bitexact error --dist student-t:3 --scheme mxfp4,nvfp4,mxint8,'mxfp4<rht=32>' --html report.html\n"
      "  bitexact error --dist laplace --outliers 0.001 --outlier-factor 50 --scheme e4m3,e5m2,int8 -f csv\n"
      "  bitexact error --input weights.npy --scheme mxfp8_e4m3 --rounding sr --seed 3 -f json");
  registry.push_back({cmd, [&globals, o] { return run_error(globals, *o); }});
}

}  // namespace bitexact::cli
