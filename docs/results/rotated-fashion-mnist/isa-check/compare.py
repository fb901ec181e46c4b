"""Compares the files written by isa-check under two oneDNN ISA caps: max |a - b| / max |a| per model."""
import struct, sys
import numpy as np

def read(path):
    out, data, i = {}, open(path, "rb").read(), 0
    while i < len(data):
        n = data[i]; i += 1
        name = data[i:i + n].decode(); i += n
        count = struct.unpack("<i", data[i:i + 4])[0]; i += 4
        out[name] = np.frombuffer(data[i:i + 8 * count], dtype="<f8"); i += 8 * count
    return out

reference, other = read(sys.argv[1]), read(sys.argv[2])
for name, a in reference.items():
    b = other[name]
    print(f"{name}: max relative difference {np.abs(a - b).max() / np.abs(a).max():.2e}, NaN: {bool(np.isnan(b).any())}")
