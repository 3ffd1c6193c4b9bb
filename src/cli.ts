#!/usr/bin/env node
// The flanlab command: thin over the library. Every run says which backend does the math.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { evalCommand } from "./cli/eval";
import { rougeCommand } from "./cli/rouge";
import { parseBenchArgs } from "./lab/bench/args";
import { BENCH_USAGE, runBench } from "./lab/bench/run";
import { trainCommand } from "./cli/train";
import { downloadCommand, resolveHubFlags } from "./cli/download";
import { Command, READING_USAGE, fail, integerFlag, loadModelAndAdapter, startBackend } from "./cli/common";
import { describeReadNotes } from "./cli/data-notes";
import { GENERATION_FLAGS, GENERATION_USAGE, generationOptions } from "./cli/generation-flags";
import { T5_MAX_LENGTH, promptIds } from "./cli/model-length";
import { DEFAULT_MAX_CHARS } from "./data/text-limits";
import { SIGNAL_EXIT_CODES, TrainingInterruptedError } from "./train/stop-signals";
import { LORA_FLAGS, LORA_USAGE, loraFromFlags } from "./cli/lora-flags";
import { loadConfig } from "./io/checkpoint";
import { loadTokenizer } from "./io/tokenizer";
import { generate } from "./model/generate";
import { T5Config, makeConfig } from "./model/config";
import { formatParameterReport, makeLoraConfig, parameterReport, targetModules } from "./model/lora";
import { countParameters } from "./model/params";
import { PUBLIC_T5_CONFIGS, publicT5Config } from "./model/public-configs";

/** A config by public name (flan-t5-base), config.json file, or model folder. */
function configFrom(spec: string): T5Config {
  const known = publicT5Config(spec);
  if (known) return known;
  if (fs.existsSync(spec) && fs.statSync(spec).isDirectory()) return loadConfig(spec);
  if (fs.existsSync(spec)) return makeConfig(JSON.parse(fs.readFileSync(spec, "utf8")) as Partial<T5Config>, spec);
  return fail(`--config "${spec}" is neither a config.json, a model folder, nor a known name (${Object.keys(PUBLIC_T5_CONFIGS).join(", ")}).`);
}

