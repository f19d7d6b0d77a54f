// .npy files (emu/tensor/npy.hpp): byte-for-byte what numpy 1.24's np.save writes, round trips of
// every dtype in both byte orders, Fortran order, every float16 code decoded against an
// independent decoder, and hand-made malformed files with their exact messages.
#include <doctest/doctest.h>

#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "emu/tensor/npy.hpp"

using namespace bitexact;

namespace {

std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

// A version-1.0 file with the given header text (no padding added) and data bytes.
std::vector<uint8_t> file_v1(const std::string& header, const std::vector<uint8_t>& data = {}) {
  std::vector<uint8_t> b{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, uint8_t(header.size()), uint8_t(header.size() >> 8)};
  b.insert(b.end(), header.begin(), header.end());
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

std::string error_of(const std::vector<uint8_t>& file) {
  try {
    parse_npy(file, "t.npy");
  } catch (const NpyError& e) {
    return e.what();
  }
  return "(no error)";
}

// numpy's header for a 1.0 file: the dict padded with spaces to 117 bytes plus '\n'.
std::string numpy_header(const std::string& dict) { return dict + std::string(117 - dict.size(), ' ') + "\n"; }

// IEEE binary16 by its definition (independent of the core's codec).
double half_by_definition(uint16_t h) {
  const int s = h >> 15, e = (h >> 10) & 31, m = h & 1023;
  double v;
  if (e == 31) v = m ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  else if (e == 0) v = std::ldexp(double(m), -24);
  else v = std::ldexp(double(1024 + m), e - 25);
  return s ? -v : v;
}

}  // namespace

TEST_CASE("npy: np.save's exact bytes") {
  // Each expected file was written by numpy 1.24.2's np.save.
  const std::vector<double> v{1.5, -2};
  const auto f4 = npy_bytes(npy_from_doubles(v, {2}, NpyType::F4));
  std::vector<uint8_t> want = file_v1(numpy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"),
                                      {0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0xc0});
  CHECK(f4 == want);
  CHECK(f4.size() == 136);

  const std::vector<uint64_t> codes{0, 1, 2, 3, 4, 5};
  const auto i2 = npy_bytes(npy_from_codes(codes, {2, 3}, NpyType::I2));
  CHECK(i2 == file_v1(numpy_header("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }"),
                      {0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0}));

  const std::vector<double> three{3.0};
  CHECK(npy_bytes(npy_from_doubles(three, {}, NpyType::F8)) ==
        file_v1(numpy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (), }"), {0, 0, 0, 0, 0, 0, 8, 0x40}));
  CHECK(npy_bytes(npy_from_codes({}, {0}, NpyType::U1)) ==
        file_v1(numpy_header("{'descr': '|u1', 'fortran_order': False, 'shape': (0,), }")));
}

TEST_CASE("npy: round trip of every dtype, little and big endian") {
  const std::vector<NpyType> ints{NpyType::U1, NpyType::I1, NpyType::U2, NpyType::I2,
                                  NpyType::U4, NpyType::I4, NpyType::U8, NpyType::I8};
  for (NpyType t : ints) {
    CAPTURE(npy_type_name(t));
    const int bits = 8 * npy_item_size(t);
    const uint64_t mask = bits == 64 ? ~0ULL : (1ULL << bits) - 1;
    const std::vector<uint64_t> codes{0, 1, mask, mask >> 1, (mask >> 1) + 1, 0x0123456789abcdefULL & mask};
    const NpyArray a = npy_from_codes(codes, {3, 2}, t);
    const NpyArray b = parse_npy(npy_bytes(a), "rt.npy");
    CHECK(b.type == t);
    CHECK(b.shape == std::vector<uint64_t>{3, 2});
    CHECK(npy_to_codes(b) == codes);
    const std::vector<double> d = npy_to_doubles(b);
    const bool is_signed = std::string(npy_type_name(t))[0] == 'i';
    CHECK(d[1] == 1.0);
    CHECK(d[2] == (is_signed ? -1.0 : std::ldexp(1.0, bits) - (bits == 64 ? 0 : 1)));
    CHECK(d[4] == (is_signed ? -std::ldexp(1.0, bits - 1) : std::ldexp(1.0, bits - 1)));

    // The same array written big-endian by hand reads back identically.
    std::vector<uint8_t> data;
    const int n = npy_item_size(t);
    for (uint64_t c : codes)
      for (int i = n - 1; i >= 0; --i) data.push_back(uint8_t(c >> (8 * i)));
    const std::string descr = std::string(n == 1 ? "|" : ">") + (is_signed ? "i" : "u") + std::to_string(n);
    const NpyArray big = parse_npy(file_v1("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (3, 2), }\n", data), "be.npy");
    CHECK(npy_to_codes(big) == codes);
  }

  const std::vector<double> vals{0.0, -0.0, 1.0, -1.5, 65504.0, 0x1p-24, std::numeric_limits<double>::infinity(), 3.0e-5};
  for (NpyType t : {NpyType::F2, NpyType::F4, NpyType::F8}) {
    CAPTURE(npy_type_name(t));
    const NpyArray b = parse_npy(npy_bytes(npy_from_doubles(vals, {8}, t)), "rt.npy");
    const std::vector<double> d = npy_to_doubles(b);
    for (size_t i = 0; i + 1 < vals.size(); ++i) {
      CHECK(d[i] == vals[i]);
      CHECK(std::signbit(d[i]) == std::signbit(vals[i]));
    }
    // 3e-5 is exact in float64 only; float32 and float16 hold it rounded to nearest.
    CHECK(d[7] == (t == NpyType::F8 ? 3.0e-5 : t == NpyType::F4 ? double(3.0e-5f) : 0x1.f7p-16));
  }
  // Big-endian float32 and float64.
  CHECK(npy_to_doubles(parse_npy(file_v1("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n",
                                         {0x3f, 0xc0, 0, 0}), "b.npy"))[0] == 1.5);
  CHECK(npy_to_doubles(parse_npy(file_v1("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }\n",
                                         {0xc0, 0x04, 0, 0, 0, 0, 0, 0}), "b.npy"))[0] == -2.5);
}

TEST_CASE("npy: every float16 code decodes exactly") {
  std::vector<uint64_t> codes(65536);
  for (uint64_t c = 0; c < 65536; ++c) codes[c] = c;
  NpyArray a = npy_from_codes(codes, {65536}, NpyType::U2);
  a.type = NpyType::F2;  // same bytes, read as float16
  const std::vector<double> d = npy_to_doubles(parse_npy(npy_bytes(a), "h.npy"));
  int bad = 0;
  for (uint64_t c = 0; c < 65536; ++c) {
    const double want = half_by_definition(uint16_t(c));
    const bool same = std::isnan(want) ? std::isnan(d[c]) : (d[c] == want && std::signbit(d[c]) == std::signbit(want));
    if (!same) ++bad;
  }
  CHECK(bad == 0);
  CHECK(d[0x3c00] == 1.0);
  CHECK(d[0x7bff] == 65504.0);
  CHECK(d[0x0001] == 0x1p-24);
}

TEST_CASE("npy: Fortran order is read into C order") {
  // numpy: np.save(f, np.asfortranarray(np.arange(6, dtype='u1').reshape(2, 3)))
  const auto f = file_v1(numpy_header("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }"), {0, 3, 1, 4, 2, 5});
  const NpyArray a = parse_npy(f, "f.npy");
  CHECK(npy_to_codes(a) == std::vector<uint64_t>{0, 1, 2, 3, 4, 5});
  // Rank 3: element (i, j, k) of shape (2, 3, 2) sits at i + 2 j + 6 k in Fortran order.
  std::vector<uint8_t> data(12);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 2; ++k) data[size_t(i + 2 * j + 6 * k)] = uint8_t(6 * i + 2 * j + k);
  const NpyArray b = parse_npy(file_v1("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3, 2)}", data), "f3.npy");
  std::vector<uint64_t> want(12);
  for (uint64_t i = 0; i < 12; ++i) want[i] = i;
  CHECK(npy_to_codes(b) == want);
}

TEST_CASE("npy: header variants numpy accepts") {
  // Versions 2.0 and 3.0 have a 4-byte header length; keys in any order, double quotes, no padding.
  const std::string h = "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f8\"}";
  for (uint8_t major : {2, 3}) {
    std::vector<uint8_t> b{0x93, 'N', 'U', 'M', 'P', 'Y', major, 0, uint8_t(h.size()), 0, 0, 0};
    b.insert(b.end(), h.begin(), h.end());
    for (uint8_t x : {0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40}) b.push_back(x);
    const auto d = npy_to_doubles(parse_npy(b, "v.npy"));
    CHECK(d == std::vector<double>{1.5, 2.0});
  }
  // A header longer than 65535 bytes is written as version 2.0.
  NpyArray big;
  big.type = NpyType::U1;
  big.shape.assign(25000, 1);
  big.data = {7};
  const auto bytes = npy_bytes(big);
  CHECK(bytes[6] == 2);
  CHECK((bytes.size() - 1) % 64 == 0);
  CHECK(npy_to_codes(parse_npy(bytes, "big.npy")) == std::vector<uint64_t>{7});
}

TEST_CASE("npy: malformed files give one exact line") {
  const std::string ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
  const std::vector<uint8_t> two_floats(8, 0);
  CHECK(error_of({}) == "t.npy: byte offset 0: file ends inside the magic string (not a .npy file)");
  CHECK(error_of(bytes_of("PK\x03\x04 a zip")) == "t.npy: byte offset 0: bad magic string (a .npy file starts with \\x93NUMPY)");
  CHECK(error_of({0x93, 'N', 'U', 'M', 'P', 'Y'}) == "t.npy: byte offset 6: file ends before the format version");
  CHECK(error_of({0x93, 'N', 'U', 'M', 'P', 'Y', 4, 0, 0, 0}) ==
        "t.npy: byte offset 6: unsupported format version 4.0 (expected 1.0, 2.0 or 3.0)");
  CHECK(error_of({0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 5}) == "t.npy: byte offset 9: file ends inside the header length");
  CHECK(error_of({0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 200, 0, '{'}) ==
        "t.npy: byte offset 8: header length 200 runs past the end of the file (11 bytes)");
  CHECK(error_of(file_v1("['descr']", two_floats)) == "t.npy: byte offset 10: the header must be a dict starting with '{'");
  CHECK(error_of(file_v1("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", two_floats)) ==
        "t.npy: byte offset 21: unsupported dtype '<c8' (supported: float16/32/64 '<f2' '<f4' '<f8', integers 'u1' "
        "'i1' '<u2' '<i2' '<u4' '<i4' '<u8' '<i8'; '<' little or '>' big endian)");
  CHECK(error_of(file_v1("{'descr': '|f4', 'fortran_order': False, 'shape': (2,), }", two_floats)).rfind(
            "t.npy: byte offset 21: unsupported dtype '|f4'", 0) == 0);
  CHECK(error_of(file_v1("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", two_floats)) ==
        "t.npy: byte offset 20: expected the 'descr' value (a quoted dtype string such as '<f4')");
  CHECK(error_of(file_v1("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", two_floats)) ==
        "t.npy: byte offset 44: 'fortran_order' must be True or False");
  CHECK(error_of(file_v1("{'descr': '<f4', 'fortran_order': False, 'shape': (2), }", two_floats)) ==
        "t.npy: byte offset 62: 'shape' (n) is not a tuple; numpy writes (n,)");
  CHECK(error_of(file_v1("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }", two_floats)) ==
        "t.npy: byte offset 64: expected a non-negative integer dimension in 'shape'");
  CHECK(error_of(file_v1("{'descr': '<f4', 'fortran_order': False}", two_floats)) ==
        "t.npy: byte offset 49: the header has no 'shape' key");
  CHECK(error_of(file_v1("{'descr': '<f4', 'descr': '<f4'}", two_floats)) == "t.npy: byte offset 27: duplicate key 'descr'");
  CHECK(error_of(file_v1("{'descr': '<f4', 'order': 'C'}", two_floats)) ==
        "t.npy: byte offset 27: unexpected key 'order' (expected 'descr', 'fortran_order' and 'shape')");
  CHECK(error_of(file_v1("{'descr': '<f4' 'shape': (2,)}", two_floats)) ==
        "t.npy: byte offset 26: expected ',' or '}' after a dict value");
  CHECK(error_of(file_v1("{'descr': '<f4", two_floats)) == "t.npy: byte offset 20: unterminated string in the header");
  CHECK(error_of(file_v1(ok + "x", two_floats)) == "t.npy: byte offset 68: unexpected text after the header dict");
  CHECK(error_of(file_v1("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\xc3\xa9", two_floats)) ==
        "t.npy: byte offset 67: non-ASCII byte in a version 1.0 header");
  CHECK(error_of(file_v1(ok, std::vector<uint8_t>(7, 0))) ==
        "t.npy: byte offset 75: truncated data: shape (2,) of float32 needs 8 bytes from byte offset 68, the file has 7");
  CHECK(error_of(file_v1(ok, std::vector<uint8_t>(12, 0))) ==
        "t.npy: byte offset 76: 4 bytes after the data (shape (2,) of float32 needs 8 bytes from byte offset 68)");
  CHECK(error_of(file_v1("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }")) ==
        "t.npy: byte offset 10: shape (4294967296, 4294967296) is too large");
}

TEST_CASE("npy: files on disk") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("bitexact_npy_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "a.npy").string();
  const std::vector<double> v{0.25, -8.0, 1e300};
  write_npy(path, npy_from_doubles(v, {3}));
  CHECK(npy_to_doubles(read_npy(path)) == v);
  CHECK(fs::directory_iterator(dir) != fs::directory_iterator());
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  CHECK(files == 1);  // no temporary left behind
  try {
    read_npy((dir / "missing.npy").string());
    FAIL("no error");
  } catch (const NpyError& e) {
    CHECK(std::string(e.what()) == (dir / "missing.npy").string() + ": cannot open: No such file or directory");
  }
  fs::remove_all(dir);
  CHECK(parse_npy_type_name("float16") == NpyType::F2);
  CHECK(parse_npy_type_name("i4") == NpyType::I4);
  CHECK_THROWS_AS(parse_npy_type_name("bool"), std::invalid_argument);
}
