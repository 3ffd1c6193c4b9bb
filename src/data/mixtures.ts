// Mixtures, as seqio and FLAN make them: tasks (or other mixtures) with rates, and a seeded sampler over them.
//
// A rate is a plain function of how many examples a member has. A member's share of the stream is its rate divided
// by the sum of its siblings' rates; a nested mixture passes its share down to its own members, so rates multiply
// through. The rate functions follow the T5 paper (Raffel et al. 2020, section 3.5.2 and Table 11):
//   equal                     r = 1
//   examples-proportional     r = min(n, K)          (K, the "artificial data set size limit", stops big tasks dominating)
//   temperature-scaled        r = min(n, K)^(1/T)    (T = 1 is proportional; large T tends to equal)
import { Random } from "../random";
import { TaskDefinition, TaskRecord, Template, TextExample } from "./task";
import { renderExample, trainingTemplates } from "./templates";

/** A rate function: how much weight a member with `numExamples` examples gets before normalization. */
export type RateFunction = (numExamples: number) => number;

/** Every task at the same rate, whatever its size. */
export const equalRate: RateFunction = () => 1;

/** Examples-proportional mixing with an artificial limit K: rate = min(n, K). K = Infinity: plain proportional. */
export function proportionalRate(cap = Infinity): RateFunction {
  checkCap(cap);
  return (n) => Math.min(n, cap);
}

/** Temperature-scaled mixing: rate = min(n, K)^(1/T). */
export function temperatureRate(temperature: number, cap = Infinity): RateFunction {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`temperature must be a positive number, got ${temperature}.`);
  checkCap(cap);
  return (n) => Math.pow(Math.min(n, cap), 1 / temperature);
}

function checkCap(cap: number): void {
  if (!(cap > 0)) throw new Error(`the examples cap K must be positive, got ${cap}.`);
}

/** A task with the records it draws from (one split, usually train). */
export interface TaskSource {
  task: TaskDefinition;
  records: readonly TaskRecord[];
}

export interface MixtureMember {
  source: TaskSource | Mixture;
  /** A fixed rate, or a function of the member's example count. */
  rate: number | RateFunction;
}

/** Tasks with their records and a sampling rate each: what a multi-task training stream draws from. */
export interface Mixture {
  name: string;
  members: MixtureMember[];
}

export function isMixture(source: TaskSource | Mixture): source is Mixture {
  return (source as Mixture).members !== undefined;
}

/** A mixture whose members all use one rate function (the usual case). */
export function makeMixture(name: string, sources: readonly (TaskSource | Mixture)[], rate: number | RateFunction = equalRate): Mixture {
  return { name, members: sources.map((source) => ({ source, rate })) };
}

/** Examples a member holds: a task's records, or everything under a mixture. */
export function numExamples(source: TaskSource | Mixture): number {
  return isMixture(source) ? source.members.reduce((sum, m) => sum + numExamples(m.source), 0) : source.records.length;
}

function memberRate(member: MixtureMember, where: string): number {
  const rate = typeof member.rate === "number" ? member.rate : member.rate(numExamples(member.source));
  if (!(rate >= 0) || !Number.isFinite(rate)) throw new Error(`${where}: rate must be a finite number >= 0, got ${rate}.`);
  return rate;
}

/** A task's place in the flattened mixture. */
export interface TaskShare {
  task: TaskDefinition;
  records: readonly TaskRecord[];
  /** Share of the stream, all shares summing to 1. */
  proportion: number;
}

/**
 * Flatten a mixture to one share per task: each member gets rate / (sum of its siblings' rates) of its parent's
 * share. A task reached along several paths gets the sum (it must then draw from the same records).
 */
export function mixtureShares(mixture: Mixture): TaskShare[] {
  const shares = new Map<string, TaskShare>();
  const visit = (m: Mixture, share: number, trail: string[]): void => {
    if (trail.includes(m.name)) throw new Error(`mixture "${m.name}" contains itself (${[...trail, m.name].join(" > ")}).`);
    if (m.members.length === 0) throw new Error(`mixture "${m.name}" has no members.`);
    const rates = m.members.map((member, i) => memberRate(member, `mixture "${m.name}" member ${i + 1}`));
    const total = rates.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new Error(`mixture "${m.name}": the rates of its members sum to 0.`);
    m.members.forEach((member, i) => {
      const part = (share * rates[i]) / total;
      if (isMixture(member.source)) {
        visit(member.source, part, [...trail, m.name]);
        return;
      }
      const { task, records } = member.source;
      const seen = shares.get(task.name);
      if (seen && seen.records !== records) throw new Error(`mixture "${m.name}": task "${task.name}" appears twice with different records.`);
      if (seen) seen.proportion += part;
      else shares.set(task.name, { task, records, proportion: part });
    });
  };
  visit(mixture, 1, []);
  return [...shares.values()];
}

// ---- CLI rate specs ------------------------------------------------------------------------------------------

export interface RateSpec {
  kind: "equal" | "proportional" | "temperature";
  cap: number;
  temperature: number;
  rate: RateFunction;
  /** The spec written back, e.g. "temperature:2,3000". */
  text: string;
}

