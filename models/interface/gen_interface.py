#!/usr/bin/env python3
"""Generates the chip's programming interface from its one description (models/interface/*.json).

    gen_interface.py [--c-out DIR] [--cpp-out DIR] [--check] BLOCK.json...

--c-out writes the firmware's C headers (aimc/regs/<block>.h, aimc/tile_ldpu.h, aimc/platform.h, ...,
with the C names the firmware has always used); --cpp-out writes the models' C++ headers
(interface/<block>.h: constexpr constants and tables, interface/blocks.h: every block). Without an
output it only checks the description. Every mistake in a description is reported with its file and
the path of the bad entry, and nothing is written.

Standard library only: the build runs it with the system's python3.
"""

import argparse
import json
import os
import re
import sys

GENERATOR = "models/interface/gen_interface.py"
C_TYPES = {"uint8": ("uint8_t", 1), "int8": ("int8_t", 1), "uint16": ("uint16_t", 2), "int16": ("int16_t", 2),
           "uint32": ("uint32_t", 4), "int32": ("int32_t", 4)}
NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
LOWER_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class DescriptionError(Exception):
    pass


# ---- reading and checking ----------------------------------------------------------------------------

class Ctx:
    def __init__(self, origin):
        self.origin = origin

    def fail(self, path, what):
        raise DescriptionError(f"{self.origin}: {path}: {what}")

    def obj(self, d, path, required, optional=()):
        if not isinstance(d, dict):
            self.fail(path, f"expected an object, got {type(d).__name__}")
        unknown = sorted(set(d) - set(required) - set(optional))
        if unknown:
            self.fail(path, f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(list(required) + list(optional))})")
        missing = [k for k in required if k not in d]
        if missing:
            self.fail(path, f"missing key(s) {', '.join(missing)}")
        return d

    def lst(self, d, path):
        if not isinstance(d, list):
            self.fail(path, f"expected a list, got {type(d).__name__}")
        return d

    def uint(self, v, path, bits=32):
        if isinstance(v, str):
            try:
                v = int(v, 0)
            except ValueError:
                self.fail(path, f"'{v}' is not an integer")
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(path, f"expected an integer, got {v!r}")
        if v < 0 or v >= (1 << bits):
            self.fail(path, f"{v:#x} does not fit in {bits} bits")
        return v

    def name(self, v, path, pattern=NAME_RE):
        if not isinstance(v, str) or not pattern.match(v):
            self.fail(path, f"name {v!r} is not {'UPPER_CASE' if pattern is NAME_RE else 'lower_case'}")
        return v

    def text(self, v, path, allow_empty=False):
        if not isinstance(v, str) or (not v and not allow_empty):
            self.fail(path, "expected a non-empty description" if not allow_empty else "expected a string")
        if "*/" in v:
            self.fail(path, "text may not contain '*/' (it goes into C comments)")
        return v


def unique(ctx, items, key, path, what):
    seen = {}
    for i, it in enumerate(items):
        k = it[key]
        if k in seen:
            ctx.fail(f"{path}[{i}]", f"{what} {k!r} repeats {path}[{seen[k]}]")
        seen[k] = i


def check_fields(ctx, fields, path, bits, what):
    """Bit fields of a `bits`-bit value: in range, no overlaps, unique names."""
    out = []
    for i, f in enumerate(ctx.lst(fields, path)):
        p = f"{path}[{i}]"
        ctx.obj(f, p, ("name", "lsb", "width", "description"))
        name = ctx.name(f["name"], p + ".name")
        lsb, width = ctx.uint(f["lsb"], p + ".lsb", 6), ctx.uint(f["width"], p + ".width", 6)
        if width < 1 or lsb + width > bits:
            ctx.fail(p, f"{what} field {name} [{lsb}+{width}] does not fit in {bits} bits")
        out.append({"name": name, "lsb": lsb, "width": width, "description": ctx.text(f["description"], p + ".description")})
    unique(ctx, out, "name", path, "field")
    taken = [None] * bits
    for i, f in enumerate(out):
        for b in range(f["lsb"], f["lsb"] + f["width"]):
            if taken[b] is not None:
                ctx.fail(f"{path}[{i}]", f"field {f['name']} overlaps field {taken[b]} at bit {b}")
            taken[b] = f["name"]
    return out


