// The atomic file writer (emu/atomic_file.hpp) behind write_npy and every file the CLI writes:
// temporary file + rename, nothing at the target unless committed.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "emu/atomic_file.hpp"
#include "emu/tensor/npy.hpp"

using namespace bitexact;

TEST_CASE("atomic file: writes replace the target whole") {
  namespace fs = std::filesystem;
  const fs::path d = fs::temp_directory_path() / ("bitexact_report_" + std::to_string(getpid()));
  fs::create_directories(d);
  write_file_atomic((d / "a.html").string(), "one");
  write_file_atomic((d / "a.html").string(), "two");
  std::ifstream in(d / "a.html");
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str() == "two");
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(d)) ++n;
  CHECK(n == 1);
  CHECK_THROWS_WITH(write_file_atomic((d / "x/y.html").string(), "z"),
                    ((d / "x/y.html").string() + ": cannot open for writing: No such file or directory").c_str());
  fs::remove_all(d);
}

TEST_CASE("atomic file: a write that fails midway leaves no file and keeps an old one") {
  namespace fs = std::filesystem;
  const fs::path d = fs::temp_directory_path() / ("bitexact_atomic_" + std::to_string(getpid()));
  fs::create_directories(d);
  auto entries = [&] {
    std::vector<std::string> n;
    for (const auto& e : fs::directory_iterator(d)) n.push_back(e.path().filename().string());
    std::sort(n.begin(), n.end());
    return n;
  };
  auto read = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  // An exception while rows are produced: 1 MB already streamed, nothing at the target.
  const fs::path target = d / "rows.csv";
  CHECK_THROWS_AS(
      [&] {
        AtomicFile f(target.string());
        for (int i = 0; i < 100000; ++i) f.stream() << "row," << i << '\n';
        f.write(std::string(1 << 20, 'x'));
        CHECK(!fs::exists(target));  // still the temporary file only
        CHECK(entries().size() == 1);
        throw std::runtime_error("a bad input line");
      }(),
      std::runtime_error);
  CHECK(!fs::exists(target));
  CHECK(entries().empty());
  // The same over an existing file: it stays as it was.
  write_file_atomic(target.string(), "old\n");
  {
    AtomicFile f(target.string());
    f.stream() << "new, half written";
  }
  CHECK(read(target) == "old\n");
  CHECK(entries() == std::vector<std::string>{"rows.csv"});
  // A commit that cannot rename (the target is a folder) throws and removes its temporary file.
  fs::create_directories(d / "dir");
  {
    AtomicFile f((d / "dir").string());
    f.write("x");
    CHECK_THROWS_WITH(f.commit(), ((d / "dir").string() + ": cannot rename the temporary file into place: Is a directory").c_str());
  }
  CHECK(entries() == std::vector<std::string>{"dir", "rows.csv"});
  // A committed file has the bytes, through stream() and write() alike, and ordinary permissions.
  {
    AtomicFile f(target.string());
    f.stream() << "a," << 1 << '\n';
    f.write("b,2\n");
    f.commit();
  }
  CHECK(read(target) == "a,1\nb,2\n");
  CHECK((fs::status(target).permissions() & fs::perms::owner_read) != fs::perms::none);
  CHECK((fs::status(target).permissions() & fs::perms::others_read) ==
        (fs::status(d).permissions() & fs::perms::others_read));
  fs::remove_all(d);
}

TEST_CASE("atomic file: write_npy goes through it, its failures are NpyErrors naming the target") {
  namespace fs = std::filesystem;
  const fs::path d = fs::temp_directory_path() / ("bitexact_atomic_npy_" + std::to_string(getpid()));
  fs::create_directories(d);
  const std::vector<double> v{1.5, -2};
  const NpyArray a = npy_from_doubles(v, {2});
  write_npy((d / "a.npy").string(), a);
  fs::create_directories(d / "dir");
  CHECK_THROWS_WITH_AS(write_npy((d / "dir").string(), a),
                       ((d / "dir").string() + ": cannot rename the temporary file into place: Is a directory").c_str(),
                       NpyError);
  CHECK_THROWS_WITH_AS(write_npy((d / "x/y.npy").string(), a),
                       ((d / "x/y.npy").string() + ": cannot open for writing: No such file or directory").c_str(),
                       NpyError);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(d)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"a.npy", "dir"});  // no temporary file left
  CHECK(npy_to_doubles(read_npy((d / "a.npy").string())) == v);
  fs::remove_all(d);
}
