// coopchain — the participant's form: product search over the catalogue,
// adding rows, copying to the clipboard. Works without it too (spare rows).
(function () {
  "use strict";

  // Product codes: as the user types a code or a name, fill the shared
  // datalist with matches from /api/v1/products?q=.
  var list = document.getElementById("products");
  var timer = null, last = "";
  function search(q) {
    if (!list || q.length < 2 || q === last) return;
    last = q;
    fetch("/api/v1/products?limit=30&q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (d) {
        var have = {};
        Array.prototype.forEach.call(list.options, function (o) { have[o.value] = true; });
        (d.items || []).forEach(function (p) {
          if (have[p.code]) return;
          var o = document.createElement("option");
          o.value = p.code;
          o.label = p.name;
          list.appendChild(o);
        });
      })
      .catch(function () {});
  }
  document.addEventListener("input", function (e) {
    var t = e.target;
    if (!t.classList || !t.classList.contains("prod")) return;
    clearTimeout(timer);
    timer = setTimeout(function () { search(t.value.trim()); }, 250);
  });

  // Add a row: copy the last row of the section, empty it, renumber it.
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-add]");
    if (b) {
      var rows = document.querySelector('.rows[data-section="' + b.getAttribute("data-add") + '"]');
      if (!rows || !rows.lastElementChild) return;
      var n = rows.children.length;
      var row = rows.lastElementChild.cloneNode(true);
      row.querySelectorAll("[name],[id],[for],[aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (a) {
          var v = el.getAttribute(a);
          if (v) el.setAttribute(a, v.replace(/\[\d+\]/, "[" + n + "]").replace(/-\d+-/, "-" + n + "-"));
        });
        if (el.matches("input[type=checkbox]")) el.checked = false;
        else if (el.matches("input,textarea")) el.value = "";
        else if (el.matches("select")) el.selectedIndex = 0;
        el.removeAttribute("aria-invalid");
      });
      row.querySelectorAll(".msg").forEach(function (m) { m.textContent = ""; });
      rows.appendChild(row);
      var first = row.querySelector("input,select,textarea");
      if (first) first.focus();
      return;
    }
    var c = e.target.closest("[data-copy]");
    if (c) {
      var el = document.getElementById(c.getAttribute("data-copy"));
      if (!el) return;
      el.select();
      if (navigator.clipboard) navigator.clipboard.writeText(el.value).catch(function () { document.execCommand("copy"); });
      else document.execCommand("copy");
    }
  });
})();
