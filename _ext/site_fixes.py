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

from pathlib import Path

HERE = Path(__file__).parent
KATEX_FONTS = ("KaTeX_Main-Regular", "KaTeX_Math-Italic")


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
    if 'class="katex"' in context.get("body", ""):
        context["metatags"] = context.get("metatags", "") + "".join(
            f'\n<link rel="preload" href="{context["pathto"](f"_static/katex/fonts/{font}.woff2", 1)}"'
            ' as="font" type="font/woff2" crossorigin>' for font in KATEX_FONTS)


def add_paths(app, config):
    """Serve ``_ext/static`` and look up templates in ``_ext/templates`` before the theme's."""
    config.html_static_path.append(str(HERE / "static"))
    config.templates_path.insert(0, str(HERE / "templates"))


def setup(app):
    """Register the fixes with Sphinx."""
    app.connect("config-inited", add_paths)
    app.connect("html-page-context", fix_page, priority=900)  # after the extensions that add scripts
    app.add_css_file("icons.css")
    app.add_css_file("site.css", priority=900)  # after the theme's and KaTeX's style sheets
    app.add_js_file("site.js", defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
