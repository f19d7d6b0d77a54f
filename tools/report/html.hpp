// Self-contained HTML reports: one file, inline CSS and SVG, no JavaScript, no network, and the
// same bytes for the same input (numbers are printed with fixed rules, no locale, no clock).
// Every piece of text that reaches the page goes through html_escape.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bitexact::report {

// & < > " ' as entities.
std::string html_escape(std::string_view s);

// A number for people: up to `digits` significant digits, no trailing zeros, "inf", "-inf", "nan".
std::string number(double v, int digits = 4);

// Ticks for an axis over [lo, hi]: multiples of 1, 2 or 5 times a power of ten, about `target`
// of them, covering the range (the first <= lo, the last >= hi).
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

// The fixed colour of series i (a colour-blind-safe palette, cycling).
const char* series_colour(size_t i);

struct Series {
  std::string name;
  std::vector<double> x, y;         // same length; non-finite points are skipped
  std::vector<std::string> labels;  // optional, one per point: drawn next to the marker
  bool lines = true;                // join the points in the order given
  bool markers = true;
  bool steps = false;               // draw as a histogram outline: each x is a bin [x, x + 1)
  bool legend = true;               // listed in the legend
  int colour = -1;                  // palette index (default: the series' position)
};

struct Plot {
  std::string title;
  std::string x_label, y_label;
  int width = 640, height = 400;
  std::vector<Series> series;
  std::string note;  // small text under the plot (e.g. points left out)
  bool log_x = false;  // x on a log10 scale: ticks at 1, 2, 5 x powers of ten; x <= 0 is left out
};

// An <svg> element: axes with ticks and grid, the series, a legend at the right. Point labels
// that would overlap an earlier label are moved down (a few tries, then drawn anyway).
std::string svg_plot(const Plot& p);

// Rows of a histogram matrix drawn as shaded cells: row r, column c has value v[r][c] in [0, 1]
// (darker is larger); columns are integer bins first_bin, first_bin + 1, ...
struct Heatmap {
  std::string title;
  std::string x_label;
  int width = 720;
  std::vector<std::string> rows;          // row labels
  int first_bin = 0;
  std::vector<std::vector<double>> values;  // per row, per column (rows may be shorter)
  std::string note;
};
std::string svg_heatmap(const Heatmap& h);

// Horizontal bars, one per row, each the stack of its values (segment s in series colour s); the
// total is printed after the bar. Negative and non-finite values count as 0.
struct BarChart {
  std::string title;
  std::string x_label;
  int width = 720;
  std::vector<std::string> rows;          // row labels
  std::vector<std::string> stacks;        // segment names (legend; empty or one name: no legend)
  std::vector<std::vector<double>> values;  // per row, per segment
  std::string note;
};
std::string svg_bars(const BarChart& b);

// An HTML table; `numeric` marks right-aligned columns (may be shorter than the header).
std::string html_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                       const std::vector<bool>& numeric = {});

// A page: title, then the body parts in order.
class HtmlPage {
 public:
  explicit HtmlPage(std::string title) : title_(std::move(title)) {}
  void heading(std::string_view text, int level = 2);
  void paragraph(std::string_view text);     // escaped
  void raw(std::string html);                // already HTML (svg_plot, html_table)
  std::string str() const;

 private:
  std::string title_;
  std::string body_;
};

}  // namespace bitexact::report
