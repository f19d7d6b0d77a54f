// bitexact: the command-line front end. One file per subcommand (cmd_*.cpp); this file only
// wires them into CLI11, applies the global options and maps errors to exit codes:
// 0 ok, 1 verification mismatch, 2 usage error, 3 input or I/O error. Every error is one line
// on stderr starting with "bitexact: ".
#include <algorithm>
#include <cctype>
#include <iostream>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "emu/value_io.hpp"
#include "formats/catalog.hpp"
#include "formats/error.hpp"
#include "tools/bitexact/cli_common.hpp"

using namespace bitexact;
using namespace bitexact::cli;

namespace {

// Negative values such as "-inf", "-nan" or "-.5" look like short options to CLI11; a leading
// space makes them positional (values are trimmed before parsing). Negative numbers starting
// with a digit ("-1.5", "-0x1p3") are positional for CLI11 already.
std::vector<std::string> protect_negative_values(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() > 1 && a[0] == '-' && !std::isdigit(static_cast<unsigned char>(a[1])) && a[1] != '-') {
      try {
        parse_value(a);
        a = " " + a;
      } catch (const FormatError&) {
      }
    }
    args.push_back(std::move(a));
  }
  return args;
}

// The first token that is neither an option nor the value of a global option: the word the
// user meant as a subcommand.
std::string first_word(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--catalog" || a == "--out" || a == "-O") {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] != '-') return a;
  }
  return {};
}

// Every error is one printable line: control bytes shown as \xNN, and a message that quotes a
// huge input (a 1 MB argument) cut to its first 1000 bytes.
std::string one_line(std::string_view what) {
  constexpr size_t kMax = 1000;
  std::string r;
  for (unsigned char c : what.substr(0, kMax)) {
    if (c < 0x20 || c == 0x7f) r += fmt::format("\\x{:02x}", c);
    else r += char(c);
  }
  if (what.size() > kMax) r += fmt::format("... ({} bytes in all)", what.size());
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);

  CLI::App app{"bitexact: a bit-exact emulator of low-precision number formats (FP8, FP6, FP4, MX scales, "
               "bfloat16, float16, ...) in every rounding mode.",
               "bitexact"};
  app.set_version_flag("--version", std::string("bitexact ") + version());
  app.require_subcommand(1);
  app.fallthrough();
  app.get_formatter()->column_width(34);
  app.footer(
      "Exit codes: 0 ok, 1 verification mismatch, 2 usage error, 3 input or I/O error.\n"
      "Run 'bitexact SUBCOMMAND --help' for the options and examples of each subcommand.\n\n"
      "Examples:\n"
      "  bitexact formats list\n"
      "  bitexact convert --to float8_e4m3fn 1.5 464 465\n"
      "  bitexact calc mul 1.5 0x3c --format e4m3\n"
      "  bitexact error --dist normal --scheme e4m3,e5m2,bf16 --html report.html");

  Globals globals;
  app.add_option("--catalog", globals.catalog, "load the format catalogue from a TOML file (formats/catalog.toml layout)")
      ->option_text("FILE");
  app.add_option("--out,-O", globals.out, "write data to FILE instead of stdout")->option_text("FILE");

  Registry registry;
  add_formats_command(app, globals, registry);
  add_convert_command(app, globals, registry);
  add_calc_command(app, globals, registry);
  add_selfcheck_command(app, globals, registry);
  add_error_command(app, globals, registry);
  add_gen_command(app, globals, registry);
  add_verify_command(app, globals, registry);
  add_merge_command(app, globals, registry);
  add_hw_command(app, globals, registry);
  add_dot_command(app, globals, registry);
  add_explore_command(app, globals, registry);

  std::vector<std::string> args = protect_negative_values(argc, argv);
  const std::string word = first_word(args);
  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (app.get_subcommands().empty() && !word.empty()) {
      std::string names;
      for (const CLI::App* sub : std::as_const(app).get_subcommands([](const CLI::App*) { return true; })) names += (names.empty() ? "" : ", ") + sub->get_name();
      std::cerr << fmt::format("bitexact: unknown subcommand '{}' (expected {}; see 'bitexact --help')\n", one_line(word), names);
      return kExitUsage;
    }
    std::string where = "bitexact";
    for (CLI::App* sub = &app; sub && !sub->get_subcommands().empty();) {
      sub = sub->get_subcommands().front();
      where += " " + sub->get_name();
    }
    std::cerr << "bitexact: " << one_line(e.what()) << " (see '" << where << " --help')\n";
    return kExitUsage;
  }

  try {
    if (!globals.catalog.empty()) {
      try {
        set_active_catalog(Catalog::load_file(globals.catalog));
      } catch (const FormatError& e) {
        throw InputError(fmt::format("--catalog: {}", e.what()));
      }
    }
    for (const Command& c : registry)
      if (c.app->parsed()) return c.run();
    std::cerr << "bitexact: no subcommand given (see 'bitexact --help')\n";
    return kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "bitexact: " << one_line(e.what()) << '\n';
    return kExitUsage;
  } catch (const InputError& e) {
    std::cerr << "bitexact: " << one_line(e.what()) << '\n';
    return kExitInput;
  } catch (const std::exception& e) {
    std::cerr << "bitexact: error: " << one_line(e.what()) << '\n';
    return kExitInput;
  }
}
