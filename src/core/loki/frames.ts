import type { RawLine } from '../parse/types';

/**
 * Loki log frames as Grafana's Loki data source returns them (`/api/ds/query` or `DataSourceApi.query`): fields
 * found by name — `labels` (object or JSON text), `Time` (ms), `Line`, `tsNs` (ns as text), optional
 * `labelTypes`, `id` — per grafana/grafana pkg/tsdb/loki/testdata/*.golden.jsonc. Pure, so tests run on golden
 * fixtures without Grafana.
 */

/** The part of a DataFrame this reads: fields with a name and values (an array, or Grafana's Vector). */
export interface FrameLike {
  fields: Array<{ name: string; values: unknown }>;
}

function valuesOf(v: unknown): unknown[] {
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

/** Log lines of Loki frames; frames without a `Line` field (metric frames) are not log lines and are skipped. */
export function decodeLokiFrames(frames: FrameLike[]): RawLine[] {
  const out: RawLine[] = [];
  for (const f of frames) {
    const field = (name: string) => valuesOf(f.fields.find((x) => x.name === name)?.values);
    const lines = field('Line');
    if (lines.length === 0) {
      continue;
    }
    const labels = field('labels');
    const tsNs = field('tsNs');
    const times = field('Time');
    for (let i = 0; i < lines.length; i++) {
      const ns =
        typeof tsNs[i] === 'string'
          ? (tsNs[i] as string)
          : typeof times[i] === 'number'
            ? `${times[i]}000000`
            : undefined;
      out.push({ text: String(lines[i]), labels: labelsOf(labels[i]), ...(ns ? { ns } : {}) });
    }
  }
  return out;
}

/** DataFrameJSON (`{schema: {fields}, data: {values}}`, the wire shape of `/api/ds/query`) to FrameLike. */
export function framesFromJson(
  frames: Array<{ schema?: { fields?: Array<{ name: string }> }; data?: { values?: unknown[][] } }>
): FrameLike[] {
  return frames.map((f) => ({
    fields: (f.schema?.fields ?? []).map((field, i) => ({ name: field.name, values: f.data?.values?.[i] ?? [] })),
  }));
}
