"""Shared test settings: a headless Matplotlib and reproducible Hypothesis runs."""

import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# Derandomised so that a CI run is repeatable; deadline off because the first call of a
# NumPy routine can be slow on a loaded machine.
settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Build the site once, with warnings as errors, into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book) if jupyter_book.exists() else shutil.which("jupyter-book"),
               "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    return out / "_build" / "html", result




BROWSER_REPORT: list[str] = []


def pytest_terminal_summary(terminalreporter):
    """Print what the browser tests measured on each page (see tests/test_browser.py)."""
    if BROWSER_REPORT:
        terminalreporter.section("pages in headless Chromium")
        for line in BROWSER_REPORT:
            terminalreporter.write_line(line)
