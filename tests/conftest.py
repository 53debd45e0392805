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


BROWSER_INSTRUCTIONS = """The browser tests need Chromium, and none was found.
Install it (Debian/Ubuntu: sudo apt-get install -y chromium; .ci/run does this), or point CHROMIUM at a
Chromium or Chrome binary (CHROMIUM=/path/to/chromium). To run every other test without it:

    python -m pytest -m "not browser"
"""


# The suite runs on two pytest-xdist workers (``--numprocesses 2 --dist loadfile`` in pyproject.toml):
# a file's tests run in one worker, so a notebook's cells share one kernel and a module its fixtures.
# The files below share the built site (the session fixture ``built_site``) and run in the same
# worker, so only one worker builds it.
SITE_FILES = ("test_book.py", "test_browser.py", "test_learner_notebooks.py")
# The slowest files, started first so that neither worker is left with one of them at the end
# (xdist keeps this order with --no-loadscope-reorder). Each spends most of its time in subprocesses.
SLOWEST_FIRST = ("test_browser.py", "test_book.py", "test_learner_notebooks.py", "test_blas_kernels.py",
                 "test_learner_envs.py", "test_assignments.py", "test_pdf.py", "test_student_edition.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark the tests that drive Chromium, before ``-m`` selects among them; put the slowest files first."""
    for item in items:
        if item.path.name == "test_browser.py":
            item.add_marker(pytest.mark.browser)
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file keeps its order


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's file-by-file scheduling, with the files of the built site as one unit."""
    from xdist.scheduler import LoadFileScheduling

    class SiteAwareScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "the built site" if scope.endswith(SITE_FILES) else scope

    return SiteAwareScheduling(config, log)


def stop_without_chromium(browser_tests_selected: bool) -> None:
    """Stop with one clear message, not a traceback per test, when selected browser tests lack Chromium."""
    if browser_tests_selected and find_chromium() is None:
        pytest.exit(BROWSER_INSTRUCTIONS, returncode=1)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    if "PYTEST_XDIST_WORKER" not in os.environ:  # a worker leaves it to the controller, below
        stop_without_chromium(any(item.get_closest_marker("browser") for item in session.items))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """The controller sees what a worker selected (after ``-m``), before any test runs."""
    stop_without_chromium(any(nodeid.split("::")[0].endswith("test_browser.py") for nodeid in ids))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Build the site once, with warnings as errors, into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    command = jupyter_book("build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going")
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    return out / "_build" / "html", result


MEASURED: list[str] = []


def pytest_runtest_logreport(report):
    """Collect what tests measured, ``record_property("measured", line)``, from every xdist worker."""
    if report.when == "teardown":  # each phase's report carries all the properties: take them once
        MEASURED.extend(value for name, value in report.user_properties if name == "measured")


def pytest_terminal_summary(terminalreporter):
    """Print what the tests measured (the browser tests: time to visible equations, weight per page)."""
    if MEASURED:
        terminalreporter.section("measured")
        for line in MEASURED:
            terminalreporter.write_line(line)
