#!/usr/bin/env python3
"""Writes the hand-made part of the fuzz seed corpora (tests/fuzz/corpus/<target>/seed_*).

    python3 tests/fuzz/make_seeds.py [model images...]

Model images given on the command line (aimc-compile output) become corpus/model_image/seed_<name>.
Regression inputs found by the campaigns are committed beside the seeds as crash_* / regress_* files
and are not written here."""
import pathlib
import struct
import sys
import zlib

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"


def put(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / ("seed_" + name)).write_bytes(bytes(data))


# ---- decode: mode byte 0 (decode words) or 1 (run a program) -----------------------------------
def words(mode, ws=(), hs=()):
    return bytes([mode]) + b"".join(struct.pack("<I", w) for w in ws) + b"".join(struct.pack("<H", h) for h in hs)


put("decode", "rv32i", words(0, [
    0x00150513, 0x00c12783, 0x00b50863, 0x008000ef, 0x000802b7, 0x00000517, 0x00008067, 0xfe5ff06f,
    0x00a12623, 0x00a11623, 0x00a10623, 0x00c14783, 0x00c15783, 0x00c10783, 0x00c11783,
    0x40b50533, 0x00b51533, 0x00b52533, 0x00b53533, 0x00b54533, 0x00b55533, 0x40b55533, 0x00b56533, 0x00b57533,
    0x00152513, 0x00153513, 0xfff54513, 0x00156513, 0x00157513, 0x00151513, 0x00155513, 0x40155513]))
put("decode", "system_csr", words(0, [
    0x30002573, 0x30501073, 0x3420d073, 0x34216073, 0x3401f073, 0xb0002573, 0xc0002573, 0xc8002573,
    0x00000073, 0x00100073, 0x30200073, 0x10500073, 0x0ff0000f, 0x0000100f, 0xc0001073, 0x7b002573]))
put("decode", "rv32ma", words(0, [
    0x02b50533, 0x02b51533, 0x02b52533, 0x02b53533, 0x02b54533, 0x02b55533, 0x02b56533, 0x02b57533,
    0x1005252f, 0x18b5252f, 0x08b5252f, 0x00b5252f, 0x20b5252f, 0x60b5252f, 0x40b5252f, 0x80b5252f,
    0xa0b5252f, 0xc0b5252f, 0xe0b5252f]))
put("decode", "rvc", words(0, [], [
    0x0048, 0x4188, 0xc188, 0x0001, 0x0505, 0x2001, 0x4505, 0x6141, 0x6505, 0x8105, 0x8505, 0x8905,
    0x8d0d, 0x8d2d, 0x8d4d, 0x8d6d, 0xa001, 0xc101, 0xe101, 0x050a, 0x4502, 0x8082, 0x852e, 0x9002,
    0x9502, 0x952e, 0xc02a, 0x0000, 0x8000, 0x6001]))
put("decode", "illegal", words(0, [0x00000000, 0xffffffff, 0x0000007f, 0x0000003f, 0x0000001f, 0xfe000033,
                                   0x02006033, 0x00007073]))
put("decode", "prog_loop", words(1, [0x00150513, 0xffdff06f]))
put("decode", "prog_div", words(1, [0x800005b7, 0xfff00613, 0x02c5c6b3, 0x02c5e733, 0x02004733, 0x02005733,
                                    0x02006733, 0x02007733, 0x0000006f]))
put("decode", "prog_trap", words(1, [0x000015b7, 0x0005a503, 0x00000073, 0x00100073, 0x0000006f]))
put("decode", "prog_wfi", words(1, [0x08000293, 0x30429073, 0x00800293, 0x3002a073, 0x10500073, 0x0000006f]))
put("decode", "prog_amo", words(1, [0x800005b7, 0x40058593, 0x00100613, 0x00c5a6af, 0x1005a72f, 0x18c5a7af,
                                    0x0000006f]))


