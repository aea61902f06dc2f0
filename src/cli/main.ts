import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { ALL_ROUTINE, DEFAULT_MAX_LINE_BYTES } from '../core';
import { benchCommand } from './commands/bench';
import { dashboardCommand } from './commands/dashboard';
import { generateCommand } from './commands/generate';
import { parseCommand } from './commands/parse';
import { pushCommand } from './commands/push';
import { rulesCommand } from './commands/rules';
import { traceCommand } from './commands/trace';
import { watchCommand } from './commands/watch';
import { CliError, processIo, type Io } from './io';
import { keepHeapNearLiveSize } from './heap';
import { DEFAULT_MAX_INFLATED_BYTES } from './readLines';
import { defaultJobs } from './threads/parseInThreads';

/**
 * `provenance` — the engine from a terminal. Exit codes: 0 success, 1 an input could not be read,
 * 2 a usage error (with a message saying what was wrong).
 */

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    throw new InvalidArgumentError('must be a positive whole number');
  }
  return n;
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError('must be a whole number ≥ 0');
  }
  return n;
}

const MAX_INFLATED_FLAG = '--max-inflated-bytes <n>';
const MAX_INFLATED_HELP = 'a .gz input inflating past this many bytes is refused (a cap against gzip bombs)';
const JOBS_FLAG = '--jobs <n>';
/** Bytes of a plain file per thread's task: tests and benchmarks make it small to split small files. */
const rangeBytesOption = () =>
  new Option('--range-bytes <n>', 'bytes of a plain file each thread reads at a time')
    .argParser(positiveInt)
    .hideHelp();
