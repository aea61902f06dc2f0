import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ChainJson } from '../../src/core';
import { runCli as cli } from '../support/cli';
import { LokiEmulator } from '../support/lokiEmulator';

/**
 * Loki's querier answers over gRPC with a 4 MiB limit by default: a busy hour's page of 5000 audit lines is
 * well over it. `trace --loki` must page by bytes and give the same answer as a Loki with the limit raised,
 * for not many more requests.
 */

const RANGE = ['--from', '2026-03-02T09:00:00Z', '--to', '2026-03-02T14:00:00Z'];
let strict: LokiEmulator;
let raised: LokiEmulator;
let strictUrl: string;
let raisedUrl: string;

beforeAll(async () => {
  strict = new LokiEmulator();
  raised = new LokiEmulator({ grpcMaxMessageBytes: Infinity });
  strictUrl = await strict.start();
  raisedUrl = await raised.start();
  const dir = mkdtempSync(join(tmpdir(), 'provenance-loki-large-'));
  expect((await cli(['generate', '--out', dir, '--events', '300', '--seed', '3'])).code).toBe(0);
  busyHourOfLeaseRenewals(join(dir, 'kube-audit.log'));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f));
  for (const url of [strictUrl, raisedUrl]) {
    expect((await cli(['push', '--loki', url, '--cluster', 'prod-eu', ...files])).code).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  await strict.stop();
  await raised.stop();
});

/**
 * Controllers renewing their leases a few times a second for an hour: routine writes, ~1 KB each. 12,000 of
 * them make phase 1's first page of 5000 about 5.3 MB.
 */
function busyHourOfLeaseRenewals(auditLog: string): void {
  const renewal = readFileSync(auditLog, 'utf8')
    .split('\n')
    .find((l) => l.includes('"verb":"update"') && l.includes('"resource":"leases"'));
  expect(renewal).toBeDefined();
  const template = JSON.parse(renewal as string) as Record<string, unknown> & { objectRef: { name: string } };
  const hour = Date.parse('2026-03-02T10:00:00Z');
  const out: string[] = [];
  for (let i = 0; i < 12_000; i++) {
    const at = new Date(hour + i * 300).toISOString().replace('Z', '000Z');
    out.push(
      JSON.stringify({
        ...template,
        auditID: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        objectRef: { ...template.objectRef, name: `controller-lease-${i % 40}` },
        requestReceivedTimestamp: at,
        stageTimestamp: at,
      })
    );
  }
  appendFileSync(auditLog, `${out.join('\n')}\n`);
}

async function traceAgainst(emu: LokiEmulator, url: string, ...extra: string[]) {
  const before = emu.requests.length;
  // --all: the lease renewals are routine, and Loki would leave them out; this is about paging them by bytes.
  const r = await cli(['trace', '--format', 'json', '--all', '--loki', url, ...RANGE, ...extra]);
  const served = emu.requests.slice(before).filter((q) => q.path.endsWith('query_range'));
  // Phase 1 (the writes) is asked first.
  const writes = served.filter((q) => q.query === served[0]?.query).length;
  return {
    r,
    requests: served.length,
    writes,
    chains: (JSON.parse(r.out || '{"chains":[]}') as { chains: ChainJson[] }).chains,
  };
}

it('answers as a Loki without the gRPC limit does, within twice its requests', async () => {
  // Unconstrained: a Loki with its gRPC limits raised, read in pages of up to 5000 lines whatever their size.
  const big = await traceAgainst(raised, raisedUrl, '--loki-page-bytes', String(2 ** 40));
  const limited = await traceAgainst(strict, strictUrl);
  expect(limited.r.err).toBe('');
  expect(limited.r.code).toBe(0);
  expect(big.chains.length).toBeGreaterThan(0);
  expect(limited.chains).toEqual(big.chains);
  // The Loki with raised limits was sent pages far over the default 4 MiB; the strict one refused such pages.
  expect(Math.max(...raised.requests.map((q) => q.bytes ?? 0))).toBeGreaterThan(5_000_000);
  expect(limited.requests).toBeLessThanOrEqual(2 * big.requests);
  expect(limited.writes).toBeLessThanOrEqual(2 * big.writes);
  process.stdout.write(
    `requests: gRPC-limited Loki ${limited.requests} (${limited.writes} for the writes); ` +
      `unlimited ${big.requests} (${big.writes} for the writes)\n`
  );
}, 120_000);
