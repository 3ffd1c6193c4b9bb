// Hugging Face Hub names ("google/flan-t5-small", "knkarthick/dialogsum") or local paths -> local files, through the
// cache that Python's huggingface_hub shares: <cache>/models--google--flan-t5-small/{refs/main, snapshots/<commit>/,
// blobs/<etag>}, with <cache> = $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. A model that Python
// already downloaded is found here, and one downloaded here loads in Python.
//
// Resolving (resolveModelFolder, resolveDatasetFile) never touches the network: a local path wins, then the cache;
// otherwise the error says what to download and where it goes. Downloading (downloadRepo, ensureModel,
// ensureDataset) uses @huggingface/hub's file API (listFiles for names, sizes and checksums; downloadFile for the
// bytes, with a range request to resume a blobs/<etag>.incomplete file) and checks every file against the checksum
// the Hub lists: the sha256 of LFS files, the git blob sha1 of the others.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ListFileEntry } from "@huggingface/hub";
import { PUBLIC_T5_MODELS } from "../model/public-configs";

export type RepoType = "model" | "dataset";

/** A repository on the Hub. */
export interface HubRepo {
  type: RepoType;
  /** "owner/name" (or a legacy name without owner, as "t5-small"). */
  name: string;
}

export const DEFAULT_HUB_URL = "https://huggingface.co";
const COMMIT = /^[0-9a-f]{40}$/;
/** Owner and name as the Hub allows them. */
const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Short names people type, to their Hub repositories (the table is src/model/public-configs.ts). */
export const MODEL_ALIASES: Record<string, string> = Object.fromEntries(Object.entries(PUBLIC_T5_MODELS).map(([name, model]) => [name, model.repo]));

type Env = Record<string, string | undefined>;

function expandHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p;
}

/** The Hub cache folder, as huggingface_hub computes it. */
export function hubCacheDir(env: Env = process.env): string {
  const explicit = env.HF_HUB_CACHE ?? env.HUGGINGFACE_HUB_CACHE;
  if (explicit) return path.resolve(expandHome(explicit));
  const home = env.HF_HOME ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "huggingface");
  return path.resolve(expandHome(home), "hub");
}

/** HF_HUB_OFFLINE=1: never ask the Hub, use the cache only (as in Python). */
export function hubOffline(env: Env = process.env): boolean {
  return ["1", "on", "yes", "true"].includes((env.HF_HUB_OFFLINE ?? "").trim().toLowerCase());
}

/** HF_ENDPOINT (a mirror), else huggingface.co. */
export function hubUrl(env: Env = process.env): string {
  return (env.HF_ENDPOINT ?? DEFAULT_HUB_URL).replace(/\/+$/, "");
}

/** The folder of a repository in the cache: models--owner--name, datasets--owner--name. */
export function repoCacheFolder(repo: HubRepo, cacheDir = hubCacheDir()): string {
  return path.join(cacheDir, `${repo.type}s--${repo.name.split("/").join("--")}`);
}

/** The canonical Hub name of a model name or alias ("flan-t5-small" -> "google/flan-t5-small"). */
export function canonicalModelName(name: string): string {
  return MODEL_ALIASES[name] ?? name;
}

/** Names whose cache folders may hold this model: the canonical one first, then legacy or short forms. */
function cacheNames(repo: HubRepo): string[] {
  if (repo.type !== "model") return [repo.name];
  const canonical = canonicalModelName(repo.name);
  const legacy = Object.entries(MODEL_ALIASES).filter(([, full]) => full === canonical && canonical.startsWith("google-t5/")).map(([short]) => short);
  return [...new Set([canonical, repo.name, ...legacy])];
}

/** Whether a spec is meant as a local path (and so never as a Hub name). */
function looksLikePath(spec: string): boolean {
  return (
    spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("~") || spec.includes("\\") || /^[A-Za-z]:/.test(spec) ||
    /\.(csv|jsonl|json|ndjson|safetensors)$/i.test(spec) || spec.split("/").length > 2
  );
}

/** A Hub model name ("owner/name", or an alias such as "t5-small"), or undefined when `spec` is not one. */
export function parseModelName(spec: string): string | undefined {
  if (looksLikePath(spec)) return undefined;
  if (MODEL_ALIASES[spec]) return MODEL_ALIASES[spec];
  return REPO_NAME.test(spec) ? spec : undefined;
}

