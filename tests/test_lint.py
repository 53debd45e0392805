"""ruff, configured in pyproject.toml, is clean over the package, the tests and the scripts; the tests
and scripts run on any machine (no paths into one virtual environment's ``bin/``)."""

import re
import subprocess
import sys

import pytest

from tests.helpers import ROOT


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# A command built from .venv/bin/..., Scripts/..., or the interpreter's neighbour "jupyter-book" breaks
# on Windows and outside that venv; run tools as sys.executable -m ... (or -c) instead.
VENV_PATH = re.compile(r"""["'][^"'\n]*(?:\.venv/bin/|bin/jupyter-book)|with_name\(["']jupyter-book""")


@pytest.mark.parametrize("path", sorted([*ROOT.glob("tests/*.py"), *ROOT.glob("scripts/*.py"),
                                         *ROOT.glob("benchmarks/*.py")]), ids=lambda p: p.name)
def test_commands_do_not_hard_code_a_virtual_environment(path):
    code = re.sub(r'"""[\s\S]*?"""', "", path.read_text(encoding="utf-8"))  # usage text may show paths
    assert not VENV_PATH.findall(code)
