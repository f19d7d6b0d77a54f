#!/usr/bin/env python3
"""Synthesizes each RTL configuration with yosys 0.23 and writes hwmodel/tech/yosys_area.toml.

For every configuration below: cells by type, the `stat -tech cmos` transistor estimate, flip-flops
and the longest topological path (`ltp -noff`), then gate equivalents (transistors / 4: a CMOS NAND2
has four) and an area estimate at 45 nm (GE x the Nangate45 NAND2_X1 area). Debian ships no
standard-cell liberty file with areas (yosys's own cells.lib has none), so the area is this
estimate, not a library's `stat -liberty` figure.

  rtl/synth/synth.py                 regenerate every configuration, rewrite the TOML
  rtl/synth/synth.py --only NAME...  regenerate some, keep the others from the TOML
  rtl/synth/synth.py --check NAME... re-synthesize and compare with the stored TOML (exit 1 if stale)
  rtl/synth/synth.py --list          the configurations
  rtl/synth/synth.py --netlist NAME OUT.v [--param P=V...]
                                     write NAME's gate netlist (the counted one; parameters overridden)

The cost model (hwmodel/cost/synth_area.hpp) embeds the TOML; `bitexact hw` shows its area beside
the analytic one (README "Area from synthesis").
"""
import argparse
import datetime
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "hwmodel", "tech", "yosys_area.toml")
NAND2_UM2 = 0.798  # Nangate Open Cell Library (FreePDK45) NAND2_X1, hardware.md §6
TRANSISTORS_PER_GE = 4

# The gate-level flow of hardware.md §6 (yosys 0.23): every flip-flop becomes $_DFF_P_ (enables and
# resets as logic), abc maps the rest to CMOS NAND/NOR/NOT, `stat -tech cmos` counts transistors
# (DFF 16, NAND/NOR 4, NOT 2). {read} and {top} are filled per configuration.
# A second mapping to yosys's full CMOS gate set (XOR, MUX, AOI/OAI as well; `abc -g cmos`) is kept
# for comparison: nearer a real library, whose adders are not built of NAND2s.
GATES = "{read}; synth -flatten -top {top}; async2sync; dffunmap; dfflegalize -cell $_DFF_P_ 01"
FLOW = (GATES + "; design -save gates; "
        "abc -g cmos2; opt_clean; tee -o {stat} stat -tech cmos; tee -o {ltp} ltp -noff; "
        "design -load gates; abc -g cmos; opt_clean; tee -o {stat_full} stat -tech cmos")
# The NAND/NOR/NOT netlist that FLOW counts, written as plain Verilog (gates as assign expressions,
# flip-flops as always @(posedge clk)) for gate-level simulation (--netlist; tests/rtl/rtl.cmake
# verilates it and runs it in lockstep with the C++ model).
NETLIST_FLOW = GATES + "; abc -g cmos2; opt_clean; write_verilog -noattr {out}"

