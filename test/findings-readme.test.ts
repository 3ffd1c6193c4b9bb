import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { findingsSection, notebookTable, readSavedResults, runTimesTable } from "../scripts/findings-readme";
import { closingMarkdown } from "../scripts/save-results";
import { tempDir } from "./helpers";
import { NotebookResults } from "../src/lab/experiments/results";

test("the README's findings are tables of the committed results, primary metric per task", () => {
  const results: NotebookResults = {
    notebook: "02_x",
    profile: "full",
    backend: "wasm",
    seeds: [0, 1],
    started: "2026-11-25T00:00:00.000Z",
    seconds: 120,
    runs: [
      { name: "base", method: "none", task: "none", seed: null, scores: { sentiment: { accuracy: 0.9, formatError: 0 } }, trainable_params: null, train_seconds: null },
      { name: "full", method: "full", task: "chat_summary", seed: 1, scores: { sentiment: { accuracy: 0.25 }, chat_summary: { rougeL: 0.4 } }, trainable_params: 1234, train_seconds: 61 },
    ],
  };
  const table = notebookTable(results);
  assert.match(table, /\| run \| method \| seed \| trainable params \| train s \| sentiment \(accuracy\) \| chat_summary \(rougeL\) \|/);
  assert.match(table, /\| base \| none \|  \|  \|  \| 0\.900 \|  \|/);
  assert.match(table, /\| full \| full \| 1 \| 1,234 \| 61 \| 0\.250 \| 0\.400 \|/);
  assert.match(findingsSection({ results: [], findings: {}, timings: [] }), /No results are committed yet/);
  assert.match(notebookTable(results, "- Fine-tuning lowered sentiment accuracy from 0.90 to 0.25."), /concluded from these numbers:\n\n- Fine-tuning lowered sentiment accuracy from 0\.90 to 0\.25\.\n\n\| run/);
});

test("run times: the runner's timings per profile, else the results' own clock", () => {
  const quick = { profile: "quick", jobs: 2, started: "2026-11-25T04:00:00Z", wallSeconds: 900, machine: "2 x CPU", notebooks: [{ name: "00_a", ok: true, seconds: 30 }, { name: "02_x", ok: true, seconds: 300 }] };
  const full = { notebook: "02_x", profile: "full", backend: "wasm", seeds: [0], started: "2026-11-25T05:00:00Z", seconds: 1800, runs: [] };
  const table = runTimesTable([quick], [full]);
  assert.match(table, /\| notebook \| `quick` profile \| `full` profile \|/);
  assert.match(table, /\| 00_a \| 0\.5 min \|  \|/);
  assert.match(table, /\| 02_x \| 5\.0 min \| 30\.0 min \|/);
  assert.match(table, /`quick`: 2 notebook\(s\) at a time, 15\.0 min wall time in all, 2026-11-25 on 2 x CPU\./);
});

test("saved results: the closing Markdown of an executed notebook, read back with results and timings", () => {
  const notebook = {
    cells: [
      { cell_type: "code", outputs: [{ data: { "text/markdown": ["An early ", "note."] } }] },
      { cell_type: "markdown" },
      { cell_type: "code", outputs: [{ data: { "text/plain": "x" } }, { data: { "text/markdown": "- The finding." } }] },
      { cell_type: "code", outputs: [] },
    ],
  };
  assert.equal(closingMarkdown(notebook), "- The finding.");
  assert.equal(closingMarkdown({ cells: [] }), undefined);
  const dir = tempDir("saved-results");
  fs.writeFileSync(path.join(dir, "02_x.json"), JSON.stringify({ notebook: "02_x", profile: "full", backend: "wasm", seeds: [], started: "2026-11-25", seconds: 60, runs: [] }));
  fs.writeFileSync(path.join(dir, "02_x.md"), "- The finding.\n");
  fs.writeFileSync(path.join(dir, "timings-quick.json"), JSON.stringify({ profile: "quick", jobs: 2, started: "2026-11-25", wallSeconds: 60, machine: "m", notebooks: [] }));
  const saved = readSavedResults(dir);
  assert.deepEqual(saved.results.map((r) => r.notebook), ["02_x"]);
  assert.deepEqual(saved.findings, { "02_x": "- The finding.\n" });
  assert.deepEqual(saved.timings.map((t) => t.profile), ["quick"]);
  assert.match(findingsSection(saved), /### 02_x[\s\S]*- The finding\./);
});
