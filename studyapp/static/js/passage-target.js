// The reading view: a link to #q-<question id> shows exactly that question's passage. Quotes may
// overlap, so the server cuts highlights into segments, each listing in data-q the questions that
// quote it; this outlines the segments of the question in the URL's fragment (on load and when
// the fragment changes) and marks the first and last so the outline frames the whole passage.
// Without this script the fragment still scrolls to the anchor at the passage's first word.
"use strict";
(function () {
  const article = document.querySelector("article.document[data-passages]");
  if (!article) return;
  const marks = Array.from(article.querySelectorAll("mark.passage[data-q]"));

  const targeted = () => {
    let id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (e) {
      return null; // a malformed fragment names no question
    }
    return id.startsWith("q-") ? id.slice(2) : null;
  };

  const show = () => {
    marks.forEach((m) => m.classList.remove("target", "target-first", "target-last"));
    delete article.dataset.target;
    const id = targeted();
    if (id === null) return;
    const mine = marks.filter((m) => m.dataset.q.split(" ").includes(id));
    if (mine.length === 0) return;
    mine.forEach((m) => m.classList.add("target"));
    mine[0].classList.add("target-first");
    mine[mine.length - 1].classList.add("target-last");
    article.dataset.target = id;
  };

  show();
  window.addEventListener("hashchange", show);
})();
