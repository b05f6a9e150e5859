// coopchain web UI: zoom and pan of diagrams, the presentation mode,
// analysis progress, printing.
// No external libraries; loaded from this server only (CSP script-src 'self').
(function () {
  "use strict";

  // A diagram's labels are 14 units high: the view starts at no less than
  // one screen pixel per unit (labels of 14 px) — or nearly (FIT_SLACK),
  // when the whole diagram then fits. A diagram too large for that starts
  // at MIN_SCALE from the left (the start of the chain); "Show all" fits it.
  var MIN_SCALE = 1, FIT_SLACK = 0.92;

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
    function fit() { view = { x: base.x, y: base.y, w: base.w, h: base.h }; apply(); }
    // start is the readable first view: the whole diagram when it fits at
    // MIN_SCALE or more, else its top left at MIN_SCALE.
    function start() {
      var bw = box.clientWidth, bh = box.clientHeight;
      if (!bw || !bh) { fit(); return; }
      var scale = Math.min(bw / base.w, bh / base.h);
      if (scale >= MIN_SCALE * FIT_SLACK) { fit(); return; }
      var w = bw / MIN_SCALE, h = bh / MIN_SCALE;
      view = { x: base.x, y: base.y + Math.max(0, (base.h - h) / 2), w: w, h: h };
      apply();
    }
    function zoom(f, cx, cy) {
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      var nw = Math.min(base.w * 4, Math.max(base.w / 12, view.w * f));
      var k = nw / view.w;
      view.x = cx - (cx - view.x) * k; view.y = cy - (cy - view.y) * k;
      view.w = nw; view.h = view.h * k; apply();
    }
    // fitScreen ends the first diagram's box at the bottom of the first
    // screen when the whole diagram then still shows at MIN_SCALE (nearly):
    // the room sees the whole chain without scrolling.
    function fitScreen() {
      box.style.height = "";
      if (box !== document.querySelector(".diagram") || presenting()) return;
      var top = box.getBoundingClientRect().top + window.scrollY;
      var avail = window.innerHeight - top - 12;
      var need = Math.min(base.h, base.w * box.clientHeight / box.clientWidth) * MIN_SCALE * FIT_SLACK;
      if (avail >= need && avail >= 360 && avail < box.clientHeight) box.style.height = avail + "px";
    }
    function relayout() { fitScreen(); start(); }
    relayout();
    window.addEventListener("resize", relayout);
    document.addEventListener("coopchain:layout", relayout);
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
        case "0": start(); break;
        case "ArrowLeft": view.x -= step; apply(); break;
        case "ArrowRight": view.x += step; apply(); break;
        case "ArrowUp": view.y -= step; apply(); break;
        case "ArrowDown": view.y += step; apply(); break;
        default: return;
      }
      e.preventDefault();
      e.stopPropagation();
    });
    var tools = box.previousElementSibling;
    if (tools && tools.classList.contains("diagram-tools")) {
      tools.addEventListener("click", function (e) {
        var b = e.target.closest("button");
        if (!b) return;
        var z = b.getAttribute("data-zoom");
        if (z === "in") zoom(1 / 1.25); else if (z === "out") zoom(1.25); else if (z === "fit") fit(); else start();
      });
    }
  }

  // Presentation mode: a class on <html>, kept for the session while the
  // presenter moves between the cluster's tabs.
  var PRESENT = "coopchain.present";

  function presenting() { return document.documentElement.classList.contains("present"); }

  function setPresent(on) {
    document.documentElement.classList.toggle("present", on);
    try { if (on) sessionStorage.setItem(PRESENT, "1"); else sessionStorage.removeItem(PRESENT); } catch (e) { /* storage off */ }
    document.querySelectorAll("[data-present]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = b.getAttribute(on ? "data-off" : "data-on");
    });
    if (!on && document.fullscreenElement && document.exitFullscreen) document.exitFullscreen();
    document.dispatchEvent(new Event("coopchain:layout"));
  }

  // goTab opens the previous (-1) or next (+1) tab of the cluster.
  function goTab(d) {
    var tabs = Array.prototype.slice.call(document.querySelectorAll(".tabs a"));
    if (!tabs.length) return;
    var i = tabs.findIndex(function (a) { return a.getAttribute("aria-current") === "page"; });
    var next = tabs[Math.max(0, Math.min(tabs.length - 1, i + d))];
    if (i < 0) next = tabs[d > 0 ? 0 : tabs.length - 1];
    if (next && next.getAttribute("aria-current") !== "page") location.href = next.href;
  }

  function setupPresentation() {
    var toggles = document.querySelectorAll("[data-present]");
    if (!toggles.length) return;
    toggles.forEach(function (b) { b.addEventListener("click", function () { setPresent(!presenting()); }); });
    var stored = false;
    try { stored = sessionStorage.getItem(PRESENT) === "1"; } catch (e) { /* storage off */ }
    if (stored || /[?&]present=1\b/.test(location.search)) setPresent(true);
    document.addEventListener("keydown", function (e) {
      if (!presenting() || e.altKey || e.ctrlKey || e.metaKey) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
      switch (e.key) {
        case "Escape": setPresent(false); break;
        case "PageDown": case "ArrowRight": goTab(1); break;
        case "PageUp": case "ArrowLeft": goTab(-1); break;
        case "f": case "F":
          if (document.fullscreenElement) document.exitFullscreen();
          else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
          break;
        default: return;
      }
      e.preventDefault();
    });
  }

  function pollJob(job) {
    var bar = document.getElementById("job-progress");
    var step = document.getElementById("job-step");
    function tick() {
      fetch(job.getAttribute("data-status"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          bar.value = s.progress || 0;
          step.textContent = Math.round(100 * (s.progress || 0)) + "\u00a0% · " + (s.step_text || s.step || "");
          if (s.state === "done" || s.state === "failed" || s.state === "none") { location.reload(); return; }
          setTimeout(tick, 700);
        })
        .catch(function () { setTimeout(tick, 2000); });
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupPresentation();
    document.querySelectorAll(".diagram:not(.static)").forEach(setupDiagram);
    var job = document.querySelector(".job[data-status]");
    if (job) pollJob(job);
    var pr = document.querySelector("[data-print]");
    if (pr) pr.addEventListener("click", function () { window.print(); });
  });
})();