/** A Hub dataset spec "owner/name" or "owner/name:split", or undefined when `spec` is not one. */
export function parseDatasetName(spec: string): { name: string; split?: string } | undefined {
  const match = /^([^:]+)(?::([A-Za-z0-9_.-]+))?$/.exec(spec);
  if (!match || looksLikePath(match[1]) || !REPO_NAME.test(match[1])) return undefined;
  return { name: match[1], split: match[2] };
}

// ---------------------------------------------------------------------------------------------------------------
// What a usable snapshot holds

const SHARD = /^model-\d+-of-\d+\.safetensors$/;
const DATA_EXTENSIONS = [".csv", ".jsonl", ".json", ".ndjson"];
/** JSON files of dataset repositories that are not data. */
const NOT_DATA = new Set(["dataset_infos.json", "dataset_info.json", "dataset_dict.json", "state.json", "config.json", "package.json"]);

/** Whether a folder holds a loadable model (config.json + model.safetensors or every shard) or a PEFT adapter. */
export function folderStatus(folder: string): { usable: boolean; pytorchOnly: boolean; missing: string[] } {
  const has = (f: string) => fs.existsSync(path.join(folder, f)); // follows symlinks: a link to a missing blob is missing
  if (has("adapter_config.json")) {
    const missing = has("adapter_model.safetensors") ? [] : ["adapter_model.safetensors"];
    return { usable: missing.length === 0, pytorchOnly: missing.length > 0 && has("adapter_model.bin"), missing };
  }
  const missing: string[] = [];
  if (!has("config.json")) missing.push("config.json");
  if (!has("model.safetensors")) {
    const index = path.join(folder, "model.safetensors.index.json");
    if (fs.existsSync(index)) {
      try {
        const map = (JSON.parse(fs.readFileSync(index, "utf8")) as { weight_map?: Record<string, string> }).weight_map ?? {};
        missing.push(...[...new Set(Object.values(map))].filter((shard) => !has(shard)));
      } catch {
        missing.push("model.safetensors.index.json (unreadable)");
      }
    } else {
      missing.push("model.safetensors");
    }
  }
  const pytorchOnly = missing.some((m) => m.endsWith(".safetensors")) && (has("pytorch_model.bin") || has("pytorch_model.bin.index.json"));
  return { usable: missing.length === 0, pytorchOnly, missing };
}

function isDataFile(file: string): boolean {
  const base = path.basename(file);
  return DATA_EXTENSIONS.includes(path.extname(base).toLowerCase()) && !NOT_DATA.has(base) && !base.startsWith(".");
}

/** Data files under a folder (relative paths, sorted), at most three levels deep, skipping dot folders. */
export function dataFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of fs.readdirSync(path.join(folder, dir), { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      const full = path.join(folder, rel);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && fs.existsSync(full) && fs.statSync(full).isDirectory());
      if (isDir) {
        if (depth < 3) walk(rel, depth + 1);
      } else if (isDataFile(rel) && fs.existsSync(full)) {
        out.push(rel);
      }
    }
  };
  walk("", 1);
  return out.sort();
}

/** Words a split's file names may use for it. */
const SPLIT_WORDS: Record<string, string[]> = { train: ["train", "training"], validation: ["validation", "valid", "val", "dev"], test: ["test"] };

/** The data file of `split` in a folder: <split>.csv, dialogsum.<split>.jsonl, data/<split>-00000-of-00001.csv, ... */
export function splitFile(folder: string, split: string, label = folder): string {
  const files = dataFiles(folder);
  const words = SPLIT_WORDS[split] ?? [split];
  const stem = (f: string) => path.basename(f).replace(/\.[^.]+$/, "").toLowerCase();
  const exact = files.filter((f) => words.includes(stem(f)));
  const named = files.filter((f) => stem(f).split(/[._-]/).some((part) => words.includes(part)));
  const found = exact.length > 0 ? exact : named;
  if (found.length === 1) return path.join(folder, found[0]);
  if (found.length > 1) {
    throw new Error(`${label}: several files for the "${split}" split (${found.join(", ")}); pass the file itself.`);
  }
  const listed = files.length > 0 ? `its data files: ${files.join(", ")}` : "it has no CSV, JSONL or JSON data files (flanlab does not read parquet)";
  throw new Error(`${label}: no file for the "${split}" split; ${listed}.`);
}

