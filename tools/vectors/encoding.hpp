// The three vector encodings, written and read through one description of a line (VectorOp):
//
// testfloat  TestFloat's text: "A B [C] R FF": operands and result as uppercase hex zero-padded to
//            their format's width, a boolean result as one digit, the flags as two hex digits in
//            SoftFloat's bit order (bit0 inexact, 1 underflow, 2 overflow, 3 infinite, 4 invalid).
// tv         the same fields joined by '_' ($readmemh reads each line as one wide word), with an
//            optional first "// ..." comment line.
// jsonl      one JSON object per case: index, operand and result codes ("0x3c00"), flags (an
//            integer), the decoded values and the flag letters.
//
// Readers accept what a DUT is likely to write: either separator in both text encodings, '//'
// and '#' comment lines, codes with or without 0x.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/vectors/vector_op.hpp"

namespace bitexact::vectors {

enum class Encoding : uint8_t { TestFloat, Tv, Jsonl };
Encoding parse_encoding(std::string_view s);  // testfloat | tv | jsonl; std::invalid_argument
std::string_view encoding_name(Encoding e);
std::string_view encoding_extension(Encoding e);  // ".txt", ".tv", ".jsonl"
// By file extension (.txt .tv .jsonl .json); nullopt when the extension says nothing.
std::optional<Encoding> encoding_from_path(std::string_view path);
// By a line's content: '{' starts JSONL, '_' between fields means tv, otherwise testfloat.
Encoding encoding_from_line(std::string_view line);

// Appends one case as a line (with '\n') to out.
void append_line(std::string& out, Encoding e, const VectorOp& op, const uint64_t* x, uint64_t result,
                 uint8_t flags, uint64_t index);

// One line read back. has_result / has_flags: the line carried them.
struct ParsedLine {
  std::vector<uint64_t> x;
  bool has_result = false;
  uint64_t result = 0;
  bool has_flags = false;
  uint8_t flags = 0;
  std::optional<uint64_t> index;
  int fields = 0;  // text encodings: the number of fields on the line
};

// Parses a line; returns false for blank and comment lines. A malformed line throws
// std::invalid_argument whose message names the field: "field 2 (b): ...". Lines hold the
// operands, then optionally the result and then the flags ("A B", "A B R" or "A B R FF").
bool parse_line(std::string_view line, Encoding e, const VectorOp& op, ParsedLine& out);

// "A B R FF"-style names of a full line's fields, for messages: "a b result flags".
std::string field_names(const VectorOp& op);

}  // namespace bitexact::vectors
