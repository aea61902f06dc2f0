/**
 * The watcher side of `bench:loki -- --watch`, in its own process so its peak RSS is the watcher's alone:
 * `provenance watch --until` over the hour, as the CLI runs it. Every request it makes is noted (reads, for the
 * raw-download baseline; pushes counted). Prints one JSON object.
 */
import { run } from '../../src/cli/main';

interface Input {
  url: string;
  from: number;
  until: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as Input;
  const reads: string[] = [];
  let pushes = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (u: string | URL | Request, init?: RequestInit) => {
    const url = String(u);
    if (url.includes('/loki/api/v1/push')) {
      pushes++;
    } else {
      reads.push(url);
    }
    return realFetch(u, init);
  };
  let out = '';
  let err = '';
  const t0 = Date.now();
  const code = await run(
    [
      'watch',
      '--loki',
      input.url,
      '--from',
      new Date(input.from).toISOString(),
      '--until',
      new Date(input.until).toISOString(),
      '--cluster',
      'prod-eu',
    ],
    {
      out: (t) => (out += t),
      // The watcher's log (windows, retries) as it goes, on the bench's stderr.
      err: (t) => {
        err += t;
        process.stderr.write(t);
      },
      errIsTTY: false,
    }
  );
  const ms = Date.now() - t0;
  if (code !== 0) {
    throw new Error(`watch exited with ${code}`);
  }
  process.stdout.write(
    JSON.stringify({
      ms,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      summary: out.trim(),
      windows: err.split('\n').filter((l) => l.startsWith('window ')).length,
      reads,
      pushes,
    }) + '\n'
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
