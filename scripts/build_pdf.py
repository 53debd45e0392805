"""Build the PDF edition of the book with XeLaTeX: the whole book, or the student edition without solutions.

    python scripts/build_pdf.py              # _build/pdf/matrix-calculus-for-deep-learning.pdf
    python scripts/build_pdf.py --student    # _build/pdf/matrix-calculus-for-deep-learning-student.pdf
    python scripts/build_pdf.py --out DIR    # put the PDF into DIR instead

Needs TeX from the system's packages (Debian/Ubuntu; see README, "The PDF edition"):

    apt-get install -y --no-install-recommends texlive-xetex texlive-latex-extra \
        texlive-fonts-recommended latexmk fonts-freefont-otf

The student edition is the same book, retitled, with every solution left out (``pdf_solutions`` in
``_ext/pdf_edition.py``; gated solutions go whole, code cells included); it
is independent of ``scripts/student_edition.py`` (which writes the student notebooks and site). A site
built after this script links the whole-book PDF and ships it (see ``_ext/pdf_edition.py``).
"""

import argparse
import hashlib
import importlib.metadata
import shutil
import site
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NAME = "matrix-calculus-for-deep-learning"
SYSTEM_PACKAGES = ["texlive-xetex", "texlive-latex-extra", "texlive-fonts-recommended", "latexmk",
                   "fonts-freefont-otf"]
TOOLS = ["xelatex", "latexmk", "makeindex", "kpsewhich"]
INSTALL = ("apt-get install -y --no-install-recommends " + " ".join(SYSTEM_PACKAGES))


def missing() -> list[str]:
    """What the PDF build needs and this machine lacks: commands and the FreeSerif font."""
    absent = [tool for tool in TOOLS if shutil.which(tool) is None]
    if "kpsewhich" not in absent:
        found = subprocess.run(["kpsewhich", "FreeSerif.otf"], capture_output=True, text=True, check=False)
        if not found.stdout.strip():
            absent.append("the FreeSerif font (fonts-freefont-otf)")
    return absent


def sources_digest() -> str | None:
    """A SHA-256 of everything a build is made from, or None outside a git checkout.

    Every file in the tree that git tracks or would track (as it is on disk, edits included), except the
    tests, which the book does not read; the Python version and every installed package's version; and
    XeLaTeX's version. A build stamped with the same digest was made from the same sources by the same
    tools.
    """
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=False)
    if listed.returncode != 0:
        return None
    digest = hashlib.sha256()
    for name in sorted(set(listed.stdout.decode().split("\0")) - {""}):
        path = ROOT / name
        if not name.startswith("tests/") and path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    installed = importlib.metadata.distributions(path=site.getsitepackages())  # not sys.path: it has the cwd
    packages = sorted({f"{d.metadata['Name']}=={d.version}" for d in installed})
    tex = subprocess.run(["xelatex", "--version"], capture_output=True, text=True, check=False).stdout
    digest.update("\n".join([sys.version, *packages, tex.partition("\n")[0]]).encode())
    return digest.hexdigest()


def stamp(pdf: Path) -> Path:
    """Where the digest of the sources of ``pdf``'s build is kept: beside it, in the LaTeX folder."""
    return pdf.with_suffix(".sources")


def built_from_these_sources(work: Path) -> Path | None:
    """The whole book's PDF in ``work`` if it was built from exactly the sources and tools here, else None."""
    pdf = work / "_build" / "latex" / f"{NAME}.pdf"
    digest = sources_digest()
    if digest is None or not (pdf.is_file() and stamp(pdf).is_file()):
        return None
    return pdf if stamp(pdf).read_text(encoding="utf-8") == digest else None


def edition_config(work: Path, student: bool) -> Path | None:
    """A copy of _config.yml for the student edition (no solutions, its own title and file), or None."""
    if not student:
        return None
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] += " (student edition)"
    config["sphinx"].setdefault("config", {})["pdf_solutions"] = "none"  # see _ext/pdf_edition.py
    config.setdefault("latex", {}).setdefault("latex_documents", {})["targetname"] = f"{NAME}-student.tex"
    # Jupyter Book finds local extensions relative to the configuration file
    extensions = config["sphinx"].get("local_extensions") or {}
    config["sphinx"]["local_extensions"] = {name: str(ROOT / path) for name, path in extensions.items()}
    path = work / "_config_student.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def build(out: Path, work: Path, student: bool = False, tex_only: bool = False) -> Path:
    """Build one edition; return the PDF's path in ``out``. The LaTeX sources and log stay in ``work``.

    With ``tex_only``, stop after writing the LaTeX source (no TeX needed) and return its path.
    """
    work.mkdir(parents=True, exist_ok=True)
    digest = None if tex_only else sources_digest()  # before the build: the sources it starts from
    command = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(ROOT),
               "--builder", "latex" if tex_only else "pdflatex", "--path-output", str(work), "--keep-going"]
    config = edition_config(work, student)
    if config:
        command += ["--config", str(config)]
    result = subprocess.run(command, cwd=ROOT, check=False)
    name = f"{NAME}-student" if student else NAME
    pdf = work / "_build" / "latex" / (f"{name}.tex" if tex_only else f"{name}.pdf")
    if tex_only:
        if result.returncode != 0 or not pdf.is_file():
            raise SystemExit(f"the LaTeX build failed ({' '.join(command)})")
        return pdf
    if result.returncode != 0 or not pdf.is_file():
        raise SystemExit(f"the PDF build failed; see {work / '_build' / 'latex' / (name + '.log')}")
    if digest is not None:  # lets the PDF tests check this build instead of repeating it (tests/test_pdf.py)
        stamp(pdf).write_text(digest, encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, out / pdf.name)
    return out / pdf.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", action="store_true", help="the student edition, without solutions")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf", help="default: _build/pdf/")
    parser.add_argument("--tex-only", action="store_true", help="write the LaTeX source only (no TeX needed)")
    parser.add_argument("--work", type=Path, default=None,
                        help="where the LaTeX sources and log go (default: _build/pdf-work/<edition>)")
    args = parser.parse_args(argv)
    absent = [] if args.tex_only else missing()
    if absent:
        print(f"The PDF build needs TeX, which this machine lacks ({', '.join(absent)}).\n"
              f"Install it (Debian/Ubuntu): {INSTALL}", file=sys.stderr)
        return 2
    work = args.work or ROOT / "_build" / "pdf-work" / ("student" if args.student else "book")
    built = build(args.out.resolve(), work.resolve(), student=args.student, tex_only=args.tex_only)
    print(f"{'LaTeX' if args.tex_only else 'PDF'}: {built}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
