// Layout checks at phone width, run by tests/test_browser.py on every page.
// Returns how far the page scrolls sideways and every element that is cut off out of reach.
() => {
  const root = document.scrollingElement;
  const width = root.clientWidth;
  const article = document.querySelector('main') || document.body;
  const describe = el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${el.textContent.trim().slice(0, 50)}"`;
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const clipped = [], outOfReach = [], noCue = [];
  for (const el of article.querySelectorAll('*')) {
    if (el.closest('.katex-html') && !el.matches('.katex-html')) continue;  // KaTeX's own struts and boxes
    if (el.closest('.katex-mathml, .visually-hidden, .sr-only, .headerlink, .bd-sidebar-primary, .bd-sidebar-secondary, dialog')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    // content wider than a box that hides it, with no scrollbar to reach it
    if (['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) clipped.push(describe(el));
    // sticking out of the screen, with no scrolling box around it
    if (box.right > width + 1 || box.left < -1) {
      let up = el.parentElement;
      while (up && up !== article && !scrolls(up)) up = up.parentElement;
      if (!up || up === article) outOfReach.push(`${describe(el)} right edge ${Math.round(box.right)} px`);
    }
  }
  // A display equation wider than the column scrolls in its own box, with a visible cue and a tab stop.
  const wide = [...article.querySelectorAll('.katex-display')].filter(m => m.scrollWidth > m.clientWidth);
  for (const m of wide) {
    const style = getComputedStyle(m);
    if (!scrolls(m) || !style.backgroundImage.includes('gradient') || m.tabIndex < 0) noCue.push(describe(m));
  }
  // The notebooks' figures (tests/figure_check.py): the size of the picture itself (the content box:
  // dark mode frames images in white padding), the width it may take, and the PNG's pixels.
  const content = (el, side) => (side === 'width' ? el.clientWidth : el.clientHeight)
    - ['Left', 'Right', 'Top', 'Bottom'].filter(e => (side === 'width') === ['Left', 'Right'].includes(e))
      .reduce((sum, e) => sum + parseFloat(getComputedStyle(el)[`padding${e}`]), 0);
  const figures = [...article.querySelectorAll('.cell_output img')].map(i => ({
    src: i.getAttribute('src').split('/').pop().slice(0, 12),
    naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight,
    width: content(i, 'width'), height: content(i, 'height'),
    declared: parseFloat(i.style.width) || null,
    column: content(i.parentElement, 'width') - (i.offsetWidth - content(i, 'width')),
  }));
  return {sideways: root.scrollWidth - width, clipped, outOfReach, noCue, wide: wide.length, figures};
}
