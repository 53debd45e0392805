"""Point the launch buttons and the notebooks' install cell at one repository and one release.

The launch buttons (Binder, Colab) and the repository button read ``repository.url`` from
``_config.yml`` when the site is built. The first code cell of every chapter notebook installs
``companion`` on Colab and Binder from the same repository, at the release tag of the version in
``pyproject.toml`` (``v0.1.0`` for version 0.1.0: the convention of the release workflow), so that a
notebook installs the package it was written against, not whatever is on ``main``.

    python scripts/set_repository.py                       # rewrite the install cells from _config.yml
    python scripts/set_repository.py --url https://github.com/OWNER/REPO   # set repository.url first
    python scripts/set_repository.py --from-github         # set it from $GITHUB_REPOSITORY (in Actions)

Each run also regenerates the learner notebooks (``scripts/learner_notebooks.py``), whose install
cell and links follow the same settings. ``tests/test_book.py`` and ``tests/test_learner_notebooks.py``
fail while the notebooks and the settings disagree. The publishing workflow runs ``--from-github``
before it builds, so a fork publishes a site whose buttons open the fork, with no edit.
"""

import argparse
import os
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import learner_notebooks  # noqa: E402  (the sibling script, found through the line above)

BOOK_INSTALL_COMMENT = (
    "# On Colab or Binder: install the course's companion package. Hidden on the site, skipped by the "
    "tests.\n"
)
URL_LINE = re.compile(r"^(repository:[ \t]*\n(?:[ \t]+.*\n|[ \t]*#.*\n)*?[ \t]+url:[ \t]*)(\S*)(.*)$", re.M)
GITHUB_URL = re.compile(r"https://[^/\s]+/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def repository_url() -> str:
    """Return ``repository.url`` from _config.yml."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"]


def url_from_github(environ: dict[str, str]) -> str:
    """The repository a GitHub Actions run works in: ``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY``."""
    name = environ.get("GITHUB_REPOSITORY", "")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", name):
        raise ValueError("--from-github needs GITHUB_REPOSITORY set to OWNER/REPO (as in GitHub Actions), "
                         f"got {name!r}")
    return f"{environ.get('GITHUB_SERVER_URL') or 'https://github.com'}/{name}"


def with_repository_url(text: str, url: str) -> str:
    """The text of _config.yml with ``repository.url`` set to ``url``, every other line as it was."""
    url = url.rstrip("/").removesuffix(".git")
    if not GITHUB_URL.fullmatch(url):
        raise ValueError(f"url must look like https://github.com/OWNER/REPO, got {url!r}")
    if not URL_LINE.search(text):
        raise ValueError("_config.yml has no repository: url: line to set")
    return URL_LINE.sub(lambda m: m.group(1) + url + m.group(3), text, count=1)


def set_repository_url(url: str) -> bool:
    """Write ``repository.url`` into _config.yml; return whether it changed."""
    path = ROOT / "_config.yml"
    text = path.read_text(encoding="utf-8")
    new = with_repository_url(text, url)
    path.write_text(new, encoding="utf-8")
    return new != text


def book_install_source(url: str, release: str) -> str:
    """The install cell of a chapter in ``book/``."""
    return learner_notebooks.install_source(url, release, BOOK_INSTALL_COMMENT)


def update_book(url: str, release: str) -> list[Path]:
    """Rewrite the install cell of every chapter in ``book/``; return the notebooks changed."""
    changed = []
    for path in learner_notebooks.chapters():
        notebook = nbformat.read(path, as_version=4)
        cells = [c for c in notebook.cells if learner_notebooks.is_install_cell(c)]
        new = book_install_source(url, release)
        if cells and any(c.source != new for c in cells):
            for cell in cells:
                cell.source = new
            nbformat.write(notebook, path)
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help="set repository.url in _config.yml to this address first")
    where.add_argument("--from-github", action="store_true",
                       help="set repository.url from $GITHUB_SERVER_URL/$GITHUB_REPOSITORY (GitHub Actions)")
    args = parser.parse_args(argv)
    url = url_from_github(dict(os.environ)) if args.from_github else args.url
    if url and set_repository_url(url):
        print(f"repository.url: {repository_url()}")
    release = learner_notebooks.release_tag()
    for path in update_book(repository_url().rstrip("/"), release):
        print(f"updated {path.relative_to(ROOT)}")
    return learner_notebooks.main([])


if __name__ == "__main__":
    sys.exit(main())
