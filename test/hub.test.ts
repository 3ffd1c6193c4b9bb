// Hub names and the Hugging Face cache: fixtures made here in the cache layout Python's huggingface_hub writes
// (models--owner--name/{refs/main, snapshots/<commit>/, blobs/<etag>}), a sharded BF16 checkpoint among them, and
// downloads served by a fake Hub through the fetch @huggingface/hub accepts. Nothing here touches the network: the
// fake fetch refuses any host but its own, and commands run with HF_HUB_OFFLINE=1.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runDownload, resolveHubFlags } from "../src/cli/download";
import { loadModel, weightsFromParams } from "../src/io/checkpoint";
import {
  DownloadProgress,
  HubUnreachableError,
  cachedSnapshot,
  downloadRepo,
  ensureDataset,
  ensureModel,
  hubCacheDir,
  hubNameOfFolder,
  parseDatasetName,
  parseModelName,
  repoCacheFolder,
  resolveDatasetFile,
  resolveModelFolder,
} from "../src/io/hub";
import { HostTensor } from "../src/io/safetensors";
import { readExamples } from "../src/data/formats";
import { T5Config } from "../src/model/config";
import { initParams } from "../src/model/params";
import { paramsFromWeights } from "../src/io/checkpoint";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const ROOT = path.join(__dirname, "..");
const TOKENIZER = path.join(ROOT, "models", "quickstart-tokenizer");
const FAKE_HUB = "https://fake-hub.test";

// ---- fixtures -------------------------------------------------------------------------------------------------

const sha256 = (data: Buffer) => crypto.createHash("sha256").update(data).digest("hex");
const gitOid = (data: Buffer) => crypto.createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
const commitOf = (seed: string) => crypto.createHash("sha1").update(seed).digest("hex");

/** A safetensors file of F32, F16 or BF16 tensors (BF16: the top half of each float32, as PyTorch truncates). */
function safetensors(tensors: Record<string, HostTensor>, dtype: "F32" | "BF16"): Buffer {
  const header: Record<string, unknown> = {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    let bytes: Buffer;
    if (dtype === "F32") bytes = Buffer.from(new Float32Array(t.data).buffer);
    else {
      const words = new Uint32Array(new Float32Array(t.data).buffer);
      bytes = Buffer.alloc(2 * words.length);
      words.forEach((w, i) => bytes.writeUInt16LE(w >>> 16, 2 * i));
    }
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, ...chunks]);
}

/** Disk tensors with the low 16 bits of every float cleared: what reading BF16 must give back exactly. */
function bf16Rounded(weights: Record<string, HostTensor>): Record<string, HostTensor> {
  return Object.fromEntries(
    Object.entries(weights).map(([name, t]) => {
      const words = new Uint32Array(new Float32Array(t.data).buffer);
      for (let i = 0; i < words.length; i++) words[i] = words[i] & 0xffff0000;
      return [name, { shape: t.shape, data: new Float32Array(words.buffer) }];
    }),
  );
}

