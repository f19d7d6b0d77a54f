#include "tools/report/html.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace bitexact::report {

std::string html_escape(std::string_view s) {
  std::string r;
  r.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': r += "&amp;"; break;
      case '<': r += "&lt;"; break;
      case '>': r += "&gt;"; break;
      case '"': r += "&quot;"; break;
      case '\'': r += "&#39;"; break;
      default: r += c;
    }
  }
  return r;
}

std::string number(double v, int digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  std::string s = fmt::format("{:.{}g}", v, digits);
  return s;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo)) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / std::max(1, target);
  const int e = int(std::floor(std::log10(raw)));
  const double mag = std::pow(10.0, e);
  double m = 10;
  for (double c : {1.0, 2.0, 5.0, 10.0})
    if (c * mag >= raw) {
      m = c;
      break;
    }
  // Tick k is k m 10^e, computed as (k m) / 10^-e for e < 0 so that 0.3 prints as 0.3.
  const double inv = e < 0 ? std::pow(10.0, -e) : 1.0;
  auto tick = [&](double k) { return e < 0 ? k * m / inv : k * m * mag; };
  const double step = m * mag;
  const double first = std::floor(lo / step), last = std::ceil(hi / step);
  std::vector<double> t;
  for (double k = first; k <= last + 0.5; k += 1) {
    const double v = tick(k);
    t.push_back(v == 0 ? 0.0 : v);
  }
  return t;
}

const char* series_colour(size_t i) {
  // Okabe & Ito's colour-blind-safe palette, darkest first, then a few extra distinct hues.
  static const char* const kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                         "#56B4E9", "#000000", "#8C564B", "#7F7F7F", "#BCBD22"};
  return kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
}

namespace {

std::string f1(double v) {
  std::string s = fmt::format("{:.1f}", v);
  return s == "-0.0" ? "0.0" : s;
}

std::string shorten(const std::string& s, size_t n) { return s.size() <= n ? s : s.substr(0, n - 1) + "\u2026"; }

}  // namespace

namespace {

// Ticks of a log10 axis over [lo, hi] (in log10 units): the decades, with 2 and 5 between them when
// the range spans fewer than three decades; the first <= lo, the last >= hi.
std::vector<double> log_ticks(double lo, double hi) {
  const double d0 = std::floor(lo), d1 = std::ceil(hi);
  const bool fine = d1 - d0 < 3;
  std::vector<double> all;
  for (double d = d0; d <= d1 + 0.5; d += 1) {
    all.push_back(d);
    if (fine && d < d1) all.push_back(d + std::log10(2.0)), all.push_back(d + std::log10(5.0));
  }
  std::vector<double> t;
  for (size_t i = 0; i < all.size(); ++i) {
    const bool before_lo = i + 1 < all.size() && all[i + 1] <= lo;
    const bool after_hi = i > 0 && all[i - 1] >= hi;
    if (!before_lo && !after_hi) t.push_back(all[i]);
  }
  if (t.size() < 2) t.push_back(t.empty() ? d0 : t.back() + 1);
  return t;
}

// 10^t printed for people: decades exactly, 2 and 5 multiples rounded to 4 digits.
std::string log_tick_label(double t) { return number(std::pow(10.0, t), 3); }

std::string svg_plot_impl(const Plot& p, bool log_axis);

}  // namespace

std::string svg_plot(const Plot& p) {
  if (!p.log_x) return svg_plot_impl(p, false);
  Plot q = p;
  for (Series& s : q.series)
    for (double& x : s.x) x = x > 0 ? std::log10(x) : NAN;
  return svg_plot_impl(q, true);
}

