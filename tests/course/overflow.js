// Injected into a copy of a deck by tests/course/test_slide_overflow.py: visits every slide and
// writes what does not fit the 1280x720 slide as JSON into a pre element (id minitf-overflow), which
// headless Chromium's --dump-dom then prints. One Chromium per deck, every slide measured in it.
require(["vendor/reveal.js/dist/reveal.js"], function (Reveal) {
  function longestLine(pre) {
    return pre.textContent.split("\n").reduce(function (a, b) { return b.length > a.length ? b : a; }, "");
  }

  function heading(slide) {  // the slide's heading, else its first words (math once, not twice)
    var first = slide.querySelector("h1, h2, h3, h4") || slide.querySelector("p, pre");
    if (!first) { return ""; }
    var copy = first.cloneNode(true);
    copy.querySelectorAll(".katex-mathml, .anchor-link").forEach(function (e) { e.remove(); });
    return copy.textContent.replace(/\u00b6/g, "").replace(/\s+/g, " ").trim().slice(0, 60);
  }

  function measure() {
    var config = Reveal.getConfig(), width = config.width, height = config.height;
    var report = {width: width, height: height, slides: []};
    Reveal.getHorizontalSlides().forEach(function (stack, h) {
      var inner = stack.querySelectorAll(":scope > section");
      var slides = inner.length ? Array.prototype.slice.call(inner) : [stack];
      slides.forEach(function (slide, v) {
        Reveal.slide(h, inner.length ? v : 0);
        slide.style.height = "auto";  // undo the deck's own scrolling hack before measuring
        slide.style.overflowY = "visible";
        var problems = [];
        if (slide.scrollHeight > height) {
          problems.push("content is " + slide.scrollHeight + " px tall (the slide is " + height + ")");
        }
        if (slide.scrollWidth > width) {
          problems.push("content is " + slide.scrollWidth + " px wide (the slide is " + width + ")");
        }
        slide.querySelectorAll("pre").forEach(function (pre) {
          if (pre.scrollWidth > pre.clientWidth + 1) {
            problems.push("a line is clipped (" + pre.scrollWidth + " px in a " + pre.clientWidth +
                          " px box): " + JSON.stringify(longestLine(pre).trim().slice(0, 60)));
          }
        });
        slide.querySelectorAll("img").forEach(function (img) {
          if (img.naturalWidth > width) {
            problems.push("a picture is " + img.naturalWidth + " px wide (at most " + width + ")");
          }
        });
        report.slides.push({index: inner.length ? h + "/" + v : String(h), title: heading(slide),
                            problems: problems});
      });
    });
    Reveal.slide(Math.min(1, Reveal.getHorizontalSlides().length - 1), 0);  // the screenshot: slide 2
    var out = document.createElement("pre");
    out.id = "minitf-overflow";
    out.textContent = JSON.stringify(report);
    document.body.appendChild(out);
  }

  // Measure once reveal.js, the page (its images) and the web fonts are ready, and KaTeX has run.
  var ready = new Promise(function (resolve) {
    if (Reveal.isReady()) { resolve(); } else { Reveal.on("ready", resolve); }
  });
  var loaded = new Promise(function (resolve) {
    if (document.readyState === "complete") { resolve(); } else { window.addEventListener("load", resolve); }
  });
  Promise.all([ready, loaded, document.fonts.ready]).then(function () { setTimeout(measure, 300); });
});
