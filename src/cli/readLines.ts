import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

import type { RawLine } from '../core';
import { CliError } from './io';

/**
 * Files as people have them: plain or gzip-compressed (kube-apiserver's `--audit-log-compress` rotations, told
 * by their first bytes, not their name), whole directories of them, and `-` for stdin — all streamed.
 */

const PROBE_BYTES = 64 * 1024;
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;
/** A rotated audit file is `--audit-log-maxsize` MB (default 100); a .gz inflating past this is refused. */
export const DEFAULT_MAX_INFLATED_BYTES = 4 * 1024 * 1024 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];

export interface ReadOptions {
  /** Bytes a .gz file may inflate to (a cap against gzip bombs). */
  maxInflatedBytes?: number;
  /** The session's line limit: longer lines are cut past it (skipped as `line-too-long` either way, never held whole). */
  maxLineBytes?: number;
}

/** An input left out, with the reason shown in the skip summary (`input:<kind>`). */
export interface SkippedInput {
  path: string;
  reason: string;
}

const isGzip = (head: Uint8Array) => head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
// NUL bytes in the first block: an image, an archive, a core file (a .gz is told apart by its magic first).
const isBinary = (head: Uint8Array) => head.includes(0);

async function readHead(path: string): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(PROBE_BYTES);
    const { bytesRead } = await handle.read(buf, 0, PROBE_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function cannotRead(path: string, e: unknown): CliError {
  if (e instanceof CliError) {
    return e;
  }
  return new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 1);
}

/**
 * The files to read for these arguments: a directory stands for every file inside it (recursively), oldest
 * first by modification time (rotated logs in time order, the live file last); sockets, FIFOs, devices and
 * binary files inside a directory are left out and said so. A named FIFO (`<(zcat …)`) is read like stdin.
 */
export async function expandInputs(paths: string[]): Promise<{ files: string[]; skipped: SkippedInput[] }> {
  const files: string[] = [];
  const skipped: SkippedInput[] = [];
  for (const path of paths) {
    if (path === '-') {
      files.push(path);
      continue;
    }
    const st = await fs.stat(path).catch((e: unknown) => {
      throw cannotRead(path, e);
    });
    if (st.isDirectory()) {
      await walk(path, files, skipped);
    } else if (st.isFile() || st.isFIFO()) {
      files.push(path);
    } else {
      throw new CliError(`cannot read ${path}: not a regular file`, 1);
    }
  }
  return { files, skipped };
}

async function walk(dir: string, files: string[], skipped: SkippedInput[]): Promise<void> {
  const entries = await fs.readdir(dir).catch((e: unknown) => {
    throw cannotRead(dir, e);
  });
  const found: Array<{ path: string; mtimeMs: number }> = [];
  const subdirs: string[] = [];
  for (const name of entries.sort()) {
    const path = join(dir, name);
    const st = await fs.stat(path).catch(() => undefined);
    if (!st) {
      skipped.push({ path, reason: 'input:unreadable' });
    } else if (st.isDirectory()) {
      subdirs.push(path);
    } else if (!st.isFile()) {
      skipped.push({ path, reason: st.isSocket() ? 'input:socket' : st.isFIFO() ? 'input:fifo' : 'input:device' });
    } else {
      const head = await readHead(path).catch(() => undefined);
      if (!head) {
        skipped.push({ path, reason: 'input:unreadable' });
      } else if (!isGzip(head) && isBinary(head)) {
        skipped.push({ path, reason: 'input:binary-file' });
      } else {
        found.push({ path, mtimeMs: st.mtimeMs });
      }
    }
  }
  found.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : 1));
  files.push(...found.map((f) => f.path));
  for (const d of subdirs) {
    await walk(d, files, skipped);
  }
}

/**
 * A pretty-printed JSON document (a saved Loki `query_range` response, `curl … | jq`) spans many lines and
 * opens with a line that is just `{`; JSON Lines files never do.
 */
function isJsonDocument(head: string): boolean {
  return head.trimStart().split('\n', 1)[0].trim() === '{';
}

/** The first chunk of a stream, put back, so the stream can be sniffed before it is read. */
async function peek(stream: Readable): Promise<Buffer> {
  for (;;) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      stream.unshift(chunk);
      return chunk;
    }
    if (stream.readableEnded) {
      return Buffer.alloc(0);
    }
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        stream.off('readable', done).off('end', done).off('error', fail);
        resolve();
      };
      const fail = (e: Error) => {
        stream.off('readable', done).off('end', done);
        reject(e);
      };
      stream.once('readable', done).once('end', done).once('error', fail);
    });
  }
}