// ---------------------------------------------------------------------------------------------------------------
// The cache, without network

/** The commit a ref points to (refs/main), read from the cache. */
function readRef(repoFolder: string, revision: string): string | undefined {
  if (COMMIT.test(revision)) return revision;
  const file = path.join(repoFolder, "refs", revision);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined;
}

export interface CacheOptions {
  /** Default: hubCacheDir(). */
  cacheDir?: string;
  /** Branch, tag or commit; default "main". */
  revision?: string;
}

/**
 * The cached snapshot folder of a repository at `revision` that `usable` accepts: the one refs/<revision> names,
 * else (no ref, e.g. a cache copied by hand) the newest usable snapshot. Undefined when there is none.
 */
export function cachedSnapshot(repo: HubRepo, options: CacheOptions = {}, usable: (folder: string) => boolean = () => true): string | undefined {
  const cacheDir = options.cacheDir ?? hubCacheDir();
  const revision = options.revision ?? "main";
  for (const name of cacheNames(repo)) {
    const repoFolder = repoCacheFolder({ ...repo, name }, cacheDir);
    const snapshots = path.join(repoFolder, "snapshots");
    if (!fs.existsSync(snapshots)) continue;
    const commit = readRef(repoFolder, revision);
    if (commit !== undefined) {
      const folder = path.join(snapshots, commit);
      if (fs.existsSync(folder) && usable(folder)) return folder;
      continue;
    }
    if (revision !== "main") continue;
    const candidates = fs
      .readdirSync(snapshots)
      .map((c) => path.join(snapshots, c))
      .filter((f) => fs.statSync(f).isDirectory() && usable(f))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    if (candidates.length > 0) return candidates[0];
  }
  return undefined;
}

/** The repo name back from a snapshot folder in the cache (.../models--google--flan-t5-small/snapshots/<c>), or undefined. */
export function hubNameOfFolder(folder: string): string | undefined {
  const parts = path.resolve(folder).split(path.sep);
  const at = parts.lastIndexOf("snapshots");
  if (at < 1 || at !== parts.length - 2) return undefined;
  const match = /^(?:models|datasets)--(.+)$/.exec(parts[at - 1]);
  return match ? match[1].split("--").join("/") : undefined;
}

function pytorchMessage(name: string): string {
  const local = `models/${name.split("/").pop()}`;
  return (
    `${name} has only PyTorch weights (pytorch_model.bin), which flanlab cannot read. Convert them once with Python:\n` +
    `  python -c "from transformers import AutoTokenizer, T5ForConditionalGeneration as M; ` +
    `M.from_pretrained('${name}').save_pretrained('${local}', safe_serialization=True); ` +
    `AutoTokenizer.from_pretrained('${name}').save_pretrained('${local}')"\n` +
    `and pass ${local} as the model.`
  );
}

/** The lines that say how to get a repository into the cache, with or without network here. */
function downloadInstructions(repo: HubRepo, cacheDir: string): string[] {
  const folder = repoCacheFolder(repo, cacheDir);
  const python = repo.type === "dataset" ? `hf download ${repo.name} --repo-type dataset` : `hf download ${repo.name}`;
  const local = repo.type === "dataset" ? "the data file itself (CSV, JSONL)" : "a local folder with config.json,\n  model.safetensors (or its shards) and tokenizer.json";
  return [
    `  With network access: flanlab download ${repo.type} ${repo.name}`,
    `  (or in Python: ${python}); it goes to ${folder}/.`,
    `  Without: run that on a machine with access and copy ${path.basename(folder)}/ into ${cacheDir}/ here`,
    `  (or point HF_HUB_CACHE or HF_HOME at a cache that has it), or pass ${local}.`,
  ];
}

/** What to do when a model or data set is neither a local path nor in the cache. */
export function missingMessage(repo: HubRepo, options: CacheOptions = {}, detail = ""): string {
  const cacheDir = options.cacheDir ?? hubCacheDir();
  const local = repo.type === "model" ? "local folder" : "local file";
  return [
    `${repo.name}: no such ${local}, and no copy of the Hub ${repo.type} ${repo.name} in the Hugging Face cache ${cacheDir}${detail}.`,
    ...downloadInstructions(repo, cacheDir),
  ].join("\n");
}

