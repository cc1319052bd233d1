"""Pictures for the demo catalog, drawn here with Pillow (nothing is downloaded): each demo
product is a simple still life of the thing itself on a table, in its first colour.

Shapes are drawn at twice the size and scaled down, which smooths their edges. Coordinates
are percentages of the picture's side, so a drawing reads like a sketch on squared paper.
"""

import io
import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

RGB = tuple[int, int, int]
Point = tuple[float, float]

SIZE = 1200  # the stored picture's side: the largest thumbnail is made from it
SCALE = 2
FLOOR = 80.0  # where the table's edge meets the wall

# The colours variants are named after, so a picture shows the product's first colour.
COLOURS: dict[str, RGB] = {
    "Black": (44, 46, 52),
    "Blue": (52, 96, 170),
    "Brown": (120, 82, 52),
    "Charcoal": (64, 66, 72),
    "Cream": (238, 228, 204),
    "Fog": (198, 204, 210),
    "Graphite": (78, 82, 90),
    "Indigo": (58, 70, 128),
    "Moss": (98, 122, 72),
    "Natural": (224, 212, 188),
    "Oat": (220, 206, 180),
    "Red": (196, 56, 48),
    "Rust": (172, 86, 52),
    "Sage": (152, 172, 142),
    "Sand": (216, 198, 162),
    "Silver": (200, 204, 210),
    "Slate": (96, 108, 122),
    "White": (244, 244, 240),
}

STEEL = (196, 200, 206)
DARK_STEEL = (120, 126, 134)
WOOD = (176, 124, 78)
WALNUT = (112, 74, 48)
OAK = (204, 160, 108)
BAMBOO = (214, 178, 120)
LEATHER = (138, 84, 50)
IRON = (50, 52, 56)
GLASS = (214, 230, 236)
BRASS = (204, 162, 72)
DENIM = (52, 82, 130)
RUBBER = (40, 42, 46)
FELT = (150, 150, 146)
WARM_LIGHT = (255, 236, 176)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Blend colour a toward b by t (0: a, 1: b)."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def lighter(colour: RGB, t: float = 0.25) -> RGB:
    return mix(colour, (255, 255, 255), t)


def darker(colour: RGB, t: float = 0.25) -> RGB:
    return mix(colour, (0, 0, 0), t)


