// Synthesis top: lut_tile with the weight bits and mapping fixed by parameters (its cfg_w_bits /
// cfg_weight ports tied, so yosys folds the plane counter's wrap, the offset's z and the halving into
// constants). Same data ports as lut_tile.
module lut_tile_syn #(
    parameter int M = 2,
    parameter int N = 64,
    parameter int K = 4,
    parameter int W_BIT = 2,     // weight bits, 1..4
    parameter int WEIGHT = 0,    // LutWeight: 0 unsigned, 1 signed, 2 odd
    parameter int PIPELINE = 2,
    parameter int SW = 8,
    parameter int TABLE = 0,
    parameter int ACCUM = 0,     // 0 int32, 1 float32
    localparam int E = 1 << (K - 1),
    localparam int TW = TABLE == 0 ? 8 : 16
) (
    input  logic                 clk,
    input  logic                 rst_n,
    input  logic                 in_valid,
    input  logic [M*E*TW-1:0]    tab,
    input  logic [M*SW-1:0]      tab_scale,
    input  logic [N*K-1:0]       plane,
    input  logic                 psum_en,
    input  logic                 chain,
    input  logic [M*N*32-1:0]    psum,
    output logic                 out_valid,
    output logic [M*N*32-1:0]    result,
    output logic [7:0]           out_flags
);
  lut_tile #(.M(M), .N(N), .K(K), .W_MAX(W_BIT), .PIPELINE(PIPELINE), .SW(SW), .TABLE(TABLE), .ACCUM(ACCUM)) u_tile (
      .clk, .rst_n, .cfg_w_bits(3'(W_BIT)), .cfg_weight(2'(WEIGHT)), .in_valid, .tab, .tab_scale, .plane,
      .psum_en, .chain, .psum, .out_valid, .result, .out_flags);
endmodule
