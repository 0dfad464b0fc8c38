"""The share card (Open Graph image, 1200×630 PNG) that a shared link shows, drawn by the build:
no image library, no outside service, the same bytes on every build.

It carries no text: writing text into an image would need a font rasteriser the project does
not have. The card's title and description are the page's own (og:title, og:description, in
the edition's language); the image is the site's mark: a white heart on the header's red, above
three dots for the three pillars. Shapes are spans per row (circles and a square turned 45°
make the heart), with their edges smoothed by coverage.
"""

from __future__ import annotations

import math
import struct
import zlib

WIDTH, HEIGHT = 1200, 630
TOP, BOTTOM = (0xA3, 0x15, 0x15), (0x7A, 0x0D, 0x0D)  # the header's red (qinqing.css)
WHITE = (0xFF, 0xFF, 0xFF)


def _circle(cx: float, cy: float, r: float):
    def span(y: float) -> tuple[float, float] | None:
        dy = y - cy
        if abs(dy) >= r:
            return None
        half = math.sqrt(r * r - dy * dy)
        return cx - half, cx + half
    return span


def _diamond(cx: float, cy: float, r: float):
    def span(y: float) -> tuple[float, float] | None:
        half = r - abs(y - cy)
        return (cx - half, cx + half) if half > 0 else None
    return span


def _shapes() -> list:
    # A heart: a square turned 45° (its half-diagonal r), with a circle on each upper side
    # (centred on the side's middle, the side's length across).
    cx, cy, r = WIDTH / 2, 262, 150
    heart = [_diamond(cx, cy, r), _circle(cx - r / 2, cy - r / 2, r / math.sqrt(2)),
             _circle(cx + r / 2, cy - r / 2, r / math.sqrt(2))]
    dots = [_circle(cx + dx, 505, 22) for dx in (-90, 0, 90)]
    return heart + dots


def _row(y: int, shapes: list) -> bytes:
    t = y / (HEIGHT - 1)
    base = bytes(round(a + (b - a) * t) for a, b in zip(TOP, BOTTOM))
    out = bytearray(base * WIDTH)
    edges: dict[int, float] = {}  # partly covered pixels: their largest coverage
    for shape in shapes:
        found = shape(y + 0.5)
        if found is None:
            continue
        a, b = max(0.0, found[0]), min(float(WIDTH), found[1])
        if b - a < 1:
            continue
        inner_a, inner_b = math.ceil(a), math.floor(b)
        out[3 * inner_a:3 * inner_b] = bytes(WHITE) * (inner_b - inner_a)
        for x, cover in ((inner_a - 1, inner_a - a), (inner_b, b - inner_b)):
            if 0 <= x < WIDTH and cover > 0:
                edges[x] = max(edges.get(x, 0.0), cover)
    for x, cover in edges.items():
        if out[3 * x:3 * x + 3] != bytes(WHITE):
            out[3 * x:3 * x + 3] = bytes(round(p + (w - p) * cover) for p, w in zip(base, WHITE))
    return b"\x00" + bytes(out)  # filter type: none


def png() -> bytes:
    """The card as PNG bytes (8-bit RGB)."""
    shapes = _shapes()
    raw = b"".join(_row(y, shapes) for y in range(HEIGHT))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
