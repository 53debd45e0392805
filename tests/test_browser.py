"""The published site as a reader meets it: every page opened in headless Chromium, offline.

The site is built once (the ``built_site`` fixture), served on 127.0.0.1, and each page is loaded
with every request to another host blocked and recorded. Every page is opened once, in a new tab of
one browser context (as a reader goes from page to page in one browser session; every file is still
fetched from the server, which sends no caching headers), and checked twice:

- at desktop width in light mode: no console errors, no failed or external requests, every equation
  pre-rendered by KaTeX at build time, no raw TeX, every image loaded with real alt text, ids unique
  and valid, no equation a tab stop, visible focus rings, solution toggles named after their
  exercise, axe-core finds no serious or critical violation, and the page weighs at most
  ``MAX_PAGE_KIB`` (gzip-estimated: each file the page loaded, gzip-compressed);
- on a 390 x 844 touch phone in dark mode: the page never scrolls sideways, nothing is clipped out of
  reach, wide display equations scroll in their own box with a visible cue, every figure is a 2x PNG
  shown in proportion and as wide as tests/figure_check.py assumes, both navigation drawers open and
  close by tap, and axe-core again finds no serious or critical violation.

The drawers are also tapped at desktop width, a chapter is loaded on a throttled phone profile
(1.6 Mbps, 150 ms, 4x CPU slowdown) to time the equations (printed, not asserted: a timed test
fails at random on a busy machine), and the pages are checked without
JavaScript and in print. The weight and the time until the equations are visible are printed at
the end of the test run. The checks that run inside the page are the ``.js`` files in
``tests/browser/``.

Needs Debian's ``chromium`` (``apt-get install -y chromium``); ``.ci/run`` installs it. Set
``CHROMIUM`` to use another Chromium binary.
"""

import contextlib
import functools
import gzip
import html.parser
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.figure_check import MIN_SCALE, PHONE_COLUMN_PX, PHONE_FRAME_PX
from tests.helpers import toc_files

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# No host but the test server's can be reached (every other name resolves to nothing), as offline;
# each request to another host is still seen and reported (Visit.request).
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def toc_pages():
    return [f"{entry}.html" for entry in toc_files()]


PAGES = [*toc_pages(), "index.html", "genindex.html", "py-modindex.html", "search.html", "prf-prf.html"]
# The notebook chapters, in book order.
CHAPTERS = [p for p in toc_pages() if re.match(r"book/\d\d_", p)]
AXE = Axe()


@functools.cache
def gzip_bytes(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


def gzip_size(path: Path) -> int:
    return len(gzip_bytes(path))


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site gzip-compressed where the browser accepts it, as GitHub Pages does."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        body = gzip_bytes(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site(request):
    # BROWSER_SITE=_build/html checks a site built beforehand (while working on the theme) instead.
    if os.environ.get("BROWSER_SITE"):
        html_dir = Path(os.environ["BROWSER_SITE"]).resolve()
    else:
        html_dir, result = request.getfixturevalue("built_site")
        assert result.returncode == 0, "the site did not build; see test_site_builds_without_warnings"
    with serve(html_dir) as base:
        yield html_dir, base


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 for the ``with`` block; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.fail("Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM to its path")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


JS = {path.stem: path.read_text(encoding="utf-8") for path in (Path(__file__).parent / "browser").glob("*.js")}
MAX_PAGE_KIB = 600
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}