def load_block(path):
    ctx = Ctx(os.path.basename(path))
    try:
        with open(path, encoding="utf-8") as fh:
            d = json.load(fh)
    except json.JSONDecodeError as e:
        raise DescriptionError(f"{ctx.origin}: invalid JSON: {e}")
    ctx.obj(d, "top level", ("block", "title", "c_header", "c_prefix", "comment"),
            ("registers", "constants", "windows", "enums", "commands", "errors", "records", "sequences", "ldpu_ops",
             "memory_map"))
    b = {"block": ctx.name(d["block"], "block", LOWER_RE), "title": ctx.text(d["title"], "title"),
         "comment": ctx.text(d["comment"], "comment"), "origin": ctx.origin}
    if not re.match(r"^aimc/[a-z0-9_/]+\.h$", d["c_header"]):
        ctx.fail("c_header", f"{d['c_header']!r} is not an aimc/... .h path")
    b["c_header"] = d["c_header"]
    b["prefix"] = ctx.name(d["c_prefix"], "c_prefix")

    # Registers.
    regs = []
    for i, r in enumerate(ctx.lst(d.get("registers", []), "registers")):
        p = f"registers[{i}]"
        ctx.obj(r, p, ("name", "offset", "access", "description"), ("width", "count", "reset", "fields"))
        name = ctx.name(r["name"], p + ".name")
        p = f"{p} ({name})"
        width = r.get("width", 4)
        if width not in (1, 4):
            ctx.fail(p + ".width", f"{width} is not 1 or 4 bytes")
        count = ctx.uint(r.get("count", 1), p + ".count", 16)
        if count < 1:
            ctx.fail(p + ".count", "must be at least 1")
        offset = ctx.uint(r["offset"], p + ".offset")
        if offset % width:
            ctx.fail(p + ".offset", f"{offset:#x} is not aligned to the register width {width}")
        if r["access"] not in ("RW", "RO", "WO"):
            ctx.fail(p + ".access", f"{r['access']!r} is not RW, RO or WO")
        reset = ctx.uint(r.get("reset", 0), p + ".reset", 8 * width)
        fields = check_fields(ctx, r.get("fields", []), p + ".fields", 8 * width, name)
        regs.append({"name": name, "offset": offset, "width": width, "count": count, "access": r["access"],
                     "reset": reset, "description": ctx.text(r["description"], p + ".description"),
                     "fields": fields})
    unique(ctx, regs, "name", "registers", "register")
    spans = sorted(regs, key=lambda r: r["offset"])
    for a, c in zip(spans, spans[1:]):
        if a["offset"] + a["width"] * a["count"] > c["offset"]:
            ctx.fail("registers", f"{a['name']} overlaps {c['name']} at offset {c['offset']:#x}")
    b["registers"] = regs
    reg_names = {r["name"] for r in regs}

    # Constants.
    consts = []
    for i, c in enumerate(ctx.lst(d.get("constants", []), "constants")):
        p = f"constants[{i}]"
        ctx.obj(c, p, ("name", "value", "description"), ("c_kind",))
        kind = c.get("c_kind", "unsigned")
        if kind not in ("unsigned", "plain"):
            ctx.fail(p + ".c_kind", f"{kind!r} is not 'unsigned' or 'plain'")
        consts.append({"name": ctx.name(c["name"], p + ".name"), "value": ctx.uint(c["value"], p + ".value"),
                       "kind": kind, "description": ctx.text(c["description"], p + ".description")})
    unique(ctx, consts, "name", "constants", "constant")
    b["constants"] = consts
    const_values = {c["name"]: c["value"] for c in consts}

    # Windows: regions of the block's address window, in order; each one's room ends at the next.
    wins = []
    for i, w in enumerate(ctx.lst(d.get("windows", []), "windows")):
        p = f"windows[{i}]"
        ctx.obj(w, p, ("name", "offset", "description"), ("size_register",))
        sr = w.get("size_register", "")
        if sr and sr not in reg_names:
            ctx.fail(p + ".size_register", f"{sr!r} is not a register of {b['block']}")
        wins.append({"name": ctx.name(w["name"], p + ".name"), "offset": ctx.uint(w["offset"], p + ".offset"),
                     "size_register": sr, "description": ctx.text(w["description"], p + ".description")})
    if wins:
        if "WINDOW" not in const_values:
            ctx.fail("windows", "a block with windows needs a constant WINDOW (the window's size)")
        for i, w in enumerate(wins):
            end = wins[i + 1]["offset"] if i + 1 < len(wins) else const_values["WINDOW"]
            if end <= w["offset"]:
                ctx.fail(f"windows[{i}]", f"{w['name']} at {w['offset']:#x} is not below the next region ({end:#x})")
            w["max_size"] = end - w["offset"]
        regs_end = max((r["offset"] + r["width"] * r["count"] for r in regs), default=0)
        if regs and regs_end > wins[0]["max_size"] + wins[0]["offset"]:
            ctx.fail("windows", f"the registers end at {regs_end:#x}, past the first window region")
    unique(ctx, wins, "name", "windows", "window")
    b["windows"] = wins

    # Enumerations.
    enums = []
    for i, e in enumerate(ctx.lst(d.get("enums", []), "enums")):
        p = f"enums[{i}]"
        ctx.obj(e, p, ("name", "c_kind", "description", "values"))
        if e["c_kind"] not in ("enum", "define"):
            ctx.fail(p + ".c_kind", f"{e['c_kind']!r} is not 'enum' or 'define'")
        values = []
        for j, v in enumerate(ctx.lst(e["values"], p + ".values")):
            q = f"{p}.values[{j}]"
            ctx.obj(v, q, ("name", "value", "description"), ("bytes",))
            values.append({"name": ctx.name(v["name"], q + ".name"), "value": ctx.uint(v["value"], q + ".value"),
                           "bytes": ctx.uint(v.get("bytes", 0), q + ".bytes", 4),
                           "description": ctx.text(v["description"], q + ".description")})
        unique(ctx, values, "name", p + ".values", "name")
        unique(ctx, values, "value", p + ".values", "value")
        enums.append({"name": ctx.name(e["name"], p + ".name"), "kind": e["c_kind"],
                      "description": ctx.text(e["description"], p + ".description"), "values": values})
    unique(ctx, enums, "name", "enums", "enum")
    b["enums"] = enums
    enum_by_name = {e["name"]: e for e in enums}

    # Commands.
    b["commands"] = None
    if "commands" in d:
        c = ctx.obj(d["commands"], "commands", ("push_register", "arg_register", "state_enum", "opcodes"))
        for k in ("push_register", "arg_register"):
            if c[k] not in reg_names:
                ctx.fail("commands." + k, f"{c[k]!r} is not a register of {b['block']}")
        n_args = next(r["count"] for r in regs if r["name"] == c["arg_register"])
        states = enum_by_name.get(c["state_enum"])
        if not states:
            ctx.fail("commands.state_enum", f"{c['state_enum']!r} is not an enum of {b['block']}")
        state_values = {v["name"]: v["value"] for v in states["values"]}
        ops = []
        for i, o in enumerate(ctx.lst(c["opcodes"], "commands.opcodes")):
            p = f"commands.opcodes[{i}]"
            ctx.obj(o, p, ("value", "name", "state", "description", "args"), ("state_note",))
            name = ctx.name(o["name"], p + ".name")
            p = f"{p} ({name})"
            if o["state"] not in state_values:
                ctx.fail(p + ".state", f"{o['state']!r} is not a {c['state_enum']} value")
            args = []
            for j, a in enumerate(ctx.lst(o["args"], p + ".args")):
                q = f"{p}.args[{j}]"
                ctx.obj(a, q, ("index", "name", "description"), ("fields",))
                idx = ctx.uint(a["index"], q + ".index", 8)
                if idx >= n_args:
                    ctx.fail(q + ".index", f"ARG{idx} does not exist ({c['arg_register']} has {n_args})")
                args.append({"index": idx, "name": ctx.name(a["name"], q + ".name", LOWER_RE),
                             "description": ctx.text(a["description"], q + ".description"),
                             "fields": check_fields(ctx, a.get("fields", []), q + ".fields", 32, f"ARG{idx}")})
            unique(ctx, args, "index", p + ".args", "argument index")
            unique(ctx, args, "name", p + ".args", "argument name")
            ops.append({"value": ctx.uint(o["value"], p + ".value", 8), "name": name, "state": o["state"],
                        "state_value": state_values[o["state"]], "state_note": ctx.text(o.get("state_note", ""), p, True),
                        "description": ctx.text(o["description"], p + ".description"), "args": args})
        if not ops:
            ctx.fail("commands.opcodes", "no opcodes")
        unique(ctx, ops, "name", "commands.opcodes", "opcode name")
        unique(ctx, ops, "value", "commands.opcodes", "opcode")
        if any(o["value"] == 0 for o in ops):
            ctx.fail("commands.opcodes", "opcode 0 is reserved (a zeroed push is an error)")
        b["commands"] = {"push_register": c["push_register"], "arg_register": c["arg_register"], "opcodes": ops}

    # Error codes.
    b["errors"] = None
    if "errors" in d:
        e = ctx.obj(d["errors"], "errors", ("register", "info_register", "codes"))
        for k in ("register", "info_register"):
            if e[k] not in reg_names:
                ctx.fail("errors." + k, f"{e[k]!r} is not a register of {b['block']}")
        codes = []
        for i, c in enumerate(ctx.lst(e["codes"], "errors.codes")):
            p = f"errors.codes[{i}]"
            ctx.obj(c, p, ("value", "name", "meaning", "when", "info"))
            value = ctx.uint(c["value"], p + ".value")
            name = ctx.name(c["name"], p + ".name")
            blank_ok = value == 0
            codes.append({"value": value, "name": name, "meaning": ctx.text(c["meaning"], f"{p} ({name}).meaning"),
                          "when": ctx.text(c["when"], f"{p} ({name}).when", blank_ok),
                          "info": ctx.text(c["info"], f"{p} ({name}).info", blank_ok)})
        unique(ctx, codes, "name", "errors.codes", "error name")
        unique(ctx, codes, "value", "errors.codes", "error code")
        if not codes or codes[0]["value"] != 0 or codes[0]["name"] != "NONE":
            ctx.fail("errors.codes", "the first code must be 0, NONE")
        if [c["value"] for c in codes] != list(range(len(codes))):
            ctx.fail("errors.codes", "codes must be 0, 1, 2, ... in order (tables are indexed by code)")
        b["errors"] = {"register": e["register"], "info_register": e["info_register"], "codes": codes}

    # LDPU op kinds.
    b["ldpu_ops"] = None
    if "ldpu_ops" in d:
        lo = ctx.obj(d["ldpu_ops"], "ldpu_ops", ("enum", "description", "ops"))
        flags = enum_by_name.get("F")
        if not flags:
            ctx.fail("ldpu_ops", "needs an enum F (the op flags)")
        flag_values = {v["name"]: v["value"] for v in flags["values"]}
        ops = []
        for i, o in enumerate(ctx.lst(lo["ops"], "ldpu_ops.ops")):
            p = f"ldpu_ops.ops[{i}]"
            ctx.obj(o, p, ("value", "name", "label", "operands", "flags", "description"))
            rng = ctx.lst(o["operands"], p + ".operands")
            if len(rng) != 2 or ctx.uint(rng[0], p + ".operands[0]", 8) > ctx.uint(rng[1], p + ".operands[1]", 8):
                ctx.fail(p + ".operands", "expected [min, max] with min <= max")
            mask = 0
            for f in ctx.lst(o["flags"], p + ".flags"):
                if f not in flag_values:
                    ctx.fail(p + ".flags", f"{f!r} is not an F value")
                mask |= flag_values[f]
            value = ctx.uint(o["value"], p + ".value", 8)
            if value == 0:
                ctx.fail(p + ".value", "kind 0 is reserved (zeroed memory is not an op)")
            ops.append({"value": value, "name": ctx.name(o["name"], p + ".name"),
                        "label": ctx.name(o["label"], p + ".label", LOWER_RE), "min": rng[0], "max": rng[1],
                        "flags": mask, "description": ctx.text(o["description"], p + ".description")})
        unique(ctx, ops, "name", "ldpu_ops.ops", "op name")
        unique(ctx, ops, "value", "ldpu_ops.ops", "op kind")
        b["ldpu_ops"] = {"enum": ctx.name(lo["enum"], "ldpu_ops.enum"),
                         "description": ctx.text(lo["description"], "ldpu_ops.description"), "ops": ops}

    # Records (structs in memory), packed with natural alignment and no padding.
    recs = []
    for i, r in enumerate(ctx.lst(d.get("records", []), "records")):
        p = f"records[{i}]"
        ctx.obj(r, p, ("name", "c_struct", "cpp_name", "size", "description", "fields"), ("c_typedef",))
        name = ctx.name(r["name"], p + ".name", LOWER_RE)
        p = f"{p} ({name})"
        fields, at, align = [], 0, 1
        for j, f in enumerate(ctx.lst(r["fields"], p + ".fields")):
            q = f"{p}.fields[{j}]"
            ctx.obj(f, q, ("name", "type", "offset", "description"), ("count",))
            fname = ctx.name(f["name"], q + ".name", LOWER_RE)
            count = f.get("count", 1)
            if isinstance(count, str) and count in const_values:
                count_c, count = count, const_values[count]
            else:
                count_c, count = None, ctx.uint(count, q + ".count", 16)
            if f["type"] in C_TYPES:
                size = C_TYPES[f["type"]][1]
                falign = size
            else:
                sub = next((x for x in recs if x["name"] == f["type"]), None)
                if not sub:
                    ctx.fail(q + ".type", f"{f['type']!r} is not {', '.join(C_TYPES)} or an earlier record")
                size, falign = sub["size"], sub["align"]
            offset = ctx.uint(f["offset"], q + ".offset", 16)
            if offset != at or offset % falign:
                ctx.fail(q + ".offset", f"{fname} is at {offset}, but packed records put it at {at} "
                                        f"(aligned to {falign}; no padding, no gaps)")
            at += size * count
            align = max(align, falign)
            fields.append({"name": fname, "type": f["type"], "offset": offset, "count": count, "count_c": count_c,
                           "description": ctx.text(f["description"], q + ".description")})
        unique(ctx, fields, "name", p + ".fields", "field")
        if at % align:
            ctx.fail(p, f"size {at} is not a multiple of the record's alignment {align} (C would pad it)")
        if ctx.uint(r["size"], p + ".size") != at:
            ctx.fail(p + ".size", f"declared {r['size']} bytes, the fields take {at}")
        recs.append({"name": name, "c_struct": r["c_struct"], "c_typedef": r.get("c_typedef"),
                     "cpp_name": r["cpp_name"], "size": at, "align": align,
                     "description": ctx.text(r["description"], p + ".description"), "fields": fields})
    unique(ctx, recs, "name", "records", "record")
    b["records"] = recs

    seqs = []
    for i, s in enumerate(ctx.lst(d.get("sequences", []), "sequences")):
        p = f"sequences[{i}]"
        ctx.obj(s, p, ("name", "header", "element", "description", "element_offset", "bytes"))
        names = {r["name"]: r for r in recs}
        for k in ("header", "element"):
            if s[k] not in names:
                ctx.fail(f"{p}.{k}", f"{s[k]!r} is not a record of {b['block']}")
        seqs.append({"header": names[s["header"]], "element": names[s["element"]],
                     "element_offset": ctx.name(s["element_offset"], p + ".element_offset"),
                     "bytes": ctx.name(s["bytes"], p + ".bytes"),
                     "description": ctx.text(s["description"], p + ".description")})
    b["sequences"] = seqs

    b["memory_map"] = None
    if "memory_map" in d:
        m = ctx.obj(d["memory_map"], "memory_map", ("regions", "irqs"))
        regions = []
        for i, r in enumerate(ctx.lst(m["regions"], "memory_map.regions")):
            p = f"memory_map.regions[{i}]"
            ctx.obj(r, p, ("name", "param", "base", "description"), ("size",))
            regions.append({"name": ctx.name(r["name"], p + ".name"), "param": ctx.name(r["param"], p + ".param", LOWER_RE),
                            "base": ctx.uint(r["base"], p + ".base"), "size": ctx.uint(r.get("size", 0), p + ".size"),
                            "description": ctx.text(r["description"], p + ".description")})
        unique(ctx, regions, "name", "memory_map.regions", "region")
        unique(ctx, regions, "base", "memory_map.regions", "base")
        spans = sorted(regions, key=lambda r: r["base"])
        for a, c in zip(spans, spans[1:]):
            if a["base"] + a["size"] > c["base"]:
                ctx.fail("memory_map.regions", f"{a['name']} overlaps {c['name']} at {c['base']:#010x}")
        irqs = []
        for i, q in enumerate(ctx.lst(m["irqs"], "memory_map.irqs")):
            p = f"memory_map.irqs[{i}]"
            ctx.obj(q, p, ("name", "source", "description"), ("param", "base"))
            src = ctx.uint(q["source"], p + ".source", 10)
            if src == 0:
                ctx.fail(p + ".source", "PLIC source 0 is reserved")
            irqs.append({"name": ctx.name(q["name"], p + ".name"), "param": q.get("param", ""),
                         "source": src, "base": bool(q.get("base", False)),
                         "description": ctx.text(q["description"], p + ".description")})
        unique(ctx, irqs, "name", "memory_map.irqs", "interrupt")
        unique(ctx, irqs, "source", "memory_map.irqs", "source")
        b["memory_map"] = {"regions": regions, "irqs": irqs}
    return b


