# Draws the posdoctor app icons (a POS terminal with a check mark on the
# screen) as PNGs, with only zlib and struct. Full-bleed background so the
# same file works as a maskable icon (the glyph stays in the safe zone).
import struct, zlib, sys, math

BG = (0x0b, 0x57, 0xd0)
WHITE = (255, 255, 255)
LCD = (0xc9, 0xd8, 0xb6)
OK = (0x14, 0x6c, 0x2e)

def rrect(x0, y0, x1, y1, r):
    def inside(x, y):
        if x < x0 or x > x1 or y < y0 or y > y1:
            return False
        cx = min(max(x, x0 + r), x1 - r)
        cy = min(max(y, y0 + r), y1 - r)
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    return inside

def seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))

def polyline(points, width):
    def inside(x, y):
        return any(seg_dist(x, y, *points[i], *points[i + 1]) <= width / 2 for i in range(len(points) - 1))
    return inside

# Shapes in a 64-unit box; the glyph is scaled into the maskable safe zone.
def shapes():
    s = [(rrect(17, 8, 47, 56, 5), WHITE), (rrect(21, 13, 43, 28, 2), LCD)]
    for row in range(3):
        for col in range(3):
            x, y = 22 + col * 7.5, 33 + row * 7
            s.append((rrect(x, y, x + 5, y + 4, 1), BG))
    s.append((polyline([(25, 21), (29, 25), (37, 17)], 3), OK))
    return s

def render(size, ss=4):
    glyph = shapes()
    scale = 0.8  # glyph box fills 80% of the icon, centred
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    u = ((px + (sx + 0.5) / ss) / size - 0.5) / scale * 64 + 32
                    v = ((py + (sy + 0.5) / ss) / size - 0.5) / scale * 64 + 32
                    color = BG
                    for inside, c in glyph:
                        if inside(u, v):
                            color = c
                    for i in range(3):
                        acc[i] += color[i]
            n = ss * ss
            row += bytes(round(a / n) for a in acc)
        rows.append(bytes(row))
    raw = b''.join(rows)
    def chunk(kind, data):
        c = kind + data
        return struct.pack('>I', len(data)) + c + struct.pack('>I', zlib.crc32(c) & 0xffffffff)
    ihdr = struct.pack('>IIBBBBB', size, size, 8, 2, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')

if __name__ == '__main__':
    out = sys.argv[1]
    for size in (192, 512):
        with open(f'{out}/icon-{size}.png', 'wb') as f:
            f.write(render(size, 4 if size <= 192 else 3))
