// Optimizers, schedules and clipping against plain-JS arithmetic (PyTorch's and Hugging Face's formulas written out).
import { before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { parseSafetensors, serializeSafetensors } from "../src/io/safetensors";
import { clipGradNorm, globalNorm } from "../src/train/clip";
import {
  AdamW,
  AdamWOptions,
  Adafactor,
  AdafactorOptions,
  Optimizer,
  VariableMap,
  accumulateGradients,
  computeGradients,
  disposeGradients,
  makeOptimizer,
  scaleGradients,
  trainableVariableMap,
} from "../src/train/optimizers";
import { makeSchedule } from "../src/train/schedules";
import { TEST_BACKENDS, useBackend } from "./helpers";

// ---- a tiny problem: a 2x3 matrix and a vector of 3, with fixed gradients per step --------------------------

type Values = Record<string, number[]>;
const SHAPES: Record<string, number[]> = { "layer.weight": [2, 3], "norm.weight": [3] };
const START: Values = { "layer.weight": [0.5, -1.2, 0.3, 2.0, 0.05, -0.7], "norm.weight": [1.0, -0.4, 0.25] };
/** Gradients of step t (1-based): different signs and magnitudes so row/column factors and clipping matter. */
function gradsAt(t: number): Values {
  return {
    "layer.weight": [0.1 * t, -2.0, 0.03, 1.5 / t, -0.2 * t, 4.0],
    "norm.weight": [-0.5, 0.01 * t, 3.0 / t],
  };
}

function makeVariables(values: Values = START): VariableMap {
  const out: VariableMap = {};
  for (const [name, v] of Object.entries(values)) out[name] = tf.variable(tf.tensor(v, SHAPES[name]));
  return out;
}

function gradTensors(values: Values): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(values)) out[name] = tf.tensor(v, SHAPES[name]);
  return out;
}

function read(variables: VariableMap): Values {
  const out: Values = {};
  for (const [name, v] of Object.entries(variables)) out[name] = Array.from(v.dataSync());
  return out;
}

function disposeVariables(variables: VariableMap): void {
  Object.values(variables).forEach((v) => v.dispose());
}

function runSteps(optimizer: Optimizer, variables: VariableMap, fromStep: number, toStep: number, lr: number): void {
  for (let t = fromStep; t <= toStep; t++) {
    const grads = gradTensors(gradsAt(t));
    optimizer.step(grads, variables, lr);
    disposeGradients(grads);
  }
}

