"""Settings for every pytest run in this repository, also one of a single notebook (pytest book/NN.ipynb).

Every IPython kernel the run starts (nbval's, and those of the scripts the tests run) inherits
``IPYTHONDIR``: it points at a temporary profile whose start-up file checks each figure a notebook
shows, 2x and readable on a 390 px phone (``tests/figure_check.py``). It lives here, at the root, and
not in ``tests/conftest.py``, because pytest reads only the conftest files above the paths it is given.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

FIGURE_CHECK = Path(__file__).resolve().parent / "tests" / "figure_check.py"
STARTUP = f"""def _install_figure_check():
    import importlib.util
    spec = importlib.util.spec_from_file_location("figure_check", {str(FIGURE_CHECK)!r})
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.install()


_install_figure_check()
del _install_figure_check
"""
IPYTHON_DIR = pytest.StashKey[tuple]()


def pytest_configure(config):
    """Point IPython's kernels at a profile whose start-up file checks every figure."""
    ipython_dir = tempfile.mkdtemp(prefix="ipython-figure-check-")
    startup = Path(ipython_dir, "profile_default", "startup")
    startup.mkdir(parents=True)
    (startup / "00-figure-check.py").write_text(STARTUP, encoding="utf-8")
    config.stash[IPYTHON_DIR] = (ipython_dir, os.environ.get("IPYTHONDIR"))
    os.environ["IPYTHONDIR"] = ipython_dir


def pytest_unconfigure(config):
    """Restore ``IPYTHONDIR`` and remove the temporary profile."""
    ipython_dir, previous = config.stash.get(IPYTHON_DIR, (None, None))
    if ipython_dir is None:
        return
    if previous is None:
        os.environ.pop("IPYTHONDIR", None)
    else:
        os.environ["IPYTHONDIR"] = previous
    shutil.rmtree(ipython_dir, ignore_errors=True)
