#!/usr/bin/env python3
"""Generates the chip's programming interface from its one description (models/interface/*.json).

    gen_interface.py [--c-out DIR] [--cpp-out DIR] [--list] BLOCK.json...

--c-out writes the firmware's C headers (aimc/regs/<block>.h, aimc/tile_ldpu.h, aimc/platform.h, ...,
with the C names the firmware has always used); --cpp-out writes the models' C++ headers
(interface/<block>.h: constexpr constants and tables, interface/blocks.h: every block). Without an
output it only checks the description (--list prints the files it would write). Every mistake in a
description is reported with its file and the path of the bad entry, and nothing is written.
interface_description.py reads and checks the description; emit_c.py and emit_cpp.py write the headers.

Standard library only: the build runs it with the system's python3.
"""

import argparse
import os
import sys

from emit_c import REGMAP_H, gen_c
from emit_cpp import cpp_blocks, cpp_header
from interface_description import GENERATOR, DescriptionError, load

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            old = fh.read()
    if old != text:  # an unchanged header keeps its time, so nothing that includes it is rebuilt
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--c-out", help="directory for the firmware's C headers")
    ap.add_argument("--cpp-out", help="directory for the models' C++ headers")
    ap.add_argument("--list", action="store_true", help="print the files that would be written, one a line")
    ap.add_argument("--stamp", help="file to touch after a successful run (the build's record of it)")
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
    if args.stamp and not args.list:
        os.makedirs(os.path.dirname(os.path.abspath(args.stamp)), exist_ok=True)
        with open(args.stamp, "w", encoding="utf-8") as fh:
            fh.write("generated\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
