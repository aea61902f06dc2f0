import type { RawLine } from '../parse/types';

/**
 * Loki log frames as Grafana's Loki data source returns them (`/api/ds/query` or `DataSourceApi.query`): fields
 * found by name — `labels` (object or JSON text), `Time` (ms), `Line`, `tsNs` (ns as text), optional
 * `labelTypes`, `id` — per grafana/grafana pkg/tsdb/loki/testdata/*.golden.jsonc, or their dataplane names.
 * Pure, so tests run on golden fixtures without Grafana.
 */

/**
 * The part of a DataFrame this reads: fields with a name and values (an array, or Grafana's Vector), and for a
 * time field the nanoseconds past each millisecond (`nanos`, @grafana/data 13.1.1 Field).
 */
export interface FrameLike {
  fields: Array<{ name: string; values: unknown; nanos?: unknown }>;
}

export function valuesOf(v: unknown): unknown[] {
  if (Array.isArray(v)) {
    return v;
  }
  const vec = v as { toArray?: () => unknown[] } | undefined;
  return typeof vec?.toArray === 'function' ? vec.toArray() : [];
}

function labelsOf(v: unknown): Record<string, string> {
  const o = typeof v === 'string' ? safeJson(v) : v;
  const out: Record<string, string> = {};
  if (o && typeof o === 'object') {
    for (const [k, x] of Object.entries(o)) {
      if (typeof x === 'string') {
        out[k] = x;
      }
    }
  }
  return out;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * Log lines of Loki frames, in either shape Grafana's Loki data source sends (grafana pkg/tsdb/loki/frame.go):
 * the legacy one (`labels`, `Time`, `Line`, `tsNs`, `id`) or, with the `lokiLogsDataplane` feature toggle, the
 * dataplane one (`attributes`, `timestamp` with `nanos`, `body`, `id`). Frames without a line field (metric
 * frames) are not log lines and are skipped.
 */
export function decodeLokiFrames(frames: FrameLike[]): RawLine[] {
  const out: RawLine[] = [];
  for (const f of frames) {
    const byName = (...names: string[]) => f.fields.find((x) => names.includes(x.name));
    const lines = valuesOf(byName('Line', 'body')?.values);
    if (lines.length === 0) {
      continue;
    }
    const labels = valuesOf(byName('labels', 'attributes')?.values);
    const tsNs = valuesOf(byName('tsNs')?.values);
    const timeField = byName('Time', 'timestamp');
    const times = valuesOf(timeField?.values);
    const nanos = Array.isArray(timeField?.nanos) ? (timeField.nanos as unknown[]) : [];
    for (let i = 0; i < lines.length; i++) {
      const ns = typeof tsNs[i] === 'string' ? (tsNs[i] as string) : nsOf(times[i], nanos[i]);
      out.push({ text: String(lines[i]), labels: labelsOf(labels[i]), ...(ns ? { ns } : {}) });
    }
  }
  return out;
}

/** A time field's ms value and its nanoseconds past the ms, as Loki's ns text. */
function nsOf(ms: unknown, nanos: unknown): string | undefined {
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms)) {
    return undefined;
  }
  const extra = typeof nanos === 'number' && nanos > 0 && nanos < 1_000_000 ? Math.floor(nanos) : 0;
  return `${ms}${String(extra).padStart(6, '0')}`;
}

/** DataFrameJSON (`{schema: {fields}, data: {values}}`, the wire shape of `/api/ds/query`) to FrameLike. */
export function framesFromJson(
  frames: Array<{
    schema?: { fields?: Array<{ name: string }> };
    data?: { values?: unknown[][]; nanos?: Array<number[] | null | undefined> };
  }>
): FrameLike[] {
  return frames.map((f) => ({
    fields: (f.schema?.fields ?? []).map((field, i) => ({
      name: field.name,
      values: f.data?.values?.[i] ?? [],
      nanos: f.data?.nanos?.[i] ?? undefined,
    })),
  }));
}
