// Reading, checking and cleaning the committed notebooks (nbformat 4 JSON).
import * as fs from "fs";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const NOTEBOOKS_DIR = path.join(REPO_ROOT, "notebooks");

export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
  [key: string]: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: { kernelspec?: { name?: string; display_name?: string; language?: string }; [key: string]: unknown };
  cells: NotebookCell[];
}

/** A headless run's wall times (build/notebooks/timings.json), read by the README's run-time table. */
export interface RunTimings {
  profile: string;
  jobs: number;
  started: string;
  wallSeconds: number;
  machine: string;
  /** 1-minute load average when the run started and ended: other jobs stretch the times. */
  loadAverage?: { before: number; after: number };
  notebooks: { name: string; ok: boolean; seconds: number }[];
}

/** The notebooks in a folder, full paths, in name order. */
/**
 * The notebooks that take longest, in the order a headless run starts them (the rest follow by name). Longest first
 * packs two at a time best, and 04 is first to train the chat fine-tuning run that 02, 03 and 05 share: it records
 * that run's trajectory as it trains, where a run found in the cache without one would train a second time.
 */
export const LONGEST_FIRST = ["04_peft_lora", "01_single_task_fine_tuning", "03_multitask_mixtures"];

/** Notebook paths in the order to run them: LONGEST_FIRST's, then the others in their given order. */
export function runOrder(notebooks: string[]): string[] {
  const rank = (file: string) => {
    const index = LONGEST_FIRST.indexOf(path.basename(file, ".ipynb"));
    return index === -1 ? LONGEST_FIRST.length : index;
  };
  return notebooks.map((file, index) => ({ file, index })).sort((a, b) => rank(a.file) - rank(b.file) || a.index - b.index).map((n) => n.file);
}

export function listNotebooks(dir: string = NOTEBOOKS_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".ipynb"))
    .sort()
    .map((name) => path.join(dir, name));
}

export function readNotebook(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
}

/** Jupyter's own layout (sorted keys, one-space indent, closing newline), so a stripped notebook diffs cleanly. */
export function writeNotebook(file: string, notebook: Notebook): void {
  fs.writeFileSync(file, JSON.stringify(sortKeys(notebook), null, 1) + "\n");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** What is wrong with a notebook as a committed file (empty when nothing): format, kernel, leftover outputs. */
export function committedNotebookProblems(notebook: Notebook): string[] {
  const problems: string[] = [];
  if (notebook.nbformat !== 4) problems.push(`nbformat is ${notebook.nbformat}, expected 4`);
  if (typeof notebook.nbformat_minor !== "number") problems.push("nbformat_minor is missing");
  if (typeof notebook.metadata !== "object" || notebook.metadata === null) problems.push("metadata is missing");
  const kernel = notebook.metadata?.kernelspec?.name;
  if (kernel !== "tslab") problems.push(`kernelspec name is ${JSON.stringify(kernel)}, expected "tslab"`);
  if (!Array.isArray(notebook.cells)) return [...problems, "cells is not an array"];
  notebook.cells.forEach((cell, index) => {
    const where = `cell ${index}`;
    if (!["code", "markdown", "raw"].includes(cell.cell_type)) problems.push(`${where}: unknown cell_type ${cell.cell_type}`);
    if (typeof cell.source !== "string" && !Array.isArray(cell.source)) problems.push(`${where}: source is missing`);
    if (typeof cell.metadata !== "object" || cell.metadata === null) problems.push(`${where}: metadata is missing`);
    if (cell.cell_type !== "code") return;
    if (!Array.isArray(cell.outputs)) problems.push(`${where}: code cell without an outputs list`);
    else if (cell.outputs.length > 0) problems.push(`${where}: has ${cell.outputs.length} output(s) (npm run notebooks:strip)`);
    if (cell.execution_count !== null) problems.push(`${where}: execution_count is ${cell.execution_count}, expected null`);
  });
  return problems;
}

/** Remove what running a notebook leaves behind. Returns whether anything changed. */
export function stripNotebook(notebook: Notebook): boolean {
  const before = JSON.stringify(notebook);
  for (const cell of notebook.cells) {
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
    delete cell.metadata.execution; // nbclient's timing record
  }
  return JSON.stringify(notebook) !== before;
}
