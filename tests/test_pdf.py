"""The PDF edition: built once with XeLaTeX (``scripts/build_pdf.py``) and checked as a printed book.

The whole book is built once per session, and the student edition's LaTeX source (no TeX run) is
written at the same time. When ``scripts/build_pdf.py`` has already built the book from exactly these
sources with these tools (its stamp, ``sources_digest()``: every file git tracks or would track outside
tests/, edits included, every installed package's version and XeLaTeX's), the tests check that build
instead of repeating it: ``.ci/run`` builds the PDF just before the suite, so that the site links it.
They need TeX and poppler-utils from the system's packages (see README, "The PDF edition");
``.ci/run`` installs them. Without them ``test_tex_is_installed`` fails with the command that installs
them and the other PDF tests are skipped; deselect all of them with ``-m "not pdf"``.

The site's link to the PDF (``_ext/pdf_edition.py``) is tested here without TeX.
"""

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from tests.helpers import ROOT, toc_files

TOOLS_FROM_POPPLER = ["pdfinfo", "pdffonts", "pdfimages", "pdftotext"]


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_pdf = load(ROOT / "scripts" / "build_pdf.py")
pdf_edition = load(ROOT / "_ext" / "pdf_edition.py")
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def missing_tools() -> list[str]:
    return build_pdf.missing() + [tool for tool in TOOLS_FROM_POPPLER if shutil.which(tool) is None]


def toc_pages() -> list[Path]:
    pages = []
    for entry in toc_files():
        pages += [p for p in (ROOT / f"{entry}.ipynb", ROOT / f"{entry}.md") if p.is_file()]
    return pages


