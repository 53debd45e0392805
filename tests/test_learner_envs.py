"""Every learner notebook runs top to bottom where learners run it: a Colab-like environment and the minimums.

Each environment is a fresh virtual environment holding only what its file in ``tests/learner_envs/``
pins (Colab's versions of numpy, sympy and matplotlib; or the lower bounds of pyproject.toml) and a
Jupyter kernel; companion is not in it. Each learner notebook then runs in a new kernel from its
first cell, as on Colab: its install cell installs companion with pip, from a copy of this working
tree instead of ``git+URL@TAG`` (the one string the test changes), and every later cell must run
without an error. The environments are cached under ``.cache/learner-envs/`` (git-ignored), one
folder per hash of the requirements and the Python version, so only the first run builds them.

They are built with uv, not pip: the same pinned packages, installed in about 3 s of processor time
instead of about 30 (pip unpacks and installs one package after another; uv fetches in parallel and
links from its cache). Only the learner's own step, the install cell, runs pip, as on Colab.
"""

import asyncio
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from packaging.requirements import Requirement
from packaging.version import Version
from uv import find_uv_bin

from tests.helpers import ROOT, code_cells

ENVS = ROOT / "tests" / "learner_envs"
CACHE = ROOT / ".cache" / "learner-envs"
LEARNER = sorted((ROOT / "learner").glob("*.ipynb"))
INSTALL = 'f"git+{repository}@{ref}"'
ENV_NAMES = ["colab", "minimum"]


def pins(path: Path) -> dict[str, str]:
    """The ``name==version`` lines of a requirements file, by name."""
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return {Requirement(line).name: str(Requirement(line).specifier).removeprefix("==") for line in lines if line}


def kernel_requirements() -> list[str]:
    """ipykernel and pip at the project's pins: what runs the cells and the install cell."""
    pinned = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").split()
                  if "==" in line)
    pip = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True, check=True)
    return [f"ipykernel=={pinned['ipykernel']}", f"pip=={pip.stdout.split()[1]}"]


def cached(folder: Path, key: str, build) -> Path:
    """``folder-HASH`` under the cache, made by ``build(path)`` unless a complete one is there."""
    path = CACHE / f"{folder}-{hashlib.sha256(f'{sys.version_info[:2]}{key}'.encode()).hexdigest()[:12]}"
    if not (path / "complete").exists():
        shutil.rmtree(path, ignore_errors=True)
        build(path)
        (path / "complete").write_text(key, encoding="utf-8")
    return path


def uv(*args: str) -> None:
    """Run uv (its binary comes with the ``uv`` package of requirements.txt). uv compiles no bytecode
    by default: the kernels compile only what they import, once (their .pyc stay)."""
    subprocess.run([find_uv_bin(), *args, "--quiet"], check=True, timeout=900)


def kernel_layer() -> Path:
    """ipykernel and pip in one folder that both environments share (it is added to their path last,
    so each environment's own packages take precedence): installed once, not once per environment."""
    requirements = kernel_requirements()
    return cached(Path("kernel"), "\n".join(requirements),
                  lambda path: uv("pip", "install", "--python", sys.executable, "--target", str(path), *requirements))


def environment(name: str) -> Path:
    """The cached virtual environment for ``tests/learner_envs/NAME.txt``; built when missing."""
    layer = kernel_layer()
    requirements = (ENVS / f"{name}.txt").read_text(encoding="utf-8")

    def build(venv: Path) -> None:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
        site = next((venv / "lib").glob("python3*/site-packages"))
        (site / "learner-kernel.pth").write_text(f"{layer}\n", encoding="utf-8")
        uv("pip", "install", "--python", str(venv / "bin" / "python"), "-r", str(ENVS / f"{name}.txt"))

    return cached(Path(name), f"{layer.name}\n{requirements}", build)


