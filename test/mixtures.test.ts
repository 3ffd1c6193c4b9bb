import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  deriveSeed,
  equalRate,
  makeMixture,
  Mixture,
  MixtureSampler,
  mixtureShares,
  parseRateSpec,
  proportionalRate,
  sampleMixture,
  TaskSource,
  temperatureRate,
} from "../src/data/mixtures";
import { TaskDefinition, TaskRecord } from "../src/data/task";

/** A small task with `n` records and templates a, b, c (c held out). */
function fakeSource(name: string, n: number, templates = [{ id: "a" }, { id: "b" }, { id: "c", heldOut: true }]): TaskSource {
  const task: TaskDefinition = {
    name,
    description: `fake task ${name}`,
    folder: name,
    templates: templates.map((t) => ({ input: `${t.id}: {text}`, target: "{label}", ...t })),
    fields: (r) => ({ text: String(r.text), label: String(r.label) }),
    validate(record: unknown, where: string): asserts record is TaskRecord {
      if (typeof (record as TaskRecord)?.id !== "string") throw new Error(`${where}: field "id" is missing.`);
    },
    metric: "classification",
    primaryMetric: "accuracy",
    maxInputTokens: 64,
    maxTargetTokens: 8,
  };
  const records = Array.from({ length: n }, (_, i) => ({ id: `${name}-${i}`, text: `text ${i}`, label: i % 2 ? "yes" : "no" }));
  return { task, records };
}

const SIZES = [100, 1000, 10000, 50000];
const sources = SIZES.map((n, i) => fakeSource(`t${i}`, n));
const shares = (mixture: Mixture) => mixtureShares(mixture).map((s) => s.proportion);

function assertClose(actual: number[], expected: number[], tolerance = 1e-6): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tolerance, `share ${i}: ${a} vs ${expected[i]} (all: ${actual.join(", ")})`));
}

test("rate functions: equal, min(n, K), min(n, K)^(1/T)", () => {
  assert.equal(equalRate(123), 1);
  assert.equal(proportionalRate(3000)(100), 100);
  assert.equal(proportionalRate(3000)(50000), 3000);
  assert.equal(proportionalRate()(50000), 50000);
  assert.equal(temperatureRate(2, 3000)(50000), Math.sqrt(3000));
  assert.equal(temperatureRate(1)(777), 777);
  assert.throws(() => temperatureRate(0), /temperature must be a positive number/);
  assert.throws(() => proportionalRate(0), /cap K must be positive/);
});

test("mixture shares against hand-computed values for several K and T (sizes 100, 1k, 10k, 50k)", () => {
  assertClose(shares(makeMixture("eq", sources, equalRate)), [0.25, 0.25, 0.25, 0.25]);
  // min(n, 3000) = 100, 1000, 3000, 3000; sum 7100
  assertClose(shares(makeMixture("p3000", sources, proportionalRate(3000))), [0.014085, 0.140845, 0.422535, 0.422535]);
  // no cap: n / 61100
  assertClose(shares(makeMixture("p", sources, proportionalRate())), [0.001637, 0.016367, 0.163666, 0.818331]);
  // sqrt(min(n, 3000)) = 10, 31.623, 54.772, 54.772; sum 151.167
  assertClose(shares(makeMixture("t2", sources, temperatureRate(2, 3000))), [0.066152, 0.209191, 0.362329, 0.362329]);
  // cube roots 4.642, 10, 21.544, 36.840 (no cap)
  assertClose(shares(makeMixture("t3", sources, temperatureRate(3))), [0.063561, 0.136937, 0.295022, 0.50448]);
  // sqrt(min(n, 500)) = 10, 22.36 x3
  assertClose(shares(makeMixture("t2k500", sources, temperatureRate(2, 500))), [0.129732, 0.290089, 0.290089, 0.290089]);
  // T = 1 is proportional; a huge T is equal
  assertClose(shares(makeMixture("t1", sources, temperatureRate(1, 3000))), shares(makeMixture("p3000", sources, proportionalRate(3000))), 1e-12);
  assertClose(shares(makeMixture("thot", sources, temperatureRate(1e9))), [0.25, 0.25, 0.25, 0.25], 1e-6);
});