namespace {

std::string svg_plot_impl(const Plot& p, bool log_axis) {
  const double left = 64, right = 190, top = 34, bottom = 50;
  const double pw = p.width - left - right, ph = p.height - top - bottom;
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  bool any_steps = false;
  for (const Series& s : p.series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      xlo = std::min(xlo, s.x[i]);
      xhi = std::max(xhi, s.x[i] + (s.steps ? 1 : 0));
      ylo = std::min(ylo, s.y[i]);
      yhi = std::max(yhi, s.y[i]);
      any_steps = any_steps || s.steps;
    }
  const bool empty = !(xlo <= xhi);
  if (empty) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
  if (any_steps) ylo = std::min(ylo, 0.0);
  if (!any_steps && yhi > ylo) {  // a little air above and below the points
    const double pad = (yhi - ylo) * 0.06;
    ylo -= pad;
    yhi += pad;
  }
  bool any_labels = false;
  for (const Series& s : p.series) any_labels = any_labels || !s.labels.empty();
  if (any_labels && xhi > xlo) xhi += (xhi - xlo) * 0.15;  // room for the labels of the rightmost points
  const std::vector<double> xt = log_axis && !empty ? log_ticks(xlo, xhi) : nice_ticks(xlo, xhi), yt = nice_ticks(ylo, yhi);
  const double x0 = xt.front(), x1 = xt.back(), y0 = yt.front(), y1 = yt.back();
  auto X = [&](double x) { return left + (x - x0) / (x1 - x0) * pw; };
  auto Y = [&](double y) { return top + ph - (y - y0) / (y1 - y0) * ph; };

  std::string o = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\" role=\"img\">\n",
      p.width, p.height);
  o += fmt::format("<title>{}</title>\n", html_escape(p.title));
  o += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", p.width, p.height);
  o += fmt::format("<text x=\"{}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{}</text>\n", f1(left),
                   html_escape(p.title));
  // Grid and ticks.
  for (double t : xt) {
    o += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e4e4e4\"/>\n", f1(X(t)), f1(top),
                     f1(top + ph));
    o += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333\">{}</text>\n", f1(X(t)),
                     f1(top + ph + 16), log_axis ? log_tick_label(t) : number(t));
  }
  for (double t : yt) {
    o += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#e4e4e4\"/>\n", f1(left), f1(Y(t)),
                     f1(left + pw));
    o += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#333\">{}</text>\n", f1(left - 6),
                     f1(Y(t) + 4), number(t));
  }
  o += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>\n", f1(left),
                   f1(top), f1(pw), f1(ph));
  o += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", f1(left + pw / 2),
                   f1(p.height - 14), html_escape(p.x_label));
  o += fmt::format("<text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                   f1(top + ph / 2), html_escape(p.y_label));
  if (empty)
    o += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#888\">no finite data</text>\n",
                     f1(left + pw / 2), f1(top + ph / 2));

  // Series.
  struct Box {
    double x0, y0, x1, y1;
  };
  std::vector<Box> placed;  // label boxes drawn so far
  auto colour_of = [&](size_t si) { return series_colour(p.series[si].colour >= 0 ? size_t(p.series[si].colour) : si); };
  for (size_t si = 0; si < p.series.size(); ++si) {
    const Series& s = p.series[si];
    const char* c = colour_of(si);
    std::string path;
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      if (s.steps) {
        path += fmt::format("{}{} {} H {} ", path.empty() ? "M " : "L ", f1(X(s.x[i])), f1(Y(s.y[i])), f1(X(s.x[i] + 1)));
      } else {
        path += fmt::format("{}{} {} ", path.empty() ? "M " : "L ", f1(X(s.x[i])), f1(Y(s.y[i])));
      }
    }
    if ((s.lines || s.steps) && !path.empty()) {
      path.pop_back();
      o += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\"/>\n", path, c);
    }
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      const double px = X(s.x[i] + (s.steps ? 0.5 : 0)), py = Y(s.y[i]);
      if (s.markers)
        o += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\"><title>{}: ({}, {})</title></circle>\n",
                         f1(px), f1(py), c, html_escape(i < s.labels.size() ? s.labels[i] : s.name),
                         log_axis ? number(std::pow(10.0, s.x[i])) : number(s.x[i]), number(s.y[i]));
      if (i < s.labels.size() && !s.labels[i].empty()) {
        const std::string text = shorten(s.labels[i], 28);
        const double w = 5.6 * double(text.size()), h = 11;
        double ly = py - 5;
        for (int tries = 0; tries < 6; ++tries) {
          const bool clash = std::any_of(placed.begin(), placed.end(), [&](const Box& b) {
            return px + 6 < b.x1 && b.x0 < px + 6 + w && ly - h < b.y1 && b.y0 < ly;
          });
          if (!clash) break;
          ly += h;
        }
        placed.push_back({px + 6, ly - h, px + 6 + w, ly});
        o += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"{}\">{}</text>\n", f1(px + 6), f1(ly), c,
                         html_escape(text));
      }
    }
  }
  // Legend.
  double ly = top + 8;
  for (size_t si = 0; si < p.series.size(); ++si) {
    if (!p.series[si].legend) continue;
    const double lx = left + pw + 14;
    o += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", f1(lx), f1(ly - 10),
                     colour_of(si));
    o += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", f1(lx + 18), f1(ly), html_escape(shorten(p.series[si].name, 26)));
    ly += 18;
  }
  if (!p.note.empty())
    o += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#666\">{}</text>\n", f1(left),
                     f1(p.height - 2), html_escape(p.note));
  o += "</svg>\n";
  return o;
}

}  // namespace

