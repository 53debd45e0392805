"""Make the learner notebooks: every chapter as a notebook that reads well outside the built site.

    python scripts/learner_notebooks.py          # writes learner/*.ipynb, learner/student-edition/*.ipynb
    python scripts/learner_notebooks.py --check  # writes nothing; exits 1 naming each stale file

The chapters in ``book/`` are written in MyST Markdown for Jupyter Book: exercise, solution,
definition, theorem and admonition directives, and cross-reference roles. Colab, GitHub's viewer and
plain JupyterLab show those as raw code fences. This script turns every ``book/*.ipynb`` into

- ``learner/NAME.ipynb``: directives as headed Markdown (an exercise gets a heading, a definition,
  theorem, proof or admonition a block quote under a bold title), every solution folded in a
  ``<details>`` element (its code and printed output shown as code blocks), an empty code cell to
  answer each exercise in, every role a link to the published page, and the install cell visible
  (with its output hidden) installing the release the site was built from;
- ``learner/student-edition/NAME.ipynb``: the same without any solution.

The stored outputs are kept, so a notebook reads well before it is run. The output depends on the
chapters, ``_config.yml`` (``repository.url``, or ``html.baseurl`` when it is set) and the version in
``pyproject.toml``, and on nothing else (no time, no random cell ids), so running the script twice
gives the same bytes. ``tests/test_learner_notebooks.py`` fails while the committed files are stale.
The Binder and Colab buttons of each chapter page open ``learner/NAME.ipynb`` (``_ext/learner_launch.py``).
"""

import argparse
import functools
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

ROOT = Path(__file__).resolve().parents[1]
BOOK = "book"
#: The two editions: the folder each is written to, and whether it keeps the solutions.
EDITIONS = {"learner": ("learner", True), "student": ("learner/student-edition", False)}

