// The training history committed beside a lab base model: one metrics file per stage under <model>/training/
// (copied there from the run folders by scripts/base-card.ts), read back for the model card and notebook 06.
import * as fs from "fs";
import * as path from "path";

/** One stage's training loss every logged step and its evaluations. */
export interface StageCurve {
  /** The file's name without ".metrics.jsonl", e.g. "1-pretrain-span". */
  name: string;
  steps: number[];
  losses: number[];
  /** Training speed at each logged step (NaN where the line has none). */
  tokensPerSecond: number[];
  evaluations: { step: number; values: Record<string, number> }[];
}

/** Where a model keeps its stages' metrics. */
export function stageCurvesDir(modelFolder: string): string {
  return path.join(modelFolder, "training");
}

/** A metrics.jsonl (the trainer's: {step, loss, ...} lines and {step, eval} lines) as a curve. */
export function parseStageMetrics(name: string, text: string, file = name): StageCurve {
  const curve: StageCurve = { name, steps: [], losses: [], tokensPerSecond: [], evaluations: [] };
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let entry: { step?: unknown; loss?: unknown; tokens_per_s?: unknown; eval?: Record<string, number> };
    try {
      entry = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not a JSON line`);
    }
    if (typeof entry.step !== "number") throw new Error(`${file}:${i + 1}: no "step" number`);
    if (entry.eval) curve.evaluations.push({ step: entry.step, values: entry.eval });
    else if (typeof entry.loss === "number") {
      curve.steps.push(entry.step);
      curve.losses.push(entry.loss);
      curve.tokensPerSecond.push(typeof entry.tokens_per_s === "number" ? entry.tokens_per_s : NaN);
    }
  });
  return curve;
}

/** Every stage of a model, in order (the files are numbered), or none when the folder has no history. */
export function loadStageCurves(modelFolder: string): StageCurve[] {
  const dir = stageCurvesDir(modelFolder);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".metrics.jsonl"))
    .sort()
    .map((f) => parseStageMetrics(f.replace(/\.metrics\.jsonl$/, ""), fs.readFileSync(path.join(dir, f), "utf8"), path.join(dir, f)));
}

/** Each stage's training loss as a line, the stages one after another on one step axis (for a figure). */
export function stageLossSeries(curves: readonly StageCurve[]): { name: string; x: number[]; y: number[] }[] {
  let offset = 0;
  return curves.map((curve) => {
    const series = { name: curve.name, x: curve.steps.map((step) => step + offset), y: curve.losses };
    offset += curve.steps[curve.steps.length - 1] ?? 0;
    return series;
  });
}