std::string svg_heatmap(const Heatmap& h) {
  size_t cols = 0;
  size_t label_chars = 4;
  for (size_t r = 0; r < h.rows.size(); ++r) {
    cols = std::max(cols, r < h.values.size() ? h.values[r].size() : 0);
    label_chars = std::max(label_chars, std::min<size_t>(h.rows[r].size(), 28));
  }
  const double left = 12 + 6.2 * double(label_chars), right = 16, top = 34, row_h = 16, bottom = 62;
  const double pw = h.width - left - right;
  const double ph = row_h * double(h.rows.size());
  const int height = int(top + ph + bottom);
  const double cw = cols ? pw / double(cols) : pw;
  double vmax = 0;
  for (const auto& row : h.values)
    for (double v : row)
      if (std::isfinite(v)) vmax = std::max(vmax, v);
  std::string o = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n",
      h.width, height);
  o += fmt::format("<title>{}</title>\n", html_escape(h.title));
  o += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", h.width, height);
  o += fmt::format("<text x=\"12\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{}</text>\n", html_escape(h.title));
  for (size_t r = 0; r < h.rows.size(); ++r) {
    const double y = top + row_h * double(r);
    o += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", f1(left - 6), f1(y + row_h - 4),
                     html_escape(shorten(h.rows[r], 28)));
    if (r >= h.values.size()) continue;
    for (size_t c = 0; c < h.values[r].size(); ++c) {
      const double v = std::clamp(h.values[r][c], 0.0, 1.0);
      if (!(v > 0)) continue;
      // Shade by sqrt(v / largest value) so that small fractions stay visible; white to dark blue.
      const double t = std::sqrt(v / vmax);
      const int R = int(std::lround(255 - t * (255 - 8))), G = int(std::lround(255 - t * (255 - 48))),
                B = int(std::lround(255 - t * (255 - 107)));
      o += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#{:02x}{:02x}{:02x}\"><title>{}: bin {}: "
          "{}</title></rect>\n",
          f1(left + cw * double(c)), f1(y + 1), f1(cw), f1(row_h - 2), R, G, B, html_escape(h.rows[r]),
          h.first_bin + int(c), number(h.values[r][c], 3));
    }
  }
  o += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>\n", f1(left),
                   f1(top), f1(pw), f1(ph));
  // Column ticks at nice bin values.
  if (cols) {
    const std::vector<double> ticks = nice_ticks(h.first_bin, h.first_bin + double(cols), 8);
    for (double t : ticks) {
      const double x = left + (t - h.first_bin) * cw;
      if (x < left - 0.5 || x > left + pw + 0.5) continue;
      o += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#888\"/>\n", f1(x), f1(top + ph),
                       f1(top + ph + 4));
      o += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333\">{}</text>\n", f1(x),
                       f1(top + ph + 16), number(t));
    }
  }
  o += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", f1(left + pw / 2),
                   f1(top + ph + 34), html_escape(h.x_label));
  if (!h.note.empty())
    o += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#666\">{}</text>\n", f1(left), f1(height - 6),
                     html_escape(h.note));
  return o + "</svg>\n";
}

