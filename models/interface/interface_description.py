"""The interface description: reads models/interface/<block>.json and checks it (gen_interface.py).

Every mistake is a DescriptionError naming the file and the path of the bad entry.
"""

import json
import os
import re

from interface_walk import arg_base, field_sets, memory_map, packed_args

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
    names = [f"{base}_{f['name']}_{s}" for s in ("SHIFT", "WIDTH", "MASK", "MAX", "GET", "PUT")]
    if f["width"] == 1:
        names.append(f"{base}_{f['name']}")
    return names


def c_names(b):
    """Every C identifier a block's header defines (without the prefix when the prefix is added)."""
    P = b["prefix"]
    out = [f"{P}_{r['name']}" for r in b["registers"]]
    out += [f"{P}_{r['name']}_COUNT" for r in b["registers"] if r["count"] > 1]
    for base, fields in field_sets(b):
        for f in fields:
            out += field_names(f"{P}_{base}", f)
    out += [f"{P}_{arg_base(o, a)}" for o, a in packed_args(b)]
    out += [f"{P}_{c['name']}" for c in b["constants"]]
    for w in b["windows"]:
        out += [f"{P}_{w['name']}_OFFSET", f"{P}_{w['name']}_MAX_SIZE"]
    for e in b["enums"]:
        out += [f"{P}_{e['name']}_{v['name']}" for v in e["values"]]
    if b["commands"]:
        out += [f"{P}_OP_{o['name']}" for o in b["commands"]["opcodes"]]
    if b["errors"]:
        out += [f"{P}_ERR_{c['name']}" for c in b["errors"]["codes"]]
    if b["ldpu_ops"]:
        out += [f"{P}_{b['ldpu_ops']['enum']}_{o['name']}" for o in b["ldpu_ops"]["ops"]]
    for s in b["sequences"]:
        out += [f"{P}_{s['element_offset']}", f"{P}_{s['bytes']}"]
    regions, irqs = memory_map(b)
    out += [f"{P}_{name}" for name, _, _ in regions + irqs]
    return out
