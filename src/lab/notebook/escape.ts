// Data shown in a notebook must reach the reader as written. Jupyter's front ends run MathJax over outputs, so a
// table cell with "I paid $163.95 ... $163.95" would lose the text between the dollars to a maths box; markdown
// outputs would also read "*", "_" and "<" as markup. These helpers keep data verbatim.

/** HTML with &, <, >, " and ' escaped: safe inside elements and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * HTML wrapped so that MathJax leaves it alone: tex2jax_ignore is the class MathJax 2 (Notebook 6, nbconvert's
 * classic pages) and MathJax 3's defaults skip, mathjax_ignore the one JupyterLab 4 and Notebook 7 configure.
 */
export function mathjaxIgnored(html: string): string {
  return `<div class="tex2jax_ignore mathjax_ignore">${html}</div>`;
}

/**
 * Text that markdown shows verbatim: backslash escapes for the characters markdown treats as markup, < and & as
 * entities, and the whole inside a span that MathJax skips (Notebook 6 drops the backslash of "\$" before MathJax
 * runs, so escaping alone would still turn "$5 and $6" into maths).
 */
export function escapeMarkdown(text: string): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/[\\`*_[\]#|~$]/g, (c) => `\\${c}`);
  return `<span class="tex2jax_ignore mathjax_ignore">${escaped}</span>`;
}

/** A markdown bullet list of sentences that may carry emphasis of their own (the findings): one "- " per item. */
export function markdownList(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join("\n");
}
