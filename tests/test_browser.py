"""The published site as a reader meets it: every page opened in headless Chromium, offline.

The site is built once (the ``built_site`` fixture), served on 127.0.0.1, and each page is loaded
with every request to another host blocked and recorded. Per page we assert: no console errors, no
failed or external requests, every equation typeset by the site's own MathJax, every image loaded.
Links and anchors are checked on the HTML files, and a search must find the chapter it should.
The time until MathJax has typeset the page and the bytes transferred are measured and printed at
the end of the test run; they are reported, not asserted.

Needs Debian's ``chromium`` (``apt-get install -y chromium``); ``.ci/run`` installs it. Set
``CHROMIUM`` to use another Chromium binary.
"""

import functools
import html.parser
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import BROWSER_REPORT, ROOT

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def toc_pages():
    entries = re.findall(r"(?:root|file):\s*(\S+)", (ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [f"{entry}.html" for entry in entries]


PAGES = [*toc_pages(), "index.html", "genindex.html", "py-modindex.html", "search.html", "prf-prf.html"]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_site):
    html_dir, result = built_site
    assert result.returncode == 0, "the site did not build; see test_site_builds_without_warnings"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield html_dir, f"http://127.0.0.1:{server.server_address[1]}"
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


MEASURE = """async () => {
  let typesetAt = null;
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    typesetAt = performance.now();
  }
  const skip = 'pre, code, script, style, textarea, mjx-container';
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest(skip)) continue;
    if (/\\\\\\(|\\\\\\[|\\$\\$|\\\\(?:mathbf|mathbb|frac|partial|cdot|operatorname)/.test(node.textContent)) {
      raw.push(node.textContent.slice(0, 80));
    }
  }
  const math = [...document.querySelectorAll('.math')];
  const images = [...document.querySelectorAll('img')];
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  return {
    typesetAt,
    mathJax: Boolean(window.MathJax && MathJax.version),
    math: math.length,
    untypeset: math.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 80)),
    containers: document.querySelectorAll('mjx-container').length,
    raw,
    images: images.length,
    brokenImages: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src')),
    bytes: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0),
  };
}"""


@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_offline(site, browser, page_path):
    _, base = site
    context = browser.new_context()
    external, failed, errors = [], [], []

    def route(route_request):
        if route_request.request.url.startswith(base):
            route_request.continue_()
        else:
            external.append(route_request.request.url)
            route_request.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: request.url.startswith(base) and failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    try:
        page.goto(f"{base}/{page_path}", wait_until="load")
        page.wait_for_load_state("networkidle")
        found = page.evaluate(MEASURE)
    finally:
        context.close()

    assert not external, f"requests to other hosts: {external}"
    assert not failed, f"failed requests: {failed}"
    assert not errors, f"console errors: {errors}"
    assert not found["brokenImages"], f"images that did not load: {found['brokenImages']}"
    assert not found["untypeset"], f"equations MathJax did not typeset: {found['untypeset']}"
    assert not found["raw"], f"raw TeX left in the text: {found['raw']}"
    if found["math"]:
        assert found["mathJax"], "the page has equations but MathJax did not load"
        assert found["containers"] >= found["math"]
    typeset = f"{found['typesetAt']:7.0f} ms" if found["typesetAt"] is not None else "  no math"
    BROWSER_REPORT.append(f"{page_path:32} equations {found['containers']:4}  typeset at {typeset}"
                          f"  transferred {found['bytes'] / 1024:8.1f} KiB  images {found['images']}")


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


def test_search_finds_the_chapter(site, browser):
    _, base = site
    context = browser.new_context()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    page = context.new_page()
    try:
        page.goto(f"{base}/search.html?q=Hadamard", wait_until="load")
        page.wait_for_selector("ul.search li a", timeout=20000)
        results = page.eval_on_selector_all("ul.search li a", "links => links.map(a => a.getAttribute('href'))")
    finally:
        context.close()
    assert any("03_jacobians" in href for href in results), results
