#!/usr/bin/env python3
"""Writes the hand-made seed inputs of every fuzz target into corpus/NAME/seed-*.

Real inputs (what the project's own files, tests and README use) and malformed ones (truncated,
wrong types, huge numbers, binary junk). Inputs the fuzzers found are kept beside them as
corpus/NAME/found-* (minimised crashers and interesting cases, see README.md). Run from anywhere:
  python3 tests/fuzz/make_seeds.py
"""
import os
import struct
import hashlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def write(target, items):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.startswith("seed-"):
            os.remove(os.path.join(d, f))
    for data in items:
        if isinstance(data, str):
            data = data.encode()
        name = "seed-" + hashlib.sha1(data).hexdigest()[:12]
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(data)


def ctl(*b):  # control bytes after the text
    return bytes(b)


def read(path):
    with open(os.path.join(ROOT, path), "rb") as fh:
        return fh.read()


specs = ["float8_e4m3fn", "e4m3", "E4M3", "  tf32 ", "bf16", "fp16", "e2m1", "e3m3", "e8m0", "ocp_e4m3",
         "float8_e4m3fn<subnormals=false>", "float<e=1,m=0,inf=ieee,nan=ieee>", "float<e=4, m=3, inf=none, nan=allones>",
         "float<e=4,m=3,bias=8,inf=none,nan=fnuz>", "float<e=5,m=2,bias=15>", "float<e=6,m=9,bias=20,subnormals=false>",
         "float<e=4,m=3,signed=false>", "float<e=8,m=0,zero=false,nan=allones,inf=none,signed=false>",
         "float<e=15,m=112>", "float<e=11,m=52>", "e5m2<inf=top>", "int8", "uint4", "int4_sym", "int<bits=12,signed=true>",
         "q3.4", "posit8", "posit<16,1>", "posit16_2", "nf4", "ternary", "binary", "pow2<bits=4,emax=0>",
         "bitmod<bits=3,variant=er_pos>", "hifloat8", "float8_e4m3b11fnuz", "float6_e2m3fn", "float4_e2m1fn",
         # malformed
         "", "float<e=4,m=53>", "float<e=4,m=x>", "hifloat8<x=1>", "nf4<a>", "float<e=99999999999,m=3>", "e0m0",
         "float<e=4,m=3,bias=-2147483648>", "int<bits=0>", "posit<65,3>", "float<e=4,m=3", "e4m3<<>>", "\x00\xff\x80",
         "pow2<bits=16,emax=2147483647>", "q99.99"]
write("spec", [s + "\n" + "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10" * 3 for s in specs] + specs[:6])

values = ["1.5", "-0", "0", "1e-9", "inf", "-inf", "nan", "-nan", "0x1.8p+0", "-0x1p-3", "448", "65504", "65520",
          "1.0000000000000000000000000000001", "3.4028235677973366e38", "0.1", "-2.5", "1e400", "1e-400",
          "0x1.fffffffffffffp1023", "4.9406564584124654e-324", "2.4703282292062327e-324", "123456789012345678901234567890",
          "0x.8p1", "1.", ".5", "5e+3", "7E-2", "0X1P-1074",
          # malformed
          "", "1e", "--1", "0x", "0x1p", "1.2.3", "nan(123)", "1e99999999999999999999", "0x1p-99999999999", " 1",
          "1 ", "+1", "in", "infinity", "0x1.gp0", "\xff"]
write("value", [v + "\n" + "".join(chr(i) for i in range(1, 17)) for v in values] + values[:5])

codebooks = ["# test\nname = mine\n-1.5\n0x1.8p-2 # comment\n0\nunused\nnan\n", "bits = 8\n1\n-1\n", "0.1\n-0.1\n",
             "0\n0.5\n1\n2\n", "-1\n-0.6961928009986877\n-0.5250730514526367\n0\n0.07958029955625534\n1\n",
             "inf\n-inf\n1\n-1\n0\n-0\nnan\n-nan\n", "bits = 16\n1\n2\n3\n",
             # malformed
             "", "1\n", "1\n1\n", "bits = 0\n1\n2\n", "bits = 99\n1\n2\n", "1\nbits = 3\n", "name =\n1\n2\n", "color = red\n",
             "1 2\n", "0x1p-99999\n0x1p99999\n", "1e308\n1e-308\n", "abc\n", "bits = 1\n1\n2\n3\n"]
