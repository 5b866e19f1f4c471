#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed corpora are committed as text (tests/fuzz/corpus/<name>/): *.hex files hold hex digit
pairs (whitespace and '#' comments ignored), other files are taken as they are.

    hexcorpus.py decode SRC_DIR DST_DIR   every seed as the raw bytes libFuzzer reads
    hexcorpus.py encode FILE [OUT.hex]    a raw input (e.g. a crash reproducer) as hex text
"""
import os
import re
import sys


def decode_text(text):
    digits = re.sub(r"\s+", "", re.sub(r"#[^\n]*", "", text))
    if len(digits) % 2 or re.search(r"[^0-9a-fA-F]", digits):
        raise ValueError("not hex text")
    return bytes.fromhex(digits)


def decode(src, dst):
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        if name.endswith(".hex"):
            try:
                data = decode_text(data.decode())
            except ValueError as e:
                raise SystemExit(f"{path}: {e}")
            name = name[:-4]
        with open(os.path.join(dst, name), "wb") as f:
            f.write(data)


def encode(path, out=None):
    with open(path, "rb") as f:
        data = f.read()
    lines = [f"# {os.path.basename(path)}: {len(data)} bytes"]
    lines += [data[i:i + 16].hex(" ") for i in range(0, len(data), 16)]
    text = "\n".join(lines) + "\n"
    if out:
        with open(out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def main(argv):
    if len(argv) == 4 and argv[1] == "decode":
        decode(argv[2], argv[3])
    elif len(argv) in (3, 4) and argv[1] == "encode":
        encode(*argv[2:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
