// Test wrapper (not for synthesis): the good tile (int8 tables, INT32 accumulator) and its three
// FAULT variants side by side on the same inputs, and the float tiles; sel picks whose outputs
// reach the ports: 0..3 int8 tables into INT32 with FAULT 0..3; 4 FP16 tables into FP32; 5 int8
// tables into FP32; 6 FP16 tables into FP16; 7 int8 tables into FP16; 8 FP16 tables into FP16 with
// FAULT 4 (the float adders drop the sticky bit). Other K (NF columns each): 9 K=2 int8 tables into
// INT32; 10 K=8 int8 tables into INT32, 11 the same with FAULT 1; 12 K=2 FP16 tables into FP32;
// 13 K=8 FP16 tables into FP16; in-tile precompute from the int8 activations on `act`
// (lut_tile_pre.sv): 14 int8 tables into INT32, 15 FP16 tables into INT32, 16 int8 tables with
// PRE_FAULT 1. One verilation serves the lockstep tests of every table and
// accumulator type and the tests that prove a wrong tile is caught. The tiles not selected see
// constant inputs, but Verilator evaluates every tile's combinational logic each cycle, so the
// float tiles and the other-K tiles are NF columns wide (NF <= N; their ports are the low bits of
// the top's, packed densely for their K: table entry (m, i) at (m*E_k + i)*16, pattern n at n*K_k,
// unit (m, n) at (m*NF + n)*32): 2 x 2 x 2 float adders per float tile. The tab port holds K = 8's
// tables (2^7 entries per row), the plane port 8 bits per column. BASE / EXTRA choose the tiles
// built (the others' outputs read 0): every tile costs its evaluation every cycle, so the K = 4
// tiles (BASE) and the others (EXTRA, at N = NF) are two verilations of this top.
module lut_tile_faults #(
    parameter int M = 2,
    parameter int N = 8,
    parameter int K = 4,
    parameter int W_MAX = 4,
    parameter int PIPELINE = 1,
    parameter int SW = 8,
    parameter int NF = 2,  // columns of the float tiles
    parameter int BASE = 1,   // the K tiles (sel 0..8)
    parameter int EXTRA = 0,  // the other K and the precompute tiles (sel 9..16)
    localparam int E = 1 << (K - 1),
    localparam int E8 = 128,  // K = 8's entries per table: the tab port's row size
    localparam int TE = EXTRA != 0 ? E8 : E  // table entries read
) (
    input  logic                 clk,
    input  logic                 rst_n,
    input  logic [4:0]           sel,
    input  logic [2:0]           cfg_w_bits,
    input  logic [1:0]           cfg_weight,
    input  logic                 in_valid,
    input  logic [M*E8*16-1:0]   tab,         // 16 bits per entry; the int8 tiles read the low byte
    input  logic [M*SW-1:0]      tab_scale,
    input  logic [M*K*8-1:0]     act,         // the precompute tiles' activations
    input  logic [N*8-1:0]       plane,       // K bits per column (K <= 8)
    input  logic                 psum_en,
    input  logic                 chain,
    input  logic [M*N*32-1:0]    psum,
    output logic                 out_valid,
    output logic [M*N*32-1:0]    result,
    output logic [7:0]           out_flags
);
  localparam int NT = 17;
  logic [NT-1:0]         v;
  logic [M*N*32-1:0]     r [NT];
  logic [7:0]            f [NT];
  logic [M*TE*8-1:0]     tab8;
  always_comb
    for (int i = 0; i < M * TE; i++) tab8[i*8+:8] = tab[i*16+:8];
  logic unused_ports;
  assign unused_ports = ^{tab, act, plane};
  if (BASE == 0) begin : g_no_base
    for (genvar i = 0; i < 9; i++) begin : g_off
      assign v[i] = 1'b0;
      assign r[i] = '0;
      assign f[i] = '0;
    end
  end else begin : g_base
  for (genvar i = 0; i < 4; i++) begin : g_tile
    wire on = sel == 5'(i);
    lut_tile #(.M(M), .N(N), .K(K), .W_MAX(W_MAX), .PIPELINE(PIPELINE), .SW(SW), .FAULT(i)) u_tile (
        .clk, .rst_n, .cfg_w_bits, .cfg_weight, .in_valid(in_valid & on), .tab(on ? tab8[M*E*8-1:0] : '0),
        .tab_scale(on ? tab_scale : '0), .plane(on ? plane[N*K-1:0] : '0), .psum_en, .chain, .psum(on ? psum : '0),
        .out_valid(v[i]), .result(r[i]), .out_flags(f[i]));
  end
  // The float tiles: sel 4 + i with (TABLE, ACCUM, FAULT) from the lists below (element i at bit i).
  logic [M*N*32-1:0] rf [5];  // the float tiles' results, widened
  localparam logic [4:0] FP_TABLE = 5'b10101;  // 1 float16, 0 int8
  localparam logic [9:0] FP_ACCUM = {2'd2, 2'd2, 2'd2, 2'd1, 2'd1};
  for (genvar i = 0; i < 5; i++) begin : g_fp
    localparam int T = FP_TABLE[i] ? 1 : 0;
    wire on = sel == 5'(4 + i);
    localparam int TW = T == 1 ? 16 : 8;
    wire [M*E*TW-1:0] t;
    if (T == 1) begin : g_t16
      assign t = tab[M*E*16-1:0];
    end else begin : g_t8
      assign t = tab8[M*E*8-1:0];
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
  end
  if (EXTRA == 0) begin : g_no_extra
    for (genvar i = 9; i < NT; i++) begin : g_off
      assign v[i] = 1'b0;
      assign r[i] = '0;
      assign f[i] = '0;
    end
  end else begin : g_extra
  // The other K: sel 9 + i with (K, TABLE, ACCUM, FAULT) from the lists below (element i at i).
  localparam logic [19:0] XK = {4'd8, 4'd2, 4'd8, 4'd8, 4'd2};
  localparam logic [4:0] X_TABLE = 5'b11000;
  localparam logic [9:0] X_ACCUM = {2'd2, 2'd1, 2'd0, 2'd0, 2'd0};
  localparam logic [4:0] X_FAULT1 = 5'b00100;
  logic [M*N*32-1:0] rx [5];
  for (genvar i = 0; i < 5; i++) begin : g_k
    localparam int KX = int'(XK[4*i+:4]);
    localparam int EX = 1 << (KX - 1);
    localparam int T = X_TABLE[i] ? 1 : 0;
    localparam int TW = T == 1 ? 16 : 8;
    wire on = sel == 5'(9 + i);
    wire [M*EX*TW-1:0] t;
    if (T == 1) begin : g_t16
      assign t = tab[M*EX*16-1:0];
    end else begin : g_t8
      assign t = tab8[M*EX*8-1:0];
    end
    lut_tile #(.M(M), .N(NF), .K(KX), .W_MAX(W_MAX), .PIPELINE(PIPELINE), .SW(SW), .TABLE(T),
               .ACCUM(int'(X_ACCUM[2*i+:2])), .FAULT(X_FAULT1[i] ? 1 : 0)) u_tile (
        .clk, .rst_n, .cfg_w_bits, .cfg_weight, .in_valid(in_valid & on), .tab(on ? t : '0),
        .tab_scale(on ? tab_scale : '0), .plane(on ? plane[NF*KX-1:0] : '0), .psum_en, .chain,
        .psum(on ? psum[M*NF*32-1:0] : '0), .out_valid(v[9+i]), .result(rx[i][M*NF*32-1:0]), .out_flags(f[9+i]));
    if (NF < N) begin : g_pad
      assign rx[i][M*N*32-1:M*NF*32] = '0;
    end
    assign r[9+i] = rx[i];
  end
  // In-tile precompute: sel 14 + i with (TABLE, PRE_FAULT) from the lists below.
  localparam logic [2:0] P_TABLE = 3'b010;
  localparam logic [2:0] P_FAULT1 = 3'b100;
  logic [M*N*32-1:0] rp [3];
  for (genvar i = 0; i < 3; i++) begin : g_pre
    wire on = sel == 5'(14 + i);
    lut_tile_pre #(.M(M), .N(NF), .K(K), .W_MAX(W_MAX), .PIPELINE(PIPELINE), .SW(SW), .TABLE(P_TABLE[i] ? 1 : 0),
                   .ACCUM(0), .PRE_FAULT(P_FAULT1[i] ? 1 : 0)) u_tile (
        .clk, .rst_n, .cfg_w_bits, .cfg_weight, .in_valid(in_valid & on), .act(on ? act : '0),
        .plane(on ? plane[NF*K-1:0] : '0), .psum_en, .chain, .psum(on ? psum[M*NF*32-1:0] : '0),
        .out_valid(v[14+i]), .result(rp[i][M*NF*32-1:0]), .out_flags(f[14+i]));
    if (NF < N) begin : g_pad
      assign rp[i][M*N*32-1:M*NF*32] = '0;
    end
    assign r[14+i] = rp[i];
  end
  end
  wire [4:0] s = sel >= 5'(NT) ? 5'd0 : sel;
  assign out_valid = v[s];
  assign result = r[s];
  assign out_flags = f[s];
endmodule
