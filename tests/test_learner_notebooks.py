"""The learner notebooks: up to date, plain Markdown, solutions folded, links that land, buttons that open them."""

import importlib.util
import json
import re
import sys
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
import yaml

from tests.helpers import ROOT


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ln = load("learner_notebooks")
set_repository = load("set_repository")
sys.path.insert(0, str(ROOT / "_ext"))
import learner_launch  # noqa: E402

CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
LEARNER, STUDENT = (ROOT / ln.EDITIONS["learner"][0]), (ROOT / ln.EDITIONS["student"][0])
RAW = [
    re.compile(r"^\s*(`{3,}|:{3,})\{", re.M),      # a directive fence
    re.compile(r"\{[a-zA-Z][\w:.+-]*\}`"),           # a role
    re.compile(r"^\([^)\s]+\)=\s*$", re.M),         # a MyST target
]
DETAILS = re.compile(r"<details>\n<summary>Solution to (Exercise \d+)[^<]*</summary>\n(.*?)\n</details>", re.S)


@pytest.fixture(scope="module")
def index():
    return ln.build_index()


def markdown(path):
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


def test_learner_notebooks_are_up_to_date(index):
    stale = ln.stale_files(ln.expected_files(index))
    assert not stale, f"stale: {[str(p.relative_to(ROOT)) for p in stale]}; run python scripts/learner_notebooks.py"


def test_every_chapter_has_both_learner_notebooks():
    assert CHAPTERS
    for chapter in CHAPTERS:
        assert (LEARNER / chapter.name).is_file(), chapter.name
        assert (STUDENT / chapter.name).is_file(), chapter.name


def test_every_reference_resolves(index):
    ln.expected_files(index)
    assert not index.unresolved


def test_the_check_notices_a_changed_chapter(index, tmp_path):
    notebook = nbformat.read(CHAPTERS[0], as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "markdown")
    cell.source += "\n\nA sentence the learner notebook does not have yet."
    changed = tmp_path / CHAPTERS[0].name
    nbformat.write(notebook, changed)
    text = ln.render(ln.learner_notebook(changed, index, keep_solutions=True, release=ln.release_tag()))
    assert "A sentence the learner notebook does not have yet." in text
    assert text != (LEARNER / CHAPTERS[0].name).read_text(encoding="utf-8")


def test_generation_is_deterministic(index):
    first = ln.render(ln.learner_notebook(CHAPTERS[-1], index, keep_solutions=True, release="v1"))
    second = ln.render(ln.learner_notebook(CHAPTERS[-1], ln.build_index(), keep_solutions=True, release="v1"))
    assert first == second


@pytest.mark.parametrize("folder", [LEARNER, STUDENT], ids=["learner", "student"])
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_no_raw_directive_role_or_target(folder, chapter):
    for source in markdown(folder / chapter.name):
        for pattern in RAW:
            assert not pattern.search(source), f"{pattern.pattern!r} in:\n{source[:400]}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_every_exercise_has_its_solution_folded(chapter):
    text = "\n".join(markdown(LEARNER / chapter.name))
    exercises = re.findall(r"^#+ (Exercise \d+)", text, re.M)
    folded = [m.group(1) for m in DETAILS.finditer(text)]
    book = "\n".join(markdown(chapter))
    assert len(exercises) == len(re.findall(r"\{exercise\}", book)) >= 5
    assert folded == exercises  # one solution per exercise, in order, each inside <details>
    assert text.count("<details>") == text.count("</details>") == len(exercises)
    # nothing of a solution sits outside its fold: no code cell was left between exercise and answer
    for source in markdown(LEARNER / chapter.name):
        assert source.count("<details>") == source.count("</details>")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_student_edition_has_no_solution_and_a_blank_per_exercise(chapter):
    learner = "\n".join(markdown(LEARNER / chapter.name))
    notebook = nbformat.read(STUDENT / chapter.name, as_version=4)
    student = "\n".join(c.source for c in notebook.cells)
    assert "<details>" not in student
    # lines that also stand outside the solutions (in the text or in the chapter's own code) are no leak
    code = "\n".join(c.source for c in nbformat.read(LEARNER / chapter.name, as_version=4).cells
                     if c.cell_type == "code")
    outside = DETAILS.sub("", learner) + "\n" + code
    solution_lines = {line.strip() for m in DETAILS.finditer(learner) for line in m.group(2).splitlines()
                      if len(line.strip()) >= 25 and line.strip() not in outside}
    assert solution_lines, "the learner edition has no solution text to compare with"
    leaked = [line for line in solution_lines if line in student]
    assert not leaked, leaked[:3]
    blanks = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith("# Your answer to ")]
    assert len(blanks) == len(re.findall(r"^#+ Exercise \d+", student, re.M))


