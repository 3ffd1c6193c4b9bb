// Notebook 05's decoding comparison (src/lab/findings/decoding.ts), from hand-made rows.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { decodingFindings } from "../src/lab/findings/decoding";

const greedy = { decoding: "greedy", rougeL: 0.25, factAccuracy: 0.3, looping: 0.3 };

test("each decoding against greedy, then the best and the one that loops least", () => {
  assert.deepEqual(decodingFindings([greedy, { decoding: "beam 4", rougeL: 0.27, factAccuracy: 0.32, looping: 0.2 }, { decoding: "greedy, no repeated 3-grams", rougeL: 0.26, looping: 0 }]), [
    "beam 4: ROUGE-L 0.270 (+0.020 against greedy), facts 0.32; 20% of summaries loop (greedy: 30%).",
    "greedy, no repeated 3-grams: ROUGE-L 0.260 (+0.010 against greedy); 0% of summaries loop (greedy: 30%).",
    "beam 4 scores highest on ROUGE-L (0.270, +0.020); greedy, no repeated 3-grams loops least (0%).",
  ]);
});

test("when nothing beats the first decoding, it says so; one row is an error", () => {
  const findings = decodingFindings([greedy, { decoding: "beam 4", rougeL: 0.24, looping: 0.1 }]);
  assert.equal(findings[0], "beam 4: ROUGE-L 0.240 (-0.010 against greedy); 10% of summaries loop (greedy: 30%).");
  assert.equal(findings[1], "No other decoding beats greedy on ROUGE-L here (0.250).");
  assert.throws(() => decodingFindings([greedy]), /at least one other/);
});
