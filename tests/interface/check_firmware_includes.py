#!/usr/bin/env python3
"""Firmware reaches the hardware only through the generated interface headers.

    check_firmware_includes.py SW_DIR GENERATED_C_DIR

Every quoted #include of the firmware sources (sw/hal, sw/runtime, sw/apps, sw/tests) must name a
file next to the source, in sw/hal/include or sw/runtime/include, or a generated interface header;
no ".." and nothing of models/ (the cross build's include path has only these, but a relative path
would get around it). Exit status 1 lists every offending line.
"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def main(sw, generated):
    roots = [os.path.join(sw, "hal", "include"), os.path.join(sw, "runtime", "include"), generated]
    bad = []
    for part in ("hal", "runtime", "apps", "tests"):
        for dirpath, _, files in os.walk(os.path.join(sw, part)):
            for name in sorted(files):
                if not name.endswith((".c", ".h", ".S")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as fh:
                    for n, line in enumerate(fh, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        inc = m.group(1)
                        where = f"{os.path.relpath(path, sw)}:{n}: #include \"{inc}\""
                        if ".." in inc.split("/"):
                            bad.append(f"{where}: a relative path out of its directory")
                        elif not any(os.path.isfile(os.path.join(r, inc)) for r in [dirpath] + roots):
                            bad.append(f"{where}: neither beside it, in sw/hal/include, sw/runtime/include, nor generated")
    for b in bad:
        print(b)
    if not bad:
        print("firmware includes: hardware only through the generated interface")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
