/** Small text helpers for tables that stay readable at 100 columns. */

export function fit(text: string, width: number): string {
  const t = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return t.length > width ? t.slice(0, width - 1) + '…' : t.padEnd(width);
}

/** A table cell: `width` wide including one space of gutter. */
export function col(text: string, width: number): string {
  return fit(text, width - 1) + ' ';
}

/** Parts joined by `sep`, wrapped into lines of at most `width` characters; a part longer than a line is split. */
export function wrapJoined(parts: string[], sep: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const part of parts) {
    const next = cur === '' ? part : cur + sep + part;
    if (next.length <= width) {
      cur = next;
      continue;
    }
    if (cur !== '') {
      lines.push(cur);
    }
    let rest = part;
    while (rest.length > width) {
      // Break at the last space that fits; a word longer than a line is cut.
      const space = rest.lastIndexOf(' ', width);
      const cut = space > width / 3 ? space : width;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut).trimStart();
    }
    cur = rest;
  }
  if (cur !== '') {
    lines.push(cur);
  }
  return lines.map((l) => l.replace(/[\u0000-\u001f\u007f]/g, ' '));
}

export function isoTime(ms: number | undefined): string {
  return ms === undefined ? '(no time)'.padEnd(19) : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `system:serviceaccount:ns:name` → `sa ns/name`, the rest unchanged. */
export function shortActor(name: string): string {
  const m = /^system:serviceaccount:([^:]+):(.+)$/.exec(name);
  return m ? `sa ${m[1]}/${m[2]}` : name;
}