PROOF_KINDS = {
    "definition": "Definition", "theorem": "Theorem", "lemma": "Lemma", "corollary": "Corollary",
    "proposition": "Proposition", "conjecture": "Conjecture", "axiom": "Axiom", "criterion": "Criterion",
    "example": "Example", "remark": "Remark", "property": "Property", "observation": "Observation",
    "algorithm": "Algorithm", "assumption": "Assumption", "notation": "Notation", "proof": "Proof",
}
ADMONITIONS = {
    "note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important", "warning": "Warning",
    "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
    "seealso": "See also", "admonition": "", "margin": "", "sidebar": "", "topic": "", "epigraph": "",
}
ROLE = re.compile(r"\{([a-zA-Z][\w:.+-]*)\}`([^`]+)`")
TARGET = re.compile(r"^\((?P<label>[^)\s]+)\)=\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
OPTION = re.compile(r"^:([\w-]+):\s*(.*)$")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
LEARNER_INSTALL_COMMENT = (
    "# Installs the course's companion package, the release this notebook belongs to, when it is\n"
    "# missing (on Colab, for example). Run it first; it prints nothing unless the install fails.\n"
)

# Only the block structure matters here (where fences and display math start and end), so the inline
# pass is off; the dollarmath and amsmath plugins keep a fence inside display math from being cut.
MD = (MarkdownIt("commonmark").use(colon_fence_plugin).use(dollarmath_plugin).use(amsmath_plugin)
      .disable("inline"))


# ----------------------------------------------------------------------------------------------------
# Settings: where the site is published, which release to install


def config() -> dict:
    """The book's ``_config.yml``."""
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def release_tag() -> str:
    """The release tag of the working tree's version: ``v`` + ``project.version`` of pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = re.search(r"^\[project\][ \t]*\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    version = re.search(r"^version\s*=\s*[\"']([^\"']+)[\"']", project.group(1), re.M) if project else None
    if version is None:
        raise ValueError("pyproject.toml has no [project] version = \"...\" line")
    return "v" + version.group(1)


def site_url(settings: dict | None = None) -> str:
    """The published site's address, ending in ``/``.

    ``html.baseurl`` when it is set; otherwise the GitHub Pages address of ``repository.url``
    (``https://github.com/OWNER/REPO`` is published at ``https://owner.github.io/REPO/``).
    """
    settings = config() if settings is None else settings
    base = (settings.get("html") or {}).get("baseurl")
    if base:
        return base.rstrip("/") + "/"
    url = settings["repository"]["url"].rstrip("/")
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?", url)
    if not match:
        raise ValueError(f"repository.url must be https://github.com/OWNER/REPO (or set html.baseurl), "
                         f"got {url!r}")
    owner, repo = match.group(1).lower(), match.group(2)
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{repo}/"


def launch_path(docname: str, edition: str = "learner") -> str:
    """The path, in the repository, of the notebook that a chapter's launch buttons open.

    ``docname`` is the page's name without suffix (``book/01_problem``); ``edition`` is ``"learner"``
    (solutions folded) or ``"student"`` (no solutions).
    """
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {sorted(EDITIONS)}, got {edition!r}")
    return f"{EDITIONS[edition][0]}/{Path(docname).name}.ipynb"


def install_source(repository: str, release: str, comment: str) -> str:
    """The install cell: installs ``companion`` from the repository at the release tag when missing.

    It installs with ``git+URL@TAG``, so the distribution's name in pyproject.toml does not matter; while
    the tag is not yet published (before the first release), it falls back to ``main`` and says so.
    """
    return (
        comment
        + "import importlib.util\nimport subprocess\nimport sys\n\n"
        + 'if importlib.util.find_spec("companion") is None:\n'
        + f'    repository = "{repository}"\n'
        + f'    release = "{release}"  # the tag of the release the site was built from\n'
        + "    for ref in (release, \"main\"):  # main only while that release is not yet published\n"
        + '        command = [sys.executable, "-m", "pip", "install", "--quiet", f"git+{repository}@{ref}"]\n'
        + "        result = subprocess.run(command, capture_output=True, text=True, check=False)\n"
        + "        if result.returncode == 0:\n"
        + "            break\n"
        + '        print(f"could not install companion at {ref}; trying the next source")\n'
        + "    else:\n"
        + '        raise RuntimeError(f"installing companion failed:\\n{result.stdout}{result.stderr}")\n'
    )


def is_install_cell(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is a chapter's install cell (the code cell that installs a missing companion)."""
    return cell.cell_type == "code" and 'find_spec("companion")' in cell.source


# ----------------------------------------------------------------------------------------------------
# The targets of cross-references, read from the sources (no Sphinx build needed)


@dataclass
class Target:
    """Where a label points: the page, the anchor on it, its title and its number as the site shows it."""

    docname: str
    anchor: str
    title: str
    numbered: str = ""  # "Exercise 11", "Theorem 6": what {prf:ref} shows

    @property
    def text(self) -> str:
        """What a ``{ref}`` shows: the title, else the number."""
        return self.title or self.numbered or self.anchor


@dataclass
class Index:
    """Every label of the book, the numbering of its blocks, the bibliography and the site's address."""

    site: str
    labels: dict[str, Target] = field(default_factory=dict)
    citations: dict[str, str] = field(default_factory=dict)
    #: per page, how many blocks of each kind (exercise, definition, ...) come before it in the book
    counts_before: dict[str, dict[str, int]] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)

    def page(self, docname: str, anchor: str = "") -> str:
        """The published address of a page, or of an anchor on it."""
        return f"{self.site}{docname}.html" + (f"#{anchor}" if anchor else "")


def plain(text: str) -> str:
    """Heading text as link text: inline markup kept, roles reduced to their text."""
    return ROLE.sub(lambda m: explicit(m.group(2))[0] or m.group(2), text).strip()


def explicit(content: str) -> tuple[str | None, str]:
    """Split a role's content ``text <target>`` into (text, target); (None, content) when no text."""
    match = EXPLICIT.match(content)
    if match and match.group("text"):
        return match.group("text"), match.group("target").strip()
    return None, content.strip().lstrip("~!")


def directive_parts(content: str) -> tuple[dict[str, str], str]:
    """The options (``:key: value`` lines or a ``---`` YAML block) and the body of a directive."""
    lines = content.split("\n")
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1)
        options = {k: str(v) for k, v in (yaml.safe_load("\n".join(lines[1:end])) or {}).items()}
        lines = lines[end + 1:]
    else:
        while lines and OPTION.match(lines[0]):
            key, value = OPTION.match(lines[0]).groups()
            options[key] = value.strip()
            lines = lines[1:]
    return options, "\n".join(lines).strip("\n")


def directive_name(info: str) -> tuple[str, str] | None:
    """``(name, argument)`` of a fence ``{name} argument``, None for an ordinary code fence."""
    match = re.match(r"^\{([\w:.-]+)\}\s*(.*)$", info.strip())
    return (match.group(1), match.group(2).strip()) if match else None


