// The bit-serial PE's group sequencer, shared by bitserial_pe.sv and bitserial_pe_fp.sv: a group is
// loaded (ld) when in_load arrives while the PE is not busy, then streams CYCLES digits, one per
// cycle, j_cur = 0 .. CYCLES-1 (j_cur is 0 in the load cycle itself: the first digit is added the
// cycle the group enters); done marks the cycle of its last digit, last_cur whether the group
// ends its dot product. out_ready is ~busy: hw::BitSerialPe::ready(). A load while busy is ignored.
module bitserial_seq #(
    parameter int CYCLES = 4,
    localparam int J_W = CYCLES > 1 ? $clog2(CYCLES) : 1
) (
    input  logic           clk,
    input  logic           rst_n,      // synchronous, active low
    input  logic           in_load,
    input  logic           in_last,
    output logic           ld,         // the group on the inputs enters this cycle
    output logic           active,     // a digit is added this cycle
    output logic           done,       // ... and it is the group's last
    output logic           last_cur,   // the streaming group ends its dot product
    output logic [J_W-1:0] j_cur,      // the digit index
    output logic           out_ready
);
  logic busy_q, last_q;
  logic [J_W - 1:0] j_q;

  assign ld = in_load & ~busy_q;
  assign active = ld | busy_q;
  assign j_cur = ld ? '0 : j_q;
  assign last_cur = ld ? in_last : last_q;
  assign done = active && 32'(j_cur) == CYCLES - 1;
  assign out_ready = ~busy_q;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      busy_q <= 1'b0;
      last_q <= 1'b0;
      j_q <= '0;
    end else begin
      if (ld) last_q <= in_last;
      if (active) begin
        j_q <= done ? '0 : j_cur + J_W'(1);
        busy_q <= !done;
      end
    end
  end
endmodule