@pytest.mark.parametrize("folder", [LEARNER, STUDENT], ids=["learner", "student"])
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_install_cell_is_visible_and_installs_the_release(folder, chapter):
    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    cells = nbformat.read(folder / chapter.name, as_version=4).cells
    install = next(c for c in cells if c.cell_type == "code")
    assert ln.is_install_cell(install)
    assert f'repository = "{url}"' in install.source
    assert f'release = "{ln.release_tag()}"' in install.source
    assert 'for ref in (release, "main")' in install.source
    assert 'f"git+{repository}@{ref}"' in install.source
    assert not install.metadata.get("tags"), "tags such as remove-cell would hide it in some front ends"
    assert install.metadata["jupyter"]["outputs_hidden"] is True
    # the chapter's own (hidden) install cell installs the same release
    book = next(c for c in nbformat.read(chapter, as_version=4).cells if ln.is_install_cell(c))
    assert f'release = "{ln.release_tag()}"' in book.source, "run python scripts/set_repository.py"


def test_release_tag_follows_pyproject():
    version = re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert ln.release_tag() == f"v{version.group(1)}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_learner_notebook_keeps_code_and_outputs(chapter):
    def code(path):
        return [(c.source, json.dumps(c.outputs, sort_keys=True)) for c in nbformat.read(path, as_version=4).cells
                if c.cell_type == "code" and not ln.is_install_cell(c)]

    learner = code(LEARNER / chapter.name)
    book = code(chapter)
    assert [c for c in learner if not c[0].startswith("# Your answer to ")] == [
        c for c in book if c in learner]  # book cells kept in order, with their outputs ...
    solution_code = "\n".join(m.group(2) for m in DETAILS.finditer("\n".join(markdown(LEARNER / chapter.name))))
    for source, _ in book:  # ... and each cell left out is shown inside a folded solution
        assert (source, _) in learner or source.strip() in solution_code, source[:200]


def test_site_url_follows_the_repository_or_baseurl():
    assert ln.site_url({"repository": {"url": "https://github.com/Some-Org/course"}}) == "https://some-org.github.io/course/"
    assert ln.site_url({"repository": {"url": "https://github.com/me/me.github.io"}}) == "https://me.github.io/"
    assert ln.site_url({"repository": {"url": "https://github.com/a/b"},
                        "html": {"baseurl": "https://course.example.org/mc"}}) == "https://course.example.org/mc/"
    with pytest.raises(ValueError, match=r"repository.url must be https://github.com/OWNER/REPO .*got 'ftp://x'"):
        ln.site_url({"repository": {"url": "ftp://x"}})


def test_launch_path_names_both_editions():
    assert ln.launch_path("book/03_jacobians") == "learner/03_jacobians.ipynb"
    assert ln.launch_path("book/03_jacobians", "student") == "learner/student-edition/03_jacobians.ipynb"
    assert learner_launch.learner_path("book/03_jacobians", ln.EDITIONS["student"][0]) == ln.launch_path(
        "book/03_jacobians", "student")
    with pytest.raises(ValueError, match=r"edition must be one of .*got 'teacher'"):
        ln.launch_path("book/03_jacobians", "teacher")


