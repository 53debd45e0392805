"""The otter-grader assignments: each builds, its reference solution gets full marks, an unanswered
student notebook gets less and sees the companion's own feedback, and no solution reaches students.

The assignments are built once (``scripts/assignments.py``, which runs ``otter assign``) and the
notebooks (a reference solution and an unanswered one per chapter) are graded by otter's
non-containerized grader, the function behind ``otter run``, in two child processes side by side.
Cost, measured with nine chapters: about 120 s of processor time in all (each grading starts a
kernel that imports otter, NumPy, SymPy and the companion).
"""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from tests.helpers import ROOT, run_script

MASTERS = sorted((ROOT / "assignments").glob("[0-9]*.ipynb"))
CHAPTERS = sorted((ROOT / "book").glob("[0-9]*.ipynb"))

GRADER = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
from otter.api import grade_submission
for submission, autograder in json.loads(sys.stdin.read()):
    results = grade_submission(submission, autograder, quiet=True)
    outputs = results.summary()
    print(json.dumps([submission, results.total, results.possible, outputs]), flush=True)
"""


def grade(pairs):
    result = subprocess.run([sys.executable, "-c", GRADER], input=json.dumps(pairs), capture_output=True,
                            text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignments")
    result = run_script("assignments.py", "--out", str(out))
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return out


@pytest.fixture(scope="module")
def graded(built):
    pairs = []
    for master in MASTERS:
        (autograder,) = (built / master.stem / "autograder").glob("*-autograder_*.zip")
        for kind in ("autograder", "student"):
            pairs.append([str(built / master.stem / kind / master.name), str(autograder)])
    with ThreadPoolExecutor(2) as pool:  # two graders at once: one per core
        halves = list(pool.map(grade, [pairs[0::2], pairs[1::2]]))
    return {submission: (total, possible, output) for half in halves for submission, total, possible, output in half}


def test_there_is_one_assignment_per_chapter():
    assert [m.stem for m in MASTERS] == [c.stem for c in CHAPTERS]


def test_each_assignment_has_public_hidden_and_manual_questions():
    for master in MASTERS:
        sources = [c.source for c in nbformat.read(master, as_version=4).cells]
        assert any(s.startswith("# HIDDEN") for s in sources), master.name
        assert any(s.startswith("# BEGIN QUESTION") and "manual: true" in s for s in sources), master.name
        tests = [s for s in sources if "cp.check_" in s]
        assert len(tests) >= 4, master.name


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_the_reference_solution_gets_full_marks(built, graded, master):
    total, possible, output = graded[str(built / master.stem / "autograder" / master.name)]
    assert possible >= 6
    assert total == possible, output


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_an_unanswered_notebook_gets_less_and_sees_the_feedback(built, graded, master):
    total, possible, output = graded[str(built / master.stem / "student" / master.name)]
    assert total < possible
    # the learner sees the verdict of the companion's feedback function itself, e.g. for `answer = ...`
    assert ("Not yet. expected the formula as a string, got ellipsis" in output
            or "Not yet. your answer could not be read as numbers: 'Ellipsis'." in output
            or "Not yet. what your gradient function returned could not be read as numbers" in output), output


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_the_student_notebook_holds_no_solution_and_no_hidden_test(built, master):
    student = (built / master.stem / "student" / master.name).read_text(encoding="utf-8")
    cells = nbformat.read(master, as_version=4).cells
    solutions = [cells[k + 1].source for k, c in enumerate(cells) if c.source.strip() == "# BEGIN SOLUTION"]
    lines = {line.replace("# SOLUTION", "").strip() for s in solutions for line in s.splitlines()}
    leaked = [line for line in lines if len(line) > 12 and not line.startswith(("def ", "#"))
              and json.dumps(line)[1:-1] in student]
    assert not leaked
    hidden = [c.source.splitlines()[-1] for c in cells if c.source.startswith("# HIDDEN")]
    assert not [line for line in hidden if json.dumps(line)[1:-1] in student]
    assert "_Type your answer here, replacing this text._" in student  # the manual question's blank
