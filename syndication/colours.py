"""CSS colours and their contrast, as WCAG 2.1 measures it (relative luminance, 1.4.3).

Only hex colours (`#rgb`, `#rrggbb`) are taken: they are what a brand guide gives, and they
can be measured. The site's accent is a background (header, buttons) and a text colour
(links); `readable_text_colour` picks what goes on it and `link_colour` darkens it until it
reads on white and on the light panels.
"""

from __future__ import annotations

import re

Rgb = tuple[int, int, int]

AA_TEXT = 4.5  # WCAG 2.1 SC 1.4.3, normal text
WHITE: Rgb = (255, 255, 255)
INK: Rgb = (27, 27, 27)  # the pages' text colour, #1b1b1b
TINT: Rgb = (243, 245, 248)  # the pages' light panels (footer, boxes, contact cards), #f3f5f8
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_colour(text: str) -> Rgb | None:
    """The RGB of a CSS hex colour, or None if `text` is not one."""
    text = text.strip()
    if not _HEX.match(text):
        return None
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def hex_colour(colour: Rgb) -> str:
    """`#rrggbb`."""
    return "#{:02x}{:02x}{:02x}".format(*colour)


def relative_luminance(colour: Rgb) -> float:
    """WCAG 2.1 relative luminance (sRGB)."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: Rgb, second: Rgb) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: Rgb) -> str:
    """White or the pages' ink, whichever contrasts more with `background`."""
    if contrast_ratio(background, WHITE) >= contrast_ratio(background, INK):
        return hex_colour(WHITE)
    return hex_colour(INK)


def link_colour(colour: Rgb) -> str:
    """`colour` darkened in steps until it reaches AA contrast on the pages' light panels
    (and so on white, which is lighter)."""
    current = colour
    for _ in range(40):
        if contrast_ratio(current, TINT) >= AA_TEXT:
            return hex_colour(current)
        current = (int(current[0] * 0.9), int(current[1] * 0.9), int(current[2] * 0.9))
    return hex_colour(INK)
