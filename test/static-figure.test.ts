import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeScoreMatrix } from "../src/eval/forgetting";
import { beforeAfterHtml, heatmapHtml, learningCurveHtml } from "../src/lab/experiments/forgetting-report";
import { PlotlyLayout, PlotlyTrace, lineChartHtml } from "../src/lab/notebook/plots";
import { staticFigureSvg } from "../src/lab/notebook/static-figure";

/** Fails unless the text is well-formed XML: one root, balanced tags, quoted unique attributes, escaped text. */
function assertWellFormed(xml: string): void {
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  const text = /[^<]+/y;
  const escapedOnly = /^(?:[^&<>]|&(?:amp|lt|gt|quot|apos|#\d+);)*$/;
  const stack: string[] = [];
  let roots = 0;
  let pos = 0;
  while (pos < xml.length) {
    tag.lastIndex = pos;
    const m = tag.exec(xml);
    if (m) {
      const [whole, closing, name, attributes, selfClosing] = m;
      const names = [...attributes.matchAll(/([\w:.-]+)="([^"]*)"/g)].map((a) => {
        assert.match(a[2], escapedOnly, `attribute ${a[1]} of <${name}> at ${pos}`);
        return a[1];
      });
      assert.equal(new Set(names).size, names.length, `repeated attribute in ${whole}`);
      if (closing) assert.equal(stack.pop(), name, `</${name}> at ${pos} closes the wrong element`);
      else {
        if (stack.length === 0) roots++;
        if (!selfClosing) stack.push(name);
      }
      pos += whole.length;
      continue;
    }
    text.lastIndex = pos;
    const t = text.exec(xml);
    assert.ok(t, `not a tag at ${pos}: ${xml.slice(pos, pos + 40)}`);
    assert.match(t[0], escapedOnly, `text at ${pos}`);
    assert.ok(stack.length > 0 || t[0].trim() === "", `text outside the root at ${pos}`);
    pos += t[0].length;
  }
  assert.deepEqual(stack, [], "unclosed elements");
  assert.equal(roots, 1, "one root element");
}

/** The insides of every <g class="CLS" ...> (trace and furniture groups hold no nested groups). */
function groups(svg: string, cls: string): string[] {
  return [...svg.matchAll(new RegExp(`<g class="${cls}"[^>]*>(.*?)</g>`, "g"))].map((m) => m[1]);
}

const count = (svg: string, tag: string): number => (svg.match(new RegExp(`<${tag}[ >/]`, "g")) ?? []).length;

const unescape = (s: string): string =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** The text contents of the <text> elements, unescaped. */
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]));

/** Tick labels of an axis group ("xtick", "ytick") with their pixel position along the axis. */
function ticks(svg: string, cls: "xtick" | "ytick"): { label: string; at: number }[] {
  const inner = groups(svg, cls)[0] ?? "";
  return [...inner.matchAll(/<text x="([-\d.]+)" y="([-\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
    label: unescape(m[3]),
    at: Number(cls === "xtick" ? m[1] : m[2]),
  }));
}

/** A tick label's value: Plotly's minus sign and k/M/B suffixes read back. */
function labelValue(label: string): number {
  const m = /^(\u2212?)([\d.]+)([kMB]?)$/.exec(label);
  assert.ok(m, `tick label "${label}" is not a number`);
  return (m[1] ? -1 : 1) * Number(m[2]) * ({ "": 1, k: 1e3, M: 1e6, B: 1e9 } as Record<string, number>)[m[3]];
}

/** The figureHtml spec (data and layout) inside a caller's HTML. */
function specOf(html: string): { data: PlotlyTrace[]; layout: PlotlyLayout & { height: number } } {
  const m = /var s=(\{.*?\});function draw/.exec(html);
  assert.ok(m, "figureHtml's spec");
  return JSON.parse(m[1]);
}

function render(data: PlotlyTrace[], layout: PlotlyLayout = {}, height = 380): string {
  const svg = staticFigureSvg(data, layout, height);
  assertWellFormed(svg);
  return svg;
}

