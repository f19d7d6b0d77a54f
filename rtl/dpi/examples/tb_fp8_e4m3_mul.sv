// Testbench for fp8_e4m3_mul, one operand pair per clock, in one of two modes:
//
// Live DPI-C check (default): every one of the 65536 operand pairs goes through the datapath and through
// the golden model (bitexact_dpi_pkg::bx_op); results are compared bit for bit (NaN by class), and so
// are the exception flags. The first mismatches are printed with their operands; the summary line
// says how many passed and failed.
//
// Vector replay (+tv=FILE +out=FILE): reads `bitexact gen --encoding tv` vectors with $readmemh
// (one A_B_R_FF word per line), drives A and B, and writes the datapath's results and flags as
// A_B_R_FF lines for `bitexact verify`. The expected R and FF in the file are not used: verify
// recomputes them.
//
// Plusargs: +fault=N checks the FAULT=N datapath (1 truncates, 2 drops the sticky bit, 3 detects
// tininess before rounding), +sat the saturating one (golden model with BX_OVF_SATURATE), +noflags
// compares result codes only.
module tb_fp8_e4m3_mul (
  input  logic        clk,
  output logic        done,
  output int unsigned checked,
  output int unsigned mismatches,
  output logic [7:0]  first_a,  // operands of the first mismatch
  output logic [7:0]  first_b,
  output int unsigned dot_checked,  // hand-worked self-checks: bx_dot_sv (open arrays), bx_convert with sr:3
  output int unsigned dot_failures
);
  import bitexact_dpi_pkg::*;

  localparam string FORMAT = "float8_e4m3fn";
  localparam int MAX_VECTORS = 65536;

  int          fault;
  bit          sat, replay, noflags;
  int          fd, count;
  string       tv_file, out_file;
  logic [63:0] vectors[MAX_VECTORS];
  logic [16:0] idx;

  logic [7:0] a, b, y_good, y_sat, y_trunc, y_nosticky, y_tiny, y;
  logic [4:0] f_good, f_sat, f_trunc, f_nosticky, f_tiny, f;
  assign a = replay ? vectors[idx[15:0]][31:24] : idx[15:8];
  assign b = replay ? vectors[idx[15:0]][23:16] : idx[7:0];

  fp8_e4m3_mul #(.SAT(1'b0), .FAULT(0)) u_good     (.a(a), .b(b), .y(y_good),     .flags(f_good));
  fp8_e4m3_mul #(.SAT(1'b1), .FAULT(0)) u_sat      (.a(a), .b(b), .y(y_sat),      .flags(f_sat));
  fp8_e4m3_mul #(.SAT(1'b0), .FAULT(1)) u_trunc    (.a(a), .b(b), .y(y_trunc),    .flags(f_trunc));
  fp8_e4m3_mul #(.SAT(1'b0), .FAULT(2)) u_nosticky (.a(a), .b(b), .y(y_nosticky), .flags(f_nosticky));
  fp8_e4m3_mul #(.SAT(1'b0), .FAULT(3)) u_tiny     (.a(a), .b(b), .y(y_tiny),     .flags(f_tiny));
  assign y = fault == 1 ? y_trunc : fault == 2 ? y_nosticky : fault == 3 ? y_tiny : sat ? y_sat : y_good;
  assign f = fault == 1 ? f_trunc : fault == 2 ? f_nosticky : fault == 3 ? f_tiny : sat ? f_sat : f_good;

  initial begin
    if (!$value$plusargs("fault=%d", fault)) fault = 0;
    sat = $test$plusargs("sat") != 0;
    noflags = $test$plusargs("noflags") != 0;
    replay = $value$plusargs("tv=%s", tv_file) != 0;
    count = MAX_VECTORS;
    if (replay) begin
      if (!$value$plusargs("out=%s", out_file)) $fatal(1, "+tv needs +out=FILE");
      // Words not in the file keep an impossible value (vectors are 32 bits), so the count is known.
      for (int i = 0; i < MAX_VECTORS; i++) vectors[i] = '1;
      $readmemh(tv_file, vectors);
      count = 0;
      while (count < MAX_VECTORS && vectors[count][63:32] == 32'd0) count++;
      fd = $fopen(out_file, "w");
      if (fd == 0) $fatal(1, "cannot write %s", out_file);
      $display("replaying %0d vectors from %s into %s", count, tv_file, out_file);
    end
    idx = 0;
    done = 1'b0;
    checked = 0;
    mismatches = 0;
    first_a = 8'h00;
    first_b = 8'h00;
    if (!replay) check_dots();
  end

  // bx_dot_sv with open arrays, on hand-worked answers:
  //   E4M3 [1, 2, 0.5, -1] . [2, 2, 1, 1] = 5.5, exactly (float32 0x40B00000); + c = 1.0 gives 6.5
  //   float16 [2048, 1, 1] . [1, 1, 1]: an fp16 fma chain loses both 1s to ties-to-even (2048, 0x6800),
  //   exact accumulation keeps them (2050, 0x6801)
  longint unsigned dot_a8[4] = '{64'h38, 64'h40, 64'h30, 64'hB8};
  longint unsigned dot_b8[4] = '{64'h40, 64'h40, 64'h38, 64'h38};
  longint unsigned dot_a16[3] = '{64'h6800, 64'h3C00, 64'h3C00};
  longint unsigned dot_b16[3] = '{64'h3C00, 64'h3C00, 64'h3C00};
  longint unsigned dot_random[1] = '{64'h0};  // unused: these models do not round stochastically

  task automatic check_dot(string model, bit fp16, longint unsigned c, int has_c, longint unsigned want);
    longint unsigned got;
    int unsigned     flags;
    int              status;
    if (fp16)
      status = bx_dot_sv(model, "float16", "float16", dot_a16, dot_b16, c, has_c, BX_RM_RNE, BX_OVF_IEEE,
                         BX_SUB_KEEP, BX_TINY_AFTER, dot_random, got, flags);
    else
      status = bx_dot_sv(model, FORMAT, FORMAT, dot_a8, dot_b8, c, has_c, BX_RM_RNE, BX_OVF_IEEE, BX_SUB_KEEP,
                         BX_TINY_AFTER, dot_random, got, flags);
    dot_checked = dot_checked + 1;
    if (status != BX_OK || got != want) begin
      dot_failures = dot_failures + 1;
      $display("DOT MISMATCH %s: status %0d (%s) got %h flags %h expected %h", model, status,
               bx_error_message(status), got, flags, want);
    end
  endtask

  task automatic check_dots();
    dot_checked = 0;
    dot_failures = 0;
    check_dot("exact", 1'b0, 0, 0, 64'h40B0_0000);
    check_dot("exact", 1'b0, 64'h3F80_0000, 1, 64'h40D0_0000);
    check_dot("fp16-fma", 1'b1, 0, 0, 64'h6800);
    check_dot("exact<out=float16>", 1'b1, 0, 0, 64'h6801);
    // Replaying a DUT's random bits: float16 1.0625 is halfway between E4M3 1.0 and 1.125; sr:3 rounds up
    // iff 4 + r >= 8 for the low 3 bits r of the word, so r = 3 gives 1.0 (0x38) and r = 4 gives 1.125 (0x39).
    check_sr3(64'd3, 64'h38);
    check_sr3(64'd4, 64'h39);
    $display("DPI self-checks (bx_dot_sv, bx_convert with sr:3 words): %0d checked, %0d failed", dot_checked,
             dot_failures);
  endtask

  task automatic check_sr3(longint unsigned word, longint unsigned want);
    longint unsigned got;
    int unsigned     flags;
    int              status;
    status = bx_convert("float16", FORMAT, bx_rm_sr_bits(3), BX_OVF_IEEE, BX_SUB_KEEP, BX_TINY_AFTER, 64'h3C40,
                        word, got, flags);
    dot_checked = dot_checked + 1;
    if (status != BX_OK || got != want || flags != BX_FLAG_INEXACT) begin
      dot_failures = dot_failures + 1;
      $display("SR MISMATCH word %0d: status %0d got %h flags %h expected %h", word, status, got, flags, want);
    end
  endtask

  always_ff @(posedge clk) begin
    if (!done) begin
      if (replay) begin
        $fwrite(fd, "%02h_%02h_%02h_%02h\n", a, b, y, f);
      end else begin
        longint unsigned want;
        int unsigned     flags;
        int              status;
        bit              ok;
        status = bx_op(FORMAT, BX_OP_MUL, BX_RM_RNE, sat ? BX_OVF_SATURATE : BX_OVF_IEEE, BX_SUB_KEEP,
                       BX_TINY_AFTER, 64'(a), 64'(b), 64'd0, 64'd0, want, flags);
        if (status != BX_OK) $fatal(1, "bx_op: %s", bx_error_message(status));
        ok = bx_is_nan(FORMAT, want) == 1 ? bx_is_nan(FORMAT, 64'(y)) == 1 : 64'(y) == want;
        if (!noflags && 32'(f) != flags) ok = 1'b0;
        if (!ok) begin
          if (mismatches == 0) begin
            first_a <= a;
            first_b <= b;
          end
          if (mismatches < 5)
            $display("MISMATCH a=%02h b=%02h expected=%02h flags=%02h got=%02h flags=%02h", a, b, want[7:0], flags,
                     y, f);
          mismatches <= mismatches + 1;
        end
      end
      checked <= checked + 1;
      idx <= idx + 1;
      if (int'(idx) + 1 >= count) done <= 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (done) begin
      if (replay) begin
        $fclose(fd);
        $display("wrote %0d results", checked);
      end else begin
        $display("fp8_e4m3_mul SAT=%0d FAULT=%0d: %0d pairs, %0d passed, %0d failed", sat, fault, checked,
                 checked - mismatches, mismatches);
      end
      $finish;
    end
  end
endmodule
