"""Point the notebooks' install cell at the repository named in _config.yml.

The launch buttons (Binder, Colab) and the repository button read ``repository.url`` from
``_config.yml`` when the site is built. The first code cell of every chapter notebook installs
``companion`` from the same repository on Colab and Binder; after changing the setting, run

    python scripts/set_repository.py

to rewrite those cells. ``tests/test_book.py`` fails while the two disagree.
"""

import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
INSTALL_LINE = re.compile(r'(repository = ")[^"]*(")')


def repository_url() -> str:
    """Return ``repository.url`` from _config.yml."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"]


def main() -> int:
    url = repository_url()
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        changed = False
        for cell in notebook.cells:
            if cell.cell_type == "code" and "importlib.util.find_spec" in cell.source:
                new = INSTALL_LINE.sub(rf"\g<1>{url}\g<2>", cell.source)
                changed = changed or new != cell.source
                cell.source = new
        if changed:
            nbformat.write(notebook, path)
            print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
