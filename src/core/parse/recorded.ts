import { requestIdentity } from './sameRequest';
import type { LineParser, LineSink } from './session';
import type { Parsed, RawLine } from './types';

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
/** a WithheldFacts: an event left out where it was parsed (a routine write), counted but not sent */
export const OP_WITHHELD = 6;
export const OP_END = 0;

/**
 * What counting a withheld event needs — how its stage lines merge and where it sorts — instead of the event:
 * a routine write is a few hundred bytes of facts here against kilobytes of event copied between threads.
 */
export interface WithheldFacts {
  mergeKey: string;
  stage: string;
  /** Verb, request URI and authenticated user: lines of one request have the same (sameRequest.ts). */
  request: string;
  /** Why it is left out (a routine class). */
  label: string;
  id: string;
  time?: number;
  ns: string;
}

/**
 * Says which events to leave out where they are parsed, by a label (the trace's routine classes); undefined
 * keeps the event. Asked only about events `withholdable` allows.
 */
export type Withhold = (parsed: Parsed) => string | undefined;

/**
 * An event the session can count without having it: one line of one request (a merge key, one stage, whole,
 * with a verb), so that its merge with the request's other lines can be told from the facts alone.
 */
function withholdable(p: Parsed): p is Parsed & { mergeKey: string; stage: string } {
  const e = p.event;
  return (
    p.mergeKey !== undefined &&
    p.stage !== undefined &&
    p.stage !== '' &&
    e.stages?.length === 1 &&
    e.stages[0] === p.stage &&
    e.verb !== '' &&
    !e.truncated
  );
}

export class LineRecorder {
  private ops: unknown[] = [];
  private lines = 0;
  /** An event of this line was not left out after all, but its bodies were not read: the line is parsed again. */
  private readAgain = false;
  private readonly sink: LineSink = {
    skip: (reason, _raw, detail, sample) => this.ops.push(OP_SKIP, reason, detail, sample),
    salvaged: (_raw, detail) => this.ops.push(OP_SALVAGED, detail),
    record: () => this.ops.push(OP_RECORD),
    event: (parsed) => {
      if (this.withhold && withholdable(parsed)) {
        const label = this.withhold(parsed);
        if (label !== undefined) {
          const e = parsed.event;
          const facts: WithheldFacts = {
            mergeKey: parsed.mergeKey,
            stage: parsed.stage,
            request: requestIdentity(e),
            label,
            id: e.id,
            time: e.time,
            ns: e.ns,
          };
          this.ops.push(OP_WITHHELD, facts);
          return;
        }
      }
      if (!this.parser.readBodiesOf(parsed.event)) {
        this.readAgain = true;
      }
      this.ops.push(OP_EVENT, parsed);
    },
    // Whether the read is counted without parsing depends on other lines of its audit ID: the session decides.
    read: (f) => (this.ops.push(OP_READ, f.auditID, f.stage, f.verb, f.requestURI, f.user), true),
  };

  constructor(
    private readonly parser: LineParser,
    /** Events to leave out here, counted by the session as if it had them (`trace`'s routine writes). */
    private readonly withhold?: Withhold
  ) {}

  add(raw: RawLine): void {
    this.lines++;
    const start = this.ops.length;
    try {
      this.parser.line(raw, this.sink);
      if (this.readAgain) {
        // Told to be left out before its bodies were read, kept after (its stage, a redacted name): read whole.
        this.readAgain = false;
        this.ops.length = start;
        this.parser.lineReadingBodies(raw, this.sink);
      }
    } catch (e) {
      this.readAgain = false;
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
