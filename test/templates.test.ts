import { test } from "node:test";
import * as assert from "node:assert/strict";
import { TaskDefinition, TaskRecord } from "../src/data/task";
import { fillPlaceholders, heldOutTemplates, renderExample, renderFewShot, trainingTemplates } from "../src/data/templates";
import { getTask, loadRecords } from "../src/lab/tasks/registry";

const task: TaskDefinition = {
  name: "t",
  description: "",
  folder: "t",
  templates: [
    { id: "a", input: "Review: {review}\nStars:", target: "{rating}" },
    { id: "b", input: "How many stars? {review}", target: "{rating}", heldOut: true },
  ],
  fields: (r) => ({ review: String(r.review), rating: String(r.rating) }),
  validate(_record: unknown): asserts _record is TaskRecord {},
  metric: "rating",
  primaryMetric: "accuracy",
  maxInputTokens: 64,
  maxTargetTokens: 4,
};
const records: TaskRecord[] = [
  { id: "1", review: "Great.", rating: 5 },
  { id: "2", review: "Broke.", rating: 1 },
  { id: "3", review: "Fine.", rating: 3 },
];

test("placeholders are filled from the task's fields; an unknown one is an error naming the template", () => {
  assert.equal(fillPlaceholders("{a} and {b}", { a: "x", b: "y" }, "t1"), "x and y");
  assert.throws(() => fillPlaceholders("{missing}", { a: "x" }, "t1"), /template "t1": placeholder \{missing\} has no field \(fields: a\)/);
});

test("zero-shot: a record rendered with one template keeps its ids", () => {
  assert.deepEqual(renderExample(task, records[0], task.templates[0]), { input: "Review: Great.\nStars:", target: "5", recordId: "1", templateId: "a" });
});

test("few-shot: k solved exemplars, then the question, separated by blank lines", () => {
  const shot = renderFewShot(task, records[2], records.slice(0, 2), task.templates[0]);
  assert.equal(shot.input, "Review: Great.\nStars: 5\n\nReview: Broke.\nStars: 1\n\nReview: Fine.\nStars:");
  assert.equal(shot.target, "3");
  assert.equal(shot.recordId, "3");
});

test("training and held-out templates partition each task's templates", () => {
  assert.deepEqual(trainingTemplates(task).map((t) => t.id), ["a"]);
  assert.deepEqual(heldOutTemplates(task).map((t) => t.id), ["b"]);
});

test("the Lab 2 prompt renders a shipped chat exactly", () => {
  const chat = getTask("chat_summary");
  const record = loadRecords(chat, "test").records[0];
  const lab2 = chat.templates.find((t) => t.id === "lab2")!;
  const rendered = renderExample(chat, record, lab2);
  assert.equal(rendered.input, `Summarize the following conversation.\n\n${record.dialogue}\n\nSummary: `);
  assert.equal(rendered.target, record.summary);
});
