/* reqdsl: sort, filter and choose the columns of the site's tables in the browser. Local
 * only: no network, no library. A table marked `data-rq="sortable"` gets a button in each
 * heading (click: ascending, again: descending); one marked `filterable` gets a filter box
 * (every word typed must appear in the row), a drop-down for each heading marked
 * `data-rq-filter` (document, level, status...) and, when it is marked `gaps` or some rows
 * have class `rq-gap-row`, a "gaps only" box. One marked `audit` gets a column chooser whose
 * choice is remembered in localStorage (per page and table; nothing when storage is
 * refused). Text from the page is only ever set with textContent, never as markup.
 * Without JavaScript the tables are complete. */
(function () {
  "use strict";

  /* The words this script shows, in the site's language (labels.js, made by reqdsl). */
  var L = window.reqdslLabels;

  /* A label with its {slots} filled in one pass (a value is never read as a slot). */
  function fill(text, slots) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(slots, key) ? String(slots[key]) : whole;
    });
  }

  /* A count as the site's language writes it: digits grouped by threes with the
     language's separator (labels.js `group`: none in English, U+202F in French), as reqdsl
     writes the counts of the page. */
  function count(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, L.group || "");
  }

  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var NUMBER = /^-?\d+(\.\d+)?$/;
  var GROUPING = /[\u00a0\u202f]/g;  /* "1 234" in a French count cell is 1234 */

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === "") return 1;  /* empty cells last, both ways */
    if (b === "") return -1;
    var x = a.replace(GROUPING, ""), y = b.replace(GROUPING, "");
    if (NUMBER.test(x) && NUMBER.test(y)) return parseFloat(x) - parseFloat(y);
    return collator.compare(a, b);
  }

  function sortBy(table, index, heading) {
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    var headings = table.tHead.rows[0].cells;
    for (var i = 0; i < headings.length; i++) headings[i].setAttribute("aria-sort", "none");
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var keyed = Array.prototype.map.call(body.rows, function (row, position) {
      return { key: cellText(row, index), position: position, row: row };
    });
    keyed.sort(function (a, b) {
      var order = compare(a.key, b.key);
      if (order !== 0 && a.key !== "" && b.key !== "") order = ascending ? order : -order;
      return order || a.position - b.position;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (item) { fragment.appendChild(item.row); });
    body.appendChild(fragment);
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rq-sort";
      button.title = L.sort;
      while (heading.firstChild) button.appendChild(heading.firstChild);
      heading.appendChild(button);
      heading.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortBy(table, index, heading); });
    });
  }

  function makeFilterable(table) {
    if (!table.tBodies.length) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = null;  /* lower-case row texts, computed on first use */
    var bar = filterBar(table);
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = L.filter;
    input.setAttribute("aria-label", L.filter);
    bar.appendChild(input);
    var selects = [];
    var headings = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headings, function (heading, index) {
      if (!heading.hasAttribute("data-rq-filter")) return;
      var seen = {};
      var values = [];
      rows.forEach(function (row) {
        var value = cellText(row, index);
        if (value !== "" && !Object.prototype.hasOwnProperty.call(seen, value)) {
          seen[value] = true;
          values.push(value);
        }
      });
      if (values.length < 2) return;
      values.sort(compare);
      var select = document.createElement("select");
      var name = heading.textContent.trim();
      select.setAttribute("aria-label", fill(L.only, { name: name }));
      var all = document.createElement("option");
      all.value = "";
      all.textContent = fill(L.every, { name: name });
      select.appendChild(all);
      values.forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      });
      bar.appendChild(select);
      selects.push({ index: index, select: select });
    });
    var gapsOnly = null;
    if (/(^|\s)gaps(\s|$)/.test(table.getAttribute("data-rq")) || table.querySelector("tr.rq-gap-row")) {
      var label = document.createElement("label");
      gapsOnly = document.createElement("input");
      gapsOnly.type = "checkbox";
      label.appendChild(gapsOnly);
      label.appendChild(document.createTextNode(" " + L.gapsOnly));
      bar.appendChild(label);
    }
    var counter = document.createElement("span");
    counter.className = "rq-filter-count";
    counter.textContent = fill(L.rows, { n: rows.length });
    bar.appendChild(counter);

    var timer = null;
    function apply() {
      if (texts === null) texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var gaps = gapsOnly !== null && gapsOnly.checked;
      var wanted = selects.filter(function (s) { return s.select.value !== ""; });
      var shown = 0;
      rows.forEach(function (row, i) {
        var keep = (!gaps || row.classList.contains("rq-gap-row")) &&
          wanted.every(function (s) { return cellText(row, s.index) === s.select.value; }) &&
          words.every(function (word) { return texts[i].indexOf(word) !== -1; });
        if (row.hidden === keep) row.hidden = !keep;
        if (keep) shown++;
      });
      counter.textContent = shown === rows.length
        ? fill(L.rows, { n: count(rows.length) })
        : fill(L.someRows, { shown: count(shown), n: count(rows.length) });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 120);
    });
    selects.forEach(function (s) { s.select.addEventListener("change", apply); });
    if (gapsOnly !== null) gapsOnly.addEventListener("change", apply);
  }

  /* The bar above a table holding its filters and column chooser (one per table). */
  function filterBar(table) {
    var previous = table.previousElementSibling;
    if (previous && previous.classList.contains("rq-filter")) return previous;
    var bar = document.createElement("div");
    bar.className = "rq-filter";
    table.parentNode.insertBefore(bar, table);
    return bar;
  }

  var MAX_HIDDEN = 20;  /* reqdsl.css has a hiding rule for columns 1 to 20 */

  function storageKey(table) {
    var index = Array.prototype.indexOf.call(document.querySelectorAll('table[data-rq~="audit"]'), table);
    return "reqdsl.columns:" + location.pathname + ":" + index;
  }

  function readHidden(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(value) ? value.filter(function (v) { return typeof v === "string"; }) : [];
    } catch (error) {
      return [];  /* storage refused (privacy settings) or not ours: show every column */
    }
  }

  function writeHidden(key, names) {
    try {
      window.localStorage.setItem(key, JSON.stringify(names));
    } catch (error) { /* not remembered, still applied */ }
  }

  function makeChoosable(table) {
    if (!table.tHead) return;
    var headings = Array.prototype.slice.call(table.tHead.rows[0].cells, 0, MAX_HIDDEN);
    var names = headings.map(function (heading) { return heading.textContent.trim(); });
    var key = storageKey(table);
    var hidden = readHidden(key);
    var chooser = document.createElement("span");
    chooser.className = "rq-choose";
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.textContent = L.columns;
    toggle.setAttribute("aria-expanded", "false");
    chooser.appendChild(toggle);
    var list = document.createElement("div");
    list.className = "rq-choose-list";
    list.hidden = true;
    chooser.appendChild(list);
    toggle.addEventListener("click", function () {
      list.hidden = !list.hidden;
      toggle.setAttribute("aria-expanded", String(!list.hidden));
    });
    function show(index, visible) {
      table.classList.toggle("rq-hide-" + (index + 1), !visible);
    }
    names.forEach(function (name, index) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = hidden.indexOf(name) === -1;
      show(index, box.checked);
      box.addEventListener("change", function () {
        show(index, box.checked);
        var now = readHidden(key).filter(function (n) { return n !== name; });
        if (!box.checked) now.push(name);
        writeHidden(key, now);
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + name));
      list.appendChild(label);
    });
    filterBar(table).appendChild(chooser);
  }

  function init() {
    document.querySelectorAll('table[data-rq~="sortable"]').forEach(makeSortable);
    document.querySelectorAll('table[data-rq~="filterable"]').forEach(makeFilterable);
    document.querySelectorAll('table[data-rq~="audit"]').forEach(makeChoosable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
