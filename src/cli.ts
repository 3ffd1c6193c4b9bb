#!/usr/bin/env node
// The flanlab command: thin over the library. Every run says which backend does the math.
import { parseArgs } from "util";
import { describeBackend, initBackend } from "./backend";
import { loadGenerationConfig, loadModel } from "./io/checkpoint";
import { loadTokenizer } from "./io/tokenizer";
import { GenerationOptions, generate, generationOptionsFromConfig } from "./model/generate";
import { countParameters } from "./model/params";

interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<void>;
}

function fail(message: string): never {
  throw new Error(message);
}

async function startBackend(): Promise<void> {
  await initBackend();
  console.error(describeBackend());
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
  generate: {
    summary: "generate text with a checkpoint folder",
    usage:
      "flanlab generate --model DIR --prompt TEXT [--prompt TEXT ...] [--max-new-tokens N] [--num-beams N]\n" +
      "                 [--do-sample --temperature T --top-k K --top-p P --seed S] [--repetition-penalty R]\n" +
      "  Defaults come from the folder's generation_config.json, then flanlab's.",
    async run(args) {
      const { values } = parseArgs({
        args,
        options: {
          model: { type: "string" },
          prompt: { type: "string", multiple: true },
          "max-new-tokens": { type: "string" },
          "num-beams": { type: "string" },
          "do-sample": { type: "boolean" },
          temperature: { type: "string" },
          "top-k": { type: "string" },
          "top-p": { type: "string" },
          seed: { type: "string" },
          "repetition-penalty": { type: "string" },
        },
      });
      if (!values.model) fail("--model DIR is required.");
      if (!values.prompt || values.prompt.length === 0) fail("--prompt TEXT is required.");
      await startBackend();
      const model = loadModel(values.model);
      const tokenizer = await loadTokenizer(values.model);
      const options: GenerationOptions = { ...generationOptionsFromConfig(loadGenerationConfig(values.model)) };
      const numeric = (flag: string, text: string | undefined): number | undefined => {
        if (text === undefined) return undefined;
        const value = Number(text);
        if (!Number.isFinite(value)) fail(`--${flag} must be a number, got "${text}".`);
        return value;
      };
      const overrides: GenerationOptions = {
        maxNewTokens: numeric("max-new-tokens", values["max-new-tokens"]),
        numBeams: numeric("num-beams", values["num-beams"]),
        doSample: values["do-sample"],
        temperature: numeric("temperature", values.temperature),
        topK: numeric("top-k", values["top-k"]),
        topP: numeric("top-p", values["top-p"]),
        seed: numeric("seed", values.seed),
        repetitionPenalty: numeric("repetition-penalty", values["repetition-penalty"]),
      };
      for (const [key, value] of Object.entries(overrides)) if (value !== undefined) (options as Record<string, unknown>)[key] = value;
      console.error(`model: ${values.model} (${countParameters(model.config).toLocaleString("en-US")} parameters)`);
      const outputs = generate(model, { inputIds: values.prompt.map((p) => tokenizer.encode(p)) }, options);
      for (const ids of outputs) console.log(tokenizer.decode(ids));
    },
  },
};

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
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`flanlab: unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`${command.summary}\n\n${command.usage}`);
    return 0;
  }
  try {
    await command.run(args);
    return 0;
  } catch (error) {
    // Errors name the file, field or flag at fault; FLANLAB_DEBUG=1 adds the stack for a bug report.
    const detail = process.env.FLANLAB_DEBUG === "1" ? (error as Error).stack : (error as Error).message;
    console.error(`flanlab ${name}: ${detail ?? String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
