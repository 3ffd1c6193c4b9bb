// Greedy generation speed with and without the KV cache on a tiny random T5 (FLAN-T5 vocabulary).
// Run: node --import tsx bench/generate.bench.ts [backend]   (default wasm)
import * as tf from "@tensorflow/tfjs";
import { describeBackend, initBackend } from "../src/backend";
import { makeConfig } from "../src/model/config";
import { GenerationOptions, generate } from "../src/model/generate";
import { mulberry32 } from "../src/random";
import { initParams } from "../src/model/params";

async function main(): Promise<void> {
  await initBackend(process.argv[2] ?? "wasm");
  console.log(describeBackend());
  const config = makeConfig({
    vocab_size: 32128,
    d_model: 128,
    d_kv: 32,
    num_heads: 4,
    d_ff: 512,
    num_layers: 2,
    num_decoder_layers: 2,
    feed_forward_proj: "gated-gelu",
    tie_word_embeddings: false,
    dropout_rate: 0,
  });
  const model = { config, params: initParams(config, 0) };
  const sourceLength = 32;
  const newTokens = 64;
  console.log(`d_model ${config.d_model}, ${config.num_layers}+${config.num_decoder_layers} layers, vocab ${config.vocab_size}, source ${sourceLength} tokens, ${newTokens} new tokens`);
  const random = mulberry32(1);
  const rows = (batch: number) => Array.from({ length: batch }, () => Array.from({ length: sourceLength }, () => 2 + Math.floor(random() * 1000)));
  const time = (batch: number, options: GenerationOptions) => {
    const input = { inputIds: rows(batch) };
    generate(model, input, { ...options, maxNewTokens: 4 }); // warm-up
    const start = performance.now();
    const out = generate(model, input, { ...options, maxNewTokens: newTokens, stopAtEos: false });
    const seconds = (performance.now() - start) / 1000;
    const tokens = out.reduce((n, r) => n + r.length, 0);
    return { seconds, tokensPerSecond: tokens / seconds };
  };
  for (const batch of [1, 8]) {
    for (const [name, options] of [
      ["greedy, cache", { useCache: true }],
      ["greedy, no cache", { useCache: false }],
      ["beam 4, cache", { useCache: true, numBeams: 4 }],
    ] as [string, GenerationOptions][]) {
      const { seconds, tokensPerSecond } = time(batch, options);
      console.log(`batch ${batch}, ${name}: ${seconds.toFixed(2)} s, ${tokensPerSecond.toFixed(0)} tokens/s (${((seconds * 1000) / newTokens).toFixed(1)} ms/step)`);
    }
  }
  console.log(`tensors alive: ${tf.memory().numTensors}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
