/** Small text helpers for tables that stay readable at 100 columns. */

export function fit(text: string, width: number): string {
  const t = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return t.length > width ? t.slice(0, width - 1) + '…' : t.padEnd(width);
}

/** A table cell: `width` wide including one space of gutter. */
export function col(text: string, width: number): string {
  return fit(text, width - 1) + ' ';
}

/** Words joined by `sep`, wrapped into lines of at most `width` characters. */
export function wrapJoined(parts: string[], sep: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const p of parts) {
    const next = cur === '' ? p : cur + sep + p;
    if (next.length > width && cur !== '') {
      lines.push(cur);
      cur = p;
    } else {
      cur = next;
    }
  }
  if (cur !== '') {
    lines.push(cur);
  }
  return lines.map((l) => fit(l, width).trimEnd());
}

export function isoTime(ms: number | undefined): string {
  return ms === undefined ? '(no time)'.padEnd(19) : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `system:serviceaccount:ns:name` → `sa ns/name`, the rest unchanged. */
export function shortActor(name: string): string {
  const m = /^system:serviceaccount:([^:]+):(.+)$/.exec(name);
  return m ? `sa ${m[1]}/${m[2]}` : name;
}
