r"""The PDF edition: what the LaTeX build needs beyond Jupyter Book's defaults, and the site's link to it.

LaTeX builder (``scripts/build_pdf.py`` runs it):

- sphinx-jupyterbook-latex's document class ``jupyterBook.cls`` loads the ``bbm`` package only to
  define ``\RR``, ``\NN``, ... with ``\mathbbm``. On Debian ``bbm.sty`` comes only with the 508 MB
  ``texlive-fonts-extra``. The book never uses those macros, so the class is copied without that line
  and ``\mathbbm`` is ``\mathbb`` from amssymb (texlive-fonts-recommended).
- Every solution is moved out of the running text to a "Solutions" section at the end of its chapter,
  so a reader can try an exercise before seeing its answer (``pdf_solutions = "chapter-end"``), or
  removed, for the student PDF (``pdf_solutions = "none"``). sphinx-exercise itself offers only
  ``exercise_style``, which keeps them in place, and ``hide_solutions``, which in version 1.2.1 leaves
  the body of a gated solution (``solution-start`` ... ``solution-end``) in the text and breaks the
  LaTeX writer; here the gated solutions are already merged into one node and go whole.
- The title page names the version of the course (``version`` in ``pyproject.toml``).

HTML builder: when the PDF has been built (``pdf_edition_file``, by default
``_build/pdf/matrix-calculus-for-deep-learning.pdf``), it is copied into the site and the theme's
".pdf" download entry, which otherwise prints the one page, links the whole book instead.
"""

import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex import LaTeXBuilder
from sphinx.errors import ConfigError
from sphinx.transforms.post_transforms import SphinxPostTransform

PDF_NAME = "matrix-calculus-for-deep-learning.pdf"
SOLUTIONS = ("chapter-end", "none")
BBM = "\\RequirePackage{bbm}\n"
BBM_REPLACEMENT = "\\providecommand{\\mathbbm}{\\mathbb}  % bbm.sty needs texlive-fonts-extra\n"
# Sphinx lets an image take the whole text height, so a tall figure's caption ran into the footer:
# images get four fifths of it, the caption the rest.
IMAGE_MAX_HEIGHT = "\\makeatletter\\AtBeginDocument{\\spx@image@maxheight=.8\\textheight}\\makeatother\n"


def course_version(srcdir: Path) -> str:
    """The version in pyproject.toml next to the book, or an empty string."""
    pyproject = Path(srcdir) / "pyproject.toml"
    if not pyproject.is_file():
        return ""
    found = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(1) if found else ""


def patch_document_class(app) -> None:
    """Rewrite the copied jupyterBook.cls without bbm (runs after sphinx-jupyterbook-latex copied it)."""
    if not isinstance(app.builder, LaTeXBuilder):
        return
    cls = Path(app.outdir) / "jupyterBook.cls"
    if not cls.is_file():
        return
    text = cls.read_text(encoding="utf-8")
    if BBM not in text:
        raise RuntimeError(f"{cls} no longer loads bbm as expected: revisit _ext/pdf_edition.py")
    cls.write_text(text.replace(BBM, BBM_REPLACEMENT), encoding="utf-8")


def check_config(app, config) -> None:
    """Check ``pdf_solutions``; print the course's version on the PDF's title page (``release``)."""
    if config.pdf_solutions not in SOLUTIONS:
        expected = ", ".join(SOLUTIONS)
        raise ConfigError(f"pdf_solutions must be one of {expected}; got {config.pdf_solutions!r}")
    if not config.release:
        config.release = course_version(app.srcdir)


def leave_captions_room(app, config) -> None:
    """Let no image be taller than four fifths of the text height (see ``IMAGE_MAX_HEIGHT``)."""
    preamble = config.latex_elements.get("preamble", "")
    if IMAGE_MAX_HEIGHT not in preamble:
        config.latex_elements["preamble"] = preamble + IMAGE_MAX_HEIGHT


class SolutionsAtChapterEnd(SphinxPostTransform):
    """Move each chapter's solutions into a "Solutions" section at its end, or drop them (student PDF)."""

    builders = ("latex",)
    default_priority = 30  # after sphinx-exercise has numbered the solutions' titles (20-22)

    def run(self, **kwargs) -> None:
        """Collect the solutions of each included document (chapter) into its last top-level section."""
        from sphinx_exercise.nodes import solution_node

        for chapter in list(self.document.findall(addnodes.start_of_file)):
            mine = list(_own(chapter, solution_node))
            if self.config.pdf_solutions == "none":
                for node in mine:
                    node.parent.remove(node)
                continue
            sections = [child for child in chapter.children if isinstance(child, nodes.section)]
            if not mine or not sections:
                continue
            collected = nodes.section(ids=[nodes.make_id(f"solutions-{chapter['docname']}")])
            collected += nodes.title("", "Solutions")
            for node in mine:
                node.parent.remove(node)
                collected += node
            sections[-1] += collected


def _own(node, kind):
    """The nodes of ``kind`` under ``node``, not descending into other chapters' files."""
    for child in node.children:
        if isinstance(child, kind):
            yield child
        elif isinstance(child, nodes.Element) and not isinstance(child, addnodes.start_of_file):
            yield from _own(child, kind)


def pdf_source(app) -> Path | None:
    """The built PDF, if there is one."""
    path = Path(app.srcdir) / app.config.pdf_edition_file
    return path if path.is_file() else None


def link_the_pdf(app, pagename, templatename, context, doctree):
    """Point the theme's ".pdf" download entry at the whole book instead of printing one page."""
    if pdf_source(app) is None:
        return
    url = context["pathto"](PDF_NAME, 1)
    for group in context.get("header_buttons", []):
        for i, button in enumerate(group.get("buttons", [])):
            if button.get("label") == "download-pdf-button":
                group["buttons"][i] = {
                    "type": "link", "url": url, "text": ".pdf (whole book)", "icon": "fas fa-file-pdf",
                    "tooltip": "Download the whole book as a PDF", "label": "download-pdf-button",
                }


def copy_the_pdf(app, exception) -> None:
    """Ship the built PDF with the site."""
    if exception is None and app.builder.format == "html" and pdf_source(app) is not None:
        shutil.copyfile(pdf_source(app), Path(app.outdir) / PDF_NAME)


def setup(app):
    """Register the LaTeX and HTML parts with Sphinx."""
    app.add_config_value("pdf_solutions", "chapter-end", "env", types=[str])
    app.add_config_value("pdf_edition_file", f"_build/pdf/{PDF_NAME}", "html", types=[str])
    app.connect("config-inited", check_config)
    app.connect("config-inited", leave_captions_room)
    app.connect("builder-inited", patch_document_class, priority=900)
    app.add_post_transform(SolutionsAtChapterEnd)
    app.connect("html-page-context", link_the_pdf, priority=600)  # after the theme added its buttons
    app.connect("build-finished", copy_the_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

