import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { TaskDefinition, TaskRecord } from "../src/data/task";
import { evalExamples, evaluateTask } from "../src/eval/evaluate";
import { loadTokenizer } from "../src/io/tokenizer";
import { initParams } from "../src/model/params";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const fakeTask: TaskDefinition = {
  name: "fake_sentiment",
  description: "a test task",
  folder: "fake_sentiment",
  templates: [
    { id: "a", input: "Is this positive? {text}", target: "{label}" },
    { id: "b", input: "{text}\nSentiment:", target: "{label}" },
    { id: "held", input: "Feeling of: {text}", target: "{label}", heldOut: true },
  ],
  fields: (r) => ({ text: String(r.text), label: String(r.label) }),
  validate(record: unknown, where: string): asserts record is TaskRecord {
    if (typeof (record as TaskRecord)?.text !== "string") throw new Error(`${where}: field "text" is missing`);
  },
  metric: "classification",
  primaryMetric: "accuracy",
  labels: ["positive", "negative"],
  maxInputTokens: 12,
  maxTargetTokens: 4,
};

const records: TaskRecord[] = [
  { id: "r0", text: "I love it", label: "positive" },
  { id: "r1", text: "It broke after a day and the support never answered my three emails", label: "negative" },
  { id: "r2", text: "Great value", label: "positive" },
];

before(() => useBackend("wasm"));

test("prompts cycle through the chosen templates, record by record", () => {
  assert.deepEqual(evalExamples(fakeTask, records).map((e) => e.templateId), ["a", "b", "a"]);
  assert.deepEqual(evalExamples(fakeTask, records, "held-out").map((e) => e.templateId), ["held", "held", "held"]);
  assert.equal(evalExamples(fakeTask, records, { id: "b" })[1].input, "It broke after a day and the support never answered my three emails\nSentiment:");
  assert.throws(() => evalExamples(fakeTask, records, { id: "zzz" }), /has no template "zzz"/);
});

test("evaluation generates, scores with the task metric, and saves predictions beside their inputs", async () => {
  const tokenizer = await loadTokenizer(path.join(__dirname, "..", "models", "quickstart-tokenizer"));
  const config = tinyConfig({ vocab_size: tokenizer.vocabSize });
  const model = { config, params: initParams(config, 2) };
  const file = path.join(tempDir("eval"), "predictions", "fake.jsonl");
  const tensors = tf.memory().numTensors;
  const result = await evaluateTask(model, tokenizer, fakeTask, records, { batchSize: 2, predictionsFile: file });
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(result.examples, 3);
  assert.equal(result.truncatedInputs, 1); // the long review exceeds maxInputTokens 12
  assert.equal(result.primary, result.means.accuracy);
  assert.ok(result.means.formatError >= 0 && result.means.formatError <= 1);
  const saved = fs.readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(saved.length, 3);
  assert.deepEqual(Object.keys(saved[0]).sort(), ["input", "prediction", "recordId", "references", "scores", "templateId"]);
  assert.equal(saved[1].references[0], "negative");
  assert.equal(typeof saved[1].prediction, "string");
  Object.values(model.params).forEach((t) => t.dispose());
});
