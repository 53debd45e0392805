// Checks of one loaded page, run by tests/test_browser.py (every page, desktop width).
async () => {
  await document.fonts.ready;
  const article = document.querySelector('main') || document.body;
  // Raw TeX left in the text: delimiters or common macros outside code and rendered math.
  const skip = 'pre, code, script, style, textarea, .katex, .highlight';
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest(skip)) continue;
    if (/\\\(|\\\[|\$\$|\\(?:mathbf|mathbb|frac|partial|cdot|operatorname|begin)\b/.test(node.textContent)) {
      raw.push(node.textContent.trim().slice(0, 80));
    }
  }
  const math = [...document.querySelectorAll('.math')];
  // Figures load lazily, as they scroll into view: load them all now, as a reader scrolling would.
  const images = [...document.querySelectorAll('img')];
  images.forEach(i => { i.loading = 'eager'; });
  await Promise.all(images.map(i => i.decode().catch(() => null)));
  // Every id once, and a valid HTML id (no whitespace, not empty).
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const seen = new Set(), repeated = new Set();
  ids.forEach(id => (seen.has(id) ? repeated.add(id) : seen.add(id)));
  const invalidIds = ids.filter(id => id === '' || /\s/.test(id));
  // Tab stops inside equations: only a display equation that scrolls sideways may be one.
  const mathTabStops = [...document.querySelectorAll('.math, .math *')].filter(e => e.tabIndex >= 0
    && !(e.matches('.katex-display') && e.scrollWidth > e.clientWidth)).length;
  // A visible focus indicator on the header buttons, reached as from the keyboard.
  const noFocusRing = [];
  for (const button of document.querySelectorAll('.bd-header-article button, .bd-header-article a')) {
    if (!button.offsetParent) continue;
    button.focus();
    const style = getComputedStyle(button);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) || style.boxShadow !== 'none';
    if (!ring) noFocusRing.push(button.getAttribute('aria-label') || button.title || button.className);
  }
  if (document.activeElement) document.activeElement.blur();
  // Solution toggles must say which exercise they belong to.
  const toggles = [...document.querySelectorAll('details.solution > summary, .solution button.toggle-button')];
  const unnamedToggles = toggles.map(t => t.textContent.trim()).filter(name => !/Exercise\s+\S+/.test(name));
  return {
    raw,
    math: math.length,
    unrendered: math.filter(m => !m.querySelector('.katex')).map(m => m.textContent.slice(0, 80)),
    katexErrors: [...document.querySelectorAll('.katex-error')].map(e => e.getAttribute('title')),
    images: images.length,
    brokenImages: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src')),
    badAlt: images.filter(i => !i.alt || /\.(png|svg|jpe?g)$|^[0-9a-f]{16,}/i.test(i.alt)).map(i => i.getAttribute('src')),
    repeatedIds: [...repeated],
    invalidIds,
    mathTabStops,
    noFocusRing,
    toggles: toggles.length,
    unnamedToggles,
    articleText: article.innerText.length,
  };
}
