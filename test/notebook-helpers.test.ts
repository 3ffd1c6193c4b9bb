import { test } from "node:test";
import * as assert from "node:assert/strict";
import { envChoice, envInteger, envIntegerList, envNumber, envString } from "../src/lab/notebook/params";
import { figureHtml, lineChartHtml, plotlyLoaderHtml } from "../src/lab/notebook/plots";
import { dataFrameHtml, htmlTable } from "../src/lab/notebook/tables";
import { escapeHtml, escapeMarkdown, markdownList } from "../src/lab/notebook/escape";
import { etaSeconds, formatDuration, formatProgressLine } from "../src/train/progress";
import { notebookProgress } from "../src/lab/notebook/progress";

function withEnv(name: string, value: string | undefined, fn: () => void): void {
  const old = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    fn();
  } finally {
    if (old === undefined) delete process.env[name];
    else process.env[name] = old;
  }
}

test("notebook parameters come from the environment, with defaults and named errors", () => {
  withEnv("FLANLAB_X", undefined, () => {
    assert.equal(envInteger("FLANLAB_X", 7), 7);
    assert.equal(envString("FLANLAB_X", "quick"), "quick");
    assert.deepEqual(envIntegerList("FLANLAB_X", [1, 2]), [1, 2]);
  });
  withEnv("FLANLAB_X", "3", () => assert.equal(envInteger("FLANLAB_X", 7), 3));
  withEnv("FLANLAB_X", "3.5", () => {
    assert.equal(envNumber("FLANLAB_X", 1), 3.5);
    assert.throws(() => envInteger("FLANLAB_X", 7), /FLANLAB_X="3\.5" must be an integer/);
  });
  withEnv("FLANLAB_X", "1, 2,3", () => assert.deepEqual(envIntegerList("FLANLAB_X", []), [1, 2, 3]));
  withEnv("FLANLAB_X", "1,,3", () => assert.throws(() => envIntegerList("FLANLAB_X", []), /"" is not an integer/));
  withEnv("FLANLAB_X", "huge", () => assert.throws(() => envChoice("FLANLAB_X", ["quick", "full"], "quick"), /must be one of: quick, full/));
});

test("progress line: bar, loss, rate, elapsed and ETA", () => {
  const line = formatProgressLine({ step: 5, totalSteps: 20, loss: 1.23456, learningRate: 0.001, tokensPerSecond: 999.6, elapsedSeconds: 10 }, 4);
  assert.equal(line, "step 5/20 [#---] loss 1.2346 lr 1.00e-3 1000 tok/s 00:10<00:30");
  assert.equal(etaSeconds({ step: 0, totalSteps: 3, loss: 0, elapsedSeconds: 0 }), Infinity);
  assert.equal(formatDuration(3725), "1:02:05");
  assert.equal(formatDuration(Infinity), "--:--");
});

test("notebook progress overwrites one display", () => {
  const shown: string[] = [];
  const sink = notebookProgress({ html: (s) => shown.push(s) }, 2);
  for (let step = 1; step <= 4; step++) sink.update({ step, totalSteps: 4, loss: 1, elapsedSeconds: step });
  sink.done({ step: 4, totalSteps: 4, loss: 1, elapsedSeconds: 4 });
  assert.equal(shown.length, 3); // steps 2 and 4, then done
  assert.match(shown[2], /width:100\.0%/);
  assert.match(shown[2], /"x":\[1,2,3,4\],"y":\[1,1,1,1\]/, "the final output carries the loss chart of every step");
});

test("tables escape HTML and round fractions", () => {
  const html = htmlTable(["a", "b"], [["<x>", 0.123456], ["y", 3]], 2);
  assert.match(html, /&lt;x&gt;/);
  assert.match(html, />0\.12</);
  assert.match(html, />3</);
  assert.equal(dataFrameHtml({ columns: ["a"], values: [[1], [2]] }), htmlTable(["a"], [[1], [2]]));
});

test("plotly: the bundle is inlined safely and figures carry their data", () => {
  const loader = plotlyLoaderHtml();
  assert.ok(loader.length > 1_000_000);
  assert.equal((loader.match(/<\/script/gi) ?? []).length, 1, "the bundle must not close its <script> early");
  const chart = lineChartHtml([{ name: "loss", x: [1, 2], y: [3, 1] }], { title: "t", xTitle: "step", yTitle: "loss" });
  assert.match(chart, /"x":\[1,2\],"y":\[3,1\]/);
  assert.notEqual(figureHtml([]).match(/id="([^"]+)"/)?.[1], figureHtml([]).match(/id="([^"]+)"/)?.[1]);
});

test("notebook progress draws the loss curve while training, and the evaluation scores as they come", () => {
  const shown: string[] = [];
  const sink = notebookProgress({ html: (s) => shown.push(s) }, 1);
  sink.update({ step: 1, totalSteps: 3, loss: 2, elapsedSeconds: 1 });
  assert.match(shown[0], /<svg[^>]*tex2jax_ignore/, "a live chart from the first update");
  assert.doesNotMatch(shown[0], /Evaluation/);
  sink.update({ step: 2, totalSteps: 3, loss: 1.5, elapsedSeconds: 2 });
  sink.evaluated!(2, { "chat_summary/rougeL": 0.25 });
  sink.update({ step: 3, totalSteps: 3, loss: 1, elapsedSeconds: 3 });
  assert.equal((shown[1].match(/<path/g) ?? []).length < (shown[2].match(/<path|<circle/g) ?? []).length, true, "the chart grows");
  assert.match(shown[2], /Evaluation/);
  assert.match(shown[2], /chat_summary\/rougeL/);
  sink.done({ step: 3, totalSteps: 3, loss: 1, elapsedSeconds: 3 });
  assert.match(shown[3], /Evaluation during training/);
  assert.match(shown[3], /"x":\[2\],"y":\[0\.25\]/);
});

test("data reaches the reader verbatim: HTML and markdown escapes, out of MathJax's reach", () => {
  const text = "I paid $163.95 \\(twice\\) for *two* <b>items</b> & more";
  const table = htmlTable(["t"], [[text]]);
  assert.match(table, /^<div class="tex2jax_ignore mathjax_ignore">/);
  assert.ok(table.includes("I paid $163.95 \\(twice\\) for *two* &lt;b&gt;items&lt;/b&gt; &amp; more"));
  assert.equal(escapeHtml(`<a href="x">'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&lt;/a&gt;");
  assert.equal(
    escapeMarkdown(text),
    '<span class="tex2jax_ignore mathjax_ignore">I paid \\$163.95 \\\\(twice\\\\) for \\*two\\* &lt;b>items&lt;/b> &amp; more</span>',
  );
  assert.equal(markdownList(["a **b**", "c"]), "- a **b**\n- c");
  assert.match(figureHtml([{ type: "scatter", x: [1, 2], y: [1, 2] }]), /^<div class="tex2jax_ignore mathjax_ignore"><div id="[^"]+"[^>]*><svg/);
});