test("scatter: a path per line, a circle per marker, text labels, dashes, open markers, error bars", () => {
  const svg = render(
    [
      { type: "scatter", mode: "lines", name: "loss", x: [1, 2, 3, 4, 5], y: [5, 4, 3, 2, 1] },
      { type: "scatter", mode: "markers", name: "each seed", x: [1, 2, 3, 4, 5], y: [1, 2, 3, 4, 5], marker: { symbol: "circle-open", size: 9, color: "#123456" } },
      { type: "scatter", mode: "lines+markers", name: "mean", x: [1, 2, 3, 4], y: [2, 3, 3, 4], error_y: { type: "data", array: [0.5, 0.5, 0.2, 0.1], visible: true } },
      { type: "scatter", mode: "markers+text", name: "runs", x: [2, 3, 4], y: [1.5, 2.5, 3.5], text: ["full FT", "LoRA", "replay"], textposition: "top center", marker: { size: 11 } },
      { type: "scatter", mode: "lines", name: "baseline", x: [1, 5], y: [2.5, 2.5], line: { dash: "dash", color: "#888" } },
    ],
    { title: { text: "Curves" }, xaxis: { title: { text: "step" } }, yaxis: { title: { text: "value" } } },
  );
  const traces = groups(svg, "trace scatter");
  assert.equal(traces.length, 5);
  assert.deepEqual(traces.map((t) => [count(t, "path"), count(t, "circle")]), [[1, 0], [0, 5], [2, 4], [0, 3], [1, 0]]);
  assert.match(svg, /<g class="trace scatter" fill="none" stroke="#123456" stroke-width="1.5">/, "open circles: outline only, in the marker's color");
  assert.deepEqual(texts(traces[3]), ["full FT", "LoRA", "replay"]);
  assert.match(traces[4], /stroke="#888"[^>]*stroke-dasharray="9,9"/);
  assert.equal(count(traces[0], "path") + count(traces[0], "circle"), 1);
  assert.match(traces[0], /stroke="#1f77b4"/, "the first trace takes plotly.js's first default color");
  assert.match(traces[2], /stroke="#2ca02c"/, "the third, the third (classic d3 colorway)");
  assert.deepEqual(texts(groups(svg, "legend")[0]), ["loss", "each seed", "mean", "runs", "baseline"]);
  assert.deepEqual(texts(svg).filter((t) => ["Curves", "step", "value"].includes(t)), ["Curves", "step", "value"]);
  assert.match(svg, /class="xtitle"[^>]*>step</);
  assert.match(svg, /class="ytitle"[^>]*transform="rotate\(-90 /);
});

test("the legend lists named traces that show in it, and only when two or more do", () => {
  const one = render([{ type: "scatter", mode: "lines", name: "training loss", x: [1, 2], y: [3, 1] }]);
  assert.equal(groups(one, "legend").length, 0, "one trace: no legend, as in Plotly");
  const svg = render([
    { type: "scatter", mode: "lines", name: "a", y: [1, 2] },
    { type: "scatter", mode: "lines", name: "hidden", y: [2, 1], showlegend: false },
    { type: "scatter", mode: "lines", y: [2, 2] },
    { type: "bar", name: "b", y: [1, 1] },
  ]);
  assert.deepEqual(texts(groups(svg, "legend")[0]), ["a", "b"]);
  assert.equal(groups(render([{ type: "scatter", name: "a", y: [1] }, { type: "scatter", name: "b", y: [2] }], { showlegend: false }), "legend").length, 0);
});

test("grouped bars: a rect per bar in side-by-side slots, error bars, seed markers over their offsetgroup's bar", () => {
  const tasks = ["sentiment", "nli", "qa"];
  const svg = render(
    [
      { type: "bar", name: "base", x: tasks, y: [0.9, 0.7, 0.6], offsetgroup: "before", marker: { color: "#4c78a8" } },
      { type: "bar", name: "fine-tuned (mean)", x: tasks, y: [0.3, 0.5, 0.2], offsetgroup: "after", marker: { color: "#f58518" }, error_y: { type: "data", array: [0.1, 0.1, 0.1], visible: true } },
      { type: "scatter", mode: "markers", name: "each seed", x: tasks, y: [0.25, 0.45, 0.15], offsetgroup: "after", marker: { color: "#222", symbol: "circle-open", size: 8 } },
    ],
    { title: { text: "Before/after" }, barmode: "group", scattermode: "group", yaxis: { title: { text: "score" }, range: [0, 1.05] } },
  );
  const [before, after] = groups(svg, "trace bar");
  assert.equal(count(before, "rect"), 3);
  assert.equal(count(after, "rect"), 3);
  assert.equal(count(after, "path"), 1, "the error bars, one path");
  assert.match(after, /^(?:<rect[^>]*\/>){3}<path[^>]*stroke="#444"/, "bar error bars in plotly.js's outline color");
  const rects = (inner: string) => [...inner.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), width: Number(m[2]) }));
  const [b, a] = [rects(before), rects(after)];
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(b[i].x + b[i].width - a[i].x) < 0.2, `category ${i}: the two bars side by side`);
    assert.ok(Math.abs(b[i].width - a[i].width) < 0.2);
  }
  const markers = [...groups(svg, "trace scatter")[0].matchAll(/cx="([\d.]+)"/g)].map((m) => Number(m[1]));
  markers.forEach((cx, i) => assert.ok(Math.abs(cx - (a[i].x + a[i].width / 2)) < 0.2, `marker ${i} over the "after" bar`));
  assert.deepEqual(ticks(svg, "xtick").map((t) => t.label), tasks);
  assert.deepEqual(ticks(svg, "ytick").map((t) => t.label), ["0", "0.2", "0.4", "0.6", "0.8", "1"]);
  assert.deepEqual(texts(groups(svg, "legend")[0]), ["base", "fine-tuned (mean)", "each seed"]);
  assert.equal(count(groups(svg, "legend")[0], "rect"), 2, "bar entries show a square");
});

