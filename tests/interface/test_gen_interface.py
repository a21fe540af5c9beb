"""The interface generator: bad descriptions are errors naming the file and the entry, and nothing is
written; good ones give the same output every time. Run: python3 -m unittest (from this directory)."""
import copy
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
IFACE = os.path.normpath(os.path.join(HERE, "..", "..", "models", "interface"))
GEN = os.path.join(IFACE, "gen_interface.py")
JSONS = sorted(os.path.join(IFACE, f) for f in os.listdir(IFACE) if f.endswith(".json"))


def load(name):
    with open(os.path.join(IFACE, name), encoding="utf-8") as fh:
        return json.load(fh)


class Generator(unittest.TestCase):
    def run_gen(self, files, *extra):
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run([sys.executable, "-B", GEN, "--c-out", os.path.join(out, "c"),
                                "--cpp-out", os.path.join(out, "cpp"), *extra, *files],
                               capture_output=True, text=True)
            written = []
            for root, _, names in os.walk(out):
                written += [os.path.relpath(os.path.join(root, n), out) for n in names]
            contents = {}
            for w in written:
                with open(os.path.join(out, w), encoding="utf-8") as fh:
                    contents[w] = fh.read()
            return r, contents

    def error_for(self, name, edit):
        """The generator's error for the real description `name` changed by edit(d)."""
        d = copy.deepcopy(load(name))
        edit(d)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, name)
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(d, fh)
            others = [j for j in JSONS if os.path.basename(j) != name]
            r, written = self.run_gen([path] + others)
        self.assertNotEqual(r.returncode, 0, "the bad description was accepted")
        self.assertEqual(written, {}, "nothing is written when the description is bad")
        return r.stderr

    def test_the_description_generates_the_same_files_every_time(self):
        r1, a = self.run_gen(JSONS)
        r2, b = self.run_gen(JSONS)
        self.assertEqual(r1.returncode, 0, r1.stderr)
        self.assertEqual(a, b)
        for f in ("c/aimc/regs/tile.h", "c/aimc/tile_ldpu.h", "c/aimc/platform.h", "cpp/interface/blocks.h"):
            self.assertIn(f, a)

    def test_overlapping_fields(self):
        def edit(d):
            d["registers"][8]["fields"][2]["lsb"] = 1  # STATUS.QUEUED onto STATUS.ERROR
        err = self.error_for("tile.json", edit)
        self.assertIn("tile.json", err)
        self.assertIn("registers[8] (STATUS).fields[2]", err)
        self.assertIn("overlaps field ERROR", err)

    def test_field_past_the_register_width(self):
        def edit(d):
            d["registers"][5]["fields"][0]["lsb"] = 7  # LCR.DLAB of a byte register, 2 bits wide
            d["registers"][5]["fields"][0]["width"] = 2
        self.assertIn("does not fit in 8 bits", self.error_for("uart16550.json", edit))

    def test_overlapping_registers(self):
        def edit(d):
            d["registers"][1]["offset"] = "0x0"
        self.assertIn("overlaps", self.error_for("syscon.json", edit))

    def test_duplicate_opcode(self):
        def edit(d):
            d["commands"]["opcodes"][1]["value"] = 1
        self.assertIn("opcode 1 repeats", self.error_for("tile.json", edit))

    def test_error_codes_need_their_texts(self):
        def edit(d):
            d["errors"]["codes"][3]["info"] = ""
        err = self.error_for("tile.json", edit)
        self.assertIn("errors.codes[3] (BAD_OFFSET).info", err)

    def test_unknown_keys(self):
        def edit(d):
            d["registers"][0]["acess"] = "RO"
        self.assertIn("unknown key(s) acess", self.error_for("clint.json", edit))

    def test_record_offsets_follow_the_packing(self):
        def edit(d):
            d["records"][2]["fields"][4]["offset"] = 5  # op.multiplier: an int16 at an odd offset
        err = self.error_for("ldpu.json", edit)
        self.assertIn("records[2] (op).fields[4].offset", err)
        self.assertIn("packed records put it at 4", err)

    def test_record_size_is_checked(self):
        def edit(d):
            d["records"][0]["size"] = 12
        self.assertIn("declared 12 bytes, the fields take 8", self.error_for("ldpu.json", edit))

    def test_reset_value_must_fit(self):
        def edit(d):
            d["registers"][2]["reset"] = "0x101"  # IIR_FCR is one byte
        self.assertIn("does not fit in 8 bits", self.error_for("uart16550.json", edit))

    def test_c_names_may_not_collide(self):
        def edit(d):
            d["constants"].append({"name": "OP_MVM", "value": 1, "description": "clashes with an opcode"})
        self.assertIn("C name AIMC_TILE_OP_MVM", self.error_for("tile.json", edit))

    def test_argument_index_exists(self):
        def edit(d):
            d["commands"]["opcodes"][0]["args"][0]["index"] = 8
        self.assertIn("ARG8 does not exist", self.error_for("tile.json", edit))


if __name__ == "__main__":
    unittest.main()