def kind_of(name: str) -> str:
    """A directive's kind as the site names it: "Definition", "Exercise", "Note", ..."""
    short = name.split(":")[-1]
    if name.startswith("prf:") or short in PROOF_KINDS:
        return PROOF_KINDS.get(short, short.capitalize())
    if short == "exercise":
        return "Exercise"
    if short in ADMONITIONS:
        return ADMONITIONS[short]
    return short.capitalize()


def is_numbered(name: str, options: dict[str, str]) -> bool:
    """Whether the site numbers a directive (sphinx-proof and sphinx-exercise number all but proofs)."""
    numbered_kind = name == "exercise" or (name.startswith("prf:") and name != "prf:proof")
    return numbered_kind and "nonumber" not in options


@functools.lru_cache(maxsize=4096)
def top_level_blocks(text: str) -> tuple:
    """The top-level block tokens of MyST text that have a place in it (parsed once per text)."""
    return tuple(t for t in MD.parse(text) if t.level == 0 and t.map)


def document_blocks(text: str):
    """Yield the top-level fence tokens of MyST text: (first line, last line + 1, token)."""
    for token in top_level_blocks(text):
        if token.type in ("fence", "colon_fence"):
            yield token.map[0], token.map[1], token


def collect_labels(docname: str, text: str, index: Index, counts: dict[str, int]) -> None:
    """Add the labels defined in one page's MyST text: targets and directive ``:label:``s.

    Exercises, definitions and theorems are numbered on from ``counts``, through the whole book, as the
    site numbers them.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        target = TARGET.match(line)
        if not target:
            continue
        following = next((x for x in lines[i + 1:] if x.strip()), "")
        heading = HEADING.match(following)
        label = target.group("label")
        index.labels[label] = Target(docname, label, plain(heading.group(2)) if heading else "")
    for _, _, token in document_blocks(text):
        parsed = directive_name(token.info)
        if not parsed:
            continue
        name, argument = parsed
        options, body = directive_parts(token.content)
        numbered = ""
        if is_numbered(name, options):
            kind = kind_of(name)
            counts[kind] = counts.get(kind, 0) + 1
            numbered = f"{kind} {counts[kind]}"
        label = options.get("label") or options.get("name")
        if label and not name.startswith("solution"):
            index.labels[label] = Target(docname, label, plain(argument), numbered)
        collect_labels(docname, body, index, counts)


def toc_order() -> list[str]:
    """The pages of ``book/`` in the order of ``_toc.yml``, then any others, sorted."""
    listed = re.findall(r"(?:root|file):\s*(\S+)", (ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = sorted(f"{BOOK}/{p.stem}" for p in (ROOT / BOOK).glob("*")
                   if p.suffix in (".ipynb", ".md") and not p.name.startswith("_"))
    return [p for p in dict.fromkeys(listed) if p in pages] + [p for p in pages if p not in listed]


def markdown_of(path: Path) -> str:
    """The MyST text of a page: the Markdown cells of a notebook, or a Markdown file."""
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def bibliography() -> dict[str, str]:
    """Author-year text of each entry of ``book/references.bib`` ("Parr and Howard, 2018")."""
    from pybtex.database import parse_file

    entries = {}
    for key, entry in parse_file(str(ROOT / BOOK / "references.bib")).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in people]
        names = (last[0] if len(last) == 1 else f"{last[0]} and {last[1]}" if len(last) == 2
                 else f"{last[0]} et al." if last else key)
        entries[key] = f"{names}, {entry.fields.get('year', 'n.d.')}"
    return entries


def build_index(settings: dict | None = None) -> Index:
    """Read every page of ``book/`` once for its labels; read the bibliography."""
    settings = config() if settings is None else settings
    index = Index(site=site_url(settings), citations=bibliography())
    counts: dict[str, int] = {}
    for docname in toc_order():
        path = ROOT / f"{docname}.ipynb"
        index.counts_before[docname] = dict(counts)
        collect_labels(docname, markdown_of(path if path.exists() else ROOT / f"{docname}.md"), index, counts)
    return index


# ----------------------------------------------------------------------------------------------------
# MyST to plain Markdown


def role_link(role: str, content: str, index: Index, where: str) -> str:
    """A role as plain Markdown: a link to the published page where there is one."""
    role = role.removeprefix("std:")
    text, target = explicit(content)
    if role.startswith("cite"):
        keys = [k.strip() for k in target.split(",")]
        parts = []
        for key in keys:
            if key not in index.citations:
                index.unresolved.append(f"{where}: citation {key!r}")
            label = index.citations.get(key, key)
            if role == "cite:t":
                names, _, year = label.rpartition(", ")
                label = f"{names} ({year})"
            parts.append(f"[{label}]({index.page(f'{BOOK}/bibliography')})")
        joined = ", ".join(parts)
        return joined if role == "cite:t" else f"({joined})" if role == "cite:p" else f"\\[{joined}\\]"
    if role == "math":
        return f"${content}$"
    if role in ("ref", "numref", "prf:ref", "eq", "any", "term"):
        found = index.labels.get(target)
        if role == "eq" and found is None and f"equation-{target}" in index.labels:
            found = index.labels[f"equation-{target}"]
        if found is None:
            index.unresolved.append(f"{where}: {{{role}}}`{content}`")
            return text or target
        shown = text or (found.numbered or found.text if role in ("prf:ref", "numref") else found.text)
        if role == "numref" and text and "{" in text:
            shown = text.replace("{number}", found.numbered.split()[-1] if found.numbered else "")
            shown = shown.replace("{name}", found.title)
        return f"[{shown}]({index.page(found.docname, found.anchor)})"
    if role == "doc":
        page = target.removesuffix(".md").removesuffix(".ipynb")
        docname = page.lstrip("/") if page.startswith("/") else f"{BOOK}/{page}" if "/" not in page else page
        return f"[{text or Path(docname).name}]({index.page(docname)})"
    if role.startswith("py:"):
        name = target if target.startswith("companion.") else f"companion.{target.removeprefix('cp.')}"
        shown = text or (name.split(".")[-1] if content.startswith("~") else name)
        shown += "()" if role in ("py:func", "py:meth") and not text else ""
        anchor = f"module-{name}" if role == "py:mod" else name  # Sphinx's id for a module's entry
        return f"[`{shown}`]({index.page(f'{BOOK}/api', anchor)})"
    index.unresolved.append(f"{where}: unknown role {{{role}}}")
    return text or target


def convert_text(text: str, index: Index, where: str) -> str:
    """Roles to links and targets removed, outside code fences and display math."""
    keep = set()
    for token in top_level_blocks(text):
        if token.type in ("fence", "code_block", "math_block", "math_block_label", "amsmath"):
            keep.update(range(*token.map))
    lines = []
    for i, line in enumerate(text.split("\n")):
        if i in keep:
            lines.append(line)
        elif TARGET.match(line):
            continue
        else:
            lines.append(ROLE.sub(lambda m: role_link(m.group(1), m.group(2), index, where), line))
    return "\n".join(lines)


def quote(text: str) -> str:
    """Text as a Markdown block quote."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))