def markdown_of(page: Path) -> str:
    if page.suffix == ".md":
        return page.read_text(encoding="utf-8")
    cells = json.loads(page.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def shown_outputs(page: Path):
    """The outputs of the notebook's code cells that the book shows."""
    if page.suffix != ".ipynb":
        return
    for cell in json.loads(page.read_text(encoding="utf-8"))["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "code" and not tags & {"remove-cell", "remove-output"}:
            yield from cell.get("outputs", [])


def plain(text: str) -> str:
    """Text as pdftotext gives it: no Markdown marks, one space between words."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("`", "").replace("*", "")
    return " ".join(text.split())


def run(*command) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.pdf
def test_tex_is_installed():
    absent = missing_tools()
    if absent:
        pytest.fail(
            f"The PDF tests need TeX and poppler-utils, which this machine lacks ({', '.join(absent)}). "
            f"Install them (Debian/Ubuntu): {build_pdf.INSTALL} poppler-utils -- "
            "or leave the PDF out of this run: pytest -m 'not pdf'", pytrace=False)


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    """The whole book's PDF, LaTeX source, LaTeX log and text, and the student edition's LaTeX source.

    The student edition's source is written while XeLaTeX typesets the book (each takes one core).
    """
    if missing_tools():
        pytest.skip("TeX is missing: see test_tex_is_installed")
    out = tmp_path_factory.mktemp("pdf")
    student = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "build_pdf.py"), "--student", "--tex-only",
         "--out", str(out / "out"), "--work", str(out / "student")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    work = ROOT / "_build" / "pdf-work" / "book"  # where scripts/build_pdf.py builds the whole book
    pdf = build_pdf.built_from_these_sources(work)
    if pdf is None:
        work = out / "work"
        try:
            pdf = build_pdf.build(out / "out", work)
        except SystemExit as failure:
            student.kill()
            student.communicate()
            pytest.fail(str(failure), pytrace=False)
    student_log = student.communicate(timeout=900)[0]
    student_tex = out / "student" / "_build" / "latex" / f"{build_pdf.NAME}-student.tex"
    if student.returncode != 0 or not student_tex.is_file():
        pytest.fail(f"the student edition's LaTeX build failed:\n{student_log[-3000:]}", pytrace=False)
    latex = work / "_build" / "latex"
    return SimpleNamespace(pdf=pdf, tex=(latex / pdf.with_suffix(".tex").name).read_text(encoding="utf-8"),
                           log=(latex / pdf.with_suffix(".log").name).read_text(encoding="utf-8", errors="replace"),
                           text=run("pdftotext", "-layout", str(pdf), "-"),
                           info=run("pdfinfo", str(pdf)),
                           student_tex=student_tex)


@pytest.mark.pdf
def test_pdf_has_the_books_file_name_title_and_version(book):
    version = pdf_edition.course_version(ROOT)
    assert book.pdf.name == "matrix-calculus-for-deep-learning.pdf"
    assert re.search(rf"^Title:\s+{re.escape(CONFIG['title'])}$", book.info, re.MULTILINE)
    title_page = run("pdftotext", "-f", "1", "-l", "1", str(book.pdf), "-")
    assert CONFIG["title"] in title_page
    assert f"Release {version}" in title_page


@pytest.mark.pdf
def test_pdf_has_every_page_of_the_table_of_contents(book):
    pages = int(re.search(r"^Pages:\s+(\d+)", book.info, re.MULTILINE).group(1))
    assert pages >= 100, f"only {pages} pages (111 when the PDF edition began)"
    text = " ".join(book.text.split())
    for page in toc_pages():
        title = next(line[2:] for line in markdown_of(page).splitlines() if line.startswith("# "))
        assert plain(title) in text, f"{page.name}: its title {title!r} is not in the PDF"


@pytest.mark.pdf
def test_every_font_is_embedded(book):
    rows = run("pdffonts", str(book.pdf)).splitlines()[2:]
    assert rows
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, not_embedded
    names = " ".join(row.split()[0] for row in rows)
    assert "FreeSerif" in names, names
    assert "LatinModernMath" in names, names


@pytest.mark.pdf
def test_latex_lost_no_reference_character_or_file(book):
    problems = re.findall(r"^(?:! .*|.*undefined references.*|.*Reference `.*' .* undefined.*"
                          r"|Missing character: .*|.*File `.*' not found.*|LaTeX Warning: Citation .*)$",
                          book.log, re.MULTILINE)
    assert not problems, problems[:10]
    assert "??" not in book.text, "an unresolved reference printed as ??"


@pytest.mark.pdf
def test_every_figure_is_in_the_pdf(book):
    figures = sum("image/png" in output.get("data", {}) for page in toc_pages() for output in shown_outputs(page))
    figures += sum(len(re.findall(r"!\[|\{(?:figure|image)\}", markdown_of(page))) for page in toc_pages())
    images = [row for row in run("pdfimages", "-list", str(book.pdf)).splitlines()[2:] if row.split()[2] == "image"]
    assert figures > 0
    assert len(images) >= figures, f"{len(images)} images in the PDF, {figures} figures in the book"


@pytest.mark.pdf
def test_every_equation_and_sympy_output_is_typeset(book):
    # An equation LaTeX could not typeset would have stopped it with a "! ..." error (see above); one
    # that was lost as text would leave its TeX source in the prose (code may show TeX on purpose).
    prose = re.sub(r"\\begin\{sphinxVerbatim\}.*?\\end\{sphinxVerbatim\}", "", book.tex, flags=re.DOTALL)
    prose = re.sub(r"\\sphinxcode\{\\sphinxupquote\{.*?\}\}", "", prose)
    leaks = re.findall(r"\\textbackslash\{\}(?:frac|begin|mathbf|partial|sum)\b|\\\$\\\$", prose)
    assert not leaks, leaks[:5]
    latex_outputs = [output["data"]["text/latex"] for page in toc_pages() for output in shown_outputs(page)
                     if "text/latex" in output.get("data", {})]
    assert latex_outputs, "no notebook shows a SymPy result as LaTeX"
    for output in latex_outputs:
        body = "".join(output).strip().strip("$").strip()
        assert body in book.tex, f"SymPy output not typeset: {body[:80]}"
        assert f"\\begin{{split}}{body}" in book.tex.replace("\n", "")


@pytest.mark.pdf
def test_solutions_are_collected_at_the_end_of_each_chapter(book):
    sources = "\n".join(markdown_of(page) for page in toc_pages())
    solutions = len(re.findall(r"\{solution(?:-start)?\}", sources))
    assert solutions > 0
    assert book.tex.count("{Solution to Exercise") == solutions
    for chapter in book.tex.split("\\chapter{")[1:]:
        first_solution = chapter.find("{Solution to Exercise")
        if first_solution < 0:
            continue
        assert chapter.rfind("{Exercise ") < chapter.find("\\section{Solutions}") < first_solution, \
            chapter.split("}", 1)[0]


def gated_solution_code_cells() -> int:
    """Code cells inside solution-start ... solution-end in the chapters."""
    count = 0
    for page in toc_pages():
        if page.suffix != ".ipynb":
            continue
        inside = False
        for cell in json.loads(page.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                if "{solution-start}" in source or "{solution-end}" in source:
                    inside = source.rfind("{solution-start}") > source.rfind("{solution-end}")
            elif inside:
                count += 1
    return count


@pytest.mark.pdf
def test_student_edition_has_every_exercise_and_no_solution(book):
    tex = book.student_tex.read_text(encoding="utf-8")
    sources = "\n".join(markdown_of(page) for page in toc_pages())
    assert "(student edition)" in tex
    assert tex.count("{Exercise ") == len(re.findall(r"\{exercise(?:-start)?\}", sources)) > 0
    assert "{Solution to" not in tex
    assert "\\section{Solutions}" not in tex
    # a gated solution's code cells go with it: the student edition has exactly that many fewer
    cells = r"\begin{sphinxVerbatimInput}"
    assert book.tex.count(cells) - tex.count(cells) == gated_solution_code_cells() > 0


def fake_app(tmp_path, pdf_exists):
    (tmp_path / "_build" / "pdf").mkdir(parents=True)
    if pdf_exists:
        (tmp_path / "_build" / "pdf" / pdf_edition.PDF_NAME).write_bytes(b"%PDF-1.5 stand-in")
    out = tmp_path / "html"
    out.mkdir()
    config = SimpleNamespace(pdf_edition_file=f"_build/pdf/{pdf_edition.PDF_NAME}")
    return SimpleNamespace(srcdir=tmp_path, outdir=out, config=config, builder=SimpleNamespace(format="html"))


def page_context():
    printing = {"type": "javascript", "javascript": "window.print()", "text": ".pdf", "label": "download-pdf-button"}
    buttons = [{"type": "link", "url": "_sources/x.ipynb", "label": "download-notebook-button"}, printing]
    return {"pathto": lambda name, resource: f"../{name}",
            "header_buttons": [{"type": "group", "label": "download-buttons", "buttons": buttons}]}


def test_site_links_and_ships_the_pdf_once_built(tmp_path):
    app, context = fake_app(tmp_path, pdf_exists=True), page_context()
    pdf_edition.link_the_pdf(app, "book/01_problem", "page.html", context, None)
    button = context["header_buttons"][0]["buttons"][1]
    assert button["type"] == "link"
    assert button["url"] == "../matrix-calculus-for-deep-learning.pdf"
    pdf_edition.copy_the_pdf(app, None)
    assert (app.outdir / pdf_edition.PDF_NAME).read_bytes() == b"%PDF-1.5 stand-in"


def test_site_keeps_the_print_button_without_a_pdf(tmp_path):
    app, context = fake_app(tmp_path, pdf_exists=False), page_context()
    pdf_edition.link_the_pdf(app, "book/01_problem", "page.html", context, None)
    assert context == page_context() | {"pathto": context["pathto"]}
    pdf_edition.copy_the_pdf(app, None)
    assert not (app.outdir / pdf_edition.PDF_NAME).exists()


def test_an_unknown_solutions_setting_is_a_clear_error():
    from sphinx.errors import ConfigError

    config = SimpleNamespace(pdf_solutions="end", release="")
    with pytest.raises(ConfigError, match=r"pdf_solutions must be one of chapter-end, none; got 'end'"):
        pdf_edition.check_config(SimpleNamespace(srcdir=ROOT), config)
    config.pdf_solutions = "none"
    pdf_edition.check_config(SimpleNamespace(srcdir=ROOT), config)
    assert config.release == pdf_edition.course_version(ROOT) != ""


def test_a_pdf_is_reused_only_when_built_from_the_same_sources(tmp_path, monkeypatch):
    tree = tmp_path / "tree"
    (tree / "book").mkdir(parents=True)
    (tree / "tests").mkdir()
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    chapter = tree / "book" / "chapter.md"
    chapter.write_text("# One\n", encoding="utf-8")
    monkeypatch.setattr(build_pdf, "ROOT", tree)
    work = tmp_path / "work"
    pdf = work / "_build" / "latex" / f"{build_pdf.NAME}.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.5")
    assert build_pdf.built_from_these_sources(work) is None  # no stamp: never reused
    build_pdf.stamp(pdf).write_text(build_pdf.sources_digest(), encoding="utf-8")
    assert build_pdf.built_from_these_sources(work) == pdf
    (tree / "tests" / "test_more.py").write_text("", encoding="utf-8")  # the tests are not a source
    assert build_pdf.built_from_these_sources(work) == pdf
    chapter.write_text("# One, edited\n", encoding="utf-8")  # an edit, committed or not
    assert build_pdf.built_from_these_sources(work) is None
    chapter.write_text("# One\n", encoding="utf-8")
    (tree / "book" / "new.md").write_text("# Two\n", encoding="utf-8")  # a new file, not yet added to git
    assert build_pdf.built_from_these_sources(work) is None
