import type { Change, ChangeDiffEntry } from '../model';

/** Diff entries and changes in words, the same in the CLI table, the chains frame and the drawer. */

function valueText(v: unknown, max: number): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? 'null');
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

/** `spec.replicas: 2 → 4`, `data.password: changed (Secret value not shown)`; values cut to `max` characters. */
export function diffLine(d: ChangeDiffEntry, max = 80): string {
  const hasBefore = 'before' in d;
  const hasAfter = 'after' in d;
  if (d.secret) {
    const what = hasBefore && hasAfter ? 'changed' : hasAfter ? 'set' : 'removed';
    return `${d.path}: ${what} (Secret value not shown)`;
  }
  if (hasBefore && hasAfter) {
    return `${d.path}: ${valueText(d.before, max)} → ${valueText(d.after, max)}`;
  }
  if (hasAfter) {
    return `${d.path}: ${hasBefore ? '' : '→ '}${valueText(d.after, max)}`;
  }
  return hasBefore ? `${d.path}: removed (was ${valueText(d.before, max)})` : `${d.path}: removed`;
}

/** `3 fields (complete, from the objects before and after) · 2 noise fields left out`. */
export function changeSummary(c: Change | null | undefined): string {
  if (!c) {
    return '';
  }
  const from: Record<Change['source'], string> = {
    'response-bodies': 'from the objects before and after',
    'request-body': `from the request${c.patchType ? ` (${c.patchType})` : ''}`,
    argocd: "from Argo CD's history",
  };
  const n = c.diff.length;
  const parts = [`${n} field${n === 1 ? '' : 's'} (${c.complete ? 'complete, ' : ''}${from[c.source]})`];
  if (c.omitted.count > 0) {
    parts.push(`${c.omitted.count} noise field${c.omitted.count === 1 ? '' : 's'} left out`);
  }
  return parts.join(' · ');
}
