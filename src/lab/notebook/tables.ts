// Tables as HTML for tslab's display.html: rows of records, or a danfo.js DataFrame. Cell text is shown verbatim
// (escaped for HTML, out of MathJax's reach) and long text wraps inside the output area.
import { escapeHtml, mathjaxIgnored } from "./escape";

/** What flanlab needs of a danfo DataFrame (structural, so the library does not load danfo itself). */
export interface ColumnsAndValues {
  columns: string[];
  values: unknown[] | unknown[][];
}

function cell(value: unknown, digits: number): string {
  if (typeof value === "number" && !Number.isInteger(value)) return value.toFixed(digits);
  return escapeHtml(String(value));
}

/** An HTML table with a header row; numbers right-aligned, fractions rounded to `digits`. */
export function htmlTable(columns: string[], rows: unknown[][], digits = 3): string {
  const head = columns.map((c) => `<th style="text-align:left">${escapeHtml(c)}</th>`).join("");
  const body = rows
    .map(
      (row) =>
        "<tr>" +
        row.map((v) => `<td style="text-align:${typeof v === "number" ? "right" : "left"};white-space:pre-wrap;overflow-wrap:anywhere;max-width:36em">${cell(v, digits)}</td>`).join("") +
        "</tr>",
    )
    .join("");
  return mathjaxIgnored(`<table style="max-width:100%"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`);
}

/** A danfo.js DataFrame (or anything with columns and row values) as an HTML table. */
export function dataFrameHtml(frame: ColumnsAndValues, digits = 3): string {
  const rows = frame.values.map((row) => (Array.isArray(row) ? row : [row]));
  return htmlTable(frame.columns, rows, digits);
}