# name, kind, RTL sources, top, parameters, and what the cost model compares it with:
#   primitive: a hwmodel/cost/primitives.hpp call, e.g. "int_mul(8x8)" (uncalibrated, 45 nm)
#   unit: `bitexact hw` arguments that build the unit's analytic estimate (0 or "": the default)
CONFIGS = [
    dict(name="int_add_8", kind="primitive", src=["rtl/synth/calib/int_add.sv"], top="int_add", params={"W": 8},
         primitive="int_add(8)", what="8-bit adder"),
    dict(name="int_add_32", kind="primitive", src=["rtl/synth/calib/int_add.sv"], top="int_add", params={"W": 32},
         primitive="int_add(32)", what="32-bit adder"),
    dict(name="int_mul_4x4", kind="primitive", src=["rtl/synth/calib/int_mul.sv"], top="int_mul",
         params={"WA": 4, "WB": 4}, primitive="int_mul(4x4)", what="signed 4x4 multiplier, 8-bit product"),
    dict(name="int_mul_8x8", kind="primitive", src=["rtl/synth/calib/int_mul.sv"], top="int_mul",
         params={"WA": 8, "WB": 8}, primitive="int_mul(8x8)", what="signed 8x8 multiplier, 16-bit product"),
    dict(name="int_mul_16x16", kind="primitive", src=["rtl/synth/calib/int_mul.sv"], top="int_mul",
         params={"WA": 16, "WB": 16}, primitive="int_mul(16x16)", what="signed 16x16 multiplier, 32-bit product"),
    dict(name="shift_right_32", kind="primitive", src=["rtl/synth/calib/shift_right.sv"], top="shift_right",
         params={"W": 32, "S": 5}, primitive="shifter(32,32)", what="32-bit barrel shifter, 0..31 positions"),
    dict(name="reg_32", kind="primitive", src=["rtl/synth/calib/reg_bits.sv"], top="reg_bits", params={"W": 32},
         primitive="reg(32)", what="32 flip-flops with a load enable"),
    dict(name="fp8_e4m3_mul", kind="primitive", src=["rtl/dpi/examples/fp8_e4m3_mul.sv"], top="fp8_e4m3_mul",
         params={}, primitive="fp_mul(4x4)",
         what="OCP E4M3 multiplier (RNE, subnormals, NaN, flags), rtl/dpi/examples"),
    # The hardware units (rtl/units), in the configurations their lockstep tests verify.
    dict(name="mac_int8_dp4", kind="unit",
         src=["rtl/pkg/bitexact_formats_pkg.sv", "rtl/units/mac/bitexact_mac_out_pipe.sv",
              "rtl/units/mac/bitexact_mac_dpn_int.sv"], top="bitexact_mac_dpn_int",
         params={"LANES": 4, "A_W": 8, "B_W": 8, "PIPELINE": 2}, unit="mac", formats="int8:int8", lanes=4,
         bits_per_cycle=0, accum="exact<out=int32>",
         what="mac DP4 INT8 x INT8, exact 48-bit register, INT32 saturating output, 2-stage output pipeline"),
    dict(name="bitserial_int8_int4_bitplane", kind="unit", src=["rtl/units/bitserial/bitserial_seq.sv", "rtl/units/bitserial/bitserial_pe.sv"],
         top="bitserial_pe", params={"LANES": 4, "A_W": 8, "W_W": 4, "ENC": 0}, unit="bitserial",
         formats="int8:int4", lanes=4, bits_per_cycle=1, accum="exact<out=int32>",
         what="bit-serial PE, 4 lanes INT8 x INT4 bit planes (1 bit/cycle), exact 48-bit accumulator, INT32 out"),
    dict(name="bitserial_int8_int4_booth", kind="unit", src=["rtl/units/bitserial/bitserial_seq.sv", "rtl/units/bitserial/bitserial_pe.sv"],
         top="bitserial_pe", params={"LANES": 4, "A_W": 8, "W_W": 4, "ENC": 1}, unit="bitserial",
         formats="int8:int4", lanes=4, bits_per_cycle=2, accum="exact<out=int32>",
         what="bit-serial PE, 4 lanes INT8 x INT4 radix-4 Booth (2 bits/cycle), exact 48-bit accumulator, INT32 out"),
    dict(name="mac_e4m3_dp4_v100", kind="unit",
         src=["rtl/pkg/bitexact_formats_pkg.sv", "rtl/units/mac/bitexact_mac_out_pipe.sv",
              "rtl/units/mac/bitexact_mac_dpn_fp.sv"], top="bitexact_mac_dpn_fp",
         params={"LANES": 4, "ACC": 24, "PIPELINE": 2}, unit="mac", formats="e4m3:e4m3", lanes=4,
         bits_per_cycle=0, accum="v100-fp16",
         what="mac DP4 E4M3 x E4M3, fused 24-bit register (v100-fp16), float32 out, 2-stage output pipeline"),
    dict(name="bitserial_e4m3_e2m1", kind="unit", src=["rtl/units/bitserial/bitserial_seq.sv", "rtl/units/bitserial/bitserial_pe_fp.sv"],
         top="bitserial_pe_fp", params={"LANES": 4}, unit="bitserial", formats="e4m3:e2m1", lanes=4,
         bits_per_cycle=2, accum="exact<out=float32>",
         what="bit-serial PE, 4 lanes E4M3 x E2M1 leading-one terms (2 cycles/weight), exact accumulator, float32 RNE out"),
    dict(name="bitserial_fp16_int4", kind="unit", src=["rtl/units/bitserial/bitserial_seq.sv", "rtl/units/bitserial/bitserial_pe_fp.sv"],
         top="bitserial_pe_fp",
         params={"LANES": 4, "A_E": 5, "A_M": 10, "A_BIAS": 15, "A_IEEE": 1, "W_INT": 1, "ACC_W": 64},
         unit="bitserial", formats="float16:int4", lanes=4, bits_per_cycle=1, accum="exact<out=float32>",
         what="bit-serial PE, 4 lanes float16 x INT4 bit planes (1 bit/cycle), exact 64-bit accumulator, float32 RNE out"),
    # LUT Tensor Core tiles (lut_tile_syn: the weight bits and mapping tied by parameters): INT8 tables
    # with a 2^e scale, INT32 accumulators, W2 signed weights. M2N64 takes minutes.
    dict(name="lut_m2n8_int2", kind="unit", src=["rtl/units/lut/lut_tile.sv", "rtl/units/lut/lut_tile_syn.sv"],
         top="lut_tile_syn", params={"M": 2, "N": 8, "K": 4, "W_BIT": 2, "WEIGHT": 1, "PIPELINE": 1, "TABLE": 0},
         unit="lut", formats="int8:int2", lanes=0, bits_per_cycle=0, accum="", lut_tile="2x8x4", lut_table="int8",
         lut_accum="int32", what="LUT tile M2 N8 K4, INT8 tables, INT32 accumulators, W2 signed weights, 1 output stage"),
    dict(name="lut_m2n64_int2", kind="unit", src=["rtl/units/lut/lut_tile.sv", "rtl/units/lut/lut_tile_syn.sv"],
         top="lut_tile_syn", params={"M": 2, "N": 64, "K": 4, "W_BIT": 2, "WEIGHT": 1, "PIPELINE": 2, "TABLE": 0},
         unit="lut", formats="int8:int2", lanes=0, bits_per_cycle=0, accum="", lut_tile="2x64x4", lut_table="int8",
         lut_accum="int32",
         what="LUT tile M2 N64 K4 (LUT-TC's shape), INT8 tables, INT32 accumulators, W2 signed weights, 2 output stages"),
    # A float tile: FP16 tables (float16 activations), float32 accumulators (per unit a rounding adder
    # for the planes and one at the output stage: lut_fp32_add), W2 signed weights; N = 2 keeps yosys
    # within minutes (M2N8: 32 float adders, over an hour on the shared machine).
    dict(name="lut_m2n2_fp16_fp32", kind="unit",
         src=["rtl/units/lut/lut_fp32_add.sv", "rtl/units/lut/lut_tile.sv", "rtl/units/lut/lut_tile_syn.sv"],
         top="lut_tile_syn",
         params={"M": 2, "N": 2, "K": 4, "W_BIT": 2, "WEIGHT": 1, "PIPELINE": 1, "TABLE": 1, "ACCUM": 1},
         unit="lut", formats="float16:int2", lanes=0, bits_per_cycle=0, accum="", lut_tile="2x2x4", lut_table="fp16",
         lut_accum="fp32",
         what="LUT tile M2 N2 K4, FP16 tables, FP32 accumulators (RNE adders), W2 signed weights, 1 output stage"),
]