/**
 * A model (or PEFT adapter) folder from a local path or a Hub name, without network. A path that exists is
 * returned as given; a Hub name ("google/flan-t5-small", "flan-t5-small") gives its cached snapshot folder.
 * Anything else throws an error that says what to download and where it goes.
 */
export function resolveModelFolder(spec: string, options: CacheOptions = {}): string {
  if (fs.existsSync(spec)) return spec;
  const name = parseModelName(spec);
  if (name === undefined) throw new Error(`${spec}: model folder not found.`);
  const found = cachedSnapshot({ type: "model", name }, options, (f) => folderStatus(f).usable);
  if (found) return found;
  const partial = cachedSnapshot({ type: "model", name }, options);
  if (partial && folderStatus(partial).pytorchOnly) throw new Error(pytorchMessage(name));
  const detail = partial ? ` (${partial} lacks ${folderStatus(partial).missing.join(", ")}: run the download again, it resumes)` : "";
  throw new Error(missingMessage({ type: "model", name }, options, detail));
}

/**
 * The data file of a split from a local file (returned as given, whatever the split), a local folder (its file
 * for the split), or a Hub dataset name ("knkarthick/dialogsum", or "knkarthick/dialogsum:test" to name the split
 * in the spec) whose cached snapshot has a file for the split. No network; errors say what to download.
 */
export function resolveDatasetFile(spec: string, split = "train", options: CacheOptions = {}): string {
  if (fs.existsSync(spec)) return fs.statSync(spec).isDirectory() ? splitFile(spec, split) : spec;
  const parsed = parseDatasetName(spec);
  if (parsed === undefined) throw new Error(`file not found: ${spec}`);
  const wanted = parsed.split ?? split;
  const repo: HubRepo = { type: "dataset", name: parsed.name };
  const found = cachedSnapshot(repo, options, (f) => dataFiles(f).length > 0);
  if (!found) throw new Error(missingMessage(repo, options));
  return splitFile(found, wanted, `${parsed.name} (${found})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Downloading

export interface DownloadProgress {
  /** Path of the file in the repository. */
  file: string;
  /** Bytes on disk so far (a resumed download starts above 0). */
  bytes: number;
  total: number;
  /** Where this file's download started (its .incomplete size), 0 for a fresh one. */
  resumedFrom: number;
  /** Files of the repository done before this one, and in all. */
  index: number;
  count: number;
  done: boolean;
}

export interface DownloadOptions extends CacheOptions {
  /** Default: HF_ENDPOINT or https://huggingface.co. */
  hubUrl?: string;
  /** For gated or private repositories; default HF_TOKEN. */
  accessToken?: string;
  /** Replaces the global fetch (tests serve a fake Hub through it). */
  fetch?: typeof fetch;
  onProgress?: (progress: DownloadProgress) => void;
  /** One line per event worth telling (cached copy used, file verified); default: nothing. */
  log?: (line: string) => void;
  /** Which repository files to fetch; default: what flanlab reads (see selectFiles). */
  select?: (files: RepoFile[], repo: HubRepo) => RepoFile[];
}

export interface RepoFile {
  path: string;
  size: number;
  /** sha256 of the content, for LFS files. */
  sha256?: string;
  /** git blob sha1. */
  gitOid?: string;
}

export interface DownloadResult {
  repo: HubRepo;
  commit: string;
  /** The snapshot folder (cache layout). */
  folder: string;
  files: { path: string; size: number; status: "cached" | "linked" | "downloaded" | "resumed" }[];
  /** True when the Hub could not be reached and a cached copy was used. */
  offline: boolean;
}

/** Raised when the Hub cannot be reached (no network, DNS, refused, timeout), as opposed to an answer from the Hub. */
export class HubUnreachableError extends Error {}

/** The files flanlab reads: configs, tokenizer, safetensors weights (single file preferred), adapters; data files. */
export function selectFiles(files: RepoFile[], repo: HubRepo): RepoFile[] {
  if (repo.type === "dataset") {
    const data = files.filter((f) => isDataFile(f.path));
    if (data.length === 0) {
      throw new Error(
        `${repo.name} has no CSV, JSONL or JSON data files (${files.map((f) => f.path).slice(0, 8).join(", ")}). flanlab does not ` +
          `read parquet: export a split with Python, e.g. python -c "from datasets import load_dataset; ` +
          `load_dataset('${repo.name}', split='train').to_csv('train.csv', index=False)", and pass the CSV.`,
      );
    }
    return [...data, ...files.filter((f) => f.path === "README.md")];
  }
  const top = files.filter((f) => !f.path.includes("/"));
  const names = new Set(top.map((f) => f.path));
  const wanted = top.filter((f) => {
    const p = f.path;
    if (p.endsWith(".bin.index.json") || p.endsWith(".msgpack.index.json") || p.endsWith(".h5.index.json")) return false;
    if (p === "model.safetensors.index.json" || SHARD.test(p)) return !names.has("model.safetensors");
    return p.endsWith(".json") || p.endsWith(".safetensors") || p === "spiece.model" || p === "README.md";
  });
  const hasWeights = wanted.some((f) => f.path.endsWith(".safetensors"));
  if (!names.has("config.json") && !names.has("adapter_config.json")) {
    throw new Error(`${repo.name} has neither config.json nor adapter_config.json: not a model or PEFT adapter repository (files: ${[...names].slice(0, 8).join(", ")}).`);
  }
  if (!hasWeights) {
    if (names.has("pytorch_model.bin") || names.has("pytorch_model.bin.index.json") || names.has("adapter_model.bin")) throw new Error(pytorchMessage(repo.name));
    throw new Error(`${repo.name} has no safetensors weights (files: ${[...names].join(", ")}).`);
  }
  return wanted;
}