/** Files of a tiny T5 repository: config, tokenizer, weights (single F32, or two BF16 shards with an index). */
function modelFiles(config: T5Config, seed: number, layout: "single" | "sharded-bf16"): { files: Record<string, Buffer>; weights: Record<string, HostTensor> } {
  const params = initParams(config, seed);
  const weights = weightsFromParams(params);
  Object.values(params).forEach((t) => t.dispose());
  const files: Record<string, Buffer> = {
    "config.json": Buffer.from(JSON.stringify({ ...config, architectures: ["T5ForConditionalGeneration"], model_type: "t5" })),
    "generation_config.json": Buffer.from(JSON.stringify({ decoder_start_token_id: 0, eos_token_id: 1, pad_token_id: 0, max_new_tokens: 7 })),
    "tokenizer.json": fs.readFileSync(path.join(TOKENIZER, "tokenizer.json")),
    "tokenizer_config.json": fs.readFileSync(path.join(TOKENIZER, "tokenizer_config.json")),
    "README.md": Buffer.from("# tiny\n"),
  };
  if (layout === "single") {
    files["model.safetensors"] = safetensors(weights, "F32");
    return { files, weights };
  }
  const names = Object.keys(weights);
  const half = Math.ceil(names.length / 2);
  const shards = [names.slice(0, half), names.slice(half)];
  const weightMap: Record<string, string> = {};
  shards.forEach((shard, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    files[file] = safetensors(Object.fromEntries(shard.map((n) => [n, weights[n]])), "BF16");
    for (const n of shard) weightMap[n] = file;
  });
  files["model.safetensors.index.json"] = Buffer.from(JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
  return { files, weights: bf16Rounded(weights) };
}

/** Write files into a cache the way huggingface_hub does: blobs named by etag, relative links, refs/main. */
function writeCachedRepo(cacheDir: string, type: "model" | "dataset", name: string, files: Record<string, Buffer>, commit = commitOf(name), ref = true): string {
  const repo = repoCacheFolder({ type, name }, cacheDir);
  const snapshot = path.join(repo, "snapshots", commit);
  for (const [file, data] of Object.entries(files)) {
    const blob = path.join(repo, "blobs", file.endsWith(".safetensors") ? sha256(data) : gitOid(data));
    fs.mkdirSync(path.dirname(blob), { recursive: true });
    fs.writeFileSync(blob, data);
    const pointer = path.join(snapshot, file);
    fs.mkdirSync(path.dirname(pointer), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(pointer), blob), pointer);
  }
  if (ref) {
    fs.mkdirSync(path.join(repo, "refs"), { recursive: true });
    fs.writeFileSync(path.join(repo, "refs", "main"), commit);
  }
  return snapshot;
}

const DIALOGSUM_CSV = {
  "train.csv": 'id,dialogue,summary,topic\ntrain_0,"#Person1#: Hi, Mr. Smith.\n#Person2#: Hello.",Mr. Smith greets #Person1#.,greeting\n',
  "validation.csv": "id,dialogue,summary,topic\ndev_0,#Person1#: Ready?,#Person1# asks.,check\n",
  "test.csv": "id,dialogue,summary,topic\ntest_0_1,#Person1#: Bye.,They part.,farewell\ntest_0_2,#Person1#: Bye.,#Person1# leaves.,farewell\n",
};
const dialogsumFiles = (): Record<string, Buffer> => ({
  ...Object.fromEntries(Object.entries(DIALOGSUM_CSV).map(([k, v]) => [k, Buffer.from(v)])),
  "README.md": Buffer.from("# DialogSum\n"),
  ".gitattributes": Buffer.from("*.csv filter=lfs\n"),
});

