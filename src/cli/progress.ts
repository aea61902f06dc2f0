import { SingleBar } from 'cli-progress';

import type { Io } from './io';

/** A progress bar on stderr, drawn only when stderr is a terminal (never in pipes, CI logs or tests). */
export interface Progress {
  /** `detail` is shown after the count (e.g. "1234 lines read"). */
  update(done: number, detail?: string): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

export function startProgress(io: Io, label: string, total: number, unit: string): Progress {
  if (!io.errIsTTY || total <= 0) {
    return NONE;
  }
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit}{detail} | {eta_formatted} left`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0, { detail: '' });
  let last = 0;
  return {
    update(done, detail) {
      // Redraw at most every 1% so progress never costs measurable time.
      if (done - last >= total / 100 || done === total) {
        bar.update(Math.min(done, total), { detail: detail ? ` · ${detail}` : '' });
        last = done;
      }
    },
    stop: () => bar.stop(),
  };
}