def load(paths):
    blocks = [load_block(p) for p in sorted(paths)]
    for k in ("block", "c_header"):
        seen = {}
        for b in blocks:
            if b[k] in seen:
                raise DescriptionError(f"{b['origin']}: {k} {b[k]!r} is also {seen[b[k]]}'s")
            seen[b[k]] = b["origin"]
    # Every C name is global in the firmware: no two may collide, in one header or across headers.
    owner = {}
    for b in blocks:
        for name in c_names(b):
            if name in owner:
                raise DescriptionError(f"{b['origin']}: C name {name} is also defined by {owner[name]}")
            owner[name] = b["origin"]
    return blocks


# ---- names --------------------------------------------------------------------------------------------

def field_names(base, f):
    names = [f"{base}_{f['name']}_{s}" for s in ("SHIFT", "WIDTH", "MASK", "GET", "PUT")]
    if f["width"] == 1:
        names.append(f"{base}_{f['name']}")
    return names


def c_names(b):
    """Every C identifier a block's header defines (without the prefix when the prefix is added)."""
    P = b["prefix"]
    out = [f"{P}_{r['name']}" for r in b["registers"]]
    for r in b["registers"]:
        for f in r["fields"]:
            out += field_names(f"{P}_{r['name']}", f)
    out += [f"{P}_{c['name']}" for c in b["constants"]]
    for w in b["windows"]:
        out += [f"{P}_{w['name']}_OFFSET", f"{P}_{w['name']}_MAX_SIZE"]
    for e in b["enums"]:
        out += [f"{P}_{e['name']}_{v['name']}" for v in e["values"]]
    if b["commands"]:
        for o in b["commands"]["opcodes"]:
            out.append(f"{P}_OP_{o['name']}")
            for a in o["args"]:
                if a["fields"]:
                    out.append(f"{P}_{o['name']}_ARG{a['index']}")
                    for f in a["fields"]:
                        out += field_names(f"{P}_{o['name']}_ARG{a['index']}", f)
    if b["errors"]:
        out += [f"{P}_ERR_{c['name']}" for c in b["errors"]["codes"]]
    if b["ldpu_ops"]:
        out += [f"{P}_{b['ldpu_ops']['enum']}_{o['name']}" for o in b["ldpu_ops"]["ops"]]
    for s in b["sequences"]:
        out += [f"{P}_{s['element_offset']}", f"{P}_{s['bytes']}"]
    if b["memory_map"]:
        out += [f"{P}_{r['name']}_BASE" for r in b["memory_map"]["regions"]]
        out += [f"{P}_{r['name']}_SIZE" for r in b["memory_map"]["regions"] if r["size"]]
        out += [f"{P}_{q['name']}_IRQ" + ("_BASE" if q["base"] else "") for q in b["memory_map"]["irqs"]]
    return out