/** Run `body` with HF_HUB_CACHE (and other variables) set, restoring the environment after. */
async function withEnv<T>(vars: Record<string, string | undefined>, body: () => T | Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

// ---- a fake Hub -----------------------------------------------------------------------------------------------

interface FakeRepo {
  type: "model" | "dataset";
  name: string;
  commit: string;
  files: Record<string, Buffer>;
  /** Paths served as LFS files (listed with a sha256); default: *.safetensors, *.bin. */
  lfs?: (file: string) => boolean;
  /** Paths whose listed checksum is wrong (to test verification). */
  corrupt?: Set<string>;
}

interface FakeHub {
  fetch: typeof fetch;
  requests: { url: string; range?: string }[];
}

/** The Hub's API for these repositories, as @huggingface/hub calls it; any other host is an error. */
function fakeHub(repos: FakeRepo[], options: { ignoreRange?: boolean } = {}): FakeHub {
  const requests: FakeHub["requests"] = [];
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  const find = (type: string, name: string) => repos.find((r) => r.type === type && r.name === name);
  const isLfs = (repo: FakeRepo, file: string) => (repo.lfs ?? ((f: string) => /\.(safetensors|bin)$/.test(f)))(file);
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== FAKE_HUB) throw new Error(`test tried to reach ${url.origin}: tests must not touch the network`);
    const range = request.headers.get("Range") ?? undefined;
    requests.push({ url: url.pathname, range });
    let m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const repo = find(m[1].slice(0, -1), m[2]);
      if (!repo) return json({ error: "Repository not found" }, 404);
      return json({ _id: "0", id: repo.name, sha: repo.commit, private: false, downloads: 0, likes: 0, gated: false, lastModified: "2024-01-01T00:00:00Z" });
    }
    m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const repo = find(m[1].slice(0, -1), m[2]);
      if (!repo) return json({ error: "Repository not found" }, 404);
      return json(
        Object.entries(repo.files).map(([file, data]) => {
          const listed = repo.corrupt?.has(file) ? Buffer.concat([data, Buffer.from("x")]) : data;
          return isLfs(repo, file)
            ? { type: "file", path: file, size: data.length, oid: gitOid(Buffer.from(`lfs pointer ${file}`)), lfs: { oid: sha256(listed), size: data.length, pointerSize: 130 } }
            : { type: "file", path: file, size: data.length, oid: gitOid(listed) };
        }),
      );
    }
    m = /^\/(datasets\/)?([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (m) {
      const repo = find(m[1] ? "dataset" : "model", m[2]);
      const data = repo?.files[decodeURIComponent(m[4])];
      if (!repo || !data) return new Response("not found", { status: 404, headers: { "X-Error-Code": "EntryNotFound" } });
      const headers = { ETag: `"${gitOid(data)}"`, "Content-Type": "application/octet-stream" };
      const r = range && !options.ignoreRange ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
      if (r) {
        const start = Number(r[1]);
        const end = r[2] === "" ? data.length - 1 : Math.min(Number(r[2]), data.length - 1);
        return new Response(data.subarray(start, end + 1), { status: 206, headers: { ...headers, "Content-Range": `bytes ${start}-${end}/${data.length}` } });
      }
      // A server that ignores ranges answers the size probe (bytes=0-0) with the whole file; say the size there.
      return new Response(data, { status: range ? 206 : 200, headers: { ...headers, ...(range ? { "Content-Range": `bytes 0-${data.length - 1}/${data.length}` } : {}) } });
    }
    return json({ error: `no route ${url.pathname}` }, 404);
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

const offlineFetch = (async () => {
  throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ENOTFOUND" } });
}) as unknown as typeof fetch;

// ---- names and the cache folder -------------------------------------------------------------------------------

test("the cache folder follows huggingface_hub: HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME or ~/.cache", () => {
  assert.equal(hubCacheDir({ HF_HUB_CACHE: "/c/hub", HF_HOME: "/h" }), "/c/hub");
  assert.equal(hubCacheDir({ HF_HOME: "/h" }), "/h/hub");
  assert.equal(hubCacheDir({ XDG_CACHE_HOME: "/x" }), "/x/huggingface/hub");
  assert.equal(hubCacheDir({}), path.join(require("os").homedir(), ".cache", "huggingface", "hub"));
  assert.equal(repoCacheFolder({ type: "model", name: "google/flan-t5-small" }, "/c"), "/c/models--google--flan-t5-small");
  assert.equal(repoCacheFolder({ type: "dataset", name: "knkarthick/dialogsum" }, "/c"), "/c/datasets--knkarthick--dialogsum");
  assert.equal(hubNameOfFolder(`/c/models--google--flan-t5-small/snapshots/${commitOf("x")}`), "google/flan-t5-small");
  assert.equal(hubNameOfFolder("/some/folder"), undefined);
});

test("Hub names and paths are told apart; short names map to their repositories", () => {
  assert.equal(parseModelName("google/flan-t5-small"), "google/flan-t5-small");
  assert.equal(parseModelName("flan-t5-base"), "google/flan-t5-base");
  assert.equal(parseModelName("t5-small"), "google-t5/t5-small");
  for (const p of ["./google/flan-t5-small", "/abs/x", "a/b/c", "model", "~/x", "data/file.json"]) assert.equal(parseModelName(p), undefined, p);
  assert.deepEqual(parseDatasetName("knkarthick/dialogsum"), { name: "knkarthick/dialogsum", split: undefined });
  assert.deepEqual(parseDatasetName("knkarthick/dialogsum:test"), { name: "knkarthick/dialogsum", split: "test" });
  assert.equal(parseDatasetName("datasets/dialogsum/train.csv"), undefined);
  assert.equal(parseDatasetName("train.csv"), undefined);
});

// ---- loading from a cache Python would have written ----------------------------------------------------------

test("a model in the cache loads by name: single F32 file, and sharded BF16 with model.safetensors.index.json", async () => {
  await useBackend("cpu");
  const cache = tempDir("hub-cache");
  const config = tinyConfig({ vocab_size: 1000 });
  const single = modelFiles(config, 1, "single");
  const sharded = modelFiles(config, 2, "sharded-bf16");
  const singleSnapshot = writeCachedRepo(cache, "model", "google/flan-t5-small", single.files);
  writeCachedRepo(cache, "model", "flanlab-test/tiny-bf16-sharded", sharded.files);
  await withEnv({ HF_HUB_CACHE: cache }, () => {
    assert.equal(resolveModelFolder("google/flan-t5-small"), singleSnapshot);
    assert.equal(resolveModelFolder("flan-t5-small"), singleSnapshot);
    for (const [name, expected] of [["google/flan-t5-small", single.weights], ["flanlab-test/tiny-bf16-sharded", sharded.weights]] as const) {
      const model = loadModel(name);
      const want = paramsFromWeights(expected, config, "expected");
      for (const key of Object.keys(want)) assert.deepEqual(model.params[key].dataSync(), want[key].dataSync(), `${name} ${key}`);
      Object.values(model.params).forEach((t) => t.dispose());
      Object.values(want).forEach((t) => t.dispose());
    }
  });
});

test("an old Python cache of t5-small (models--t5-small) is found under both names; a local folder wins over the cache", async () => {
  const cache = tempDir("hub-legacy");
  const { files } = modelFiles(tinyConfig({ vocab_size: 1000, feed_forward_proj: "relu", tie_word_embeddings: true }), 3, "single");
  const snapshot = writeCachedRepo(cache, "model", "t5-small", files);
  await withEnv({ HF_HUB_CACHE: cache }, () => {
    assert.equal(resolveModelFolder("t5-small"), snapshot);
    assert.equal(resolveModelFolder("google-t5/t5-small"), snapshot);
  });
  const cwd = process.cwd();
  const local = tempDir("hub-local");
  fs.mkdirSync(path.join(local, "google", "flan-t5-small"), { recursive: true });
  try {
    process.chdir(local);
    assert.equal(resolveModelFolder("google/flan-t5-small"), "google/flan-t5-small");
  } finally {
    process.chdir(cwd);
  }
});

test("a cache without refs/main (copied by hand) still resolves to its usable snapshot", async () => {
  const cache = tempDir("hub-noref");
  const { files } = modelFiles(tinyConfig(), 4, "single");
  const snapshot = writeCachedRepo(cache, "model", "google/flan-t5-base", files, commitOf("b"), false);
  assert.equal(cachedSnapshot({ type: "model", name: "google/flan-t5-base" }, { cacheDir: cache }), snapshot);
  assert.equal(resolveModelFolder("google/flan-t5-base", { cacheDir: cache }), snapshot);
});

test("without a cached copy the error says what to download and where it goes; partial and PyTorch-only copies are named", async () => {
  const cache = tempDir("hub-missing");
  await withEnv({ HF_HUB_CACHE: cache }, () => {
    assert.throws(() => loadModel("google/flan-t5-small"), (e: Error) => {
      assert.match(e.message, /no copy of the Hub model google\/flan-t5-small in the Hugging Face cache/);
      assert.ok(e.message.includes("flanlab download model google/flan-t5-small"), e.message);
      assert.ok(e.message.includes(path.join(cache, "models--google--flan-t5-small")), e.message);
      assert.match(e.message, /HF_HUB_CACHE or HF_HOME/);
      return true;
    });
    assert.throws(() => loadModel(path.join(cache, "nope")), /model folder not found/);
  });
  const { files } = modelFiles(tinyConfig(), 5, "sharded-bf16");
  delete files["model-00002-of-00002.safetensors"];
  writeCachedRepo(cache, "model", "someone/partial", files);
  assert.throws(() => resolveModelFolder("someone/partial", { cacheDir: cache }), /lacks model-00002-of-00002\.safetensors: run the download again, it resumes/);
  const pt = { "config.json": Buffer.from("{}"), "pytorch_model.bin": Buffer.from("pickle") };
  writeCachedRepo(cache, "model", "someone/pytorch-only", pt);
  assert.throws(() => resolveModelFolder("someone/pytorch-only", { cacheDir: cache }), (e: Error) => {
    assert.match(e.message, /only PyTorch weights \(pytorch_model\.bin\)/);
    assert.match(e.message, /save_pretrained\('models\/pytorch-only', safe_serialization=True\)/);
    return true;
  });
});

test("a dataset in the cache resolves per split (train.csv, NAME:test) and reads as DialogSum's Hub CSV", () => {
  const cache = tempDir("hub-data");
  const snapshot = writeCachedRepo(cache, "dataset", "knkarthick/dialogsum", dialogsumFiles());
  const options = { cacheDir: cache };
  assert.equal(resolveDatasetFile("knkarthick/dialogsum", "train", options), path.join(snapshot, "train.csv"));
  assert.equal(resolveDatasetFile("knkarthick/dialogsum", "validation", options), path.join(snapshot, "validation.csv"));
  const testFile = resolveDatasetFile("knkarthick/dialogsum:test", "train", options);
  assert.equal(testFile, path.join(snapshot, "test.csv"));
  const read = readExamples(testFile);
  assert.equal(read.examples.length, 1);
  assert.deepEqual(read.examples[0].references, ["They part.", "#Person1# leaves."]);
  // A local folder with the original DialogSum file names works the same way.
  const local = tempDir("dialogsum-local");
  fs.writeFileSync(path.join(local, "dialogsum.train.jsonl"), "{}\n");
  fs.writeFileSync(path.join(local, "dialogsum.dev.jsonl"), "{}\n");
  assert.equal(resolveDatasetFile(local, "validation"), path.join(local, "dialogsum.dev.jsonl"));
  assert.throws(() => resolveDatasetFile(local, "test"), /no file for the "test" split; its data files: dialogsum\.dev\.jsonl, dialogsum\.train\.jsonl/);
  assert.throws(() => resolveDatasetFile("knkarthick/samsum", "train", options), (e: Error) => {
    assert.ok(e.message.includes("flanlab download dataset knkarthick/samsum"), e.message);
    assert.ok(e.message.includes(path.join(cache, "datasets--knkarthick--samsum")), e.message);
    return true;
  });
});

// ---- downloading from the fake Hub ----------------------------------------------------------------------------

test("download: what flanlab reads, into the cache layout Python uses, verified, with progress; then it loads by name", async () => {
  await useBackend("cpu");
  const cache = tempDir("hub-download");
  const config = tinyConfig({ vocab_size: 1000 });
  const { files, weights } = modelFiles(config, 6, "single");
  const remote: FakeRepo = {
    type: "model",
    name: "google/flan-t5-small",
    commit: commitOf("remote"),
    files: { ...files, "pytorch_model.bin": Buffer.from("pickle"), "tf_model.h5": Buffer.from("h5"), "onnx/encoder.onnx": Buffer.from("onnx"), ".gitattributes": Buffer.from("") },
  };
  const hub = fakeHub([remote]);
  const events: DownloadProgress[] = [];
  const result = await downloadRepo({ type: "model", name: "google/flan-t5-small" }, { cacheDir: cache, fetch: hub.fetch, hubUrl: FAKE_HUB, onProgress: (p) => events.push(p) });
  const repo = path.join(cache, "models--google--flan-t5-small");
  assert.equal(result.folder, path.join(repo, "snapshots", remote.commit));
  assert.equal(fs.readFileSync(path.join(repo, "refs", "main"), "utf8"), remote.commit);
  assert.deepEqual(result.files.map((f) => f.path).sort(), Object.keys(files).sort());
  assert.ok(result.files.every((f) => f.status === "downloaded"));
  // Blobs are named as huggingface_hub names them: sha256 for LFS files, the git blob id for the others.
  assert.ok(fs.existsSync(path.join(repo, "blobs", sha256(files["model.safetensors"]))));
  assert.ok(fs.existsSync(path.join(repo, "blobs", gitOid(files["config.json"]))));
  const link = path.join(result.folder, "model.safetensors");
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readlinkSync(link), path.join("..", "..", "blobs", sha256(files["model.safetensors"])));
  assert.ok(!fs.existsSync(path.join(result.folder, "pytorch_model.bin")));
  assert.ok(!fs.readdirSync(path.join(repo, "blobs")).some((b) => b.endsWith(".incomplete")));
  const done = events.filter((e) => e.done);
  assert.equal(done.length, Object.keys(files).length);
  assert.ok(done.every((e) => e.bytes === e.total && e.count === Object.keys(files).length));
  await withEnv({ HF_HUB_CACHE: cache }, () => {
    const model = loadModel("google/flan-t5-small");
    const want = paramsFromWeights(weights, config, "expected");
    assert.deepEqual(model.params["shared.weight"].dataSync(), want["shared.weight"].dataSync());
  });
  // Again: nothing is fetched but the listing.
  const before = hub.requests.length;
  const again = await downloadRepo({ type: "model", name: "google/flan-t5-small" }, { cacheDir: cache, fetch: hub.fetch, hubUrl: FAKE_HUB });
  assert.ok(again.files.every((f) => f.status === "cached"));
  const asked = hub.requests.slice(before).map((r) => r.url);
  assert.equal(asked.length, 2); // the commit and the file list
  assert.ok(asked.every((u) => u.startsWith("/api/models/")), asked.join(" "));
});

test("download of a sharded checkpoint takes the index and every shard; a repo with only pytorch_model.bin is refused with the conversion command", async () => {
  const cache = tempDir("hub-shards");
  const { files } = modelFiles(tinyConfig(), 7, "sharded-bf16");
  const hub = fakeHub([
    { type: "model", name: "someone/sharded", commit: commitOf("s"), files },
    { type: "model", name: "someone/old", commit: commitOf("o"), files: { "config.json": Buffer.from("{}"), "pytorch_model.bin": Buffer.from("pickle") } },
  ]);
  const result = await downloadRepo({ type: "model", name: "someone/sharded" }, { cacheDir: cache, fetch: hub.fetch, hubUrl: FAKE_HUB });
  assert.deepEqual(
    result.files.map((f) => f.path).filter((f) => f.startsWith("model")).sort(),
    ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json"],
  );
  assert.equal(resolveModelFolder("someone/sharded", { cacheDir: cache }), result.folder);
  await assert.rejects(downloadRepo({ type: "model", name: "someone/old" }, { cacheDir: cache, fetch: hub.fetch, hubUrl: FAKE_HUB }), /pytorch_model\.bin.*\n.*safe_serialization=True/);
  await assert.rejects(downloadRepo({ type: "model", name: "someone/absent" }, { cacheDir: cache, fetch: hub.fetch, hubUrl: FAKE_HUB }), /has no model someone\/absent you can read \(HTTP 404\)/);
});

test("an interrupted download resumes from its .incomplete file with a range request", async () => {
  const cache = tempDir("hub-resume");
  const { files } = modelFiles(tinyConfig({ vocab_size: 1000 }), 8, "single");
  const remote: FakeRepo = { type: "model", name: "google/flan-t5-small", commit: commitOf("r"), files };
  const data = files["model.safetensors"];
  const blobs = path.join(repoCacheFolder({ type: "model", name: remote.name }, cache), "blobs");
  fs.mkdirSync(blobs, { recursive: true });
  const kept = 1000;
  fs.writeFileSync(path.join(blobs, `${sha256(data)}.incomplete`), data.subarray(0, kept));
  const hub = fakeHub([remote]);
  const events: DownloadProgress[] = [];
  const result = await downloadRepo({ type: "model", name: remote.name }, { cacheDir: cache, fetch: hub.fetch, hubUrl: FAKE_HUB, onProgress: (p) => events.push(p) });
  assert.equal(result.files.find((f) => f.path === "model.safetensors")!.status, "resumed");
  assert.ok(hub.requests.some((r) => r.url.endsWith("/model.safetensors") && r.range === `bytes=${kept}-${data.length - 1}`), JSON.stringify(hub.requests));
  assert.deepEqual(fs.readFileSync(path.join(result.folder, "model.safetensors")), data);
  assert.ok(events.some((e) => e.file === "model.safetensors" && e.resumedFrom === kept));

  // A server that ignores the range sends the whole file again: the check catches it and one fresh try fixes it.
  const cache2 = tempDir("hub-resume-norange");
  const blobs2 = path.join(repoCacheFolder({ type: "model", name: remote.name }, cache2), "blobs");
  fs.mkdirSync(blobs2, { recursive: true });
  fs.writeFileSync(path.join(blobs2, `${sha256(data)}.incomplete`), data.subarray(0, kept));
  const logs: string[] = [];
  const fixed = await downloadRepo({ type: "model", name: remote.name }, { cacheDir: cache2, fetch: fakeHub([remote], { ignoreRange: true }).fetch, hubUrl: FAKE_HUB, log: (l) => logs.push(l) });
  assert.deepEqual(fs.readFileSync(path.join(fixed.folder, "model.safetensors")), data);
  assert.ok(logs.some((l) => /did not verify/.test(l)), logs.join("\n"));
});

test("a file that does not match the Hub's sha256 or git id is deleted and reported", async () => {
  const cache = tempDir("hub-corrupt");
  const { files } = modelFiles(tinyConfig(), 9, "single");
  for (const bad of ["model.safetensors", "config.json"]) {
    const remote: FakeRepo = { type: "model", name: `someone/corrupt-${bad.split(".")[0]}`, commit: commitOf(bad), files, corrupt: new Set([bad]) };
    await assert.rejects(
      downloadRepo({ type: "model", name: remote.name }, { cacheDir: cache, fetch: fakeHub([remote]).fetch, hubUrl: FAKE_HUB }),
      new RegExp(`${bad.replace(".", "\\.")}: the download is corrupt \\(${bad === "config.json" ? "git sha1" : "sha256"} [0-9a-f]+ where the Hub lists`),
    );
    const blobs = path.join(repoCacheFolder({ type: "model", name: remote.name }, cache), "blobs");
    assert.ok(!fs.readdirSync(blobs).some((b) => b.endsWith(".incomplete")));
  }
});

test("without network a cached copy is used; without one the error says what to download; HF_HUB_OFFLINE asks nothing", async () => {
  const cache = tempDir("hub-offline");
  const { files } = modelFiles(tinyConfig(), 10, "single");
  const snapshot = writeCachedRepo(cache, "model", "google/flan-t5-small", files);
  const logs: string[] = [];
  const cached = await downloadRepo({ type: "model", name: "google/flan-t5-small" }, { cacheDir: cache, fetch: offlineFetch, hubUrl: FAKE_HUB, log: (l) => logs.push(l) });
  assert.equal(cached.offline, true);
  assert.equal(cached.folder, snapshot);
  assert.match(logs[0], /cannot reach https:\/\/fake-hub\.test: fetch failed \(ENOTFOUND\); using the cached copy/);
  await assert.rejects(downloadRepo({ type: "model", name: "google/flan-t5-base" }, { cacheDir: cache, fetch: offlineFetch, hubUrl: FAKE_HUB }), (e: Error) => {
    assert.ok(e instanceof HubUnreachableError);
    assert.match(e.message, /flanlab download model google\/flan-t5-base/);
    assert.match(e.message, /cannot reach/);
    return true;
  });
  let asked = 0;
  const counting = (async () => {
    asked++;
    throw new Error("must not be called");
  }) as unknown as typeof fetch;
  await withEnv({ HF_HUB_OFFLINE: "1" }, async () => {
    const result = await downloadRepo({ type: "model", name: "google/flan-t5-small" }, { cacheDir: cache, fetch: counting, hubUrl: FAKE_HUB });
    assert.equal(result.folder, snapshot);
    await assert.rejects(ensureModel("google/flan-t5-large", { cacheDir: cache, fetch: counting, hubUrl: FAKE_HUB }), /flanlab download model google\/flan-t5-large/);
  });
  assert.equal(asked, 0);
});

test("ensureModel and ensureDataset download what the cache lacks, then resolve from the cache", async () => {
  const cache = tempDir("hub-ensure");
  const { files } = modelFiles(tinyConfig(), 11, "single");
  const hub = fakeHub([
    { type: "model", name: "google/flan-t5-small", commit: commitOf("m"), files },
    { type: "dataset", name: "knkarthick/dialogsum", commit: commitOf("d"), files: dialogsumFiles() },
  ]);
  const options = { cacheDir: cache, fetch: hub.fetch, hubUrl: FAKE_HUB };
  await withEnv({ HF_HUB_OFFLINE: undefined }, async () => {
    const folder = await ensureModel("flan-t5-small", options);
    assert.equal(folder, path.join(cache, "models--google--flan-t5-small", "snapshots", commitOf("m")));
    const test = await ensureDataset("knkarthick/dialogsum", "test", options);
    assert.equal(path.basename(test), "test.csv");
    assert.ok(!fs.existsSync(path.join(path.dirname(test), ".gitattributes")));
    const asked = hub.requests.length;
    assert.equal(await ensureDataset("knkarthick/dialogsum:validation", "train", options), path.join(path.dirname(test), "validation.csv"));
    assert.equal(await ensureModel("google/flan-t5-small", options), folder);
    assert.equal(hub.requests.length, asked, "a cached copy needs no request");
  });
});

// ---- the CLI --------------------------------------------------------------------------------------------------

test("flanlab download model|dataset prints the snapshot folder; --model/--data take Hub names from the cache", async () => {
  const cache = tempDir("hub-cli");
  const { files } = modelFiles(tinyConfig({ vocab_size: 1000 }), 12, "single");
  const hub = fakeHub([
    { type: "model", name: "google/flan-t5-small", commit: commitOf("c"), files },
    { type: "dataset", name: "knkarthick/dialogsum", commit: commitOf("e"), files: dialogsumFiles() },
  ]);
  const printed: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (line: string) => printed.push(line);
  console.error = () => {};
  let model, data;
  try {
    model = await runDownload("model", ["google/flan-t5-small", "--cache-dir", cache], { fetch: hub.fetch, hubUrl: FAKE_HUB });
    data = await runDownload("dataset", ["knkarthick/dialogsum", "--cache-dir", cache], { fetch: hub.fetch, hubUrl: FAKE_HUB });
  } finally {
    console.log = log;
    console.error = error;
  }
  assert.deepEqual(printed, [model.folder, data.folder]);
  await withEnv({ HF_HUB_CACHE: cache }, () => {
    const args = resolveHubFlags("train", ["--model", "google/flan-t5-small", "--data", "knkarthick/dialogsum", "--eval-data=knkarthick/dialogsum", "--out", "x"]);
    assert.deepEqual(args, ["--model", model.folder, "--data", path.join(data.folder, "train.csv"), `--eval-data=${path.join(data.folder, "validation.csv")}`, "--out", "x"]);
    const evalArgs = resolveHubFlags("eval", ["--model", "flan-t5-small", "--data", "knkarthick/dialogsum", "--split", "validation"]);
    assert.equal(evalArgs[3], path.join(data.folder, "validation.csv"));
    assert.deepEqual(resolveHubFlags("eval", ["--data", "knkarthick/dialogsum:test"]), ["--data", path.join(data.folder, "test.csv")]);
    // Values that cannot be Hub names pass through for the command to judge.
    assert.deepEqual(resolveHubFlags("train", ["--model", "/no/such/folder", "--data", "mine.csv"]), ["--model", "/no/such/folder", "--data", "mine.csv"]);
  });

  const env = { HF_HUB_CACHE: cache, HF_HUB_OFFLINE: "1", FLANLAB_BACKEND: "wasm" };
  const cli = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "src", "cli.ts"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  const run = cli(["generate", "--model", "google/flan-t5-small", "--prompt", "Hello there"]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trimEnd().split("\n").length, 1);
  assert.ok(run.stderr.includes(`--model google/flan-t5-small: ${model.folder}`), run.stderr);
  const missing = cli(["generate", "--model", "google/flan-t5-base", "--prompt", "x"]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /flanlab download model google\/flan-t5-base/);
  const offline = cli(["download", "model", "google/flan-t5-small"]);
  assert.equal(offline.status, 0, offline.stderr);
  assert.equal(offline.stdout.trim(), model.folder);
  assert.match(offline.stderr, /HF_HUB_OFFLINE is set; using the cached copy/);
});
