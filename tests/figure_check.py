"""Every figure a notebook shows must be sharp (2x) and readable on a 390 px phone: checked as it is drawn.

The repository's ``conftest.py`` points ``IPYTHONDIR`` at a temporary folder whose IPython start-up
file calls :func:`install` in every kernel the test run starts (nbval's, and those of the scripts it
runs), so a notebook cell whose figure breaks the rule fails in nbval with a message that names the
figure's width, its smallest text and what that text measures on a phone.

The rule, in CSS pixels. A figure shown inline is a PNG drawn at ``dpi`` whose page size is its
1x size (IPython's ``retina`` format writes that size into the output's metadata, and the site uses
it): ``png_width * figure.dpi / dpi`` CSS px. On a phone an image may be ``PHONE_COLUMN_PX`` wide, and
a wider one is shrunk to that; in dark mode the theme frames it in ``PHONE_FRAME_PX`` of padding inside
that width, which shrinks the picture further. So text of ``f`` pt, ``f / 72 * figure.dpi`` CSS px at
1x, measures ``f / 72 * figure.dpi * (min(css_width, PHONE_COLUMN_PX) - PHONE_FRAME_PX) / css_width``
there. The smallest text is that of the texts Matplotlib really draws (tick labels, legends, titles,
annotations, heat-map numbers, colour-bar labels), recorded from ``Text.draw`` while the figure is
printed.
"""

from __future__ import annotations

import functools
import io
import struct

# The widest a figure is shown on a chapter page on a 390 px wide phone, in CSS px, and the frame
# (padding, both sides) dark mode puts inside that width, as measured in headless Chromium;
# tests/test_browser.py checks that figures there really get this width.
PHONE_COLUMN_PX = 342
PHONE_FRAME_PX = 16
MIN_TEXT_PX = 9.0  # the smallest text a figure may show on that phone, in CSS px
MIN_SCALE = 2.0  # PNG pixels per CSS px: 2x, sharp on high-density screens


class FigureCheckError(RuntimeError):
    """A figure a notebook shows would be blurred (not 2x) or unreadable on a phone."""


def phone_text_px(size_pt: float, css_width: float, figure_dpi: float) -> float:
    """CSS px of text of ``size_pt`` points in a figure ``css_width`` CSS px wide, on the phone.

    >>> round(phone_text_px(10, 1300, 100), 1)      # a 13-in figure's 10 pt text: about 3.5 px
    3.5
    >>> round(phone_text_px(10, 300, 100), 1)       # narrower than the column: shrunk by the frame only
    13.1
    """
    return size_pt / 72 * figure_dpi * (min(css_width, PHONE_COLUMN_PX) - PHONE_FRAME_PX) / css_width


def png_width(data: bytes) -> int:
    """The width in pixels of a PNG image, read from its IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("data: not a PNG image")
    return struct.unpack(">I", data[16:20])[0]


def check(figure, dpi: float, width_px: int, texts: list[tuple[float, str]]) -> None:
    """Raise :class:`FigureCheckError` unless a PNG of ``width_px`` at ``dpi`` is 2x and readable."""
    scale = dpi / figure.dpi
    css_width = width_px / scale
    inches = css_width / figure.dpi
    problems = []
    if scale < MIN_SCALE:
        problems.append(f"it is rendered at {scale:g}x ({dpi:g} dpi for a {figure.dpi:g} dpi figure), not 2x: "
                        'add %config InlineBackend.figure_formats = ["retina"] after the notebook\'s imports')
    if texts:
        size, text = min(texts)
        px = phone_text_px(size, css_width, figure.dpi)
        if px < MIN_TEXT_PX:
            widest = size / 72 * (PHONE_COLUMN_PX - PHONE_FRAME_PX) / MIN_TEXT_PX
            needed = size * MIN_TEXT_PX / px
            problems.append(
                f"it is {inches:.2f} in ({css_width:.0f} CSS px) wide and its smallest text, {size:g} pt "
                f"({text[:40]!r}), measures {px:.1f} CSS px on a 390 px phone (shown at most {PHONE_COLUMN_PX} px "
                f"wide, less a {PHONE_FRAME_PX} px frame in dark mode), "
                f"under {MIN_TEXT_PX:g}: make the figure at most {widest:.1f} in wide, or that text at "
                f"least {needed:.1f} pt")
    if problems:
        raise FigureCheckError("figure check (tests/figure_check.py): " + "; ".join(problems))


def install() -> None:
    """Check every PNG a figure is printed to in memory (what IPython shows inline); idempotent."""
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.text import Text

    if getattr(FigureCanvasBase.print_figure, "figure_check", False):
        return
    drawn: list[list[tuple[float, str]]] = []
    text_draw = Text.draw

    @functools.wraps(text_draw)
    def draw(self, renderer):
        if drawn and self.get_visible() and self.get_text().strip():
            drawn[-1].append((float(self.get_fontsize()), self.get_text()))
        return text_draw(self, renderer)

    print_figure = FigureCanvasBase.print_figure

    @functools.wraps(print_figure)
    def checked_print_figure(self, filename, *args, **kwargs):
        drawn.append([])
        try:
            result = print_figure(self, filename, *args, **kwargs)
        finally:
            texts = drawn.pop()
        fmt = kwargs.get("format") or ""
        if isinstance(filename, io.BytesIO) and fmt.lower() == "png":
            dpi = kwargs.get("dpi") or (args[0] if args else None)
            dpi = self.figure.dpi if dpi in (None, "figure") else float(dpi)
            check(self.figure, dpi, png_width(filename.getvalue()), texts)
        return result

    checked_print_figure.figure_check = True
    Text.draw = draw
    FigureCanvasBase.print_figure = checked_print_figure