/** Compare the change from START (not the values: float32 rounding of ~1 would hide errors in a 1e-2 update). */
function assertUpdatesClose(actual: Values, expected: Values, rtol = 2e-4, atol = 1e-6): void {
  for (const name of Object.keys(expected)) {
    expected[name].forEach((value, i) => {
      const got = actual[name][i] - START[name][i];
      const want = value - START[name][i];
      assert.ok(Math.abs(got - want) <= atol + rtol * Math.abs(want), `${name}[${i}]: update ${got}, expected ${want}`);
    });
  }
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 1e-7 + rtol * Math.abs(expected[i]);
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

// ---- the reference formulas in plain JS (float64) -----------------------------------------------------------

/** torch.optim.AdamW, amsgrad=False. */
function referenceAdamW(steps: number, lr: number, o: Required<AdamWOptions>) {
  const p: Values = structuredClone(START);
  const m: Values = {};
  const v: Values = {};
  for (let t = 1; t <= steps; t++) {
    const g = gradsAt(t);
    for (const name of Object.keys(p)) {
      m[name] ??= p[name].map(() => 0);
      v[name] ??= p[name].map(() => 0);
      for (let i = 0; i < p[name].length; i++) {
        p[name][i] *= 1 - lr * o.weightDecay;
        m[name][i] = o.beta1 * m[name][i] + (1 - o.beta1) * g[name][i];
        v[name][i] = o.beta2 * v[name][i] + (1 - o.beta2) * g[name][i] ** 2;
        const denom = Math.sqrt(v[name][i]) / Math.sqrt(1 - o.beta2 ** t) + o.eps;
        p[name][i] -= (lr / (1 - o.beta1 ** t)) * (m[name][i] / denom);
      }
    }
  }
  return { params: p, expAvg: m, expAvgSq: v };
}

const rmsOf = (x: number[]) => Math.sqrt(x.reduce((s, a) => s + a * a, 0) / x.length);
const meanOf = (x: number[]) => x.reduce((s, a) => s + a, 0) / x.length;

/** transformers.optimization.Adafactor.step, for a 2-D [rows, cols] and a 1-D parameter. */
function referenceAdafactor(steps: number, lr: number, o: AdafactorOptions) {
  const [eps1, eps2] = o.eps ?? [1e-30, 1e-3];
  const clip = o.clipThreshold ?? 1;
  const decay = o.decayRate ?? -0.8;
  const beta1 = o.beta1 ?? null;
  const wd = o.weightDecay ?? 0;
  const p: Values = structuredClone(START);
  const row: Values = {};
  const col: Values = {};
  const sq: Values = {};
  const m: Values = {};
  let clipped = 0;
  for (let t = 1; t <= steps; t++) {
    const g = gradsAt(t);
    const beta2t = 1 - t ** decay;
    for (const name of Object.keys(p)) {
      let rate = o.relativeStep ? Math.min(o.warmupInit ? 1e-6 * t : 1e-2, 1 / Math.sqrt(t)) : lr;
      if (o.scaleParameter) rate *= Math.max(eps2, rmsOf(p[name]));
      const g2 = g[name].map((x) => x * x + eps1);
      let u: number[];
      if (SHAPES[name].length === 2) {
        const [rows, cols] = SHAPES[name];
        row[name] ??= new Array(rows).fill(0);
        col[name] ??= new Array(cols).fill(0);
        for (let r = 0; r < rows; r++) {
          const mean = meanOf(g2.slice(r * cols, (r + 1) * cols));
          row[name][r] = beta2t * row[name][r] + (1 - beta2t) * mean;
        }
        for (let c = 0; c < cols; c++) {
          const mean = meanOf(Array.from({ length: rows }, (_, r) => g2[r * cols + c]));
          col[name][c] = beta2t * col[name][c] + (1 - beta2t) * mean;
        }
        const rowMean = meanOf(row[name]);
        u = g[name].map((x, i) => {
          const r = Math.floor(i / cols);
          const c = i % cols;
          return x / Math.sqrt(row[name][r] / rowMean) / Math.sqrt(col[name][c]);
        });
      } else {
        sq[name] ??= g2.map(() => 0);
        sq[name] = sq[name].map((s, i) => beta2t * s + (1 - beta2t) * g2[i]);
        u = g[name].map((x, i) => x / Math.sqrt(sq[name][i]));
      }
      const divisor = Math.max(rmsOf(u) / clip, 1);
      if (divisor > 1) clipped++;
      u = u.map((x) => (x / divisor) * rate);
      if (beta1 !== null) {
        m[name] ??= u.map(() => 0);
        m[name] = m[name].map((a, i) => beta1 * a + (1 - beta1) * u[i]);
        u = m[name];
      }
      p[name] = p[name].map((x, i) => x - wd * rate * x - u[i]);
    }
  }
  return { params: p, row, col, sq, expAvg: m, clipped };
}

// ---- tests ---------------------------------------------------------------------------------------------------

describe("schedules", () => {
  test("constant, with and without warmup", () => {
    const flat = makeSchedule({ kind: "constant", peak: 1e-3 });
    assert.equal(flat(0), 1e-3);
    assert.equal(flat(1000), 1e-3);
    const warm = makeSchedule({ kind: "constant", peak: 1e-3, warmupSteps: 10 });
    assert.equal(warm(0), 0);
    assert.ok(Math.abs(warm(5) - 5e-4) < 1e-15);
    assert.equal(warm(10), 1e-3);
    assert.equal(warm(500), 1e-3);
  });

  test("linear with warmup reaches 0 at totalSteps (HF get_linear_schedule_with_warmup)", () => {
    const s = makeSchedule({ kind: "linear", peak: 2, warmupSteps: 10, totalSteps: 110 });
    const expected: [number, number][] = [[0, 0], [1, 0.2], [5, 1], [10, 2], [35, 1.5], [60, 1], [109, 0.02], [110, 0], [200, 0]];
    for (const [step, lr] of expected) assert.ok(Math.abs(s(step) - lr) < 1e-12, `step ${step}: ${s(step)} vs ${lr}`);
    const noWarmup = makeSchedule({ kind: "linear", peak: 1, totalSteps: 4 });
    assert.deepEqual([0, 1, 2, 3, 4].map(noWarmup), [1, 0.75, 0.5, 0.25, 0]);
  });

  test("cosine with warmup, half a cycle (HF get_cosine_schedule_with_warmup)", () => {
    const s = makeSchedule({ kind: "cosine", peak: 1, warmupSteps: 10, totalSteps: 110 });
    const expected: [number, number][] = [
      [0, 0],
      [5, 0.5],
      [10, 1],
      [35, 0.5 * (1 + Math.SQRT1_2)], // progress 1/4: 0.5 (1 + cos(pi/4)) = 0.853553
      [60, 0.5],
      [85, 0.5 * (1 - Math.SQRT1_2)],
      [110, 0],
      [150, 0.5 * (1 + Math.cos(Math.PI * 1.4))], // past totalSteps HF's cosine rises again (0.345); we keep that
    ];
    for (const [step, lr] of expected) assert.ok(Math.abs(s(step) - lr) < 1e-12, `step ${step}: ${s(step)} vs ${lr}`);
  });

  test("inverse square root (HF get_inverse_sqrt_schedule: timescale = warmup, or 10000)", () => {
    const s = makeSchedule({ kind: "inverse_sqrt", peak: 1, warmupSteps: 100 });
    const expected: [number, number][] = [[0, 0], [50, 0.5], [100, 1], [400, 0.5], [2500, 0.2]];
    for (const [step, lr] of expected) assert.ok(Math.abs(s(step) - lr) < 1e-12, `step ${step}: ${s(step)} vs ${lr}`);
    const noWarmup = makeSchedule({ kind: "inverse_sqrt", peak: 0.01 });
    assert.equal(noWarmup(0), 0.01);
    assert.ok(Math.abs(noWarmup(30_000) - 0.005) < 1e-15);
  });

  test("bad options are refused with a message", () => {
    assert.throws(() => makeSchedule({ kind: "linear", peak: 1, warmupSteps: 10 }), /needs totalSteps/);
    assert.throws(() => makeSchedule({ kind: "cosine", peak: 1, warmupSteps: 10, totalSteps: 5 }), /exceeds totalSteps/);
    assert.throws(() => makeSchedule({ kind: "nope" as "linear", peak: 1, totalSteps: 5 }), /unknown schedule/);
    assert.throws(() => makeSchedule({ kind: "constant", peak: 1 })(-1), /step must be/);
  });
});

for (const backend of TEST_BACKENDS) {
  describe(`optimizers on ${backend}`, () => {
    before(async () => {
      await useBackend(backend);
    });

    test("AdamW matches torch.optim.AdamW for 3 steps", () => {
      const options = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };
      const variables = makeVariables();
      const optimizer = new AdamW(); // the defaults are torch's, plus weight_decay 0.01
      assert.deepEqual([optimizer.beta1, optimizer.beta2, optimizer.eps, optimizer.weightDecay], [0.9, 0.999, 1e-8, 0.01]);
      runSteps(optimizer, variables, 1, 3, 0.05);
      const expected = referenceAdamW(3, 0.05, options);
      assertUpdatesClose(read(variables), expected.params);
      const state = optimizer.state();
      assertClose(state["layer.weight.exp_avg"].dataSync(), expected.expAvg["layer.weight"], 1e-5, "exp_avg");
      assertClose(state["norm.weight.exp_avg_sq"].dataSync(), expected.expAvgSq["norm.weight"], 1e-5, "exp_avg_sq");
      assert.equal(state["optimizer.adamw.step"].dataSync()[0], 3);
      assert.equal(state["layer.weight.step"].dataSync()[0], 3);
      assert.equal(optimizer.stepCount, 3);
      disposeGradients(state);
      optimizer.dispose();
      disposeVariables(variables);
    });

    test("AdamW without weight decay, other betas", () => {
      const options = { beta1: 0.5, beta2: 0.9, eps: 1e-3, weightDecay: 0 };
      const variables = makeVariables();
      const optimizer = new AdamW(options);
      runSteps(optimizer, variables, 1, 3, 0.01);
      assertUpdatesClose(read(variables), referenceAdamW(3, 0.01, options).params);
      optimizer.dispose();
      disposeVariables(variables);
    });

    const adafactorCases: [string, AdafactorOptions, number][] = [
      ["T5 fine-tuning defaults (lr 1e-2 given)", {}, 1e-2],
      ["beta1, weight decay, scale_parameter", { beta1: 0.9, weightDecay: 0.1, scaleParameter: true }, 3e-2],
      ["relative_step (the given lr is ignored)", { relativeStep: true, scaleParameter: true }, 123],
      ["relative_step with warmup_init, clip threshold 0.5", { relativeStep: true, warmupInit: true, clipThreshold: 0.5 }, 0],
    ];
    for (const [label, options, lr] of adafactorCases) {
      test(`Adafactor matches transformers' Adafactor for 3 steps: ${label}`, () => {
        const variables = makeVariables();
        const optimizer = new Adafactor(options);
        runSteps(optimizer, variables, 1, 3, lr);
        const expected = referenceAdafactor(3, lr, options);
        assert.ok(expected.clipped > 0, "the case should exercise update clipping");
        // warmup_init moves by ~1e-6, a few float32 ulps of the parameters: compare those absolutely
        assertUpdatesClose(read(variables), expected.params, 5e-4, options.warmupInit ? 3e-7 : 1e-6);
        const state = optimizer.state();
        // the matrix keeps factored row/col moments, the vector a full one
        assert.deepEqual(state["layer.weight.exp_avg_sq_row"].shape, [2]);
        assert.deepEqual(state["layer.weight.exp_avg_sq_col"].shape, [3]);
        assert.equal(state["layer.weight.exp_avg_sq"], undefined);
        assert.deepEqual(state["norm.weight.exp_avg_sq"].shape, [3]);
        assertClose(state["layer.weight.exp_avg_sq_row"].dataSync(), expected.row["layer.weight"], 1e-5, "row");
        assertClose(state["layer.weight.exp_avg_sq_col"].dataSync(), expected.col["layer.weight"], 1e-5, "col");
        assertClose(state["norm.weight.exp_avg_sq"].dataSync(), expected.sq["norm.weight"], 1e-5, "exp_avg_sq");
        assert.equal("layer.weight.exp_avg" in state, options.beta1 !== undefined);
        disposeGradients(state);
        optimizer.dispose();
        disposeVariables(variables);
      });
    }

    test("Adafactor refuses inconsistent options", () => {
      assert.throws(() => new Adafactor({ warmupInit: true }), /warmupInit requires relativeStep/);
      assert.throws(() => new Adafactor({ beta1: 1 }), /beta1/);
    });

    for (const kind of ["adamw", "adafactor"] as const) {
      test(`${kind}: 3 steps, state through safetensors into a new optimizer, 2 more = 5 steps straight`, () => {
        const options = kind === "adamw" ? { kind } : { kind, beta1: 0.9, weightDecay: 0.01 };
        const straight = makeVariables();
        const first = makeOptimizer(options);
        runSteps(first, straight, 1, 5, 0.02);

        const resumed = makeVariables();
        const before = makeOptimizer(options);
        runSteps(before, resumed, 1, 3, 0.02);
        const state = before.state();
        const host = Object.fromEntries(
          Object.entries(state).map(([name, t]) => [name, { shape: t.shape, data: t.dataSync() as Float32Array }]),
        );
        const file = parseSafetensors(serializeSafetensors(host), "optimizer.safetensors");
        disposeGradients(state);
        before.dispose();
        const loaded = Object.fromEntries(Object.entries(file.tensors).map(([name, t]) => [name, tf.tensor(t.data, t.shape)]));
        const after = makeOptimizer(options);
        after.loadState(loaded);
        disposeGradients(loaded);
        assert.equal(after.stepCount, 3);
        runSteps(after, resumed, 4, 5, 0.02);
        assert.equal(after.stepCount, 5);
        assert.deepEqual(read(resumed), read(straight));

        const other = makeOptimizer({ kind: kind === "adamw" ? "adafactor" : "adamw" });
        const afterState = after.state();
        assert.throws(() => other.loadState(afterState), new RegExp(`this is ${kind} state`));
        assert.throws(() => after.loadState({ ...afterState, "x.velocity": afterState["layer.weight.step"] }), /not .* state/);
        assert.equal(after.stepCount, 5, "a refused load leaves the optimizer as it was");
        disposeGradients(afterState);
        other.dispose();
        [first, after].forEach((o) => o.dispose());
        disposeVariables(straight);
        disposeVariables(resumed);
      });
    }

    test("variables without a gradient are left alone and keep their own step count", () => {
      const variables = makeVariables();
      const optimizer = new AdamW({ weightDecay: 0 });
      const grads = gradTensors({ "norm.weight": gradsAt(1)["norm.weight"] });
      optimizer.step(grads, variables, 0.1);
      assert.deepEqual(read(variables)["layer.weight"], Array.from(new Float32Array(START["layer.weight"])));
      const state = optimizer.state();
      assert.deepEqual(Object.keys(state).sort(), ["norm.weight.exp_avg", "norm.weight.exp_avg_sq", "norm.weight.step", "optimizer.adamw.step"]);
      disposeGradients(state);
      assert.throws(() => optimizer.step({ nope: grads["norm.weight"] }, variables, 0.1), /not among the parameters/);
      disposeGradients(grads);
      optimizer.dispose();
      disposeVariables(variables);
    });

    test("clipGradNorm: returns the pre-clip norm and scales as torch does", () => {
      const grads = { a: tf.tensor1d([3, 4]), b: tf.tensor2d([[0, 0], [0, 12]]) };
      assert.ok(Math.abs(globalNorm(grads) - 13) < 1e-5);
      const kept = clipGradNorm({ ...grads }, 100);
      assert.ok(Math.abs(kept.norm - 13) < 1e-5);
      assert.equal(kept.grads.a, grads.a); // no scaling needed: the same tensors come back
      const clipped = clipGradNorm(kept.grads, 1);
      assert.ok(Math.abs(clipped.norm - 13) < 1e-5);
      assert.ok(grads.a.isDisposed && grads.b.isDisposed, "the input gradients are consumed");
      const scale = 1 / (13 + 1e-6);
      assertClose(clipped.grads.a.dataSync(), [3 * scale, 4 * scale], 1e-6, "a");
      assertClose(clipped.grads.b.dataSync(), [0, 0, 0, 12 * scale], 1e-6, "b");
      assert.ok(Math.abs(globalNorm(clipped.grads) - 1) < 1e-5);
      disposeGradients(clipped.grads);
      assert.throws(() => clipGradNorm({}, 0), /maxNorm/);
    });

    test("computeGradients keys gradients by map name; accumulate and scale", () => {
      const w = tf.variable(tf.tensor1d([1, 2, 3]));
      const frozen = tf.variable(tf.scalar(5), false);
      const unused = tf.variable(tf.tensor1d([7]));
      const x = tf.tensor1d([0.5, -1, 2]);
      const variables = trainableVariableMap({ "enc.w": w, "enc.frozen": frozen, "enc.unused": unused, plain: x });
      assert.deepEqual(Object.keys(variables), ["enc.unused", "enc.w"]);
      // loss = sum((w * x)^2) * frozen: d/dw = 2 w x^2 frozen
      const loss = () => tf.mul(tf.sum(tf.square(tf.mul(w, x))), frozen) as tf.Scalar;
      const first = computeGradients(loss, { ...variables, "enc.frozen": frozen });
      assert.ok(Math.abs(first.loss - 5 * (0.25 + 4 + 36)) < 1e-4);
      assert.deepEqual(Object.keys(first.grads), ["enc.w"]); // no gradient for the unused or the frozen one
      assertClose(first.grads["enc.w"].dataSync(), [2 * 1 * 0.25 * 5, 2 * 2 * 1 * 5, 2 * 3 * 4 * 5], 1e-6, "grad");
      const second = computeGradients(loss, variables);
      const mean = scaleGradients(accumulateGradients(accumulateGradients(undefined, first.grads), second.grads), 0.5);
      assertClose(mean["enc.w"].dataSync(), [2.5, 20, 120], 1e-6, "mean grad");
      assert.ok(first.grads["enc.w"].isDisposed && second.grads["enc.w"].isDisposed);
      disposeGradients(mean);
      [w, frozen, unused, x].forEach((t) => t.dispose());
    });

    for (const kind of ["adamw", "adafactor"] as const) {
      test(`${kind}: no tensor leaks over 50 steps of gradients, clipping and updates`, () => {
        const variables = makeVariables();
        const optimizer = makeOptimizer({ kind, ...(kind === "adafactor" ? { beta1: 0.9 } : {}) });
        const target = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
        const schedule = makeSchedule({ kind: "linear", peak: 1e-2, warmupSteps: 5, totalSteps: 60 });
        const oneStep = (step: number) => {
          const { grads } = computeGradients(
            () => tf.add(tf.sum(tf.squaredDifference(variables["layer.weight"], target)), tf.sum(tf.square(variables["norm.weight"]))) as tf.Scalar,
            variables,
          );
          const clipped = clipGradNorm(grads, 1.0);
          optimizer.step(clipped.grads, variables, schedule(step));
          disposeGradients(clipped.grads);
        };
        oneStep(0); // creates the state
        const tensorsAfterFirst = tf.memory().numTensors;
        for (let step = 1; step <= 50; step++) oneStep(step);
        assert.equal(tf.memory().numTensors, tensorsAfterFirst);
        optimizer.dispose();
        target.dispose();
        disposeVariables(variables);
      });
    }

    for (const [kind, lr] of [["adamw", 0.1], ["adafactor", 0.1]] as const) {
      test(`${kind} minimises a quadratic`, () => {
        const variables = makeVariables();
        const optimizer = makeOptimizer({ kind, ...(kind === "adamw" ? { weightDecay: 0 } : {}) });
        const target = { "layer.weight": tf.tensor2d([[1, -2, 3], [0.5, 0, -1]]), "norm.weight": tf.tensor1d([2, 2, -3]) };
        const loss = () =>
          tf.add(
            tf.sum(tf.squaredDifference(variables["layer.weight"], target["layer.weight"])),
            tf.sum(tf.squaredDifference(variables["norm.weight"], target["norm.weight"])),
          ) as tf.Scalar;
        const schedule = makeSchedule({ kind: "cosine", peak: lr, warmupSteps: 10, totalSteps: 300 });
        let first = NaN;
        let last = NaN;
        for (let step = 0; step < 300; step++) {
          const { loss: value, grads } = computeGradients(loss, variables);
          if (step === 0) first = value;
          last = value;
          optimizer.step(grads, variables, schedule(step));
          disposeGradients(grads);
        }
        assert.ok(last < first * 1e-3, `loss ${first} -> ${last}`);
        optimizer.dispose();
        disposeGradients(target);
        disposeVariables(variables);
      });
    }
  });
}
