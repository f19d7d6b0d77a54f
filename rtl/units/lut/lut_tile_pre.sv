// The LUT tile with its table precompute inside (hw::LutTile fed LutTileInputs::act instead of
// tables: the per-unit precompute that LUT Tensor Core's DFG transform moves out of the tile,
// hardware.md §1.2): on an operation's first plane the M rows of K signed integer activations
// (`act`, AW bits each, row m element k at (m*K + k)*AW) become the M tables in the same cycle,
// exactly as hw::lut_precompute_tables forms them, and enter lut_tile through its table bypass:
//   entry i = a0 + sum_{k>=1} a_k * (2*bit_{k-1}(i) - 1), exact;
//   TABLE 1: the float16 code of the entry (exact: |entry| <= K * 2^(AW-1) <= 2048);
//   TABLE 0: per table the smallest e with max_i |entry_i| <= 127 * 2^e (e = 0 for a zero table),
//            t_i = entry_i / 2^e rounded to nearest even (e <= 0: exact), the inexact flag when a
//            rounding dropped bits; the flag joins the operation's flags at its result.
// Same timing as lut_tile (the precompute is combinational in the first plane's cycle). The
// precompute's flags travel beside the operation (a small queue, one entry per operation in flight)
// and are ORed into out_flags when its result leaves.
// PRE_FAULT 1 (for the test that proves the lockstep catches it): int8 entries truncated instead of
// rounded to nearest even (the flag still raised).
module lut_tile_pre #(
    parameter int M = 2,
    parameter int N = 64,
    parameter int K = 4,
    parameter int W_MAX = 4,
    parameter int PIPELINE = 2,
    parameter int SW = 8,
    parameter int TABLE = 0,
    parameter int ACCUM = 0,
    parameter int AW = 8,        // activation bits (signed integers)
    parameter int FAULT = 0,     // lut_tile's
    parameter int PRE_FAULT = 0,
    localparam int E = 1 << (K - 1),
    localparam int TW = TABLE == 0 ? 8 : 16
) (
    input  logic                 clk,
    input  logic                 rst_n,
    input  logic [2:0]           cfg_w_bits,
    input  logic [1:0]           cfg_weight,
    input  logic                 in_valid,
    input  logic [M*K*AW-1:0]    act,         // plane 0: M x K activations
    input  logic [N*K-1:0]       plane,
    input  logic                 psum_en,
    input  logic                 chain,
    input  logic [M*N*32-1:0]    psum,
    output logic                 out_valid,
    output logic [M*N*32-1:0]    result,
    output logic [7:0]           out_flags
);
  localparam int VW = AW + $clog2(K) + 1;  // an entry's bits (signed)
  localparam int PW = $clog2(W_MAX + 1);

  // ---- the tables from the activations ----
  logic [M*E*TW-1:0] tab;
  logic [M*SW-1:0]   tab_scale;
  logic              pre_inexact;
  always_comb begin
    logic signed [VW-1:0] v [E];
    logic [VW-1:0] mag, amax, q, rem, half;
    logic [4:0] p;
    logic [7:0] t8;
    int e;
    tab = '0;
    tab_scale = '0;
    rem = '0;
    half = '0;
    t8 = '0;
    pre_inexact = 1'b0;
    for (int m = 0; m < M; m++) begin
      amax = '0;
      for (int i = 0; i < E; i++) begin
        v[i] = VW'($signed(act[(m*K)*AW+:AW]));
        for (int k = 1; k < K; k++)
          if (((i >> (k - 1)) & 1) != 0) v[i] = v[i] + VW'($signed(act[(m*K+k)*AW+:AW]));
          else v[i] = v[i] - VW'($signed(act[(m*K+k)*AW+:AW]));
        mag = v[i][VW-1] ? VW'(-v[i]) : VW'(v[i]);
        if (mag > amax) amax = mag;
      end
      if (TABLE == 1) begin
        for (int i = 0; i < E; i++) begin
          mag = v[i][VW-1] ? VW'(-v[i]) : VW'(v[i]);
          p = '0;
          for (int b = 0; b < VW; b++) if (mag[b]) p = 5'(b);
          // float16: exponent field p + 15, the bits below the leading one as the mantissa.
          if (mag != '0)
            tab[(m*E+i)*TW+:TW] = TW'({v[i][VW-1], 5'(p + 5'd15), 10'((32'(mag) << (10 - 32'(p))) & 32'h3ff)});
        end
      end else begin
        // The smallest e in -(AW-1) .. VW-7 with amax <= 127 * 2^e (a monotone condition: scan down).
        e = 0;
        if (amax != '0)
          for (int s = VW - 7; s >= -(AW - 1); s--)
            if ((s >= 0 ? 32'(amax) : 32'(amax) << (-s)) <= (s >= 0 ? 32'd127 << s : 32'd127)) e = s;
        tab_scale[m*SW+:SW] = SW'(e);
        for (int i = 0; i < E; i++) begin
          mag = v[i][VW-1] ? VW'(-v[i]) : VW'(v[i]);
          if (e <= 0) begin
            q = mag << (-e);
          end else begin
            q = mag >> e;
            rem = mag & ((VW'(1) << e) - VW'(1));
            half = VW'(1) << (e - 1);
            if (rem != '0) pre_inexact = 1'b1;
            if (PRE_FAULT != 1 && (rem > half || (rem == half && q[0]))) q = q + VW'(1);
          end
          t8 = v[i][VW-1] ? 8'(-q) : 8'(q);
          tab[(m*E+i)*TW+:TW] = TW'(t8);
        end
      end
    end
  end

  // ---- plane count (as lut_tile's): the first plane of an operation ----
  logic [PW-1:0] pl;
  wire first = (pl == '0);
  wire last = (pl == PW'(cfg_w_bits - 3'd1));
  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) pl <= '0;
    else if (in_valid) pl <= last ? '0 : pl + 1'b1;

  // ---- the precompute flags of the operations in flight (pushed on the first plane, popped
  // with the result; at most PIPELINE / 1 + 2 operations are in flight) ----
  localparam int QD = PIPELINE + 2;
  localparam int QW = $clog2(QD + 1);
  logic [QD-1:0] fq;
  logic [QW-1:0] fn;
  wire push = in_valid && first;
  wire pop = out_valid;
  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) begin
      fq <= '0;
      fn <= '0;
    end else begin
      // pop the head (bit 0), then push at the tail
      fq <= pop ? (fq >> 1) : fq;
      if (push) fq[pop ? fn - QW'(1) : fn] <= TABLE == 0 && pre_inexact;
      fn <= fn + QW'(push) - QW'(pop);
    end

  logic [7:0] tile_flags;
  lut_tile #(.M(M), .N(N), .K(K), .W_MAX(W_MAX), .PIPELINE(PIPELINE), .SW(SW), .TABLE(TABLE), .ACCUM(ACCUM),
             .FAULT(FAULT)) u_tile (
      .clk, .rst_n, .cfg_w_bits, .cfg_weight, .in_valid, .tab, .tab_scale, .plane, .psum_en, .chain, .psum,
      .out_valid, .result, .out_flags(tile_flags));
  assign out_flags = tile_flags | {7'd0, fq[0]};
endmodule