def hexu(v):
    return f"{v:#x}u"


def guard(header):
    return re.sub(r"[^A-Z0-9]", "_", header.upper())


def banner(b, lang):
    c = "//" if lang == "cpp" else "/*"
    end = "" if lang == "cpp" else " */"
    return f"{c} Generated by {GENERATOR} from models/interface/{b['origin']}: edit that file, not this one.{end}\n"


def c_comment(text, indent=""):
    lines = text.split("\n")
    return indent + "/*\n" + "".join(f"{indent} *{(' ' + l) if l else ''}\n" for l in lines) + indent + " */\n"


def cstr(s):
    return json.dumps(s, ensure_ascii=False)


# ---- C ------------------------------------------------------------------------------------------------

def c_fields(base, fields, out):
    for f in fields:
        n = f"{base}_{f['name']}"
        mask = ((1 << f["width"]) - 1) << f["lsb"]
        out.append(f"/* {n}: bits [{f['lsb'] + f['width'] - 1}:{f['lsb']}], {f['description']} */\n")
        out.append(f"#define {n}_SHIFT {f['lsb']}\n#define {n}_WIDTH {f['width']}\n#define {n}_MASK {hexu(mask)}\n")
        out.append(f"#define {n}_GET(v) (((uint32_t)(v) & {n}_MASK) >> {n}_SHIFT)\n")
        out.append(f"#define {n}_PUT(x) ((uint32_t)(x) << {n}_SHIFT) /* x must fit the field */\n")
        if f["width"] == 1:
            out.append(f"#define {n} {hexu(mask)}\n")