class Visit:
    """One page in a fresh browser context (or a new tab of ``context``), every request to another host
    logged (and refused: FLAGS).

    The requests are watched, not intercepted, so that the page loads as it does for a reader (an
    intercepted request waits until this process lets it through).
    """

    def __init__(self, browser, base, html_dir, *, java_script=True, context=None, **context_options):
        self.base, self.html_dir = base, html_dir
        self.own_context = context is None  # else a new tab in a context shared with other visits
        self.context = browser.new_context(java_script_enabled=java_script, **context_options) if context is None else context
        self.external, self.failed, self.errors, self.files = [], [], [], []
        self.page = self.context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", self.request)
        self.page.on("requestfailed", self.request_failed)
        self.page.on("response", self.response)

    def request(self, request):
        if not request.url.startswith((self.base, "data:", "blob:")):
            self.external.append(request.url)

    def request_failed(self, request):
        if request.url.startswith(self.base):
            self.failed.append(f"{request.failure} {request.url}")

    def response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")
        elif response.url.startswith(self.base):
            self.files.append(self.html_dir / unquote(urlsplit(response.url).path).lstrip("/"))

    def open(self, page_path):
        self.page.goto(f"{self.base}/{page_path}", wait_until="load")
        if 'http-equiv="Refresh"' in (self.html_dir / urlsplit(page_path).path).read_text(encoding="utf-8"):
            self.page.wait_for_url(lambda url: not url.endswith(page_path))
            self.page.wait_for_load_state("load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        self.page.wait_for_timeout(200)  # the theme's deferred scripts
        return self.page

    def gzip_kib(self):
        return sum(gzip_size(path) for path in set(self.files) if path.is_file()) / 1024

    def close(self):
        if self.own_context:
            self.context.close()
        else:
            self.page.close()


def figure_problems(figures):
    """At 390 px: every figure drawn at 2x, in proportion, and as wide as tests/figure_check.py assumes.

    The figure check measures text in a figure shown at most ``PHONE_COLUMN_PX`` wide less a dark-mode
    frame of ``PHONE_FRAME_PX``; a figure shown narrower on the phone would have smaller text than it
    computed. (The page is checked at 390 px in dark mode, where the frame is.)
    """
    problems = []
    for f in figures:
        if f["naturalWidth"] < MIN_SCALE * f["width"] - 1:
            problems.append(f"figure {f['src']}: {f['naturalWidth']} px PNG shown {f['width']:.0f} CSS px wide, not 2x")
        if f["naturalWidth"] and abs(f["height"] / f["width"] - f["naturalHeight"] / f["naturalWidth"]) > 0.02:
            problems.append(f"figure {f['src']}: shown {f['width']:.0f} x {f['height']:.0f}, out of proportion")
        if f["width"] < min(f["declared"] or f["naturalWidth"] / MIN_SCALE, PHONE_COLUMN_PX) - PHONE_FRAME_PX - 1:
            problems.append(f"figure {f['src']}: {f['width']:.0f} CSS px wide in a {f['column']:.0f} px column, "
                            f"narrower than tests/figure_check.py assumes ({PHONE_COLUMN_PX} px less "
                            f"{PHONE_FRAME_PX} px of frame)")
    return problems


def serious_axe_violations(page, *, dark):
    """axe-core's serious and critical findings: all rules in light mode, colour contrast in dark mode.

    Colour contrast, axe's slowest rule by far, checks one element of each look the page has
    (tests/browser/contrast_sample.js: same tag, classes, colour, weight, size and container): the
    rule's own selector is narrowed to those samples and what they hold, so in light mode it runs in
    the same pass as all the other rules (each pass of axe first maps the whole page: one pass instead
    of two saves about a second of Chromium's time per chapter). axe-core is injected once per page.
    """
    page.evaluate(f"document.documentElement.dataset.theme = '{'dark' if dark else 'light'}'")
    page.evaluate("document.querySelectorAll('[data-contrast-sample]').forEach(e => e.removeAttribute('data-contrast-sample'))")
    page.evaluate(JS["contrast_sample"])
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.axe_script)
        # each sample and what it holds, as an axe context of the samples included before
        page.evaluate("axe.configure({rules: [{id: 'color-contrast', "
                      "selector: '[data-contrast-sample], [data-contrast-sample] *'}]})")
    options = {"resultTypes": ["violations"], "preload": False}
    if dark:
        options["runOnly"] = {"type": "rule", "values": ["color-contrast"]}
    violations = page.evaluate("options => axe.run(document, options).then(results => results.violations)", options)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]}"
            for v in violations if v["impact"] in {"serious", "critical"}]


def tap_drawers(page, *, phone):
    """Tap each visible drawer button: it must open its drawer, and a tap beside it close the drawer."""
    width = page.viewport_size["width"]
    problems = []
    for toggle, dialog, outside_x in ((".primary-toggle", "#pst-primary-sidebar-modal", width - 10),
                                      (".secondary-toggle", "#pst-secondary-sidebar-modal", 10)):
        button = page.locator(f".bd-header-article {toggle}")
        if not button.count() or not button.is_visible():
            continue
        tap = button.tap if phone else button.click
        tap()
        if phone:
            opened = page.wait_for_function(f"document.querySelector('{dialog}').open", timeout=3000)
            links = page.locator(f"{dialog} a").filter(visible=True).count()
            if not opened or not links:
                problems.append(f"{toggle}: the drawer did not open with its links")
            page.touchscreen.tap(outside_x, 400)
            page.wait_for_function(f"!document.querySelector('{dialog}').open", timeout=3000)
        else:
            # At desktop width the primary button collapses the sidebar in place and brings it back.
            sidebar = page.locator("#pst-primary-sidebar")
            page.wait_for_function("getComputedStyle(document.querySelector('#pst-primary-sidebar'))"
                                   ".visibility === 'hidden'", timeout=3000)
            tap()
            page.wait_for_function("getComputedStyle(document.querySelector('#pst-primary-sidebar'))"
                                   ".visibility === 'visible'", timeout=3000)
            if not sidebar.locator("a").filter(visible=True).count():
                problems.append(f"{toggle}: the sidebar did not come back")
    return problems


