// Search ranking and excerpts (issue 15). Sphinx puts this file (html_search_scorer) into
// language_data.js, so `Scorer` below replaces the default one of searchtools.js.
// 1. The page that defines a term ranks first: every result from a page whose definitions
//    (prf:definition titles, listed per page in SITE_DEFINITIONS by _ext/site_fixes.py on the
//    search page) name every word of the query gets a bonus above any other match (the glossary
//    entry and the API object of that name included).
// 2. Excerpts show the formulas as their rendered text, never the TeX source that KaTeX keeps in
//    its MathML for screen readers.
var Scorer = {
  score: (result) => {
    const [docname, , , , score] = result;
    const definitions = (window.SITE_DEFINITIONS || {})[docname];
    const query = new URLSearchParams(window.location.search).get("q") || "";
    const words = query.toLowerCase().split(/\s+/).filter(Boolean).map((w) => w.replace(/(es|s)$/, ""));
    const defines = definitions && words.length && words.every((w) => definitions.includes(w));
    return score + (defines ? 1000 : 0);
  },
  // Sphinx's defaults (searchtools.js)
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};

document.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".katex-mathml").forEach((el) => el.remove());
    return htmlToText(doc.documentElement.outerHTML, anchor);
  };
});
