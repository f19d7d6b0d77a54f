// NumPy .npy files: one array, a small text header, then the raw elements. Format versions 1.0,
// 2.0 and 3.0 as numpy's "NEP 1 / numpy.lib.format" describes them:
//
//   bytes 0..5   magic "\x93NUMPY"
//   bytes 6, 7   major, minor version (1.0, 2.0 or 3.0)
//   bytes 8..    header length: uint16 little-endian (1.0) or uint32 little-endian (2.0, 3.0)
//   then         the header: a Python dict literal {'descr': '<f4', 'fortran_order': False,
//                'shape': (2, 3), } padded with spaces and ended by '\n' (ASCII in 1.0/2.0, UTF-8 in 3.0)
//   then         product(shape) elements of the dtype, C order (or Fortran order if fortran_order)
//
// Supported dtypes: float16/32/64 ('f2' 'f4' 'f8') and integer codes ('u1' 'i1' 'u2' 'i2' 'u4' 'i4'
// 'u8' 'i8'), little ('<') or big ('>') endian; '|' is accepted for the one-byte types. Anything
// else (bool, complex, structured, '=' native order) is an error. Fortran-order arrays are
// reordered to C order on reading. Every error is an NpyError whose one-line message names the
// file and the byte offset of the offending field: "w.npy: byte 10: ...".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bitexact {

struct NpyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class NpyType : uint8_t { F2, F4, F8, U1, I1, U2, I2, U4, I4, U8, I8 };

int npy_item_size(NpyType t);           // bytes per element
bool npy_is_float(NpyType t);
const char* npy_type_name(NpyType t);    // "float16", "int8", ...
NpyType parse_npy_type_name(std::string_view name);  // "float32", "f4", "int8", ...; throws std::invalid_argument

// An array in memory: elements in C order, each item in little-endian byte order whatever the
// file used.
struct NpyArray {
  NpyType type = NpyType::F8;
  std::vector<uint64_t> shape;   // empty: a 0-d array holding one element
  std::vector<uint8_t> data;     // size() * item size bytes, little-endian items

  uint64_t size() const;         // product of the shape
};

// Parses the bytes of a .npy file; `name` is used in error messages.
NpyArray parse_npy(std::span<const uint8_t> bytes, std::string_view name);
// Reads and parses a file; an unreadable file is an NpyError too.
NpyArray read_npy(const std::string& path);

// The file bytes numpy's np.save writes for this array (version 1.0, or 2.0 when the header needs
// more than 65535 bytes; header padded so the data starts at a multiple of 64; little-endian).
std::vector<uint8_t> npy_bytes(const NpyArray& a);
// Writes atomically (AtomicFile: a temporary file next to `path`, then rename). Throws NpyError on failure.
void write_npy(const std::string& path, const NpyArray& a);

// Element values as doubles: floats exactly (float16 decoded by the core's codec), integers exactly
// when |v| <= 2^53 (larger 64-bit integers round to nearest even).
std::vector<double> npy_to_doubles(const NpyArray& a);
// Integer elements as code words (the bit pattern, zero-extended); throws std::invalid_argument
// for float arrays.
std::vector<uint64_t> npy_to_codes(const NpyArray& a);

// Arrays built from values: float64 stores them as they are; float32 and float16 round each value
// to nearest even through the core (so the file holds exactly what the emulator would produce).
NpyArray npy_from_doubles(std::span<const double> values, std::vector<uint64_t> shape, NpyType type = NpyType::F8);
// Integer types: each code is truncated to the item width (two's complement for signed types).
NpyArray npy_from_codes(std::span<const uint64_t> codes, std::vector<uint64_t> shape, NpyType type);

}  // namespace bitexact