write("codebook", [c + "\0" + "".join(chr(i) for i in range(1, 40)) for c in codebooks])

catalog = read("formats/catalog.toml").decode()
small = """[my_e3m3]
exp_bits = 3
man_bits = 3
bias = 2
inf = "none"
nan = "none"
aliases = ["mine"]
source = "test"
"""
write("catalog", [catalog, small, small.replace("3", "30"), small.replace('"none"', '"sometimes"', 1),
                  small + "[other]\nspec = \"posit<8,2>\"\nsource = \"x\"\n", small + "[b]\nspec = 3\n",
                  small + small, "[a]\nexp_bits = 3\n", "[a\n", "a = 1\n", "[a]\nexp_bits = 9999999999\nman_bits=1\nbias=0\nsource='x'\n",
                  "[a]\nspec = \"float<e=4,m=3>\"\nsource='x'\n", "[a]\nexp_bits = 1.5\n", "[\"bad name\"]\nspec='int8'\nsource='x'\n",
                  "[a]\naliases = [1, 2]\nspec='int8'\nsource='x'\n", ""])

tv = read("tests/tools/fixtures/f16_mul_rne.tv").decode().splitlines()[:3]
lines = {  # op index in fuzz_vectors.cpp: 0 f16 add, 1 f32 fma, 2 e5m2 sqrt, 3 f64 div, 4 bf16 lt, 5 e4m3->bf16,
           # 6 f32->nf4, 7 posit8 mul, 8 f16->int8, 9 dot4+c h100-fp8, 10 dot2 bf16
    0: ["3C00 3C00 4000 00", "3C00_3C00_4000_00", "3c00 3c00", "0x3C00 0x3C00 0x4000 0x00", "7C00 FC00 7E00 10",
        '{"index": 3, "a": "0x3c00", "b": "0x3c00", "result": "0x4000", "flags": 0}', "// comment", "# c", "",
        "3C00 3C00 4000 00 00", "3C00", "G000 3C00", "13C00 3C00", '{"a": 1}', '{"a": "0x3c00", "b": 15360, "index": -1}', "[1,2]",
        "{", '{"a": "0x3c00", "b": "0x3c00", "result": true, "flags": 1.5}'] + tv,
    1: ["3F800000 3F800000 3F800000 40000000 00", '{"a": "0x3f800000", "b": "0x3f800000", "c": "0x0", "result": "0x3f800000", "flags": 0}'],
    2: ["3C 3A 01", "7F 7F 00"],
    3: ["3FF0000000000000 0000000000000000 7FF0000000000000 08", "FFFFFFFFFFFFFFFFF 0 0 00"],
    4: ["3F80 4000 1 00", '{"a": "0x3f80", "b": "0x4000", "result": true, "flags": 0}', "3F80 4000 2 00"],
    5: ["38 3F80 00", '{"a": "0x38", "result": "0x3f80"}'],
    6: ["3F800000 F 01", "7FC00000 0 10"],
    7: ["40 40 40 00", "80 40 80 00"],
    8: ["5640 64 00", "7C00 7F 15"],
    9: ["38 38 38 38 3C 3C 3C 3C 3F800000 40A00000 00", '{"a0":"0x38","a1":"0x38","a2":"0x38","a3":"0x38","b0":"0x3c","b1":"0x3c","b2":"0x3c","b3":"0x3c","c":"0x0","result":"0x40800000","flags":0}'],
    10: ["3F80 3F80 3F80 3F80 40000000 00"],
}
vec = []
for op, ls in lines.items():
    for l in ls:
        for enc in (0, 1, 2):
            if (enc == 2) != l.startswith("{") and l not in ("", "// comment", "# c", "{", "[1,2]"):
                continue
            vec.append(l + "\n" + chr(enc) + chr(op))
write("vectors", vec)


