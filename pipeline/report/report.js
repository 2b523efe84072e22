// The report's behaviour, all offline:
// - sortable tables: a click (or Enter) on a header sorts the rows by that column; again
//   reverses. Numbers sort by their data-sort value; empty cells stay last either way;
// - the comparison's search box and province and level filters hide the rows that do not match
//   (a row's data-q holds its names and codes, lower-cased) and count those shown;
// - the language switch shows the Chinese prose, the English or both (remembered in this browser);
// - report.html?datasette=http://HOST:PORT/policy_ie points the ↗ links of the cells whose evidence
//   is not embedded at a `policy-ie serve` listening elsewhere than 127.0.0.1:8001.
(function () {
  "use strict";
  function value(row, i) {
    var cell = row.cells[i];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent.trim() : v;
  }
  function sortBy(table, th, i) {
    var asc = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var numeric = th.getAttribute("data-type") === "num";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, i), y = value(b, i);
      if (x === "" || y === "") { return (x === "") - (y === ""); }
      var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh");
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, i) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, th, i); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, i); }
      });
    });
  });

  var table = document.getElementById("comparison");
  var q = document.getElementById("q");
  var province = document.getElementById("f-province");
  var level = document.getElementById("f-level");
  var shown = document.getElementById("shown");
  function filter() {
    var words = q.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var p = province.value, lv = level.value, n = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      var text = r.getAttribute("data-q") || "";
      var ok = (!p || r.getAttribute("data-province") === p) && (!lv || r.getAttribute("data-level") === lv) &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
  }
  if (table && q && province && level && shown) {
    q.addEventListener("input", filter);
    province.addEventListener("change", filter);
    level.addEventListener("change", filter);
  }

  var root = document.documentElement;
  function setLang(lang) {
    root.setAttribute("data-lang", lang);
    root.lang = lang === "en" ? "en" : "zh";
    document.querySelectorAll("[data-set-lang]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-set-lang") === lang));
    });
    try { window.localStorage.setItem("policy-ie-lang", lang); } catch (e) { /* storage off: not kept */ }
  }
  document.querySelectorAll("[data-set-lang]").forEach(function (b) {
    b.addEventListener("click", function () { setLang(b.getAttribute("data-set-lang")); });
  });
  var saved = null;
  try { saved = window.localStorage.getItem("policy-ie-lang"); } catch (e) { saved = null; }
  if (saved === "zh" || saved === "en" || saved === "both") { setLang(saved); }

  var base = null;
  try { base = new URLSearchParams(window.location.search).get("datasette"); } catch (e) { base = null; }
  if (base && /^https?:\/\/[^\s"<>]+$/.test(base)) {
    base = base.replace(/\/+$/, "");
    document.querySelectorAll("a.serve").forEach(function (a) {
      var href = a.getAttribute("href"), i = href.indexOf("/sources?");
      if (i !== -1) { a.setAttribute("href", base + href.slice(i)); }
    });
    document.querySelectorAll(".serve-url").forEach(function (e) { e.textContent = base; });
  }
}());