class Sketch:
    """A still life: a wall, a table edge, soft shadows and shapes on a 0-100 grid."""

    def __init__(self, backdrop: RGB) -> None:
        self.px = SIZE * SCALE
        wall_top, wall_bottom = lighter(backdrop, 0.8), lighter(backdrop, 0.66)
        table_top, table_bottom = lighter(backdrop, 0.5), lighter(backdrop, 0.6)
        self.image = Image.new("RGB", (self.px, self.px))
        floor = self._y(FLOOR)
        self._gradient((0, 0, self.px, floor), wall_top, wall_bottom)
        self._gradient((0, floor, self.px, self.px), table_top, table_bottom)
        self.draw = ImageDraw.Draw(self.image)

    def _x(self, value: float) -> int:
        return round(value * self.px / 100)

    _y = _x

    def _points(self, points: Sequence[Point]) -> list[tuple[int, int]]:
        return [(self._x(x), self._y(y)) for x, y in points]

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        return [self._x(x0), self._y(y0), self._x(x1), self._y(y1)]

    def _gradient(self, box: tuple[int, int, int, int], top: RGB, bottom: RGB) -> None:
        width, height = box[2] - box[0], box[3] - box[1]
        column = Image.new("RGB", (1, height))
        column.putdata([mix(top, bottom, y / max(1, height - 1)) for y in range(height)])
        self.image.paste(column.resize((width, height), Image.Resampling.NEAREST), box[:2])

    def _soft(self, box: tuple[float, float, float, float], fill: int, blur: float, colour: RGB):
        """Paint `colour` through a blurred ellipse, only over the region it touches."""
        x0, y0, x1, y1 = box
        margin = blur * 3
        region = [
            max(0, self._x(x0 - margin)),
            max(0, self._y(y0 - margin)),
            min(self.px, self._x(x1 + margin)),
            min(self.px, self._y(y1 + margin)),
        ]
        width, height = region[2] - region[0], region[3] - region[1]
        shrink = 8  # blurred small, then scaled up: the same softness, far less work
        mask = Image.new("L", (max(1, width // shrink), max(1, height // shrink)), 0)
        ImageDraw.Draw(mask).ellipse(
            [
                (self._x(x0) - region[0]) / shrink,
                (self._y(y0) - region[1]) / shrink,
                (self._x(x1) - region[0]) / shrink,
                (self._y(y1) - region[1]) / shrink,
            ],
            fill=fill,
        )
        mask = mask.filter(ImageFilter.GaussianBlur(self._x(blur) / shrink))
        mask = mask.resize((width, height), Image.Resampling.BILINEAR)
        self.image.paste(colour, region, mask)

    def shadow(self, cx: float, cy: float, width: float, height: float, strength: int = 70):
        """A soft shadow on the table under an object centred at (cx, cy)."""
        box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
        self._soft(box, strength, 1.1, (40, 40, 48))

    def rect(self, x0, y0, x1, y1, fill: RGB, radius: float = 0, outline=None, width=0):
        self.draw.rounded_rectangle(
            self._box(x0, y0, x1, y1),
            radius=self._x(radius),
            fill=fill,
            outline=outline,
            width=self._x(width),
        )

    def ellipse(self, x0, y0, x1, y1, fill: RGB | None, outline=None, width: float = 0):
        self.draw.ellipse(
            self._box(x0, y0, x1, y1), fill=fill, outline=outline, width=self._x(width)
        )

    def circle(self, cx, cy, r, fill: RGB | None, outline=None, width: float = 0):
        self.ellipse(cx - r, cy - r, cx + r, cy + r, fill, outline, width)

    def poly(self, points: Sequence[Point], fill: RGB, outline=None, width: float = 0):
        self.draw.polygon(self._points(points), fill=fill, outline=outline, width=self._x(width))

    def line(self, points: Sequence[Point], fill: RGB, width: float, round_ends: bool = True):
        self.draw.line(self._points(points), fill=fill, width=self._x(width), joint="curve")
        if round_ends:
            for x, y in (points[0], points[-1]):
                self.circle(x, y, width / 2, fill)

    def arc(self, x0, y0, x1, y1, start: float, end: float, fill: RGB, width: float):
        self.draw.arc(self._box(x0, y0, x1, y1), start, end, fill=fill, width=self._x(width))

    def chord(self, x0, y0, x1, y1, start: float, end: float, fill: RGB):
        self.draw.chord(self._box(x0, y0, x1, y1), start, end, fill=fill)

    def pieslice(self, x0, y0, x1, y1, start: float, end: float, fill: RGB):
        self.draw.pieslice(self._box(x0, y0, x1, y1), start, end, fill=fill)

    def glow(self, cx: float, cy: float, r: float, colour: RGB = WARM_LIGHT, strength=150):
        """A soft light, as from a lamp or a flame."""
        self._soft((cx - r, cy - r, cx + r, cy + r), strength, r / 2.5, colour)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.image.reduce(SCALE).save(buffer, format="PNG")
        return buffer.getvalue()


Drawing = Callable[[Sketch, RGB], None]
DRAWINGS: dict[str, Drawing] = {}


def drawing(*names: str) -> Callable[[Drawing], Drawing]:
    def register(function: Drawing) -> Drawing:
        for name in names:
            DRAWINGS[name] = function
        return function

    return register


# --- Kitchen -------------------------------------------------------------------------------


@drawing("Aurora Espresso Machine")
def espresso_machine(s: Sketch, colour: RGB) -> None:
    body = STEEL
    s.shadow(50, 81, 62, 7)
    s.rect(22, 24, 78, 80, darker(body, 0.08), radius=4)  # body
    s.rect(22, 24, 78, 34, lighter(body, 0.3), radius=4)  # cup warmer on top
    s.rect(25, 18, 35, 24, (250, 250, 248), radius=1.5)  # cups warming
    s.rect(37, 19, 46, 24, (250, 250, 248), radius=1.5)
    s.rect(24, 38, 76, 52, darker(body, 0.2), radius=2)  # front panel
    s.circle(34, 45, 4.5, (250, 250, 250), outline=IRON, width=0.8)  # pressure gauge
    s.line([(34, 45), (36.5, 42.5)], IRON, 0.7)
    s.circle(60, 45, 2, (210, 60, 50))
    s.circle(67, 45, 2, IRON)
    s.rect(38, 52, 62, 57, IRON, radius=1.5)  # group head
    s.rect(44, 56, 56, 60, darker(body, 0.3), radius=1)  # portafilter
    s.line([(56, 58), (75, 61)], IRON, 3)  # handle
    s.rect(43, 65, 56, 75, (250, 250, 248), radius=2)  # cup
    s.arc(53, 67, 60, 73, 270, 90, (250, 250, 248), 1.4)
    s.rect(24, 75, 76, 79, darker(body, 0.35), radius=1)  # drip tray
    s.line([(70, 54), (72, 66)], DARK_STEEL, 1.6)  # steam wand


@drawing("Chef's Knife 8 inch")
def chefs_knife(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 74, 80, 6)
    blade = [(14, 64), (62, 50), (64, 58), (20, 70), (12, 68)]
    s.poly(blade, STEEL)
    s.poly([(14, 64), (62, 50), (62.5, 53), (16, 66)], lighter(STEEL, 0.5))  # edge light
    s.poly([(62, 48), (66, 47), (68, 59), (64, 60)], DARK_STEEL)  # bolster
    s.poly([(66, 48), (88, 42), (91, 46), (90, 50), (68, 58)], WALNUT)  # handle
    for x, y in ((72, 50.5), (79, 48.5), (85, 47)):
        s.circle(x, y, 1, BRASS)


@drawing("Cast Iron Skillet")
def skillet(s: Sketch, colour: RGB) -> None:
    s.shadow(42, 78, 62, 9)
    s.ellipse(12, 52, 72, 80, IRON)  # rim
    s.ellipse(16, 54, 68, 76, lighter(IRON, 0.12))  # cooking surface
    s.ellipse(22, 57, 52, 68, lighter(IRON, 0.2))  # sheen
    s.poly([(70, 62), (92, 56), (94, 60), (72, 68)], IRON)  # handle
    s.circle(90, 58.5, 1.6, lighter(IRON, 0.6))
    s.ellipse(6, 58, 14, 64, IRON)  # pour spout


@drawing("Pour-Over Coffee Set")
def pour_over(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 40, 6)
    s.poly([(36, 52), (64, 52), (70, 78), (30, 78)], GLASS)  # carafe
    s.ellipse(30, 75, 70, 81, GLASS)
    s.poly([(36, 64), (64, 64), (68.5, 78), (31.5, 78)], (110, 70, 44))  # coffee
    s.ellipse(31.5, 75, 68.5, 80.5, (98, 62, 40))
    s.rect(40, 46, 60, 53, lighter(GLASS, 0.4), radius=1)  # neck
    s.rect(38, 49, 62, 53, WOOD, radius=1)  # wooden collar
    s.poly([(30, 22), (70, 22), (58, 46), (42, 46)], (246, 244, 238))  # dripper
    s.ellipse(29, 19, 71, 26, (236, 232, 224))
    s.ellipse(33, 20.5, 67, 24.5, (160, 110, 70))  # grounds
    s.line([(46, 46), (45, 52)], (120, 80, 50), 1.2)  # drip


@drawing("Stoneware Dinner Plates")
def plates(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 70, 8)
    for i in range(4):
        y = 76 - i * 4
        s.ellipse(15, y - 5, 85, y + 5, darker(colour, 0.18))
        s.ellipse(15, y - 6, 85, y + 4, colour)
    s.ellipse(15, 52, 85, 74, colour)  # top plate, seen from above
    s.ellipse(25, 56, 75, 70, lighter(colour, 0.25))  # well
    s.ellipse(30, 57.5, 55, 63, lighter(colour, 0.45))  # glaze shine


@drawing("Linen Tea Towels")
def tea_towels(s: Sketch, colour: RGB) -> None:
    second = COLOURS["Charcoal"] if colour != COLOURS["Charcoal"] else COLOURS["Natural"]
    s.shadow(50, 80, 66, 7)
    s.rect(18, 64, 82, 79, second, radius=2)
    for x in (30, 58):
        s.rect(x, 64, x + 3, 79, lighter(second, 0.3))
    s.rect(20, 49, 80, 66, colour, radius=2)
    s.rect(20, 49, 80, 52, darker(colour, 0.06), radius=2)
    for x in (34, 62):
        s.rect(x, 49, x + 3, 66, darker(colour, 0.3))
    s.line([(46, 49), (46, 40), (52, 36), (56, 40), (56, 49)], darker(colour, 0.15), 1.2)  # loop


@drawing("Stand Mixer")
def stand_mixer(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 64, 7)
    s.rect(22, 74, 74, 80, colour, radius=3)  # base
    s.rect(58, 40, 72, 78, colour, radius=5)  # column
    s.rect(24, 26, 74, 42, colour, radius=8)  # head
    s.rect(24, 34, 74, 36, darker(colour, 0.15))  # trim band
    s.circle(30, 33, 3, darker(colour, 0.12))  # attachment hub
    s.line([(44, 42), (44, 54)], STEEL, 1.5)  # beater shaft
    s.poly([(30, 54), (58, 54), (54, 73), (34, 73)], STEEL)  # bowl
    s.ellipse(29, 51, 59, 57, lighter(STEEL, 0.3))
    s.line([(36, 57), (38, 70)], lighter(STEEL, 0.6), 1.2)  # bowl shine
    s.rect(66, 58, 70, 60, darker(colour, 0.25), radius=0.5)  # speed lever


@drawing("Bamboo Cutting Board")
def cutting_board(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 79, 78, 8)
    s.poly([(16, 66), (78, 58), (88, 72), (24, 82)], darker(BAMBOO, 0.2))  # edge
    s.poly([(16, 63), (78, 55), (88, 69), (24, 79)], BAMBOO)  # top
    for i in range(1, 6):  # end-grain blocks
        t = i / 6
        s.line([(16 + 8 * t, 63 + 16 * t), (78 + 10 * t, 55 + 14 * t)], darker(BAMBOO, 0.1), 0.4)
    s.poly([(20, 64.5), (77, 57.2), (84.5, 68.5), (26, 76)], BAMBOO, darker(BAMBOO, 0.25), 0.5)
    s.circle(30, 68, 2.5, darker(BAMBOO, 0.3))  # hanging hole


# --- Home ----------------------------------------------------------------------------------


def _folded_stack(s: Sketch, colours: Sequence[RGB], x0=18, x1=82, bottom=80, fold=9.0):
    """Folded textiles, stacked: each a rounded slab with a darker fold line."""
    y = bottom
    for colour in colours:
        s.rect(
            x0, y - fold, x1, y, colour, radius=fold / 2.4, outline=darker(colour, 0.2), width=0.3
        )
        s.line([(x0 + 3, y - fold / 2), (x1 - 3, y - fold / 2)], darker(colour, 0.12), 0.5)
        y -= fold - 0.5
    return y


@drawing("Merino Wool Throw")
def wool_throw(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 80, 70, 7)
    top = _folded_stack(s, [colour, colour, colour], fold=11)
    for x in range(20, 82, 3):  # fringe
        s.line([(x, top + 31.5), (x + 0.5, top + 35.5)], darker(colour, 0.1), 0.7)
    for y in (top + 2, top + 13, top + 24):  # herringbone hint
        for x in range(22, 78, 6):
            s.line([(x, y + 3), (x + 3, y + 6)], darker(colour, 0.08), 0.5)


@drawing("Linen Duvet Cover")
def duvet_cover(s: Sketch, colour: RGB) -> None:
    linen = COLOURS["Natural"]
    s.shadow(50, 80, 72, 7)
    top = _folded_stack(s, [darker(linen, 0.05), linen, lighter(linen, 0.2)], fold=12)
    for x in (32, 44, 56, 68):  # corozo buttons along the opening
        s.circle(x, top + 18, 1.3, darker(linen, 0.4))
    s.rect(30, top + 1.2, 70, top + 4, lighter(linen, 0.4), radius=1)


@drawing("Stoneware Table Lamp")
def table_lamp(s: Sketch, colour: RGB) -> None:
    glaze = (112, 140, 150)
    s.glow(50, 28, 30)
    s.shadow(50, 81, 40, 6)
    s.ellipse(34, 48, 66, 80, glaze)  # hand-thrown base
    s.ellipse(38, 52, 50, 66, lighter(glaze, 0.25))
    s.rect(43, 76, 57, 80, darker(glaze, 0.2), radius=1)
    s.rect(48, 38, 52, 49, BRASS)  # neck
    s.poly([(32, 16), (68, 16), (78, 40), (22, 40)], (246, 238, 220))  # linen shade
    s.poly([(32, 16), (40, 16), (34, 40), (22, 40)], (236, 226, 206))


@drawing("Soy Wax Candle")
def candle(s: Sketch, colour: RGB) -> None:
    amber = (176, 104, 40)
    s.glow(50, 34, 16, strength=170)
    s.shadow(50, 81, 42, 6)
    s.rect(31, 44, 69, 80, amber, radius=5)  # jar
    s.rect(34, 44, 40, 78, lighter(amber, 0.3), radius=3)  # glass shine
    s.rect(33, 56, 67, 70, (246, 240, 228), radius=1)  # label
    s.line([(40, 63), (60, 63)], darker(amber, 0.2), 0.8)
    s.ellipse(32, 41, 68, 47, (240, 226, 200))  # wax
    s.line([(50, 44), (50, 38)], IRON, 0.8)  # wick
    s.poly([(50, 26), (53, 34), (50, 38.5), (47, 34)], (255, 190, 70))  # flame
    s.poly([(50, 31), (51.3, 35), (50, 37.5), (48.7, 35)], (255, 240, 200))


@drawing("Down Pillow")
def pillow(s: Sketch, colour: RGB) -> None:
    cotton = (246, 246, 242)
    s.shadow(50, 79, 78, 9)
    s.poly(
        [(12, 50), (30, 44), (50, 46), (70, 44), (88, 50), (84, 78), (50, 76), (16, 78)],
        darker(cotton, 0.06),
    )
    s.rect(14, 47, 86, 78, cotton, radius=14)
    s.ellipse(30, 52, 70, 70, lighter(cotton, 0.5))
    s.line([(18, 62), (40, 63)], darker(cotton, 0.08), 0.6)
    s.line([(60, 64), (82, 62)], darker(cotton, 0.08), 0.6)


@drawing("Cotton Bath Towel")
def bath_towel(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 56, 6)
    for i, cx in enumerate((38, 62)):  # two rolled towels, then one on top
        s.circle(cx, 68, 12, darker(colour, 0.05 + 0.04 * i))
        s.circle(cx, 68, 8, lighter(colour, 0.3), outline=darker(colour, 0.12), width=0.6)
        s.circle(cx, 68, 3.5, darker(colour, 0.12))
    s.circle(50, 48, 12, colour)
    s.circle(50, 48, 8, lighter(colour, 0.3), outline=darker(colour, 0.12), width=0.6)
    s.circle(50, 48, 3.5, darker(colour, 0.12))


@drawing("Walnut Wall Clock")
def wall_clock(s: Sketch, colour: RGB) -> None:
    s.shadow(52, 52, 64, 64, strength=40)
    s.circle(50, 46, 30, WALNUT)
    s.circle(50, 46, 27, lighter(WALNUT, 0.12))
    for hour in range(12):
        angle = math.radians(hour * 30)
        inner, outer = (21, 25) if hour % 3 else (19, 25)
        s.line(
            [
                (50 + inner * math.sin(angle), 46 - inner * math.cos(angle)),
                (50 + outer * math.sin(angle), 46 - outer * math.cos(angle)),
            ],
            (246, 236, 220),
            1.2 if hour % 3 else 2,
        )
    s.line([(50, 46), (50, 30)], (246, 236, 220), 1.6)  # minute hand
    s.line([(50, 46), (60, 52)], (246, 236, 220), 2.2)  # hour hand
    s.circle(50, 46, 1.8, BRASS)


@drawing("Jute Area Rug")
def jute_rug(s: Sketch, colour: RGB) -> None:
    jute = (200, 170, 120)
    s.shadow(50, 72, 90, 24, strength=50)
    for i in range(9):  # braided rings, seen at an angle
        inset = i * 4.2
        tone = darker(jute, 0.12) if i % 2 else jute
        s.ellipse(8 + inset, 58 + inset / 2.8, 92 - inset, 88 - inset / 2.8, tone)


# --- Outdoors ------------------------------------------------------------------------------


@drawing("Trail Daypack 24L")
def daypack(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 50, 7)
    s.line([(38, 24), (38, 12), (62, 12), (62, 24)], darker(colour, 0.3), 2.5)  # haul loop
    s.rect(28, 20, 72, 80, colour, radius=14)  # body
    s.rect(28, 20, 72, 36, darker(colour, 0.1), radius=12)  # lid
    s.rect(34, 48, 66, 76, darker(colour, 0.12), radius=7)  # front pocket
    s.line([(36, 52), (64, 52)], darker(colour, 0.4), 0.8)  # zip
    s.rect(46, 51, 49, 56, STEEL, radius=0.5)  # puller
    s.line([(31, 40), (31, 74)], darker(colour, 0.35), 1.5)  # compression straps
    s.line([(69, 40), (69, 74)], darker(colour, 0.35), 1.5)
    s.rect(42, 30, 58, 33, darker(colour, 0.35), radius=1)


@drawing("Insulated Water Bottle")
def water_bottle(s: Sketch, colour: RGB) -> None:
    steel = (64, 108, 120)
    s.shadow(50, 81, 30, 6)
    s.rect(36, 28, 64, 80, steel, radius=8)
    s.rect(39, 32, 44, 76, lighter(steel, 0.3), radius=2.5)  # shine
    s.rect(40, 20, 60, 30, darker(steel, 0.2), radius=3)  # shoulder
    s.rect(42, 10, 58, 21, IRON, radius=3)  # cap
    s.arc(44, 5, 56, 15, 180, 360, IRON, 1.6)  # cap loop
    s.rect(36, 48, 64, 60, lighter(steel, 0.1))  # band


@drawing("Camping Hammock")
def hammock(s: Sketch, colour: RGB) -> None:
    orange = (222, 110, 50)
    s.shadow(50, 81, 84, 6, strength=45)
    for x in (10, 84):  # trees
        s.rect(x, 6, x + 6, 82, (110, 84, 62))
        s.rect(x + 1, 6, x + 2.5, 82, (132, 102, 76))
    s.line([(16, 30), (26, 46)], (60, 60, 64), 0.8)  # straps
    s.line([(84, 30), (74, 46)], (60, 60, 64), 0.8)
    s.chord(20, 22, 80, 70, 20, 160, orange)  # the hammock's curve
    s.chord(24, 28, 76, 60, 25, 155, lighter(orange, 0.2))
    s.poly([(20, 44), (26, 46), (24, 49)], orange)
    s.poly([(80, 44), (74, 46), (76, 49)], orange)


@drawing("Two-Person Tent")
def tent(s: Sketch, colour: RGB) -> None:
    fly = (92, 140, 110)
    s.shadow(50, 81, 86, 8)
    s.poly([(50, 24), (90, 80), (10, 80)], fly)
    s.poly([(50, 24), (90, 80), (64, 80)], darker(fly, 0.15))
    s.poly([(50, 34), (62, 80), (38, 80)], darker(fly, 0.45))  # open door
    s.poly([(50, 34), (56, 80), (38, 80)], (230, 214, 170))  # inner tent
    s.line([(50, 22), (50, 34)], IRON, 0.8)  # pole tip
    s.line([(10, 80), (4, 82)], (120, 120, 120), 0.4)  # guy lines
    s.line([(90, 80), (96, 82)], (120, 120, 120), 0.4)


@drawing("Carbon Trekking Poles")
def trekking_poles(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 46, 5)
    for top, bottom in (((38, 14), (58, 80)), ((62, 14), (42, 80))):
        (x0, y0), (x1, y1) = top, bottom
        s.line([top, bottom], (44, 46, 50), 1.6)
        s.line(
            [(x0 + (x1 - x0) * 0.45, y0 + (y1 - y0) * 0.45), bottom], (150, 156, 164), 1.2
        )  # lower section
        s.line([top, (x0 + (x1 - x0) * 0.2, y0 + (y1 - y0) * 0.2)], (186, 150, 110), 3.6)  # cork
        s.ellipse(x1 - 4, y1 - 6, x1 + 4, y1 - 4, IRON)  # basket
    s.line([(34, 12), (38, 20)], (200, 60, 50), 0.8)  # wrist straps
    s.line([(66, 12), (62, 20)], (200, 60, 50), 0.8)


@drawing("Rechargeable Headlamp")
def headlamp(s: Sketch, colour: RGB) -> None:
    band = (60, 64, 72)
    s.glow(50, 38, 18, (255, 250, 220), strength=190)
    s.shadow(50, 80, 60, 7)
    s.ellipse(20, 52, 80, 80, band, width=0)  # elastic band, seen at an angle
    s.ellipse(24, 55, 76, 77, lighter(band, 0.85))
    s.rect(38, 40, 62, 62, (232, 86, 52), radius=4)  # lamp housing
    s.circle(50, 51, 7, (230, 232, 236))
    s.circle(50, 51, 4.5, (255, 252, 230))
    s.circle(59, 44, 1.2, (200, 40, 40))  # red night mode


@drawing("Packable Rain Jacket")
def rain_jacket(s: Sketch, colour: RGB) -> None:
    shell = (40, 120, 160)
    _top(s, shell, long_sleeves=True, collar="hood")
    s.line([(50, 30), (50, 78)], darker(shell, 0.4), 0.8)  # zip
    s.line([(34, 56), (42, 56)], darker(shell, 0.3), 0.8)  # pockets
    s.line([(58, 56), (66, 56)], darker(shell, 0.3), 0.8)


@drawing("Compact Camp Stove")
def camp_stove(s: Sketch, colour: RGB) -> None:
    s.glow(50, 44, 12, (120, 170, 255), strength=110)
    s.shadow(50, 81, 40, 6)
    s.rect(34, 56, 66, 80, (220, 60, 50), radius=6)  # gas canister
    s.rect(34, 62, 66, 70, (240, 240, 236))  # label band
    s.rect(44, 50, 56, 57, STEEL, radius=1)  # valve
    s.line([(56, 53), (63, 52)], BRASS, 1)  # control
    s.ellipse(38, 44, 62, 50, DARK_STEEL)  # burner head
    for x in (38, 50, 62):  # pot supports
        s.line([(50, 48), (x + (x - 50) * 0.3, 42)], STEEL, 1)
    s.poly([(46, 44), (48, 38), (50, 43), (52, 37), (54, 44)], (110, 160, 255))  # flame


# --- Apparel -------------------------------------------------------------------------------


def _top(s: Sketch, colour: RGB, long_sleeves: bool, collar: str = "crew") -> None:
    """A garment laid flat: sweater, tee or jacket."""
    s.shadow(50, 81, 70, 6)
    if long_sleeves:
        s.poly([(30, 22), (14, 40), (10, 74), (20, 75), (26, 46)], darker(colour, 0.08))
        s.poly([(70, 22), (86, 40), (90, 74), (80, 75), (74, 46)], darker(colour, 0.08))
        s.rect(9.5, 70, 20.5, 76, darker(colour, 0.18), radius=1)  # cuffs
        s.rect(79.5, 70, 90.5, 76, darker(colour, 0.18), radius=1)
    else:
        s.poly([(30, 22), (12, 34), (18, 48), (30, 42)], darker(colour, 0.08))
        s.poly([(70, 22), (88, 34), (82, 48), (70, 42)], darker(colour, 0.08))
    s.poly([(30, 22), (42, 19), (58, 19), (70, 22), (72, 78), (28, 78)], colour)
    if collar == "hood":
        s.poly([(40, 20), (42, 10), (50, 7), (58, 10), (60, 20), (50, 26)], darker(colour, 0.15))
    else:
        s.chord(40, 13, 60, 27, 0, 180, darker(colour, 0.22))
        s.chord(42, 14, 58, 24, 0, 180, lighter(colour, 0.55))
    if long_sleeves and collar == "crew":
        s.rect(28, 73, 72, 78, darker(colour, 0.16))  # ribbed hem
        for x in range(30, 72, 2):
            s.line([(x, 73.5), (x, 77.5)], darker(colour, 0.24), 0.3, round_ends=False)


@drawing("Merino Crew Sweater")
def crew_sweater(s: Sketch, colour: RGB) -> None:
    _top(s, (120, 96, 140), long_sleeves=True)


@drawing("Organic Cotton Tee")
def cotton_tee(s: Sketch, colour: RGB) -> None:
    _top(s, (232, 220, 196), long_sleeves=False)


@drawing("Selvedge Denim Jeans")
def jeans(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 52, 6)
    s.poly([(30, 12), (70, 12), (74, 80), (55, 80), (50, 36), (45, 80), (26, 80)], DENIM)
    s.rect(30, 12, 70, 18, darker(DENIM, 0.15))  # waistband
    s.circle(50, 15, 1.2, BRASS)
    s.line([(50, 18), (50, 32)], darker(DENIM, 0.35), 0.6)  # fly
    s.arc(30, 14, 44, 28, 0, 90, lighter(DENIM, 0.3), 0.6)  # pockets
    s.arc(56, 14, 70, 28, 90, 180, lighter(DENIM, 0.3), 0.6)
    s.rect(26, 76, 45, 80, lighter(DENIM, 0.2))  # turned-up hems with selvedge line
    s.rect(55, 76, 74, 80, lighter(DENIM, 0.2))
    s.line([(27, 78), (44, 78)], (200, 70, 60), 0.4, round_ends=False)
    s.line([(56, 78), (73, 78)], (200, 70, 60), 0.4, round_ends=False)


def _shoe(s: Sketch, upper: RGB, sole: RGB, x: float, y: float, w: float, boot: bool) -> None:
    """A shoe or boot seen from the side, its toe to the right, standing on y."""
    if boot:
        s.poly(
            [
                (x, y - 2),
                (x + 1, y - 46),
                (x + w * 0.46, y - 46),
                (x + w * 0.5, y - 17),
                (x + w * 0.8, y - 13),
                (x + w, y - 7),
                (x + w, y - 2),
            ],
            upper,
        )
        s.rect(x, y - 47, x + w * 0.47, y - 42, darker(upper, 0.2), radius=1)  # rolled top
        s.ellipse(x + w * 0.66, y - 14, x + w + 0.5, y - 1, upper)  # toe
        s.rect(x - 0.5, y - 4, x + w + 1, y + 0.5, sole, radius=1.5)
        return
    s.poly(
        [
            (x + 1, y - 3),
            (x, y - 14),
            (x + w * 0.08, y - 19),
            (x + w * 0.3, y - 17),
            (x + w * 0.4, y - 21),
            (x + w * 0.48, y - 19),
            (x + w * 0.78, y - 10),
            (x + w * 0.95, y - 7),
            (x + w, y - 3),
        ],
        upper,
    )
    s.ellipse(x + w * 0.7, y - 10, x + w + 1, y + 0.5, sole)  # rubber toe cap
    s.rect(x - 0.5, y - 5, x + w + 0.5, y + 0.5, sole, radius=2)  # sole
    s.line([(x, y - 3.2), (x + w, y - 3.2)], darker(sole, 0.2), 0.4, round_ends=False)
    for i in range(5):  # laces
        lx, ly = x + w * (0.42 + i * 0.07), y - 19 + i * 2.1
        s.line([(lx - 1.2, ly + 0.4), (lx + 1.6, ly - 0.6)], (250, 250, 250), 0.7)


@drawing("Canvas Sneakers")
def sneakers(s: Sketch, colour: RGB) -> None:
    canvas = (60, 80, 110)
    s.shadow(50, 81, 80, 6)
    _shoe(s, darker(canvas, 0.15), (236, 232, 224), 10, 72, 44, boot=False)
    _shoe(s, canvas, (244, 240, 232), 44, 79, 46, boot=False)


@drawing("Leather Belt")
def leather_belt(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 74, 70, 12)
    s.ellipse(16, 46, 84, 78, None, outline=LEATHER, width=5)  # coiled belt
    s.ellipse(21.5, 50.5, 78.5, 73.5, None, outline=darker(LEATHER, 0.2), width=0.5)
    s.ellipse(22.5, 51.5, 77.5, 72.5, None, outline=LEATHER, width=4.5)
    s.rect(66, 52, 82, 66, BRASS, radius=1.5)  # buckle
    s.rect(69, 55, 79, 63, LEATHER, radius=1)
    s.line([(70, 59), (80, 59)], darker(BRASS, 0.2), 0.8)


@drawing("Wool Beanie")
def beanie(s: Sketch, colour: RGB) -> None:
    wool = (190, 70, 60)
    s.shadow(50, 81, 56, 6)
    s.chord(24, 22, 76, 90, 180, 360, wool)  # crown
    for x in range(28, 76, 4):
        s.line([(x, 60), (x + (50 - x) * 0.3, 30)], darker(wool, 0.1), 0.6)
    s.rect(22, 56, 78, 78, darker(wool, 0.12), radius=3)  # folded rib
    for x in range(24, 78, 3):
        s.line([(x, 58), (x, 76)], darker(wool, 0.25), 0.5, round_ends=False)


@drawing("Rain Boots")
def rain_boots(s: Sketch, colour: RGB) -> None:
    rubber = (56, 84, 66)
    s.shadow(50, 81, 78, 6)
    _shoe(s, darker(rubber, 0.15), RUBBER, 12, 76, 36, boot=True)
    _shoe(s, rubber, RUBBER, 48, 80, 38, boot=True)


@drawing("Everyday Socks 3-Pack")
def socks(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 78, 6)
    for i, tone in enumerate(((216, 204, 180), (120, 130, 140), (160, 90, 80))):
        x, top = 12 + i * 24, 22 + i * 6
        s.rect(x, top, x + 13, 74, tone)  # leg
        s.rect(x, 66, x + 28, 80, tone, radius=7)  # foot
        s.circle(x + 6, 73, 7, darker(tone, 0.12))  # heel
        s.chord(x + 16, 66, x + 30, 80, 270, 90, darker(tone, 0.12))  # toe
        s.rect(x, top, x + 13, top + 8, darker(tone, 0.18))  # ribbed cuff
        for rib in range(1, 5):
            s.line([(x + rib * 2.6, top), (x + rib * 2.6, top + 8)], darker(tone, 0.3), 0.3, False)


# --- Desk & Tech ---------------------------------------------------------------------------


@drawing("Noise-Cancelling Headphones")
def headphones(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 60, 7)
    s.arc(24, 16, 76, 76, 180, 360, colour, 5)  # headband
    s.arc(27, 19, 73, 73, 190, 350, lighter(colour, 0.5), 1.5)  # cushion
    for x in (20, 64):
        s.rect(x, 44, x + 16, 78, colour, radius=7)  # ear cups
        s.rect(x + 3, 48, x + 13, 74, lighter(colour, 0.2), radius=5)
    s.line([(28, 44), (28, 40)], darker(colour, 0.3), 2)
    s.line([(72, 44), (72, 40)], darker(colour, 0.3), 2)


@drawing("Mechanical Keyboard")
def keyboard(s: Sketch, colour: RGB) -> None:
    case = (70, 74, 82)
    s.shadow(50, 80, 86, 9)
    s.poly([(14, 52), (86, 52), (94, 78), (6, 78)], case)
    s.poly([(6, 78), (94, 78), (94, 81), (6, 81)], darker(case, 0.3))
    keycap = (232, 228, 220)
    for row in range(5):
        y0 = 54 + row * 4.7
        y1 = y0 + 3.6
        x_left = 14 - (y0 - 52) * 8 / 26 + 1.5
        x_right = 86 + (y0 - 52) * 8 / 26 - 1.5
        n = 14
        width = (x_right - x_left) / n
        for k in range(n):
            accent = (row == 0 and k == 0) or (row == 4 and k in (6, 7))
            fill = (210, 110, 70) if accent else keycap
            s.rect(
                x_left + k * width + 0.3, y0, x_left + (k + 1) * width - 0.3, y1, fill, radius=0.6
            )


@drawing("Wireless Charging Pad")
def charging_pad(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 78, 66, 10)
    s.line([(78, 70), (92, 80), (98, 78)], (240, 240, 240), 1.2)  # cable
    s.ellipse(18, 58, 82, 82, darker(FELT, 0.25))
    s.ellipse(18, 55, 82, 79, FELT)
    s.ellipse(30, 61, 70, 73, None, outline=lighter(FELT, 0.3), width=0.5)
    s.rect(36, 36, 64, 68, IRON, radius=4)  # a phone resting on it
    s.rect(37.5, 38, 62.5, 66, (40, 70, 110), radius=3)
    s.circle(50, 58, 3, (120, 220, 140))  # charging indicator


@drawing("Leather Laptop Sleeve")
def laptop_sleeve(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 76, 6)
    s.rect(18, 28, 80, 36, (190, 194, 200), radius=1.5)  # laptop peeking out
    s.rect(14, 34, 86, 80, LEATHER, radius=4)
    s.rect(14, 34, 86, 38, lighter(FELT, 0.2))  # felt lining
    s.rect(17, 42, 83, 77, None, outline=lighter(LEATHER, 0.25), width=0.5, radius=3)  # stitching
    s.rect(44, 38, 56, 46, darker(LEATHER, 0.25), radius=2)  # tab


@drawing("Oak Monitor Stand")
def monitor_stand(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 81, 80, 6)
    s.rect(22, 14, 78, 50, IRON, radius=2)  # monitor
    s.rect(24, 16, 76, 47, (60, 110, 150), radius=1)
    s.poly([(24, 16), (50, 16), (34, 47), (24, 47)], (80, 130, 170))
    s.rect(45, 50, 55, 60, DARK_STEEL)
    s.rect(38, 59, 62, 62, DARK_STEEL, radius=1)
    s.rect(10, 62, 90, 67, OAK, radius=1)  # oak top
    s.rect(10, 66, 90, 67.5, darker(OAK, 0.2))
    s.rect(12, 67, 17, 80, darker(OAK, 0.08))  # legs
    s.rect(83, 67, 88, 80, darker(OAK, 0.08))
    s.rect(30, 74, 70, 78, (230, 230, 232), radius=1)  # keyboard below


@drawing("Architect Desk Lamp")
def desk_lamp(s: Sketch, colour: RGB) -> None:
    s.glow(64, 56, 22)
    s.shadow(36, 81, 34, 5)
    s.ellipse(22, 74, 50, 82, darker(colour, 0.15))  # base
    s.ellipse(22, 72, 50, 80, colour)
    s.line([(36, 76), (24, 42)], colour, 2.4)  # lower arm
    s.line([(24, 42), (58, 24)], colour, 2.4)  # upper arm
    s.circle(24, 42, 2.4, darker(colour, 0.3))  # joints
    s.line([(30, 60), (44, 32)], darker(colour, 0.3), 0.5)  # springs
    s.poly([(56, 20), (66, 26), (78, 48), (54, 48)], colour)  # shade
    s.ellipse(54, 45, 78, 51, (255, 244, 200))  # bulb face


@drawing("Portable Speaker")
def speaker(s: Sketch, colour: RGB) -> None:
    fabric = (70, 90, 110)
    s.shadow(50, 81, 64, 7)
    s.rect(18, 38, 82, 80, fabric, radius=18)
    for row in range(7):
        for col in range(12):
            s.circle(26 + col * 4.4 + (row % 2) * 2.2, 46 + row * 4.6, 0.7, darker(fabric, 0.35))
    s.rect(40, 32, 60, 39, darker(fabric, 0.3), radius=2)  # strap loop
    s.circle(50, 35.5, 1.2, (200, 200, 200))


@drawing("Dot Grid Notebook Set")
def notebooks(s: Sketch, colour: RGB) -> None:
    s.shadow(50, 80, 76, 8)
    covers = ((36, 60, 90), (190, 120, 60), (120, 140, 100))
    for i, cover in enumerate(covers):
        dx, dy = i * 8, -i * 6
        s.rect(18 + dx, 36 + dy, 62 + dx, 80 + dy, cover, radius=1.5)
        s.rect(18 + dx, 36 + dy, 21 + dx, 80 + dy, darker(cover, 0.25))
    page = (250, 248, 240)
    s.rect(39, 20, 82, 62, page, radius=1)  # an open page of the top one
    for row in range(8):
        for col in range(8):
            s.circle(43 + col * 5, 24 + row * 5, 0.45, (160, 160, 170))
    s.line([(76, 14), (84, 60)], (40, 40, 46), 1.2)  # pen


def _parcel(s: Sketch, colour: RGB) -> None:
    """A wrapped parcel: the picture of a product the demo has no drawing for."""
    kraft = (196, 160, 112)
    s.shadow(50, 81, 64, 7)
    s.rect(22, 40, 78, 80, kraft, radius=2)
    s.rect(50, 40, 78, 80, darker(kraft, 0.1), radius=2)
    s.rect(46, 40, 54, 80, colour)
    s.rect(22, 56, 78, 62, colour)
    s.ellipse(38, 30, 50, 42, None, outline=colour, width=2)
    s.ellipse(50, 30, 62, 42, None, outline=colour, width=2)


@lru_cache(maxsize=64)
def render_product_image(name: str, backdrop: RGB, colour_name: str = "") -> bytes:
    """Draw the demo product called `name` as a PNG: its still life on a wall tinted with the
    category's colour, in its first variant's colour when that is a colour."""
    colour = COLOURS.get(colour_name, darker(backdrop, 0.1))
    sketch = Sketch(backdrop)
    DRAWINGS.get(name, _parcel)(sketch, colour)
    return sketch.png()