def npy(descr, shape, data, fortran=False, version=(1, 0), header=None):
    if header is None:
        header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
            descr, "True" if fortran else "False", "(" + "".join("%d, " % s for s in shape) + ")" if len(shape) != 1 else "(%d,)" % shape[0])
    h = header.encode()
    pre = 10 if version[0] == 1 else 12
    pad = (64 - (pre + len(h) + 1) % 64) % 64
    h = h + b" " * pad + b"\n"
    lenf = struct.pack("<H", len(h)) if version[0] == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes(version) + lenf + h + data


f4 = struct.pack("<6f", 1, 2, 3, -4.5, 0, float("inf"))
write("npy", [npy("<f4", (2, 3), f4), npy(">f8", (3,), struct.pack(">3d", 1, -0.0, float("nan"))),
              npy("<f2", (2,), b"\x00\x3c\x00\xc0"), npy("|u1", (4,), b"\x01\x02\xff\x00"), npy("|i1", (), b"\x80"),
              npy("<i8", (1, 2), struct.pack("<2q", -1, 2**62)), npy("<u2", (2, 1), b"\x01\x00\xff\xff", fortran=True),
              npy("<f4", (2, 3), f4, fortran=True), npy("<i4", (0,), b""), npy("<f4", (2, 3), f4, version=(2, 0)),
              npy("<f4", (2, 3), f4, version=(3, 0)),
              # malformed
              npy("<f4", (2, 3), f4[:10]), npy("<c8", (1,), b"\0" * 8), npy("=f4", (1,), b"\0" * 4), npy("<f4", (4294967296, 4294967296, 16), b""),
              npy("<f4", (-1,), b""), npy("<f4", (1,), b"\0" * 4, header="{'descr': '<f4'}"), npy("<f4", (1,), b"\0" * 4, header="garbage"),
              npy("<f4", (1,), b"\0" * 4, version=(4, 0)), b"\x93NUMPY", b"\x93NUMPY\x01\x00\xff\xff", b"", b"PK\x03\x04",
              npy("<f4", (1,), b"\0" * 4, header="{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1, }"),
              npy("<f4", (1,), b"\0" * 4, header="{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"),
              npy("<f4", (1,), b"\0" * 8)])

tech = [read("hwmodel/tech/" + f) for f in sorted(os.listdir(os.path.join(ROOT, "hwmodel/tech"))) if f.endswith(".toml")]
tech += [b"", b"[x]\nvalue = 1\n", b"[x]\nvalue = 'a'\nunit='um2'\nsource='s'\nhow='V'\n", b"[[factor]]\nfrom_nm = 45\nto_nm = 45\narea = 0\n",
         b"node_nm = -1\n", b"[meta]\nnode_nm = 1e308\n", b"[x\n", b"\xff\xfe", b"[[entry]]\nname = 'a'\nprimitive = 'int_mul(99999999999x1)'\n"]
write("tech", tech)

cfgs = {0: ["accum=fp32-pairwise", "lanes=0", "lanes=3,act=mxfp8_e4m3", "lanes=4,accum=fused<k=x>",
            "lanes=8,act=float8_e4m3fn,weight=mxfp4,accum=fused<k=8,acc=24,carry=2>,rows=16,cols=4,pipeline=3",
            "lanes=8,act=float8_e4m3fn,weight=mxfp4,accum=fused<k=8,acc=24>,rows=4,cols=4", "rows=16,cols=4,feed=broadcast",
            "widgets=3", "", "lanes=2147483647", "rows=99999,cols=99999", "lanes", "lanes=4,,rows=1", "act=e4m3<"],
        1: ["accum=fp32-seq", "act=float16,weight=float4_e2m1fn,lanes=2", "act=int8,weight=int4,accum=exact<out=int32>",
            "act=int8,weight=int8,bits=1,rows=16,cols=16", "bits=1,weight=int4,encoding=booth4", "weight=bitmod_fp3_er_pos",
            "lanes=4,bits=2,act=float16,weight=bitmod_fp4_er_pos,accum=exact,rows=16,cols=16", "weight=int16", "bits=3", "weight="],
        2: ["accum=int32", "act=bfloat16", "act=int<bits=16>,accum=int32,table=fp16", "act=int<bits=16>,accum=int32,table=int8",
            "k=9", "table=int4", "w_bits=5", "k=4,m=2,n=8", "k=1", "k=30"]}
