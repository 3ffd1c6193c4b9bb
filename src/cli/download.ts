// flanlab download model|dataset NAME: fetch a Hub repository into the Hugging Face cache (resumable, verified), and
// resolveHubFlags: let every command's --model, --adapter, --data and --eval-data take a Hub name as well as a path.
import * as fs from "fs";
import { parseArgs } from "util";
import {
  DownloadOptions,
  DownloadResult,
  HubRepo,
  canonicalModelName,
  dataFiles,
  downloadRepo,
  hubCacheDir,
  parseDatasetName,
  parseModelName,
  resolveDatasetFile,
  resolveModelFolder,
  splitFile,
  terminalDownloadProgress,
} from "../io/hub";
import { TABLE_SHAPE, estimateMemory, formatMemorySize, wasmVerdict } from "../io/memory";
import { loadConfig } from "../io/checkpoint";
import { Command, fail } from "./common";

const COMMON_USAGE =
  "  [--revision main] [--cache-dir DIR (default $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub)]\n" +
  "  Resumes an interrupted download (blobs/*.incomplete) and checks each file against the Hub's sha256 (LFS) or\n" +
  "  git id. Without network (or with HF_HUB_OFFLINE=1) a cached copy is used. HF_ENDPOINT sets a mirror, HF_TOKEN\n" +
  "  a token for gated repositories. Prints the snapshot folder on stdout.";

/** The options both subcommands share. */
function downloadOptions(args: string[]): { name: string; options: DownloadOptions } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { revision: { type: "string" }, "cache-dir": { type: "string" } },
  });
  if (positionals.length !== 1) fail("give one Hub name, e.g. google/flan-t5-small.");
  return { name: positionals[0], options: { revision: values.revision, cacheDir: values["cache-dir"] } };
}

function summary(result: DownloadResult): string {
  const bytes = result.files.reduce((sum, f) => sum + f.size, 0);
  const counts = new Map<string, number>();
  for (const f of result.files) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
  const how = [...counts.entries()].map(([status, n]) => `${n} ${status}`).join(", ");
  return result.offline
    ? `${result.repo.name}: the Hub is out of reach; the cached snapshot ${result.commit} is used`
    : `${result.repo.name} at ${result.commit.slice(0, 10)}: ${result.files.length} files, ${formatMemorySize(bytes)} (${how})`;
}

/** Which fine-tuning fits where, from the downloaded config (one example of 256 + 64 tokens). */
function memoryLines(folder: string): string[] {
  let config;
  try {
    config = loadConfig(folder);
  } catch {
    return []; // an adapter repository: no config.json
  }
  const lines = [`memory (float32, one example of ${TABLE_SHAPE.sourceLength}+${TABLE_SHAPE.targetLength} tokens; README "Real models and data"):`];
  const plans = [
    ["run", { mode: "inference" }],
    ["LoRA", { mode: "lora" }],
    ["full (Adafactor)", { mode: "full", optimizer: "adafactor" }],
    ["full (AdamW)", { mode: "full", optimizer: "adamw" }],
  ] as const;
  for (const [label, plan] of plans) {
    const shaped = { ...TABLE_SHAPE, ...plan };
    const wasm = estimateMemory(config, shaped, "wasm");
    const node = estimateMemory(config, shaped, "tensorflow");
    lines.push(`  ${label.padEnd(16)} wasm ${formatMemorySize(wasm.total).padStart(7)}, tfjs-node ${formatMemorySize(node.total).padStart(7)}  (fits wasm's 4 GiB: ${wasmVerdict(config, shaped)})`);
  }
  return lines;
}