def c_enum(items, out):
    """items: (name, value, comment); an enum of int constants as the firmware always had them."""
    out.append("enum {\n")
    for name, value, comment in items:
        out.append(f"  {name} = {value:#x}," + (f" /* {comment} */" if comment else "") + "\n")
    out.append("};\n")


def gen_c(b):
    P, out = b["prefix"], []
    g = guard(b["c_header"])
    out.append(banner(b, "c") + c_comment(b["comment"]))
    out.append(f"#ifndef {g}\n#define {g}\n\n#include <stddef.h>\n#include <stdint.h>\n")
    if b["registers"]:
        out.append('#include "aimc/regs/regmap.h"\n')
    if b["registers"]:
        out.append(f"\n/* Registers: byte offsets in the block (width, count, access, reset). */\n")
        c_enum([(f"{P}_{r['name']}", r["offset"],
                 f"{r['width'] * 8}-bit{' x ' + str(r['count']) if r['count'] > 1 else ''} {r['access']}, "
                 f"reset {r['reset']:#x}: {r['description']}") for r in b["registers"]], out)
        for r in b["registers"]:
            if r["fields"]:
                out.append(f"\n/* {r['name']} fields */\n")
                c_fields(f"{P}_{r['name']}", r["fields"], out)
    if b["constants"]:
        out.append("\n")
        for c in b["constants"]:
            v = hexu(c["value"]) if c["kind"] == "unsigned" else str(c["value"])
            out.append(f"#define {P}_{c['name']} {v} /* {c['description']} */\n")
    if b["windows"]:
        out.append("\n/* Window layout: offsets from the block's base, and the room each region has. */\n")
        for w in b["windows"]:
            size = f"; its size: {w['size_register']}" if w["size_register"] else ""
            out.append(f"#define {P}_{w['name']}_OFFSET {hexu(w['offset'])} /* {w['description']}{size} */\n")
            out.append(f"#define {P}_{w['name']}_MAX_SIZE {hexu(w['max_size'])}\n")
    for e in b["enums"]:
        out.append(f"\n/* {e['description']} */\n")
        if e["kind"] == "enum":
            c_enum([(f"{P}_{e['name']}_{v['name']}", v["value"], v["description"]) for v in e["values"]], out)
        else:
            for v in e["values"]:
                out.append(f"#define {P}_{e['name']}_{v['name']} {hexu(v['value'])} /* {v['description']} */\n")
    if b["commands"]:
        cmds = b["commands"]
        out.append(f"\n/* Opcodes for {cmds['push_register']}, with their {cmds['arg_register']} arguments. */\n")
        c_enum([(f"{P}_OP_{o['name']}", o["value"],
                 ", ".join(f"ARG{a['index']} {a['description']}" for a in o["args"]) or "no arguments")
                for o in cmds["opcodes"]], out)
        for o in cmds["opcodes"]:
            for a in o["args"]:
                if not a["fields"]:
                    continue
                base = f"{P}_{o['name']}_ARG{a['index']}"
                out.append(f"\n/* {o['name']} ARG{a['index']}: {a['description']} */\n")
                c_fields(base, a["fields"], out)
                params = [f["name"].lower() for f in a["fields"]]
                body = " | ".join(f"{base}_{f['name']}_PUT({f['name'].lower()})" for f in a["fields"])
                out.append(f"#define {base}({', '.join(params)}) ({body})\n")
    if b["errors"]:
        e = b["errors"]
        out.append(f"\n/* {e['register']} codes; {e['info_register']} holds the detail named. */\n")
        c_enum([(f"{P}_ERR_{c['name']}", c["value"],
                 c["meaning"] + (f"; {e['info_register']} = {c['info']}" if c["info"] else "")) for c in e["codes"]], out)
    if b["ldpu_ops"]:
        lo = b["ldpu_ops"]
        out.append(f"\n/* {lo['description']} */\n")
        c_enum([(f"{P}_{lo['enum']}_{o['name']}", o["value"], o["description"]) for o in lo["ops"]], out)
    for r in b["records"]:
        out.append(f"\n/* {r['description']}: {r['size']} bytes, little-endian, no padding. */\n")
        out.append(f"{'typedef ' if r['c_typedef'] else ''}struct {r['c_struct']} {{\n")
        for f in r["fields"]:
            if f["type"] in C_TYPES:
                t = C_TYPES[f["type"]][0]
            else:
                sub = next(x for x in b["records"] if x["name"] == f["type"])
                t = sub["c_typedef"] or f"struct {sub['c_struct']}"
            arr = ""
            if f["count"] != 1 or f["count_c"]:
                arr = f"[{P}_{f['count_c']}]" if f["count_c"] else f"[{f['count']}]"
            out.append(f"  {t} {f['name']}{arr}; /* @{f['offset']}: {f['description']} */\n")
        out.append(f"}}{' ' + r['c_typedef'] if r['c_typedef'] else ''};\n")
    if b["records"]:
        out.append("\n#ifdef __cplusplus\n#define AIMC_IFACE_STATIC_ASSERT(c, m) static_assert(c, m)\n#else\n"
                   "#define AIMC_IFACE_STATIC_ASSERT(c, m) _Static_assert(c, m)\n#endif\n")
        for r in b["records"]:
            t = r["c_typedef"] or f"struct {r['c_struct']}"
            out.append(f"AIMC_IFACE_STATIC_ASSERT(sizeof({t}) == {r['size']}, \"{r['c_struct']} is {r['size']} bytes\");\n")
            for f in r["fields"]:
                out.append(f"AIMC_IFACE_STATIC_ASSERT(offsetof({t}, {f['name']}) == {f['offset']}, "
                           f"\"{r['c_struct']}.{f['name']} at {f['offset']}\");\n")
        out.append("#undef AIMC_IFACE_STATIC_ASSERT\n")
    for s in b["sequences"]:
        h = s["header"]["c_typedef"] or f"struct {s['header']['c_struct']}"
        e = s["element"]["c_typedef"] or f"struct {s['element']['c_struct']}"
        out.append(f"\n/* {s['description']}: byte offset of element i from the start, and bytes of n elements. */\n")
        out.append(f"#define {P}_{s['element_offset']}(i) (sizeof({h}) + (i) * sizeof({e}))\n")
        out.append(f"#define {P}_{s['bytes']}(n) {P}_{s['element_offset']}(n)\n")
    if b["memory_map"]:
        m = b["memory_map"]
        out.append("\n/* Base addresses on the host bus */\n")
        for r in m["regions"]:
            out.append(f"#define {P}_{r['name']}_BASE {r['base']:#010x}u /* {r['description']} */\n")
            if r["size"]:
                out.append(f"#define {P}_{r['name']}_SIZE {hexu(r['size'])} /* bytes of bus address space */\n")
        out.append("\n/* PLIC sources */\n")
        for q in m["irqs"]:
            out.append(f"#define {P}_{q['name']}_IRQ{'_BASE' if q['base'] else ''} {q['source']} /* {q['description']} */\n")
    out.append(f"\n#endif /* {g} */\n")
    return "".join(out)


