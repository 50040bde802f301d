/* minitf slides: a stand-in for MathJax 2 that renders TeX with KaTeX, offline.
 *
 * nbconvert's reveal template loads `mathjax_url` with a plain <script src>, then only talks to
 * MathJax 2 through `MathJax.Hub` (Config, Queue, getAllJax, Rerender on slide changes). MathJax 2
 * is 73 MB on npm, so slides/build.py points `mathjax_url` at vendor/mathjax-katex.js instead:
 * katex.min.js + contrib/auto-render.min.js + this file, concatenated, about 0.3 MB plus 0.3 MB
 * of woff2 fonts. This file provides the `MathJax.Hub` surface the template uses and typesets
 * every $...$, $$...$$, \(...\), \[...\] and \begin{align}... once the page has been parsed.
 *
 * Speaker notes (aside.notes) are left as TeX source: the speaker view window has no KaTeX CSS.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script && script.src ? script.src.replace(/[^\/]*([?#].*)?$/, "") : "";

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = base + "katex/katex.min.css";
  document.head.appendChild(css);

  var environments = ["equation", "equation*", "align", "align*", "alignat", "alignat*",
                      "gather", "gather*", "CD"];
  var delimiters = [
    { left: "$$", right: "$$", display: true },
    { left: "\\[", right: "\\]", display: true }
  ];
  environments.forEach(function (env) {
    delimiters.push({ left: "\\begin{" + env + "}", right: "\\end{" + env + "}", display: true });
  });
  delimiters.push({ left: "$", right: "$", display: false });
  delimiters.push({ left: "\\(", right: "\\)", display: false });

  var options = {
    delimiters: delimiters,
    throwOnError: false,          // a TeX typo shows in red instead of breaking the deck
    ignoredClasses: ["notes"],     // text outputs sit in <pre>, which is ignored below
    ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code", "option", "svg"]
  };

  function typeset(element) {
    if (typeof window.renderMathInElement === "function") {
      window.renderMathInElement(element || document.body, options);
    }
  }

  // Only the calls nbconvert's reveal template makes; rendering happens once, below.
  window.MathJax = {
    Hub: {
      Config: function () {},
      Queue: function () {},
      Typeset: typeset,
      getAllJax: function () { return null; },
      Rerender: function () {}
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { typeset(document.body); });
  } else {
    typeset(document.body);
  }
})();