@pytest.fixture(scope="module")
def reader(browser):
    """One browser context for the page-by-page checks, as a reader goes from page to page in one
    browser session. Setting up and tearing down a context per page cost Chromium about as much work
    again as loading the page (a chapter: 1.9 CPU-s in a fresh context, 0.9 in a new tab of a used one).
    Each page is still a new tab; every file it loads is fetched from the server again (QuietHandler
    sends no caching headers) and seen (Visit.response), so its weight counts them all. A load in a
    fresh context is timed on its own (test_equations_appear_on_a_throttled_phone)."""
    context = browser.new_context(**DESKTOP)
    yield context
    context.close()


@pytest.mark.parametrize("page_path", PAGES)
def test_page(site, browser, reader, page_path, record_property):
    """One load per page: checked at desktop width in light mode, and at 390 px in dark mode."""
    html_dir, base = site
    visit = Visit(browser, base, html_dir, context=reader)
    try:
        page = visit.open(page_path)
        found = page.evaluate(JS["page_checks"])
        visible = page.evaluate(JS["visible_math"])
        weight = visit.gzip_kib()
        failed = list(visit.failed)  # before axe, which re-fetches @import-ed style sheets on its own
        page.set_viewport_size(PHONE["viewport"])
        page.emulate_media(color_scheme="dark")
        # Lay out every section, also those below the screen that content-visibility lets wait.
        page.add_style_tag(content="section { content-visibility: visible !important; }")
        page.wait_for_timeout(500)  # the page's own resize handlers
        layout = page.evaluate(JS["phone_layout"])
        # KaTeX's output is aria-hidden glyph boxes in the colour of the text around them, plus MathML
        # for screen readers that axe has no rules for: 13,000 elements in a chapter, which make axe
        # twenty times slower. For axe, each formula becomes one word of text in its place.
        page.evaluate("document.querySelectorAll('.katex').forEach(k => k.replaceWith('formula'))")
        axe_dark = serious_axe_violations(page, dark=True)
        axe_light = serious_axe_violations(page, dark=False)
    finally:
        visit.close()

    problems = [
        *(f"request to another host: {url}" for url in visit.external),
        *(f"failed request: {url}" for url in failed),
        *(f"console error: {error}" for error in visit.errors),
        *(f"image did not load: {src}" for src in found["brokenImages"]),
        *(f"image without real alt text: {src}" for src in found["badAlt"]),
        *(f"equation not rendered at build time: {tex}" for tex in found["unrendered"]),
        *(f"equation KaTeX could not read: {tex}" for tex in found["katexErrors"]),
        *(f"raw TeX in the text: {text}" for text in found["raw"]),
        *(f"id used more than once: {name}" for name in found["repeatedIds"]),
        *(f"invalid id: {name!r}" for name in found["invalidIds"]),
        *([f"{found['mathTabStops']} tab stops inside equations"] if found["mathTabStops"] else []),
        *(f"no visible focus ring: {name}" for name in found["noFocusRing"]),
        *(f"solution toggle not named after its exercise: {name!r}" for name in found["unnamedToggles"]),
        *(f"axe-core, light mode: {v}" for v in axe_light),
        *([f"weighs {weight:.0f} KiB gzip-estimated, more than {MAX_PAGE_KIB}"] if weight > MAX_PAGE_KIB else []),
        *([f"at 390 px the page scrolls sideways by {layout['sideways']} px"] if layout["sideways"] > 0 else []),
        *(f"at 390 px, clipped out of reach: {what}" for what in layout["clipped"]),
        *(f"at 390 px, beyond the screen edge: {what}" for what in layout["outOfReach"]),
        *(f"at 390 px, wide equation without a scrolling box, cue or tab stop: {what}" for what in layout["noCue"]),
        *(f"at 390 px, {problem}" for problem in figure_problems(layout["figures"])),
        *(f"axe-core, dark mode: {v}" for v in axe_dark),
    ]
    assert not problems, "\n".join(problems)
    shown = f"{visible['visible']:6.0f} ms" if visible is not None else " no math"
    record_property("measured", f"{page_path:32} equations {found['math']:4}  visible at {shown}"
                          f"  {weight:6.1f} KiB gzip-est.  {len(set(visit.files)):3} files"
                          f"  images {found['images']}  wide equations at 390 px {layout['wide']}")
    if layout["figures"]:
        record_property("measured", f"{'':32} figures at 390 px (CSS px, column {layout['figures'][0]['column']:.0f}): "
                                    + ", ".join(f"{f['width']:.0f}x{f['height']:.0f}" for f in layout["figures"]))