export const RATE_SPEC_HELP = "equal | proportional:K | temperature:T[,K]";

/** Parse `equal`, `proportional:K` (K may be "inf") or `temperature:T[,K]`. */
export function parseRateSpec(spec: string): RateSpec {
  const text = spec.trim();
  const bad = (why: string): never => {
    throw new Error(`rate "${spec}": ${why}. Expected ${RATE_SPEC_HELP}, e.g. proportional:3000 or temperature:2,3000.`);
  };
  const number = (value: string | undefined, what: string): number => {
    if (value === undefined || value.trim() === "") return bad(`${what} is missing`);
    const v = /^inf(inity)?$/i.test(value.trim()) ? Infinity : Number(value);
    if (!(v > 0)) return bad(`${what} must be a positive number, got "${value}"`);
    return v;
  };
  const [kind, rest] = text.split(/:(.*)/s, 2);
  if (kind === "equal") {
    if (rest !== undefined) bad("equal takes no parameters");
    return { kind, cap: Infinity, temperature: 1, rate: equalRate, text: "equal" };
  }
  if (kind === "proportional") {
    const cap = number(rest, "the cap K");
    return { kind, cap, temperature: 1, rate: proportionalRate(cap), text: `proportional:${cap}` };
  }
  if (kind === "temperature") {
    if (rest === undefined) return bad("the temperature T is missing");
    const parts = rest.split(",");
    if (parts.length > 2) bad("too many parameters");
    const temperature = number(parts[0], "the temperature T");
    const cap = parts.length === 2 ? number(parts[1], "the cap K") : Infinity;
    return { kind, cap, temperature, rate: temperatureRate(temperature, cap), text: `temperature:${temperature}${cap === Infinity ? "" : `,${cap}`}` };
  }
  return bad(`unknown rate "${kind}"`);
}

// ---- sampling ------------------------------------------------------------------------------------------------

/** One draw of a mixture stream. */
export interface MixtureDraw {
  task: TaskDefinition;
  record: TaskRecord;
  template: Template;
  example: TextExample;
}

/** Derive an independent 32-bit seed from a seed and names (FNV-1a over the text), e.g. per task or split. */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of [String(seed), ...parts.map(String)].join("\u0000")) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A deterministic stream of (task, record, template) for a seed. The task of each draw is picked by its share; each
 * task walks through its records in a seeded order, reshuffled every epoch (as seqio repeats and shuffles a task's
 * dataset); the template is drawn uniformly from the task's training templates, so held-out templates never appear.
 */
export class MixtureSampler {
  readonly shares: readonly TaskShare[];
  private readonly choose: Random;
  private readonly cursors: { random: Random; order: number[]; next: number; epoch: number; templates: Template[] }[];
  private readonly counts: number[];
  private drawn = 0;

  constructor(mixture: Mixture, readonly seed: number) {
    this.shares = mixtureShares(mixture).filter((s) => s.proportion > 0);
    this.choose = new Random(deriveSeed(seed, "mixture", mixture.name));
    this.cursors = this.shares.map(({ task, records }) => {
      if (records.length === 0) throw new Error(`mixture "${mixture.name}": task "${task.name}" has no records to draw from.`);
      const templates = trainingTemplates(task);
      if (templates.length === 0) throw new Error(`task "${task.name}" has no training templates (all ${task.templates.length} are held out).`);
      return { random: new Random(deriveSeed(seed, "task", task.name)), order: [], next: 0, epoch: 0, templates };
    });
    this.counts = this.shares.map(() => 0);
  }

  next(): MixtureDraw {
    const i = this.choose.weightedIndex(this.shares.map((s) => s.proportion));
    const cursor = this.cursors[i];
    const { task, records } = this.shares[i];
    if (cursor.next >= cursor.order.length) {
      cursor.order = cursor.random.shuffle(records.map((_, j) => j));
      cursor.next = 0;
      cursor.epoch++;
    }
    const record = records[cursor.order[cursor.next++]];
    const template = cursor.random.pick(cursor.templates);
    this.counts[i]++;
    this.drawn++;
    return { task, record, template, example: renderExample(task, record, template) };
  }

  take(n: number): MixtureDraw[] {
    return Array.from({ length: n }, () => this.next());
  }

  /** Per task: the share asked for, how many draws it got and the share it realized so far. */
  report(): { task: string; proportion: number; drawn: number; realized: number; epochs: number }[] {
    return this.shares.map((s, i) => ({
      task: s.task.name,
      proportion: s.proportion,
      drawn: this.counts[i],
      realized: this.drawn === 0 ? 0 : this.counts[i] / this.drawn,
      epochs: this.cursors[i].epoch === 0 ? 0 : this.cursors[i].epoch - 1 + this.cursors[i].next / s.records.length,
    }));
  }
}

/** Draw n examples from a mixture with a seed, with the report of what was drawn from each task. */
export function sampleMixture(mixture: Mixture, n: number, seed: number): { draws: MixtureDraw[]; report: ReturnType<MixtureSampler["report"]> } {
  const sampler = new MixtureSampler(mixture, seed);
  const draws = sampler.take(n);
  return { draws, report: sampler.report() };
}