def distribution_name() -> str:
    """The distribution name in pyproject.toml (it may differ from the import name, companion)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^name\s*=\s*"([^"]+)"', text, re.M).group(1)


def prepare(name: str, jupyter: Path) -> Path:
    """Build (or find) the environment, remove companion from it, and register its kernel."""
    venv = environment(name)
    python = venv / "bin" / "python"
    # a fresh start: no companion, so the first notebook's install cell must install it
    uv("pip", "uninstall", "--python", str(python), distribution_name())
    gone = subprocess.run([str(python), "-c", "import companion"], capture_output=True, check=False, cwd=venv)
    assert gone.returncode != 0, "companion is still installed"
    spec = jupyter / "kernels" / f"learner-{name}"
    spec.mkdir(parents=True)
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": name, "language": "python"}),
                                      encoding="utf-8")
    return python


async def run(name: str, chapter: Path, wheel: Path, workdir: Path) -> tuple[str, str]:
    """Run one learner notebook in a new kernel of the environment; return (error, companion's file)."""
    notebook = nbformat.read(chapter, as_version=4)
    install = notebook.cells[[c.cell_type for c in notebook.cells].index("code")]
    if INSTALL not in install.source:
        return "the install cell no longer installs git+URL@TAG", ""
    install.source = install.source.replace(INSTALL, repr(str(wheel)))
    notebook.cells.append(nbformat.v4.new_code_cell("import companion\nprint(companion.__file__)"))
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "MPLBACKEND", "VIRTUAL_ENV"))}
    client = NotebookClient(notebook, kernel_name=f"learner-{name}", timeout=300,
                            resources={"metadata": {"path": str(workdir)}})
    try:
        await client.async_execute(env=env)  # a new kernel, shut down at the end
    except CellExecutionError as error:
        return str(error)[-3000:], ""
    return "", notebook.cells[-1].outputs[0]["text"].strip()


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Every learner notebook run in both environments: the two environments side by side.

    Within an environment the notebooks run one after the other, so only the first one's install cell
    installs companion (as for a learner who opens the chapters in turn).
    """
    jupyter = tmp_path_factory.mktemp("jupyter")
    os.environ["JUPYTER_PATH"] = str(jupyter)  # where the kernels of the two environments are found
    # what the install cell installs: this working tree's package, built once into a wheel (from a copy,
    # so that building it leaves nothing behind in the repository)
    package, wheels = tmp_path_factory.mktemp("package"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT"):
        shutil.copy(ROOT / name, package / name)
    shutil.copytree(ROOT / "companion", package / "companion", ignore=shutil.ignore_patterns("__pycache__"))
    uv("build", "--wheel", "--python", sys.executable, "--out-dir", str(wheels), str(package))
    wheel = next(wheels.glob("*.whl"))
    kernel_layer()
    out = tmp_path_factory.mktemp("runs")
    with ThreadPoolExecutor(max_workers=2) as pool:  # builds the two environments side by side when cold
        pythons = dict(zip(ENV_NAMES, pool.map(lambda name: prepare(name, jupyter), ENV_NAMES), strict=True))

    async def one_environment(name):
        return {chapter.stem: await run(name, chapter, wheel, out / f"{name}-{chapter.stem}") for chapter in LEARNER}

    async def both():
        return await asyncio.gather(*(one_environment(name) for name in ENV_NAMES))

    try:
        runs = asyncio.run(both())
    finally:
        del os.environ["JUPYTER_PATH"]
    return {name: (pythons[name], r) for name, r in zip(ENV_NAMES, runs, strict=True)}


def test_minimum_environment_pins_the_declared_lower_bounds():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.search(r"^dependencies\s*=\s*\[(.*?)\]", text, re.M | re.S).group(1)
    lower = {}
    for item in re.findall(r'"([^"]+)"', declared):
        requirement = Requirement(item)
        bound = next(s.version for s in requirement.specifier if s.operator == ">=")
        lower[requirement.name] = Version(bound)
    assert {name: Version(v) for name, v in pins(ENVS / "minimum.txt").items()} == lower


def test_colab_environment_holds_the_maths_stack_only():
    assert set(pins(ENVS / "colab.txt")) == {"numpy", "sympy", "matplotlib"}


@pytest.mark.parametrize("chapter", LEARNER, ids=lambda p: p.stem)
def test_both_editions_run_the_same_code(chapter):
    # so running the learner edition runs the student edition's code too
    assert code_cells(chapter) == code_cells(ROOT / "learner" / "student-edition" / chapter.name)


@pytest.mark.parametrize("env", ENV_NAMES)
@pytest.mark.parametrize("chapter", LEARNER, ids=lambda p: p.stem)
def test_learner_notebook_runs_top_to_bottom(results, env, chapter):
    python, runs = results[env]
    error, companion_file = runs[chapter.stem]
    assert not error, f"{chapter.name} in the {env} environment:\n{error}"
    # the install cell did its job: companion was imported from the environment, not from this tree
    assert Path(companion_file).is_relative_to(python.parent.parent), companion_file