@dataclass
class Converter:
    """Turns one chapter's MyST into plain Markdown, numbering blocks on from the pages before it."""

    index: Index
    where: str
    numbers: dict[str, int]
    to_book: str = f"../{BOOK}/"  # the chapters' folder, seen from the learner notebook's
    heading_level: int = 1

    def heading(self, name: str, argument: str, options: dict[str, str]) -> str:
        """A block's heading as the site shows it: "Exercise 11 (Shape puzzle)", "Note"."""
        kind = kind_of(name)
        if is_numbered(name, options):
            self.numbers[kind] = self.numbers.get(kind, 0) + 1
            kind = f"{kind} {self.numbers[kind]}"
        title = convert_text(argument, self.index, self.where)
        return f"{kind} ({title})" if kind and title else kind or title

    def directive(self, name: str, argument: str, content: str, keep_solutions: bool) -> str:
        """One directive as plain Markdown."""
        options, body = directive_parts(content)
        if name == "solution":
            body = self.markdown(body, keep_solutions)
            return solution_details(argument, body, self.index) if keep_solutions else ""
        if name == "math":
            return f"$$\n{body}\n$$"
        if name in ("code-block", "code", "code-cell", "sourcecode"):
            return f"```{argument}\n{body}\n```"
        if name in ("figure", "image"):
            # a path relative to the chapter, seen from learner/ (a learner notebook sits one folder over)
            source = argument if re.match(r"^[a-z]+:|/", argument) else f"{self.to_book}{argument}"
            return f"![{options.get('alt', '')}]({source})\n\n{self.markdown(body, keep_solutions)}".strip()
        heading = self.heading(name, argument, options)
        body = self.markdown(body, keep_solutions)
        if name == "exercise":
            return f"{'#' * min(self.heading_level + 1, 6)} {heading}\n\n{body}"
        if name == "prf:proof":
            return quote(f"**{heading}.** {body}\n\n$\\blacksquare$")
        return quote(f"**{heading}**\n\n{body}" if heading else body)

    def markdown(self, text: str, keep_solutions: bool) -> str:
        """MyST text to plain Markdown, directives included (nested ones too)."""
        lines = text.split("\n")
        out, start = [], 0
        for first, last, token in document_blocks(text):
            parsed = directive_name(token.info)
            if not parsed:
                continue
            out.append(self.prose("\n".join(lines[start:first])))
            out.append(self.directive(*parsed, token.content, keep_solutions))
            start = last
        out.append(self.prose("\n".join(lines[start:])))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")

    def prose(self, text: str) -> str:
        """Text between directives: roles to links; remembers the level of the last heading."""
        for line in text.split("\n"):
            heading = HEADING.match(line)
            if heading:
                self.heading_level = len(heading.group(1))
        return convert_text(text, self.index, self.where)