/** The download command's work, with the options tests inject (a fake Hub's fetch, a cache folder). */
export async function runDownload(type: HubRepo["type"], args: string[], inject: DownloadOptions = {}): Promise<DownloadResult> {
  const { name: given, options } = downloadOptions(args);
  const name = type === "model" ? parseModelName(given) : parseDatasetName(given)?.name;
  if (name === undefined) fail(`"${given}" is not a Hub ${type} name (owner/name${type === "model" ? ", or t5-small, flan-t5-base, ..." : ""}).`);
  const repo: HubRepo = { type, name: type === "model" ? canonicalModelName(name) : name };
  const cacheDir = options.cacheDir ?? inject.cacheDir ?? hubCacheDir();
  console.error(`${repo.name} -> ${cacheDir}`);
  const result = await downloadRepo(repo, {
    onProgress: terminalDownloadProgress(),
    log: (line) => console.error(line),
    ...inject,
    ...options,
    cacheDir,
  });
  console.error(summary(result));
  if (type === "model") {
    for (const line of memoryLines(result.folder)) console.error(line);
    console.error(`use it: flanlab generate --model ${repo.name} --prompt "..."   (or --model ${result.folder})`);
  } else {
    const splits = ["train", "validation", "test"].flatMap((split) => {
      try {
        return [`${split}: ${splitFile(result.folder, split).slice(result.folder.length + 1)}`];
      } catch {
        return [];
      }
    });
    console.error(`data files: ${dataFiles(result.folder).join(", ")}${splits.length > 0 ? `\nsplits: ${splits.join(", ")}` : ""}`);
    console.error(`use it: flanlab train --data ${repo.name} ... (the train split; NAME:test names another), or --data ${result.folder}/<file>`);
  }
  console.log(result.folder);
  return result;
}

export const downloadCommand: Command = {
  summary: "download a model or dataset from the Hugging Face Hub into the Hugging Face cache",
  usage: "",
  async run() {},
  subcommands: {
    model: {
      summary: "download a model (google/flan-t5-small, -base, -large, t5-small) or a PEFT adapter",
      usage:
        "flanlab download model NAME\n" +
        COMMON_USAGE +
        "\n  Fetches config, tokenizer and safetensors weights (sharded ones too), not pytorch_model.bin, TF or Flax files.",
      async run(args) {
        await runDownload("model", args);
      },
    },
    dataset: {
      summary: "download a dataset's CSV/JSONL/JSON files (knkarthick/dialogsum)",
      usage: "flanlab download dataset NAME\n" + COMMON_USAGE,
      async run(args) {
        await runDownload("dataset", args);
      },
    },
  },
};

/** Flags that name a model or adapter folder, and flags that name a data file (with their default split). */
const MODEL_FLAGS = new Set(["--model", "--adapter"]);
const DATA_FLAGS = new Set(["--data", "--eval-data"]);

/**
 * Replace Hub names in --model, --adapter, --data and --eval-data by their cached local paths (no network), so that
 * every command accepts "google/flan-t5-small" and "knkarthick/dialogsum" (or "knkarthick/dialogsum:test") where it
 * accepts a folder or file. Paths that exist, and values that cannot be Hub names, pass through unchanged; a Hub
 * name that is not cached is an error saying what to download. The split of --data is "train", or eval's --split
 * (default "test"); that of --eval-data "validation".
 */
export function resolveHubFlags(command: string, args: string[]): string[] {
  const out = [...args];
  const flagValue = (flag: string): string | undefined => {
    for (let i = 0; i < out.length; i++) {
      if (out[i] === flag) return out[i + 1];
      if (out[i].startsWith(`${flag}=`)) return out[i].slice(flag.length + 1);
    }
    return undefined;
  };
  const resolve = (flag: string, value: string): string => {
    if (fs.existsSync(value)) return value;
    if (MODEL_FLAGS.has(flag)) {
      if (parseModelName(value) === undefined) return value;
      const folder = resolveModelFolder(value);
      console.error(`${flag} ${value}: ${folder}`);
      return folder;
    }
    if (parseDatasetName(value) === undefined) return value;
    const split = flag === "--eval-data" ? "validation" : command === "eval" ? (flagValue("--split") ?? "test") : "train";
    const file = resolveDatasetFile(value, split);
    console.error(`${flag} ${value}: ${file}`);
    return file;
  };
  for (let i = 0; i < out.length; i++) {
    const arg = out[i];
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!MODEL_FLAGS.has(flag) && !DATA_FLAGS.has(flag)) continue;
    if (eq > 0) out[i] = `${flag}=${resolve(flag, arg.slice(eq + 1))}`;
    else if (i + 1 < out.length) {
      out[i + 1] = resolve(flag, out[i + 1]);
      i++;
    }
  }
  return out;
}
