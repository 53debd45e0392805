"""The GitHub Actions workflows: valid, on current action versions, and doing what the README says.

- every workflow and dependabot.yml against the official schemas (check-jsonschema ships them, offline);
- every ``uses:`` at least the major version GitHub's runners still support (Node 24);
- CI runs .ci/run with the runner image's browser; the site deploys only after CI passed on that commit
  or from a tag, built without the test stack; links are checked weekly apart from CI; a tag makes a
  release from scripts/release_assets.py.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

# The oldest major version allowed of each action (the ones on Node 24, as of 2026).
# An action that is not listed here fails the test: add it with its current major version.
REQUIRED_MAJOR = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/upload-pages-artifact": 4,
    "actions/deploy-pages": 4,
}


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key "on" as True
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def outdated_actions(text: str) -> list[str]:
    """Each ``uses:`` in a workflow's text that is unknown or older than its required major version."""
    problems = []
    for action in re.findall(r"^\s*(?:-\s*)?uses:\s*['\"]?([^\s'\"#]+)", text, re.MULTILINE):
        name, _, ref = action.partition("@")
        major = re.fullmatch(r"v(\d+)(?:\.\d+)*", ref)
        if name not in REQUIRED_MAJOR:
            problems.append(f"{action}: not in REQUIRED_MAJOR")
        elif not major or int(major.group(1)) < REQUIRED_MAJOR[name]:
            problems.append(f"{action}: needs @v{REQUIRED_MAJOR[name]} or later")
    return problems


def test_the_workflows_are_ci_pages_release_and_linkcheck():
    assert {p.name for p in WORKFLOWS} == {"ci.yml", "pages.yml", "release.yml", "linkcheck.yml"}


def schema_check(schema: str, *paths: Path):
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
                          capture_output=True, text=True, check=False)


def test_every_workflow_matches_the_github_schema():
    # one run for all of them; its output names any file that does not match
    result = schema_check("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_config_matches_the_schema_and_covers_actions_and_pip():
    path = ROOT / ".github" / "dependabot.yml"
    result = schema_check("vendor.dependabot", path)
    assert result.returncode == 0, result.stdout + result.stderr
    ecosystems = {u["package-ecosystem"] for u in yaml.safe_load(path.read_text(encoding="utf-8"))["updates"]}
    assert ecosystems == {"github-actions", "pip"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_at_least_the_required_major_version(workflow):
    assert not outdated_actions(workflow.read_text(encoding="utf-8"))


def test_the_version_check_catches_old_unknown_and_unpinned_actions():
    text = ("steps:\n  - uses: actions/checkout@v4\n  - uses: actions/setup-python@v6.1.0\n"
            "  - uses: someone/else@v9\n  - uses: 'actions/deploy-pages@main'\n")
    assert outdated_actions(text) == [
        "actions/checkout@v4: needs @v5 or later",
        "someone/else@v9: not in REQUIRED_MAJOR",
        "actions/deploy-pages@main: needs @v4 or later",
    ]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_setup_python_caches_pip(workflow):
    for step in steps(yaml.safe_load(workflow.read_text(encoding="utf-8"))):
        if step.get("uses", "").startswith("actions/setup-python@"):
            assert step["with"]["cache"] == "pip"
            assert "constraints.txt" in step["with"]["cache-dependency-path"]


def test_ci_runs_the_ci_script_with_the_runner_images_browser():
    ci = load("ci.yml")
    runs = [step.get("run", "") for step in steps(ci)]
    assert "bash .ci/run" in runs
    assert any("CHROMIUM=" in run and "GITHUB_ENV" in run for run in runs)
    assert not any("apt-get" in run or "snap " in run for run in runs), "CI on GitHub uses the image's browser"
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert '"${CHROMIUM:-}"' in ci_script, ".ci/run must leave the browser alone when CHROMIUM is set"


def test_pages_deploys_only_after_ci_passed_or_from_a_tag():
    pages = load("pages.yml")
    on = triggers(pages)
    assert on["workflow_run"] == {"workflows": ["CI"], "types": ["completed"], "branches": ["main"]}
    assert on["push"] == {"tags": ["v*"]}, "a push to main deploys only through CI's workflow_run"
    build = pages["jobs"]["build"]
    assert "github.event.workflow_run.conclusion == 'success'" in build["if"]
    checkout = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert "github.event.workflow_run.head_sha" in checkout["with"]["ref"]
    assert pages["jobs"]["deploy"]["needs"] == "build"


def test_pages_builds_the_pdf_and_the_site_without_the_test_stack_as_the_readme_says():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    build = next(step["run"] for step in steps(load("pages.yml")) if "jupyter-book build" in step.get("run", ""))
    assert "pip install -r requirements-site.txt" in build
    assert "requirements.txt" not in build.replace("requirements-site.txt", "")
    assert "scripts/build_pdf.py" in build
    assert build in readme
    assert any(step.get("with", {}).get("path") == "_build/html" for step in steps(load("pages.yml")))


def pins(path: Path) -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    return {name.lower(): version for name, version in found}


def test_site_requirements_are_the_tested_pins_without_the_test_stack():
    site, full = pins(ROOT / "requirements-site.txt"), pins(ROOT / "requirements.txt")
    assert site
    assert {name: full.get(name) for name in site} == site, "requirements-site.txt and requirements.txt disagree"
    assert not {"pytest", "nbval", "hypothesis", "playwright", "ruff"} & set(site)


def test_linkcheck_runs_weekly_apart_from_ci():
    linkcheck = load("linkcheck.yml")
    on = triggers(linkcheck)
    assert set(on) == {"schedule", "workflow_dispatch"}
    assert len(on["schedule"]) == 1
    assert on["schedule"][0]["cron"].split()[2:] == ["*", "*", "1"], "once a week"
    assert any("--builder linkcheck" in step.get("run", "") for step in steps(linkcheck))


def test_a_version_tag_builds_the_release_assets_and_publishes_them():
    release = load("release.yml")
    assert triggers(release) == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "write"}
    runs = [step.get("run", "") for step in steps(release)]
    assert any("scripts/release_assets.py --tag" in run for run in runs)
    assert any(run.startswith("gh release create") and "dist/*" in run for run in runs)
