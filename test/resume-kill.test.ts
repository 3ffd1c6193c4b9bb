// `flanlab train` killed outright (SIGKILL) at three seeded random steps and stopped once with Ctrl-C (SIGINT), each
// time run again with the same command: the final weights are byte-identical to an uninterrupted run's and so is
// metrics.jsonl (but for its timing field). Then the same --out with another learning rate is refused, naming it.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { saveModel } from "../src/io/checkpoint";
import { initParams } from "../src/model/params";
import { Random } from "../src/random";
import { flanlabInProcess, metricsWithoutTiming as metrics } from "./cli-helpers";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const ROOT = path.join(__dirname, "..");
const STEPS = 20;

/** Run `flanlab train`; with `stopAt`, send `signal` as soon as it reports a step >= stopAt. */
function train(args: string[], stopAt?: number, signal: NodeJS.Signals = "SIGKILL"): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "src", "cli.ts"), "train", ...args], { cwd: ROOT, env: { ...process.env, FLANLAB_BACKEND: "wasm" } });
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const steps = [...stderr.matchAll(new RegExp(`step (\\d+)/${STEPS}`, "g"))].map((m) => Number(m[1]));
      if (stopAt !== undefined && !sent && steps.some((s) => s >= stopAt)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stdout.resume();
    child.on("error", reject);
    child.on("close", (code, received) => resolve({ code, signal: received, stderr }));
  });
}

test("SIGKILL at three seeded random steps and one Ctrl-C, each resumed: weights and metrics equal an uninterrupted run", async () => {
  await useBackend("wasm");
  const dir = tempDir("kill");
  const model = path.join(dir, "model");
  const config = tinyConfig({ vocab_size: 1000, dropout_rate: 0.1 });
  saveModel({ config, params: initParams(config, 1) }, model, { tokenizerFolder: path.join(ROOT, "models", "quickstart-tokenizer") });
  const csv = path.join(dir, "pairs.csv");
  fs.writeFileSync(csv, "input,target\nmy order is late,late order\nrefund please,refund given\nhello there,greeting\nwhere is my parcel,parcel status\n");
  const args = (out: string) => ["--model", model, "--data", csv, "--out", out, "--steps", `${STEPS}`, "--batch-size", "2", "--log-every", "1", "--schedule", "linear", "--warmup", "3", "--seed", "4"];

  const straight = path.join(dir, "straight");
  const uninterrupted = await flanlabInProcess(["train", ...args(straight)]); // in this process, on the same backend
  assert.equal(uninterrupted.code, 0, uninterrupted.stderr);

  const out = path.join(dir, "interrupted");
  const random = new Random(16);
  const killAt = [random.int(2, 6), random.int(8, 12), random.int(14, 17)];
  for (const [i, step] of killAt.entries()) {
    const killed = await train(args(out), step);
    assert.equal(killed.signal, "SIGKILL", `run ${i + 1} was to be killed at step ${step}: ${killed.stderr}`);
    if (i > 0) assert.match(killed.stderr, new RegExp(`resuming from step \\d+ of ${STEPS}`));
  }
  const stopped = await train(args(out), 18, "SIGINT");
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.match(stopped.stderr, new RegExp(`stopped by SIGINT after step \\d+ of ${STEPS}; checkpoint saved`));
  const resumed = await train(args(out));
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming from step \\d+ of ${STEPS}`));

  const finalWeights = (run: string) => fs.readFileSync(path.join(run, "final", "model.safetensors"));
  assert.ok(finalWeights(out).equals(finalWeights(straight)), `final weights differ (killed at steps ${killAt.join(", ")})`);
  assert.deepEqual(metrics(out), metrics(straight));
  assert.ok(!fs.readdirSync(path.join(out, "checkpoints")).some((name) => name.endsWith(".partial")));

  // the same folder with another learning rate: refused before any model loads, naming the flag
  const refused = await flanlabInProcess(["train", ...args(out), "--lr", "5e-4"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /--out .*interrupted holds a run with other settings \(--lr: 0\.001 in the recorded run, 0\.0005 now\).*--overwrite/);
});
