"""Small fixes to the HTML of the Jupyter Book v1 theme stack, found by the browser tests.

- sphinx-thebe registers its inline configuration script once per read of the environment, and
  Jupyter Book reads it twice, so every page declared ``const THEBE_JS_URL`` twice and the browser
  reported "Identifier 'THEBE_JS_URL' has already been declared". We drop repeated scripts.
- pydata-sphinx-theme 0.17's page template reads a ``default_mode`` that no option sets any more, so a
  first-time reader's browser logged "Got invalid theme mode: . Resetting to auto." We set it to
  "auto" (follow the reader's system setting), which is what the theme then falls back to anyway.
"""


def fix_page(app, pagename, templatename, context, doctree):
    """Keep the first of any identical script entries of a page, and set the colour mode."""
    context.setdefault("default_mode", "auto")
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # An inline script is registered once with filename None and once with "": same script.
        key = (script.filename or None, script.priority, tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app):
    """Register the fixes with Sphinx."""
    app.connect("html-page-context", fix_page, priority=900)  # after the extensions that add scripts
    return {"parallel_read_safe": True, "parallel_write_safe": True}
