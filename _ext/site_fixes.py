"""Small fixes to the HTML of the Jupyter Book v1 theme stack, found by the browser tests.

- sphinx-thebe registers its inline configuration script once per read of the environment, and
  Jupyter Book reads it twice, so every page declared ``const THEBE_JS_URL`` twice and the browser
  reported "Identifier 'THEBE_JS_URL' has already been declared". We drop repeated scripts.
- pydata-sphinx-theme 0.17's page template reads a ``default_mode`` that no option sets any more, so a
  first-time reader's browser logged "Got invalid theme mode: . Resetting to auto." We set it to
  "auto" (follow the reader's system setting), which is what the theme then falls back to anyway.

And the site on every device (issue 15; see README, "The site on phones, slow networks, screen
readers and print"): ``static/`` holds the site's CSS and JavaScript (``site.css``, ``site.js``),
the theme's icons as CSS (``icons.css``) and KaTeX's CSS and fonts (``katex/``), and ``templates/``
the theme's asset macros without FontAwesome's 1.4 MB script. Pages with equations preload the two
KaTeX fonts nearly every equation uses, so the equations appear with the first paint.
"""

import functools
import html
import json
import re
import socket
import subprocess
import time
from pathlib import Path

from docutils import nodes

HERE = Path(__file__).parent
SPHINX_CORE_SCRIPTS = ("documentation_options.js", "doctools.js", "sphinx_highlight.js")
# The KaTeX fonts nearly every equation uses; the others a page preloads when its KaTeX HTML has a
# class that KaTeX's style sheet sets in that font (katex_fonts_by_class).
KATEX_FONTS = ("KaTeX_Main-Regular", "KaTeX_Math-Italic")
KATEX_RULE = re.compile(r"\.katex ((?:\.[\w-]+)+)")
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


@functools.cache
def katex_fonts_by_class() -> dict[frozenset, str]:
    """The font file of each simple rule of KaTeX's CSS, as {classes: font}.

    ``.katex .mathbf{font-family:KaTeX_Main;font-weight:700}`` gives {frozenset({"mathbf"}):
    "KaTeX_Main-Bold"}; a rule without a family (``.katex .textbf{font-weight:700}``) is taken in
    KaTeX_Main, the family of the text around it. Only fonts the site serves are kept.
    """
    css = (HERE / "static" / "katex" / "katex.min.css").read_text(encoding="utf-8")
    fonts = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        declarations = dict(d.split(":", 1) for d in body.split(";") if ":" in d)
        if not {"font-family", "font-weight", "font-style"} & set(declarations):
            continue
        family = declarations.get("font-family", "KaTeX_Main")
        style = ("Bold" if declarations.get("font-weight") in ("700", "bold") else "") + (
            "Italic" if declarations.get("font-style") == "italic" else "")
        font = f"{family}-{style or 'Regular'}"
        if not (HERE / "static" / "katex" / "fonts" / f"{font}.woff2").exists():
            continue
        for selector in selectors.split(","):
            match = KATEX_RULE.fullmatch(selector.strip())
            if match:
                fonts[frozenset(match.group(1).strip(".").split("."))] = font
    return fonts


def fix_page(app, pagename, templatename, context, doctree):
    """Keep the first of any identical script entries, set the colour mode, preload KaTeX's fonts."""
    context.setdefault("default_mode", "auto")
    scripts = context.get("script_files")
    if scripts:
        seen, unique = set(), []
        for script in scripts:
            # An inline script is registered once with filename None and once with "": same script.
            key = (script.filename or None, script.priority, tuple(sorted(script.attributes.items())))
            if key not in seen:
                seen.add(key)
                unique.append(script)
        scripts[:] = unique
        # Script files in the head block the first paint until each is fetched and run: defer them
        # (they keep their order, and run after the inline settings above them). Sphinx's own
        # documentation_options.js and doctools.js stay: inline scripts of the page extend the first,
        # and the search scripts that the theme's template adds undeferred need the second.
        for script in scripts:
            if (script.filename and not any(name in script.filename for name in SPHINX_CORE_SCRIPTS)
                    and not {"async", "defer"} & set(script.attributes)):
                script.attributes["defer"] = "defer"
    # docutils makes the bibliography a role="list" of role="doc-biblioentry" entries, a role ARIA 1.1
    # deprecated and no list item (axe: aria-required-children, critical): they become list items.
    if 'role="doc-biblioentry"' in context.get("body", ""):
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
    if pagename == "search":
        definitions = {doc: text for doc, text in getattr(app.env, "site_definitions", {}).items() if text}
        context["metatags"] = (context.get("metatags", "") + "\n<script>window.SITE_DEFINITIONS = "
                               + json.dumps(definitions).replace("</", "<\\/") + ";</script>")
    # The theme's theme.css only @imports basic.css, which the browser then finds one round trip later,
    # holding the first paint: fetch it with the other style sheets.
    context["metatags"] = (context.get("metatags", "") + f'\n<link rel="preload" href="'
                           f'{context["pathto"]("_static/basic.css", 1)}" as="style">')
    body = context.get("body", "")
    if 'class="katex"' in body:
        class_sets = {frozenset(value.split()) for value in CLASS_ATTRIBUTE.findall(body)}
        used = [font for classes, font in katex_fonts_by_class().items()
                if any(classes <= found for found in class_sets)]
        fonts = dict.fromkeys([*KATEX_FONTS, *used])
        context["metatags"] = context.get("metatags", "") + "".join(
            f'\n<link rel="preload" href="{context["pathto"](f"_static/katex/fonts/{font}.woff2", 1)}"'
            ' as="font" type="font/woff2" crossorigin>' for font in fonts)
    # Figures load as they come into view, leaving the bandwidth to the text, styles and fonts.
    if "<img " in body:
        context["body"] = body.replace("<img ", '<img loading="lazy" decoding="async" ')


