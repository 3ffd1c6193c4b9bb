// Keep a run's results for readers: copy build/results/<notebook>.json to docs/results/, with the closing findings
// the executed notebook wrote (its last Markdown output, derived there from the numbers) as <notebook>.md, and the
// runner's timings.json as timings-<profile>.json. Then `scripts/findings-readme.ts` rewrites the README's section.
//
//   node --import tsx scripts/save-results.ts [--build build] [--to docs/results] [NOTEBOOK ...]
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { NotebookResults } from "../src/lab/experiments/results";

interface NotebookJson {
  cells: { cell_type: string; outputs?: { data?: Record<string, unknown> }[] }[];
}

/** The last Markdown a notebook displayed: by the project's convention, what the numbers showed. */
export function closingMarkdown(notebook: NotebookJson): string | undefined {
  let last: string | undefined;
  for (const cell of notebook.cells) {
    for (const output of cell.outputs ?? []) {
      const markdown = output.data?.["text/markdown"];
      if (typeof markdown === "string") last = markdown;
      else if (Array.isArray(markdown)) last = markdown.join("");
    }
  }
  return last;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

function saveNotebook(name: string, build: string, to: string): void {
  const resultsFile = path.join(build, "results", `${name}.json`);
  const executedFile = path.join(build, "notebooks", `${name}.ipynb`);
  const results = readJson<NotebookResults>(resultsFile);
  if (results.notebook !== name) throw new Error(`${resultsFile}: written by notebook "${results.notebook}", expected "${name}".`);
  const findings = closingMarkdown(readJson<NotebookJson>(executedFile));
  if (findings === undefined) throw new Error(`${executedFile}: no Markdown output, so no findings to keep (did it run to the end?).`);
  fs.copyFileSync(resultsFile, path.join(to, `${name}.json`));
  fs.writeFileSync(path.join(to, `${name}.md`), findings.trimEnd() + "\n");
  console.log(`${name}: ${results.profile} profile, ${results.runs.length} runs, ${(results.seconds / 60).toFixed(1)} min -> ${to}/`);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { build: { type: "string", default: "build" }, to: { type: "string", default: path.join("docs", "results") } },
  });
  const build = values.build!;
  const to = values.to!;
  fs.mkdirSync(to, { recursive: true });
  const names = positionals.length > 0 ? positionals : fs.readdirSync(path.join(build, "results")).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
  for (const name of names) saveNotebook(name, build, to);
  const timingsFile = path.join(build, "notebooks", "timings.json");
  if (fs.existsSync(timingsFile)) {
    const timings = readJson<{ profile: string }>(timingsFile);
    fs.copyFileSync(timingsFile, path.join(to, `timings-${timings.profile}.json`));
    console.log(`run times (${timings.profile} profile) -> ${to}/timings-${timings.profile}.json`);
  }
}

if (require.main === module) main();
