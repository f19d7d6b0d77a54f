#include "emu/tensor/npy.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>

#include <fmt/format.h>

#include "emu/atomic_file.hpp"
#include "emu/ops.hpp"
#include "formats/spec.hpp"

namespace bitexact {

namespace {

struct TypeInfo {
  NpyType type;
  char kind;  // 'f', 'u', 'i'
  int size;
  const char* name;
};

constexpr std::array<TypeInfo, 11> kTypes{{{NpyType::F2, 'f', 2, "float16"},
                                           {NpyType::F4, 'f', 4, "float32"},
                                           {NpyType::F8, 'f', 8, "float64"},
                                           {NpyType::U1, 'u', 1, "uint8"},
                                           {NpyType::I1, 'i', 1, "int8"},
                                           {NpyType::U2, 'u', 2, "uint16"},
                                           {NpyType::I2, 'i', 2, "int16"},
                                           {NpyType::U4, 'u', 4, "uint32"},
                                           {NpyType::I4, 'i', 4, "int32"},
                                           {NpyType::U8, 'u', 8, "uint64"},
                                           {NpyType::I8, 'i', 8, "int64"}}};

const TypeInfo& info(NpyType t) { return kTypes[size_t(t)]; }

// Control and non-ASCII bytes as \xNN so a message stays one printable line.
std::string printable(std::string_view s) {
  std::string r;
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f) r += fmt::format("\\x{:02x}", c);
    else r += char(c);
  }
  return r;
}

[[noreturn]] void fail(std::string_view name, uint64_t offset, const std::string& what) {
  throw NpyError(fmt::format("{}: byte offset {}: {}", printable(name), offset, what));
}

std::string shape_text(const std::vector<uint64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) s += ",";
  return s + ")";
}

