// Notebook 04's trajectory findings: when each run had learned most of what it learns (90% of its final gain over
// the base) and what it had forgotten by then and at the end; whether LoRA's curve lies left of full fine-tuning's
// (forgets less at equal learning) where the two overlap in learning; and the Lab 2 adapter's gain as a share of
// full fine-tuning's.
import { percent } from "./common";

/** A run's curve in the learning-vs-forgetting plane, in training order, the base (step 0) first. */
export interface CurveLine {
  name: string;
  /** Seeds averaged into the points. */
  seeds: number;
  points: { step: number; learning: number; forgetting: number }[];
}

/** Share of the final gain that counts as "learned most of it". */
export const REACH_SHARE = 0.9;

/** Forgetting gaps smaller than this (at equal learning, no interval) count as "about the same". */
export const CURVE_TOLERANCE = 0.01;

/** When a run reached REACH_SHARE of its final gain over the base, and its forgetting then and at the end; null step when it never gained. */
export interface Reach {
  name: string;
  start: number;
  final: number;
  gain: number;
  /** The learning level of REACH_SHARE of the gain: start + REACH_SHARE x gain. */
  level: number;
  /** The first checkpoint at or above the level (null when the gain is not positive). */
  step: number | null;
  /** Its 1-based index among the checkpoints (the base not counted), and their number. */
  checkpoint: number | null;
  checkpoints: number;
  lastStep: number;
  forgettingThen: number | null;
  forgettingEnd: number;
}

function checkLine(line: CurveLine): void {
  if (line.points.length < 2) throw new Error(`curve ${line.name}: needs the base and at least one checkpoint.`);
}

/** When `line` reached REACH_SHARE of its final gain, and its forgetting then and at the end. */
export function reachOf(line: CurveLine): Reach {
  checkLine(line);
  const [start, ...checkpoints] = line.points;
  const end = checkpoints[checkpoints.length - 1];
  const gain = end.learning - start.learning;
  const level = start.learning + REACH_SHARE * gain;
  const index = gain > 0 ? checkpoints.findIndex((p) => p.learning >= level) : -1;
  const at = index >= 0 ? checkpoints[index] : undefined;
  return {
    name: line.name,
    start: start.learning,
    final: end.learning,
    gain,
    level,
    step: at ? at.step : null,
    checkpoint: at ? index + 1 : null,
    checkpoints: checkpoints.length,
    lastStep: end.step,
    forgettingThen: at ? at.forgetting : null,
    forgettingEnd: end.forgetting,
  };
}

/**
 * The forgetting of a curve when it first reached learning `level`, interpolated linearly between the two points
 * that straddle it; undefined when it never reached it. (A curve need not rise steadily: "first reached" is what
 * the run had paid to get there.)
 */
export function forgettingAtLearning(line: CurveLine, level: number): number | undefined {
  const p = line.points;
  if (p.length > 0 && p[0].learning >= level) return p[0].forgetting;
  for (let i = 1; i < p.length; i++) {
    if (p[i].learning >= level) {
      const a = p[i - 1];
      const b = p[i];
      const t = b.learning === a.learning ? 1 : (level - a.learning) / (b.learning - a.learning);
      return a.forgetting + t * (b.forgetting - a.forgetting);
    }
  }
  return undefined;
}

/** Two curves compared at equal learning, at levels spread over where both rose above their shared start. */
export interface EqualLearning {
  name: string;
  other: string;
  /** Learning levels compared (empty when the curves do not overlap above the start). */
  levels: number[];
  forgetting: number[];
  otherForgetting: number[];
  /** -1: `name` forgot less at every level (left of `other`), 1: more at every level, 0: mixed or within CURVE_TOLERANCE; null: no overlap. */
  direction: -1 | 0 | 1 | null;
}

/**
 * Compare curve a with curve b at equal learning: at `levels` levels evenly spaced above the higher of their
 * starts up to the lower of their best learning (where both curves have been), the forgetting each had when it
 * first got there.
 */
export function compareAtEqualLearning(a: CurveLine, b: CurveLine, levels = 3): EqualLearning {
  checkLine(a);
  checkLine(b);
  const low = Math.max(a.points[0].learning, b.points[0].learning);
  const high = Math.min(Math.max(...a.points.map((p) => p.learning)), Math.max(...b.points.map((p) => p.learning)));
  const out: EqualLearning = { name: a.name, other: b.name, levels: [], forgetting: [], otherForgetting: [], direction: null };
  if (!(high - low > CURVE_TOLERANCE)) return out;
  out.levels = Array.from({ length: levels }, (_, i) => (i === levels - 1 ? high : low + ((i + 1) * (high - low)) / levels));
  out.forgetting = out.levels.map((l) => forgettingAtLearning(a, l) as number);
  out.otherForgetting = out.levels.map((l) => forgettingAtLearning(b, l) as number);
  const gaps = out.forgetting.map((f, i) => f - out.otherForgetting[i]);
  out.direction = gaps.every((g) => g < -CURVE_TOLERANCE) ? -1 : gaps.every((g) => g > CURVE_TOLERANCE) ? 1 : 0;
  return out;
}

/** A run's gain over the base as a share of a reference run's gain (null when the reference did not gain). */
export interface GainShare {
  name: string;
  reference: string;
  base: number;
  value: number;
  referenceValue: number;
  share: number | null;
  /** The share the design asks for. */
  target: number;
}

export function gainShare(r: Omit<GainShare, "share">): GainShare {
  const referenceGain = r.referenceValue - r.base;
  return { ...r, share: referenceGain > 0 ? (r.value - r.base) / referenceGain : null };
}

const f2 = (v: number) => v.toFixed(2);
const f3 = (v: number) => v.toFixed(3);