def test_axe_finds_poor_contrast_in_each_mode_and_other_rules_in_light_mode(browser, tmp_path):
    # grey on white in light mode, dark grey on black in dark mode, and an image without alt text
    (tmp_path / "page.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title><style>'
        'html[data-theme=light] body { background: #fff; color: #000 } html[data-theme=dark] body { background: #000; color: #fff }'
        'html[data-theme=light] .faint-light, html[data-theme=dark] .faint-dark { color: #777; }'
        'html[data-theme=dark] .faint-dark { color: #333; }</style></head><body><main>'
        '<p>Readable text.</p><p class="faint-light">Faint in light mode.</p><p class="faint-dark">Faint in dark mode.</p>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10"></main></body></html>',
        encoding="utf-8")
    with serve(tmp_path) as base:
        visit = Visit(browser, base, tmp_path)
        try:
            page = visit.open("page.html")
            found = {dark: serious_axe_violations(page, dark=dark) for dark in (True, False)}
        finally:
            visit.close()
    assert [v.split(" ")[0] for v in found[True]] == ["color-contrast"], found[True]
    assert ".faint-dark" in found[True][0], found[True]
    assert ".faint-light" not in found[True][0], found[True]
    assert sorted(v.split(" ")[0] for v in found[False]) == ["color-contrast", "image-alt"], found[False]
    contrast = next(v for v in found[False] if v.startswith("color-contrast"))
    assert ".faint-light" in contrast, found[False]
    assert ".faint-dark" not in contrast, found[False]


def test_a_request_to_another_host_is_reported_and_never_reaches_it(browser, tmp_path):
    (tmp_path / "page.html").write_text('<!doctype html><title>t</title><img src="https://example.org/x.png" alt="x">'
                                        '<img src="missing.png" alt="y">', encoding="utf-8")
    with serve(tmp_path) as base:
        visit = Visit(browser, base, tmp_path)
        try:
            visit.open("page.html")
        finally:
            visit.close()
    assert visit.external == ["https://example.org/x.png"]
    assert visit.failed == [f"404 {base}/missing.png"]


@pytest.mark.parametrize("page_path", ["index.html", "CHAPTER"])
def test_drawers_open_and_close_by_tap_on_a_phone(site, browser, page_path):
    html_dir, base = site
    visit = Visit(browser, base, html_dir, color_scheme="dark", **PHONE)
    try:
        page = visit.open(CHAPTERS[0] if page_path == "CHAPTER" else page_path)
        problems = tap_drawers(page, phone=True)
    finally:
        visit.close()
    assert not visit.errors, f"console errors: {visit.errors}"
    assert not problems, problems


def test_drawers_work_on_desktop(site, browser):
    html_dir, base = site
    visit = Visit(browser, base, html_dir, **DESKTOP)
    try:
        page = visit.open(CHAPTERS[0])
        searches = page.locator(".search-button-field, .search-button").filter(visible=True).count()
        header = page.locator("#pst-header").bounding_box()
        problems = tap_drawers(page, phone=False)
    finally:
        visit.close()
    assert searches == 1, f"{searches} Search buttons on desktop"
    assert header is None or header["height"] == 0, f"an empty top bar of {header['height']} px"
    assert not problems, problems