// The header dict: a tiny parser for the Python literal numpy writes, with byte offsets.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, uint64_t base, std::string_view name) : s_(text), base_(base), name_(name) {}

  void parse(NpyType& type, bool& big_endian, bool& fortran, std::vector<uint64_t>& shape) {
    bool have_descr = false, have_fortran = false, have_shape = false;
    ws();
    expect('{', "the header must be a dict starting with '{'");
    for (;;) {
      ws();
      if (peek() == '}') break;
      const size_t key_at = i_;
      const std::string key = string_literal("a dict key (a quoted string)");
      ws();
      expect(':', "expected ':' after the key");
      ws();
      const size_t value_at = i_;
      if (key == "descr") {
        if (have_descr) error(key_at, "duplicate key 'descr'");
        have_descr = true;
        descr(string_literal("the 'descr' value (a quoted dtype string such as '<f4')"), value_at, type, big_endian);
      } else if (key == "fortran_order") {
        if (have_fortran) error(key_at, "duplicate key 'fortran_order'");
        have_fortran = true;
        fortran = boolean();
      } else if (key == "shape") {
        if (have_shape) error(key_at, "duplicate key 'shape'");
        have_shape = true;
        shape = tuple();
      } else {
        error(key_at, fmt::format("unexpected key '{}' (expected 'descr', 'fortran_order' and 'shape')", printable(key)));
      }
      ws();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() == '}') break;
      error(i_, "expected ',' or '}' after a dict value");
    }
    const size_t close = i_;
    ++i_;
    ws();
    if (i_ < s_.size()) error(i_, "unexpected text after the header dict");
    if (!have_descr) error(close, "the header has no 'descr' key");
    if (!have_fortran) error(close, "the header has no 'fortran_order' key");
    if (!have_shape) error(close, "the header has no 'shape' key");
  }

 private:
  [[noreturn]] void error(size_t at, const std::string& what) const { fail(name_, base_ + at, what); }

  int peek() const { return i_ < s_.size() ? static_cast<unsigned char>(s_[i_]) : -1; }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  void expect(char c, const char* what) {
    if (peek() != c) error(i_, i_ < s_.size() ? what : std::string(what) + ", found the end of the header");
    ++i_;
  }

  std::string string_literal(const char* what) {
    const int q = peek();
    if (q != '\'' && q != '"') error(i_, fmt::format("expected {}", what));
    const size_t start = ++i_;
    while (i_ < s_.size() && s_[i_] != q) {
      if (s_[i_] == '\\') error(i_, "escape sequences are not supported in header strings");
      ++i_;
    }
    if (i_ >= s_.size()) error(start - 1, "unterminated string in the header");
    return std::string(s_.substr(start, i_++ - start));
  }

  bool boolean() {
    if (s_.substr(i_, 4) == "True") {
      i_ += 4;
      return true;
    }
    if (s_.substr(i_, 5) == "False") {
      i_ += 5;
      return false;
    }
    error(i_, "'fortran_order' must be True or False");
  }

  uint64_t integer() {
    const size_t start = i_;
    uint64_t v = 0;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      const uint64_t d = uint64_t(s_[i_] - '0');
      if (v > (UINT64_MAX - d) / 10) error(start, "shape dimension does not fit in 64 bits");
      v = v * 10 + d;
      ++i_;
    }
    if (i_ == start) error(i_, "expected a non-negative integer dimension in 'shape'");
    return v;
  }

  std::vector<uint64_t> tuple() {
    std::vector<uint64_t> dims;
    expect('(', "'shape' must be a tuple such as (3,) or (2, 4)");
    ws();
    if (peek() == ')') {
      ++i_;
      return dims;
    }
    bool comma = false;
    for (;;) {
      dims.push_back(integer());
      ws();
      comma = false;
      if (peek() == ',') {
        ++i_;
        comma = true;
        ws();
      }
      if (peek() == ')') break;
      if (!comma) error(i_, "expected ',' or ')' in 'shape'");
    }
    if (dims.size() == 1 && !comma) error(i_, "'shape' (n) is not a tuple; numpy writes (n,)");
    ++i_;
    return dims;
  }

  void descr(const std::string& d, size_t at, NpyType& type, bool& big_endian) const {
    const size_t pos = at + 1;  // after the opening quote
    auto unsupported = [&] {
      error(pos, fmt::format("unsupported dtype '{}' (supported: float16/32/64 '<f2' '<f4' '<f8', integers "
                             "'u1' 'i1' '<u2' '<i2' '<u4' '<i4' '<u8' '<i8'; '<' little or '>' big endian)",
                             printable(d)));
    };
    if (d.size() < 3) unsupported();
    const char order = d[0];
    if (order != '<' && order != '>' && order != '|') unsupported();
    for (const TypeInfo& t : kTypes) {
      if (d.substr(1) != fmt::format("{}{}", t.kind, t.size)) continue;
      if (order == '|' && t.size != 1) unsupported();
      type = t.type;
      big_endian = order == '>';
      return;
    }
    unsupported();
  }

  std::string_view s_;
  uint64_t base_;
  std::string_view name_;
  size_t i_ = 0;
};

uint64_t read_le(std::span<const uint8_t> b, size_t at, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | b[at + size_t(i)];
  return v;
}

const Format& float16_format() {
  static const Format f = parse_format("float16");
  return f;
}
const Format& float32_format() {
  static const Format f = parse_format("float32");
  return f;
}

}  // namespace

int npy_item_size(NpyType t) { return info(t).size; }
bool npy_is_float(NpyType t) { return info(t).kind == 'f'; }
const char* npy_type_name(NpyType t) { return info(t).name; }

NpyType parse_npy_type_name(std::string_view name) {
  for (const TypeInfo& t : kTypes)
    if (name == t.name || name == fmt::format("{}{}", t.kind, t.size)) return t.type;
  throw std::invalid_argument(fmt::format("unknown dtype '{}' (expected float16, float32, float64, uint8, int8, "
                                          "uint16, int16, uint32, int32, uint64 or int64)",
                                          printable(name)));
}

uint64_t NpyArray::size() const {
  uint64_t n = 1;
  for (uint64_t d : shape) n *= d;
  return n;
}

