// Score a model on several tasks two ways: on the answers it generates (the task's own metric), and on likelihoods
// (rank classification over a fixed label set; teacher-forced token accuracy). A model that "forgot" may only have
// lost the answer format while the knowledge is still there: the two kinds of score tell these apart.
import { collate } from "../../data/collate";
import { getTask, loadRecords } from "../tasks/registry";
import { Split } from "../../data/task";
import { TemplateChoice, evalExamples, evaluateExamples, Prediction } from "../../eval/evaluate";
import { rankClassification, teacherForcedAccuracy } from "../../eval/likelihood";
import { normalizeLabel } from "../../eval/metrics";
import { Tokenizer } from "../../io/tokenizer";
import { T5Model } from "../../model/t5";
import { truncateIds } from "../../data/collate";

export interface TaskScore {
  task: string;
  /** The task's primary metric on generated answers. */
  primary: number;
  /** Every metric on generated answers (accuracy, rougeL, f1, formatError, ...). */
  generated: Record<string, number>;
  /** Rank classification accuracy over the task's label set (classification-like tasks only). */
  rankAccuracy?: number;
  /** Share of target tokens predicted right with the reference as decoder input. */
  teacherForcedAccuracy: number;
  /** Mean log-likelihood per target token of the reference answers. */
  meanLogLikelihood: number;
  /** A few predictions to show (the first ones). */
  samples: Prediction[];
}

export interface ScoreOptions {
  split?: Split;
  /** First N records of each task's split. */
  limit: number;
  templates?: TemplateChoice;
  batchSize?: number;
  samples?: number;
  /** Skip the likelihood-based scores (faster). */
  generatedOnly?: boolean;
}

/** Token-weighted teacher-forced accuracy and log-likelihood over examples, in batches. */
function teacherForced(model: T5Model, tokenizer: Tokenizer, pairs: { input: string; target: string }[], maxInput: number, maxTarget: number, batchSize: number) {
  let tokens = 0;
  let correct = 0;
  let logLikelihood = 0;
  for (let start = 0; start < pairs.length; start += batchSize) {
    const batch = collate(
      pairs.slice(start, start + batchSize).map((p) => ({
        inputIds: truncateIds(tokenizer.encode(p.input), maxInput, tokenizer.eosTokenId),
        labels: truncateIds(tokenizer.encode(p.target), maxTarget, tokenizer.eosTokenId),
      })),
    );
    const scores = teacherForcedAccuracy(model, batch);
    tokens += scores.tokens;
    correct += scores.correct;
    logLikelihood += scores.meanLogLikelihood * scores.tokens;
  }
  return { accuracy: correct / tokens, meanLogLikelihood: logLikelihood / tokens };
}

export async function scoreModelOnTask(model: T5Model, tokenizer: Tokenizer, taskName: string, options: ScoreOptions): Promise<TaskScore> {
  const task = getTask(taskName);
  const records = loadRecords(task, options.split ?? "test").records.slice(0, options.limit);
  const examples = evalExamples(task, records, options.templates ?? "training");
  const batchSize = options.batchSize ?? 32;
  const generated = await evaluateExamples(model, tokenizer, task, examples, { batchSize });
  const score: TaskScore = {
    task: taskName,
    primary: generated.primary,
    generated: generated.means,
    teacherForcedAccuracy: NaN,
    meanLogLikelihood: NaN,
    samples: generated.predictions.slice(0, options.samples ?? 3),
  };
  if (options.generatedOnly) return score;
  const pairs = examples.map((e) => ({ input: e.input, target: e.references[0] }));
  const forced = teacherForced(model, tokenizer, pairs, task.maxInputTokens, task.maxTargetTokens, batchSize);
  score.teacherForcedAccuracy = forced.accuracy;
  score.meanLogLikelihood = forced.meanLogLikelihood;
  if (task.labels) {
    const ranked = rankClassification(model, tokenizer, examples.map((e) => e.input), task.labels, {
      batchSize: 8,
      maxInputTokens: task.maxInputTokens,
    });
    const right = ranked.predictions.filter((p, i) => normalizeLabel(p) === normalizeLabel(examples[i].references[0])).length;
    score.rankAccuracy = right / examples.length;
  }
  return score;
}

/** Scores of one model on several tasks, keyed by task. */
export async function scoreModel(model: T5Model, tokenizer: Tokenizer, tasks: readonly string[], options: ScoreOptions): Promise<Record<string, TaskScore>> {
  const out: Record<string, TaskScore> = {};
  for (const task of tasks) out[task] = await scoreModelOnTask(model, tokenizer, task, options);
  return out;
}
