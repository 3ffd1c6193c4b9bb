import * as assert from "node:assert/strict";
import { test } from "node:test";
import { baseModelFindings } from "../src/lab/findings/base-model";
import { loadStageCurves, parseStageMetrics, stageLossSeries } from "../src/lab/base/stage-curves";

const results = {
  spanFill: { pretrained: 0.41, instructed: 0.2 },
  infillingCopy: { pretrained: 0.83, instructed: 0.8 },
  chunks: 64,
  heldOutTemplates: { pretrained: { "sentiment/accuracy": 0.02, "chat_product/exactMatch": 0 }, instructed: { "sentiment/accuracy": 0.9, "chat_product/exactMatch": 0.005 } },
  unseenTasks: { pretrained: { "chat_title/rougeL": 0.05 }, instructed: { "chat_title/rougeL": 0.3 } },
  examples: 50,
};

test("notebook 06's findings follow the numbers", () => {
  const findings = baseModelFindings(results);
  assert.match(findings[0], /\*\*41%\*\* of the masked tokens and \*\*83%\*\*/);
  assert.match(findings[1], /mean of \*\*0\.01\*\*.*it does not follow instructions/);
  assert.match(findings[2], /raised the mean from 0\.01 to \*\*0\.45\*\* \(it rose on 1 of 2, most on sentiment: \+0\.88\)/);
  assert.match(findings[3], /raised the mean from 0\.05 to \*\*0\.30\*\* \(it rose on 1 of 1, most on chat_title: \+0\.25\)/);
  assert.match(findings[4], /lost much of its span filling \(41% -> 20%/);
  const kept = baseModelFindings({ ...results, spanFill: { pretrained: 0.41, instructed: 0.39 }, heldOutTemplates: { pretrained: { a: 0.5 }, instructed: { a: 0.4 } } });
  assert.match(kept[4], /kept its span filling/);
  assert.match(kept[1], /it follows some/);
  assert.match(kept[2], /lowered the mean from 0\.50 to \*\*0\.40\*\* \(no task of 1 rose by more than 0\.01\)/);
  const same = baseModelFindings({ ...results, unseenTasks: { pretrained: { a: 0 }, instructed: { a: 0.005 } } });
  assert.match(same[3], /left the mean at \*\*0\.01\*\* \(0\.00 before\) \(no task of 1 rose/);
});

test("stage metrics: losses and evaluations apart, bad lines named", () => {
  const curve = parseStageMetrics("1-span", '{"step":10,"loss":5,"tokens_per_s":900}\n{"step":20,"loss":4}\n{"step":20,"eval":{"validation_loss":4.5}}\n');
  assert.deepEqual(curve, { name: "1-span", steps: [10, 20], losses: [5, 4], tokensPerSecond: [900, NaN], evaluations: [{ step: 20, values: { validation_loss: 4.5 } }] });
  const second = parseStageMetrics("2-instruct", '{"step":10,"loss":3}\n{"step":20,"loss":2}\n');
  assert.deepEqual(stageLossSeries([curve, second]), [
    { name: "1-span", x: [10, 20], y: [5, 4] },
    { name: "2-instruct", x: [30, 40], y: [3, 2] },
  ], "the second stage's steps continue where the first ended");
  assert.throws(() => parseStageMetrics("x", '{"step":1,"loss":2}\n{"step":', "m.jsonl"), /m\.jsonl:2: not a JSON line/);
  assert.throws(() => parseStageMetrics("x", '{"loss":2}\n', "m.jsonl"), /m\.jsonl:1: no "step" number/);
  assert.deepEqual(loadStageCurves("/nonexistent/model"), []);
});