type HubModule = typeof import("@huggingface/hub");
let hubModule: Promise<HubModule> | undefined;
/** @huggingface/hub is loaded on first download: resolving from the cache does not need it. */
function hub(): Promise<HubModule> {
  hubModule ??= import("@huggingface/hub");
  return hubModule;
}

/** A network failure (fetch's TypeError with a system cause) rather than an HTTP answer. */
function isNetworkError(error: unknown): boolean {
  if (error instanceof HubUnreachableError) return true;
  const e = error as { name?: string; message?: string; cause?: { code?: string }; code?: string };
  const code = e?.cause?.code ?? e?.code ?? "";
  return (
    (e?.name === "TypeError" && /fetch failed/i.test(e.message ?? "")) ||
    /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT|UND_ERR_SOCKET)$/.test(code)
  );
}

function describeError(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `${e?.message ?? String(error)}${cause ? ` (${cause})` : ""}`;
}

async function hashFile(file: string, algorithm: "sha256" | "sha1", prefix?: string): Promise<string> {
  const hash = crypto.createHash(algorithm);
  if (prefix !== undefined) hash.update(prefix);
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Whether a downloaded file matches what the Hub lists: size, then sha256 (LFS) or git blob sha1. */
async function verify(file: string, entry: RepoFile): Promise<string | undefined> {
  const size = fs.statSync(file).size;
  if (size !== entry.size) return `${size} bytes where the Hub lists ${entry.size}`;
  if (entry.sha256) {
    const got = await hashFile(file, "sha256");
    if (got !== entry.sha256) return `sha256 ${got} where the Hub lists ${entry.sha256}`;
  } else if (entry.gitOid) {
    const got = await hashFile(file, "sha1", `blob ${entry.size}\0`);
    if (got !== entry.gitOid) return `git sha1 ${got} where the Hub lists ${entry.gitOid}`;
  }
  return undefined;
}

/** snapshots/<commit>/<file> -> ../../blobs/<etag>, a relative link as huggingface_hub makes (a copy where links fail). */
function linkBlob(blob: string, pointer: string): void {
  fs.mkdirSync(path.dirname(pointer), { recursive: true });
  fs.rmSync(pointer, { force: true });
  try {
    fs.symlinkSync(path.relative(path.dirname(pointer), blob), pointer);
  } catch {
    fs.copyFileSync(blob, pointer);
  }
}

function toRepoFile(entry: ListFileEntry): RepoFile {
  return {
    path: entry.path,
    size: entry.lfs?.size ?? entry.size,
    sha256: entry.lfs?.oid,
    gitOid: entry.lfs ? undefined : entry.oid,
  };
}

function designation(repo: HubRepo): string {
  return repo.type === "dataset" ? `datasets/${repo.name}` : repo.name;
}

/** The Hub connection settings every request carries. */
interface HubConnection {
  hubUrl: string;
  accessToken?: string;
  fetch?: typeof fetch;
}

/** Thrown by listRepo when the Hub cannot be reached, so that downloadRepo falls back to the cache. */
class HubOffline extends Error {}

/** The commit a revision names and the files of the repository at that commit. */
async function listRepo(repo: HubRepo, revision: string, connection: HubConnection): Promise<{ commit: string; listed: RepoFile[] }> {
  const { listFiles, modelInfo, datasetInfo } = await hub();
  const url = connection.hubUrl;
  try {
    const info =
      repo.type === "model"
        ? await modelInfo({ ...connection, name: repo.name, revision, additionalFields: ["sha"] })
        : await datasetInfo({ ...connection, name: repo.name, revision, additionalFields: ["sha"] });
    const commit = (info as { sha?: string }).sha ?? "";
    if (!COMMIT.test(commit)) throw new Error(`${url}: no commit id for ${repo.name} at ${revision} in the Hub's answer.`);
    const listed: RepoFile[] = [];
    for await (const entry of listFiles({ ...connection, repo: designation(repo), revision: commit, recursive: true })) {
      if (entry.type === "file") listed.push(toRepoFile(entry));
    }
    return { commit, listed };
  } catch (error) {
    if (isNetworkError(error)) throw new HubOffline(`cannot reach ${url}: ${describeError(error)}`);
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 401 || status === 403 || status === 404) {
      throw new Error(
        `${url} has no ${repo.type} ${repo.name} you can read (HTTP ${status}): check the name` +
          `${repo.type === "dataset" ? " (and that it is a dataset)" : ""}; a gated or private repository needs HF_TOKEN.`,
      );
    }
    throw error;
  }
}

