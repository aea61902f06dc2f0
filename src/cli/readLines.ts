import { createReadStream, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';

import type { RawLine } from '../core';
import { CliError } from './io';

const PROBE_BYTES = 64 * 1024;
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

async function openCheck(path: string): Promise<number> {
  try {
    const st = await fs.stat(path);
    if (!st.isFile()) {
      throw new CliError(`cannot read ${path}: not a regular file`, 1);
    }
    return st.size;
  } catch (e) {
    if (e instanceof CliError) {
      throw e;
    }
    throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 1);
  }
}

/**
 * A pretty-printed JSON document (a saved Loki `query_range` response, `curl … | jq`) spans many lines and
 * opens with a line that is just `{`; JSON Lines files never do.
 */
function isJsonDocument(head: string): boolean {
  return head.trimStart().split('\n', 1)[0].trim() === '{';
}

/** The lines of a file (or `-` for stdin) as RawLines with `file:line` origins. Large files are streamed. */
export async function* readRawLines(path: string): AsyncGenerator<RawLine> {
  if (path !== '-') {
    const size = await openCheck(path);
    const handle = await fs.open(path, 'r');
    let head = '';
    try {
      const buf = Buffer.alloc(Math.min(PROBE_BYTES, size));
      await handle.read(buf, 0, buf.length, 0);
      head = buf.toString('utf8');
    } finally {
      await handle.close();
    }
    if (isJsonDocument(head) && size <= MAX_DOCUMENT_BYTES) {
      yield { text: await fs.readFile(path, 'utf8'), origin: `${path}:1`, document: true };
      return;
    }
  }
  const input = path === '-' ? process.stdin : createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    yield { text, origin: `${path}:${n}` };
  }
}
