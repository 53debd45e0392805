"""Make the student edition: chapter notebooks without solutions, and a site built without them.

    python scripts/student_edition.py                 # writes student/ and builds student/_build/html
    python scripts/student_edition.py --out DIR       # somewhere else
    python scripts/student_edition.py --no-build      # the notebooks only
    python scripts/student_edition.py --launch-path student   # launch buttons open student/book/*.ipynb

In each chapter notebook every ``solution`` block, and every cell between ``solution-start`` and
``solution-end``, is removed; after each exercise comes an empty code cell to answer in. The rest of
the notebook, outputs included, is unchanged, so a learner can run it from the top up to the
blanks. The instructor edition (the repository's ``book/``) is what is published by default.

The student site leaves out the instructor guide, and no button of it opens the instructor notebooks:
the repository button is switched off, and the Binder, Colab and JupyterHub buttons open the student
edition's learner notebooks, ``learner/student-edition/NN_name.ipynb`` (plain Markdown, no solutions;
made by ``scripts/learner_notebooks.py`` and committed), unless ``--launch-path PATH`` names another
folder of the repository that holds student notebooks as ``PATH/book/NN_name.ipynb``. Solutions are
kept off the pages by sphinx-exercise's ``hide_solutions`` as well, and out of the notebook files by
the expressions below, since a downloaded or launched notebook is the file itself, not the page.
"""

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
FENCE = r"(`{3,}|:{3,})"
SOLUTION_BLOCK = re.compile(FENCE + r"\{solution\}.*?\n\1[ \t]*(?:\n|$)", re.DOTALL)
EXERCISE_BLOCK = re.compile(FENCE + r"\{exercise\}[^\n]*\n(.*?)\n\1[ \t]*(?:\n|$)", re.DOTALL)
LABEL = re.compile(r":label:\s*(\S+)")
GATE_START = re.compile(FENCE + r"\{solution-start\}")
GATE_END = re.compile(FENCE + r"\{solution-end\}[^\n]*\n\1[ \t]*(?:\n|$)")


def answer_cell(label: str) -> nbformat.NotebookNode:
    """An empty code cell to answer an exercise in."""
    return nbformat.v4.new_code_cell(f"# Your answer to {label}: write and run your code here.\n")


def split_at_exercises(text: str) -> list[nbformat.NotebookNode]:
    """Markdown text as cells, each exercise directive followed by an answer cell."""
    cells, start = [], 0
    for match in EXERCISE_BLOCK.finditer(text):
        chunk = text[start:match.end()].strip()
        if chunk:
            cells.append(nbformat.v4.new_markdown_cell(chunk))
        label = LABEL.search(match.group(2))
        cells.append(answer_cell(label.group(1) if label else "the exercise"))
        start = match.end()
    rest = text[start:].strip()
    if rest:
        cells.append(nbformat.v4.new_markdown_cell(rest))
    return cells


def strip_solutions(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return the notebook without solutions and with a blank cell after each exercise."""
    cells, inside = [], False
    for cell in notebook.cells:
        if inside:
            if cell.cell_type != "markdown" or not GATE_END.search(cell.source):
                continue
            inside = False
            source = cell.source[GATE_END.search(cell.source).end():]
        else:
            source = cell.source
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        source = SOLUTION_BLOCK.sub("", source)
        gate = GATE_START.search(source)
        if gate:
            source, inside = source[:gate.start()], True
        cells.extend(split_at_exercises(source))
    if inside:
        raise ValueError("a solution-start has no solution-end")
    notebook.cells = cells
    return notebook


INSTRUCTOR_ONLY = ("book/instructor_guide",)


STUDENT_LEARNER_NOTEBOOKS = "learner/student-edition"


def write_config(out: Path, launch_path: str | None = None) -> dict:
    """The instructor edition's configuration, retitled, with sphinx-exercise hiding any solution.

    No button may open the instructor notebooks: the repository button is switched off, and the launch
    buttons open the student edition's learner notebooks, or ``launch_path/book/`` when it is given.
    """
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] += " (student edition)"
    config["sphinx"].setdefault("config", {})["hide_solutions"] = True
    html = config.setdefault("html", {})
    html.update(use_repository_button=False, use_issues_button=False, use_edit_page_button=False)
    if launch_path is None:
        config["sphinx"]["config"]["learner_notebooks"] = STUDENT_LEARNER_NOTEBOOKS
    else:
        config["sphinx"]["config"]["learner_notebooks"] = ""  # the buttons open launch_path/book/ as it is
        config.setdefault("repository", {})["path_to_book"] = launch_path.strip("/")
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config


def write_toc(out: Path) -> None:
    """The table of contents without the instructor-only pages, which are not copied either."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        part["chapters"] = [c for c in part["chapters"] if c.get("file") not in INSTRUCTOR_ONLY]
    (out / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    for page in INSTRUCTOR_ONLY:
        for path in (out / page).parent.glob(Path(page).name + ".*"):
            path.unlink()


def make(out: Path, launch_path: str | None = None) -> None:
    """Write the student edition's sources into ``out``."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(ROOT / "book", out / "book", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "_ext", out / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", out / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    write_toc(out)
    (out / "benchmarks").mkdir()
    # the benchmarks appendix includes the committed results
    shutil.copy(ROOT / "benchmarks" / "results.md", out / "benchmarks" / "results.md")
    write_config(out, launch_path)
    for path in sorted((out / "book").glob("*.ipynb")):
        nbformat.write(strip_solutions(nbformat.read(path, as_version=4)), path)


def build(out: Path) -> int:
    """Build the student site into ``out/_build/html`` with the same strictness as the main site."""
    command = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(out),
               "-W", "-n", "--keep-going"]
    return subprocess.run(command, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "student",
                        help="where to write (default: student/)")
    parser.add_argument("--no-build", action="store_true", help="write the notebooks, do not build the site")
    parser.add_argument("--launch-path", default=None,
                        help="folder of the repository holding student notebooks as PATH/book/*.ipynb, for "
                             "the launch buttons (default: the learner notebooks in learner/student-edition)")
    args = parser.parse_args(argv)
    make(args.out, args.launch_path)
    print(f"student notebooks: {args.out / 'book'}")
    if args.no_build:
        return 0
    code = build(args.out)
    if code == 0:
        print(f"student site: {args.out / '_build' / 'html' / 'index.html'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
