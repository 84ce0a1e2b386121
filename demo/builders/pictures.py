"""Pictures for the demo's activities, drawn with Pillow: no real family is photographed, and
nothing is downloaded. Each scene is drawn the same way every time (seeded), as a JPEG."""

import io
import random

from PIL import Image, ImageDraw

SIZE = (1200, 800)
SKY = (170, 205, 235)
HILLS = [(92, 140, 86), (70, 118, 70), (54, 98, 58)]


def _landscape(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    width, height = SIZE
    for y in range(0, height // 2, 4):
        shade = 235 - y // 8
        draw.rectangle([0, y, width, y + 4], fill=(150, 195, min(255, shade + 10)))
    for index, colour in enumerate(HILLS):
        base = height // 2 + index * 60
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base - rng.randint(20, 120)))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    draw.rectangle([0, int(height * 0.78), width, height], fill=(150, 120, 80))


def _lights(draw, rng) -> None:
    for index in range(5):
        x = 120 + index * 230
        top = 260 + index * 18
        draw.rectangle([x, top, x + 12, 700], fill=(90, 90, 95))
        draw.rectangle([x - 40, top - 30, x + 52, top - 5], fill=(30, 45, 90))  # the panel
        draw.ellipse([x + 10, top + 20, x + 40, top + 45], fill=(250, 240, 170))
        draw.rectangle([x + 12, top + 60, x + 60, top + 90], fill=(218, 37, 29))  # the flag
        draw.polygon(
            [(x + 32, top + 66), (x + 36, top + 80), (x + 28, top + 80)], fill=(255, 221, 0)
        )


def _gifts(draw, rng) -> None:
    for index in range(8):
        x = 80 + index * 135
        y = 560 + rng.randint(-20, 20)
        colour = rng.choice([(200, 40, 40), (230, 170, 40), (40, 120, 190)])
        draw.rectangle([x, y, x + 100, y + 90], fill=colour)
        draw.rectangle([x + 44, y, x + 56, y + 90], fill=(250, 230, 120))


def _house(draw, rng) -> None:
    draw.rectangle([380, 420, 820, 690], fill=(230, 215, 190))
    draw.polygon([(340, 430), (600, 250), (860, 430)], fill=(170, 60, 45))
    draw.rectangle([560, 560, 640, 690], fill=(120, 80, 50))
    for x in (420, 700):
        draw.rectangle([x, 480, x + 80, 550], fill=(160, 200, 230))


def _work(draw, rng) -> None:
    for index in range(12):
        x = 60 + index * 95
        y = 600 + rng.randint(-30, 30)
        draw.ellipse([x, y - 70, x + 30, y - 40], fill=(230, 190, 150))
        draw.rectangle(
            [x - 5, y - 40, x + 35, y + 30], fill=rng.choice([(40, 90, 160), (30, 120, 60)])
        )
        draw.line([x + 35, y - 20, x + 70, y + 60], fill=(110, 80, 40), width=6)


SCENES = {"lights": _lights, "gifts": _gifts, "house": _house, "work": _work}


def picture(scene: str, seed: int) -> bytes:
    """Return a JPEG of ``scene`` ("lights", "gifts", "house", "work")."""
    rng = random.Random(seed)
    image = Image.new("RGB", SIZE, SKY)
    draw = ImageDraw.Draw(image)
    _landscape(draw, rng)
    SCENES[scene](draw, rng)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()
