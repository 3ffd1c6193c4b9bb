import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import { saveModel } from "../src/io/checkpoint";
import { initParams } from "../src/model/params";
import { tempDir, tinyConfig, useBackend } from "./helpers";

const ROOT = path.join(__dirname, "..");

function flanlab(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "src", "cli.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("flanlab --help lists the commands; an unknown command is exit code 2", () => {
  const help = flanlab(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /generate\s+generate text/);
  const unknown = flanlab(["fly"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "fly"/);
});

test("every run states its backend; a wrong FLANLAB_BACKEND names the choices", () => {
  const info = flanlab(["info"], { FLANLAB_BACKEND: "cpu" });
  assert.equal(info.code, 0);
  assert.match(info.stderr, /flanlab backend: cpu - /);
  const wrong = flanlab(["info"], { FLANLAB_BACKEND: "tpu" });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /FLANLAB_BACKEND="tpu" is not a backend flanlab knows\. Choices: /);
});

test("flanlab generate runs a checkpoint folder with its tokenizer", async () => {
  await useBackend("cpu");
  const folder = tempDir("cli-model");
  const config = tinyConfig({ vocab_size: 1000 });
  saveModel({ config, params: initParams(config, 3) }, folder, { tokenizerFolder: path.join(ROOT, "models", "quickstart-tokenizer") });
  const run = flanlab(["generate", "--model", folder, "--prompt", "Hello there", "--prompt", "Rate this", "--max-new-tokens", "5"], { FLANLAB_BACKEND: "wasm" });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trimEnd().split("\n").length, 2);
  assert.match(run.stderr, /flanlab backend: wasm/);
  const bad = flanlab(["generate", "--model", folder, "--prompt", "x", "--max-new-tokens", "many"]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--max-new-tokens must be a number, got "many"/);
  assert.match(flanlab(["generate", "--prompt", "x"]).stderr, /--model DIR is required/);
});
