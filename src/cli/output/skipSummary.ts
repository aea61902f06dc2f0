import type { ParseSummary } from '../../core';
import { fit } from './format';

/**
 * The closing summary: what became events, and every skipped line counted by reason with where the first one was.
 * No line content by default; `examples` adds a redacted piece of the first such line.
 */
export function formatParseSummary(s: ParseSummary, examples = false): string {
  const { stats } = s;
  const head = `${stats.events} events from ${stats.lines} lines (${stats.records} records, ${stats.duplicates} duplicates); ${stats.skipped} skipped${salvagedNote(s)}`;
  const reasons = Object.entries(s.skipped).sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  if (reasons.length === 0) {
    return head + '\n';
  }
  const rows = reasons.map(([reason, st]) => {
    const where = [st.example && `first at ${st.example}`, st.detail].filter(Boolean).join(': ');
    const sample = examples && st.sample ? `\n      e.g. ${fit(JSON.stringify(st.sample), 92).trimEnd()}` : '';
    return `  ${fit(reason, 40)}${String(st.count).padStart(9)}${where ? `\n      ${fit(where, 92).trimEnd()}` : ''}${sample}`;
  });
  return `${head}:\n${rows.join('\n')}\n`;
}

/** Cut lines that still became events are not skips, but a person should know the events are partial. */
function salvagedNote(s: ParseSummary): string {
  const n = Object.values(s.salvaged ?? {}).reduce((sum, st) => sum + st.count, 0);
  return n ? ` (${n} cut line${n === 1 ? '' : 's'} read as far as they go, marked truncated)` : '';
}
