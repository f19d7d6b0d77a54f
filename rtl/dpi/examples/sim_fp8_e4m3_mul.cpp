// Drives the verilated tb_fp8_e4m3_mul (rtl/dpi/examples) clock by clock until it calls $finish, then
// turns its result into an exit status. The testbench itself calls the DPI-C golden model from
// SystemVerilog; this file only checks the verdict, and re-asks the model about the reported mismatch.
//
//   rtl_sim_fp8_e4m3_mul [+sat] [+fault=N] [+noflags]  exhaustive live check; exit 0 iff no mismatch
//   rtl_sim_fp8_e4m3_mul +fault=N +expect_fault  exit 0 iff the faulty datapath is caught
//   rtl_sim_fp8_e4m3_mul +tv=FILE +out=FILE     vector replay for bitexact verify; exit 0 when done
#include <cstdio>
#include <cstring>
#include <memory>

#include "Vtb_fp8_e4m3_mul.h"
#include "Vtb_fp8_e4m3_mul__Dpi.h"  // the simulator's prototypes of the imports ...
#include "bitexact_dpi.h"            // ... and the library's: one file, so their types must agree
#include "verilated.h"

int main(int argc, char** argv) {
  bool expect_fault = false, replay = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "+expect_fault") == 0) expect_fault = true;
    if (std::strncmp(argv[i], "+tv=", 4) == 0) replay = true;
  }
  auto context = std::make_unique<VerilatedContext>();
  context->commandArgs(argc, argv);
  auto tb = std::make_unique<Vtb_fp8_e4m3_mul>(context.get());
  tb->clk = 0;
  tb->eval();
  for (long cycle = 0; !context->gotFinish(); ++cycle) {
    if (cycle > 4L * 65536 + 16) {
      std::fprintf(stderr, "testbench did not finish\n");
      return 2;
    }
    tb->clk = !tb->clk;
    tb->eval();
  }
  tb->final();
  if (replay) return tb->done ? 0 : 2;

  // The testbench's hand-worked self-checks (bx_dot_sv with open arrays, bx_convert with sr:3 words).
  if (tb->dot_checked != 6 || tb->dot_failures != 0) {
    std::fprintf(stderr, "DPI self-checks: %u checked, %u failed\n", tb->dot_checked, tb->dot_failures);
    return 1;
  }
  const unsigned checked = tb->checked, mismatches = tb->mismatches;
  if (checked != 65536) {
    std::fprintf(stderr, "checked %u pairs, expected 65536\n", checked);
    return 2;
  }
  if (!expect_fault) return mismatches == 0 ? 0 : 1;
  if (mismatches == 0) {
    std::fprintf(stderr, "the faulty datapath was NOT caught\n");
    return 1;
  }
  // A rounding fault can only show on an inexact product: the reported operands must be one.
  unsigned long long want = 0;
  unsigned int flags = 0;
  if (bx_op("float8_e4m3fn", BX_OP_MUL, BX_RM_RNE, BX_OVF_IEEE, BX_SUB_KEEP, BX_TINY_AFTER, tb->first_a,
            tb->first_b, 0, 0, &want, &flags) != BX_OK ||
      !(flags & BX_FLAG_INEXACT)) {
    std::fprintf(stderr, "first mismatch a=%02x b=%02x is not an inexact product\n", tb->first_a, tb->first_b);
    return 1;
  }
  std::printf("caught: %u of 65536 pairs differ, first a=%02x b=%02x (golden %02llx)\n", mismatches,
              tb->first_a, tb->first_b, want);
  return 0;
}