def test_every_link_lands_on_a_page_and_anchor_of_the_built_site(built_site, index):
    html, _ = built_site
    links = set()
    for chapter in CHAPTERS:
        for source in markdown(LEARNER / chapter.name):
            links.update(re.findall(r"\]\((" + re.escape(index.site) + r"[^)\s]*)\)", source))
    assert links
    for link in sorted(links):
        page, _, anchor = link.removeprefix(index.site).partition("#")
        text = (html / page).read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in text, link


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_numbers_are_those_of_the_site(built_site, chapter):
    html, _ = built_site
    pattern = re.compile(r"\b(Exercise|Definition|Theorem|Lemma|Corollary) (\d+)")
    page = re.sub(r"<[^>]+>", "", (html / "book" / chapter.with_suffix(".html").name).read_text(encoding="utf-8"))
    learner = "\n".join(markdown(LEARNER / chapter.name))
    assert set(pattern.findall(learner)) == set(pattern.findall(page))


# ----------------------------------------------------------------------------------------------------
# Launch buttons: the theme's own code, then ours, on the book's configuration


def launch_urls(extra_yaml=None, folder=None):
    """The launch URLs the theme makes for chapter 1 from _config.yml (plus ``extra_yaml``), after our hook."""
    from jupyter_book.config import get_final_config
    from sphinx_book_theme.header_buttons import update_context_with_repository_info
    from sphinx_book_theme.header_buttons.launch import add_launch_buttons

    user = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    for key, value in (extra_yaml or {}).items():
        user.setdefault(key, {}).update(value)
    sphinx_config, _ = get_final_config(user_yaml=user, cli_config={"latex_individualpages": False}, sourcedir=ROOT)
    if folder is not None:
        sphinx_config["learner_notebooks"] = folder

    class Config(dict):
        __getattr__ = dict.__getitem__

    config = Config(html_theme_options=sphinx_config["html_theme_options"], html_context={},
                    learner_notebooks=sphinx_config.get("learner_notebooks", learner_launch.DEFAULT_FOLDER))
    pagename = "book/01_problem"
    env = SimpleNamespace(doc2path=lambda name: str(ROOT / f"{name}.ipynb"),
                          metadata={pagename: {"kernelspec": {"name": "python3"}}})
    app = SimpleNamespace(env=env, config=config, outdir=str(ROOT / "_build" / "html"), builder=None)
    update_context_with_repository_info(app)  # what the theme does once, at builder-inited
    context = {"header_buttons": [], "sourcename": f"{pagename}.ipynb", "pagename": pagename,
               "page_source_suffix": ".ipynb", **config.html_context}
    add_launch_buttons(app, pagename, "page.html", context, None)
    learner_launch.point_launch_buttons(app, pagename, "page.html", context, None)
    return {b["text"]: b["url"] for g in context["header_buttons"] for b in g["buttons"] if "url" in b}


def test_binder_and_colab_open_the_learner_notebook():
    urls = launch_urls()
    assert urls["Binder"].endswith("?urlpath=lab/tree/learner/01_problem.ipynb")
    assert urls["Colab"].endswith("/blob/main/learner/01_problem.ipynb")
    assert (ROOT / "learner" / "01_problem.ipynb").is_file()


def test_a_student_site_opens_the_student_edition():
    urls = launch_urls(folder=ln.EDITIONS["student"][0])
    assert urls["Colab"].endswith("/blob/main/learner/student-edition/01_problem.ipynb")
    assert (ROOT / "learner" / "student-edition" / "01_problem.ipynb").is_file()


