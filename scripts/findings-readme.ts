// Write the README's "What we found" section from committed results (docs/results/*.json), so the section always
// shows measured numbers: one table per notebook, a row per run, the primary metric of every task it was scored on.
//
//   node --import tsx scripts/findings-readme.ts [--from docs/results] [--readme README.md]
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { TASK_NAMES, getTask } from "../src/data/registry";
import { NotebookResults, RunRecord } from "../src/experiments/results";

const START = "<!-- findings:start -->";
const END = "<!-- findings:end -->";

function cell(run: RunRecord, task: string): string {
  const scores = run.scores[task];
  if (!scores) return "";
  const value = scores[getTask(task).primaryMetric];
  return typeof value === "number" ? value.toFixed(3) : "";
}

export function notebookTable(results: NotebookResults): string {
  const tasks = TASK_NAMES.filter((t) => results.runs.some((r) => r.scores[t]));
  const header = ["run", "method", "seed", "trainable params", "train s", ...tasks.map((t) => `${t} (${getTask(t).primaryMetric})`)];
  const rows = results.runs.map((r) => [
    r.name,
    r.method,
    r.seed === null ? "" : String(r.seed),
    r.trainable_params === null ? "" : r.trainable_params.toLocaleString("en-US"),
    r.train_seconds === null ? "" : r.train_seconds.toFixed(0),
    ...tasks.map((t) => cell(r, t)),
  ]);
  return [
    `### ${results.notebook}`,
    "",
    `Profile \`${results.profile}\`, backend ${results.backend}, seeds ${results.seeds.join(", ") || "-"}, ${(results.seconds / 60).toFixed(1)} min, run ${results.started.slice(0, 10)}.`,
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
  ].join("\n");
}

export function findingsSection(all: NotebookResults[]): string {
  const intro =
    all.length === 0
      ? "No results are committed yet: run a notebook with `FLANLAB_PROFILE=full`, copy `build/results/<notebook>.json` to `docs/results/`, and run `node --import tsx scripts/findings-readme.ts`."
      : "Generated from `docs/results/` by `scripts/findings-readme.ts`; the notebooks state the findings in words, derived from these numbers. Scores are on test examples, generated answers, each task's primary metric.";
  return [START, "", intro, "", ...all.map(notebookTable), END].join("\n");
}

function main(): void {
  const { values } = parseArgs({ options: { from: { type: "string", default: "docs/results" }, readme: { type: "string", default: "README.md" } } });
  const dir = values.from!;
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];
  const all = files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as NotebookResults);
  const readme = fs.readFileSync(values.readme!, "utf8");
  const section = findingsSection(all);
  const next = readme.includes(START)
    ? readme.slice(0, readme.indexOf(START)) + section + readme.slice(readme.indexOf(END) + END.length)
    : readme.trimEnd() + "\n\n## What we found\n\n" + section + "\n";
  fs.writeFileSync(values.readme!, next);
  console.log(`${values.readme}: "What we found" written from ${files.length} result file(s) in ${dir}`);
}

if (require.main === module) main();
