// Ctrl-C (SIGINT) and `kill` (SIGTERM) during a run with a run folder: the step in progress finishes, a checkpoint
// is saved, and training stops with an error saying where to resume. A second signal is not caught (the handlers go
// after the first), so it ends the process at once, as the user asked twice.

/** The signals that stop a run cleanly. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** One of STOP_SIGNALS. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The shell's exit status for a process ended by a signal (128 + its number: 130 for SIGINT, 143 for SIGTERM). */
export const SIGNAL_EXIT_CODES: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** Training stopped on a signal after saving a checkpoint; running the same command again resumes it. */
export class TrainingInterruptedError extends Error {
  override readonly name = "TrainingInterruptedError";
  constructor(
    readonly signal: StopSignal,
    readonly step: number,
    message: string,
  ) {
    super(message);
  }
}

/** A watch on the stop signals while it lasts: which one arrived first (null: none yet). */
export interface StopWatch {
  readonly signal: StopSignal | null;
  /** Remove the handlers (always call it, in a finally). */
  dispose(): void;
}

/** Catch the first SIGINT or SIGTERM until dispose(); `onSignal` is told at once (e.g. to say that a checkpoint is coming). */
export function watchStopSignals(onSignal: (signal: StopSignal) => void = () => {}): StopWatch {
  let received: StopSignal | null = null;
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      received ??= signal;
      remove();
      onSignal(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const remove = () => handlers.forEach(([signal, handler]) => process.removeListener(signal, handler));
  return {
    get signal() {
      return received;
    },
    dispose: remove,
  };
}