/** Where one file of a snapshot lives in the cache: the snapshot's pointer and the content-addressed blob. */
interface CachePlace {
  pointer: string;
  blob: string;
}

/**
 * Fetch one file into its blob (resuming a partial download, verifying size and checksum, one fresh retry when a
 * resumed file does not verify) and link it from the snapshot. Returns how it got there.
 */
async function fetchToCache(
  entry: RepoFile,
  place: CachePlace,
  repo: HubRepo,
  commit: string,
  connection: HubConnection,
  report: (bytes: number, resumedFrom: number, done: boolean) => void,
  log: ((line: string) => void) | undefined,
): Promise<DownloadResult["files"][number]["status"]> {
  const { downloadFile } = await hub();
  const { pointer, blob } = place;
  fs.mkdirSync(path.dirname(blob), { recursive: true });
  const incomplete = `${blob}.incomplete`;
  let resumedFrom = 0;
  for (let attempt = 1; ; attempt++) {
    resumedFrom = fs.existsSync(incomplete) ? fs.statSync(incomplete).size : 0;
    if (resumedFrom > entry.size) {
      fs.rmSync(incomplete);
      resumedFrom = 0;
    }
    if (resumedFrom < entry.size) {
      try {
        await fetchInto(incomplete, resumedFrom, entry, repo, commit, connection, downloadFile, (bytes) => report(bytes, resumedFrom, false));
      } catch (error) {
        if (isNetworkError(error)) {
          throw new HubUnreachableError(
            `${repo.name}/${entry.path}: the download stopped (${describeError(error)}); ${fs.existsSync(incomplete) ? fs.statSync(incomplete).size : 0} ` +
              `of ${entry.size} bytes are kept in ${incomplete}. Run the same download again to resume.`,
          );
        }
        throw error;
      }
    }
    const problem = await verify(incomplete, entry);
    if (!problem) break;
    fs.rmSync(incomplete, { force: true });
    // A resumed file may be wrong because the server ignored the range: one fresh try, then give up.
    if (attempt >= 2 || resumedFrom === 0) throw new Error(`${repo.name}/${entry.path}: the download is corrupt (${problem}); it was deleted, run the download again.`);
    log?.(`${entry.path}: the resumed download did not verify (${problem}); downloading it again from the start`);
  }
  fs.renameSync(incomplete, blob);
  linkBlob(blob, pointer);
  report(entry.size, resumedFrom, true);
  log?.(`${entry.path}: ${entry.size.toLocaleString("en-US")} bytes, ${entry.sha256 ? "sha256" : "git sha1"} verified`);
  return resumedFrom > 0 ? "resumed" : "downloaded";
}