NpyArray parse_npy(std::span<const uint8_t> b, std::string_view name) {
  static constexpr uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  for (size_t i = 0; i < 6; ++i) {
    if (i >= b.size()) fail(name, i, "file ends inside the magic string (not a .npy file)");
    if (b[i] != kMagic[i]) fail(name, i, "bad magic string (a .npy file starts with \\x93NUMPY)");
  }
  if (b.size() < 8) fail(name, b.size(), "file ends before the format version");
  const int major = b[6], minor = b[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0)
    fail(name, 6, fmt::format("unsupported format version {}.{} (expected 1.0, 2.0 or 3.0)", major, minor));
  const int len_bytes = major == 1 ? 2 : 4;
  if (b.size() < size_t(8 + len_bytes)) fail(name, b.size(), "file ends inside the header length");
  const uint64_t header_len = read_le(b, 8, len_bytes);
  const uint64_t header_start = 8 + uint64_t(len_bytes);
  if (header_len > b.size() - header_start)
    fail(name, 8, fmt::format("header length {} runs past the end of the file ({} bytes)", header_len, b.size()));
  const std::string_view text(reinterpret_cast<const char*>(b.data() + header_start), size_t(header_len));
  if (major < 3)
    for (size_t i = 0; i < text.size(); ++i)
      if (static_cast<unsigned char>(text[i]) >= 0x80)
        fail(name, header_start + i, fmt::format("non-ASCII byte in a version {}.0 header", major));

  NpyArray a;
  bool big_endian = false, fortran = false;
  HeaderParser(text, header_start, name).parse(a.type, big_endian, fortran, a.shape);

  const uint64_t item = uint64_t(npy_item_size(a.type));
  uint64_t count = 1;
  for (uint64_t d : a.shape) {
    if (d != 0 && count > UINT64_MAX / item / d)
      fail(name, header_start, fmt::format("shape {} is too large", shape_text(a.shape)));
    count *= d;
  }
  const uint64_t data_start = header_start + header_len;
  const uint64_t need = count * item;
  const uint64_t have = b.size() - data_start;
  if (have < need)
    fail(name, b.size(), fmt::format("truncated data: shape {} of {} needs {} bytes from byte offset {}, the file has {}",
                                     shape_text(a.shape), npy_type_name(a.type), need, data_start, have));
  if (have > need)
    fail(name, data_start + need, fmt::format("{} bytes after the data (shape {} of {} needs {} bytes from byte offset {})",
                                              have - need, shape_text(a.shape), npy_type_name(a.type), need, data_start));

  a.data.assign(b.begin() + std::ptrdiff_t(data_start), b.end());
  const size_t n = size_t(item);
  if (big_endian && n > 1)
    for (size_t i = 0; i < a.data.size(); i += n) std::reverse(a.data.begin() + std::ptrdiff_t(i), a.data.begin() + std::ptrdiff_t(i + n));
  if (fortran && a.shape.size() > 1 && count > 1) {
    // C position p has multi-index idx (last axis fastest); its Fortran position is
    // sum idx[k] * prod(shape[0..k-1]).
    std::vector<uint8_t> c(a.data.size());
    const size_t rank = a.shape.size();
    std::vector<uint64_t> idx(rank, 0), fstride(rank, 1);
    for (size_t k = 1; k < rank; ++k) fstride[k] = fstride[k - 1] * a.shape[k - 1];
    uint64_t fpos = 0;
    for (uint64_t p = 0; p < count; ++p) {
      std::memcpy(&c[size_t(p) * n], &a.data[size_t(fpos) * n], n);
      for (size_t k = rank; k-- > 0;) {
        ++idx[k];
        fpos += fstride[k];
        if (idx[k] < a.shape[k]) break;
        fpos -= fstride[k] * idx[k];
        idx[k] = 0;
      }
    }
    a.data = std::move(c);
  }
  return a;
}

NpyArray read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NpyError(fmt::format("{}: cannot open: {}", printable(path), std::strerror(errno)));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw NpyError(fmt::format("{}: read error", printable(path)));
  return parse_npy(bytes, path);
}

std::vector<uint8_t> npy_bytes(const NpyArray& a) {
  const TypeInfo& t = info(a.type);
  std::string header = fmt::format("{{'descr': '{}{}{}', 'fortran_order': False, 'shape': {}, }}",
                                   t.size == 1 ? '|' : '<', t.kind, t.size, shape_text(a.shape));
  const int major = header.size() + 1 + 10 <= 65535 ? 1 : 2;
  const size_t prefix = major == 1 ? 10 : 12;
  const size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
  header.append(total - prefix - header.size() - 1, ' ');
  header += '\n';
  std::vector<uint8_t> out{0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(major), 0};
  for (size_t i = 0; i < prefix - 8; ++i) out.push_back(uint8_t(header.size() >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), a.data.begin(), a.data.end());
  return out;
}

