import type { SourceKind } from '../model';
import { ParseSession } from '../parse/session';

import { DEFAULT_SELECTORS, type StreamSelectors } from '../logql/questions';
import { LokiError, type FetchLike } from './client';

/**
 * Lines to Loki push bodies with the labels an Alloy pipeline gives each source: the source's stream selector
 * labels (`job`, …) plus `cluster` — low-cardinality only; the audit ID goes into structured metadata. Each
 * line keeps its own time (the record's time, else now), as Alloy's timestamp stage would set it.
 */

export interface PushEntry {
  labels: Record<string, string>;
  ns: string;
  line: string;
  meta: Record<string, string>;
}

export type PostLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string }
) => ReturnType<FetchLike>;

const AUDIT_ID = /"auditID":"([^"]{1,64})"/;

/** Source, time and labels of one line; undefined when it is not a line we read. */
export function pushEntryOf(
  text: string,
  cluster: string,
  selectors: StreamSelectors = DEFAULT_SELECTORS,
  nowNs?: string
): PushEntry | undefined {
  // No size limit here: Loki applies its own max_line_size, and push reports what it refused.
  const s = new ParseSession({ maxLineBytes: Number.MAX_SAFE_INTEGER });
  s.add({ text });
  const e = s.finish().events[0];
  if (!e) {
    return undefined;
  }
  const source: Exclude<SourceKind, 'k8s-event'> = e.source === 'k8s-event' ? 'argocd' : e.source;
  const labels = { ...(selectors[source] ?? DEFAULT_SELECTORS[source]), cluster };
  const meta: Record<string, string> = {};
  const id = AUDIT_ID.exec(text);
  if (id) {
    meta.auditID = id[1];
  }
  const ns = e.ns || nowNs || `${Date.now()}000000`;
  return { labels, ns, line: text, meta };
}

/** Push bodies of at most `maxLines` lines, grouped into streams by label set. */
export function pushBodies(entries: PushEntry[], maxLines = 1000): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < entries.length; i += maxLines) {
    const streams = new Map<
      string,
      { stream: Record<string, string>; values: Array<[string, string, Record<string, string>] | [string, string]> }
    >();
    for (const e of entries.slice(i, i + maxLines)) {
      const k = JSON.stringify(e.labels);
      const s = streams.get(k) ?? { stream: e.labels, values: [] };
      streams.set(k, s);
      s.values.push(Object.keys(e.meta).length ? [e.ns, e.line, e.meta] : [e.ns, e.line]);
    }
    bodies.push(JSON.stringify({ streams: [...streams.values()] }));
  }
  return bodies;
}

export interface PushOutcome {
  /** Lines Loki refused (e.g. over max_line_size), with its message: reported, never silently lost. */
  rejected: string[];
  retries: number;
}

/** POST one body; waits and retries on 429 / 5xx (Retry-After honoured); a 400 is reported, not retried. */
export async function pushBody(
  post: PostLike,
  baseUrl: string,
  body: string,
  opts: { tenant?: string; maxRetries?: number; sleep?: (ms: number) => Promise<void> } = {}
): Promise<PushOutcome> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (opts.tenant) {
    headers['X-Scope-OrgID'] = opts.tenant;
  }
  const out: PushOutcome = { rejected: [], retries: 0 };
  for (let attempt = 0; ; attempt++) {
    const res = await post(`${baseUrl.replace(/\/+$/, '')}/loki/api/v1/push`, { method: 'POST', headers, body });
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) {
      return out;
    }
    if (res.status === 400) {
      out.rejected.push(text.trim());
      return out;
    }
    if ((res.status === 429 || res.status >= 500) && attempt < (opts.maxRetries ?? 8)) {
      out.retries++;
      const ra = res.headers.get('Retry-After');
      await sleep(ra && /^\d+$/.test(ra) ? Number(ra) * 1000 : Math.min(10_000, 250 * 2 ** attempt));
      continue;
    }
    throw new LokiError(`Loki push answered ${res.status}: ${text.trim().slice(0, 300)}`, res.status);
  }
}
