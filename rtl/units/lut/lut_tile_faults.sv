// Test wrapper (not for synthesis): the good tile (int8 tables, INT32 accumulator) and its three
// FAULT variants side by side on the same inputs, and the float tiles; sel picks whose outputs
// reach the ports: 0..3 int8 tables into INT32 with FAULT 0..3; 4 FP16 tables into FP32; 5 int8
// tables into FP32; 6 FP16 tables into FP16; 7 int8 tables into FP16; 8 FP16 tables into FP16 with
// FAULT 4 (the float adders drop the sticky bit). One verilation serves the lockstep tests of every
// table and accumulator type and the tests that prove a wrong tile is caught. The tiles not
// selected see constant inputs, but Verilator evaluates every tile's combinational logic each
// cycle, so the float tiles are NF columns wide (NF <= N; their ports are the low bits of the
// top's, results packed densely: unit (m, n) at (m*NF + n)*32): 2 x 2 x 2 float adders per tile.
module lut_tile_faults #(
    parameter int M = 2,
    parameter int N = 8,
    parameter int K = 4,
    parameter int W_MAX = 4,
    parameter int PIPELINE = 1,
    parameter int SW = 8,
    parameter int NF = 2,  // columns of the float tiles
    localparam int E = 1 << (K - 1)
) (
    input  logic                 clk,
    input  logic                 rst_n,
    input  logic [3:0]           sel,
    input  logic [2:0]           cfg_w_bits,
    input  logic [1:0]           cfg_weight,
    input  logic                 in_valid,
    input  logic [M*E*16-1:0]    tab,         // 16 bits per entry; the int8 tiles read the low byte
    input  logic [M*SW-1:0]      tab_scale,
    input  logic [N*K-1:0]       plane,
    input  logic                 psum_en,
    input  logic                 chain,
    input  logic [M*N*32-1:0]    psum,
    output logic                 out_valid,
    output logic [M*N*32-1:0]    result,
    output logic [7:0]           out_flags
);
  localparam int NT = 9;
  logic [NT-1:0]         v;
  logic [M*N*32-1:0]     r [NT];
  logic [7:0]            f [NT];
  logic [M*E*8-1:0]      tab8;
  always_comb
    for (int i = 0; i < M * E; i++) tab8[i*8+:8] = tab[i*16+:8];
  for (genvar i = 0; i < 4; i++) begin : g_tile
    wire on = sel == 4'(i);
    lut_tile #(.M(M), .N(N), .K(K), .W_MAX(W_MAX), .PIPELINE(PIPELINE), .SW(SW), .FAULT(i)) u_tile (
        .clk, .rst_n, .cfg_w_bits, .cfg_weight, .in_valid(in_valid & on), .tab(on ? tab8 : '0),
        .tab_scale(on ? tab_scale : '0), .plane(on ? plane : '0), .psum_en, .chain, .psum(on ? psum : '0),
        .out_valid(v[i]), .result(r[i]), .out_flags(f[i]));
  end
  // The float tiles: sel 4 + i with (TABLE, ACCUM, FAULT) from the lists below (element i at bit i).
  logic [M*N*32-1:0] rf [5];  // the float tiles' results, widened
  localparam logic [4:0] FP_TABLE = 5'b10101;  // 1 float16, 0 int8
  localparam logic [9:0] FP_ACCUM = {2'd2, 2'd2, 2'd2, 2'd1, 2'd1};
  for (genvar i = 0; i < 5; i++) begin : g_fp
    localparam int T = FP_TABLE[i] ? 1 : 0;
    wire on = sel == 4'(4 + i);
    localparam int TW = T == 1 ? 16 : 8;
    wire [M*E*TW-1:0] t;
    if (T == 1) begin : g_t16
      assign t = tab;
    end else begin : g_t8
      assign t = tab8;
    end
    lut_tile #(.M(M), .N(NF), .K(K), .W_MAX(W_MAX), .PIPELINE(PIPELINE), .SW(SW), .TABLE(T),
               .ACCUM(int'(FP_ACCUM[2*i+:2])), .FAULT(i == 4 ? 4 : 0)) u_tile (
        .clk, .rst_n, .cfg_w_bits, .cfg_weight, .in_valid(in_valid & on), .tab(on ? t : '0),
        .tab_scale(on ? tab_scale : '0), .plane(on ? plane[NF*K-1:0] : '0), .psum_en, .chain,
        .psum(on ? psum[M*NF*32-1:0] : '0), .out_valid(v[4+i]), .result(rf[i][M*NF*32-1:0]), .out_flags(f[4+i]));
    if (NF < N) begin : g_pad
      assign rf[i][M*N*32-1:M*NF*32] = '0;
    end
    assign r[4+i] = rf[i];
  end
  wire [3:0] s = sel >= 4'(NT) ? 4'd0 : sel;
  assign out_valid = v[s];
  assign result = r[s];
  assign out_flags = f[s];
endmodule