/**
 * Download what flanlab needs of a repository into the cache (resumable, verified) and return its snapshot. When the
 * Hub cannot be reached but the cache has a usable snapshot, that one is returned with offline: true.
 */
export async function downloadRepo(repo: HubRepo, options: DownloadOptions = {}): Promise<DownloadResult> {
  const cacheDir = options.cacheDir ?? hubCacheDir();
  const revision = options.revision ?? "main";
  const usable = repo.type === "dataset" ? (f: string) => dataFiles(f).length > 0 : (f: string) => folderStatus(f).usable;
  const fromCache = (reason: string): DownloadResult => {
    const cached = cachedSnapshot(repo, { cacheDir, revision }, usable);
    if (!cached) {
      const header = `${repo.name}: ${reason}, and the Hugging Face cache ${cacheDir} has no copy of it.`;
      throw new HubUnreachableError([header, ...downloadInstructions(repo, cacheDir)].join("\n"));
    }
    options.log?.(`${repo.name}: ${reason}; using the cached copy ${cached}`);
    return { repo, commit: path.basename(cached), folder: cached, files: [], offline: true };
  };
  if (hubOffline()) return fromCache("HF_HUB_OFFLINE is set");

  const connection: HubConnection = {
    hubUrl: options.hubUrl ?? hubUrl(),
    accessToken: options.accessToken ?? process.env.HF_TOKEN ?? undefined,
    fetch: options.fetch,
  };
  let commit: string;
  let listed: RepoFile[];
  try {
    ({ commit, listed } = await listRepo(repo, revision, connection));
  } catch (error) {
    if (error instanceof HubOffline) return fromCache(error.message);
    throw error;
  }

  const selected = (options.select ?? selectFiles)(listed, repo);
  const repoFolder = repoCacheFolder(repo, cacheDir);
  const snapshot = path.join(repoFolder, "snapshots", commit);
  const files: DownloadResult["files"] = [];
  for (const [index, entry] of selected.entries()) {
    const etag = entry.sha256 ?? entry.gitOid;
    if (!etag) throw new Error(`${repo.name}/${entry.path}: the Hub lists no checksum or id for it.`);
    const place = { pointer: path.join(snapshot, ...entry.path.split("/")), blob: path.join(repoFolder, "blobs", etag) };
    const report = (bytes: number, resumedFrom: number, done: boolean) =>
      options.onProgress?.({ file: entry.path, bytes, total: entry.size, resumedFrom, index, count: selected.length, done });
    let status: DownloadResult["files"][number]["status"];
    if (fs.existsSync(place.pointer) && fs.statSync(place.pointer).size === entry.size) {
      status = "cached";
      report(entry.size, entry.size, true);
    } else if (fs.existsSync(place.blob) && fs.statSync(place.blob).size === entry.size) {
      linkBlob(place.blob, place.pointer);
      status = "linked";
      report(entry.size, entry.size, true);
    } else {
      status = await fetchToCache(entry, place, repo, commit, connection, report, options.log);
    }
    files.push({ path: entry.path, size: entry.size, status });
  }
  if (revision !== commit) {
    fs.mkdirSync(path.join(repoFolder, "refs"), { recursive: true });
    fs.writeFileSync(path.join(repoFolder, "refs", revision), commit);
  }
  return { repo, commit, folder: snapshot, files, offline: false };
}

