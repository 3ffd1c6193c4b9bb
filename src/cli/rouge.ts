// flanlab rouge: score two files of texts (predictions and references) with ROUGE, as rouge_score does.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { readJsonl } from "../data/jsonl";
import { ROUGE_METRICS, corpusRouge, rougeScores } from "../eval/rouge";
import { Command, fail, integerFlag } from "./common";

/**
 * The texts of a file: one per line for .txt (empty lines count: they are empty texts), or the given field of each
 * line of a .jsonl file (a string, or an array of strings for several references).
 */
export function readTexts(file: string, field: string): (string | string[])[] {
  if (!fs.existsSync(file)) fail(`${file}: file not found.`);
  if (/\.jsonl$/i.test(file)) {
    return readJsonl(file).lines.map(({ line, value }) => {
      const text = (value as Record<string, unknown>)[field];
      if (typeof text === "string") return text;
      if (Array.isArray(text) && text.length > 0 && text.every((t) => typeof t === "string")) return text as string[];
      return fail(`${file}:${line}: field "${field}" must be a string or a list of strings.`);
    });
  }
  const lines = fs.readFileSync(file, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop(); // the final newline ends the last line; it is not a text
  return lines;
}

export const rougeCommand: Command = {
  summary: "score predictions against references with ROUGE-1/2/L/Lsum (Google's rouge_score semantics)",
  usage: [
    "flanlab rouge --predictions FILE --references FILE [--no-stem] [--split-sentences] [--per-example out.jsonl]",
    "              [--bootstrap N --seed S]",
    "  FILE: one text per line (.txt), or JSONL with a `prediction` / `reference` field (a list gives several",
    "  references). With one .jsonl holding both fields, pass it as both. Porter stemming is on unless --no-stem",
    "  (rouge_score's and Hugging Face evaluate's own default is off: say which you used when you compare).",
  ].join("\n"),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        predictions: { type: "string" },
        references: { type: "string" },
        "no-stem": { type: "boolean" },
        "split-sentences": { type: "boolean" },
        "per-example": { type: "string" },
        bootstrap: { type: "string" },
        seed: { type: "string" },
      },
    });
    if (!values.predictions || !values.references) fail("--predictions FILE and --references FILE are required.");
    const predictions = readTexts(values.predictions, "prediction");
    const references = readTexts(values.references, "reference");
    if (predictions.length !== references.length) {
      fail(`${values.predictions} has ${predictions.length} texts but ${values.references} has ${references.length}; they must pair up line by line.`);
    }
    if (predictions.length === 0) fail(`${values.predictions} has no texts.`);
    const predictionTexts = predictions.map((p, i) => (typeof p === "string" ? p : fail(`${values.predictions}: text ${i + 1} is a list; a prediction is one text.`)));
    const options = { useStemmer: !values["no-stem"], splitSentences: values["split-sentences"] ?? false };
    const samples = integerFlag("bootstrap", values.bootstrap);
    const scores = corpusRouge(predictionTexts, references, { ...options, bootstrap: samples ? { samples, seed: integerFlag("seed", values.seed) ?? 0 } : undefined });
    console.log(`${predictions.length} examples, stemming ${options.useStemmer ? "on" : "off"}`);
    for (const metric of ROUGE_METRICS) {
      const s = scores[metric];
      const interval = s.low && s.high ? `  95% CI [${s.low.fmeasure.toFixed(4)}, ${s.high.fmeasure.toFixed(4)}]` : "";
      console.log(`${metric.padEnd(9)} F ${s.fmeasure.toFixed(4)}  P ${s.precision.toFixed(4)}  R ${s.recall.toFixed(4)}${interval}`);
    }
    if (values["per-example"]) {
      fs.mkdirSync(path.dirname(path.resolve(values["per-example"])), { recursive: true });
      const lines = predictionTexts.map((p, i) => JSON.stringify({ prediction: p, reference: references[i], ...rougeScores(p, references[i], options) }));
      fs.writeFileSync(values["per-example"], lines.join("\n") + "\n");
    }
  },
};
