"""Point each chapter page's launch buttons (Binder, Colab, JupyterHub) at its learner notebook.

sphinx-book-theme builds every launch URL from ``repository.url``, ``repository.branch`` and the
path of the page's source in the repository (``book/01_problem.ipynb``). That notebook is written in
MyST for Jupyter Book and shows raw directives outside the site, so after the theme has built the
buttons (its ``html-page-context`` handler runs at priority 501) this one replaces the source path
in each launch URL by the learner notebook made from it by ``scripts/learner_notebooks.py``:
``<learner_notebooks>/01_problem.ipynb``.

One setting, ``learner_notebooks`` (under ``sphinx: config:`` in ``_config.yml``), names the folder:
``learner`` (the default: solutions folded) or ``learner/student-edition`` (no solutions, for a
student site). An empty value leaves the buttons as the theme made them. A launch URL that does not
contain the page's source path is reported as a warning, so a change in the theme cannot go unnoticed
in a ``-W`` build. The download buttons still offer the page's own source.
"""

import re
from pathlib import PurePosixPath

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
DEFAULT_FOLDER = "learner"


def learner_path(pagename: str, folder: str = DEFAULT_FOLDER) -> str:
    """The learner notebook of a page, relative to the repository root: ``learner/01_problem.ipynb``."""
    return f"{folder.strip('/')}/{PurePosixPath(pagename).name}.ipynb"


def point_launch_buttons(app, pagename, templatename, context, doctree):
    """Rewrite the launch URLs of a notebook page to open its learner notebook."""
    folder = (app.config.learner_notebooks or "").strip("/")
    groups = [g for g in context.get("header_buttons", []) if g.get("label") == "launch-buttons"]
    if not folder or not groups:
        return
    book = (app.config.html_theme_options.get("path_to_docs") or "").strip("/")
    source = f"{book}/{pagename}.ipynb" if book else f"{pagename}.ipynb"
    # the path stands after a "/" (Binder's and nbgitpuller's urlpath, Colab's blob/BRANCH/) or an "="
    where = re.compile(r"(?<=[/=])" + re.escape(source) + r"(?=$|[?&#])")
    target = learner_path(pagename, folder)
    for group in groups:
        for button in group.get("buttons", []):
            url = button.get("url")
            if url is None:
                continue
            if not where.search(url):
                LOGGER.warning("launch button %r of %s does not open %s: %s", button.get("text"), pagename,
                               source, url, location=pagename)
                continue
            button["url"] = where.sub(target, url)


def setup(app):
    """Register the setting and the handler with Sphinx."""
    app.add_config_value("learner_notebooks", DEFAULT_FOLDER, "html", types=[str])
    app.connect("html-page-context", point_launch_buttons, priority=600)  # after the theme's (501)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