def fix_doctree(app, doctree, docname):
    """Fold solutions into ``<details>`` named after their exercise, and make every id unique.

    sphinx-exercise's dropdown solutions are unfolded by JavaScript (sphinx-togglebutton), so without
    it every solution showed, and each toggle was named "Toggle hidden content". A ``<details>``
    element folds without JavaScript, prints folded, and its summary ("Solution to Exercise 11 (Shape
    puzzle)") names it. sphinx-proof and sphinx-exercise give every body the same id
    (``proof-content``, ``exercise-content``, ``solution-content``); repeats get a numbered suffix.
    """
    if app.builder.format != "html":
        return
    from sphinx_exercise.nodes import solution_node

    for solution in list(doctree.findall(solution_node)):
        if "dropdown" not in solution["classes"]:
            continue
        solution["classes"].remove("dropdown")
        titles = [child for child in solution.children if isinstance(child, nodes.title)]
        name = " ".join(titles[0].astext().split()) if titles else "Solution"
        for title in titles:
            solution.remove(title)
        summary = (f'<details class="solution-details"><summary class="admonition-title">'
                   f"{html.escape(name)}</summary>")
        solution.insert(0, nodes.raw("", summary + "\n", format="html"))
        solution.append(nodes.raw("", "</details>\n", format="html"))
    seen = set()
    for node in doctree.findall(nodes.Element):
        ids = node.get("ids", [])
        for i, name in enumerate(ids):
            if name in seen:
                number = 2
                while f"{name}-{number}" in seen:
                    number += 1
                ids[i] = name = f"{name}-{number}"
            seen.add(name)


def start_katex_server(cls, rundir, timeout):
    """sphinxcontrib-katex 0.9.11's server start, retrying the first connection until it is accepted.

    The original connects once as soon as Node.js has created the socket file, which can be before
    Node.js listens on it: on a busy machine the build then failed with "Connection refused".
    """
    socket_path = rundir / "katex.sock"
    process = subprocess.Popen(cls.build_command(socket=socket_path), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, cwd=rundir)
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(socket_path))
            return process, sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            if process.poll() is not None or time.monotonic() > deadline:
                raise cls.timeout_error(timeout) from None
            time.sleep(0.01)


def add_paths(app, config):
    """Serve ``_ext/static``, look up templates in ``_ext/templates`` first, rank search results."""
    config.html_static_path.append(str(HERE / "static"))
    config.templates_path.insert(0, str(HERE / "templates"))
    config.html_search_scorer = str(HERE / "static" / "search_scorer.js")
    if not config.html_favicon:
        config.html_favicon = str(HERE / "static" / "favicon.svg")


def collect_definitions(app, doctree):
    """Remember the titles of each page's definitions, for the search ranking (search_scorer.js)."""
    boxes = [n for n in doctree.findall(nodes.Element) if {"proof", "definition"} <= set(n["classes"])]
    titles = [box.next_node(nodes.title) for box in boxes]
    titles = [" ".join(title.astext().split()) for title in titles if title is not None]
    definitions = getattr(app.env, "site_definitions", {})
    definitions[app.env.docname] = " ".join(titles).lower()
    app.env.site_definitions = definitions


def merge_definitions(app, env, docnames, other):
    """Merge the definitions read by parallel workers."""
    env.site_definitions = {**getattr(env, "site_definitions", {}), **getattr(other, "site_definitions", {})}


def complete_root_redirect(app, exception):
    """Make the site's root ``index.html`` a page: sphinx-external-toc writes it as one bare redirect.

    It gets the site's title, an empty icon and a link for a reader whose browser does not follow the
    redirect. Without an icon of its own the browser asks for ``/favicon.ico``, which the site does
    not have, and logs a 404; a real icon file would be fetched and then cancelled by the redirect.
    The empty ``data:`` icon asks nothing of the server; the page it leads to has the site's favicon.
    """
    index = Path(app.outdir) / "index.html"
    if exception is not None or app.builder.format != "html" or not index.is_file():
        return
    redirect = re.fullmatch(r'<meta http-equiv="Refresh" content="0; url=([^"]+)" />\s*',
                            index.read_text(encoding="utf-8"))
    if not redirect:
        return
    target = html.escape(redirect.group(1))
    title = html.escape(app.config.html_title or app.config.project)
    index.write_text(
        f'<!DOCTYPE html>\n<html lang="{app.config.language or "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Refresh" content="0; url={target}">\n<title>{title}</title>\n'
        '<link rel="icon" href="data:,">\n</head>\n'
        f'<body><p><a href="{target}">{title}</a></p></body>\n</html>\n',
        encoding="utf-8")


def setup(app):
    """Register the fixes with Sphinx."""
    from sphinxcontrib.katex import KaTeXServer

    KaTeXServer.start_server_process = classmethod(start_katex_server)
    app.connect("config-inited", add_paths)
    app.connect("doctree-read", collect_definitions)
    app.connect("env-merge-info", merge_definitions)
    app.connect("doctree-resolved", fix_doctree)
    app.connect("html-page-context", fix_page, priority=900)  # after the extensions that add scripts
    app.connect("build-finished", complete_root_redirect, priority=900)  # after sphinx-external-toc writes it
    app.add_css_file("icons.css")
    app.add_css_file("site.css", priority=900)  # after the theme's and KaTeX's style sheets
    app.add_js_file("site.js", defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
