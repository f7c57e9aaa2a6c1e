// Moves the keyboard focus to the error summary of a form that came back with problems, so that a screen
// reader reads them out and Tab goes on to their links. Without JavaScript the page's address ends in
// #error-summary and the browser scrolls there; this file only adds the focus. No inline script: the
// Content-Security-Policy allows scripts from the site's own static files only.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
