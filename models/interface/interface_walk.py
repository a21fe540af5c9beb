"""The parts of a checked block (interface_description.load) that every output walks alike: the
sets of bit fields and the packed command arguments, with the names their helpers are built on, and
the C spelling of a record's type. The C and C++ emitters and the check of the C names take them from
here, so the three list the same things under the same names."""


def packed_args(b):
    """(opcode, argument) for every command argument that packs several fields, in opcode order."""
    opcodes = b["commands"]["opcodes"] if b["commands"] else []
    return [(o, a) for o in opcodes for a in o["args"] if a["fields"]]


def arg_base(o, a):
    """The name a packed argument's helpers are built on: MVM_ARG1 (C: AIMC_TILE_MVM_ARG1_ROWS_GET)."""
    return f"{o['name']}_ARG{a['index']}"


def register_fields(b):
    """(register name, fields) for every register with bit fields."""
    return [(r["name"], r["fields"]) for r in b["registers"] if r["fields"]]


def field_sets(b):
    """(base, fields) for every register with bit fields, then every packed command argument."""
    return register_fields(b) + [(arg_base(o, a), a["fields"]) for o, a in packed_args(b)]


def bits(f):
    """A field's bit range as the docs and comments write it: [15:8]."""
    return f"[{f['lsb'] + f['width'] - 1}:{f['lsb']}]"


def c_type(record):
    """A record's C type: its typedef, or `struct <name>`."""
    return record["c_typedef"] or f"struct {record['c_struct']}"


def memory_map(b):
    """The memory map's named values as two lists of (name, value, description): the regions' bases
    (and sizes, where a region has one), and the PLIC sources. Both empty for a block without one."""
    m = b["memory_map"] or {"regions": [], "irqs": []}
    regions = []
    for r in m["regions"]:
        regions.append((f"{r['name']}_BASE", r["base"], r["description"]))
        if r["size"]:
            regions.append((f"{r['name']}_SIZE", r["size"], "bytes of bus address space"))
    irqs = [(f"{q['name']}_IRQ" + ("_BASE" if q["base"] else ""), q["source"], q["description"]) for q in m["irqs"]]
    return regions, irqs
