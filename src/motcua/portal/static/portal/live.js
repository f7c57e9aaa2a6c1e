// Live dialogue session: answers appear as they are published, without reloading the page. The page works
// without this file (a reload shows everything); it only listens to the session's event stream (server-sent
// events) and puts each new or changed item, rendered and escaped by the server, in place. The browser
// reconnects by itself after a cut and says the last revision it had (Last-Event-ID), so nothing is missed.
(function () {
  "use strict";
  var box = document.getElementById("dialogue-live");
  if (!box || !box.getAttribute("data-events-url") || !window.EventSource) {
    return;
  }
  var answers = document.getElementById("dialogue-answers");
  var status = document.getElementById("dialogue-live-status");
  var newestFirst = box.getAttribute("data-order") === "newest-first";
  var url = box.getAttribute("data-events-url") + "?sau=" + encodeURIComponent(box.getAttribute("data-revision")) +
    "&lang=" + encodeURIComponent(document.documentElement.lang || "vi");
  var source = new EventSource(url);

  function place(item) {
    var template = document.createElement("template");
    template.innerHTML = item.html;
    var node = template.content.firstElementChild;
    var old = document.getElementById(item.id);
    var list = item.list ? document.getElementById(item.list) : answers;
    if (!node) {
      return;
    }
    if (old) {
      old.replaceWith(node);
    } else if (list) {
      list.insertBefore(node, newestFirst || item.list ? list.firstElementChild : null);
      list.hidden = false;
      var section = list.closest("section");
      if (section) {
        section.hidden = false;
      }
    }
  }

  source.addEventListener("update", function (event) {
    var data = JSON.parse(event.data);
    data.items.forEach(place);
    box.setAttribute("data-revision", String(data.revision));
    var none = document.getElementById("dialogue-none");
    if (none && answers && answers.firstElementChild) {
      none.hidden = true;
    }
    if (status && data.announce) {
      status.textContent = data.announce;
    }
  });
  source.addEventListener("end", function () {
    source.close();
  });
})();