write("unit_config", [s + "\n" + chr(u) for u, ss in cfgs.items() for s in ss])

accum = ["deepseek-v3", "exact", "exact<out=float16>", "exact<out=float64>", "exact<product=lmul>", "exact<pround=sr:4>",
         "fp32-fma", "fused<k=1,acc=24,guard=40,sticky=true,round=rne>", "fused<k=8,acc=80,carry=8>", "fused<norm=none>",
         "h100-fp8", "h100-fp8<acc=10,scales=after>", "h100-fp8<acc=10>", "pairwise<acc=bfloat16>",
         "sequential<acc=bfloat16,fma=false>", "sequential<acc=float32>", "v100-fp16", "a100-fp16", "bf16-seq", "fp16-fma",
         "", "fused<k=0>", "fused<k=2147483647,acc=99999>", "sequential<acc=posit8>", "exact<out=nf4>", "pairwise<acc=int8>",
         "fused<", "h100-fp8<acc=10,acc=11>", "unknown"]
write("accum", [a + "\n" + "".join(chr(i) for i in range(3, 60, 3)) for a in accum])

schemes = [" NF4 < group = 64 , scale = float16 > ", "absmax<elem=nf4,group=64>", "absmax<elem=nf4>", "bfp", "bfp<m=4,block=4>",
           "e2m1<group=32>", "e4m3", "int4<group=128>", "int4<group=32>", "mx<elem=float16,rht=64,seed=3>", "mxfp4", "mxfp6_e3m2",
           "mxfp8_e4m3", "mxfp8_e4m3<rht=32,seed=7>", "mxint8", "nf4", "nf4<group=64>", "nvfp4", "posit<8,2>", "uint4<group=128>",
           "", "mx<elem=e4m3,block=0>", "mx<block=4294967296>", "mxfp4<rht=3>", "bfp<m=99>", "int4<group=-1>", "mx<elem=mx>", "nvfp4<"]
write("scheme", [s + "\n" + "".join(chr(i) for i in range(0, 250, 7)) for s in schemes])

tiny = """name = "tiny"
tokens = 32
[[layer]]
name = "a"
k = 128
n = 64
count = 3
sample_m = 32
sample_k = 128
sample_n = 64
act_dist = "student-t:4"
act_outlier_channels = 0.05
act_outlier_factor = 10
[[layer]]
name = "b"
k = 256
n = 32
sample_m = 8
sample_k = 256
sample_n = 32
weight_dist = "laplace"
"""
write("workload", [tiny, "tokens = 4\n[[layer]]\nname = \"x\"\nk = 64\nn = 16\n",
                   "[[layer]]\nname = \"w\"\nweights = \"w.npy\"\nactivations = \"x.npy\"\n",
                   "seed = 3\n[[layer]]\nname = \"u\"\nk = 8\nn = 8\nweight_dist = \"uniform\"\nweight_channel_spread = 0.3\n",
                   # malformed
                   "", "[[layer]]\nk = 1\n", "[[layer]]\nname = \"x\"\nk = 0\nn = 1\n", "tokens = -1\n", "tokens = 1e30\n",
                   "[[layer]]\nname = \"x\"\nk = 18446744073709551615\nn = 18446744073709551615\n", "colour = 1\n",
                   "[[layer]]\nname = \"x\"\nk = 4\nn = 4\nact_dist = \"student-t:0\"\n",
                   "[[layer]]\nname = \"x\"\nk = 4\nn = 4\nact_outlier_channels = 2\n", "[layer\n", "layer = 3\n",
                   "[[layer]]\nname = \"x\"\nk = 4\nn = 4\nsample_m = 0\n"])

