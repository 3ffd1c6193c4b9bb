// Training progress in a tslab notebook: one output, updated in place, with the bar, the numbers and the loss curve
// (and the evaluation scores, when the run evaluates) drawn as they come; at the end it becomes the Plotly chart.
import { ProgressSink, ProgressState, formatProgressLine } from "../../train/progress";
import { mathjaxIgnored } from "./escape";
import { LineSeries, lineChartHtml } from "./plots";
import { staticFigureSvg } from "./static-figure";

/** A progress bar as HTML, for a notebook display that is overwritten at each update. */
export function progressHtml(state: ProgressState): string {
  const percent = (100 * state.step) / Math.max(state.totalSteps, 1);
  return mathjaxIgnored(
    `<div style="font-family:monospace">` +
      `<div style="background:#eee;width:320px;height:10px;display:inline-block;vertical-align:middle">` +
      `<div style="background:#4c78a8;width:${percent.toFixed(1)}%;height:10px"></div></div> ` +
      `${formatProgressLine(state, 0)}</div>`,
  );
}

/** The curves drawn so far, as a static SVG (no Plotly needed while training; cheap enough to redraw). */
function liveChart(series: LineSeries[], title: string, yTitle: string, logY: boolean, xMax: number): string {
  const traces = series.map((s) => ({ type: "scatter", mode: s.x.length > 1 ? "lines" : "markers", name: s.name, x: s.x, y: s.y }));
  const layout = {
    title: { text: title },
    margin: { t: 40, r: 20, b: 45, l: 60 },
    xaxis: { title: { text: "step" }, range: [0, xMax] },
    yaxis: { title: { text: yTitle }, type: logY ? "log" : "linear" },
  };
  return staticFigureSvg(traces, layout, 260, 640);
}

/** Evaluation scores by metric, one series each, from the evaluations seen so far. */
function scoreSeries(evaluations: { step: number; scores: Record<string, number> }[]): LineSeries[] {
  const metrics = [...new Set(evaluations.flatMap((e) => Object.keys(e.scores)))];
  return metrics.map((metric) => {
    const seen = evaluations.filter((e) => typeof e.scores[metric] === "number");
    return { name: metric, x: seen.map((e) => e.step), y: seen.map((e) => e.scores[metric]) };
  });
}

/** The score axis names the metric when there is one (a legend appears only for several). */
function scoreAxisTitle(series: LineSeries[]): string {
  return series.length === 1 ? series[0].name : "score";
}

/**
 * Progress in a tslab notebook: pass tslab.newDisplay(); one output, updated every `everySteps` steps with the bar
 * and the live loss curve, that becomes the interactive loss chart when training ends (Plotly loaded by
 * plotlyLoaderHtml() in an earlier cell; without it the chart stays a static drawing).
 */
export function notebookProgress(display: { html(s: string): void }, everySteps = 1, options: { chart?: boolean; title?: string } = {}): ProgressSink {
  const steps: number[] = [];
  const losses: number[] = [];
  const evaluations: { step: number; scores: Record<string, number> }[] = [];
  const title = options.title ?? "Training loss";
  const charts = (state: ProgressState): string => {
    if (options.chart === false) return "";
    const loss = liveChart([{ name: "training loss", x: steps, y: losses }], title, "loss", true, state.totalSteps);
    const series = scoreSeries(evaluations);
    const scores = series.length > 0 ? liveChart(series, "Evaluation", scoreAxisTitle(series), false, state.totalSteps) : "";
    return `<div>${loss}${scores}</div>`;
  };
  return {
    update: (state) => {
      steps.push(state.step);
      losses.push(state.loss);
      if (state.step % everySteps === 0) display.html(progressHtml(state) + charts(state));
    },
    evaluated: (step, scores) => {
      evaluations.push({ step, scores });
    },
    done: (state) => {
      if (options.chart === false) return display.html(progressHtml(state));
      const loss = lineChartHtml([{ name: "training loss", x: steps, y: losses }], { title, xTitle: "step", yTitle: "loss", logY: true });
      const series = scoreSeries(evaluations);
      const scores = series.length > 0 ? lineChartHtml(series, { title: "Evaluation during training", xTitle: "step", yTitle: scoreAxisTitle(series) }) : "";
      display.html(progressHtml(state) + loss + scores);
    },
  };
}
