"""The GitHub Actions workflows are valid, and the CI workflow runs what .ci/run runs."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_there_are_two_workflows():
    assert {p.name for p in WORKFLOWS} == {"ci.yml", "pages.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_schema(workflow):
    # check-jsonschema ships the official workflow schema (SchemaStore), so this runs offline.
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_workflow_runs_the_ci_script():
    steps = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8"))["jobs"]["test"]["steps"]
    assert any(step.get("run") == "bash .ci/run" for step in steps)


def test_pages_workflow_builds_the_way_the_readme_says():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    steps = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    build = next(step["run"] for step in steps if "jupyter-book build" in step.get("run", ""))
    assert build in readme
    assert any(step.get("with", {}).get("path") == "_build/html" for step in steps)
