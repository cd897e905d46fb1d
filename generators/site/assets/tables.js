/* reqdsl: sort and filter the site's tables in the browser. Local only: no network, no
 * library, no storage. A table marked `data-rq="sortable"` gets a button in each heading
 * (click: ascending, again: descending); one marked `filterable` gets a
 * filter box (every word typed must appear in the row) and, when some rows have class
 * `rq-gap-row`, a "gaps only" box. Without JavaScript the tables are complete. */
(function () {
  "use strict";

  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var NUMBER = /^-?\d+(\.\d+)?$/;

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === "") return 1;  /* empty cells last, both ways */
    if (b === "") return -1;
    if (NUMBER.test(a) && NUMBER.test(b)) return parseFloat(a) - parseFloat(b);
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
      button.title = "Sort by this column";
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
    var bar = document.createElement("div");
    bar.className = "rq-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter rows";
    input.setAttribute("aria-label", "Filter rows");
    bar.appendChild(input);
    var gapsOnly = null;
    if (table.querySelector("tr.rq-gap-row")) {
      var label = document.createElement("label");
      gapsOnly = document.createElement("input");
      gapsOnly.type = "checkbox";
      label.appendChild(gapsOnly);
      label.appendChild(document.createTextNode(" gaps only"));
      bar.appendChild(label);
    }
    var counter = document.createElement("span");
    counter.className = "rq-filter-count";
    counter.textContent = rows.length + " rows";
    bar.appendChild(counter);
    table.parentNode.insertBefore(bar, table);

    var timer = null;
    function apply() {
      if (texts === null) texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var gaps = gapsOnly !== null && gapsOnly.checked;
      var shown = 0;
      rows.forEach(function (row, i) {
        var keep = (!gaps || row.classList.contains("rq-gap-row")) &&
          words.every(function (word) { return texts[i].indexOf(word) !== -1; });
        row.hidden = !keep;
        if (keep) shown++;
      });
      counter.textContent = shown === rows.length ? rows.length + " rows" : shown + " of " + rows.length + " rows";
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 120);
    });
    if (gapsOnly !== null) gapsOnly.addEventListener("change", apply);
  }

  function init() {
    document.querySelectorAll('table[data-rq~="sortable"]').forEach(makeSortable);
    document.querySelectorAll('table[data-rq~="filterable"]').forEach(makeFilterable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
