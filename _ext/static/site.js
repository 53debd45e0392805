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
    // Re-check whenever an equation's box changes size (a rotated phone, a resized window, fonts).
    let pending = false;
    const observer = new ResizeObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        mark();
      });
    });
    document.querySelectorAll(".katex-display").forEach((box) => observer.observe(box));
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
