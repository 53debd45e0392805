"""The figure check that every notebook kernel of the test run loads (tests/figure_check.py) can fail.

Each case prints a figure as IPython's inline backend does, in a child process (the check patches
Matplotlib, which this process should not be).
"""

import subprocess
import sys

import pytest

from tests.helpers import ROOT

SCRIPT = """
import importlib.util, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.core.pylabtools import print_figure
spec = importlib.util.spec_from_file_location("figure_check", {path!r})
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)
check.install()
fig, ax = plt.subplots(figsize=({width}, 3))
ax.plot([0, 1], [0, 1], label="a line")
ax.legend(fontsize={size})
try:
    print_figure(fig, {fmt!r})
except check.FigureCheckError as error:
    print(error)
else:
    print("passed")
"""


def printed(width: float, fmt: str = "retina", size: float = 10) -> str:
    code = SCRIPT.format(path=str(ROOT / "tests" / "figure_check.py"), width=width, size=size, fmt=fmt)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return result.stdout.strip()


def test_a_narrow_2x_figure_with_10_pt_text_passes():
    assert printed(4.8) == "passed"


@pytest.mark.parametrize(("width", "size"), [(13, 10), (4.8, 7)])
def test_text_under_9_css_px_on_a_phone_fails_naming_width_text_and_size(width, size):
    message = printed(width, size=size)
    assert "wide and its smallest text" in message, message
    assert f"{size:g} pt" in message, message
    assert "CSS px on a 390 px phone" in message, message


def test_a_1x_figure_fails():
    assert "rendered at 1x" in printed(4.8, fmt="png")