def solution_details(label: str, body: str, index: Index) -> str:
    """A solution folded in ``<details>``; its summary names the exercise as the site does."""
    target = index.labels.get(label.strip())
    if target is None:
        index.unresolved.append(f"solution of {label!r}")
    name = (f"{target.numbered} ({target.title})" if target.title else target.numbered) if target else label
    return f"<details>\n<summary>Solution to {name}</summary>\n\n{body.strip()}\n\n</details>"


def code_as_markdown(cell: nbformat.NotebookNode) -> str:
    """A solution's code cell as Markdown: the code, then what it printed."""
    parts = [f"```python\n{cell.source.strip()}\n```"]
    printed, figures = [], 0
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            printed.append(output.text)
        elif "image/png" in output.get("data", {}) or "image/svg+xml" in output.get("data", {}):
            figures += 1
        elif "text/plain" in output.get("data", {}):
            printed.append(output.data["text/plain"] + "\n")
        elif output.output_type == "error":
            printed.append("\n".join(output.get("traceback", [])))
    if printed:
        parts.append("Output:\n\n```text\n" + "".join(printed).rstrip("\n") + "\n```")
    if figures:
        parts.append("(It draws a figure: run the code in a cell to see it.)")
    return "\n\n".join(parts)


# ----------------------------------------------------------------------------------------------------
# Notebooks


def cell_id(*parts: object) -> str:
    """A stable cell id made from where the cell comes from."""
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()[:16]


def answer_cell(label: str, key: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(f"# Your answer to {label}: write and run your code here.\n")
    cell.id = cell_id(key, "answer", label)
    return cell


def markdown_cell(text: str, key: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = cell_id(key, text)
    return cell


SOLUTION_START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}\s*(\S*)[^\n]*\n(?:.*?\n)??\1[ \t]*$",
                            re.M | re.S)
SOLUTION_END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}[^\n]*\n(?:.*?\n)??\1[ \t]*$", re.M | re.S)


def split_exercises(text: str) -> list[tuple[str, str | None]]:
    """MyST text cut after each top-level exercise: [(chunk, exercise label or None), ...]."""
    lines, pieces, start = text.split("\n"), [], 0
    for _, last, token in document_blocks(text):
        parsed = directive_name(token.info)
        if parsed and parsed[0] == "exercise":
            options, _ = directive_parts(token.content)
            pieces.append(("\n".join(lines[start:last]), options.get("label", "the exercise")))
            start = last
    pieces.append(("\n".join(lines[start:]), None))
    return pieces


