"""The models' C++ headers (constants, structs and tables) from a checked description (gen_interface.py)."""

from emit_c import banner, cstr
from interface_description import C_TYPES, GENERATOR
from interface_walk import arg_base, bits, c_type, field_sets, memory_map



def cpp_header(b):
    out = [banner(b, "cpp"), "".join(f"// {l}\n" if l else "//\n" for l in b["comment"].split("\n"))]
    out.append("#pragma once\n\n#include <cstddef>\n#include <cstdint>\n\n#include \"interface/interface_types.h\"\n\n")
    out.append(f"namespace aimc::iface::{b['block']} {{\n\n")
    out.append(f"inline constexpr const char* kName = {cstr(b['block'])};\n")
    out.append(f"inline constexpr const char* kTitle = {cstr(b['title'])};\n")
    out.append(f"inline constexpr const char* kCHeader = {cstr(b['c_header'])};\n")
    rows = {}
    u32 = "inline constexpr uint32_t"

    if b["registers"]:
        out.append("\n// Registers: byte offsets in the block.\n")
        for r in b["registers"]:
            out.append(f"{u32} {r['name']} = {r['offset']:#x};\n")
        acc = {"RW": "Access::RW", "RO": "Access::RO", "WO": "Access::WO"}
        rows["registers"] = ("RegisterRow", [
            f"{{{cstr(r['name'])}, {r['offset']:#x}, {r['width']}, {r['count']}, {acc[r['access']]}, {r['reset']:#x}, "
            f"{cstr(r['description'])}}}" for r in b["registers"]])
        fr = [f"{{{cstr(r['name'])}, {cstr(f['name'])}, {{{f['lsb']}, {f['width']}}}, {cstr(f['description'])}}}"
              for r in b["registers"] for f in r["fields"]]
        if fr:
            rows["fields"] = ("FieldRow", fr)
    if field_sets(b):
        out.append("\n// Bit fields of the registers and of the packed command arguments.\n")
        for base, fields in field_sets(b):
            for f in fields:
                out.append(f"inline constexpr Field {base}_{f['name']}{{{f['lsb']}, {f['width']}}};  // {f['description']}\n")
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
        out.append("\n// Opcodes.\n")
        ar = []
        for o in b["commands"]["opcodes"]:
            out.append(f"{u32} OP_{o['name']} = {o['value']};\n")
        for o in b["commands"]["opcodes"]:
            for a in o["args"]:
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
                        members.append(f"    uint32_t {m};  // ARG{a['index']} {bits(f)}: {f['description']}\n")
                        inits.append(f"{m}({arg_base(o, a)}_{f['name']}.get(arg[{a['index']}]))")
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
            f"{{{cstr(r['name'])}, {cstr(c_type(r))}, {r['size']}, {cstr(r['description'])}}}"
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
        m, (regions, irqs) = b["memory_map"], memory_map(b)
        out.append("\n// Base addresses on the host bus, and PLIC sources.\n")
        out += [f"{u32} {name} = {v:#010x};\n" for name, v, _ in regions] + [f"{u32} {name} = {v};\n" for name, v, _ in irqs]
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
