// Training progress for people: what the trainer reports (ProgressSink), and a line redrawn in a terminal. The
// notebook display is the lab's (src/lab/notebook/progress.ts).

/** Where training stands: step, loss, learning rate, speed, time. */
export interface ProgressState {
  step: number; // steps done
  totalSteps: number;
  loss: number;
  learningRate?: number;
  tokensPerSecond?: number;
  elapsedSeconds: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.max(0, Math.round(seconds));
  const hours = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Seconds left, extrapolating the mean time per step so far. */
export function etaSeconds(state: ProgressState): number {
  return state.step === 0 ? Infinity : (state.elapsedSeconds / state.step) * (state.totalSteps - state.step);
}

/** "step 12/40 [######----] loss 3.2100 lr 1.00e-3 1234 tok/s 00:05<00:12"; barWidth 0 leaves the bar out. */
export function formatProgressLine(state: ProgressState, barWidth = 20): string {
  const done = Math.round((barWidth * state.step) / Math.max(state.totalSteps, 1));
  const parts = [`step ${state.step}/${state.totalSteps}`];
  if (barWidth > 0) parts.push(`[${"#".repeat(done)}${"-".repeat(barWidth - done)}]`);
  parts.push(`loss ${state.loss.toFixed(4)}`);
  if (state.learningRate !== undefined) parts.push(`lr ${state.learningRate.toExponential(2)}`);
  if (state.tokensPerSecond !== undefined) parts.push(`${Math.round(state.tokensPerSecond)} tok/s`);
  parts.push(`${formatDuration(state.elapsedSeconds)}<${formatDuration(etaSeconds(state))}`);
  return parts.join(" ");
}

/** Where the trainer reports progress: a terminal line, a notebook display, or anything else with these two methods. */
export interface ProgressSink {
  update(state: ProgressState): void;
  /** Scores of an evaluation during training (at `step`), for displays that draw them as they come. */
  evaluated?(step: number, scores: Record<string, number>): void;
  done(state: ProgressState): void;
}

/** Progress in a terminal: the line is redrawn in place on a TTY, printed every `everySteps` otherwise (CI logs). */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, everySteps = 10): ProgressSink {
  return {
    update: (state) => {
      if (stream.isTTY) stream.write(`\r${formatProgressLine(state)}\x1b[K`);
      else if (state.step % everySteps === 0) stream.write(formatProgressLine(state) + "\n");
    },
    done: (state) => stream.write((stream.isTTY ? `\r${formatProgressLine(state)}\x1b[K` : formatProgressLine(state)) + "\n"),
  };
}