def learner_notebook(path: Path, index: Index, *, keep_solutions: bool,
                     release: str) -> nbformat.NotebookNode:
    """One chapter as a learner notebook (``keep_solutions=False``: the student edition)."""
    source = nbformat.read(path, as_version=4)
    docname = f"{BOOK}/{path.stem}"
    folder = EDITIONS["learner" if keep_solutions else "student"][0]
    to_book = "../" * len(Path(folder).parts) + f"{BOOK}/"
    convert = Converter(index, path.name, dict(index.counts_before.get(docname, {})), to_book)
    cells: list[nbformat.NotebookNode] = []
    solution: list[str] | None = None  # the parts of a solution between solution-start and -end
    solution_label = ""
    repository = config_repository()

    def add_markdown(text: str, key: str) -> None:
        for chunk, label in split_exercises(text):
            markdown = convert.markdown(chunk, keep_solutions)
            if markdown.strip():
                cells.append(markdown_cell(markdown, key))
            if label:
                target = index.labels.get(label)
                cells.append(answer_cell(target.numbered if target and target.numbered else label, key))

    for number, cell in enumerate(source.cells):
        key = f"{path.name}/{cell.get('id', number)}"
        if cell.cell_type == "code" and is_install_cell(cell):
            install = nbformat.v4.new_code_cell(install_source(repository, release, LEARNER_INSTALL_COMMENT))
            install.id = cell_id(key, "install")
            install.metadata = {"jupyter": {"outputs_hidden": True}, "collapsed": True}
            cells.append(install)
            continue
        if solution is not None:
            if cell.cell_type == "code":
                solution.append(code_as_markdown(cell))
                continue
            end = SOLUTION_END.search(cell.source)
            if not end:
                solution.append(convert.markdown(cell.source, keep_solutions))
                continue
            solution.append(convert.markdown(cell.source[:end.start()], keep_solutions))
            if keep_solutions:
                folded = solution_details(solution_label, "\n\n".join(solution), index)
                cells.append(markdown_cell(folded, key))
            solution, text = None, cell.source[end.end():]
        elif cell.cell_type == "markdown":
            text = cell.source
        else:
            copy = nbformat.from_dict(json.loads(json.dumps(cell)))
            copy.metadata.pop("execution", None)
            copy.id = cell_id(key)
            cells.append(copy)
            continue
        start = SOLUTION_START.search(text)
        if start:
            add_markdown(text[:start.start()], key)
            solution, solution_label = [], start.group(2)
            rest = text[start.end():]
            end = SOLUTION_END.search(rest)
            if end:
                raise ValueError(f"{path.name}: a solution-start and its solution-end share one cell; "
                                 "write a solution block instead")
            solution.append(convert.markdown(rest, keep_solutions))
        else:
            add_markdown(text, key)
    if solution is not None:
        raise ValueError(f"{path.name}: a solution-start has no solution-end")
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=dict(source.metadata))
    notebook.nbformat_minor = max(source.nbformat_minor, 5)
    return notebook


def config_repository() -> str:
    return config()["repository"]["url"].rstrip("/")


def chapters() -> list[Path]:
    """Every notebook of ``book/``, in order (chapters added later included)."""
    return sorted(p for p in (ROOT / BOOK).glob("*.ipynb"))


def render(notebook: nbformat.NotebookNode) -> str:
    """A notebook as the exact text written to disk."""
    return nbformat.writes(notebook) + "\n"


def expected_files(index: Index | None = None) -> dict[Path, str]:
    """Every learner notebook the chapters give now, by path: the text it should hold."""
    index = build_index() if index is None else index
    release = release_tag()
    files = {}
    for folder, keep in EDITIONS.values():
        for path in chapters():
            notebook = learner_notebook(path, index, keep_solutions=keep, release=release)
            files[ROOT / folder / path.name] = render(notebook)
    return files


def stale_files(files: dict[Path, str]) -> list[Path]:
    """The learner notebooks that differ from what the chapters give, and the ones no chapter gives."""
    stale = [path for path, text in files.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    for folder, _ in EDITIONS.values():
        stale += [p for p in sorted((ROOT / folder).glob("*.ipynb")) if p not in files]
    return stale


def write(files: dict[Path, str]) -> list[Path]:
    """Write the learner notebooks; remove those of chapters that no longer exist."""
    changed = stale_files(files)
    for path in changed:
        if path in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(files[path], encoding="utf-8")
        else:
            path.unlink()
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is stale")
    args = parser.parse_args(argv)
    index = build_index()
    files = expected_files(index)
    for problem in dict.fromkeys(index.unresolved):
        print(f"warning: unresolved reference {problem}", file=sys.stderr)
    if args.check:
        stale = stale_files(files)
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}  (run python scripts/learner_notebooks.py)")
        return 1 if stale else 0
    for path in write(files):
        print(f"wrote {path.relative_to(ROOT)}" if path in files else f"removed {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