# ---- elf: a small RV32 executable and broken variants --------------------------------------------
def elf(cls=1, data=1, machine=243, etype=2, phentsize=32, paddr=0x80000000, filesz=None, memsz=None,
        symlink=None, name_off=1, truncate=None, segments=1):
    code = words(0, [0x00000517, 0x00050513, 0x0000006f])[1:]
    strtab = b"\0_start\0tohost\0"
    syms = struct.pack("<IIIBBH", 0, 0, 0, 0, 0, 0)
    syms += struct.pack("<IIIBBH", name_off, paddr, len(code), 0x12, 0, 1)
    syms += struct.pack("<IIIBBH", 8, (paddr + 0x100) & 0xFFFFFFFF, 8, 0x11, 0, 1)
    phoff = 52
    code_off = phoff + 32 * segments
    sym_off = code_off + len(code)
    str_off = sym_off + len(syms)
    shoff = (str_off + len(strtab) + 3) & ~3
    shdrs = bytes(40)
    shdrs += struct.pack("<10I", 0, 2, 0, 0, sym_off, len(syms), 2 if symlink is None else symlink, 1, 4, 16)
    shdrs += struct.pack("<10I", 0, 3, 0, 0, str_off, len(strtab), 0, 0, 1, 0)
    ident = b"\x7fELF" + bytes([cls, data, 1]) + bytes(9)
    eh = ident + struct.pack("<HHIIIIIHHHHHH", etype, machine, 1, paddr, phoff, shoff, 0, 52, phentsize, segments,
                             40, 3, 0)
    ph = b""
    for i in range(segments):
        ph += struct.pack("<8I", 1, code_off, (paddr + 0x40 * i) & 0xFFFFFFFF, (paddr + 0x40 * i) & 0xFFFFFFFF,
                          len(code) if filesz is None else filesz, 0x200 if memsz is None else memsz, 5, 4)
    out = eh + ph + code + syms + strtab
    out += bytes(shoff - len(out)) + shdrs
    return out[:truncate] if truncate else out


put("elf", "valid", elf())
put("elf", "two_segments_overlap", elf(segments=2))
put("elf", "class64", elf(cls=2))
put("elf", "big_endian", elf(data=2))
put("elf", "machine_x86", elf(machine=62))
put("elf", "shared_object", elf(etype=3))
put("elf", "phentsize", elf(phentsize=56))
put("elf", "filesz_gt_memsz", elf(filesz=0x300, memsz=0x200))
put("elf", "wraps", elf(paddr=0xFFFFFF00, memsz=0x200))
put("elf", "huge_memsz", elf(memsz=0x7FFFFFFF))
put("elf", "outside_ram", elf(paddr=0x10000000))
put("elf", "symtab_link", elf(symlink=9))
put("elf", "symbol_name_past_strtab", elf(name_off=0x1000))
put("elf", "truncated", elf(truncate=70))
put("elf", "magic_only", b"\x7fELF")


# ---- config: mode byte 0 (platform file, JSON) or 1 (--set lines) ---------------------------------
def text(mode, s):
    return bytes([mode]) + s.encode()


put("config", "tiny", text(0, '{"name": "tiny", "description": "2x2 chip", "noc": {"width": 2, "height": 2, '
                              '"clock_hz": "1 GHz"}, "tile": {"crossbar": "hermes-core", "clock_hz": "1 GHz"}}'))
put("config", "isaac", text(0, '{"name": "isaac", "noc": {"width": 4, "height": 4, "clock_hz": "1.2 GHz"}, '
                               '"tile": {"crossbar": {"preset": "isaac-ima", "mapping": {"weight_bits": 8}, '
                               '"dac": {"input_bits": 8}}}}'))
put("config", "kinds", text(0, '{"cpu": {"clock_hz": "100 MHz", "quantum": "10 ns", "energy": "20 pJ", '
                               '"latency_ns": "1 us", "power": "2 mW", "base": "0x80000000", "irq": 7, '
                               '"cycles": 3, "size": "64 KiB", "offset": -4, "ticks": 123456789012, '
                               '"enabled": true, "misaligned": "emulate", "label": "abc", "levels": [0.5, 1.5], '
                               '"extra": {"a": [1, {"b": null}]}}, "noc": {"routing": "yx", "host": {"x": 1}}, '
                               '"tile": {"ldpu": {"lanes": 8}}}'))
