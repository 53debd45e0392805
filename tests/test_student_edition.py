"""The student edition: no solution survives, every exercise gets a blank, the notebooks run (in
tests/test_learner_envs.py, which runs the same code)."""

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
import yaml

from tests.helpers import ROOT, code_cells, run_script

CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
GATE_START, GATE_END = re.compile(r"\{solution-start\}"), re.compile(r"\{solution-end\}")
SOLUTION_BLOCK = re.compile(r"(`{3,})\{solution\}.*?\n\1", re.DOTALL)


def solution_lines(path: Path) -> set[str]:
    """Distinctive lines of the solutions of one instructor notebook (prose and code)."""
    inside, lines, elsewhere = False, [], []
    for cell in nbformat.read(path, as_version=4).cells:
        text = cell.source
        if cell.cell_type == "markdown":
            for match in SOLUTION_BLOCK.finditer(text):
                lines += match.group(0).splitlines()
            if GATE_START.search(text):
                inside = True
                elsewhere += text[:GATE_START.search(text).start()].splitlines()
                lines += text[GATE_START.search(text).end():].splitlines()[1:]  # after the label line
                continue
            if GATE_END.search(text):
                inside = False
                elsewhere += text[GATE_END.search(text).end():].splitlines()
                continue
        (lines if inside else elsewhere).extend(text.splitlines())
    common = "\n".join(elsewhere)  # a solution line that also occurs in the exercise text is no leak
    return {line.strip() for line in lines
            if len(line.strip()) >= 25 and line.strip() not in common and not line.strip().startswith(("```", ":"))}


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.classes = [], []

    def handle_starttag(self, tag, attrs):
        self.classes += (dict(attrs).get("class") or "").split()

    def handle_data(self, data):
        self.parts.append(data)


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    result = run_script("student_edition.py", "--out", str(out))
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert "WARNING" not in result.stdout + result.stderr
    assert "CRITICAL" not in result.stdout + result.stderr
    return out


def test_the_instructor_edition_has_solutions_to_remove():
    assert all(solution_lines(path) for path in CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_student_notebook_holds_no_solution_text(student, chapter):
    text = (student / "book" / chapter.name).read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=4)
    sources = "\n".join(cell.source for cell in notebook.cells)
    assert "{solution" not in sources
    leaked = [line for line in solution_lines(chapter) if line in sources]
    assert not leaked, leaked[:5]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_student_site_page_holds_no_solution(student, chapter):
    page = student / "_build" / "html" / "book" / chapter.with_suffix(".html").name
    parser = Text()
    parser.feed(page.read_text(encoding="utf-8"))
    assert "solution" not in parser.classes
    text = " ".join(" ".join(parser.parts).split())
    prose = [line for line in solution_lines(chapter) if "$" not in line and "`" not in line and "(" not in line]
    leaked = [line for line in prose if " ".join(line.split()) in text]
    assert not leaked, leaked[:5]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_every_exercise_gets_a_blank_to_answer_in(student, chapter):
    exercises = re.findall(r"\{exercise\}", chapter.read_text(encoding="utf-8"))
    notebook = nbformat.read(student / "book" / chapter.name, as_version=4)
    blanks = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith("# Your answer to ex-")]
    assert len(blanks) == len(exercises) >= 5


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_student_notebook_runs_the_code_the_learner_environments_run(student, chapter):
    # tests/test_learner_envs.py runs learner/student-edition's code top to bottom in two fresh
    # environments (learner notebooks and their student edition hold the same code); this notebook holds
    # the same code after its install cell, comments aside (the blanks' comments name the exercise by
    # its label here, by its number there), so those runs run it too
    def code(path):
        cells = code_cells(path)
        return [cells[0]] + ["\n".join(line for line in cell.splitlines() if not line.startswith("#"))
                             for cell in cells[1:]]

    site, learner = code(student / "book" / chapter.name), code(ROOT / "learner" / "student-edition" / chapter.name)
    assert all('"pip", "install"' in cells[0] for cells in (site, learner)), "no install cell comes first"
    assert site[1:] == learner[1:]


def test_the_student_site_has_no_instructor_guide(student):
    assert not (student / "book" / "instructor_guide.md").exists()
    assert not (student / "_build" / "html" / "book" / "instructor_guide.html").exists()
    assert "instructor_guide" not in (student / "_toc.yml").read_text(encoding="utf-8")
    assert "instructor_guide" not in (student / "_build" / "html" / "index.html").read_text(encoding="utf-8")


def test_no_button_of_the_student_site_opens_the_instructor_notebooks(student):
    # every link to Binder, Colab or the repository opens a student-edition learner notebook
    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    launches = 0
    for page in (student / "_build" / "html").rglob("*.html"):
        for link in map(unquote, re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8"))):
            if any(target in link for target in ("mybinder.org", "colab.research.google.com", url)):
                assert "learner/student-edition/" in link, (page.name, link)
                launches += 1
    assert launches, "the student site has no launch buttons at all"


def test_a_launch_path_points_the_launch_buttons_at_student_notebooks(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import student_edition
    finally:
        sys.path.pop(0)
    config = student_edition.write_config(tmp_path, "student/")
    assert config["repository"]["path_to_book"] == "student"
    assert config["launch_buttons"]["colab_url"]  # kept: they now open student/book/*.ipynb
    assert config["html"]["use_repository_button"] is False
    default = student_edition.write_config(tmp_path)
    assert default["sphinx"]["config"]["learner_notebooks"] == "learner/student-edition"
    assert default["html"]["use_repository_button"] is False
