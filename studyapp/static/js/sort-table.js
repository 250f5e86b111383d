// Sortable tables: each heading marked data-sort gets a button that sorts the rows by its column
// (data-sort="number" or "text"; a cell's data-sort-value, else its text). Empty figures sort
// last either way. The table reads the same without this script; it only adds the buttons.
"use strict";
(function () {
  const read = (row, index, kind) => {
    const cell = row.cells[index];
    if (!cell) return null;
    const raw = cell.dataset.sortValue !== undefined ? cell.dataset.sortValue : cell.textContent.trim();
    if (raw === "") return null;
    if (kind === "number") {
      const n = Number(raw);
      return Number.isNaN(n) ? null : n;
    }
    return raw;
  };
  const compare = (x, y, kind) => (kind === "number" ? x - y : x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" }));

  document.querySelectorAll("table[data-sortable]").forEach((table) => {
    const body = table.tBodies[0];
    if (!body || !table.tHead || body.rows.length < 2) return;
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((th, index) => {
      const kind = th.dataset.sort;
      if (!kind) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const rows = Array.from(body.rows);
        rows.sort((a, b) => {
          const x = read(a, index, kind);
          const y = read(b, index, kind);
          if (x === null || y === null) return (x === null) - (y === null);
          return ascending ? compare(x, y, kind) : compare(y, x, kind);
        });
        rows.forEach((row) => body.appendChild(row));
      });
    });
  });
})();
