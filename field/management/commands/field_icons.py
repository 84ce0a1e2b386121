"""Draw the field app's icons (static/icons/): run once after changing the design, commit the PNGs.

    DEBUG=1 .venv/bin/python manage.py field_icons

The icons are three white rings on the top bar's red, the "three togethers" of the name: drawn
with Pillow rather than kept as an artist's file, so the design can change in a line.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

RED = (139, 30, 30)  # the top bar's colour (static/css/bacung.css --bc-red)
WHITE = (255, 255, 255)


def _draw(size: int, *, safe: float) -> Image.Image:
    """Draw the icon at ``size`` px, its rings within ``safe`` (a fraction of the side)."""
    scale = 4  # drawn large and shrunk: smooth edges without an anti-aliasing library
    side = size * scale
    image = Image.new("RGB", (side, side), RED)
    draw = ImageDraw.Draw(image)
    centre = side / 2
    ring = side * safe * 0.22  # one ring's radius
    spread = side * safe * 0.16  # how far each ring sits from the centre
    width = max(scale, round(side * safe * 0.05))
    for dx, dy in ((0, -1), (-0.87, 0.5), (0.87, 0.5)):
        x, y = centre + dx * spread, centre + dy * spread
        draw.ellipse((x - ring, y - ring, x + ring, y + ring), outline=WHITE, width=width)
    return image.resize((size, size), Image.Resampling.LANCZOS)


class Command(BaseCommand):
    help = "Draw the field app's icons into static/icons/."

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "static" / "icons"
        folder.mkdir(exist_ok=True)
        # Any-purpose icons fill the square; a maskable one keeps its drawing inside the middle
        # 80 % circle, which every launcher's mask leaves visible.
        for name, size, safe in (
            ("icon-192.png", 192, 1.0),
            ("icon-512.png", 512, 1.0),
            ("icon-maskable-512.png", 512, 0.75),
        ):
            # Two colours and their edges: a palette of 16 keeps the files a few KB.
            image = _draw(size, safe=safe).quantize(colors=16)
            image.save(folder / name, "PNG", optimize=True)
            self.stdout.write(f"static/icons/{name}")
