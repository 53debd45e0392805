"""Shared test settings: a headless Matplotlib and reproducible Hypothesis runs."""

import os
import subprocess

import matplotlib
import pytest
from hypothesis import settings

from tests.helpers import ROOT, find_chromium, jupyter_book

matplotlib.use("Agg")

# Two Hypothesis profiles. "course" (the default, used by CI) is derandomised, so a run is repeatable
# and a failure reproduces on any machine. "explore" draws new examples on every run, and more of
# them, to find what the fixed examples miss:  HYPOTHESIS_PROFILE=explore python -m pytest tests
# Deadlines are off because the first call of a NumPy routine can be slow on a loaded machine.
settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "course"))

__all__ = ["BROWSER_REPORT", "ROOT"]

BROWSER_INSTRUCTIONS = """The browser tests need Chromium, and none was found.
Install it (Debian/Ubuntu: sudo apt-get install -y chromium; .ci/run does this), or point CHROMIUM at a
Chromium or Chrome binary (CHROMIUM=/path/to/chromium). To run every other test without it:

    python -m pytest -m "not browser"
"""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark the tests that drive Chromium, before ``-m`` selects among them."""
    for item in items:
        if item.path.name == "test_browser.py":
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Stop with one clear message, not a traceback per test, when selected browser tests lack Chromium."""
    if any(item.get_closest_marker("browser") for item in session.items) and find_chromium() is None:
        pytest.exit(BROWSER_INSTRUCTIONS, returncode=1)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Build the site once, with warnings as errors, into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    command = jupyter_book("build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going")
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    return out / "_build" / "html", result


BROWSER_REPORT: list[str] = []


def pytest_terminal_summary(terminalreporter):
    """Print what the browser tests measured on each page (see tests/test_browser.py)."""
    if BROWSER_REPORT:
        terminalreporter.section("pages in headless Chromium")
        for line in BROWSER_REPORT:
            terminalreporter.write_line(line)
