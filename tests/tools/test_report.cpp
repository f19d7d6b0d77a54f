// The HTML + SVG writer (tools/report/html.hpp): escaping, number text, axis ticks, plots and pages.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tools/report/html.hpp"

using namespace bitexact::report;

TEST_CASE("report: escaping and numbers") {
  CHECK(html_escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  CHECK(number(0.0) == "0");
  CHECK(number(-0.0) == "0");
  CHECK(number(31.7624) == "31.76");
  CHECK(number(4.4375, 6) == "4.4375");
  CHECK(number(1e-7) == "1e-07");
  CHECK(number(INFINITY) == "inf");
  CHECK(number(-INFINITY) == "-inf");
  CHECK(number(NAN) == "nan");
}

TEST_CASE("report: nice ticks") {
  CHECK(nice_ticks(4, 16) == std::vector<double>{4, 6, 8, 10, 12, 14, 16});
  CHECK(nice_ticks(0, 0.49) == std::vector<double>{0, 0.1, 0.2, 0.3, 0.4, 0.5});
  CHECK(nice_ticks(-30, 0) == std::vector<double>{-30, -25, -20, -15, -10, -5, 0});
  const auto flat = nice_ticks(3, 3);  // an empty range is widened around the value
  CHECK(flat.front() < 3);
  CHECK(flat.back() > 3);
  const auto t = nice_ticks(13.2, 73.9);
  CHECK(t.front() <= 13.2);
  CHECK(t.back() >= 73.9);
}

TEST_CASE("report: plot and page") {
  Plot p;
  p.title = "SQNR <dB>";
  p.x_label = "bits";
  p.y_label = "dB";
  Series s;
  s.name = "mx & co";
  s.x = {4.25, 8.25, 6};
  s.y = {18.8, 41.7, INFINITY};  // the infinite point is skipped
  s.labels = {"mxfp4", "mxint8", "never"};
  p.series.push_back(s);
  const std::string svg = svg_plot(p);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\"", 0) == 0);
  CHECK(svg.find("<title>SQNR &lt;dB&gt;</title>") != std::string::npos);
  CHECK(svg.find(">mx &amp; co</text>") != std::string::npos);
  CHECK(svg.find(">mxfp4</text>") != std::string::npos);
  CHECK(svg.find("never") == std::string::npos);
  CHECK(svg == svg_plot(p));  // deterministic

  Plot empty;
  CHECK(svg_plot(empty).find("no finite data") != std::string::npos);

  HtmlPage page("R & D");
  page.heading("<h>");
  page.paragraph("x < y");
  page.raw(html_table({"a", "b"}, {{"1", "<2>"}}, {false, true}));
  const std::string h = page.str();
  CHECK(h.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
  CHECK(h.find("<title>R &amp; D</title>") != std::string::npos);
  CHECK(h.find("<h2>&lt;h&gt;</h2>") != std::string::npos);
  CHECK(h.find("<p>x &lt; y</p>") != std::string::npos);
  CHECK(h.find("<td class=\"num\">&lt;2&gt;</td>") != std::string::npos);
  CHECK(h.find("<script") == std::string::npos);
}

TEST_CASE("report: stacked bar chart") {
  BarChart b;
  b.title = "area <um2>";
  b.x_label = "um2";
  b.rows = {"mac e4m3", "lut & co"};
  b.stacks = {"mul", "acc"};
  b.values = {{30, 10}, {5, NAN}};  // NaN counts as 0
  const std::string svg = svg_bars(b);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\"", 0) == 0);
  CHECK(svg.find(">area &lt;um2&gt;</text>") != std::string::npos);
  CHECK(svg.find(">lut &amp; co</text>") != std::string::npos);
  CHECK(svg.find("<title>mul: 30</title>") != std::string::npos);
  CHECK(svg.find("<title>acc: 10</title>") != std::string::npos);
  CHECK(svg.find(">40</text>") != std::string::npos);  // the row total
  CHECK(svg.find(">5</text>") != std::string::npos);
  CHECK(svg.find(">acc</text>") != std::string::npos);  // legend
  CHECK(svg == svg_bars(b));
}
