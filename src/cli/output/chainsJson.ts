import type { Io } from '../io';

/** Characters of output gathered before each write. */
const OUT_CHARS = 1 << 20;

/**
 * `JSON.stringify({ chains: chains.map(toJson), ...rest }, null, 2) + '\n'`, written chain by chain: the 1M-line
 * trace's answer is 133M characters, and building it whole (with every chain's JSON alive) was the end of the run's
 * peak memory. Re-indenting is exact: JSON.stringify escapes every newline inside a string.
 */
export function writeChainsJson<T>(
  io: Io,
  chains: readonly T[],
  toJson: (chain: T) => unknown,
  rest: Record<string, unknown>
): void {
  const indent = (json: string, by: string) => json.replace(/\n/g, '\n' + by);
  let out = chains.length === 0 ? '{\n  "chains": []' : '{\n  "chains": [\n';
  chains.forEach((c, i) => {
    out += (i > 0 ? ',\n    ' : '    ') + indent(JSON.stringify(toJson(c), null, 2), '    ');
    if (out.length >= OUT_CHARS) {
      io.out(out);
      out = '';
    }
  });
  out += chains.length === 0 ? '' : '\n  ]';
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) {
      out += `,\n  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), '  ')}`;
    }
  }
  io.out(out + '\n}\n');
}
