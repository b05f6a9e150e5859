// coopchain web UI: zoom and pan of diagrams, analysis progress, printing.
// No external libraries; loaded from this server only (CSP script-src 'self').
(function () {
  "use strict";

  function setupDiagram(box) {
    var svg = box.querySelector("svg");
    if (!svg) return;
    var vb = svg.viewBox.baseVal;
    if (!vb || !vb.width) return;
    var base = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
    var view = { x: base.x, y: base.y, w: base.w, h: base.h };
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    function apply() { svg.setAttribute("viewBox", view.x + " " + view.y + " " + view.w + " " + view.h); }
    function zoom(f, cx, cy) {
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      var nw = Math.min(base.w * 4, Math.max(base.w / 12, view.w * f));
      var k = nw / view.w;
      view.x = cx - (cx - view.x) * k; view.y = cy - (cy - view.y) * k;
      view.w = nw; view.h = view.h * k; apply();
    }
    function reset() { view = { x: base.x, y: base.y, w: base.w, h: base.h }; apply(); }
    box.addEventListener("wheel", function (e) {
      e.preventDefault();
      var r = svg.getBoundingClientRect();
      var cx = view.x + (e.clientX - r.left) / r.width * view.w;
      var cy = view.y + (e.clientY - r.top) / r.height * view.h;
      zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, cx, cy);
    }, { passive: false });
    var drag = null;
    box.addEventListener("pointerdown", function (e) {
      if (e.target.closest("a")) return;
      drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
      box.setPointerCapture(e.pointerId);
    });
    box.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      view.x = drag.vx - (e.clientX - drag.x) / r.width * view.w;
      view.y = drag.vy - (e.clientY - drag.y) / r.height * view.h;
      apply();
    });
    box.addEventListener("pointerup", function () { drag = null; });
    box.addEventListener("keydown", function (e) {
      var step = view.w / 10;
      switch (e.key) {
        case "+": case "=": zoom(1 / 1.25); break;
        case "-": zoom(1.25); break;
        case "0": reset(); break;
        case "ArrowLeft": view.x -= step; apply(); break;
        case "ArrowRight": view.x += step; apply(); break;
        case "ArrowUp": view.y -= step; apply(); break;
        case "ArrowDown": view.y += step; apply(); break;
        default: return;
      }
      e.preventDefault();
    });
    var tools = box.previousElementSibling;
    if (tools && tools.classList.contains("diagram-tools")) {
      tools.addEventListener("click", function (e) {
        var b = e.target.closest("button");
        if (!b) return;
        var z = b.getAttribute("data-zoom");
        if (z === "in") zoom(1 / 1.25); else if (z === "out") zoom(1.25); else reset();
      });
    }
  }

  function pollJob(job) {
    var bar = document.getElementById("job-progress");
    var step = document.getElementById("job-step");
    function tick() {
      fetch(job.getAttribute("data-status"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          bar.value = s.progress || 0;
          step.textContent = Math.round(100 * (s.progress || 0)) + "% " + (s.step || "");
          if (s.state === "done" || s.state === "failed" || s.state === "none") { location.reload(); return; }
          setTimeout(tick, 700);
        })
        .catch(function () { setTimeout(tick, 2000); });
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".diagram:not(.static)").forEach(setupDiagram);
    var job = document.querySelector(".job[data-status]");
    if (job) pollJob(job);
    var pr = document.querySelector("[data-print]");
    if (pr) pr.addEventListener("click", function () { window.print(); });
  });
})();