const commands: Record<string, Command> = {
  info: {
    summary: "show the backend flanlab uses and why",
    usage: "flanlab info",
    async run() {
      await startBackend();
      console.log(`node ${process.version}, FLANLAB_BACKEND=${process.env.FLANLAB_BACKEND ?? "(unset: automatic)"}`);
    },
  },
  params: {
    summary: "count trainable and total parameters of a T5 config, with or without LoRA (no weights loaded)",
    usage:
      "flanlab params --config <config.json | model folder | name>\n" +
      `  LoRA:     ${LORA_USAGE}\n` +
      `  Known names: ${Object.keys(PUBLIC_T5_CONFIGS).join(", ")}. Without a --lora-* flag, full fine-tuning.\n` +
      "  Prints PEFT's print_trainable_parameters line.",
    async run(args) {
      const { values } = parseArgs({
        args,
        options: {
          config: { type: "string" },
          ...LORA_FLAGS,
        },
      });
      if (!values.config) fail("--config <config.json, model folder or name> is required.");
      const config = configFrom(values.config);
      const lora = loraFromFlags(values);
      const line = formatParameterReport(parameterReport(config, lora));
      const name = publicT5Config(values.config) ? values.config : path.basename(values.config);
      if (lora) {
        const full = makeLoraConfig(lora, "--lora-* flags");
        const modules = targetModules(config, full).length;
        console.error(`${name}: LoRA r=${full.r}, lora_alpha=${full.lora_alpha}, on ${[full.target_modules].flat().join(", ")} (${modules} modules)`);
      } else {
        console.error(`${name}: full fine-tuning`);
      }
      console.log(line);
    },
  },
  generate: {
    summary: "generate text with a checkpoint folder (and optionally a LoRA adapter)",
    usage: [
      "flanlab generate --model DIR [--adapter DIR] --prompt TEXT [--prompt TEXT ...] [--max-chars N]",
      GENERATION_USAGE,
      `  A prompt longer than the tokenizer's model_max_length (tokenizer_config.json; ${T5_MAX_LENGTH} when it sets none) is cut to it,`,
      `  and the cut is reported; a prompt over --max-chars characters (default ${DEFAULT_MAX_CHARS.toLocaleString("en-US")}) is cut before tokenizing.`,
    ].join("\n"),
    async run(args) {
      const { values } = parseArgs({
        args,
        options: { model: { type: "string" }, adapter: { type: "string" }, prompt: { type: "string", multiple: true }, "max-chars": { type: "string" }, ...GENERATION_FLAGS },
      });
      if (!values.model) fail("--model DIR is required.");
      if (!values.prompt || values.prompt.length === 0) fail("--prompt TEXT is required.");
      const maxChars = integerFlag("max-chars", values["max-chars"], { min: 1 }) ?? DEFAULT_MAX_CHARS;
      const options = generationOptions(values.model, values);
      const tokenizer = await loadTokenizer(values.model);
      const prompts = promptIds(values.prompt, tokenizer, maxChars);
      prompts.notes.forEach((note) => console.error(note));
      await startBackend();
      const model = loadModelAndAdapter(values.model, values.adapter);
      console.error(`model: ${values.model} (${countParameters(model.config).toLocaleString("en-US")} parameters)`);
      const outputs = generate(model, { inputIds: prompts.ids }, options);
      for (const ids of outputs) console.log(tokenizer.decode(ids));
    },
  },
  train: trainCommand,
  eval: evalCommand,
  rouge: rougeCommand,
  download: downloadCommand,
  bench: {
    summary: "measure training and generation speed against the matmul peak and PyTorch (issue #6)",
    usage: BENCH_USAGE,
    async run(args) {
      const options = parseBenchArgs(args);
      await startBackend();
      await runBench(options);
    },
  },
  data: {
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
          const build = await import("./lab/corpus/build");
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
          const formats = await import("./data/formats");
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
            const { lengthStats } = await import("./lab/corpus/card");
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
          const registry = await import("./lab/tasks/registry");
          const mixtures = await import("./data/mixtures");
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
  },
};

function familyUsage(name: string, family: Record<string, Command>): string {
  const width = Math.max(...Object.keys(family).map((c) => c.length));
  return [
    `Usage: flanlab ${name} <command> [options]    (flanlab ${name} <command> --help for its options)`,
    "",
    ...Object.entries(family).map(([sub, c]) => `  ${sub.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    "flanlab - instruction fine-tuning of T5 models with TensorFlow.js",
    "",
    "Usage: flanlab <command> [options]    (flanlab <command> --help for a command's options)",
    "",
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Backend: FLANLAB_BACKEND=tensorflow-gpu|tensorflow|wasm|cpu (default: the fastest installed).",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  let [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return 0;
  }
  let command = commands[name];
  if (!command) {
    console.error(`flanlab: unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  if (command.subcommands) {
    const [sub, ...rest] = args;
    if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
      console.log(`${command.summary}\n\n${familyUsage(name, command.subcommands)}`);
      return 0;
    }
    if (!command.subcommands[sub]) {
      console.error(`flanlab ${name}: unknown command "${sub}".\n\n${familyUsage(name, command.subcommands)}`);
      return 2;
    }
    command = command.subcommands[sub];
    name = `${name} ${sub}`;
    args = rest;
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`${command.summary}\n\n${command.usage}`);
    return 0;
  }
  try {
    await command.run(resolveHubFlags(name, args));
    return 0;
  } catch (error) {
    // Errors name the file, field or flag at fault; FLANLAB_DEBUG=1 adds the stack for a bug report.
    const detail = process.env.FLANLAB_DEBUG === "1" ? (error as Error).stack : (error as Error).message;
    console.error(`flanlab ${name}: ${detail ?? String(error)}`);
    // stopped on a signal after saving a checkpoint: the shell's status for that signal (130 for Ctrl-C)
    return error instanceof TrainingInterruptedError ? SIGNAL_EXIT_CODES[error.signal] : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
