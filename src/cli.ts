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
import { dataCommand } from "./cli/data";
import { downloadCommand, resolveHubFlags } from "./cli/download";
import { Command, fail, integerFlag, loadModelAndAdapter, startBackend } from "./cli/common";
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
  data: dataCommand,
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
