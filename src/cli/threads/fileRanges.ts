import { closeSync, openSync, readSync } from 'node:fs';

import type { RawLine } from '../../core';
import { CliError } from '../io';

/**
 * A plain file split into byte ranges that threads read on their own. A range owns the lines that start in it
 * (the first line of a range that starts mid-line belongs to the range before), so the ranges of a file hold
 * each line once, in order. A line is decoded as `readRawLines` makes it (splitLines in readLines.ts): UTF-8,
 * `\n` or `\r\n`, a line past `maxChars` characters cut there — only that much of it is ever held.
 */

const TAIL_STEP = 64 * 1024;
const NEWLINE = 0x0a;

/** Bytes of a line kept: enough for `maxChars + 1` characters of up to 4 bytes each. */
const keptBytes = (maxChars: number) => 4 * (maxChars + 2);

/** The text of a line's bytes, cut and trimmed as splitLines does. */
export function lineText(buf: Buffer, from: number, to: number, maxChars: number): string {
  let text = buf.toString('utf8', from, to);
  if (text.length > maxChars) {
    text = text.slice(0, maxChars + 1);
  }
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

export interface RangeLines {
  texts: string[];
  /** Where each line starts in the file, and where the bytes kept of it end (before its `\n`). */
  starts: Float64Array;
  ends: Float64Array;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) {
      break;
    }
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/** The lines that start in [start, end) of the open file `fd`. */
export function readRange(fd: number, start: number, end: number, maxChars: number): RangeLines {
  const from = Math.max(0, start - 1);
  const buf = readAt(fd, from, end - from);
  const keep = keptBytes(maxChars);
  const texts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  // Offsets are into `buf`; the file position is `from + offset`.
  let at = start - from;
  if (start > 0 && buf[0] !== NEWLINE) {
    const nl = buf.indexOf(NEWLINE, 1);
    at = nl === -1 ? buf.length : nl + 1;
  }
  while (at < buf.length) {
    const nl = buf.indexOf(NEWLINE, at);
    if (nl !== -1) {
      const to = Math.min(nl, at + keep);
      texts.push(lineText(buf, at, to, maxChars));
      starts.push(from + at);
      ends.push(from + to);
      at = nl + 1;
      continue;
    }
    // The range's last line goes on past its end (or ends the file without a newline).
    const head = buf.subarray(at, Math.min(buf.length, at + keep));
    const pieces = [head];
    let kept = head.length;
    let position = from + buf.length;
    for (;;) {
      const more = readAt(fd, position, TAIL_STEP);
      if (more.length === 0) {
        break;
      }
      const stop = more.indexOf(NEWLINE);
      const piece = stop === -1 ? more : more.subarray(0, stop);
      if (kept < keep) {
        const take = piece.subarray(0, keep - kept);
        pieces.push(take);
        kept += take.length;
      }
      if (stop !== -1) {
        break;
      }
      position += more.length;
    }
    const line = Buffer.concat(pieces);
    texts.push(lineText(line, 0, line.length, maxChars));
    starts.push(from + at);
    ends.push(from + at + line.length);
    break;
  }
  return { texts, starts: Float64Array.from(starts), ends: Float64Array.from(ends) };
}

/** Open files, for the few lines that are read again (a skipped read that has to be parsed after all). */
export class OpenFiles {
  private readonly fds = new Map<string, number>();

  fd(path: string): number {
    let fd = this.fds.get(path);
    if (fd === undefined) {
      try {
        fd = openSync(path, 'r');
      } catch (e) {
        throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 1);
      }
      this.fds.set(path, fd);
    }
    return fd;
  }

  close(): void {
    for (const fd of this.fds.values()) {
      closeSync(fd);
    }
    this.fds.clear();
  }
}

/** A line of a file by reference: its origin, and its text read again from the file only if asked. */
export class FileLine implements RawLine {
  constructor(
    private readonly files: OpenFiles,
    private readonly path: string,
    private readonly number: number,
    private readonly start: number,
    private readonly end: number,
    private readonly maxChars: number
  ) {}

  get origin(): string {
    return `${this.path}:${this.number}`;
  }

  get text(): string {
    const buf = readAt(this.files.fd(this.path), this.start, this.end - this.start);
    return lineText(buf, 0, buf.length, this.maxChars);
  }
}
