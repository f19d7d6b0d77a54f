// The output-stationary ROWS x COLS array of DPn units (hwmodel/mac MacArray with a systolic feed),
// integer PEs (bitexact_mac_dpn_int) or, with PE_FP, floating-point ones with a fused register
// (bitexact_mac_dpn_fp: A_FMT x B_FMT, ACC bits, float32 addends and results; OUT_W must be 32): PE (r, c) keeps output element (r, c). A chunks (LANES codes of a row of A, with the control:
// valid, first, last, count, and the addends of the row's PEs) enter at the left edge, one per row;
// B chunks (LANES codes of a column of B, with valid) at the top edge, one per column. Operands move
// one PE per cycle, A right and B down, through a register per PE, so PE (r, c) sees the A chunk
// that entered row r c cycles ago and the B chunk that entered column c r cycles ago (PE (r, 0) and
// (0, c) the edge chunk itself); it works in a cycle when both are valid. Feeding row r and column c
// skewed by r and c cycles makes chunk e meet at PE (r, c) at cycle e + r + c. Each PE's result
// leaves on its own outputs PIPELINE cycles after its last chunk.
// BROADCAST (feed=broadcast, a tensor-core fragment): no operand registers, every PE of row r takes
// the row's A chunk and every PE of column c the column's B chunk in the cycle they enter.
// Same ports and timing as MacArray::step() (row-major PE outputs).
// FAULT (tests only): 1 = the B operands of row 1 and below are not delayed (column c broadcast down
// instead of moving one PE per cycle: the skew of the B path is lost).
module bitexact_mac_array #(
  parameter int ROWS = 2,
  parameter int COLS = 2,
  parameter int LANES = 4,
  parameter int A_W = 8,
  parameter int B_W = 8,
  parameter int OUT_W = 32,
  parameter int ACC_W = 48,
  parameter int PIPELINE = 2,
  parameter bit PE_FP = 1'b0,
  parameter bit BROADCAST = 1'b0,
  parameter int A_FMT = bitexact_formats_pkg::FMT_FP8_E4M3,  // PE_FP: operand formats (A_W, B_W their widths)
  parameter int B_FMT = bitexact_formats_pkg::FMT_FP8_E4M3,
  parameter int ACC = 24,                                    // PE_FP: register significand bits
  parameter int FAULT = 0,
  localparam int CNT_W = $clog2(LANES + 1),
  localparam int FW = bitexact_formats_pkg::FLAGS_W
) (
  input  logic                         clk,
  input  logic                         rst_n,
  // left edge, row r: [r] / [r*LANES*A_W +: LANES*A_W] / addend of PE (r, c) at [(r*COLS+c)*OUT_W +: OUT_W]
  input  logic [ROWS-1:0]              in_a_valid,
  input  logic [ROWS-1:0]              in_a_first,
  input  logic [ROWS-1:0]              in_a_last,
  input  logic [ROWS*CNT_W-1:0]        in_a_count,
  input  logic [ROWS*LANES*A_W-1:0]    in_a,
  input  logic [ROWS-1:0]              in_a_has_c,
  input  logic [ROWS*COLS*OUT_W-1:0]   in_c,
  // top edge, column c
  input  logic [COLS-1:0]              in_b_valid,
  input  logic [COLS*LANES*B_W-1:0]    in_b,
  // PE (r, c) at index r*COLS + c
  output logic [ROWS*COLS-1:0]         out_valid,
  output logic [ROWS*COLS*OUT_W-1:0]   out_code,
  output logic [ROWS*COLS*FW-1:0]      out_flags
);
  localparam int AC = 3 + CNT_W + LANES*A_W + 1 + COLS*OUT_W;  // an A chunk: valid, first, last, count, codes, has_c, addends
  localparam int BC = 1 + LANES*B_W;                            // a B chunk: valid, codes

  // The chunk each PE sees: column 0 / row 0 the edge, then one register per PE.
  logic [AC-1:0] a_at [ROWS][COLS];
  logic [BC-1:0] b_at [ROWS][COLS];
  /* verilator lint_off UNUSEDSIGNAL */  // (BROADCAST: the registers feed nothing)
  logic [AC-1:0] a_q  [ROWS][COLS];  // a_at[r][c] registered, for PE (r, c+1)
  logic [BC-1:0] b_q  [ROWS][COLS];  // b_at[r][c] registered, for PE (r+1, c)
  /* verilator lint_on UNUSEDSIGNAL */
  for (genvar r = 0; r < ROWS; r++) begin : g_at_row
    for (genvar c = 0; c < COLS; c++) begin : g_at_col
      if (c == 0 || BROADCAST) begin : g_a_edge
        assign a_at[r][c] = {in_a_valid[r], in_a_first[r], in_a_last[r], in_a_count[r*CNT_W +: CNT_W],
                             in_a[r*LANES*A_W +: LANES*A_W], in_a_has_c[r], in_c[r*COLS*OUT_W +: COLS*OUT_W]};
      end else begin : g_a_reg
        assign a_at[r][c] = a_q[r][c-1];
      end
      if (r == 0 || BROADCAST) begin : g_b_edge
        assign b_at[r][c] = {in_b_valid[c], in_b[c*LANES*B_W +: LANES*B_W]};
      end else begin : g_b_reg
        assign b_at[r][c] = FAULT == 1 ? {in_b_valid[c], in_b[c*LANES*B_W +: LANES*B_W]} : b_q[r-1][c];
      end
    end
  end
  always_ff @(posedge clk) begin
    for (int r = 0; r < ROWS; r++)
      for (int c = 0; c < COLS; c++) begin
        a_q[r][c] <= rst_n ? a_at[r][c] : '0;
        b_q[r][c] <= rst_n ? b_at[r][c] : '0;
      end
  end

  for (genvar r = 0; r < ROWS; r++) begin : g_row
    for (genvar c = 0; c < COLS; c++) begin : g_col
      // The A chunk's fields (its addends are the low COLS*OUT_W bits; this PE's is slot c).
      localparam int AV = AC - 1, AF = AC - 2, AL = AC - 3, AN = AC - 3 - CNT_W, AH = COLS*OUT_W;
      logic a_valid, a_first, a_last, a_has_c, b_valid;
      logic [CNT_W-1:0] a_count;
      logic [LANES*A_W-1:0] a_codes;
      logic [LANES*B_W-1:0] b_codes;
      assign a_valid = a_at[r][c][AV];
      assign a_first = a_at[r][c][AF];
      assign a_last = a_at[r][c][AL];
      assign a_count = a_at[r][c][AN +: CNT_W];
      assign a_codes = a_at[r][c][AH + 1 +: LANES*A_W];
      assign a_has_c = a_at[r][c][AH];
      assign {b_valid, b_codes} = b_at[r][c];
      if (PE_FP) begin : g_fp
        bitexact_mac_dpn_fp #(.LANES(LANES), .A_FMT(A_FMT), .B_FMT(B_FMT), .ACC(ACC), .PIPELINE(PIPELINE)) u_pe (
          .clk, .rst_n, .in_valid(a_valid && b_valid), .in_first(a_first), .in_last(a_last), .in_count(a_count),
          .in_a(a_codes), .in_b(b_codes), .in_scale_a(8'd127), .in_scale_b(8'd127), .in_has_c(a_has_c),
          .in_c(a_at[r][c][c*OUT_W +: OUT_W]),
          .out_valid(out_valid[r*COLS + c]), .out_code(out_code[(r*COLS + c)*OUT_W +: OUT_W]),
          .out_flags(out_flags[(r*COLS + c)*FW +: FW]));
      end else begin : g_int
        bitexact_mac_dpn_int #(.LANES(LANES), .A_W(A_W), .B_W(B_W), .OUT_W(OUT_W), .ACC_W(ACC_W),
                               .PIPELINE(PIPELINE)) u_pe (
          .clk, .rst_n, .in_valid(a_valid && b_valid), .in_first(a_first), .in_last(a_last), .in_count(a_count),
          .in_a(a_codes), .in_b(b_codes), .in_has_c(a_has_c), .in_c(a_at[r][c][c*OUT_W +: OUT_W]),
          .out_valid(out_valid[r*COLS + c]), .out_code(out_code[(r*COLS + c)*OUT_W +: OUT_W]),
          .out_flags(out_flags[(r*COLS + c)*FW +: FW]));
      end
    end
  end
endmodule