test("nested mixtures: rates multiply through; a rate function sees the sub-mixture's total examples", () => {
  const [a, b, c] = sources;
  const inner: Mixture = { name: "inner", members: [{ source: a, rate: 1 }, { source: b, rate: 3 }] };
  const outer: Mixture = { name: "outer", members: [{ source: inner, rate: 1 }, { source: c, rate: 1 }] };
  assertClose(shares(outer), [0.125, 0.375, 0.5]);
  // proportional at the top: inner holds 1100 examples, c 10000 -> 1100/11100 to inner, split 1:3 inside
  const proportional: Mixture = { name: "p", members: [{ source: inner, rate: proportionalRate() }, { source: c, rate: proportionalRate() }] };
  assertClose(shares(proportional), [(1100 / 11100) * 0.25, (1100 / 11100) * 0.75, 10000 / 11100], 1e-12);
  const loop: Mixture = { name: "loop", members: [] };
  loop.members.push({ source: a, rate: 1 }, { source: loop, rate: 1 });
  assert.throws(() => mixtureShares(loop), /contains itself/);
  assert.throws(() => mixtureShares({ name: "zero", members: [{ source: a, rate: 0 }] }), /sum to 0/);
  assert.throws(() => mixtureShares({ name: "neg", members: [{ source: a, rate: -1 }] }), /finite number >= 0/);
});

test("realized proportions converge: 20,000 draws within 0.01 of every share", () => {
  for (const rate of [equalRate, proportionalRate(3000), temperatureRate(2, 3000)]) {
    const { report } = sampleMixture(makeMixture("m", sources, rate), 20000, 7);
    for (const row of report) assert.ok(Math.abs(row.realized - row.proportion) < 0.01, `${row.task}: ${row.realized} vs ${row.proportion}`);
    assert.equal(report.reduce((n, r) => n + r.drawn, 0), 20000);
  }
});

test("held-out templates never appear in a training stream; every training template does", () => {
  const { draws } = sampleMixture(makeMixture("m", sources.slice(0, 2), equalRate), 5000, 3);
  const used = new Set(draws.map((d) => d.template.id));
  assert.deepEqual([...used].sort(), ["a", "b"]);
  for (const d of draws) {
    assert.ok(!d.template.heldOut);
    assert.equal(d.example.templateId, d.template.id);
    assert.equal(d.example.input, `${d.template.id}: ${d.record.text}`);
    assert.equal(d.example.recordId, d.record.id);
  }
  const onlyHeldOut = fakeSource("x", 3, [{ id: "h", heldOut: true }]);
  assert.throws(() => new MixtureSampler(makeMixture("m", [onlyHeldOut]), 1), /no training templates/);
});

test("the stream is deterministic for a seed, different across seeds, and walks each task's records without replacement", () => {
  const mixture = makeMixture("m", sources.slice(0, 3), proportionalRate(3000));
  const key = (seed: number) => sampleMixture(mixture, 300, seed).draws.map((d) => `${d.record.id}/${d.template.id}`);
  assert.deepEqual(key(11), key(11));
  assert.notDeepEqual(key(11), key(12));
  const small = fakeSource("small", 10);
  const { draws, report } = sampleMixture(makeMixture("one", [small]), 25, 5);
  assert.equal(new Set(draws.slice(0, 10).map((d) => d.record.id)).size, 10);
  assert.equal(new Set(draws.slice(10, 20).map((d) => d.record.id)).size, 10);
  assert.notDeepEqual(draws.slice(0, 10).map((d) => d.record.id), draws.slice(10, 20).map((d) => d.record.id));
  assert.equal(report[0].epochs, 2.5);
});

test("parseRateSpec reads the CLI forms and names what is wrong", () => {
  assert.equal(parseRateSpec("equal").kind, "equal");
  const p = parseRateSpec("proportional:3000");
  assert.deepEqual([p.kind, p.cap, p.rate(5000), p.text], ["proportional", 3000, 3000, "proportional:3000"]);
  assert.equal(parseRateSpec("proportional:inf").rate(123456), 123456);
  const t = parseRateSpec("temperature:2,3000");
  assert.deepEqual([t.temperature, t.cap, t.rate(10000), t.text], [2, 3000, Math.sqrt(3000), "temperature:2,3000"]);
  assert.equal(parseRateSpec("temperature:3").cap, Infinity);
  assert.throws(() => parseRateSpec("proportional"), /the cap K is missing/);
  assert.throws(() => parseRateSpec("proportional:-3"), /must be a positive number/);
  assert.throws(() => parseRateSpec("temperature:x"), /the temperature T must be a positive number, got "x"/);
  assert.throws(() => parseRateSpec("temperature:2,3,4"), /too many parameters/);
  assert.throws(() => parseRateSpec("uniform"), /unknown rate "uniform".*equal \| proportional:K \| temperature:T\[,K\]/);
  assert.throws(() => parseRateSpec("equal:2"), /takes no parameters/);
});

test("deriveSeed: stable, and different for different names", () => {
  assert.equal(deriveSeed(1, "a", "train"), deriveSeed(1, "a", "train"));
  assert.notEqual(deriveSeed(1, "a", "train"), deriveSeed(1, "a", "test"));
  assert.notEqual(deriveSeed(1, "a"), deriveSeed(2, "a"));
  assert.ok(Number.isInteger(deriveSeed(5, "x")) && deriveSeed(5, "x") >= 0 && deriveSeed(5, "x") < 2 ** 32);
});
