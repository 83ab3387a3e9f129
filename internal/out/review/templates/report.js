// spof report: the page's two interactions, hand-written and self-contained.
// 1. A diagram opens large and zoomable in the page (click its background, or its Enlarge button).
// 2. What if: pick entities that fail (click a node, or type an ID) and see what goes down, computed
//    here by the least fixed point of `spof simulate` over the requirements embedded in #spof-data.
(function () {
  "use strict";
  var TIERS = ["critical", "high", "medium", "low"];
  var dataEl = document.getElementById("spof-data");
  var D = dataEl ? JSON.parse(dataEl.textContent) : null;

  // ---- what if: the computation --------------------------------------------------------------
  var n = D ? D.ids.length : 0, users = [], parent = [], owner = [], index = {};
  function compile() {
    var i, x, k, kid;
    for (i = 0; i !== n; i++) { users.push([]); index[D.ids[i]] = i; }
    for (x = 0; x !== D.x.length; x++) { parent.push(-1); owner.push(-1); }
    for (x = 0; x !== D.x.length; x++) {
      for (k = 1; k !== D.x[x].length; k++) {
        kid = D.x[x][k];
        if (kid >= 0) { users[kid].push(x); } else { parent[-kid - 1] = x; }
      }
    }
    function own(x, e) {
      owner[x] = e;
      for (var k = 1; k !== D.x[x].length; k++) { if (D.x[x][k] < 0) { own(-D.x[x][k] - 1, e); } }
    }
    for (i = 0; i !== n; i++) { if (D.root[i] >= 0) { own(D.root[i], i); } }
  }

  // simulate returns the outage of the failed entities: down[e], cause[e] (−1 for the failed), and
  // the down count of every expression, by the event-driven propagation of internal/analysis.
  function simulate(failed) {
    var down = new Uint8Array(n), cause = new Int32Array(n).fill(-1), cnt = new Int32Array(D.x.length);
    var queue = [], head = 0, i, d, x, u, o;
    for (i = 0; i !== failed.length; i++) {
      if (!down[failed[i]]) { down[failed[i]] = 1; queue.push(failed[i]); }
    }
    while (head !== queue.length) {
      d = queue[head++];
      for (u = 0; u !== users[d].length; u++) {
        x = users[d][u];
        while (x >= 0) {
          cnt[x]++;
          if (cnt[x] !== D.x[x][0]) { break; }
          if (parent[x] >= 0) { x = parent[x]; continue; }
          o = owner[x];
          if (!down[o]) { down[o] = 1; cause[o] = d; queue.push(o); }
          break;
        }
      }
    }
    return { down: down, cause: cause, cnt: cnt };
  }

  function unmet(out, x) { return out.cnt[x] >= D.x[x][0] && D.x[x][0] > 0; }

  // causes are the down entities reached from an entity's unmet requirements through unmet groups.
  function causes(out, e) {
    var res = [];
    function walk(x) {
      for (var k = 1; k !== D.x[x].length; k++) {
        var kid = D.x[x][k];
        if (kid >= 0) { if (out.down[kid]) { res.push(kid); } } else if (unmet(out, -kid - 1)) { walk(-kid - 1); }
      }
    }
    if (D.root[e] >= 0) { walk(D.root[e]); }
    res.sort(function (a, b) { return a - b; });
    return res.filter(function (v, i) { return i === 0 || res[i - 1] !== v; });
  }

  // chains: for every down entity, the next step of its shortest chain of causes to a failed entity,
  // the lowest ID first (internal/analysis Outage.Chain).
  function chains(out) {
    var next = new Int32Array(n).fill(-1), dist = new Int32Array(n).fill(-1), blame = {}, by = {}, queue = [], head = 0, e, j, d, bs;
    for (e = 0; e !== n; e++) {
      if (!out.down[e]) { continue; }
      if (out.cause[e] === -1) { dist[e] = 0; queue.push(e); continue; }
      blame[e] = causes(out, e);
      for (j = 0; j !== blame[e].length; j++) { (by[blame[e][j]] = by[blame[e][j]] || []).push(e); }
    }
    while (head !== queue.length) {
      d = queue[head++];
      bs = by[d] || [];
      for (j = 0; j !== bs.length; j++) { if (dist[bs[j]] === -1) { dist[bs[j]] = dist[d] + 1; queue.push(bs[j]); } }
    }
    for (e in blame) {
      for (j = 0; j !== blame[e].length; j++) { if (dist[blame[e][j]] === dist[e] - 1) { next[e] = blame[e][j]; break; } }
    }
    return function (e) { var c = [e]; for (var at = next[e]; at !== -1; at = next[at]) { c.push(at); } return c; };
  }

  // spofWhatIf is the page's answer for a list of IDs: the IDs of the services down. The browser
  // tests compare it with `spof simulate`.
  window.spofWhatIf = function (ids) {
    var out = simulate(ids.map(function (id) { return index[id]; })), res = [];
    for (var e = 0; e !== n; e++) { if (out.down[e] && D.kinds[e] === "1") { res.push(D.ids[e]); } }
    return res;
  };

  // ---- what if: the panel ----------------------------------------------------------------------
  var failed = [], panel = document.getElementById("whatif");
  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) { x.className = cls; }
    if (text !== undefined) { x.textContent = text; }
    return x;
  }
  function toggle(id) {
    var e = index[id];
    if (e === undefined) { return; }
    var at = failed.indexOf(e);
    if (at === -1) { failed.push(e); } else { failed.splice(at, 1); }
    open(true);
    update();
  }
  function open(on) {
    panel.querySelector(".wi-body").hidden = !on;
    panel.classList.toggle("open", on);
  }
  function update() {
    var out = simulate(failed), chain = chains(out), box = document.getElementById("wi-failed"), res = document.getElementById("wi-result");
    box.textContent = "";
    failed.forEach(function (e) {
      var chip = el("button", "wi-chip", D.ids[e] + " \u00d7");
      chip.type = "button";
      chip.title = "Put " + D.ids[e] + " back";
      chip.onclick = function () { toggle(D.ids[e]); };
      box.appendChild(chip);
    });
    res.textContent = "";
    if (failed.length) {
      var byTier = [[], [], [], []], total = 0, e, t;
      for (e = 0; e !== n; e++) {
        if (out.down[e] && D.kinds[e] === "1") { byTier[+D.tiers[e]].push(e); total++; }
      }
      var head = el("p", "wi-sum");
      head.textContent = total ? total + (total === 1 ? " service goes down" : " services go down") + ": " +
        byTier.map(function (l, t) { return l.length ? l.length + " " + TIERS[t] : ""; }).filter(Boolean).join(", ") + "." : "No service goes down: redundancy holds.";
      res.appendChild(head);
      for (t = 0; t !== 4; t++) {
        if (!byTier[t].length) { continue; }
        var ul = el("ul", "wi-list");
        byTier[t].forEach(function (e) {
          var li = el("li"), c = chain(e);
          li.appendChild(el("span", "badge tier-" + TIERS[t], TIERS[t]));
          li.appendChild(document.createTextNode(" "));
          var a = el("a", "", D.ids[e]);
          a.href = document.getElementById("s-" + D.ids[e]) ? "#s-" + D.ids[e] : "javascript:void 0";
          li.appendChild(a);
          if (c.length > 1) { li.appendChild(el("span", "wi-chain", " \u2190 " + c.slice(1).map(function (x) { return D.ids[x]; }).join(" \u2190 "))); }
          ul.appendChild(li);
        });
        res.appendChild(ul);
      }
    }
    paint(out);
  }

  // paint recolours every diagram: failed and down entities, unmet and held groups, and the edges the
  // failure travelled along.
  function paint(out) {
    var on = failed.length !== 0;
    document.querySelectorAll(".diagram svg, .zoom-view svg").forEach(function (svg) {
      var pre = svg.getAttribute("data-prefix"), fig = D.figs[pre];
      if (!fig) { return; }
      svg.classList.toggle("wi-on", on);
      svg.querySelectorAll("g.node").forEach(function (g) {
        var id = g.id.slice(pre.length), s = "";
        if (on) { s = state(out, fig, id); }
        g.setAttribute("data-wi", s);
      });
      svg.querySelectorAll("g.edge").forEach(function (g) {
        var i = +g.id.slice(pre.length + 5), s = on ? state(out, fig, fig.e[i]) : "";
        g.setAttribute("data-wi", s === "failed" || s === "down" ? "down" : "");
      });
    });
  }
  function state(out, fig, id) {
    var e;
    if (id.indexOf("group-") === 0) {
      var x = fig.g[id.slice(6)];
      if (x === undefined) { return ""; }
      return unmet(out, x) ? "down" : out.cnt[x] ? "held" : "";
    }
    e = index[id.indexOf("vms-") === 0 ? id.slice(4) : id.slice(7)];
    if (e === undefined || !out.down[e]) { return ""; }
    return out.cause[e] === -1 ? "failed" : "down";
  }

  function nodeID(svg, target) {
    var g = target.closest ? target.closest("g.node") : null, pre = svg.getAttribute("data-prefix");
    if (!g || !pre) { return null; }
    var id = g.id.slice(pre.length);
    if (id.indexOf("entity-") === 0) { return id.slice(7); }
    if (id.indexOf("vms-") === 0) { return id.slice(4); }
    return null;
  }

  // ---- the large view --------------------------------------------------------------------------
  var zoom = document.getElementById("zoom"), view = zoom ? zoom.querySelector(".zoom-view") : null, scale = 1, width = 0;
  function enlarge(fig) {
    var svg = fig.querySelector("svg");
    if (!svg || !zoom) { return; }
    view.textContent = "";
    var copy = svg.cloneNode(true);
    copy.removeAttribute("style");
    view.appendChild(copy);
    width = +svg.getAttribute("width");
    var cap = fig.querySelector("figcaption");
    zoom.querySelector(".zoom-title").textContent = cap ? cap.textContent : "";
    zoom.hidden = false;
    document.body.classList.add("zoomed");
    fit();
    if (D) { paint(simulate(failed)); }
    zoom.querySelector("[data-z=x]").focus();
  }
  function setScale(s) {
    scale = Math.max(0.25, Math.min(8, s));
    var svg = view.querySelector("svg");
    if (svg) { svg.style.width = (width * scale) + "px"; }
  }
  function fit() { setScale(Math.min(2.5, (view.clientWidth - 32) / width)); }
  function shut() { zoom.hidden = true; document.body.classList.remove("zoomed"); view.textContent = ""; }
  if (zoom) {
    zoom.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-z]");
      if (b) {
        var z = b.getAttribute("data-z");
        if (z === "+") { setScale(scale * 1.25); } else if (z === "-") { setScale(scale / 1.25); } else if (z === "0") { fit(); } else { shut(); }
        return;
      }
      var svg = ev.target.closest("svg"), id = svg && D ? nodeID(svg, ev.target) : null;
      if (id) { toggle(id); }
    });
    view.addEventListener("wheel", function (ev) {
      if (!ev.ctrlKey && !ev.metaKey) { return; }
      ev.preventDefault();
      setScale(scale * (ev.deltaY > 0 ? 0.9 : 1.1));
    }, { passive: false });
    // Drag to pan.
    var drag = null;
    view.addEventListener("pointerdown", function (ev) { if (ev.button === 0) { drag = { x: ev.clientX, y: ev.clientY, l: view.scrollLeft, t: view.scrollTop, moved: false }; } });
    view.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      if (Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 4) { drag.moved = true; }
      view.scrollLeft = drag.l - (ev.clientX - drag.x);
      view.scrollTop = drag.t - (ev.clientY - drag.y);
    });
    view.addEventListener("pointerup", function () { drag = null; });
    document.addEventListener("keydown", function (ev) {
      if (zoom.hidden) { return; }
      if (ev.key === "Escape") { shut(); } else if (ev.key === "+" || ev.key === "=") { setScale(scale * 1.25); } else if (ev.key === "-") { setScale(scale / 1.25); } else if (ev.key === "0") { fit(); }
    });
  }

  document.querySelectorAll("figure .diagram").forEach(function (div) {
    var svg = div.querySelector("svg");
    if (!svg) { return; }
    var b = el("button", "enlarge", "Enlarge");
    b.type = "button";
    b.onclick = function () { enlarge(div.parentNode); };
    div.parentNode.insertBefore(b, div);
    div.addEventListener("click", function (ev) {
      var id = D ? nodeID(svg, ev.target) : null;
      if (id) { toggle(id); } else { enlarge(div.parentNode); }
    });
  });

  if (D && panel) {
    compile();
    var list = document.getElementById("wi-ids");
    D.ids.forEach(function (id) { var o = document.createElement("option"); o.value = id; list.appendChild(o); });
    document.getElementById("wi-toggle").onclick = function () { open(panel.querySelector(".wi-body").hidden); };
    var input = document.getElementById("wi-input");
    input.oninput = function () { input.setCustomValidity(""); };
    document.getElementById("wi-form").onsubmit = function (ev) {
      ev.preventDefault();
      var id = input.value.trim();
      if (index[id] === undefined) {
        // Said, not ignored: a mistyped ID must not look like a failure that takes nothing down.
        input.setCustomValidity(id === "" ? "Type the ID of an entity." : "No entity " + id + " in this inventory.");
        input.reportValidity();
        return;
      }
      if (failed.indexOf(index[id]) === -1) { toggle(id); }
      input.value = "";
    };
    document.getElementById("wi-reset").onclick = function () { failed = []; update(); };
    window.spofFail = toggle;
  }
})();
