// When the page's equations are painted in their KaTeX fonts, in milliseconds from navigation:
// the later of the first contentful paint and the arrival of the last KaTeX font the page uses.
async () => {
  await document.fonts.ready;
  if (!document.querySelector('.katex')) return null;
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const fonts = performance.getEntriesByType('resource').filter(e => /katex/i.test(e.name)).map(e => e.responseEnd);
  const navigation = performance.getEntriesByType('navigation')[0];
  return {
    visible: Math.max(paint ? paint.startTime : 0, ...fonts),
    paint: paint ? paint.startTime : null,
    fonts: Math.max(0, ...fonts),
    html: navigation.responseEnd,
    domContentLoaded: navigation.domContentLoadedEventEnd,
  };
}
