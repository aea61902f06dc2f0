import { setMaxListeners } from 'node:events';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';

import {
  decodeCheckpoint,
  defaultPlan,
  encodeCheckpoint,
  health,
  LOKI_MAX_LINE_BYTES,
  LokiClient,
  recordedUntilMs,
  newStatus,
  parseDuration,
  pushEntries,
  renderMetrics,
  resumeAt,
  waitFor,
  watch,
  windowAt,
  type WatchStatus,
  type WindowPlan,
} from '../../core';
import { CliError, type Io } from '../io';
import { isoOption } from './trace';

export interface WatchOptions {
  loki: string;
  tenant?: string;
  from?: string;
  until?: string;
  state?: string;
  cluster?: string;
  lag?: string;
  window?: string;
  recheck?: string;
  backoff?: string;
  maxLineBytes?: number;
  /** Port for /metrics and /healthz (0: any free port; absent: no server). */
  listen?: number;
}

function duration(name: string, v: string | undefined): number | undefined {
  try {
    return v === undefined ? undefined : parseDuration(v);
  } catch (e) {
    throw new CliError(`--${name} ${e instanceof Error ? e.message : String(e)}`, 2);
  }
}

async function readCheckpoint(file: string | undefined, cluster: string | undefined): Promise<number | undefined> {
  if (!file) {
    return undefined;
  }
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new CliError(`--state ${file}: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  try {
    return decodeCheckpoint(text, cluster);
  } catch (e) {
    throw new CliError(`--state ${file}: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
}

/** Written whole then renamed: a crash leaves the old checkpoint or the new one, never half of one. */
async function writeCheckpoint(file: string, nextMs: number, cluster: string | undefined): Promise<void> {
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, encodeCheckpoint(nextMs, cluster));
  await fs.rename(tmp, file);
}

function serve(port: number, status: WatchStatus, plan: WindowPlan, io: Io): Promise<Server> {
  const server = createServer((req, res) => {
    const now = Date.now();
    if (req.url === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(renderMetrics(status, now));
      return;
    }
    if (req.url === '/healthz') {
      const due = status.nextMs !== undefined && waitFor(windowAt(status.nextMs, plan), plan, now) === 0;
      const h = health(status, now, { due, stuckAfterMs: 3 * plan.windowMs + 5 * 60_000 });
      res.writeHead(h.ok ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(h.text);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('404: /metrics or /healthz\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      const a = server.address();
      io.err(`serving /metrics and /healthz on port ${typeof a === 'object' && a ? a.port : port}\n`);
      resolve(server);
    });
  });
}

/**
 * `provenance watch --loki URL`: correlates the audit streams window after window and records every chain in
 * `{job="change-provenance", verdict, cluster}`. SIGTERM / SIGINT stop it between requests; the window under
 * way is not checkpointed, so the next run correlates it again and sends only what is missing.
 */
export async function watchCommand(o: WatchOptions, io: Io): Promise<number> {
  const fromMs = isoOption('from', o.from);
  const untilMs = isoOption('until', o.until);
  const plan = defaultPlan();
  plan.windowMs = duration('window', o.window) ?? plan.windowMs;
  plan.lagMs = duration('lag', o.lag) ?? plan.lagMs;
  const recheckMs = duration('recheck', o.recheck) ?? 0;
  const backoffMs = duration('backoff', o.backoff) ?? 1_000;
  if (plan.windowMs <= 0) {
    throw new CliError('--window must be longer than 0', 2);
  }
  // A re-recorded chain is older than its stream's newest entry: Loki refuses it past an hour behind.
  if (recheckMs + plan.windowMs > 50 * 60_000) {
    throw new CliError('--recheck plus --window must stay under 50m (Loki refuses entries over 1h behind a stream)', 2);
  }
  const client = new LokiClient({ baseUrl: o.loki, tenant: o.tenant, fetch: (url, init) => fetch(url, init) });
  const status = newStatus(Date.now());
  const controller = new AbortController();
  // Every concurrent Loki request listens to it for a moment: more than Node's default 10 at once.
  setMaxListeners(256, controller.signal);
  const stop = (sig: string) => () => {
    io.err(`${sig}: stopping; the window under way will be correlated again on the next start\n`);
    controller.abort();
  };
  const onTerm = stop('SIGTERM');
  const onInt = stop('SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  const server = o.listen === undefined ? undefined : await serve(o.listen, status, plan, io);
  try {
    const checkpointMs = await readCheckpoint(o.state, o.cluster);
    const recordedUntil =
      checkpointMs === undefined
        ? await recordedUntilMs(client, o.cluster, fromMs ?? Date.now() - 30 * 86_400_000, untilMs ?? Date.now())
        : undefined;
    const start = resumeAt({ checkpointMs, recordedUntilMs: recordedUntil, fromMs, now: Date.now() }, plan);
    io.err(`starting at ${new Date(start.startMs).toISOString()} (${start.reason})\n`);
    const next = await watch(
      {
        plan,
        startMs: start.startMs,
        untilMs,
        cluster: o.cluster,
        maxLineBytes: o.maxLineBytes ?? LOKI_MAX_LINE_BYTES,
        recheckMs,
        backoffMs: (n) => Math.min(60_000, backoffMs * 2 ** (n - 1)),
        signal: controller.signal,
      },
      {
        transport: client,
        push: (entries) =>
          pushEntries((url, init) => fetch(url, init), o.loki, entries, { tenant: o.tenant, maxLines: 500 }),
        now: Date.now,
        sleep: (ms, signal) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(resolve, ms);
            signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
          }),
        checkpoint: (ms) => (o.state ? writeCheckpoint(o.state, ms, o.cluster) : Promise.resolve()),
        log: (line) => io.err(`${line}\n`),
      },
      status
    );
    io.out(
      `recorded up to ${new Date(next).toISOString()}: ${status.windowsDone} windows, ${status.chainsWritten} chains written, ` +
        `${status.chainsUnchanged} already recorded, ${status.chainsRerecorded} re-recorded, ${status.chainsShortened} shortened, ` +
        `${status.chainsRefused} refused, ${status.windowsFailed} failed attempts\n`
    );
    return status.chainsRefused > 0 ? 1 : 0;
  } finally {
    process.removeListener('SIGTERM', onTerm);
    process.removeListener('SIGINT', onInt);
    server?.close();
  }
}
