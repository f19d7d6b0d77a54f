// NumPy .npy files (emu/tensor/npy.hpp): header and data, as `bitexact error --npy` reads them.
// Input: the file bytes. Properties, for a file that parses: the data holds size() items; the
// array written back (npy_bytes) parses to the same type, shape and data; element conversion
// (npy_to_doubles, npy_to_codes for integer types) gives size() elements.
// Allowed errors: NpyError (and std::invalid_argument).
#include "tests/fuzz/fuzz_common.hpp"

#include <span>

#include "emu/tensor/npy.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  NpyArray a;
  if (!allowed<NpyError>([&] { a = parse_npy(std::span<const uint8_t>(data, size), "fuzz.npy"); })) return 0;
  const uint64_t n = a.size();
  FUZZ_CHECK(a.data.size() == n * uint64_t(npy_item_size(a.type)), "data size != shape product x item size");
  const std::vector<uint8_t> bytes = npy_bytes(a);
  NpyArray b;
  FUZZ_CHECK(allowed<NpyError>([&] { b = parse_npy(bytes, "written.npy"); }), "written file does not parse");
  FUZZ_CHECK(b.type == a.type && b.shape == a.shape && b.data == a.data, "written file reads back another array");
  FUZZ_CHECK(npy_to_doubles(a).size() == n, "npy_to_doubles size");
  if (!npy_is_float(a.type)) FUZZ_CHECK(npy_to_codes(a).size() == n, "npy_to_codes size");
  return 0;
}
