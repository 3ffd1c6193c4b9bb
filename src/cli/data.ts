// flanlab data build | inspect | mix: the lab's shipped data sets, a user's data set described, a mixture sampled.
// The lab's generators load only for the subcommands that need them (inspecting a user's file does not).
import { parseArgs } from "util";
import { loadTokenizer } from "../io/tokenizer";
import { Command, READING_USAGE, fail, integerFlag } from "./common";
import { describeReadNotes } from "./data-notes";

/** The `flanlab data` family. */
export const dataCommand: Command = {
  summary: "build, inspect and mix data sets (flanlab data --help)",
  usage: "",
  async run() {},
  subcommands: {
    build: {
      summary: "generate the shipped tasks' JSONL splits, the project tokenizer and the data card",
      usage:
        "flanlab data build [--out DIR (default datasets)] [--seed S] [--vocab-size N (at most N pieces; default 4096)] [--small] [--no-tokenizer]\n" +
        "  Writes DIR/<task>/{train,validation,test}.jsonl and meta.json, DIR/tokenizer/ (needs Debian's spm_train:\n" +
        "  apt-get install sentencepiece) and the data card DIR/README.md. The same seed gives the same bytes.\n" +
        "  --small: 150/20/30 records per task and a 512-piece tokenizer, for a quick look.",
      async run(args) {
        const { values } = parseArgs({
          args,
          options: {
            out: { type: "string" },
            seed: { type: "string" },
            "vocab-size": { type: "string" },
            small: { type: "boolean" },
            "no-tokenizer": { type: "boolean" },
          },
        });
        const build = await import("../lab/corpus/build");
        const seed = integerFlag("seed", values.seed) ?? build.DEFAULT_DATA_SEED;
        const vocabSize = integerFlag("vocab-size", values["vocab-size"]);
        const out = values.out ?? "datasets";
        // What the content depends on (not --out, so that builds into different folders are byte-identical).
        const command = [
          "flanlab data build",
          `--seed ${seed}`,
          vocabSize !== undefined ? `--vocab-size ${vocabSize}` : "",
          values.small ? "--small" : "",
          values["no-tokenizer"] ? "--no-tokenizer" : "",
        ]
          .filter((p) => p !== "")
          .join(" ");
        const started = Date.now();
        const summary = await build.buildDatasets({
          out,
          seed,
          sizes: values.small ? build.SMALL_SIZES : build.FULL_SIZES,
          vocabSize: vocabSize ?? (values.small ? build.SMALL_VOCAB_SIZE : build.DEFAULT_VOCAB_SIZE),
          tokenizer: !values["no-tokenizer"],
          command,
          log: (message) => console.log(message),
        });
        const { generate, tokenizer, card } = summary.seconds;
        console.log(
          `built ${summary.tasks.length} tasks in ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
            `(generate ${generate.toFixed(1)} s, tokenizer ${tokenizer.toFixed(1)} s, card ${card.toFixed(1)} s)`,
        );
      },
    },
    inspect: {
      summary: "read a data set (DialogSum, SAMSum, CSV, JSONL) and describe it",
      usage:
        "flanlab data inspect FILE [--format dialogsum|samsum|csv|jsonl] [--input-column C --target-column C[,C...]]\n" +
        "                     [--id-column C] [--no-group] [--skip-invalid] [--tokenizer DIR (default datasets/tokenizer)]\n" +
        `                     ${READING_USAGE}\n` +
        "  Prints the number of examples, the fields, references per example, token lengths and one example.\n" +
        "  The format is guessed from the file when not given (.json: samsum; .jsonl with fname: dialogsum).\n" +
        "  CSV rows repeating a dialogue (the Hub's DialogSum test split) become one example with several references;\n" +
        "  --no-group keeps them apart. Bad input is an error naming file, line and field; --skip-invalid skips and counts.",
      async run(args) {
        const { values, positionals } = parseArgs({
          args,
          allowPositionals: true,
          options: {
            format: { type: "string" },
            "input-column": { type: "string" },
            "target-column": { type: "string" },
            "id-column": { type: "string" },
            "no-group": { type: "boolean" },
            "skip-invalid": { type: "boolean" },
            tokenizer: { type: "string" },
            "max-chars": { type: "string" },
            "accept-invalid-utf8": { type: "boolean" },
          },
        });
        if (positionals.length !== 1) fail("give one FILE to inspect.");
        const maxChars = integerFlag("max-chars", values["max-chars"], { min: 1 });
        const formats = await import("../data/formats");
        const format = values.format as (typeof formats.SOURCE_FORMATS)[number] | undefined;
        if (format !== undefined && !formats.SOURCE_FORMATS.includes(format)) fail(`--format must be one of ${formats.SOURCE_FORMATS.join(", ")}, got "${format}".`);
        const result = formats.readExamples(positionals[0], {
          format,
          inputColumn: values["input-column"],
          targetColumn: values["target-column"],
          idColumn: values["id-column"],
          groupByInput: values["no-group"] ? false : undefined,
          skipInvalid: values["skip-invalid"],
          maxChars,
          acceptInvalidUtf8: values["accept-invalid-utf8"],
        });
        console.log(`${result.file}: ${result.format}, ${result.examples.length.toLocaleString("en-US")} examples from ${result.rows.toLocaleString("en-US")} rows`);
        console.log(`fields: ${result.fields.join(", ")}`);
        if (result.regrouped > 0) console.log(`regrouped: ${result.regrouped} rows repeated an earlier input and became extra references`);
        for (const note of describeReadNotes(result)) console.log(note);
        const perExample = new Map<number, number>();
        for (const e of result.examples) perExample.set(e.references.length, (perExample.get(e.references.length) ?? 0) + 1);
        const refs = [...perExample.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${k}: ${n.toLocaleString("en-US")}`);
        console.log(`references per example: ${refs.join(", ")}`);
        const tokenizerDir = values.tokenizer ?? "datasets/tokenizer";
        const fs = await import("fs");
        if (!fs.existsSync(tokenizerDir)) {
          console.log(`token lengths: no tokenizer at ${tokenizerDir} (run flanlab data build, or pass --tokenizer DIR)`);
        } else {
          const { lengthStats } = await import("../lab/corpus/card");
          const tokenizer = await loadTokenizer(tokenizerDir);
          const show = (label: string, values: number[]) => {
            const s = lengthStats(values);
            console.log(`${label}: mean ${s.mean.toFixed(1)}, median ${s.median}, p95 ${s.p95}, max ${s.max}`);
          };
          console.log(`token lengths (${tokenizerDir}, ${tokenizer.vocabSize} pieces, </s> counted):`);
          show("  input", result.examples.map((e) => tokenizer.encode(e.input).length));
          show("  reference", result.examples.flatMap((e) => e.references.map((r) => tokenizer.encode(r).length)));
        }
        const example = result.examples[0];
        if (example) {
          console.log(`\nexample ${example.id} (${example.source})${example.topic !== undefined ? `, topic: ${example.topic}` : ""}`);
          console.log(`input:\n${example.input}`);
          example.references.forEach((r, i) => console.log(`reference ${i + 1}: ${r}`));
        }
      },
    },
    mix: {
      summary: "show the shares and a sampled stream of a task mixture",
      usage:
        "flanlab data mix [--tasks a,b,c (default: the base mixture)] [--rate equal|proportional:K|temperature:T[,K]]\n" +
        "                 [--n 1000] [--seed S] [--split train] [--datasets DIR]\n" +
        "  Rates as in T5/FLAN: equal; examples-proportional min(n, K); temperature-scaled min(n, K)^(1/T).\n" +
        "  Prints each task's examples, rate and share, and the share realized in n seeded draws.",
      async run(args) {
        const { values } = parseArgs({
          args,
          options: {
            tasks: { type: "string" },
            rate: { type: "string" },
            n: { type: "string" },
            seed: { type: "string" },
            split: { type: "string" },
            datasets: { type: "string" },
          },
        });
        const registry = await import("../lab/tasks/registry");
        const mixtures = await import("../data/mixtures");
        const spec = mixtures.parseRateSpec(values.rate ?? "equal");
        const n = integerFlag("n", values.n) ?? 1000;
        const seed = integerFlag("seed", values.seed) ?? 0;
        const split = (values.split ?? "train") as "train";
        const names = values.tasks ? values.tasks.split(",").map((t) => t.trim()).filter((t) => t !== "") : [...registry.BASE_TASK_NAMES];
        const sources = names.map((name) => {
          const task = registry.getTask(name);
          const loaded = registry.loadRecords(task, split, { datasetsDir: values.datasets });
          return { task, records: loaded.records };
        });
        const mixture = mixtures.makeMixture("cli", sources, spec.rate);
        const { report } = mixtures.sampleMixture(mixture, n, seed);
        console.log(`rate ${spec.text}, ${n.toLocaleString("en-US")} draws, seed ${seed}, ${split} split`);
        const width = Math.max(4, ...names.map((t) => t.length));
        console.log(`${"task".padEnd(width)}  ${"examples".padStart(8)}  ${"rate".padStart(10)}  ${"share".padStart(7)}  ${"realized".padStart(8)}  ${"drawn".padStart(7)}`);
        for (const row of report) {
          const source = sources.find((s) => s.task.name === row.task)!;
          const rate = spec.rate(source.records.length);
          console.log(
            `${row.task.padEnd(width)}  ${String(source.records.length).padStart(8)}  ${rate.toFixed(2).padStart(10)}  ` +
              `${row.proportion.toFixed(4).padStart(7)}  ${row.realized.toFixed(4).padStart(8)}  ${String(row.drawn).padStart(7)}`,
          );
        }
      },
    },
  },
};