std::string svg_bars(const BarChart& b) {
  const int label_w = 260, right_pad = 90, row_h = 22, top = 40;
  const bool legend = b.stacks.size() > 1;
  const int legend_h = legend ? 20 * int((b.stacks.size() + 2) / 3) + 10 : 0;
  const int height = top + row_h * int(b.rows.size()) + 40 + legend_h;
  const int plot_w = std::max(100, b.width - label_w - right_pad);
  auto clean = [](double v) { return std::isfinite(v) && v > 0 ? v : 0.0; };
  double max_total = 0;
  std::vector<double> totals(b.rows.size(), 0);
  for (size_t r = 0; r < b.rows.size(); ++r) {
    if (r < b.values.size())
      for (double v : b.values[r]) totals[r] += clean(v);
    max_total = std::max(max_total, totals[r]);
  }
  if (max_total <= 0) max_total = 1;
  const std::vector<double> ticks = nice_ticks(0, max_total, 5);
  const double axis_max = ticks.empty() ? max_total : std::max(max_total, ticks.back());
  auto x = [&](double v) { return label_w + v / axis_max * plot_w; };
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n",
      b.width, height, b.width, height);
  s += fmt::format("<text x=\"{}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{}</text>\n", label_w,
                   html_escape(b.title));
  const int axis_y = top + row_h * int(b.rows.size());
  for (double t : ticks) {
    if (t > axis_max + 1e-12) continue;
    s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ddd\"/>\n", f1(x(t)), top - 4,
                     f1(x(t)), axis_y);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", f1(x(t)), axis_y + 14,
                     html_escape(number(t)));
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", f1(label_w + plot_w / 2.0),
                   axis_y + 32, html_escape(b.x_label));
  for (size_t r = 0; r < b.rows.size(); ++r) {
    const int y = top + row_h * int(r);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", label_w - 6, y + 15,
                     html_escape(shorten(b.rows[r], 40)));
    double acc = 0;
    if (r < b.values.size()) {
      for (size_t k = 0; k < b.values[r].size(); ++k) {
        const double v = clean(b.values[r][k]);
        if (v <= 0) continue;
        s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>\n",
                         f1(x(acc)), y + 3, f1(x(acc + v) - x(acc)), row_h - 6, series_colour(k),
                         html_escape(k < b.stacks.size() ? b.stacks[k] : b.rows[r]), html_escape(number(v)));
        acc += v;
      }
    }
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", f1(x(acc) + 4), y + 15, html_escape(number(totals[r])));
  }
  if (legend) {
    for (size_t k = 0; k < b.stacks.size(); ++k) {
      const int lx = 10 + int(k % 3) * (b.width / 3), ly = axis_y + 48 + 20 * int(k / 3);
      s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", lx, ly, series_colour(k));
      s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", lx + 16, ly + 11, html_escape(shorten(b.stacks[k], 45)));
    }
  }
  s += "</svg>\n";
  if (!b.note.empty()) s += "<p class=\"note\">" + html_escape(b.note) + "</p>\n";
  return s;
}

std::string html_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                       const std::vector<bool>& numeric) {
  auto cls = [&](size_t i) { return i < numeric.size() && numeric[i] ? " class=\"num\"" : ""; };
  std::string o = "<table>\n<thead><tr>";
  for (size_t i = 0; i < header.size(); ++i) o += fmt::format("<th{}>{}</th>", cls(i), html_escape(header[i]));
  o += "</tr></thead>\n<tbody>\n";
  for (const auto& r : rows) {
    o += "<tr>";
    for (size_t i = 0; i < r.size(); ++i) o += fmt::format("<td{}>{}</td>", cls(i), html_escape(r[i]));
    o += "</tr>\n";
  }
  return o + "</tbody>\n</table>\n";
}

void HtmlPage::heading(std::string_view text, int level) {
  level = std::clamp(level, 1, 6);
  body_ += fmt::format("<h{0}>{1}</h{0}>\n", level, html_escape(text));
}

void HtmlPage::paragraph(std::string_view text) { body_ += "<p>" + html_escape(text) + "</p>\n"; }

void HtmlPage::raw(std::string html) { body_ += std::move(html); }

std::string HtmlPage::str() const {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(title_) +
         "</title>\n"
         "<style>\n"
         "body{font-family:sans-serif;margin:24px auto;max-width:1100px;color:#222;line-height:1.4}\n"
         "h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}h3{font-size:15px}\n"
         "table{border-collapse:collapse;font-size:11px;margin:8px 0}\n"
         "th,td{border:1px solid #ccc;padding:2px 5px;text-align:left;white-space:nowrap}\n"
         "th{background:#f2f2f2}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
         "tbody tr:nth-child(even){background:#fafafa}\n"
         ".plots{display:flex;flex-wrap:wrap;gap:12px}\n"
         ".wide{overflow-x:auto}\n"
         "p.small{font-size:12px;color:#555}\n"
         "</style>\n</head>\n<body>\n<h1>" +
         html_escape(title_) + "</h1>\n" + body_ + "</body>\n</html>\n";
}

}  // namespace bitexact::report