void write_npy(const std::string& path, const NpyArray& a) {
  if (a.data.size() != a.size() * uint64_t(npy_item_size(a.type)))
    throw NpyError(fmt::format("{}: {} data bytes do not match shape {} of {}", printable(path), a.data.size(),
                               shape_text(a.shape), npy_type_name(a.type)));
  const std::vector<uint8_t> bytes = npy_bytes(a);
  try {
    write_file_atomic(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  } catch (const std::runtime_error& e) {
    throw NpyError(printable(e.what()));  // "PATH: cannot open for writing: REASON", "PATH: write error: ..."
  }
}

std::vector<double> npy_to_doubles(const NpyArray& a) {
  const size_t n = size_t(a.size()), item = size_t(npy_item_size(a.type));
  std::vector<double> v(n);
  Env env;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t w = read_le(a.data, i * item, int(item));
    switch (a.type) {
      case NpyType::F2: v[i] = to_double(float16_format(), w, env); break;
      case NpyType::F4: v[i] = double(std::bit_cast<float>(uint32_t(w))); break;
      case NpyType::F8: v[i] = std::bit_cast<double>(w); break;
      case NpyType::U1: case NpyType::U2: case NpyType::U4: case NpyType::U8: v[i] = double(w); break;
      case NpyType::I1: v[i] = double(int8_t(w)); break;
      case NpyType::I2: v[i] = double(int16_t(w)); break;
      case NpyType::I4: v[i] = double(int32_t(w)); break;
      case NpyType::I8: v[i] = double(int64_t(w)); break;
    }
  }
  return v;
}

std::vector<uint64_t> npy_to_codes(const NpyArray& a) {
  if (npy_is_float(a.type))
    throw std::invalid_argument(fmt::format("expected an integer array of codes, got {}", npy_type_name(a.type)));
  const size_t n = size_t(a.size()), item = size_t(npy_item_size(a.type));
  std::vector<uint64_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = read_le(a.data, i * item, int(item));
  return v;
}

namespace {
void check_count(size_t values, const std::vector<uint64_t>& shape) {
  uint64_t n = 1;
  for (uint64_t d : shape) n *= d;
  if (n != values)
    throw std::invalid_argument(fmt::format("{} values do not fill shape {}", values, shape_text(shape)));
}
void put_le(std::vector<uint8_t>& out, uint64_t w, int n) {
  for (int i = 0; i < n; ++i) out.push_back(uint8_t(w >> (8 * i)));
}
}  // namespace

NpyArray npy_from_doubles(std::span<const double> values, std::vector<uint64_t> shape, NpyType type) {
  if (!npy_is_float(type)) throw std::invalid_argument("npy_from_doubles: expected a float dtype");
  check_count(values.size(), shape);
  NpyArray a;
  a.type = type;
  a.shape = std::move(shape);
  a.data.reserve(values.size() * size_t(npy_item_size(type)));
  for (double x : values) {
    Env env;  // round to nearest even, IEEE overflow (to inf)
    switch (type) {
      case NpyType::F2: put_le(a.data, from_double(float16_format(), x, env), 2); break;
      case NpyType::F4: put_le(a.data, from_double(float32_format(), x, env), 4); break;
      default: put_le(a.data, std::bit_cast<uint64_t>(x), 8); break;
    }
  }
  return a;
}

NpyArray npy_from_codes(std::span<const uint64_t> codes, std::vector<uint64_t> shape, NpyType type) {
  if (npy_is_float(type)) throw std::invalid_argument("npy_from_codes: expected an integer dtype");
  check_count(codes.size(), shape);
  NpyArray a;
  a.type = type;
  a.shape = std::move(shape);
  a.data.reserve(codes.size() * size_t(npy_item_size(type)));
  for (uint64_t c : codes) put_le(a.data, c, npy_item_size(type));
  return a;
}

}  // namespace bitexact
