"""Helpers shared by the test modules: the repository's root, its notebooks and its commands.

Every command runs through ``sys.executable``, so the suite works from any virtual environment, on
Windows as well (no ``.venv/bin/...`` paths).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "book").glob("*.ipynb"))


def toc_files() -> list[str]:
    """Every page named in ``_toc.yml`` (``root:`` and ``file:`` entries), in order."""
    text = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    return re.findall(r"(?:root|file):\s*(\S+)", text)


def code_cells(path: Path) -> list[str]:
    """The sources of a notebook's code cells, in order."""
    import nbformat  # here, not at the top: conftest imports this module, and most runs never need it

    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def jupyter_book(*args: str) -> list[str]:
    """The command line that runs Jupyter Book with the current interpreter."""
    return [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", *args]


def find_chromium() -> str | None:
    """The Chromium the browser tests drive: ``$CHROMIUM``, else chromium on the PATH, else None."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def run_script(name: str, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run ``scripts/<name>`` with the current interpreter; output captured, never raising on failure."""
    return subprocess.run([sys.executable, str(ROOT / "scripts" / name), *args], capture_output=True,
                          text=True, timeout=timeout, check=False)
