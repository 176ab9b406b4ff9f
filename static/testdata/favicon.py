# Draws static/favicon.ico: a 32x32 PNG (the default accent colour #1f5fbf
# as a rounded square, a white U-turn arrow) in an ICO container. Run from
# the repository root: python3 static/testdata/favicon.py
import struct, zlib

W = H = 32
accent = (0x1F, 0x5F, 0xBF, 255)
white = (255, 255, 255, 255)
px = [[(0, 0, 0, 0)] * W for _ in range(H)]


def inside_round(x, y, r=6):
    cx = min(max(x, r), W - 1 - r)
    cy = min(max(y, r), H - 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


for y in range(H):
    for x in range(W):
        if inside_round(x, y):
            px[y][x] = accent
for x in range(9, 23):
    for y in range(11, 14):
        px[y][x] = white  # top bar
for y in range(11, 22):
    for x in range(20, 23):
        px[y][x] = white  # right stem
for x in range(12, 23):
    for y in range(19, 22):
        px[y][x] = white  # bottom bar
for i in range(1, 6):  # the arrow's head, left of the top bar
    for y in range(12 - i, 13 + i + 1):
        if 0 <= y < H:
            px[y][7 + i] = white

raw = b"".join(b"\x00" + b"".join(bytes(p) for p in row) for row in px)


def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)


png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 6, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
ico = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 32, 32, 0, 0, 1, 32, len(png), 6 + 16) + png
open("static/favicon.ico", "wb").write(ico)