def throttled_visit(browser, base, html_dir, page_path):
    visit = Visit(browser, base, html_dir, **PHONE)
    try:
        cdp = visit.context.new_cdp_session(visit.page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                                                      "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.75e6 / 8})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        visible = visit.open(page_path).evaluate(JS["visible_math"])
        return visible, visit.gzip_kib()
    finally:
        visit.close()


def test_equations_appear_on_a_throttled_phone(site, browser, record_property):
    """The chapter with the most equations, cold, at 1.6 Mbps and 150 ms with the CPU slowed 4x.

    The equations must appear, their fonts loaded; the time they take is printed at the end of the run,
    not asserted (the goal, within 3 s, is measured on a quiet machine by ``benchmarks/run.py --pages``).
    The 4x slowdown multiplies whatever else the machine runs, the other test worker included, so a
    bound on the time would fail at random; what sets the time on a slow network, the page's weight,
    is asserted for every page by ``test_page``.
    """
    html_dir, base = site
    page_path = max(CHAPTERS, key=lambda p: (html_dir / p).read_text(encoding="utf-8").count('class="katex"'))
    visible, weight = throttled_visit(browser, base, html_dir, page_path)
    assert visible is not None, "no equations became visible"
    record_property("measured", f"throttled phone (1.6 Mbps, 150 ms, CPU 4x): {page_path} equations visible at "
                                f"{visible['visible']:.0f} ms (HTML {visible['html']:.0f} ms, first paint "
                                f"{visible['paint']:.0f} ms, KaTeX fonts {visible['fonts']:.0f} ms; {weight:.0f} KiB gzip)")
    assert weight <= MAX_PAGE_KIB


def test_without_javascript_solutions_fold_and_equations_read(site, browser):
    """With JavaScript off: equations are already HTML, and every solution is folded in a <details>."""
    html_dir, base = site
    visit = Visit(browser, base, html_dir, java_script=False, **PHONE)
    try:
        page = visit.open(CHAPTERS[0])
        found = page.evaluate(JS["page_checks"])
        folded = page.evaluate("""() => [...document.querySelectorAll('div.solution')].map(s => {
            const details = s.querySelector(':scope > details');
            const body = details && details.querySelector('section');
            return Boolean(details && !details.open && body && !body.checkVisibility());
        })""")
        page.emulate_media(media="print")
        printed = page.evaluate("""() => ({
            solutions: [...document.querySelectorAll('div.solution')].filter(s => s.getBoundingClientRect().height > 0).length,
            cutCode: [...document.querySelectorAll('pre')].filter(p => p.scrollWidth > p.clientWidth + 1).length,
        })""")
    finally:
        visit.close()
    assert found["math"], "no equations on the page"
    assert not found["unrendered"], found["unrendered"]
    assert not found["raw"], found["raw"]
    assert folded, "no solutions on the page"
    assert all(folded), f"solutions not folded without JavaScript: {folded}"
    assert printed["solutions"] == 0, f"{printed['solutions']} solutions print"
    assert printed["cutCode"] == 0, f"{printed['cutCode']} code blocks cut at the right edge in print"


class Links(html.parser.HTMLParser):
    """Collect the ids and the local links of one HTML page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for key in ("id", "name"):
            if attributes.get(key):
                self.ids.add(attributes[key])
        href = attributes.get("href") if tag in {"a", "link"} else attributes.get("src")
        if href and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", href, re.IGNORECASE):
            self.links.append(href)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves(site):
    html_dir, _ = site
    pages = {p: parse(p) for p in html_dir.rglob("*.html") if "_static" not in p.parts}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(html_dir)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(html_dir)}: {link} (no such anchor)")
    assert not broken, broken


def test_every_built_page_is_checked_in_the_browser(site):
    html_dir, _ = site
    built = {str(p.relative_to(html_dir)) for p in html_dir.rglob("*.html") if p.parts[-2] != "_static"}
    built = {p for p in built if not p.startswith(("_static/", "_sources/"))}
    assert built <= set(PAGES), f"pages the browser test does not open: {sorted(built - set(PAGES))}"


@pytest.mark.parametrize(("term", "chapter", "first"), [("Jacobian", "03_jacobians", True),
                                                        ("Hadamard", "03_jacobians", False)])
def test_search_ranks_the_teaching_chapter_first(site, browser, term, chapter, first):
    """A chapter that defines a term comes first; one that teaches it is found; no raw TeX in excerpts."""
    html_dir, base = site
    visit = Visit(browser, base, html_dir, **DESKTOP)
    try:
        page = visit.open(f"search.html?q={term}")
        page.wait_for_selector("ul.search li p.context", timeout=20000)
        page.wait_for_timeout(500)  # the remaining excerpts
        results = page.eval_on_selector_all("ul.search li > a", "links => links.map(a => a.getAttribute('href'))")
        excerpts = page.eval_on_selector_all("ul.search li p.context", "ps => ps.map(p => p.textContent)")
    finally:
        visit.close()
    assert not visit.errors, visit.errors
    assert results, f"no results for {term}"
    if first:
        assert chapter in results[0], f"{term}: first result {results[0]}, all: {results[:8]}"
    else:
        assert any(chapter in href for href in results), f"{term}: {chapter} not found in {results}"
    raw = [text for text in excerpts if re.search(r"\\[a-zA-Z]+|\$", text)]
    assert not raw, f"raw TeX in the excerpts: {raw}"