/** Append the bytes of `entry` from `offset` on to `file` through @huggingface/hub's downloadFile (a range request). */
async function fetchInto(
  file: string,
  offset: number,
  entry: RepoFile,
  repo: HubRepo,
  commit: string,
  common: HubConnection,
  downloadFile: HubModule["downloadFile"],
  onBytes: (bytes: number) => void,
): Promise<void> {
  const handle = await fs.promises.open(file, offset > 0 ? "a" : "w");
  try {
    if (entry.size === 0) return;
    // xet: false - the plain resolve URL, which serves byte ranges (the xet protocol reassembles chunks instead).
    const remote = await downloadFile({ ...common, repo: designation(repo), path: entry.path, revision: commit, xet: false });
    if (!remote) throw new Error(`${repo.name}/${entry.path}: listed by the Hub, but not found there at ${commit}.`);
    if (remote.size !== entry.size) throw new Error(`${repo.name}/${entry.path}: the Hub serves ${remote.size} bytes where it lists ${entry.size}.`);
    const reader = (offset > 0 ? remote.slice(offset) : remote).stream().getReader();
    let bytes = offset;
    let lastReport = 0;
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (reason) {
        // WebBlob aborts its stream with the error's message (a string): make it an error again.
        throw reason instanceof Error ? reason : new HubUnreachableError(String(reason));
      }
      if (chunk.done) break;
      await handle.write(chunk.value);
      bytes += chunk.value.byteLength;
      const now = Date.now();
      if (now - lastReport > 100) {
        lastReport = now;
        onBytes(bytes);
      }
    }
    onBytes(bytes);
  } finally {
    await handle.close();
  }
}

/** Options of ensureModel and ensureDataset: where and whether to download. */
export interface EnsureOptions extends DownloadOptions {
  /** Download when the cache has no copy (default true; HF_HUB_OFFLINE=1 turns it off). */
  download?: boolean;
}

/**
 * resolveModelFolder, downloading a Hub model into the cache first when it is not there (and network and
 * HF_HUB_OFFLINE allow). For notebooks and scripts: `await ensureModel(process.env.FLANLAB_REAL_MODEL ?? "google/flan-t5-small")`.
 */
export async function ensureModel(spec: string, options: EnsureOptions = {}): Promise<string> {
  try {
    return resolveModelFolder(spec, options);
  } catch (error) {
    const name = parseModelName(spec);
    if (name === undefined || options.download === false || hubOffline() || fs.existsSync(spec)) throw error;
    return (await downloadRepo({ type: "model", name }, options)).folder;
  }
}

/** resolveDatasetFile, downloading a Hub dataset into the cache first when it is not there. */
export async function ensureDataset(spec: string, split = "train", options: EnsureOptions = {}): Promise<string> {
  try {
    return resolveDatasetFile(spec, split, options);
  } catch (error) {
    const parsed = parseDatasetName(spec);
    const cached = parsed && cachedSnapshot({ type: "dataset", name: parsed.name }, options, (f) => dataFiles(f).length > 0);
    if (parsed === undefined || cached || options.download === false || hubOffline() || fs.existsSync(spec)) throw error;
    const result = await downloadRepo({ type: "dataset", name: parsed.name }, options);
    return splitFile(result.folder, parsed.split ?? split, `${parsed.name} (${result.folder})`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A progress bar for terminals

function megabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * onProgress for a terminal: a bar redrawn in place on a TTY (file, percent, size, speed), one line per finished
 * file otherwise (logs, CI, notebooks).
 */
export function terminalDownloadProgress(stream: NodeJS.WriteStream = process.stderr): (p: DownloadProgress) => void {
  let started = Date.now();
  let current = "";
  const tty = Boolean(stream.isTTY);
  return (p) => {
    if (p.file !== current) {
      current = p.file;
      started = Date.now();
    }
    const label = `[${p.index + 1}/${p.count}] ${p.file}`;
    const seconds = Math.max((Date.now() - started) / 1000, 1e-3);
    const speed = (p.bytes - p.resumedFrom) / seconds;
    const resumed = p.resumedFrom > 0 && p.resumedFrom < p.total ? `, resumed at ${megabytes(p.resumedFrom)}` : "";
    if (!tty) {
      if (p.done) stream.write(`${label}: ${megabytes(p.total)}${p.resumedFrom === p.total ? " (cached)" : resumed}\n`);
      return;
    }
    const fraction = p.total > 0 ? p.bytes / p.total : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
    const rate = p.done && p.resumedFrom === p.total ? "cached" : `${megabytes(speed)}/s`;
    stream.write(`\r${label} [${bar}] ${(100 * fraction).toFixed(0).padStart(3)}% ${megabytes(p.bytes)}/${megabytes(p.total)} ${rate}${resumed}\x1b[K`);
    if (p.done) stream.write("\n");
  };
}
