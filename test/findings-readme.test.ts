import { test } from "node:test";
import * as assert from "node:assert/strict";
import { findingsSection, notebookTable } from "../scripts/findings-readme";
import { NotebookResults } from "../src/experiments/results";

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
  assert.match(findingsSection([]), /No results are committed yet/);
});