# Vector manifests (tools/vectors/manifest.hpp) as `bitexact gen` writes them, and malformed ones.
import json
conv = {"schema_version": 1, "tool": "bitexact", "version": "0.1.0",
        "format": {"name": "float16", "spec": "float<e=5,m=10,bias=15,inf=ieee,nan=ieee>"},
        "to": {"name": "float4_e2m1fn", "spec": "float<e=2,m=1,bias=1,inf=none,nan=none>"},
        "operation": "convert", "arity": 1, "rounding": ["rne", "sr:3"], "overflow": "ieee", "tininess": "after",
        "subnormals": "keep", "preset": "ocp", "nan_compare": "any", "nan_style": "canonical", "flags": "testfloat",
        "level": "exhaustive", "seed": 9, "count": 65536, "encodings": ["testfloat", "tv"], "tv_comment": True,
        "shard": {"index": 1, "count": 2, "first_case": 0, "cases": 32768},
        "files": [{"name": "float16_to_float4_e2m1fn_rne.txt", "encoding": "testfloat", "rounding": "rne",
                   "lines": 32768, "bytes": 327680, "sha256": "b3e78253b591214b4b930792d23d47e4e694627baf898085e44222cd6537dc98"},
                  {"name": "float16_to_float4_e2m1fn_sr_3.tv", "encoding": "tv", "rounding": "sr:3", "lines": 32768,
                   "bytes": 327737, "sha256": "92c629616d46ea45ea28239e41d8aed2f5146f15d61d19d3a5588998415dcb2e"}]}
dot = {"schema_version": 1, "tool": "bitexact", "version": "0.1.0",
       "format": {"name": "float4_e2m1fn", "spec": "float<e=2,m=1,bias=1,inf=none,nan=none>"},
       "format_b": {"name": "float4_e2m1fn", "spec": "float<e=2,m=1,bias=1,inf=none,nan=none>"},
       "to": {"name": "float32", "spec": "float<e=8,m=23,bias=127,inf=ieee,nan=ieee>"},
       "operation": "dot", "arity": 4, "k": 2, "addend": False, "accum": "exact", "rounding": ["rne"],
       "overflow": "ieee", "tininess": "after", "subnormals": "keep", "preset": "ocp", "nan_compare": "any",
       "nan_style": "canonical", "flags": "testfloat", "level": "exhaustive", "seed": 1, "count": 65536,
       "encodings": ["testfloat"], "tv_comment": True, "shard": {"index": 1, "count": 1, "first_case": 0, "cases": 65536},
       "files": [{"name": "float4_e2m1fn_dot2_exact_rne.txt", "encoding": "testfloat", "rounding": "rne",
                  "lines": 65536, "bytes": 1310720, "sha256": "4e0ade27741de00cb65e6b83bde694694f6860c86a2e71b441d7d77625537cc0"}]}


def variant(base, **changes):
    m = json.loads(json.dumps(base))
    for k, v in changes.items():
        if v is None:
            m.pop(k, None)
        else:
            m[k] = v
    return json.dumps(m)


good = [json.dumps(conv, indent=2) + "\n", json.dumps(dot), json.dumps(conv)]
bad = [variant(conv, files=7), variant(conv, shard="1/2"), variant(conv, shard={"index": -1, "count": 2}),
       variant(conv, files=[{"name": "../../etc/passwd", "rounding": "rne"}]),
       variant(conv, files=[{"name": "a/b.txt", "rounding": "rne"}]), variant(conv, files=[{"name": "x.txt"}]),
       variant(conv, files=[{"name": 5, "rounding": "rne"}]), variant(conv, format=None), variant(conv, format="float16"),
       variant(conv, rounding="rne"), variant(conv, rounding=[1]), variant(conv, operation=3), variant(conv, seed=1e400),
       variant(conv, count=-5), variant(dot, k="2"), variant(dot, addend=1), variant(conv, tool="other"),
       variant(conv, shard=None), '{"schema_version": 1, "files": 7}', "", "{", "[]", "null", '{"tool": "bitexact"}',
       json.dumps(conv)[:200], "[" * 5000 + "]" * 5000, '{"tool":"bitexact","operation":"add","files":[],"shard":{},'
       '"format":{},"x":' + "[" * 2000 + "]" * 2000 + "}", "\xff\xfe{}", json.dumps(conv).replace('"rne"', '"\\ud800"')]
write("manifest", good + bad)