put("config", "unknown_key", text(0, '{"noc": {"widht": 2}}'))
put("config", "out_of_range", text(0, '{"cpu": {"quantum": "100 s"}}'))
put("config", "bad_unit", text(0, '{"cpu": {"clock_hz": "1 GB"}}'))
put("config", "wrong_type", text(0, '{"noc": {"width": "two"}, "tile": []}'))
put("config", "set_basic", text(1, "cpu.quantum=10 ns\nnoc.width=4\nnoc.routing=yx\ncpu.enabled=true"))
put("config", "set_presets", text(1, 'tile.crossbar=isaac-ima\ntile.crossbar.rows=128\n'
                                     'tile.crossbar={"preset": "hermes-core", "adc": {"bits": 6}}'))
put("config", "set_kinds", text(1, "cpu.size=16 MiB\ncpu.base=0x1000\ncpu.levels=[1, 2, 3]\n"
                                   'cpu.extra={"x": 1}\ncpu.ticks=-5\ncpu.label=hello world'))
# Numbers at the edges (NaN, infinities, fractions for integers, beyond 64 bits): one per seed, as
# the first bad assignment ends a --set list.
for i, line in enumerate(["cpu.quantum=nan s", "cpu.clock_hz=inf", "cpu.levels=[nan]", "cpu.irq=1e10",
                          "cpu.offset=-0.5", "cpu.size=4096.5", "cpu.ticks=9.3e18", "cpu.base=0x1ffffffff",
                          "tile.crossbar.rows=1e400", "noc.width=nan"]):
    put("config", "set_edge_%d" % i, text(1, line))
put("config", "set_bad", text(1, "cpu.quantum\n=5\nnoc.width=0\nnoc.width=1e99\ncpu.irq=-1\nnope.x=1"))


# ---- model_image: flags byte (1 fix total_bytes, 2 fix CRC, 4 platform fits), then the image ------
def image_variants(name, img):
    put("model_image", name, b"\x04" + img)
    put("model_image", name + "_fixups", b"\x07" + img)
    bad = bytearray(img)
    bad[0x100 % len(bad)] ^= 0xFF
    put("model_image", name + "_corrupt", b"\x04" + bad)
    put("model_image", name + "_truncated", b"\x07" + img[: len(img) // 2])


for path in sys.argv[1:]:
    p = pathlib.Path(path)
    image_variants(p.stem, p.read_bytes())
put("model_image", "header_only", b"\x07AIMG" + bytes(200))


# ---- gdb_rsp: flags byte (bit 0: raw bytes, else one packet per line; bits 1-2: stop kind) --------
def packets(flags, lines):
    return bytes([flags]) + "\n".join(lines).encode("latin-1")


put("gdb_rsp", "session", packets(0, [
    "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+", "vMustReplyEmpty", "Hg0", "qTStatus",
    "qXfer:features:read:target.xml:0,ffb", "qXfer:features:read:target.xml:7fb,ffb", "qAttached", "?", "g",
    "p20", "p385", "P5=78563412", "m80000000,40", "M80000000,4:01020304", "X80000004,2:}]a", "Z0,80000010,4",
    "z0,80000010,4", "Z1,80000020,2", "Z2,80000100,4", "Z3,80000100,1", "Z4,80000100,8", "vCont?", "vCont;s",
    "s", "c", "D"]))
put("gdb_rsp", "noack", packets(2, ["QStartNoAckMode", "g", "G" + "00" * 132, "m7ffffff0,20", "mffffffff,10",
                                    "vCont;c", "vKill;1"]))
put("gdb_rsp", "bad_args", packets(4, ["m", "mzz,4", "m80000000,", "M80000000,4:0102", "X80000000,8:ab",
                                       "Zx,1,1", "Z0,80000000", "p", "P=", "Pzz=1", "qXfer:features:read:x:0,10",
                                       "qXfer:features:read:target.xml:zz", "C05", "S05", "k"]))
put("gdb_rsp", "raw_framing", b"\x01" + b"+$g#67-$?#3f$m80000000,4#00\x03$qSupported#37$$$#00#$p20#d2+-+k")
put("gdb_rsp", "raw_watch", b"\x07" + b"$QStartNoAckMode#b0$Z2,80000100,4#00$c#63\x03$s#73$D#44")