REGMAP_H = """/* Generated by {gen}: the helpers every register header includes. */
/*
 * Register maps, written once: models/interface/<block>.json describes each block's registers, bit
 * fields, commands, error codes and memory records; the build generates the firmware's headers
 * (these), the models' C++ tables and the docs' tables from it (docs/interface.md).
 */
#ifndef AIMC_REGS_REGMAP_H
#define AIMC_REGS_REGMAP_H

#include <stdint.h>

/* 32-bit and 8-bit MMIO accessors for firmware. */
#define AIMC_MMIO32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define AIMC_MMIO8(addr) (*(volatile uint8_t *)(uintptr_t)(addr))

#endif
"""


# ---- C++ ----------------------------------------------------------------------------------------------

def cpp_header(b):
    out = [banner(b, "cpp"), "".join(f"// {l}\n" if l else "//\n" for l in b["comment"].split("\n"))]
    out.append("#pragma once\n\n#include <cstddef>\n#include <cstdint>\n\n#include \"interface/interface_types.h\"\n\n")
    out.append(f"namespace aimc::iface::{b['block']} {{\n\n")
    out.append(f"inline constexpr const char* kName = {cstr(b['block'])};\n")
    out.append(f"inline constexpr const char* kTitle = {cstr(b['title'])};\n")
    out.append(f"inline constexpr const char* kCHeader = {cstr(b['c_header'])};\n")
    rows = {}
    u32 = "inline constexpr uint32_t"

    def field_consts(base, fields):
        for f in fields:
            out.append(f"inline constexpr Field {base}_{f['name']}{{{f['lsb']}, {f['width']}}};  // {f['description']}\n")

    if b["registers"]:
        out.append("\n// Registers: byte offsets in the block.\n")
        for r in b["registers"]:
            out.append(f"{u32} {r['name']} = {r['offset']:#x};\n")
        for r in b["registers"]:
            field_consts(r["name"], r["fields"])
        acc = {"RW": "Access::RW", "RO": "Access::RO", "WO": "Access::WO"}
        rows["registers"] = ("RegisterRow", [
            f"{{{cstr(r['name'])}, {r['offset']:#x}, {r['width']}, {r['count']}, {acc[r['access']]}, {r['reset']:#x}, "
            f"{cstr(r['description'])}}}" for r in b["registers"]])
        fr = [f"{{{cstr(r['name'])}, {cstr(f['name'])}, {{{f['lsb']}, {f['width']}}}, {cstr(f['description'])}}}"
              for r in b["registers"] for f in r["fields"]]
        if fr:
            rows["fields"] = ("FieldRow", fr)
    if b["constants"]:
        out.append("\n")
        for c in b["constants"]:
            out.append(f"{u32} {c['name']} = {c['value']:#x};  // {c['description']}\n")
        rows["constants"] = ("ConstantRow", [f"{{{cstr(c['name'])}, {c['value']:#x}, {cstr(c['description'])}}}"
                                             for c in b["constants"]])
    if b["windows"]:
        out.append("\n// Window regions: offset and room.\n")
        for w in b["windows"]:
            out.append(f"{u32} {w['name']}_OFFSET = {w['offset']:#x};\n{u32} {w['name']}_MAX_SIZE = {w['max_size']:#x};\n")
        rows["windows"] = ("WindowRow", [
            f"{{{cstr(w['name'])}, {w['offset']:#x}, {w['max_size']:#x}, {cstr(w['size_register'])}, {cstr(w['description'])}}}"
            for w in b["windows"]])
    er = []
    for e in b["enums"]:
        out.append(f"\n// {e['description']}\n")
        for v in e["values"]:
            out.append(f"{u32} {e['name']}_{v['name']} = {v['value']:#x};\n")
            er.append(f"{{{cstr(e['name'])}, {cstr(v['name'])}, {v['value']:#x}, {v['bytes']}, {cstr(v['description'])}}}")
    if er:
        rows["enums"] = ("EnumRow", er)
    if b["commands"]:
        out.append("\n// Opcodes, and the fields of packed arguments.\n")
        ar = []
        for o in b["commands"]["opcodes"]:
            out.append(f"{u32} OP_{o['name']} = {o['value']};\n")
        for o in b["commands"]["opcodes"]:
            for a in o["args"]:
                field_consts(f"{o['name']}_ARG{a['index']}", a["fields"])
                ar.append(f"{{{o['value']}, {a['index']}, {cstr(a['name'])}, {{0, 32}}, {cstr(a['description'])}}}")
                for f in a["fields"]:
                    ar.append(f"{{{o['value']}, {a['index']}, {cstr(f['name'].lower())}, {{{f['lsb']}, {f['width']}}}, "
                              f"{cstr(f['description'])}}}")
        n_args = next(r["count"] for r in b["registers"] if r["name"] == b["commands"]["arg_register"])
        for o in b["commands"]["opcodes"]:
            if not o["args"]:
                continue
            # The arguments by name, decoded from the argument registers (packed ones split into fields).
            sname = camel(o["name"].lower()) + "Args"
            members, inits = [], []
            for a in sorted(o["args"], key=lambda a: a["index"]):
                if a["fields"]:
                    for f in a["fields"]:
                        m = f["name"].lower()
                        members.append(f"    uint32_t {m};  // ARG{a['index']}{f['name'] and ' ' + describe_bits(f)}: {f['description']}\n")
                        inits.append(f"{m}({o['name']}_ARG{a['index']}_{f['name']}.get(arg[{a['index']}]))")
                else:
                    members.append(f"    uint32_t {a['name']};  // ARG{a['index']}: {a['description']}\n")
                    inits.append(f"{a['name']}(arg[{a['index']}])")
            out.append(f"\n// {o['name']}: its arguments by name, from the {n_args} argument registers.\nstruct {sname} {{\n")
            out.extend(members)
            out.append(f"    explicit constexpr {sname}(const uint32_t* arg)\n        : " + ", ".join(inits) + " {}\n};\n")
        rows["commands"] = ("CommandRow", [
            f"{{{o['value']}, {cstr(o['name'])}, {o['state_value']}, {cstr(o['state_note'])}, {cstr(o['description'])}}}"
            for o in b["commands"]["opcodes"]])
        if ar:
            rows["command_args"] = ("ArgRow", ar)
    if b["errors"]:
        out.append(f"\n// {b['errors']['register']} codes\n")
        for c in b["errors"]["codes"]:
            out.append(f"{u32} ERR_{c['name']} = {c['value']};\n")
        rows["errors"] = ("ErrorRow", [
            f"{{{c['value']}, {cstr(c['name'])}, {cstr(c['meaning'])}, {cstr(c['when'])}, {cstr(c['info'])}}}"
            for c in b["errors"]["codes"]])
    if b["ldpu_ops"]:
        lo = b["ldpu_ops"]
        out.append(f"\n// {lo['description']}\n")
        for o in lo["ops"]:
            out.append(f"{u32} {lo['enum']}_{o['name']} = {o['value']};\n")
        rows["ldpu_ops"] = ("LdpuOpRow", [
            f"{{{o['value']}, {cstr(o['name'])}, {cstr(o['label'])}, {o['min']}, {o['max']}, {o['flags']:#x}, "
            f"{cstr(o['description'])}}}" for o in lo["ops"]])
    for r in b["records"]:
        out.append(f"\n// {r['description']}: {r['size']} bytes, little-endian, no padding.\nstruct {r['cpp_name']} {{\n")
        for f in r["fields"]:
            t = C_TYPES[f["type"]][0] if f["type"] in C_TYPES else next(
                x["cpp_name"] for x in b["records"] if x["name"] == f["type"])
            arr = f"[{f['count_c']}]" if f["count_c"] else (f"[{f['count']}]" if f["count"] != 1 else "")
            out.append(f"    {t} {f['name']}{arr};  // {f['description']}\n")
        out.append("};\n")
        out.append(f"static_assert(sizeof({r['cpp_name']}) == {r['size']}, \"{r['name']} record size\");\n")
        for f in r["fields"]:
            out.append(f"static_assert(offsetof({r['cpp_name']}, {f['name']}) == {f['offset']}, \"{r['name']}.{f['name']}\");\n")
    if b["records"]:
        rows["records"] = ("RecordRow", [
            f"{{{cstr(r['name'])}, {cstr(r['c_typedef'] or 'struct ' + r['c_struct'])}, {r['size']}, {cstr(r['description'])}}}"
            for r in b["records"]])
        rows["record_fields"] = ("RecordFieldRow", [
            f"{{{cstr(r['name'])}, {cstr(f['name'])}, {cstr(f['type'])}, {f['offset']}, {f['count']}, {cstr(f['description'])}}}"
            for r in b["records"] for f in r["fields"]])
    for s in b["sequences"]:
        h, e = s["header"]["cpp_name"], s["element"]["cpp_name"]
        out.append(f"\n// {s['description']}\n")
        out.append(f"constexpr size_t {s['element_offset']}(size_t i) {{ return sizeof({h}) + i * sizeof({e}); }}\n")
        out.append(f"constexpr size_t {s['bytes']}(size_t n) {{ return {s['element_offset']}(n); }}\n")
    if b["memory_map"]:
        m = b["memory_map"]
        out.append("\n// Base addresses on the host bus, and PLIC sources.\n")
        for r in m["regions"]:
            out.append(f"{u32} {r['name']}_BASE = {r['base']:#010x};\n")
            if r["size"]:
                out.append(f"{u32} {r['name']}_SIZE = {r['size']:#x};\n")
        for q in m["irqs"]:
            out.append(f"{u32} {q['name']}_IRQ{'_BASE' if q['base'] else ''} = {q['source']};\n")
        rows["regions"] = ("MemoryRegionRow", [
            f"{{{cstr(r['name'])}, {cstr(r['param'])}, {r['base']:#010x}, {r['size']:#x}, {cstr(r['description'])}}}"
            for r in m["regions"]])
        rows["irqs"] = ("IrqRow", [
            f"{{{cstr(q['name'])}, {cstr(q['param'])}, {q['source']}, {'true' if q['base'] else 'false'}, "
            f"{cstr(q['description'])}}}" for q in m["irqs"]])
    out.append("\n// Tables\n")
    for key, (typ, items) in rows.items():
        out.append(f"inline constexpr {typ} k{camel(key)}[] = {{\n" + "".join(f"    {i},\n" for i in items) + "};\n")
    out.append(f"\n}}  // namespace aimc::iface::{b['block']}\n")
    return "".join(out), rows


