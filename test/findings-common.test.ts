// The findings' shared pieces (src/lab/findings/common.ts) and notebook 00's findings (quickstart.ts).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { beatsCopying, bulletList, clearlyAbove, describeSeededChange, signedDifference } from "../src/lab/findings/common";
import { quickstartFindings } from "../src/lab/findings/quickstart";
import { describeChange, scoreWithInterval } from "../src/lab/experiments/findings";

test("a bullet list leaves empty sentences out", () => {
  assert.equal(bulletList(["a.", "", "b."]), "- a.\n- b.");
  assert.equal(bulletList([]), "");
});

test("a seeded change adds what the seeds did only when the interval cannot tell", () => {
  const twoSeeds = { subject: "sentiment accuracy", cause: "Fine-tuning", before: [1, 1], after: [0.19, 0.02] };
  const sentence = describeSeededChange(twoSeeds);
  assert.ok(sentence.startsWith(describeChange(twoSeeds)));
  assert.match(sentence, /made no difference to sentiment accuracy that we can distinguish from noise/);
  assert.match(sentence, / Every one of the 2 seeds moved it the same way \(1\.00 -> 0\.19, 0\.02\), by at least 0\.05; 2 seeds are too few/);
  const clear = { subject: "x", cause: "y", before: [0.8, 0.82, 0.81], after: [0.4, 0.45, 0.41] };
  assert.equal(describeSeededChange(clear), describeChange(clear));
  const digits = { subject: "x", cause: "y", before: [1, 1], after: [0.191, 0.021], digits: 3 };
  assert.match(describeSeededChange(digits), /\(1\.000 -> 0\.191, 0\.021\)/);
});

test("clearly above: the whole interval over seeds, or one value by a margin", () => {
  // [0.20, 0.22, 0.24]: mean 0.22, 95% interval 0.22 +- 4.303 * 0.02 / sqrt(3) = 0.170 to 0.270.
  assert.equal(clearlyAbove([0.2, 0.22, 0.24], 0.16), true);
  assert.equal(clearlyAbove([0.2, 0.22, 0.24], 0.18), false);
  assert.equal(clearlyAbove([0.2], 0.19), true);
  assert.equal(clearlyAbove([0.2], 0.2), false);
  assert.equal(clearlyAbove([0.2], 0.19, 0.02), false);
  assert.equal(clearlyAbove([0.25], 0.19, 0.02), true);
  assert.equal(scoreWithInterval([0.2]), "0.20");
  assert.equal(scoreWithInterval([0.2, 0.22, 0.24]), "0.22, 95% interval 0.17 to 0.27 over 3 seeds");
  assert.equal(scoreWithInterval([0.2, 0.22, 0.24], 3), "0.220, 95% interval 0.170 to 0.270 over 3 seeds");
});

test("the quickstart's findings follow its measurements", () => {
  const run = { backend: "wasm", examples: 16, secondsPerStep: 0.0424, steps: 80, losses: [6.9, 3.1, 0.69], matched: 16, reloadDifference: 0 };
  assert.equal(quickstartFindings(run), [
    "- On the **wasm** backend, one training step on 16 examples took **42 ms**.",
    "- The training loss went from **6.90** to **0.69** in 80 steps (90% lower).",
    "- Greedy generation reproduced **16 of 16** training targets exactly: the model has memorized its tiny training set.",
    "- Saving and loading changed the logits by at most **0** (bit-exact).",
    "",
    "A model this small that has seen 16 examples has learned nothing general. The next notebooks start from a base model trained on a mixture of instruction tasks, fine-tune it on one task and measure what it forgets.",
  ].join("\n"));
  const worse = quickstartFindings({ ...run, examples: 8, losses: [3, 3.5], matched: 0, reloadDifference: 2e-7 });
  assert.match(worse, /from \*\*3\.00\*\* to \*\*3\.50\*\* in 80 steps : it did \*\*not\*\* fall\./);
  assert.match(worse, /\*\*0 of 8\*\* training targets exactly: a few dozen steps on random weights are not enough/);
  assert.match(worse, /at most \*\*2e-7\*\* \.$/m);
  assert.match(worse, /has seen 8 examples/);
  assert.match(quickstartFindings({ ...run, matched: 5 }), /\*\*5 of 16\*\* training targets exactly: it memorized some answers \(often the short ones\) and not others\./);
});

test("a signed difference, and zero without a sign", () => {
  assert.equal(signedDifference(0.05), "+0.05");
  assert.equal(signedDifference(-0.123), "-0.12");
  assert.equal(signedDifference(-0.003), "0.00");
  assert.equal(signedDifference(0.0004, 3), "0.000");
  assert.equal(signedDifference(0.0016, 3), "+0.002");
});

test("beating copying: the whole interval above the best baseline, or one seed by the margin", () => {
  const baselines = { oracle: { rougeL: 0.21 }, skeleton: { rougeL: 0.19 } };
  assert.equal(beatsCopying([0.235], baselines), true);
  assert.equal(beatsCopying([0.225], baselines), false);
  assert.equal(beatsCopying([0.24, 0.25, 0.26], baselines), true);
  assert.equal(beatsCopying([0.2, 0.25, 0.3], baselines), false);
});
