import { generate, pushEntryOf, type RawLine } from '../../src/core';
import { compile, runPipeline } from './logqlEval';

/**
 * Grafana's Loki data source as the provenance data source sees it: `query(request)` answering LogQL range
 * queries with Loki log frames (labels / Time / Line / tsNs / id). LogQL is evaluated by the emulator's
 * evaluator, so filters really filter. Records every request for assertions.
 */
export class FakeLokiDataSource {
  readonly uid = 'loki-test';
  readonly type = 'loki';
  readonly requests: Array<{ expr: string; from: number; to: number; maxLines: number }> = [];
  private readonly entries: Array<{ labels: Record<string, string>; ns: string; line: string }> = [];
  /** Resolves when a query is in flight (for cancellation tests); the query waits while `hold` is set. */
  hold?: Promise<void>;

  add(lines: RawLine[]): void {
    for (const l of lines) {
      this.entries.push({ labels: l.labels ?? {}, ns: l.ns ?? '0', line: l.text });
    }
    this.entries.sort((a, b) => a.ns.length - b.ns.length || (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  }

  async query(request: {
    range: { from: { valueOf(): number }; to: { valueOf(): number } };
    targets: Array<{ expr: string; maxLines?: number }>;
  }) {
    const t = request.targets[0];
    const from = request.range.from.valueOf();
    const to = request.range.to.valueOf();
    const maxLines = t.maxLines ?? 1000;
    this.requests.push({ expr: t.expr, from, to, maxLines });
    if (this.hold) {
      await this.hold;
    }
    const plan = compile(t.expr);
    if (plan.kind !== 'log') {
      return { data: [], errors: [{ message: 'metric query' }] };
    }
    const rows: Array<{ labels: Record<string, string>; ns: string; line: string }> = [];
    for (const e of this.entries) {
      const ms = Number(e.ns.slice(0, -6));
      if (
        ms < from ||
        ms > to ||
        !plan.plan.selector.every((m) => runPipeline({ selector: [], stages: [{ kind: 'label', m }] }, '', e.labels))
      ) {
        continue;
      }
      if (runPipeline(plan.plan, e.line, e.labels)) {
        rows.push(e);
      }
      if (rows.length >= maxLines) {
        break;
      }
    }
    return {
      data: [
        {
          fields: [
            { name: 'labels', values: rows.map((r) => r.labels) },
            { name: 'Time', values: rows.map((r) => Number(r.ns.slice(0, -6))) },
            { name: 'Line', values: rows.map((r) => r.line) },
            { name: 'tsNs', values: rows.map((r) => r.ns) },
            { name: 'id', values: rows.map((r, i) => `${r.ns}_${i}`) },
          ],
        },
      ],
    };
  }
}

/** The generated scenarios and noise as Loki holds them after a push with Alloy's labels (cluster `prod-eu`). */
export function scenarioLokiLines(noiseEvents: number, start: number): RawLine[] {
  const g = generate({ scenarios: 'all', noiseEvents, seed: 4, start });
  return [...g.records()]
    .map((r) => pushEntryOf(r.line, 'prod-eu'))
    .filter((e): e is NonNullable<typeof e> => e !== undefined)
    .map((e) => ({ text: e.line, labels: { ...e.labels, ...e.meta }, ns: e.ns }));
}
