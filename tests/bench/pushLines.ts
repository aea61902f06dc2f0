import { generate, pushBodies, pushBody, pushEntryOf, scenarioNames, type PushEntry } from '../../src/core';

/** Generated lines into a Loki (the emulator) with Alloy's labels, cluster `prod-eu`: for the benchmarks. */

/** Every line in one pass (an idle keep-alive connection is closed by the server: no second pass). */
export async function pushLines(
  url: string,
  lines: Iterable<{ file: string; line: string }>
): Promise<{ pushed: number; auditBytes: number }> {
  let pushed = 0;
  let auditBytes = 0;
  let batch: PushEntry[] = [];
  const flush = async () => {
    for (const body of pushBodies(batch, 2000)) {
      // A keep-alive connection the server closed while we generated lines fails the write (EPIPE) before the
      // server read anything: sending again on a new connection is safe.
      for (let attempt = 0; ; attempt++) {
        try {
          await pushBody((u, init) => fetch(u, init), url, body);
          break;
        } catch (e) {
          if (attempt >= 3 || !(e instanceof TypeError)) {
            throw e;
          }
        }
      }
    }
    pushed += batch.length;
    batch = [];
  };
  for (const r of lines) {
    const e = pushEntryOf(r.line, 'prod-eu');
    if (e) {
      batch.push(e);
      if (r.file === 'kube-audit.log') {
        auditBytes += Buffer.byteLength(r.line) + 1;
      }
    }
    if (batch.length >= 20_000) {
      await flush();
    }
  }
  await flush();
  return { pushed, auditBytes };
}

/**
 * One hour of a cluster's audit stream at `eventsPerHour`: 5 minutes of traffic, then every scenario in turn, the
 * last one's lines (up to 20 minutes after its start) inside the hour.
 */
export function busyHour(eventsPerHour: number, start: number) {
  return generate({
    scenarios: 'all',
    noiseEvents: 0,
    eventsPerHour,
    seed: 42,
    start,
    leadInMs: 5 * 60_000,
    spacingMs: Math.floor((35 * 60_000) / scenarioNames().length),
    endMs: start + 55 * 60_000,
  });
}
