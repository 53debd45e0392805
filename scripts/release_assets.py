"""Build a release's assets into dist/ and list them: what a version tag attaches to its GitHub release.

    python scripts/release_assets.py                  # dry run: the assets of v<version in pyproject.toml>
    python scripts/release_assets.py --tag v0.1.0     # the release workflow: the tag must be v<version>

The release tag is ``v`` + ``version`` of ``pyproject.toml`` (the learner notebooks' install cells
install that tag). With NAME = matrix-calculus-for-deep-learning and TAG the tag, dist/ gets

- ``NAME-TAG.pdf`` and ``NAME-TAG-student.pdf``: the book and the student PDF (``scripts/build_pdf.py``);
- ``NAME-TAG-site.zip``: the site, linking the PDF, to read offline;
- ``NAME-TAG-student-edition.zip``: notebooks without solutions and their site
  (``scripts/student_edition.py``);
- ``NAME-TAG-learner-notebooks.zip``: ``learner/`` as ``scripts/learner_notebooks.py`` makes it, when
  that script is present (it must report no stale file);
- ``NAME-TAG-autograder-*.zip``: every zip that ``scripts/assignments.py --out DIR`` writes, when that
  script is present;
- ``SHA256SUMS``.

Needs TeX (README, "The PDF edition"). Intermediate files go to ``_build/release``.
"""

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "matrix-calculus-for-deep-learning"
WORK = ROOT / "_build" / "release"


def release_tag() -> str:
    """``v`` + the version in pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if version is None:
        raise SystemExit("pyproject.toml has no version = \"...\" line")
    return "v" + version.group(1)


def run(*args: str) -> None:
    print("$", " ".join(args), flush=True)
    subprocess.run(args, cwd=ROOT, check=True)


def python(script: str, *args: str) -> None:
    run(sys.executable, str(ROOT / "scripts" / script), *args)


def zip_folder(target: Path, folder: Path, *parts: str) -> Path:
    """Zip ``folder`` (or only its sub-folders ``parts``) into ``target``.zip; return the zip's path."""
    if parts:
        staging = WORK / "zip" / target.name
        shutil.rmtree(staging, ignore_errors=True)
        for part in parts:
            shutil.copytree(folder / part, staging / part)
        folder = staging
    return Path(shutil.make_archive(str(target), "zip", root_dir=folder))


def build(dist: Path, tag: str) -> list[str]:
    """Build every asset into ``dist``; return notes on the assets that could not be built here."""
    notes = []
    jupyter_book = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]

    python("build_pdf.py")
    python("build_pdf.py", "--student")
    shutil.copyfile(ROOT / "_build" / "pdf" / f"{NAME}.pdf", dist / f"{NAME}-{tag}.pdf")
    shutil.copyfile(ROOT / "_build" / "pdf" / f"{NAME}-student.pdf", dist / f"{NAME}-{tag}-student.pdf")

    run(*jupyter_book, "build", ".", "-W", "-n", "--keep-going", "--all")
    zip_folder(dist / f"{NAME}-{tag}-site", ROOT / "_build" / "html")

    python("student_edition.py", "--out", str(WORK / "student"))
    zip_folder(dist / f"{NAME}-{tag}-student-edition", WORK / "student", "book", "_build/html")

    if (ROOT / "scripts" / "learner_notebooks.py").is_file():
        python("learner_notebooks.py", "--check")  # the committed learner notebooks are up to date
        zip_folder(dist / f"{NAME}-{tag}-learner-notebooks", ROOT / "learner")
    else:
        notes.append("learner notebooks: scripts/learner_notebooks.py is not in this checkout")

    if (ROOT / "scripts" / "assignments.py").is_file():
        out = WORK / "autograder"
        shutil.rmtree(out, ignore_errors=True)
        python("assignments.py", "--out", str(out))
        zips = sorted(out.rglob("*.zip"))
        if not zips:
            raise SystemExit("scripts/assignments.py wrote no zip")
        for path in zips:
            shutil.copyfile(path, dist / f"{NAME}-{tag}-autograder-{path.name}")
    else:
        notes.append("autograder zips: scripts/assignments.py is not in this checkout")
    return notes


def checksums(dist: Path) -> None:
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in sorted(dist.iterdir())]
    (dist / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", help="the tag being released; must be v<version in pyproject.toml>")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    args = parser.parse_args(argv)
    tag = release_tag()
    if args.tag is not None and args.tag != tag:
        print(f"the tag {args.tag} does not match pyproject.toml's version: expected {tag}", file=sys.stderr)
        return 2
    shutil.rmtree(args.dist, ignore_errors=True)
    args.dist.mkdir(parents=True)
    WORK.mkdir(parents=True, exist_ok=True)
    notes = build(args.dist, tag)
    checksums(args.dist)
    print(f"\nrelease assets of {tag} in {args.dist}:")
    for path in sorted(args.dist.iterdir()):
        print(f"  {path.stat().st_size / 1e6:8.2f} MB  {path.name}")
    for note in notes:
        print(f"  not built: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
