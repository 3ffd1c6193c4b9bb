import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadTokenizer, saveTokenizer, tokenizerFromJson, type Tokenizer } from "../src/io/tokenizer";
import {
  checkT5Vocab,
  parseSentencePieceVocab,
  sentinelEntries,
  sentinelToken,
  t5TokenizerConfig,
  t5TokenizerJson,
  type TokenizerJson,
  type VocabEntry,
} from "../src/io/sentencepiece";
import { sentinelId } from "../src/data/span-corruption";
import { spmTrainFlags, trainTokenizer } from "../scripts/train-tokenizer";

const ROOT = path.join(__dirname, "..");
const SHIPPED = path.join(ROOT, "models", "quickstart-tokenizer");
const QUICKSTART = path.join(ROOT, "datasets", "quickstart");

const examples = fs
  .readFileSync(path.join(QUICKSTART, "examples.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as { input: string; target: string });

/** Plain ASCII text with numbers and punctuation; single spaces, so it must come back unchanged. */
const ASCII_SENTENCES = [
  "Order #48213 cost $1,299.50 (incl. 20% tax) - is that right?",
  "Email me at anna@example.com; thanks!",
  "3 + 4 = 7, and 10/2 is 5.",
  "Ratings: 5/5, 4.5/5 & 'great' \"quotes\" [ok] {x} <y> a_b ~z ^ | \\ `",
  "a . b ,c !",
];

let tokenizer: Tokenizer;
let tmp: string;
before(async () => {
  tokenizer = await loadTokenizer(SHIPPED);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flanlab-tokenizer-test-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("shipped quickstart tokenizer", () => {
  test("has T5's special ids and the vocabulary of its tokenizer.json", () => {
    const json = JSON.parse(fs.readFileSync(path.join(SHIPPED, "tokenizer.json"), "utf8"));
    assert.equal(tokenizer.padTokenId, 0);
    assert.equal(tokenizer.eosTokenId, 1);
    assert.equal(tokenizer.unkTokenId, 2);
    assert.equal(tokenizer.vocabSize, json.model.vocab.length);
    assert.equal(tokenizer.vocabSize, 1000);
    assert.equal(tokenizer.folder, SHIPPED);
  });

  test("encode appends </s> once and ids are the Unigram vocab positions of the pieces", () => {
    const json = JSON.parse(fs.readFileSync(path.join(SHIPPED, "tokenizer.json"), "utf8"));
    const position = new Map<string, number>(json.model.vocab.map(([piece]: VocabEntry, i: number) => [piece, i]));
    for (const text of [...examples.map((e) => e.input), ...ASCII_SENTENCES]) {
      const ids = tokenizer.encode(text);
      assert.equal(ids[ids.length - 1], 1, text);
      assert.equal(ids.indexOf(1), ids.length - 1, `only one </s> in ${text}`);
      assert.ok(!ids.includes(2), `no <unk> in ${text}`);
      assert.deepEqual(ids.slice(0, -1), tokenizer.tokenize(text).map((piece) => position.get(piece)), text);
      assert.deepEqual(ids.slice(0, -1).map((id) => tokenizer.idToToken(id)), tokenizer.tokenize(text));
    }
    assert.deepEqual(tokenizer.encode(""), [1]);
  });

  test("decode(encode(text)) gives the text back", () => {
    const texts = [...examples.flatMap((e) => [e.input, e.target]), ...ASCII_SENTENCES];
    for (const text of texts) assert.equal(tokenizer.decode(tokenizer.encode(text)), text);
  });

  test("whitespace is normalized, unseen characters become <unk>", () => {
    assert.equal(tokenizer.decode(tokenizer.encode("  Hello \t world \n ")), "Hello world");
    assert.deepEqual(tokenizer.encode("  Hello \t world \n "), tokenizer.encode("Hello world"));
    assert.ok(tokenizer.encode("I \u{1F600} it").includes(2));
    assert.equal(tokenizer.decode(tokenizer.encode("\uFB01ne")), "fine"); // NFKC: the "fi" ligature
  });

  test("decode skips special tokens unless asked not to", () => {
    const ids = [...tokenizer.encode("Great, thanks for your help."), 0, 0];
    assert.equal(tokenizer.decode(ids), "Great, thanks for your help.");
    assert.equal(tokenizer.decode(ids, { skipSpecialTokens: false }), "Great, thanks for your help.</s><pad><pad>");
    assert.equal(tokenizer.decode([]), "");
    assert.equal(tokenizer.decode([1, 0]), "");
    assert.deepEqual(tokenizer.decodeBatch([tokenizer.encode("positive"), [0, 1]]), ["positive", ""]);
  });
});

describe("encodeBatch", () => {
  const texts = ["Rate this review from 1 to 5: Complete waste of money!", "positive", "Hello world"];

  test("pads on the right to the longest row with a matching mask", () => {
    const single = texts.map((t) => tokenizer.encode(t));
    const longest = Math.max(...single.map((ids) => ids.length));
    const { inputIds, attentionMask } = tokenizer.encodeBatch(texts);
    assert.equal(inputIds.length, 3);
    single.forEach((ids, row) => {
      assert.equal(inputIds[row].length, longest);
      assert.equal(attentionMask[row].length, longest);
      assert.deepEqual(inputIds[row].slice(0, ids.length), ids);
      assert.ok(inputIds[row].slice(ids.length).every((id) => id === 0));
      assert.deepEqual(attentionMask[row], ids.map(() => 1).concat(new Array(longest - ids.length).fill(0)));
    });
  });

  test("truncates to maxLength keeping the final </s>", () => {
    const { inputIds, attentionMask } = tokenizer.encodeBatch(texts, { maxLength: 5 });
    const full = tokenizer.encode(texts[0]);
    assert.deepEqual(inputIds[0], [...full.slice(0, 4), 1]);
    assert.deepEqual(attentionMask[0], [1, 1, 1, 1, 1]);
    assert.ok(inputIds.every((row) => row.length === 5));
    assert.deepEqual(tokenizer.encodeBatch(["Hello world"], { maxLength: 1 }).inputIds, [[1]]);
  });

  test("padToMultipleOf and padToMaxLength fix the width", () => {
    const short = tokenizer.encodeBatch(["positive", "Hello world"], { padToMultipleOf: 8 });
    assert.ok(short.inputIds.every((row) => row.length === 8));
    const fixed = tokenizer.encodeBatch(["positive"], { maxLength: 12, padToMaxLength: true });
    assert.equal(fixed.inputIds[0].length, 12);
    assert.equal(fixed.attentionMask[0].filter((m) => m === 1).length, tokenizer.encode("positive").length);
    assert.equal(tokenizer.encodeBatch(["positive"], { maxLength: 10, padToMaxLength: true, padToMultipleOf: 8 }).inputIds[0].length, 16);
    assert.deepEqual(tokenizer.encodeBatch([]), { inputIds: [], attentionMask: [] });
  });

  test("rejects bad options", () => {
    assert.throws(() => tokenizer.encodeBatch(texts, { maxLength: 0 }), /maxLength must be an integer >= 1/);
    assert.throws(() => tokenizer.encodeBatch(texts, { padToMultipleOf: 2.5 }), /padToMultipleOf/);
    assert.throws(() => tokenizer.encodeBatch(texts, { padToMaxLength: true }), /padToMaxLength needs maxLength/);
  });
});

describe("errors name what is wrong", () => {
  test("a missing folder or file names the path", async () => {
    const missing = path.join(tmp, "no-such-folder");
    await assert.rejects(loadTokenizer(missing), (e: Error) => e.message.includes(missing) && /not found/.test(e.message));
    const half = path.join(tmp, "half");
    fs.mkdirSync(half);
    fs.copyFileSync(path.join(SHIPPED, "tokenizer.json"), path.join(half, "tokenizer.json"));
    await assert.rejects(loadTokenizer(half), (e: Error) => e.message.includes(path.join(half, "tokenizer_config.json")));
    fs.writeFileSync(path.join(half, "tokenizer_config.json"), "{not json");
    await assert.rejects(loadTokenizer(half), /cannot parse .*tokenizer_config\.json/);
  });

  test("an id outside the vocabulary names the id and the vocabulary size", () => {
    assert.throws(() => tokenizer.decode([5, 1000]), /token id 1000 is outside the vocabulary \(size 1000/);
    assert.throws(() => tokenizer.decode([-100]), /token id -100 .*size 1000/);
    assert.throws(() => tokenizer.decode([1.5]), /token id 1.5/);
    assert.throws(() => tokenizer.idToToken(4242), /token id 4242 .*size 1000/);
  });
});

test("saveTokenizer writes the loaded files unchanged; the copy loads from a relative path", async () => {
  const out = path.join(tmp, "checkpoint");
  await saveTokenizer(tokenizer, out);
  for (const name of ["tokenizer.json", "tokenizer_config.json"]) {
    assert.ok(fs.readFileSync(path.join(out, name)).equals(fs.readFileSync(path.join(SHIPPED, name))), name);
  }
  const copy = await loadTokenizer(path.relative(process.cwd(), out));
  assert.equal(copy.folder, out);
  assert.deepEqual(copy.encode(examples[0].input), tokenizer.encode(examples[0].input));
});

describe("SentencePiece vocab -> tokenizer.json", () => {
  const TSV = ["<pad>\t0", "</s>\t0", "<unk>\t0", "\u2581\t-2", "\u2581hello\t-3", "\u2581world\t-3.5", "h\t-6", "e\t-6",
    "l\t-6", "o\t-6", "w\t-6", "r\t-6", "d\t-6", "!\t-4", "\u2581he\t-5", "llo\t-5"].join("\n") + "\n";

  test("parses spm_export_vocab output and rejects malformed lines", () => {
    const vocab = parseSentencePieceVocab(TSV);
    assert.equal(vocab.length, 16);
    assert.deepEqual(vocab[5], ["\u2581world", -3.5]);
    assert.throws(() => parseSentencePieceVocab("<pad>\t0\nbroken line\n"), /line 2/);
    assert.throws(() => parseSentencePieceVocab("<pad>\tNaNx\n"), /line 1/);
  });

  test("checks T5's layout of special tokens", () => {
    assert.throws(() => checkT5Vocab([["<unk>", 0], ["</s>", 0], ["<pad>", 0]]), /id 0 must be <pad>/);
    assert.throws(() => checkT5Vocab([["<pad>", 0], ["</s>", 0], ["<unk>", 0], ["a", -1], ["a", -2]]), /"a" appears twice/);
  });

  test("writes the T5 shape", () => {
    const json = t5TokenizerJson(parseSentencePieceVocab(TSV));
    assert.equal(json.model.type, "Unigram");
    assert.equal(json.model.unk_id, 2);
    assert.deepEqual(json.model.vocab[4], ["\u2581hello", -3]);
    assert.deepEqual(json.added_tokens.map((t) => [t.id, t.content, t.special]), [[0, "<pad>", true], [1, "</s>", true], [2, "<unk>", true]]);
    assert.deepEqual((json.pre_tokenizer as { type: string; prepend_scheme: string }).type, "Metaspace");
    assert.deepEqual(
      (json.post_processor as { single: unknown[] }).single,
      [{ Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "</s>", type_id: 0 } }],
    );
    const config = t5TokenizerConfig();
    assert.equal(config.tokenizer_class, "T5Tokenizer");
    assert.equal(config.model_max_length, 512);
    assert.deepEqual([config.pad_token, config.eos_token, config.unk_token], ["<pad>", "</s>", "<unk>"]);
  });

  test("transformers.js encodes with it: best-scoring pieces, </s> appended, unknown -> <unk>", async () => {
    const tok = await tokenizerFromJson(t5TokenizerJson(parseSentencePieceVocab(TSV)), t5TokenizerConfig());
    assert.equal(tok.folder, null);
    assert.equal(tok.vocabSize, 16);
    assert.deepEqual(tok.encode("hello world!"), [4, 5, 13, 1]);
    assert.deepEqual(tok.tokenize("hello  world!"), ["\u2581hello", "\u2581world", "!"]);
    assert.deepEqual(tok.encode("held"), [14, 8, 12, 1]); // ▁he + l + d
    assert.deepEqual(tok.encode("hex"), [14, 2, 1]);
    assert.equal(tok.decode([4, 5, 13, 1]), "hello world!");
    const out = path.join(tmp, "from-json");
    await saveTokenizer(tok, out);
    assert.deepEqual((await loadTokenizer(out)).encode("hello world!"), [4, 5, 13, 1]);
  });
});

const spm = spawnSync("spm_train", ["--version"], { encoding: "utf8" });
const spmVersion = spm.error ? null : (spm.stdout || spm.stderr).trim();

describe("training and shipped data", { skip: spmVersion ? false : "spm_train missing: apt-get install -y sentencepiece" }, () => {
  test("scripts/train-tokenizer makes a loadable tokenizer of the asked size", async () => {
    const out = path.join(tmp, "trained");
    const { pieces } = trainTokenizer({ input: path.join(QUICKSTART, "corpus.txt"), out, vocabSize: 300 });
    assert.equal(pieces, 300);
    const tok = await loadTokenizer(out);
    assert.equal(tok.vocabSize, 300);
    for (const text of [...examples.slice(0, 8).map((e) => e.input), ...ASCII_SENTENCES]) {
      assert.equal(tok.decode(tok.encode(text)), text);
    }
    assert.ok(fs.readFileSync(path.join(out, "README.md"), "utf8").includes("--vocab-size 300"));
    assert.throws(
      () => trainTokenizer({ input: path.join(QUICKSTART, "corpus.txt"), out, vocabSize: 5000 }),
      /too small or too repetitive for 5000 pieces/,
    );
    assert.throws(() => trainTokenizer({ input: path.join(tmp, "nope.txt"), out, vocabSize: 300 }), /input corpus not found/);
  });

  test("transformers.js gives the same ids as SentencePiece's own spm_encode", async () => {
    const corpus = path.join(QUICKSTART, "corpus.txt");
    const prefix = path.join(tmp, "reference");
    assert.equal(spawnSync("spm_train", spmTrainFlags(corpus, prefix, 1000), { stdio: "ignore" }).status, 0);
    const texts = [...examples.map((e) => e.input), ...ASCII_SENTENCES, ...fs.readFileSync(corpus, "utf8").split("\n").slice(0, 500)];
    fs.writeFileSync(`${prefix}.txt`, texts.join("\n") + "\n");
    const encoded = spawnSync("spm_encode", [`--model=${prefix}.model`, "--output_format=id", `--input=${prefix}.txt`], { encoding: "utf8" });
    const reference = encoded.stdout.split("\n");
    const vocab = parseSentencePieceVocab(spawnSync("spm_export_vocab", [`--model=${prefix}.model`], { encoding: "utf8" }).stdout);
    const tok = await tokenizerFromJson(t5TokenizerJson(vocab), t5TokenizerConfig());
    texts.forEach((text, i) => assert.equal(tok.encode(text).slice(0, -1).join(" "), reference[i], text));
  });

  test("the shipped tokenizer is what the script makes from the shipped corpus", { skip: spmVersion === "sentencepiece 0.1.97" ? false : `made with sentencepiece 0.1.97, found ${spmVersion}` }, () => {
    const out = path.join(tmp, "retrained");
    trainTokenizer({ input: path.relative(process.cwd(), path.join(QUICKSTART, "corpus.txt")), out, vocabSize: 1000 });
    assert.ok(fs.readFileSync(path.join(out, "tokenizer.json")).equals(fs.readFileSync(path.join(SHIPPED, "tokenizer.json"))));
  });
});

test("the quickstart corpus and examples are what the seeded script makes", () => {
  const out = path.join(tmp, "quickstart");
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "make-quickstart-corpus.ts"), "--out", out], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  for (const name of ["corpus.txt", "examples.jsonl"]) {
    assert.ok(fs.readFileSync(path.join(out, name)).equals(fs.readFileSync(path.join(QUICKSTART, name))), name);
  }
  assert.equal(examples.length, 64);
});

describe("T5 sentinels <extra_id_N>", () => {
  const TSV = ["<pad>\t0", "</s>\t0", "<unk>\t0", "\u2581\t-2", "\u2581hello\t-3", "\u2581world\t-3.5", "h\t-6", "e\t-6",
    "l\t-6", "o\t-6", "w\t-6", "r\t-6", "d\t-6", "!\t-4", "\u2581he\t-5", "llo\t-5"].join("\n") + "\n";
  const vocab = parseSentencePieceVocab(TSV);

  test("without sentinels (the default) the shipped tokenizers' files come out byte for byte", () => {
    for (const folder of [SHIPPED, path.join(ROOT, "datasets", "tokenizer"), path.join(ROOT, "models", "flanlab-tiny")]) {
      const json = fs.readFileSync(path.join(folder, "tokenizer.json"), "utf8");
      const config = fs.readFileSync(path.join(folder, "tokenizer_config.json"), "utf8");
      const pieces = (JSON.parse(json) as TokenizerJson).model.vocab;
      assert.equal(JSON.stringify(t5TokenizerJson(pieces), null, 2) + "\n", json, folder);
      assert.equal(JSON.stringify(t5TokenizerJson(pieces, { extraIds: 0 }), null, 2) + "\n", json, folder);
      assert.equal(JSON.stringify(t5TokenizerConfig(), null, 2) + "\n", config, folder);
    }
  });

  test("N sentinels follow the pieces in T5's order, <extra_id_0> last, with Hugging Face's config fields", () => {
    const json = t5TokenizerJson(vocab, { extraIds: 4 });
    assert.deepEqual(json.added_tokens.map((t) => [t.id, t.content]), [[0, "<pad>"], [1, "</s>"], [2, "<unk>"], [16, "<extra_id_3>"], [17, "<extra_id_2>"], [18, "<extra_id_1>"], [19, "<extra_id_0>"]]);
    assert.ok(json.added_tokens.slice(3).every((t) => t.special && !t.normalized && t.lstrip && t.rstrip));
    assert.equal(json.model.vocab.length, 20);
    assert.deepEqual(json.model.vocab.slice(15), [["llo", -5], ["<extra_id_3>", 0], ["<extra_id_2>", 0], ["<extra_id_1>", 0], ["<extra_id_0>", 0]]);
    const config = t5TokenizerConfig(512, { extraIds: 4, pieces: vocab.length });
    assert.equal(config.extra_ids, 4);
    assert.deepEqual(config.additional_special_tokens, ["<extra_id_0>", "<extra_id_1>", "<extra_id_2>", "<extra_id_3>"]);
    assert.deepEqual(Object.keys(config.added_tokens_decoder), ["0", "1", "2", "16", "17", "18", "19"]);
    assert.equal(config.added_tokens_decoder["19"].content, "<extra_id_0>");
    assert.deepEqual(sentinelEntries(16, 2), [[16, "<extra_id_1>"], [17, "<extra_id_0>"]]);
    assert.equal(sentinelToken(7), "<extra_id_7>");
  });

  test("transformers.js encodes a sentinel as one id, the one span corruption uses", async () => {
    const tok = await tokenizerFromJson(t5TokenizerJson(vocab, { extraIds: 4 }), t5TokenizerConfig(512, { extraIds: 4, pieces: vocab.length }));
    assert.equal(tok.vocabSize, 20);
    assert.deepEqual(tok.encode("<extra_id_0>"), [19, 1]);
    assert.deepEqual(tok.encode("hello <extra_id_1> world!"), [4, 18, 5, 13, 1]);
    assert.deepEqual(tok.encode("hello world!"), [4, 5, 13, 1]);
    for (let i = 0; i < 4; i++) {
      assert.deepEqual(tok.encode(sentinelToken(i)), [sentinelId({ vocabSize: tok.vocabSize, extraIds: 4 }, i), 1]);
      assert.equal(tok.idToToken(19 - i), sentinelToken(i));
    }
    assert.equal(tok.decode([4, 18, 5, 13, 1]), "hello world!");
    assert.match(tok.decode([4, 18, 5, 13, 1], { skipSpecialTokens: false }), /^hello ?<extra_id_1> ?world!<\/s>$/);
    const out = path.join(tmp, "with-sentinels");
    await saveTokenizer(tok, out);
    assert.deepEqual((await loadTokenizer(out)).encode("<extra_id_3> hello"), [16, 4, 1]);
  });

  test("bad sentinel options are refused", () => {
    assert.throws(() => t5TokenizerJson(vocab, { extraIds: -1 }), /extraIds must be an integer >= 0, got -1/);
    assert.throws(() => t5TokenizerJson(vocab, { extraIds: 1.5 }), /extraIds must be an integer >= 0/);
    assert.throws(() => t5TokenizerJson([...vocab, ["<extra_id_0>", -9]], { extraIds: 2 }), /"<extra_id_0>" looks like a sentinel/);
    assert.throws(() => t5TokenizerConfig(512, { extraIds: 2 }), /extraIds needs pieces/);
  });

  test("scripts/train-tokenizer --extra-ids appends the sentinels", { skip: spmVersion ? false : "spm_train missing: apt-get install -y sentencepiece" }, async () => {
    const out = path.join(tmp, "trained-sentinels");
    const { pieces } = trainTokenizer({ input: path.join(QUICKSTART, "corpus.txt"), out, vocabSize: 300, extraIds: 8 });
    assert.equal(pieces, 300);
    const tok = await loadTokenizer(out);
    assert.equal(tok.vocabSize, 308);
    assert.deepEqual(tok.encode("<extra_id_0>"), [307, 1]);
    assert.deepEqual(tok.encode("<extra_id_7>"), [300, 1]);
    assert.equal(tok.decode(tok.encode(examples[0].input)), examples[0].input);
    const readme = fs.readFileSync(path.join(out, "README.md"), "utf8");
    assert.ok(readme.includes("--extra-ids 8") && readme.includes("`<extra_id_0>` = 307"), readme);
  });
});