test("heatmap: a rect per finite cell, the scale's ends at zmin and zmax, cell text, first row on top when reversed", () => {
  const heatmap = (colorscale: unknown, reversed: boolean) =>
    render(
      [
        {
          type: "heatmap",
          z: [[0, 0.5, 1], [null, 1.7, -3]],
          x: ["a", "b", "c"],
          y: ["base", "tuned"],
          zmin: 0,
          zmax: 1,
          colorscale,
          text: [["0.00", "0.50", "1.00"], ["", "1.70", "-3.00"]],
          texttemplate: "%{text}",
        },
      ],
      { title: { text: "Scores" }, yaxis: reversed ? { autorange: "reversed" } : {} },
      260,
    );
  const svg = heatmap("Viridis", true);
  const cells = groups(svg, "trace heatmap")[0];
  assert.equal(count(cells, "rect"), 5, "the null cell is left out");
  const fills = [...cells.matchAll(/<rect[^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
  assert.deepEqual([fills[0], fills[2]], ["#440154", "#fde725"], "zmin and zmax: Viridis's ends");
  assert.deepEqual(fills.slice(3), ["#fde725", "#440154"], "values beyond zmin/zmax take the scale's ends");
  assert.deepEqual(texts(cells), ["0.00", "0.50", "1.00", "1.70", "-3.00"]);
  assert.match(cells, /fill="#440154"\/><text[^>]*fill="#fff"/, "light text on the dark end");
  assert.match(cells, /fill="#fde725"\/><text[^>]*fill="#444"/, "dark text on the light end");
  const rowY = (s: string) => [...groups(s, "trace heatmap")[0].matchAll(/<rect x="[\d.]+" y="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.ok(rowY(svg)[0] < rowY(svg)[3], "reversed: the first row at the top");
  assert.ok(rowY(heatmap("Viridis", false))[0] > rowY(heatmap("Viridis", false))[3], "not reversed: the first row at the bottom, as Plotly");
  assert.deepEqual(ticks(svg, "ytick").map((t) => t.label), ["base", "tuned"]);
  assert.equal(groups(svg, "colorbar").length, 1);
  const ends = (s: string) => [...groups(s, "trace heatmap")[0].matchAll(/fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
  assert.deepEqual([ends(heatmap("Greys", true))[0], ends(heatmap("Greys", true))[2]], ["#000000", "#ffffff"]);
  assert.deepEqual([ends(heatmap("NoSuchScale", true))[0], ends(heatmap("NoSuchScale", true))[2]], ["#440154", "#fde725"], "unknown names fall back to Viridis");
  assert.deepEqual([ends(heatmap([[0, "#ff0000"], [1, "rgb(0,0,255)"]], true))[0], ends(heatmap([[0, "#ff0000"], [1, "rgb(0,0,255)"]], true))[2]], ["#ff0000", "#0000ff"]);
});

test("log axes: 1, 10 and 100 equally spaced; 1, 2 and 5 per decade when few, powers of ten when many", () => {
  const svg = render([{ type: "scatter", mode: "lines", x: [1, 3, 10, 30, 100], y: [1, 2, 3, 4, 5] }], { xaxis: { type: "log" } });
  const at = Object.fromEntries(ticks(svg, "xtick").map((t) => [t.label, t.at]));
  assert.deepEqual(Object.keys(at), ["1", "2", "5", "10", "20", "50", "100"]);
  assert.ok(Math.abs(at["10"] - at["1"] - (at["100"] - at["10"])) < 0.15, `1 -> 10 and 10 -> 100 alike: ${JSON.stringify(at)}`);
  assert.ok(at["10"] - at["1"] > 100);
  const wide = render([{ type: "scatter", mode: "lines", name: "loss", x: [1, 2, 3], y: [1e-3, 1, 1e6] }], { yaxis: { type: "log" } });
  const exponents = ticks(wide, "ytick").map((t) => Math.log10(labelValue(t.label)));
  assert.ok(exponents.length >= 3);
  for (const e of exponents) assert.ok(Math.abs(e - Math.round(e)) < 1e-9, `${e}: a power of ten`);
  const values = render([{ type: "scatter", x: [16, 64, 256, 1024], y: [1, 2, 3, 4] }], { xaxis: { type: "log", tickvals: [16, 64, 256, 1024] } });
  assert.deepEqual(ticks(values, "xtick").map((t) => t.label), ["16", "64", "256", "1024"]);
  const skipped = render([{ type: "scatter", mode: "markers", x: [1, 2, 3], y: [-1, 0, 10] }], { yaxis: { type: "log" } });
  assert.equal(count(groups(skipped, "trace scatter")[0], "circle"), 1, "values <= 0 have no place on a log axis");
});

test("linear ticks are nice numbers: 1, 2 or 5 times a power of ten, labelled as Plotly does", () => {
  for (const [low, high] of [[0, 1], [0, 37], [-3, 1234], [0.001, 0.0042], [-250, -20], [0, 52000]]) {
    const svg = render([{ type: "scatter", mode: "lines", x: [0, 1], y: [low, high] }]);
    const values = ticks(svg, "ytick").map((t) => labelValue(t.label));
    assert.ok(values.length >= 3, `${low}..${high}: ${values}`);
    const step = values[1] - values[0];
    const mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
    assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `${low}..${high}: step ${step}`);
    values.forEach((v, i) => assert.ok(Math.abs(v - values[0] - i * step) < step * 1e-6, `${low}..${high}: evenly spaced ${values}`));
    for (const v of values) assert.ok(Math.abs(v / step - Math.round(v / step)) < 1e-6, `${v} a multiple of ${step}`);
  }
  const labels = ticks(render([{ type: "scatter", mode: "lines", x: [0, 1], y: [-0.4, 0.9] }]), "ytick").map((t) => t.label);
  assert.deepEqual(labels, ["\u22120.4", "\u22120.2", "0", "0.2", "0.4", "0.6", "0.8"]);
  const big = ticks(render([{ type: "scatter", mode: "lines", x: [0, 1], y: [0, 52000] }]), "ytick").map((t) => t.label);
  assert.deepEqual(big, ["0", "10k", "20k", "30k", "40k", "50k"], "one suffix for the axis, and 0 plain");
  assert.deepEqual(ticks(render([{ type: "scatter", mode: "lines", x: [0, 20000], y: [0, 1] }]), "xtick").map((t) => t.label), ["0", "5k", "10k", "15k", "20k"]);
});

test("text is escaped for XML, and MathJax is told to leave it alone", () => {
  const svg = render(
    [
      { type: "bar", name: "$5 & $6", x: ["<x>", "it's \"quoted\""], y: [1, 2] },
      { type: "scatter", mode: "markers+text", name: "<b>bold?</b>", x: ["<x>"], y: [1], text: ["$163.95 & <y>"] },
    ],
    { title: { text: "Costs <x> & $163.95" }, xaxis: { title: { text: "a < b" } } },
  );
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="tex2jax_ignore mathjax_ignore" /);
  assert.ok(!svg.includes("<x>") && !svg.includes("<y>") && !svg.includes("<b>"));
  assert.ok(svg.includes("Costs &lt;x&gt; &amp; $163.95"));
  assert.ok(svg.includes("$5 &amp; $6"));
  assert.ok(svg.includes("it&apos;s &quot;quoted&quot;"));
  assert.deepEqual(ticks(svg, "xtick").map((t) => t.label), ["<x>", 'it\'s "quoted"']);
  assert.ok(texts(svg).includes("$163.95 & <y>"));
  assert.ok(texts(svg).includes("a < b"));
});

test("empty data gives a figure with only the title", () => {
  const svg = render([], { title: { text: "Nothing yet" } }, 300);
  assert.deepEqual(texts(svg), ["Nothing yet"]);
  assert.equal(count(svg, "path") + count(svg, "circle") + count(svg, "g"), 0);
  assert.equal(count(svg, "rect"), 1, "the white background");
  assert.deepEqual(texts(render([{ type: "scatter", y: [1], visible: false }], { title: "Hidden" })), ["Hidden"]);
  assert.equal(texts(render([], {})).length, 0);
});

test("NaN and null values are skipped, and a line breaks at them", () => {
  const svg = render([{ type: "scatter", mode: "lines+markers", name: "gappy", x: [1, 2, 3, 4, null, 6, 7], y: [1, 2, null, 3, 4, NaN, 5] }]);
  const trace = groups(svg, "trace scatter")[0];
  assert.equal(count(trace, "circle"), 4, "points 1, 2, 4 and 7");
  const d = /<path d="([^"]+)"/.exec(trace)?.[1] ?? "";
  assert.equal((d.match(/M/g) ?? []).length, 1, "only 1-2 are adjacent valid points: one piece");
  const two = groups(render([{ type: "scatter", mode: "lines", y: [1, 2, null, 3, 4] }]), "trace scatter")[0];
  assert.equal((/<path d="([^"]+)"/.exec(two)?.[1].match(/M/g) ?? []).length, 2, "two pieces either side of the null");
  assert.ok(!svg.includes("NaN") && !svg.includes("undefined") && !svg.includes("Infinity"));
});

test("lines that leave an explicit range are clipped to the plot area; markers outside it are left out", () => {
  const svg = render([{ type: "scatter", mode: "lines+markers", x: [0, 1, 2], y: [0.5, 2, 0.5] }], { yaxis: { range: [0, 1] }, margin: { t: 50, r: 20, b: 50, l: 60 } });
  const trace = groups(svg, "trace scatter")[0];
  assert.equal(count(trace, "circle"), 2);
  const ys = [...(/<path d="([^"]+)"/.exec(trace)?.[1] ?? "").matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
  assert.ok(Math.min(...ys) >= 50 - 0.05, `clipped at the top of the plot area: ${ys}`);
});

test("the output is small, rounded to 0.1 px and deterministic", () => {
  const data: PlotlyTrace[] = [
    { type: "scatter", mode: "lines+markers", name: "a", x: [1, 2, 3, 4, 5, 6], y: [0.11, 0.37, 0.52, 0.61, 0.66, 0.69] },
    { type: "scatter", mode: "lines", name: "b", x: [1, 6], y: [0.4, 0.4], line: { dash: "dash" } },
  ];
  const layout = { title: { text: "t" }, xaxis: { title: { text: "x" } }, yaxis: { title: { text: "y" } } };
  const svg = render(data, layout);
  assert.equal(svg, render(data, layout));
  assert.ok(svg.length < 4000, `${svg.length} bytes`);
  assert.ok(!/\d\.\d\d/.test(svg.replace(/<text[^>]*>[^<]*<\/text>/g, "")), "no coordinate with two decimals");
});

test("each caller's figure renders: lineChartHtml, learningCurveHtml, heatmapHtml, beforeAfterHtml, learningForgettingHtml", async () => {
  const { learningForgettingHtml } = await import("../src/lab/experiments/lora-sweep");
  const points = (base: number) => [16, 64, 256].flatMap((size, k) => [1, 2].map((seed) => ({ size, seed, value: base + 0.2 * k + 0.02 * seed })));
  const matrix = makeScoreMatrix(["base", "ft seed 1", "ft <x>"], ["sentiment", "nli", "chat_summary"], [[0.9, 0.7, 0.2], [0.3, 0.4, 0.8], [0.35, 0.45, 0.82]]);
  const figures: Record<string, { html: string; kinds: string[] }> = {
    "line-chart": { html: lineChartHtml([{ name: "training loss", x: [1, 2, 3, 4], y: [3, 2, 1.2, 0.9] }], { title: "Loss", xTitle: "step", yTitle: "loss", logY: true }), kinds: ["scatter"] },
    "learning-curve": {
      html: learningCurveHtml([{ name: "chat", points: points(0.2) }], [{ name: "base model", value: 0.3 }], { title: "Learning curve", yTitle: "ROUGE-L" }),
      kinds: ["scatter"],
    },
    heatmap: { html: heatmapHtml(matrix, { title: "Score matrix" }), kinds: ["heatmap"] },
    "before-after": {
      html: beforeAfterHtml(["sentiment", "nli"], [0.9, 0.7], [{ seed: 1, values: [0.3, 0.5] }, { seed: 2, values: [0.4, 0.55] }], { title: "Before & after", yTitle: "score" }),
      kinds: ["bar", "scatter"],
    },
    "learning-forgetting": {
      html: learningForgettingHtml(
        [
          { name: "full FT", group: "full fine-tuning", forgetting: 0.3, learning: 0.6 },
          { name: "q,v r8", group: "LoRA", forgetting: 0.05, learning: 0.5 },
        ],
        { title: "Learning vs forgetting", xTitle: "forgetting", yTitle: "learning" },
      ),
      kinds: ["scatter"],
    },
  };
  const out = process.env.FLANLAB_STATIC_FIGURE_EXAMPLES; // a folder to write the SVGs to, for looking at them
  for (const [name, { html, kinds }] of Object.entries(figures)) {
    const { data, layout } = specOf(html);
    const svg = render(data, layout, layout.height);
    for (const kind of kinds) assert.ok(groups(svg, `trace ${kind}`).length > 0, `${name}: ${kind}`);
    assert.match(svg, new RegExp(`height="${layout.height}"`), `${name}: figureHtml's height`);
    assert.ok(svg.length < 12000, `${name}: ${svg.length} bytes`);
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, `${name}.svg`), svg);
    }
  }
  assert.ok(texts(staticFigureSvg(specOf(figures.heatmap.html).data, specOf(figures.heatmap.html).layout, 260)).includes("ft <x>"));
});
