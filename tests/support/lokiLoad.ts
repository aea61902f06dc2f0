import { LokiClient, pushBodies, pushBody, pushEntryOf } from '../../src/core';

/** Pushes log lines into a Loki (the emulator) as an Alloy pipeline would label them, and a client to read it. */
export async function loadLoki(url: string, lines: Iterable<string>, cluster = 'prod-eu'): Promise<LokiClient> {
  const entries = [...lines].map((l) => pushEntryOf(l, cluster)).filter((e) => e !== undefined);
  for (const body of pushBodies(entries, 2000)) {
    await pushBody((u, init) => fetch(u, init), url, body);
  }
  return new LokiClient({ baseUrl: url, fetch: (u, init) => fetch(u, init) });
}
