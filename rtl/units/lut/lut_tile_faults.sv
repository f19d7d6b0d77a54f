// Test wrapper (not for synthesis): the good tile and its three FAULT variants side by side with the
// same inputs; fault_sel picks whose outputs reach the ports, so one verilation serves the lockstep
// test and the tests that prove a wrong tile is caught.
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
    input  logic [1:0]           fault_sel,
    input  logic [2:0]           cfg_w_bits,
    input  logic [1:0]           cfg_weight,
    input  logic                 in_valid,
    input  logic [M*E*8-1:0]     tab,
    input  logic [M*SW-1:0]      tab_scale,
    input  logic [N*K-1:0]       plane,
    input  logic                 psum_en,
    input  logic                 chain,
    input  logic [M*N*32-1:0]    psum,
    output logic                 out_valid,
    output logic [M*N*32-1:0]    result,
    output logic [7:0]           out_flags
);
  logic [3:0]            v;
  logic [M*N*32-1:0]     r [4];
  logic [7:0]            f [4];
  for (genvar i = 0; i < 4; i++) begin : g_tile
    lut_tile #(.M(M), .N(N), .K(K), .W_MAX(W_MAX), .PIPELINE(PIPELINE), .SW(SW), .FAULT(i)) u_tile (
        .clk, .rst_n, .cfg_w_bits, .cfg_weight, .in_valid, .tab, .tab_scale, .plane, .psum_en, .chain,
        .psum, .out_valid(v[i]), .result(r[i]), .out_flags(f[i]));
  end
  assign out_valid = v[fault_sel];
  assign result = r[fault_sel];
  assign out_flags = f[fault_sel];
endmodule
