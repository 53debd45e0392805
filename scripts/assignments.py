"""Build the autograded assignments, one per chapter, with otter-grader's ``otter assign``.

    python scripts/assignments.py                    # every assignments/NN_*.ipynb into assignments/dist/
    python scripts/assignments.py 02_derivatives     # one
    python scripts/assignments.py --out DIR          # somewhere else
    python scripts/assignments.py --execute          # first re-run the masters and save their outputs

Each master notebook in ``assignments/`` holds the questions made from one chapter's exercises, in
otter's format: a reference solution per question, public and hidden tests that print the verdict of
the companion's feedback functions (so a failing test shows the learner the same hint), and the
"explain" exercises as manually graded questions. Otter takes each test's expected output from the
master's stored outputs, so after editing a master, run this with ``--execute`` (it re-runs the
masters top to bottom in a fresh kernel and saves them; the test suite grades every reference solution
and fails on a stale output). ``otter assign`` then writes, for each assignment NAME:

    DIR/NAME/student/NAME.ipynb         the notebook to hand out (public tests only, no solutions)
    DIR/NAME/autograder/NAME.ipynb      the reference solution
    DIR/NAME/autograder/NAME-autograder_*.zip   for Gradescope, or to grade locally:
        otter run -a DIR/NAME/autograder/NAME-autograder_*.zip SUBMISSION.ipynb

The autograder installs the companion package pinned: the distribution ``matrix-calculus-companion``
at the version in ``pyproject.toml``, from the tag ``v<version>`` of the repository in ``_config.yml``
(tag the release before handing an assignment out), with NumPy, SymPy and Matplotlib at the versions
of ``requirements.txt``.
"""

import argparse
import contextlib
import io
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
MASTERS = ROOT / "assignments"
PINNED = ("numpy", "sympy", "matplotlib")


def autograder_requirements() -> str:
    """The packages the autograder installs, each pinned."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = dict(re.findall(r'^(name|version) = "([^"]+)"', pyproject, flags=re.MULTILINE))
    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    pins = [line.strip() for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if re.match(rf"({'|'.join(PINNED)})==", line.strip())]
    return "\n".join([f"{project['name']} @ git+{url}@v{project['version']}", *pins]) + "\n"


def execute(master: Path) -> None:
    """Run the master notebook top to bottom in a fresh kernel and save it with its outputs."""
    notebook = nbformat.read(master, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(master.parent)}}).execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps would change on every run
    nbformat.write(notebook, master)


def assign(master: Path, out: Path) -> None:
    """Run ``otter assign`` on one master notebook into ``out / master.stem``."""
    from otter.assign import main as otter_assign  # imported here: otter takes seconds to import

    target = (out / master.stem).resolve()
    if target.exists():
        shutil.rmtree(target)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        (work / "requirements.txt").write_text(autograder_requirements(), encoding="utf-8")
        shutil.copy(master, work / master.name)
        with contextlib.redirect_stdout(io.StringIO()):
            otter_assign(str(work / master.name), str(target))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="assignments to build, e.g. 02_derivatives (default: all)")
    parser.add_argument("--out", type=Path, default=MASTERS / "dist",
                        help="where to write (default: assignments/dist/)")
    parser.add_argument("--execute", action="store_true",
                        help="re-run each master and save its outputs before assigning")
    args = parser.parse_args(argv)
    masters = sorted(MASTERS.glob("[0-9]*.ipynb"))
    if args.names:
        masters = [m for m in masters if m.stem in args.names]
        missing = set(args.names) - {m.stem for m in masters}
        if missing:
            parser.error(f"no such assignment: {', '.join(sorted(missing))}")
    for master in masters:
        if args.execute:
            execute(master)
        assign(master, args.out)
        print(f"{master.stem}: {args.out / master.stem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
