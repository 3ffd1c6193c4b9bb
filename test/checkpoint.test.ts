import { before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { loadModel, paramsFromWeights, readWeights, saveModel } from "../src/io/checkpoint";
import { parseSafetensors, serializeSafetensors } from "../src/io/safetensors";
import { makeConfig } from "../src/model/config";
import { countParameters, initParams } from "../src/model/params";
import { T5_FIXTURES, tempDir, tinyConfig, useBackend } from "./helpers";

before(() => useBackend("cpu"));

/** A safetensors file with one tensor of raw little-endian bytes in the given dtype. */
function rawSafetensors(dtype: string, shape: number[], bytes: number[]): Uint8Array {
  const header = JSON.stringify({ x: { dtype, shape, data_offsets: [0, bytes.length] } });
  const out = new Uint8Array(8 + header.length + bytes.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(new TextEncoder().encode(header), 8);
  out.set(bytes, 8 + header.length);
  return out;
}

describe("safetensors", () => {
  test("F32 round trip is bit-exact and the header is 8-byte aligned", () => {
    const data = new Float32Array([1.5, -2.25, 3e-8, 65504, NaN, -0]);
    const bytes = serializeSafetensors({ w: { shape: [2, 3], data } });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal((8 + headerLength) % 8, 0);
    const back = parseSafetensors(bytes).tensors.w;
    assert.deepEqual(back.shape, [2, 3]);
    assert.deepEqual(new Uint8Array(back.data.buffer), new Uint8Array(data.buffer));
  });

  test("F16 and BF16 are widened to float32", () => {
    // F16: 1.0 = 0x3c00, -2.0 = 0xc000, 65504 = 0x7bff, 2^-24 (subnormal) = 0x0001
    const f16 = parseSafetensors(rawSafetensors("F16", [4], [0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00])).tensors.x;
    assert.deepEqual(Array.from(f16.data), [1, -2, 65504, 2 ** -24]);
    // BF16: 1.0 = 0x3f80, -3.5 = 0xc060
    const bf16 = parseSafetensors(rawSafetensors("BF16", [2], [0x80, 0x3f, 0x60, 0xc0])).tensors.x;
    assert.deepEqual(Array.from(bf16.data), [1, -3.5]);
  });

  test("unsupported dtypes and broken files name the file and tensor", () => {
    assert.throws(() => parseSafetensors(rawSafetensors("I64", [1], [0, 0, 0, 0, 0, 0, 0, 0]), "m.safetensors"), /m\.safetensors: tensor "x" has dtype I64/);
    assert.throws(() => parseSafetensors(new Uint8Array(4), "m.safetensors"), /m\.safetensors: too short/);
    assert.throws(() => parseSafetensors(rawSafetensors("F32", [3], [0, 0, 0, 0]), "m.safetensors"), /inconsistent data_offsets/);
  });
});

describe("checkpoint folders", () => {
  test("save -> load round trip is bit-exact, and saving again writes the same bytes", () => {
    const config = tinyConfig();
    const params = initParams(config, 7);
    const dir = tempDir("roundtrip");
    saveModel({ config, params }, dir);
    const loaded = loadModel(dir);
    for (const [name, tensor] of Object.entries(params)) {
      assert.deepEqual(loaded.params[name].shape, tensor.shape, name);
      assert.deepEqual(loaded.params[name].dataSync(), tensor.dataSync(), name);
    }
    const again = tempDir("roundtrip2");
    saveModel(loaded, again);
    assert.deepEqual(fs.readFileSync(path.join(again, "model.safetensors")), fs.readFileSync(path.join(dir, "model.safetensors")));
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")).d_model, config.d_model);
  });

  test("disk keeps PyTorch's [out, in] layout for linear weights", () => {
    const config = tinyConfig({ d_ff: 24 });
    const dir = tempDir("layout");
    saveModel({ config, params: initParams(config, 1) }, dir);
    const weights = readWeights(dir);
    assert.deepEqual(weights["encoder.block.0.layer.1.DenseReluDense.wi_0.weight"].shape, [24, 16]);
    assert.deepEqual(weights["encoder.block.0.layer.1.DenseReluDense.wo.weight"].shape, [16, 24]);
    assert.deepEqual(weights["lm_head.weight"].shape, [40, 16]);
    assert.deepEqual(weights["shared.weight"].shape, [40, 16]);
  });

  test("accepts embed_tokens copies of shared.weight, and no lm_head when tied", () => {
    const dir = path.join(T5_FIXTURES, "tiny-t5");
    const weights = readWeights(dir);
    assert.equal(weights["lm_head.weight"], undefined);
    const config = makeConfig(JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")));
    const withCopies = {
      ...weights,
      "encoder.embed_tokens.weight": weights["shared.weight"],
      "decoder.embed_tokens.weight": weights["shared.weight"],
    };
    const params = paramsFromWeights(withCopies, config, "copies");
    assert.equal(Object.keys(params).length, Object.keys(weights).length);
    Object.values(params).forEach((t) => t.dispose());
  });

  test("a config that does not match the weights names the tensor and both shapes", () => {
    const dir = tempDir("mismatch");
    fs.cpSync(path.join(T5_FIXTURES, "tiny-flan"), dir, { recursive: true });
    const config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ ...config, d_ff: 64 }));
    assert.throws(() => loadModel(dir), /tensor "encoder\.block\.0\.layer\.1\.DenseReluDense\.wi_0\.weight" has shape \[32,48\] but the config implies \[32,64\]/);
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ ...config, num_layers: 3 }));
    assert.throws(() => loadModel(dir), /missing tensor\(s\) encoder\.block\.2\./);
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ ...config, num_layers: 1 }));
    assert.throws(() => loadModel(dir), /encoder\.block\.1\.\S+ are not part of a T5 with this config\.json/);
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ ...config, d_model: -1 }));
    assert.throws(() => loadModel(dir), /config\.json: field "d_model" must be a positive integer/);
  });

  test("missing weights, and pytorch_model.bin, get clear messages", () => {
    const dir = tempDir("bin");
    fs.copyFileSync(path.join(T5_FIXTURES, "tiny-flan", "config.json"), path.join(dir, "config.json"));
    assert.throws(() => loadModel(dir), /no model\.safetensors or model\.safetensors\.index\.json/);
    fs.writeFileSync(path.join(dir, "pytorch_model.bin"), "");
    assert.throws(() => loadModel(dir), /pytorch_model\.bin, which flanlab cannot read: convert it/);
    assert.throws(() => loadModel(path.join(dir, "nope")), /model folder not found/);
  });

  test("sharded checkpoints load through model.safetensors.index.json", () => {
    const source = path.join(T5_FIXTURES, "tiny-flan");
    const weights = readWeights(source);
    const names = Object.keys(weights);
    const dir = tempDir("sharded");
    fs.copyFileSync(path.join(source, "config.json"), path.join(dir, "config.json"));
    const halves = [names.slice(0, names.length / 2), names.slice(names.length / 2)];
    const weightMap: Record<string, string> = {};
    halves.forEach((part, i) => {
      const file = `model-0000${i + 1}-of-00002.safetensors`;
      fs.writeFileSync(path.join(dir, file), serializeSafetensors(Object.fromEntries(part.map((n) => [n, weights[n]]))));
      part.forEach((n) => (weightMap[n] = file));
    });
    fs.writeFileSync(path.join(dir, "model.safetensors.index.json"), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    const sharded = loadModel(dir);
    const single = loadModel(source);
    for (const name of Object.keys(single.params)) assert.deepEqual(sharded.params[name].dataSync(), single.params[name].dataSync());
  });

  test("parameter count of a config equals the tensors it builds", () => {
    const config = tinyConfig();
    const params = initParams(config, 0);
    const built = Object.values(params).reduce((sum, t) => sum + t.size, 0);
    assert.equal(countParameters(config), built);
    // by hand: shared 40x16 + lm_head 16x40, per encoder layer 4 attn 16x16 + 3 ff (2 x 16x24 + 24x16) + 2 norms,
    // per decoder layer 8 attn + 3 ff + 3 norms, 2 final norms, 2 bias tables 8x4
    const attention = 4 * 16 * 16;
    const ff = 3 * 16 * 24;
    const expected = 2 * 40 * 16 + 2 * (attention + ff + 2 * 16) + 2 * (2 * attention + ff + 3 * 16) + 2 * 16 + 2 * 8 * 4;
    assert.equal(countParameters(config), expected);
    Object.values(params).forEach((t) => t.dispose());
    tf.disposeVariables();
  });
});
