/* Address fields of online forms (motcua.forms.rendering), where JavaScript runs: choosing a province
   shows its communes at once, without the reload button. The page works the same without this file.
   No inline script, handler or style: it is loaded as a file under a strict Content-Security-Policy. */
(function () {
  "use strict";

  var COPIED = ["id", "name", "aria-describedby", "aria-required", "aria-invalid", "autocomplete"];

  function communeControl(fieldset, list) {
    var control;
    if (list.length) {
      control = document.createElement("select");
      control.className = "form-select";
      control.add(new Option(fieldset.getAttribute("data-choose") || "", ""));
      list.forEach(function (item) {
        control.add(new Option(item[1], item[0]));
      });
    } else {
      control = document.createElement("input");
      control.type = "text";
      control.className = "form-control";
    }
    control.setAttribute("data-address-commune", "");
    return control;
  }

  function enhance(fieldset) {
    var lists;
    try {
      lists = JSON.parse(fieldset.getAttribute("data-communes") || "{}");
    } catch (e) {
      return;
    }
    var province = fieldset.querySelector("[data-address-province]");
    if (!province) {
      return;
    }
    var refresh = fieldset.querySelector("[data-address-refresh]");
    if (refresh) {
      refresh.hidden = true;
    }
    province.addEventListener("change", function () {
      var current = fieldset.querySelector("[data-address-commune]");
      if (!current) {
        return;
      }
      var list = lists[province.value] || [];
      var isSelect = current.tagName === "SELECT";
      if (!list.length && !isSelect) {
        return; // already a text box: keep what was typed
      }
      var replacement = communeControl(fieldset, list);
      COPIED.forEach(function (name) {
        if (current.hasAttribute(name)) {
          replacement.setAttribute(name, current.getAttribute(name));
        }
      });
      if (current.classList.contains("is-invalid")) {
        replacement.classList.add("is-invalid");
      }
      current.parentNode.replaceChild(replacement, current);
    });
  }

  document.querySelectorAll("[data-address]").forEach(enhance);
})();