const JOBS_HELP = 'threads that parse files (default 1: more pay only on a loaded machine so far; the answer is the same for any number)';

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('provenance')
    .description('Who changed what in a Kubernetes cluster, when, from where and why.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run provenance --help for usage)');

  program
    .command('parse')
    .description('Parse kube-apiserver, Rancher, Argo CD and Fleet log lines into normalised events.')
    .argument(
      '<file...>',
      'log files (JSON lines, text logs, saved Loki responses, logcli jsonl; .gz too), directories of them; - for stdin'
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--keep-bodies', 'include request/response bodies (Secret data redacted)', false)
    .option('--max-line-bytes <n>', 'skip longer lines', positiveInt, DEFAULT_MAX_LINE_BYTES)
    .option('--skipped-examples', 'show a redacted piece of the first line skipped for each reason', false)
    .option(MAX_INFLATED_FLAG, MAX_INFLATED_HELP, positiveInt, DEFAULT_MAX_INFLATED_BYTES)
    .option(JOBS_FLAG, JOBS_HELP, positiveInt, defaultJobs())
    .addOption(rangeBytesOption())
    .action(async (files: string[], opts) => {
      setExit(await parseCommand(files, opts, io));
    });

  program
    .command('trace')
    .description(
      'Explain every write: who (through impersonation and Rancher), which GitOps sync or commit, what RBAC change enabled it.'
    )
    .argument('[file...]', 'log files of any mix of sources, .gz too, directories of them (see parse); - for stdin')
    .option('--loki <url>', 'read from Loki instead of files (two-phase: the writes, then what explains them)')
    .option('--tenant <id>', 'Loki tenant (X-Scope-OrgID)')
    .option(
      '--loki-page-bytes <n>',
      "with --loki: bytes per Loki answer to stay under (stock Loki's gRPC limit is 4 MiB)",
      positiveInt
    )
    .option('--target <resource/namespace/name>', 'only changes to this object (any part may be empty or *)')
    .option('--actor <name>', 'only changes by this person or account (login name, user, initiator)')
    .option('--from <iso>', 'only changes at or after this time')
    .option('--to <iso>', 'only changes at or before this time')
    .option(
      '--verdict <list>',
      'only these verdicts (comma-separated: gitops-sync, gitops-rollback, manual-drift, manual, controller, unknown)'
    )
    .option('--skipped-examples', 'show a redacted piece of the first line skipped for each reason', false)
    .option(
      '--exclude <classes>',
      `routine system traffic to leave out, comma-separated (${ALL_ROUTINE.join(', ')}), all or none`,
      'all'
    )
    .option('--all', 'keep routine system traffic too (same as --exclude none)', false)
    .option(
      '--max-lines <n>',
      'with --loki: lines of writes read at most; a longer range is answered newest part first, with a warning',
      positiveInt
    )
    .option(
      '--trusted-proxies <cidrs>',
      'CIDR ranges of the ingress / load balancers whose X-Forwarded-For hop is trusted (comma-separated)'
    )
    .option('--diff', 'print what each change changed (field: before → after) under it')
    .option('--argocd-url <url>', 'Argo CD web UI (https), for application page links')
    .option('--rancher-url <url>', 'Rancher web UI (https), for user page links')
    .option(
      '--git-host <host=kind>',
      'a self-hosted Git host for commit links (kind: github, gitlab, bitbucket, gitea, forgejo, azure-devops); repeatable',
      (v: string, all: string[]) => [...all, v],
      [] as string[]
    )
    .option(MAX_INFLATED_FLAG, MAX_INFLATED_HELP, positiveInt, DEFAULT_MAX_INFLATED_BYTES)
    .option(JOBS_FLAG, JOBS_HELP, positiveInt, defaultJobs())
    .addOption(rangeBytesOption())
    .addOption(
      new Option('-f, --format <format>', 'output format (markdown: a report for a ticket or postmortem)')
        .choices(['table', 'json', 'markdown'])
        .default('table')
    )
    .option('--time-zone <iana>', 'with --format markdown: a zone shown next to UTC (e.g. Europe/Berlin)')
    .option('--grafana-url <url>', 'with --format markdown: Grafana (with its sub-path), for Explore links')
    .option('--loki-uid <uid>', 'with --grafana-url: the uid of the Loki data source in that Grafana')
    .option('--recorded', 'with --loki: read the chains `provenance watch` recorded (live for the rest)', false)
    .option('--cluster <name>', 'with --recorded: the cluster the chains were recorded for')
    .action(async (files: string[], opts) => {
      setExit(await traceCommand(files, opts, io));
    });

  program
    .command('push')
    .description('Ship log lines to Loki with the labels an Alloy pipeline would give each source.')
    .argument('[file...]', 'log files (any mix of sources)')
    .requiredOption('--loki <url>', 'Loki base URL, e.g. http://localhost:3100')
    .option('--tenant <id>', 'Loki tenant (X-Scope-OrgID)')
    .option('--cluster <name>', 'value of the cluster label', 'demo')
    .option('--batch <n>', 'lines per push request', positiveInt, 1000)
    .option('--live', 'keep feeding generated incidents, re-stamped to now (the docker compose demo feeder)', false)
    .option('--interval-minutes <n>', 'with --live: minutes between rounds (0: back to back)', nonNegativeInt, 30)
    .option('--events <n>', 'with --live: background events per round', nonNegativeInt, 2_000)
    .option('--rounds <n>', 'with --live: stop after N rounds (default: keep feeding)', positiveInt)
    .option(
      '--import <name>',
      'value of the import label for pushed files: auto (files over an hour old get their own streams), none, or a name',
      'auto'
    )
    .action(async (files: string[], opts) => {
      setExit(await pushCommand(files, opts, io));
    });

  program
    .command('watch')
    .description(
      'Correlate continuously and record every chain in Loki ({job="change-provenance", verdict, cluster}) for alerts and dashboards.'
    )
    .requiredOption('--loki <url>', 'Loki base URL (read the audit streams from it, write the chains to it)')
    .option('--tenant <id>', 'Loki tenant (X-Scope-OrgID)')
    .option('--from <iso>', 'start here when neither the state file nor the recorded stream says where to resume')
    .option('--until <iso>', 'stop once every change before this time is recorded (backfills, tests)')
    .option('--state <file>', 'checkpoint file (without it, resume after the newest recorded entry)')
    .option('--cluster <name>', 'read only streams with this cluster label, and record with it')
    .option(
      '--lag <duration>',
      'stay this far behind now (default 21m: look-ahead 10m + sync window 10m + 1m ingestion)'
    )
    .option('--window <duration>', 'length of one correlation window', '5m')
    .option(
      '--recheck <duration>',
      'correlate each live window again this long later, re-recording changed answers',
      '0'
    )
    .option('--backoff <duration>', 'first wait after a failed window (doubles, up to 1m)', '1s')
    .option(
      '--max-line-bytes <n>',
      "Loki's max_line_size: longer chains are shortened (evidence records first)",
      positiveInt
    )
    .option('--listen <port>', 'serve /metrics (Prometheus) and /healthz on this port', nonNegativeInt)
    .action(async (opts) => {
      setExit(await watchCommand(opts, io));
    });

  program
    .command('generate')
    .description('Write realistic multi-source logs of incident scenarios, with their ground truth.')
    .requiredOption('--out <dir>', 'directory for the log files and ground-truth.json')
    .option('--scenario <name>', `scenario name(s), comma-separated, or all`, 'all')
    .option('--events <n>', 'background kube-apiserver audit events', nonNegativeInt, 2_000)
    .option('--events-per-hour <n>', 'instead of --events: background events per hour of the span', nonNegativeInt)
    .option('--nodes <n>', 'worker nodes of the generated cluster', positiveInt, 50)
    .option('--controllers <n>', 'operators besides kube-controller-manager (0–14)', nonNegativeInt, 12)
    .option('--seed <n>', 'random seed (same seed, same files)', nonNegativeInt, 1)
    .option('--start <iso>', 'time of the first scenario', '2026-03-02T10:00:00Z')
    .action(async (opts) => {
      setExit(await generateCommand(opts, io));
    });

  program
    .command('dashboard')
    .description('Write the "GitOps change provenance" dashboard JSON (the file provisioning/dashboards holds).')
    .action(() => {
      setExit(dashboardCommand(io));
    });

  program
    .command('rules')
    .description(
      'Write the alert rules: a Grafana provisioning file (rules on the Loki data source) or Loki ruler YAML.'
    )
    .addOption(
      new Option('--format <format>', 'grafana or loki-ruler').choices(['grafana', 'loki-ruler']).default('grafana')
    )
    .option('--loki-uid <uid>', 'uid of the Loki data source the Grafana rules query', 'loki')
    .option('--cluster <name>', 'only streams with this cluster label')
    .option(
      '--protected-namespaces <list>',
      "namespaces (comma-separated) where a person's write outside GitOps alerts (recorded-protected-namespace-write; default: production)"
    )
    .action((opts) => {
      setExit(rulesCommand(opts, io));
    });

  program
    .command('bench')
    .description(
      'Generate N events, then measure parse+normalise (as a ratio to bare JSON.parse of the same lines) and correlation.'
    )
    .option('--events <n>', 'generated background events', positiveInt, 1_000_000)
    .option('--json', 'print one JSON object', false)
    .action(async (opts) => {
      setExit(await benchCommand(opts, io));
    });

  return program;
}

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version print and succeed; everything else commander rejects is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof CliError) {
      io.err(`provenance: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

/** The binary: run with the process' arguments, set the exit code, end quietly when stdout is closed early. */
export function main(): void {
  keepHeapNearLiveSize();
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      process.exit(process.exitCode ?? 0);
    }
    throw e;
  });
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`provenance: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    }
  );
}
