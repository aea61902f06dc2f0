import type { LineParser, LineSink } from './session';
import type { RawLine } from './types';

/**
 * What a LineParser told about a run of lines, recorded to be applied by a ParseSession somewhere else
 * (`ParseSession.replay`): parsing is the costly part and needs no state across lines, so worker threads parse
 * and one session merges their records in input order, ending where one session given every line would.
 *
 * `ops` is flat: an opcode (a number), its operands (never numbers), …, `OP_END` after each line. It holds only
 * what structured clone copies as is (strings, plain objects, undefined).
 */
export interface RecordedLines {
  ops: unknown[];
  lines: number;
}

/** reason, detail, sample */
export const OP_SKIP = 1;
/** detail */
export const OP_SALVAGED = 2;
export const OP_RECORD = 3;
/** a Parsed (the event redacted) */
export const OP_EVENT = 4;
/** auditID, stage, verb, requestURI, user: a certain read, not parsed */
export const OP_READ = 5;
export const OP_END = 0;

export class LineRecorder {
  private ops: unknown[] = [];
  private lines = 0;
  private readonly sink: LineSink = {
    skip: (reason, _raw, detail, sample) => this.ops.push(OP_SKIP, reason, detail, sample),
    salvaged: (_raw, detail) => this.ops.push(OP_SALVAGED, detail),
    record: () => this.ops.push(OP_RECORD),
    event: (parsed) => this.ops.push(OP_EVENT, parsed),
    // Whether the read is counted without parsing depends on other lines of its audit ID: the session decides.
    read: (f) => (this.ops.push(OP_READ, f.auditID, f.stage, f.verb, f.requestURI, f.user), true),
  };

  constructor(private readonly parser: LineParser) {}

  add(raw: RawLine): void {
    this.lines++;
    try {
      this.parser.line(raw, this.sink);
    } catch (e) {
      // As ParseSession.add: a parser's bug is a counted skip, never a crash.
      this.ops.push(OP_SKIP, 'internal-error', e instanceof Error ? e.message : String(e), undefined);
    }
    this.ops.push(OP_END);
  }

  /** The lines recorded since the last take. */
  take(): RecordedLines {
    const taken = { ops: this.ops, lines: this.lines };
    this.ops = [];
    this.lines = 0;
    return taken;
  }
}
