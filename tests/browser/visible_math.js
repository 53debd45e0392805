// Milliseconds from navigation until the page's equations are painted in their KaTeX fonts:
// the later of the first contentful paint and the arrival of the last KaTeX font it uses.
async () => {
  await document.fonts.ready;
  if (!document.querySelector('.katex')) return null;
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const fonts = performance.getEntriesByType('resource').filter(e => /katex/i.test(e.name)).map(e => e.responseEnd);
  return Math.max(paint ? paint.startTime : 0, ...fonts);
}