TABLE_KEYS = ["registers", "fields", "constants", "windows", "enums", "commands", "command_args", "errors", "records",
              "record_fields", "ldpu_ops", "regions", "irqs"]


def describe_bits(f):
    return f"[{f['lsb'] + f['width'] - 1}:{f['lsb']}]"


def camel(key):
    return "".join(p.capitalize() for p in key.split("_"))


def cpp_blocks(blocks, rows_of):
    out = [f"// Generated by {GENERATOR} from models/interface/*.json: every block of the interface.\n",
           "#pragma once\n\n#include \"interface/interface_types.h\"\n"]
    for b in blocks:
        out.append(f"#include \"interface/{b['block']}.h\"\n")
    out.append("\nnamespace aimc::iface {\n\ninline constexpr BlockRow kBlocks[] = {\n")
    for b in blocks:
        ns, rows = b["block"], rows_of[b["block"]]
        tabs = ", ".join(f"table({ns}::k{camel(k)})" if k in rows else "{}" for k in TABLE_KEYS)
        out.append(f"    {{{ns}::kName, {ns}::kTitle, {ns}::kCHeader, {tabs}}},\n")
    out.append("};\n\n}  // namespace aimc::iface\n")
    return "".join(out)


# ---- main ---------------------------------------------------------------------------------------------

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            old = fh.read()
    if old != text:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        os.utime(path)  # so build tools see the output as newer than its inputs


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--c-out", help="directory for the firmware's C headers")
    ap.add_argument("--cpp-out", help="directory for the models' C++ headers")
    ap.add_argument("--list", action="store_true", help="print the files that would be written, one a line")
    ap.add_argument("json", nargs="+")
    args = ap.parse_args(argv)
    try:
        blocks = load(args.json)
    except (DescriptionError, OSError) as e:
        print(f"gen_interface: {e}", file=sys.stderr)
        return 1
    files = {}
    if args.c_out:
        files[os.path.join(args.c_out, "aimc/regs/regmap.h")] = REGMAP_H.format(gen=GENERATOR)
        for b in blocks:
            files[os.path.join(args.c_out, b["c_header"])] = gen_c(b)
    if args.cpp_out:
        rows_of = {}
        for b in blocks:
            text, rows_of[b["block"]] = cpp_header(b)
            files[os.path.join(args.cpp_out, "interface", b["block"] + ".h")] = text
        files[os.path.join(args.cpp_out, "interface", "blocks.h")] = cpp_blocks(blocks, rows_of)
    for path, text in files.items():
        if args.list:
            print(path)
        else:
            write(path, text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
