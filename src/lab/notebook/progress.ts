// Training progress in a tslab notebook: one output, updated in place, that becomes the loss chart at the end.
import { ProgressSink, ProgressState, formatProgressLine } from "../../train/progress";
import { lineChartHtml } from "./plots";

/** A progress bar as HTML, for a notebook display that is overwritten at each update. */
export function progressHtml(state: ProgressState): string {
  const percent = (100 * state.step) / Math.max(state.totalSteps, 1);
  return (
    `<div style="font-family:monospace">` +
    `<div style="background:#eee;width:320px;height:10px;display:inline-block;vertical-align:middle">` +
    `<div style="background:#4c78a8;width:${percent.toFixed(1)}%;height:10px"></div></div> ` +
    `${formatProgressLine(state, 0)}</div>`
  );
}

/**
 * Progress in a tslab notebook: pass tslab.newDisplay(); one output, updated in place, that becomes the loss chart
 * when training ends (Plotly must be loaded in the notebook: display plotlyLoaderHtml() once first).
 */
export function notebookProgress(display: { html(s: string): void }, everySteps = 1, options: { chart?: boolean; title?: string } = {}): ProgressSink {
  const steps: number[] = [];
  const losses: number[] = [];
  return {
    update: (state) => {
      steps.push(state.step);
      losses.push(state.loss);
      if (state.step % everySteps === 0) display.html(progressHtml(state));
    },
    done: (state) => {
      const chart =
        options.chart === false
          ? ""
          : lineChartHtml([{ name: "training loss", x: steps, y: losses }], { title: options.title ?? "Training loss", xTitle: "step", yTitle: "loss", logY: true });
      display.html(progressHtml(state) + chart);
    },
  };
}

