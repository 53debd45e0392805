"""The book: every notebook is listed, run in order, checked by nbval, and the site builds cleanly.

nbval itself re-runs each notebook under ``book/`` and compares its outputs (see ``addopts`` in
pyproject.toml); these tests check what nbval cannot see.
"""

import json
import re
import subprocess
import sys

import pytest
import yaml

from tests.helpers import NOTEBOOKS, ROOT, toc_files


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks under book/"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_is_in_the_table_of_contents(notebook):
    assert str(notebook.relative_to(ROOT).with_suffix("")) in toc_files()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_was_saved_after_one_clean_run(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    counts = [c["execution_count"] for c in cells if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), f"execution counts {counts}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_imports_the_companion_package(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    # a line of code, not a comment or a string that mentions it
    assert any(re.search(r"^import companion as cp\s*$", source, re.MULTILINE) for source in code)


def test_nbval_fails_when_a_stored_output_is_wrong(tmp_path):
    # The comparison must be able to fail: change one stored number and nbval must notice.
    notebook = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        outputs = [o for o in cell.get("outputs", []) if o.get("name") == "stdout"]
        if outputs:
            outputs[0]["text"] = ["a value the code does not print\n"]
            del notebook["cells"][index + 1:]  # the cells after it have nothing to show here
            break
    else:
        pytest.fail("the first notebook prints nothing to compare")
    copy = tmp_path / "tampered.ipynb"
    copy.write_text(json.dumps(notebook), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
         "-o", "addopts=", "-q", str(copy)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "a value the code does not print" in result.stdout


def test_site_builds_without_warnings(built_site):
    _, result = built_site
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    problems = [line for line in log.splitlines() if "WARNING" in line or "CRITICAL" in line or "ERROR" in line]
    assert not problems, problems


def test_the_root_page_redirects_to_the_first_page_and_fetches_no_icon(built_site):
    # without an icon of its own, the browser asks for /favicon.ico, which the site lacks (a 404 in the
    # console); an icon file would be fetched and then cancelled by the redirect: the icon is empty data
    html, _ = built_site
    root = (html / "index.html").read_text(encoding="utf-8")
    target = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', root).group(1)
    assert (html / target).is_file()
    assert '<link rel="icon" href="data:,">' in root
    assert f'<a href="{target}">' in root
    assert '<link rel="icon" href="../_static/favicon.svg"' in (html / target).read_text(encoding="utf-8")


def test_every_page_of_the_toc_is_built(built_site):
    html, _ = built_site
    for entry in toc_files():
        assert (html / f"{entry}.html").is_file(), entry


def test_pages_load_katex_styles_and_fonts_from_the_site_itself(built_site):
    html, _ = built_site
    assert (html / "_static" / "katex" / "katex.min.css").is_file()
    assert (html / "_static" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2").is_file()
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        # Links to other sites are fine; scripts, styles, images and frames from them are not.
        remote = re.findall(r"""<(?:script|img|iframe)[^>]*\ssrc=["'](?:https?:)?//[^"']*|<link[^>]*\shref=["'](?:https?:)?//[^"']*""", text)
        assert not remote, f"{page.name} loads from another host: {remote}"


def chapter_cells(notebook):
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_install_cell_points_at_the_configured_repository(notebook):
    # One setting drives the launch buttons and the Colab/Binder install cell: repository.url.
    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    code = [c for c in chapter_cells(notebook) if c["cell_type"] == "code"]
    install = code[0]
    assert f'repository = "{url}"' in "".join(install["source"]), "run python scripts/set_repository.py"
    assert {"remove-cell", "nbval-skip"} <= set(install["metadata"].get("tags", []))


def test_notation_table_in_the_first_chapter_is_the_appendix_table():
    table = (ROOT / "book" / "_notation.md").read_text(encoding="utf-8").split("\n\n", 1)[1].strip()
    chapter = "".join("".join(c["source"]) for c in chapter_cells(ROOT / "book" / "01_problem.ipynb"))
    assert table in chapter


def test_api_page_documents_every_public_function():
    import companion

    page = (ROOT / "book" / "api.md").read_text(encoding="utf-8")
    missing = [name for name in companion.__all__
               if not any(f"{kind}:: companion.{name}\n" in page for kind in ("autofunction", "autoclass", "automodule"))]
    assert not missing


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_has_at_least_five_exercises_with_folded_solutions(notebook):
    text = "\n".join("".join(c["source"]) for c in chapter_cells(notebook) if c["cell_type"] == "markdown")
    exercises = re.findall(r"\{exercise\}[^\n]*\n:label: (\S+)", text)
    assert len(exercises) >= 5
    for label in exercises:
        solution = re.search(r"\{solution(?:-start)?\} " + re.escape(label) + r"\n:class: dropdown\n", text)
        assert solution, f"{label} has no solution folded away (:class: dropdown)"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_page_has_launch_and_download_buttons_from_the_repository_setting(built_site, notebook):
    html_dir, _ = built_site
    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    owner_repo = url.removeprefix("https://github.com/")
    page = (html_dir / notebook.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
    path = notebook.relative_to(ROOT).as_posix()
    learner = f"learner/{notebook.name}"  # the launch buttons open the learner notebook (_ext/learner_launch.py)
    assert f"https://mybinder.org/v2/gh/{owner_repo}/main?urlpath=lab/tree/{learner}" in page
    assert f"https://colab.research.google.com/github/{owner_repo}/blob/main/{learner}" in page
    assert f'href="../_sources/{path}"' in page
