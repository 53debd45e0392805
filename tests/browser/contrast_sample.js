// Marks one element per distinct look (tag, classes, text colour, the box it sits in) among the
// elements that hold text, so axe-core's colour-contrast rule, slow on the 7,000 elements of a
// chapter, checks every look a page has once instead of every element. Returns how many it marked.
() => {
  const box = 'pre, table, .admonition, .proof, .exercise, .solution, .cell_output, nav, aside, header, footer, dialog, .sidebar-primary-items__start, .bd-header-article';
  const seen = new Set();
  let marked = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const text = [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!text) continue;
    const container = el.closest(box);
    const style = getComputedStyle(el);
    const look = [el.tagName, el.className, style.color, style.fontWeight, style.fontSize,
                  container ? container.tagName + '.' + container.className : ''].join('|');
    if (seen.has(look)) continue;
    seen.add(look);
    el.setAttribute('data-contrast-sample', '');
    marked += 1;
  }
  return marked;
}