def test_jupyterhub_link_pulls_the_repository_and_opens_the_learner_notebook():
    # The one setting of the instructor guide: launch_buttons.jupyterhub_url
    urls = launch_urls({"launch_buttons": {"jupyterhub_url": "https://hub.example.edu"}})
    link = urlsplit(urls["JupyterHub"])
    assert (link.scheme, link.netloc, link.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]
    assert query["repo"] == config["url"]
    assert query["branch"] == config["branch"]
    # nbgitpuller clones into a folder named after the repository, then opens urlpath in JupyterLab
    folder = config["url"].rstrip("/").rsplit("/", 1)[1]
    assert query["urlpath"] == f"lab/tree/{folder}/learner/01_problem.ipynb"
    assert (ROOT / query["urlpath"].removeprefix(f"lab/tree/{folder}/")).is_file()


# ----------------------------------------------------------------------------------------------------
# One source for the repository


def test_from_github_takes_the_repository_actions_runs_in():
    env = {"GITHUB_REPOSITORY": "a-fork/matrix-course", "GITHUB_SERVER_URL": "https://github.com"}
    assert set_repository.url_from_github(env) == "https://github.com/a-fork/matrix-course"
    with pytest.raises(ValueError, match=r"--from-github needs GITHUB_REPOSITORY set to OWNER/REPO .*got ''"):
        set_repository.url_from_github({})


def test_setting_the_url_changes_that_line_only():
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    new = set_repository.with_repository_url(text, "https://github.com/a-fork/matrix-course")
    assert yaml.safe_load(new)["repository"]["url"] == "https://github.com/a-fork/matrix-course"
    changed = [(a, b) for a, b in zip(text.splitlines(), new.splitlines(), strict=True) if a != b]
    assert len(changed) == 1
    assert changed[0][1].strip() == "url: https://github.com/a-fork/matrix-course"
    with pytest.raises(ValueError, match=r"url must look like https://github.com/OWNER/REPO, got 'github.com/x'"):
        set_repository.with_repository_url(text, "github.com/x")


# ----------------------------------------------------------------------------------------------------
# The learner environment (binder/)


def requirement_pins(path):
    lines = [x.split("#")[0].strip() for x in path.read_text(encoding="utf-8").splitlines()]
    return dict(x.split("==", 1) for x in lines if x and not x.startswith("-"))


def test_learner_environment_is_the_maths_stack_and_jupyterlab_only():
    binder = requirement_pins(ROOT / "binder" / "requirements.txt")
    tested = requirement_pins(ROOT / "requirements.txt")
    for name in ("numpy", "sympy", "matplotlib", "ipykernel"):
        assert binder[name] == tested[name], f"{name}: Binder should get the version the chapters are tested with"
    test_stack = {"pytest", "nbval", "hypothesis", "ruff", "playwright", "check-jsonschema", "jupyter-book",
                  "sphinx-proof", "sphinx-exercise", "sphinx-mathjax-offline"}
    assert not test_stack & set(binder)
    assert set(binder) == {"numpy", "sympy", "matplotlib", "jupyterlab", "jupyterlab-myst", "ipykernel"}
    # Binder's base image has notebook 7.4, which requires jupyterlab<4.5
    major, minor = map(int, binder["jupyterlab"].split(".")[:2])
    assert (major, minor) < (4, 5)
    text = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(-e|\.|file:)", text, re.M), "a local path defeats repo2docker's cache"


def test_binder_installs_companion_after_its_dependencies():
    post_build = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir --no-deps ." in post_build
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    assert (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip() == (
        ROOT / "runtime.txt").read_text(encoding="utf-8").strip()


def test_pages_workflow_points_the_site_at_its_own_repository_before_building():
    steps = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    # in an earlier step, or earlier in the same step
    commands = [command.strip() for run in runs for command in run.split("&&")]
    point = next(i for i, command in enumerate(commands) if "scripts/set_repository.py --from-github" in command)
    build = next(i for i, command in enumerate(commands) if "jupyter-book build" in command)
    assert point < build