export function reachSentence(r: Reach, forgettingKind = "generated"): string {
  if (r.step === null) {
    return `**${r.name}** did not gain over the base (ROUGE-L ${f3(r.start)} at the start, ${f3(r.final)} at step ${r.lastStep}): no point at ${percent(REACH_SHARE)} of a gain; ` +
      `${forgettingKind} forgetting at the end ${f3(r.forgettingEnd)}.`;
  }
  const then = r.forgettingThen as number;
  if (r.step === r.lastStep) {
    return `**${r.name}** reached ${percent(REACH_SHARE)} of its final gain (ROUGE-L ${f3(r.start)} to ${f3(r.final)}, so ${f3(r.level)}) only at its last checkpoint ` +
      `(step ${r.step}, checkpoint ${r.checkpoint} of ${r.checkpoints}): it was still learning when the run ended; its ${forgettingKind} forgetting then ${f3(then)}.`;
  }
  const cost = r.forgettingEnd - then;
  return `**${r.name}** reached ${percent(REACH_SHARE)} of its final gain (ROUGE-L ${f3(r.start)} to ${f3(r.final)}, so ${f3(r.level)}) at step ${r.step} of ${r.lastStep} ` +
    `(checkpoint ${r.checkpoint} of ${r.checkpoints}); its ${forgettingKind} forgetting was ${f3(then)} then and ${f3(r.forgettingEnd)} at the end` +
    (Math.abs(cost) <= CURVE_TOLERANCE ? ": the rest of the run cost about nothing more." : cost > 0 ? `: the last ${percent(1 - REACH_SHARE)} of the gain cost ${f3(cost)} more forgetting.` : `: it forgot ${f3(-cost)} less by the end.`);
}

export function equalLearningSentence(c: EqualLearning, forgettingKind: string): string {
  if (c.direction === null) return `**${c.name}** and **${c.other}** do not overlap in learning above the base, so they cannot be compared at equal learning.`;
  const detail = c.levels.map((l, i) => `ROUGE-L ${f3(l)}: ${f3(c.forgetting[i])} vs ${f3(c.otherForgetting[i])}`).join("; ");
  const verdict = c.direction < 0 ? `lies **left of** ${c.other}'s: it forgot less at every level where both curves reach`
    : c.direction > 0 ? `lies **right of** ${c.other}'s: it forgot more at every level where both curves reach`
      : `is not consistently left or right of ${c.other}'s (the gaps change sign or stay within ${CURVE_TOLERANCE})`;
  return `At equal learning, **${c.name}**'s curve ${verdict} (${forgettingKind} forgetting when each first reached the level, ${c.name} vs ${c.other}: ${detail}).`;
}

export function gainShareSentence(g: GainShare, over: string): string {
  const gains = `${g.name} ${f3(g.base)} to ${f3(g.value)} (gain ${f3(g.value - g.base)}), ${g.reference} ${f3(g.base)} to ${f3(g.referenceValue)} (gain ${f3(g.referenceValue - g.base)})`;
  if (g.share === null) return `**${g.name} against ${g.reference}:** ${g.reference} did not gain ROUGE-L over the base, so there is no share to state (${gains}; ${over}).`;
  const met = g.share >= g.target;
  return `**${g.name} against ${g.reference}:** the adapter gained ${percent(g.share)} of full fine-tuning's ROUGE-L gain over the base (${gains}; ${over}). ` +
    (met ? `That meets the design target of at least ${percent(g.target)}.` : `The design target is at least ${percent(g.target)}; this run is ${(100 * (g.target - g.share)).toFixed(0)} percentage points short of it.`);
}

/** What notebook 04's trajectory findings are about. */
export interface TrajectoryFindingsInput {
  /** Every curve (generated forgetting), e.g. full fine-tuning, replay, LoRA runs. */
  lines: readonly CurveLine[];
  /** The same curves with likelihood-based (teacher-forced) forgetting, for the equal-learning comparison. */
  likelihoodLines?: readonly CurveLine[];
  /** The curve the LoRA curves are compared with (full fine-tuning). */
  reference: string;
  /** Curves compared with it at equal learning (the LoRA runs). */
  compared: readonly string[];
  share: GainShare;
  /** What the share is measured on, e.g. "100 test chats, 1 seed". */
  shareOver: string;
}

function lineNamed(lines: readonly CurveLine[], name: string): CurveLine {
  const line = lines.find((l) => l.name === name);
  if (!line) throw new Error(`no curve named "${name}" (curves: ${lines.map((l) => l.name).join(", ")})`);
  return line;
}

/** Notebook 04's trajectory findings, one sentence each: reach per curve, each compared curve at equal learning, the Lab 2 share. */
export function trajectoryFindings(r: TrajectoryFindingsInput): string[] {
  const seeds = [...new Set(r.lines.map((l) => l.seeds))];
  const plural = seeds.length > 1 || seeds[0] !== 1 ? "s" : "";
  const head = `Each curve is ${seeds.length === 1 && seeds[0] === 1 ? "one seed" : `the mean over ${seeds.join(" or ")} seed${plural}`}, without intervals; ` +
    `forgetting gaps under ${CURVE_TOLERANCE} count as equal.`;
  const compare = (lines: readonly CurveLine[], kind: string) =>
    r.compared.filter((n) => n !== r.reference).map((n) => equalLearningSentence(compareAtEqualLearning(lineNamed(lines, n), lineNamed(lines, r.reference)), kind));
  return [
    head,
    ...r.lines.map((l) => reachSentence(reachOf(l))),
    ...compare(r.lines, "generated"),
    ...(r.likelihoodLines ? compare(r.likelihoodLines, "teacher-forced") : []),
    gainShareSentence(r.share, r.shareOver),
  ];
}
