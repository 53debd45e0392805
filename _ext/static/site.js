// The site on every device (issue 15). Jupyter Book adds every .js file under _static/ to every page.
// A display equation wider than its column scrolls in its own box: make that box a keyboard tab stop
// with a name, so it can be scrolled without a mouse. Only those that overflow now, so a chapter has
// a handful of tab stops in its equations, not hundreds.
(() => {
  const mark = () => {
    document.querySelectorAll(".katex-display").forEach((box) => {
      if (box.scrollWidth > box.clientWidth) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Wide equation, scrolls sideways");
      } else if (box.hasAttribute("tabindex")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  };
  const start = () => {
    mark();
    let pending = null;
    window.addEventListener("resize", () => {
      clearTimeout(pending);
      pending = setTimeout(mark, 150);
    });
    if (document.fonts) document.fonts.ready.then(mark);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