def rtl_hash(cfg):
    """sha256 of what decides the netlist: the flow, the top, the parameters and the RTL sources."""
    h = hashlib.sha256()
    h.update(f"{FLOW}|{cfg['top']}|{sorted(cfg['params'].items())}".encode())
    for s in cfg["src"]:
        with open(os.path.join(ROOT, s), "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def yosys_version():
    out = subprocess.run(["yosys", "-V"], capture_output=True, text=True, check=True).stdout.strip()
    return out


def synthesize(cfg):
    """Runs the flow on one configuration; returns its measured fields."""
    with tempfile.TemporaryDirectory(prefix="bx_synth_") as tmp:
        stat, ltp, full = (os.path.join(tmp, n) for n in ("stat.txt", "ltp.txt", "stat_full.txt"))
        read = "read_verilog -sv " + " ".join(os.path.join(ROOT, s) for s in cfg["src"])
        if cfg["params"]:
            read += "; chparam " + " ".join(f"-set {k} {v}" for k, v in cfg["params"].items()) + " " + cfg["top"]
        script = FLOW.format(read=read, top=cfg["top"], stat=stat, ltp=ltp, stat_full=full)
        r = subprocess.run(["yosys", "-q", "-p", script], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"synth.py: {cfg['name']}: yosys failed:\n{r.stdout}{r.stderr}")
        with open(stat) as f:
            stat_text = f.read()
        with open(ltp) as f:
            ltp_text = f.read()
        with open(full) as f:
            full_text = f.read()
    cells = {}
    for m in re.finditer(r"^\s+(\$_\w+_)\s+(\d+)\s*$", stat_text, re.M):
        cells[m.group(1)] = int(m.group(2))
    total = int(re.search(r"Number of cells:\s+(\d+)", stat_text).group(1))
    t = re.search(r"Estimated number of transistors:\s+(\d+)(\+?)", stat_text)
    depth = re.search(r"length=(\d+)", ltp_text)
    t_full = re.search(r"Estimated number of transistors:\s+(\d+)", full_text)
    transistors = int(t.group(1))
    ge = transistors / TRANSISTORS_PER_GE
    return dict(rtl_sha256=rtl_hash(cfg), cells=total, transistors=transistors, transistors_exact=t.group(2) != "+",
                dffs=cells.get("$_DFF_P_", 0), depth=int(depth.group(1)) if depth else 0,
                cell_types=cells, ge=ge, transistors_cmos=int(t_full.group(1)), area_um2=round(ge * NAND2_UM2, 3),
                script=script.replace(stat, "stat.txt").replace(ltp, "ltp.txt").replace(full, "stat_full.txt").replace(ROOT + "/", ""))


def write_netlist(cfg, out):
    """Writes the gate-level netlist of one configuration (NETLIST_FLOW) to `out`, atomically."""
    read = "read_verilog -sv " + " ".join(os.path.join(ROOT, s) for s in cfg["src"])
    if cfg["params"]:
        read += "; chparam " + " ".join(f"-set {k} {v}" for k, v in cfg["params"].items()) + " " + cfg["top"]
    tmp = out + ".tmp.v"
    r = subprocess.run(["yosys", "-q", "-p", NETLIST_FLOW.format(read=read, top=cfg["top"], out=tmp)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"synth.py: {cfg['name']}: yosys failed:\n{r.stdout}{r.stderr}")
    os.replace(tmp, out)


def q(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_toml(entries, version, date):
    lines = [
        "# Area from synthesis: generated by rtl/synth/synth.py (do not edit; rerun it). Each table is one",
        "# configuration synthesized with yosys to CMOS gates; `value` is its estimated area at 45 nm:",
        "# GE = transistors / 4 (stat -tech cmos; a NAND2 has 4), area = GE x 0.798 um2 (Nangate45 NAND2_X1).",
        "# Debian packages no standard-cell liberty file with areas, so no `stat -liberty` figure is given.",
        "# The cost model reads it as a measured estimate beside its analytic one (hwmodel/cost/synth_area.hpp).",
        "",
        "[meta]",
        'title = "yosys gate-level area of the RTL configurations (transistor count -> gate equivalents -> 45 nm area)"',
        "model_node_nm = 45",
        "node_nm = 45",
        "voltage_v = 1.1",
        'source = "rtl/synth/synth.py; hardware.md §6 (yosys 0.23 stat -tech cmos costs; Nangate45 NAND2_X1 = 0.798 um2)"',
        f"yosys = {q(version)}",
        f"date = {q(date)}",
        f"nand2_um2 = {NAND2_UM2}",
        f"transistors_per_ge = {TRANSISTORS_PER_GE}",
        f"flow = {q(FLOW)}",
    ]
    for e in entries:
        lines += ["", f"[{e['name']}]", f"value = {e['area_um2']}", 'unit = "um2"', 'how = "D"',
                  f"source = {q('yosys ' + version.split()[1] + ' stat -tech cmos of ' + ', '.join(e['src']) + '; GE x Nangate45 NAND2_X1')}",
                  f"note = {q(e['what'])}",
                  f"kind = {q(e['kind'])}", f"top = {q(e['top'])}",
                  "params = {" + ", ".join(f"{k} = {v}" for k, v in e["params"].items()) + "}"]
        if e["kind"] == "primitive":
            lines.append(f"primitive = {q(e['primitive'])}")
        else:
            lines += [f"hw_unit = {q(e['unit'])}", f"formats = {q(e['formats'])}", f"lanes = {e['lanes']}",
                      f"bits_per_cycle = {e['bits_per_cycle']}", f"lut_tile = {q(e.get('lut_tile', ''))}",
                      f"lut_table = {q(e.get('lut_table', ''))}", f"lut_accum = {q(e.get('lut_accum', ''))}",
                      f"accum = {q(e['accum'])}"]
        lines += [f"cells = {e['cells']}", f"transistors = {e['transistors']}",
                  f"transistors_exact = {'true' if e['transistors_exact'] else 'false'}",
                  f"ge = {e['ge']}", f"transistors_cmos = {e['transistors_cmos']}", f"dffs = {e['dffs']}", f"depth = {e['depth']}",
                  "cell_types = {" + ", ".join(f'"{k}" = {v}' for k, v in sorted(e["cell_types"].items())) + "}",
                  f"script = {q(e['script'])}", f"rtl_sha256 = {q(e['rtl_sha256'])}"]
    text = "\n".join(lines) + "\n"
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, OUT)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", metavar="NAME", help="regenerate these configurations only")
    ap.add_argument("--check", nargs="*", metavar="NAME",
                    help="check every configuration's RTL hash and re-synthesize these, comparing with the stored TOML")
    ap.add_argument("--list", action="store_true", help="list the configurations")
    ap.add_argument("--netlist", nargs=2, metavar=("NAME", "OUT"), help="write NAME's gate netlist to OUT (Verilog)")
    ap.add_argument("--param", nargs="+", default=[], metavar="P=V", help="with --netlist: override parameters")
    args = ap.parse_args()
    by_name = {c["name"]: c for c in CONFIGS}
    if args.netlist:
        name, out = args.netlist
        if name not in by_name:
            sys.exit(f"synth.py: unknown configuration '{name}' (--list)")
        cfg = dict(by_name[name])
        cfg["params"] = dict(cfg["params"])
        for pv in args.param:
            k, eq, v = pv.partition("=")
            if not eq or not k or not v:
                sys.exit(f"synth.py: --param '{pv}': want P=V")
            cfg["params"][k] = v
        write_netlist(cfg, out)
        return 0
    if args.list:
        for c in CONFIGS:
            print(f"{c['name']:18} {c['kind']:9} {c['what']}")
        return 0
    for n in (args.only or []) + (args.check or []):
        if n not in by_name:
            sys.exit(f"synth.py: unknown configuration '{n}' (--list)")
    version = yosys_version()
    if args.check is not None:
        with open(OUT, "rb") as f:
            stored = tomllib.load(f)
        bad = 0
        if not stored["meta"]["yosys"].startswith(version.split(" (")[0]):
            print(f"stored data is from {stored['meta']['yosys']}, this is {version}")
            bad = 1
        for c in CONFIGS:  # every configuration's RTL unchanged since its figures were made
            if c["name"] not in stored:
                print(f"{c['name']}: not in {os.path.relpath(OUT, ROOT)}")
                bad = 1
            elif stored[c["name"]]["rtl_sha256"] != rtl_hash(c):
                print(f"{c['name']}: its RTL, parameters or the flow changed since the stored figures")
                bad = 1
        for n in args.check:
            got, want = synthesize(by_name[n]), stored.get(n)
            if want is None:
                print(f"{n}: not in {os.path.relpath(OUT, ROOT)}")
                bad = 1
                continue
            stale = False
            for k in ("cells", "transistors", "dffs", "cell_types", "transistors_cmos"):
                if got[k] != want[k]:
                    print(f"{n}: {k} stored {want[k]}, synthesized {got[k]}")
                    stale = True
            print(f"{n}: {got['cells']} cells, {got['transistors']} transistors, {got['ge']} GE, "
                  f"{got['area_um2']} um2 at 45 nm: {'STALE' if stale else 'current'}")
            bad |= stale
        if bad:
            print("regenerate with rtl/synth/synth.py --only NAME... (or rtl/synth/synth.py for all), then rebuild")
        return bad
    entries = {}
    if args.only and os.path.exists(OUT):
        with open(OUT, "rb") as f:
            stored = tomllib.load(f)
        for c in CONFIGS:
            if c["name"] in stored and c["name"] not in args.only:
                s = stored[c["name"]]
                entries[c["name"]] = {**c, **{k: s[k] for k in (
                    "cells", "transistors", "transistors_exact", "dffs", "depth", "cell_types", "ge", "transistors_cmos",
                    "script", "rtl_sha256")},
                                      "area_um2": s["value"]}
    for c in CONFIGS:
        if args.only and c["name"] not in args.only and c["name"] in entries:
            continue
        m = synthesize(c)
        entries[c["name"]] = {**c, **m}
        print(f"{c['name']:18} {m['cells']:6} cells {m['transistors']:7} transistors {m['ge']:9} GE "
              f"{m['area_um2']:10} um2 (45 nm) depth {m['depth']}; full CMOS set {m['transistors_cmos']} transistors")
    write_toml([entries[c["name"]] for c in CONFIGS], version,
               datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"))
    print(f"wrote {os.path.relpath(OUT, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
