// Test wrapper (not for synthesis): the good tile (int8 tables, INT32 accumulator) and its three
// FAULT variants side by side on the same inputs, and a tile with FP16 tables and the FP32
// accumulator; sel picks whose outputs reach the ports (0..3: FAULT, 4: the FP32 tile), so one
// verilation serves the lockstep tests of both accumulators and the tests that prove a wrong tile is
// caught. The tiles not selected see constant inputs (their simulation costs little).
module lut_tile_faults #(
    parameter int M = 2,
    parameter int N = 8,
    parameter int K = 4,
    parameter int W_MAX = 4,
    parameter int PIPELINE = 1,
    parameter int SW = 8,
    localparam int E = 1 << (K - 1)
) (
    input  logic                 clk,
    input  logic                 rst_n,
    input  logic [2:0]           sel,
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
  logic [4:0]            v;
  logic [M*N*32-1:0]     r [5];
  logic [7:0]            f [5];
  logic [M*E*8-1:0]      tab8;
  always_comb
    for (int i = 0; i < M * E; i++) tab8[i*8+:8] = tab[i*16+:8];
  for (genvar i = 0; i < 4; i++) begin : g_tile
    wire on = sel == 3'(i);
    lut_tile #(.M(M), .N(N), .K(K), .W_MAX(W_MAX), .PIPELINE(PIPELINE), .SW(SW), .FAULT(i)) u_tile (
        .clk, .rst_n, .cfg_w_bits, .cfg_weight, .in_valid(in_valid & on), .tab(on ? tab8 : '0),
        .tab_scale(on ? tab_scale : '0), .plane(on ? plane : '0), .psum_en, .chain, .psum(on ? psum : '0),
        .out_valid(v[i]), .result(r[i]), .out_flags(f[i]));
  end
  wire on_fp = sel == 3'd4;
  lut_tile #(.M(M), .N(N), .K(K), .W_MAX(W_MAX), .PIPELINE(PIPELINE), .SW(SW), .TABLE(1), .ACCUM(1)) u_fp32 (
      .clk, .rst_n, .cfg_w_bits, .cfg_weight, .in_valid(in_valid & on_fp), .tab(on_fp ? tab : '0),
      .tab_scale(on_fp ? tab_scale : '0), .plane(on_fp ? plane : '0), .psum_en, .chain,
      .psum(on_fp ? psum : '0), .out_valid(v[4]), .result(r[4]), .out_flags(f[4]));
  wire [2:0] s = sel > 3'd4 ? 3'd0 : sel;
  assign out_valid = v[s];
  assign result = r[s];
  assign out_flags = f[s];
endmodule
