// The DPn units' output stage (bitexact_mac_dpn_int / _fp): the result of a chunk with in_last
// (res_*, computed combinationally from that chunk) is registered, then delayed so that it leaves
// on out_* PIPELINE cycles after the chunk entered, valid for one cycle (the latency of
// hw::Dpn::step()). Codes and flags are zero while not valid.
module bitexact_mac_out_pipe #(
  parameter int W = 32,          // result code bits
  parameter int PIPELINE = 2     // >= 1
) (
  input  logic                   clk,
  input  logic                   rst_n,
  input  logic                   fire,       // in_valid && in_last this cycle
  input  logic [W-1:0]           res_code,
  input  logic [bitexact_formats_pkg::FLAGS_W-1:0] res_flags,
  output logic                   out_valid,
  output logic [W-1:0]           out_code,
  output logic [bitexact_formats_pkg::FLAGS_W-1:0] out_flags
);
  logic         v_q [PIPELINE];
  logic [W-1:0] c_q [PIPELINE];
  logic [bitexact_formats_pkg::FLAGS_W-1:0] f_q [PIPELINE];
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      for (int s = 0; s < PIPELINE; s++) begin
        v_q[s] <= 1'b0;
        c_q[s] <= '0;
        f_q[s] <= '0;
      end
    end else begin
      v_q[0] <= fire;
      c_q[0] <= fire ? res_code : '0;
      f_q[0] <= fire ? res_flags : '0;
      for (int s = 1; s < PIPELINE; s++) begin
        v_q[s] <= v_q[s-1];
        c_q[s] <= c_q[s-1];
        f_q[s] <= f_q[s-1];
      end
    end
  end
  assign out_valid = v_q[PIPELINE-1];
  assign out_code = c_q[PIPELINE-1];
  assign out_flags = f_q[PIPELINE-1];
endmodule