/** The inflated bytes of a gzip stream, refused past `cap`; a stream that ends early is an error, not an end. */
async function* inflate(source: Readable, path: string, cap: number): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  let total = 0;
  try {
    for await (const chunk of gunzip) {
      total += (chunk as Buffer).length;
      if (total > cap) {
        throw new CliError(
          `cannot read ${path}: it inflates past ${cap} bytes, refused as a possible gzip bomb (raise the cap with --max-inflated-bytes)`,
          1
        );
      }
      yield chunk as Buffer;
    }
  } catch (e) {
    if (e instanceof CliError) {
      throw e;
    }
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'Z_BUF_ERROR' ? 'the gzip stream ends early (a truncated .gz)' : err.message;
    throw new CliError(`cannot read ${path}: ${why}; nothing is answered from a part of it`, 1);
  } finally {
    source.unpipe(gunzip);
    source.destroy();
    gunzip.destroy();
  }
}

async function* bytes(source: Readable, path: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of source) {
      yield chunk as Buffer;
    }
  } catch (e) {
    throw cannotRead(path, e);
  }
}

/** UTF-8 lines of byte chunks (`\n` or `\r\n`), a line longer than `maxChars` cut there (it is skipped anyway). */
async function* splitLines(chunks: AsyncIterable<Buffer>, maxChars: number): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let overlong = false;
  const take = (piece: string) => {
    if (!overlong) {
      pending += piece;
      if (pending.length > maxChars) {
        pending = pending.slice(0, maxChars + 1);
        overlong = true;
      }
    }
  };
  const finishLine = () => {
    const line = pending.endsWith('\r') ? pending.slice(0, -1) : pending;
    pending = '';
    overlong = false;
    return line;
  };
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      take(text.slice(from, nl));
      yield finishLine();
      from = nl + 1;
    }
    take(text.slice(from));
  }
  take(decoder.end());
  if (pending !== '') {
    yield finishLine();
  }
}

// A line of N bytes has at least N / 4 and at most N characters: cut at N + 1 it is still over the limit.
/** Characters of a line kept by readRawLines (and threads/fileRanges.ts): past them a line is cut. */
export const lineCharsKept = (options: ReadOptions) => options.maxLineBytes ?? MAX_DOCUMENT_BYTES / 4;

/**
 * The size of a file that readRawLines reads as plain lines straight from disk (a regular file, not gzip, not a
 * whole JSON document), so it can be read in byte ranges; undefined for anything else.
 */
export async function plainLinesSize(path: string): Promise<number | undefined> {
  if (path === '-') {
    return undefined;
  }
  const st = await fs.stat(path).catch((e: unknown) => {
    throw cannotRead(path, e);
  });
  if (!st.isFile()) {
    return undefined;
  }
  const head = await readHead(path).catch((e: unknown) => {
    throw cannotRead(path, e);
  });
  const whole = isJsonDocument(head.toString('utf8')) && st.size <= MAX_DOCUMENT_BYTES;
  return isGzip(head) || whole ? undefined : st.size;
}

/** The lines of a file (or `-` for stdin) as RawLines with `file:line` origins. Large files are streamed. */
export async function* readRawLines(path: string, options: ReadOptions = {}): AsyncGenerator<RawLine> {
  const cap = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const maxChars = lineCharsKept(options);
  let source: Readable;
  if (path === '-') {
    source = process.stdin;
  } else {
    const st = await fs.stat(path).catch((e: unknown) => {
      throw cannotRead(path, e);
    });
    if (st.isFile()) {
      const head = await readHead(path).catch((e: unknown) => {
        throw cannotRead(path, e);
      });
      if (!isGzip(head) && isJsonDocument(head.toString('utf8')) && st.size <= MAX_DOCUMENT_BYTES) {
        yield { text: await fs.readFile(path, 'utf8'), origin: `${path}:1`, document: true };
        return;
      }
    } else if (!st.isFIFO()) {
      throw new CliError(`cannot read ${path}: not a regular file`, 1);
    }
    source = createReadStream(path);
  }
  const head = await peek(source).catch((e: unknown) => {
    throw cannotRead(path, e);
  });
  const chunks = isGzip(head) ? inflate(source, path, cap) : bytes(source, path);
  let n = 0;
  for await (const text of splitLines(chunks, maxChars)) {
    n++;
    yield { text, origin: `${path}:${n}` };
  }
}
