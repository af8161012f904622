// `npm run bench`: the product as it runs in production (node dist/main.js, HTTP mode) beside a
// bare Bolt app (bench/bare-app.mjs), both driven by signed requests against the Slack and ITNIO
// stand-ins, in alternating rounds. Prints the table, writes it as markdown and the figures as JSON
// under bench/results/. `--smoke` runs a tiny version (the test suite's), `--cpu-prof` and
// `--heap-prof` profile the product, `--latency-ms N` sets the vendor's latency (default 200),
// `--db sqlite,postgres` chooses the stores, `--out DIR` where the results go; `--noise` runs bare
// Bolt against a second bare Bolt instead, to show what ratios the machine gives identical apps.
// Every app runs with production's settings for Node.js (deploy/node.env: heap sizes, malloc
// arenas); `--runtime-env FILE` takes them from another file, `--runtime-env none` runs Node.js's
// defaults. `--memory-limit MiB` judges the product's peak RSS at each level against a limit and
// exits 1 when one is over it. `--levels 50,200` and `--rounds N` choose the levels and the rounds
// (default 1,10,50,200 and 4).
// `--history N` (repeatable) runs the history bench instead (bench/history.ts, `npm run bench:history`).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ItnioStub } from '../sandbox/itnio-stub.js';
import { catalogueFor } from '../src/i18n/index.js';
import { resetModal } from '../src/slack/blocks/modals.js';
import { SlackDriver, type Answer, type SlashCommandForm } from '../sandbox/slack-driver.js';
import { SlackStub, type ApiCall, type OpenedView } from '../sandbox/slack-stub.js';
import {
  buildProduct,
  freshPostgres,
  launch,
  readEnvFile,
  RUNTIME_ENV_FILE,
  type AppProcess,
} from './processes.js';
import { markdownTable, percentile, shown } from './stats.js';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    'latency-ms': { type: 'string' },
    db: { type: 'string', default: 'sqlite,postgres' },
    out: { type: 'string', default: 'bench/results' },
    'cpu-prof': { type: 'boolean', default: false },
    'heap-prof': { type: 'boolean', default: false },
    noise: { type: 'boolean', default: false },
    'runtime-env': { type: 'string', default: RUNTIME_ENV_FILE },
    'memory-limit': { type: 'string' },
    baseline: { type: 'string', default: 'bolt' },
    levels: { type: 'string' },
    rounds: { type: 'string' },
    history: { type: 'string', multiple: true },
  },
});

/** What the product's commands are compared with: bare Bolt, or the product under Node.js's defaults. */
const BASELINE = flags.baseline as 'bolt' | 'defaults';
if (!['bolt', 'defaults'].includes(BASELINE)) throw new Error('--baseline is bolt or defaults');
const BASELINE_NAME = BASELINE === 'defaults' ? 'product, Node.js defaults' : 'bare Bolt';

/** The variables that set up Node.js itself (NODE_OPTIONS, MALLOC_ARENA_MAX), as production's are. */
const RUNTIME_ENV: Record<string, string> =
  flags['runtime-env'] === 'none' ? {} : readEnvFile(flags['runtime-env']);
const MEMORY_LIMIT_MIB = flags['memory-limit'] === undefined ? undefined : Number(flags['memory-limit']);
if (MEMORY_LIMIT_MIB !== undefined && !(MEMORY_LIMIT_MIB > 0)) {
  throw new Error(`--memory-limit takes a number of MiB, not ${flags['memory-limit']}`);
}

const SMOKE = flags.smoke;
const LATENCY_MS = Number(flags['latency-ms'] ?? (SMOKE ? 20 : 200));
const LEVELS = flags.levels ? flags.levels.split(',').map(Number) : SMOKE ? [1, 2] : [1, 10, 50, 200];
const ROUNDS = flags.rounds ? Number(flags.rounds) : SMOKE ? 1 : 4;
if (!LEVELS.every((level) => Number.isInteger(level) && level > 0) || !(ROUNDS > 0)) {
  throw new Error('--levels takes whole numbers of requests in flight (1,10,50,200), --rounds a number');
}
/** Enough commands per app and level (1,200 at least) for a p99 that a few stray milliseconds do not move. */
const commandsPerRound = (c: number) => (SMOKE ? 3 : Math.max(300, 3 * c));
/** At 1 in flight, where the app's own time is judged, enough flows for a p99 that is not just the slowest one. */
const flowsAt = (c: number) => (SMOKE ? 2 : c === 1 ? 100 : Math.max(20, c));
const RACE_CLICKS = SMOKE ? 4 : 200;
const RACED_REQUESTS = SMOKE ? 1 : 2;
/** Unmeasured commands and flows first, for each app alike: what is timed is warm code, as a running app's is. */
const WARM_UP = SMOKE ? 1 : 20;
const OUT = resolve(flags.out);
/** Unmeasured flows between the command rounds and the timed flows. */
const SETTLE_FLOWS = SMOKE ? 0 : 20;
/** How long nothing must reach Slack before a flow at 1 in flight starts. */
const SETTLE_MS = 30;
const DATABASES = flags.db.split(',').map((db) => db.trim()) as Array<'sqlite' | 'postgres'>;

/**
 * The baseline opens the product's own modal, as the product builds it for the command the bench
 * sends (English, one voice app, a response_url of Slack's length in its metadata): fixed, yet the
 * same bytes for Bolt's WebClient to encode and send, so that the ratios compare the app's work
 * and not the size of a view.
 */
const BARE_MODAL = JSON.stringify(
  resetModal(catalogueFor('en'), {
    apps: [{ label: 'Head office', appId: 'BENCHAPP' }],
    // The bench's commands come from helpdesk agents, with no protected accounts: a direct reset.
    outlook: 'direct',
    metadata: {
      responseUrl: 'https://hooks.slack.com/commands/T00000000/0000000000000/0000000000000000000000000000',
      channelId: 'CGENERAL',
    },
  }),
);

const SIGNING_SECRET = 'bench-signing-secret-0123456789';
const API_KEY = 'bench-api-key';
const API_SECRET = 'bench-api-secret-0123';
const APP_ID = 'BENCHAPP';
const GENERAL = 'CGENERAL';
const APPROVALS = 'CAPPROVALS';
const HELPDESK = Array.from({ length: 8 }, (_, i) => `UHELP${i}`);
const APPROVERS = Array.from({ length: 8 }, (_, i) => `UAPPR${i}`);
/** The employees who ask for a reset: one per approval flow (as many as the levels' flows add up to) and per race. */
const REQUESTERS = Array.from({ length: 1000 }, (_, i) => `UREQ${i}`);
const RACERS = Array.from({ length: 10 }, (_, i) => `URACE${i}`);
const REASON = 'The phone lost its password';
const ACCOUNTS = Array.from({ length: 4000 }, (_, i) => String(100000 + i));

interface Seen {
  at: number;
  call: ApiCall;
  answer: Record<string, unknown> | undefined;
}

/**
 * What reached the Slack stand-in, by key, with the moment it did: a flow waits for the step it
 * caused (a modal opened for its trigger, its password at its response_url, its approval message).
 */
class Sightings {
  lastAt = performance.now();
  readonly grants = new Map<string, number>();
  private readonly waiting = new Map<string, (seen: Seen) => void>();
  private readonly early = new Map<string, Seen>();

  constructor(slack: SlackStub) {
    slack.onCall = (call, answer) => this.seen({ at: performance.now(), call, answer });
  }

  wait(key: string, timeoutMs = 30_000): Promise<Seen> {
    const early = this.early.get(key);
    if (early) {
      this.early.delete(key);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${key} never reached Slack`)), timeoutMs);
      // A deadline only: a wait nobody answers (most of a race's Reset clicks) must not hold the run open.
      timer.unref();
      this.waiting.set(key, (seen) => {
        clearTimeout(timer);
        resolve(seen);
      });
    });
  }

  /** Waits until nothing has reached Slack for this long: the work the acks left running is done. */
  async quiet(ms: number): Promise<void> {
    while (performance.now() - this.lastAt < ms) await sleep(ms / 4);
  }

  private seen(seen: Seen): void {
    this.lastAt = seen.at;
    const { call, answer } = seen;
    const blocks = JSON.stringify(call.args.blocks ?? '');
    const keys: string[] = [];
    if (call.method === 'views.open') keys.push(`view:${String(call.args.trigger_id)}`);
    if (call.method === 'response_url' && blocks.includes('sip_reset_remove_password')) {
      keys.push(`password:${String(call.args.url)}`);
    }
    if (call.method === 'chat.postMessage' && answer?.ok) {
      const channel = String(answer.channel);
      if (channel === APPROVALS && blocks.includes('sip_reset_approve')) {
        for (const [, user] of blocks.matchAll(/<@(U[A-Z0-9]+)>/g)) keys.push(`approval:${user}`);
      }
      if (channel.startsWith('D') && blocks.includes('sip_reset_claim')) {
        const requester = channel.slice(1);
        this.grants.set(requester, (this.grants.get(requester) ?? 0) + 1);
        keys.push(`grant:${requester}`);
      }
    }
    for (const key of keys) {
      const waiter = this.waiting.get(key);
      if (waiter) {
        this.waiting.delete(key);
        waiter(seen);
      } else {
        this.early.set(key, seen);
      }
    }
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function expectOk(answer: Answer, what: string): void {
  if (answer.status !== 200) throw new Error(`${what} answered ${answer.status}: ${answer.body}`);
  if (answer.body.includes('"errors"')) throw new Error(`${what} was refused: ${answer.body}`);
}

/** Runs `total` jobs with `concurrency` of them in flight at any time. */
async function inFlight(
  concurrency: number,
  total: number,
  job: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await job(next++);
    }),
  );
  return performance.now() - started;
}

interface Target {
  process: AppProcess;
  driver: SlackDriver;
}

interface CommandFigures {
  ackP50: number;
  ackP95: number;
  ackP99: number;
  requestsPerSecond: number;
  viewsOpenP99: number;
  commands: number;
  /** The app's CPU time per command, its modal and what it does after included: load-independent. */
  cpuMsPerCommand: number;
  /** Modals Slack refused to open because the trigger_id had expired (3 s). */
  modalsRefused: number;
}

interface FlowFigures {
  flows: number;
  /** Commands sent again because their modal came too late for Slack (3 s). */
  modalsTooLate: number;
  endToEndP50: number;
  endToEndP99: number;
  ownP50: number;
  ownP99: number;
  /** The app's CPU time per flow (command, modal, submission, its steps, delivery), over every instance. */
  cpuMsPerFlow: number;
}

/** Slash commands at one level of concurrency, each timed to its ack and to its modal reaching Slack. */
async function commandRound(target: Target, sightings: Sightings, concurrency: number, total: number) {
  const acks: number[] = [];
  let expired = 0;
  const opened: Array<Promise<number>> = [];
  const cpuBefore = target.process.cpuMs();
  const elapsedMs = await inFlight(concurrency, total, async (i) => {
    const form = target.driver.commandForm(HELPDESK[i % HELPDESK.length] as string, '', GENERAL);
    const view = sightings.wait(`view:${form.trigger_id}`);
    const sent = performance.now();
    const answer = await target.driver.sendCommand(form);
    acks.push(performance.now() - sent);
    expectOk(answer, 'a command');
    opened.push(
      view.then((seen) => {
        // Slack refuses a trigger_id older than 3 s: a modal that came too late never opened.
        if (!seen.answer?.ok) expired += 1;
        return seen.at - sent;
      }),
    );
  });
  const views = await Promise.all(opened);
  return { acks, views, elapsedMs, expired, cpuMs: target.process.cpuMs() - cpuBefore };
}

type Round = Awaited<ReturnType<typeof commandRound>>;

function commandFigures(rounds: Round[]): CommandFigures {
  const acks = rounds.flatMap((round) => round.acks);
  const views = rounds.flatMap((round) => round.views);
  const elapsed = rounds.reduce((sum, round) => sum + round.elapsedMs, 0);
  return {
    ackP50: percentile(acks, 50),
    ackP95: percentile(acks, 95),
    ackP99: percentile(acks, 99),
    requestsPerSecond: (acks.length / elapsed) * 1000,
    viewsOpenP99: percentile(views, 99),
    commands: acks.length,
    cpuMsPerCommand: rounds.reduce((sum, round) => sum + round.cpuMs, 0) / acks.length,
    modalsRefused: rounds.reduce((sum, round) => sum + round.expired, 0),
  };
}

/** The driven side of an app process: signed requests to its receiver. */
function targetOf(process: AppProcess, slack: SlackStub): Target {
  return {
    process,
    driver: new SlackDriver({ eventsUrl: process.eventsUrl, signingSecret: SIGNING_SECRET, stub: slack }),
  };
}

/**
 * The commands of one level for two apps, in alternating rounds (the first app first in even
 * rounds, the second in odd ones), so that a noisy machine affects both alike; their figures.
 */
async function alternatingRounds(
  apps: readonly [Target, Target],
  sightings: Sightings,
  concurrency: number,
): Promise<[CommandFigures, CommandFigures]> {
  const rounds: [Round[], Round[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    for (const i of round % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const)) {
      rounds[i].push(await commandRound(apps[i], sightings, concurrency, commandsPerRound(concurrency)));
    }
  }
  return [commandFigures(rounds[0]), commandFigures(rounds[1])];
}

function flowFigures(endToEnd: number[], own: number[], cpuMs = 0, tooLate = 0): FlowFigures {
  return {
    cpuMsPerFlow: endToEnd.length ? cpuMs / endToEnd.length : 0,
    flows: endToEnd.length,
    modalsTooLate: tooLate,
    endToEndP50: percentile(endToEnd, 50),
    endToEndP99: percentile(endToEnd, 99),
    ownP50: percentile(own, 50),
    ownP99: percentile(own, 99),
  };
}

/** Commands whose modal Slack refused for an expired trigger_id during the flows, retried with a new one. */
let modalsTooLate = 0;

/**
 * Opens the reset modal for a user, as the command does, and answers the view Slack opened; a
 * command whose modal came too late (trigger_id older than 3 s) is counted and sent again.
 */
async function openModal(
  target: Target,
  sightings: Sightings,
  user: string,
  account: string,
): Promise<{ form: SlashCommandForm; opened: OpenedView }> {
  for (let attempt = 1; ; attempt++) {
    const form = target.driver.commandForm(user, account, GENERAL);
    const view = sightings.wait(`view:${form.trigger_id}`);
    expectOk(await target.driver.sendCommand(form), 'a command');
    const seen = await view;
    if (seen.answer?.ok) {
      const { id, hash } = seen.answer.view as { id: string; hash: string };
      return { form, opened: { id, user, view: seen.call.args.view as Record<string, unknown>, hash } };
    }
    modalsTooLate += 1;
    if (attempt === 5) throw new Error(`a modal did not open: ${String(seen.answer?.error)}`);
  }
}

class Accounts {
  private next = 0;
  take(): string {
    const account = ACCOUNTS[this.next++];
    if (!account) throw new Error('the bench ran out of SIP accounts');
    return account;
  }
}

/**
 * The vendor's share of a flow: how long the stand-in held each call for this account, as it
 * measured it (its latency and its timer's lateness). The Slack stand-in answers at once.
 */
function vendorMs(vendor: ItnioStub, account: string): number {
  return (vendor.servedMs.get(account) ?? []).reduce((sum, ms) => sum + ms, 0);
}

/**
 * A helpdesk agent's direct reset: submission to the password delivered. Each request is built and
 * signed before its clock starts: the driver's work is not the app's.
 */
async function directFlow(
  target: Target,
  sightings: Sightings,
  vendor: ItnioStub,
  user: string,
  account: string,
) {
  const { form, opened } = await openModal(target, sightings, user, account);
  const delivered = sightings.wait(`password:${form.response_url}`);
  const submission = target.driver.modalSubmission(user, { account, reason: REASON }, opened);
  const sent = performance.now();
  expectOk(await target.driver.sendInteraction(submission), 'a submission');
  const endToEnd = (await delivered).at - sent;
  return { endToEnd, own: endToEnd - vendorMs(vendor, account) };
}

/**
 * An employee's request, approved on one instance, reset by the requester's click on another: each
 * step is timed from its (built and signed) request to what it caused reaching Slack; the app's own
 * time is their sum less the vendor's share.
 */
async function approvalFlow(
  targets: [Target, Target],
  sightings: Sightings,
  vendor: ItnioStub,
  requester: string,
  approver: string,
  account: string,
) {
  const [first, second] = targets;
  const { opened } = await openModal(first, sightings, requester, account);
  const posted = sightings.wait(`approval:${requester}`);
  const submission = first.driver.modalSubmission(requester, { account, reason: REASON }, opened);
  const submitted = performance.now();
  expectOk(await first.driver.sendInteraction(submission), 'a submission');
  const approval = await posted;

  const granted = sightings.wait(`grant:${requester}`);
  const host = {
    kind: 'message' as const,
    channel: String(approval.answer?.channel),
    ts: String(approval.answer?.ts),
  };
  const approve = second.driver.buttonClick(approver, host, 'sip_reset_approve');
  const approved = performance.now();
  expectOk(await second.driver.sendInteraction(approve), 'an approval');
  const grant = await granted;

  const click = first.driver.buttonClick(
    requester,
    { kind: 'message', channel: String(grant.answer?.channel), ts: String(grant.answer?.ts) },
    'sip_reset_claim',
  );
  const delivered = sightings.wait(`password:${String(click.response_url)}`);
  const clicked = performance.now();
  expectOk(await first.driver.sendInteraction(click), 'a reset click');
  const done = await delivered;
  const own =
    approval.at - submitted + (grant.at - approved) + (done.at - clicked) - vendorMs(vendor, account);
  return { endToEnd: done.at - submitted, own };
}

interface RaceFigures {
  requests: number;
  approveClicks: number;
  resetClicks: number;
  vendorCalls: number;
  grantsSent: number;
  passwordsDelivered: number;
  exactlyOnce: boolean;
}

/** Many approvers click Approve at once, then the requester clicks Reset many times at once, over both instances. */
async function race(
  targets: [Target, Target],
  sightings: Sightings,
  vendor: ItnioStub,
  requester: string,
  account: string,
) {
  const [first] = targets;
  const { opened } = await openModal(first, sightings, requester, account);
  const posted = sightings.wait(`approval:${requester}`);
  const submission = first.driver.modalSubmission(requester, { account, reason: REASON }, opened);
  expectOk(await first.driver.sendInteraction(submission), 'a submission');
  const approval = await posted;
  const host = {
    kind: 'message' as const,
    channel: String(approval.answer?.channel),
    ts: String(approval.answer?.ts),
  };
  // Every click is built while its button is still on screen, as clients that have not refreshed show it.
  const approves = Array.from({ length: RACE_CLICKS }, (_, i) =>
    first.driver.buttonClick(APPROVERS[i % APPROVERS.length] as string, host, 'sip_reset_approve'),
  );
  const granted = sightings.wait(`grant:${requester}`);
  await Promise.all(approves.map((click, i) => targets[i % 2]?.driver.sendInteraction(click)));
  const grant = await granted;
  const dm = {
    kind: 'message' as const,
    channel: String(grant.answer?.channel),
    ts: String(grant.answer?.ts),
  };
  const resets = Array.from({ length: RACE_CLICKS }, () =>
    first.driver.buttonClick(requester, dm, 'sip_reset_claim'),
  );
  const deliveries = resets.map((click) => String(click.response_url));
  let delivered = 0;
  const waits = deliveries.map((url) =>
    sightings.wait(`password:${url}`, 60_000).then(() => (delivered += 1)),
  );
  for (const wait of waits) wait.catch(() => {});
  await Promise.all(resets.map((click, i) => targets[i % 2]?.driver.sendInteraction(click)));
  // The first password comes however busy the machine is; a second one, or a second vendor call,
  // would come while the clicks' work goes on, until nothing more reaches Slack.
  await Promise.any(waits).catch(() => {});
  await sightings.quiet(Math.max(500, 3 * LATENCY_MS));
  return {
    vendorCalls: vendor.calls.filter((call) => call.account === account).length,
    grantsSent: sightings.grants.get(requester) ?? 0,
    passwordsDelivered: delivered,
  };
}

interface DatabaseFigures {
  readyMs: { product: number; bare: number };
  peakRssMiB: {
    product: number;
    bare: number;
    productAfterFlows: number;
    /** The product's peak from its start to the end of the warm-up, during the unmeasured flows after the commands, and during the races (each alone). */
    startAndWarmUp: number;
    settling: number;
    race: number;
  };
  /** The product's peak RSS during each level's command rounds and during its flows (the higher instance's, over two). */
  peakRssByLevel: Array<{
    concurrency: number;
    commandsMiB: number;
    flowsMiB: number;
    /** The baseline's peak in the same command rounds. */
    baselineCommandsMiB: number;
  }>;
  levels: Array<{
    concurrency: number;
    product: CommandFigures;
    bare: CommandFigures;
    direct: FlowFigures;
    approval: FlowFigures;
  }>;
  race: RaceFigures;
}

/** One line on stderr per step, so a long run shows where it is. */
const progress = (step: string) => console.error(`bench: ${step}`);

async function benchDatabase(kind: 'sqlite' | 'postgres', logDir: string): Promise<DatabaseFigures> {
  progress(`${kind}: starting`);
  const slack = new SlackStub({
    // Everyone is a member of the workspace's general channel, as on Slack: users.info knows each of
    // them (a person Slack does not know is looked up again at every step, which no workspace shows).
    channels: {
      [GENERAL]: [...HELPDESK, ...APPROVERS, ...REQUESTERS, ...RACERS],
      [APPROVALS]: [...HELPDESK, ...APPROVERS],
    },
  });
  await slack.start();
  const vendor = new ItnioStub({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    accounts: { [APP_ID]: ACCOUNTS },
    latencyMs: LATENCY_MS,
  });
  await vendor.start();
  const sightings = new Sightings(slack);
  const database =
    kind === 'postgres'
      ? await freshPostgres()
      : {
          url: join(mkdtempSync(join(tmpdir(), 'sip-reset-bench-db-')), 'sip-reset.sqlite'),
          drop: async () => {},
        };
  const profiling = [
    ...(flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${join(OUT, 'profiles')}`] : []),
    ...(flags['heap-prof'] ? ['--heap-prof', `--heap-prof-dir=${join(OUT, 'profiles')}`] : []),
  ];
  const slackEnv = {
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  };
  const settings = {
    ...slackEnv,
    ITNIO_API_KEY: API_KEY,
    ITNIO_API_SECRET: API_SECRET,
    ITNIO_BASE_URL: vendor.baseUrl,
    ITNIO_APP_IDS: `Head office=${APP_ID}`,
    SIP_RESET_HELPDESK: HELPDESK.join(','),
    SIP_RESET_APPROVERS: APPROVERS.join(','),
    SIP_RESET_APPROVAL_CHANNEL: APPROVALS,
    DATABASE_URL: database.url,
  };
  const productEnv = { ...RUNTIME_ENV, ...settings };
  const started: AppProcess[] = [];
  const target = (process: AppProcess): Target => {
    started.push(process);
    return targetOf(process, slack);
  };
  try {
    const product = target(await launch(`product-${kind}`, 'dist/main.js', productEnv, logDir, profiling));
    // The baseline: bare Bolt with the same Node.js settings, or (`--baseline defaults`) the product
    // itself with Node.js's defaults, its commands on the same database.
    const bare = target(
      BASELINE === 'defaults'
        ? await launch(`defaults-${kind}`, 'dist/main.js', settings, logDir)
        : await launch(
            `bare-${kind}`,
            'bench/bare-app.mjs',
            { ...RUNTIME_ENV, ...slackEnv, BENCH_MODAL: BARE_MODAL },
            logDir,
          ),
    );
    // The approval path runs over two instances sharing the database, as a deployment of two would.
    const other =
      kind === 'postgres'
        ? target(await launch(`product-${kind}-2`, 'dist/main.js', productEnv, logDir))
        : product;
    const pair: [Target, Target] = [product, other];
    const levels: DatabaseFigures['levels'] = [];
    const instances = [...new Set([product.process, other.process])];
    // Each stage's peak is read alone (the peak is reset after it): one level's is not the last one's.
    let productPeak = 0;
    const stagePeak = () => {
      const peak = Math.max(...instances.map((instance) => instance.peakRssMiB()));
      for (const instance of instances) instance.resetPeakRss();
      productPeak = Math.max(productPeak, peak);
      return peak;
    };
    const peakRssByLevel: DatabaseFigures['peakRssByLevel'] = [];
    let barePeak = 0;
    const baselinePeak = () => {
      const peak = bare.process.peakRssMiB();
      bare.process.resetPeakRss();
      barePeak = Math.max(barePeak, peak);
      return peak;
    };
    // One flow at a time measures the app's own time: each then starts once the last one's tail
    // (its messages refreshed, its outcome recorded) is done, instead of waiting behind it.
    const settled = (concurrency: number) =>
      concurrency === 1 ? sightings.quiet(SETTLE_MS) : Promise.resolve();
    const accounts = new Accounts();
    let requesters = 0;
    const nextRequester = () => {
      const requester = REQUESTERS[requesters++];
      if (!requester) throw new Error('the bench ran out of requesters');
      return requester;
    };

    const unmeasuredFlows = async (count: number) => {
      for (let i = 0; i < count; i++) {
        await directFlow(
          product,
          sightings,
          vendor,
          HELPDESK[i % HELPDESK.length] as string,
          accounts.take(),
        );
        await approvalFlow(pair, sightings, vendor, nextRequester(), APPROVERS[0] as string, accounts.take());
      }
    };

    progress(`${kind}: warming up`);
    for (const app of [product, bare]) await commandRound(app, sightings, 1, WARM_UP);
    await unmeasuredFlows(WARM_UP);
    const startAndWarmUp = stagePeak();
    baselinePeak();

    for (const concurrency of LEVELS) {
      progress(`${kind}: commands, ${concurrency} in flight`);
      const [productFigures, bareFigures] = await alternatingRounds([product, bare], sightings, concurrency);
      peakRssByLevel.push({
        concurrency,
        commandsMiB: stagePeak(),
        flowsMiB: 0,
        baselineCommandsMiB: baselinePeak(),
      });
      levels.push({
        concurrency,
        product: productFigures,
        bare: bareFigures,
        direct: flowFigures([], []),
        approval: flowFigures([], []),
      });
    }
    const peakRssMiB = {
      product: productPeak,
      bare: barePeak,
      productAfterFlows: 0,
      startAndWarmUp,
      settling: 0,
      race: 0,
    };

    // The commands at 200 in flight grew the heap, which V8 shrinks over the next seconds with pauses
    // of up to about 100 ms (seen in the first 40 flows timed straight after): the flows are timed
    // once that is over, as a running app's resets are.
    progress(`${kind}: settling after the commands`);
    await unmeasuredFlows(SETTLE_FLOWS);
    peakRssMiB.settling = stagePeak();
    for (const level of levels) {
      const flows = flowsAt(level.concurrency);
      progress(`${kind}: ${flows} direct and approval flows, ${level.concurrency} in flight`);
      stagePeak();
      modalsTooLate = 0;
      const direct = { endToEnd: [] as number[], own: [] as number[] };
      let cpuBefore = cpuOf(pair);
      await inFlight(level.concurrency, flows, async (i) => {
        await settled(level.concurrency);
        const timed = await directFlow(
          product,
          sightings,
          vendor,
          HELPDESK[i % HELPDESK.length] as string,
          accounts.take(),
        );
        direct.endToEnd.push(timed.endToEnd);
        direct.own.push(timed.own);
      });
      level.direct = flowFigures(direct.endToEnd, direct.own, cpuOf(pair) - cpuBefore, modalsTooLate);
      modalsTooLate = 0;
      cpuBefore = cpuOf(pair);
      const approval = { endToEnd: [] as number[], own: [] as number[] };
      await inFlight(level.concurrency, flows, async (i) => {
        await settled(level.concurrency);
        const requester = nextRequester();
        const approver = APPROVERS[i % APPROVERS.length] as string;
        const timed = await approvalFlow(pair, sightings, vendor, requester, approver, accounts.take());
        approval.endToEnd.push(timed.endToEnd);
        approval.own.push(timed.own);
      });
      level.approval = flowFigures(approval.endToEnd, approval.own, cpuOf(pair) - cpuBefore, modalsTooLate);
      const byLevel = peakRssByLevel.find((peak) => peak.concurrency === level.concurrency);
      if (byLevel) byLevel.flowsMiB = stagePeak();
    }

    const raced: RaceFigures = {
      requests: RACED_REQUESTS,
      approveClicks: RACE_CLICKS,
      resetClicks: RACE_CLICKS,
      vendorCalls: 0,
      grantsSent: 0,
      passwordsDelivered: 0,
      exactlyOnce: true,
    };
    progress(`${kind}: ${RACE_CLICKS} concurrent approve and reset clicks`);
    for (let i = 0; i < RACED_REQUESTS; i++) {
      const counted = await race(pair, sightings, vendor, RACERS[i] as string, accounts.take());
      raced.vendorCalls += counted.vendorCalls;
      raced.grantsSent += counted.grantsSent;
      raced.passwordsDelivered += counted.passwordsDelivered;
      raced.exactlyOnce &&=
        counted.vendorCalls === 1 && counted.grantsSent === 1 && counted.passwordsDelivered === 1;
    }
    peakRssMiB.race = stagePeak();
    peakRssMiB.productAfterFlows = productPeak;
    return {
      readyMs: { product: product.process.readyMs, bare: bare.process.readyMs },
      peakRssMiB,
      peakRssByLevel,
      levels,
      race: raced,
    };
  } finally {
    for (const process of started) await process.stop();
    await database.drop();
    await slack.stop();
    await vendor.stop();
  }
}

const OWN_TIME_TARGET_MS = { sqlite: 5, postgres: 15 };

/** The CPU time both instances of a pair have used (one, counted once, on SQLite). */
function cpuOf([first, second]: [Target, Target]): number {
  return first.process.cpuMs() + (second === first ? 0 : second.process.cpuMs());
}

function targetsOf(kind: 'sqlite' | 'postgres', figures: DatabaseFigures) {
  const ackP99Ratios = figures.levels.map((level) => level.product.ackP99 / level.bare.ackP99);
  // The app's own time is judged one flow at a time: with more in flight each flow also waits its
  // turn behind the others in the same event loop, which is queueing, not the app's work for it.
  const alone = figures.levels.find((level) => level.concurrency === 1) ?? figures.levels[0];
  const ownP99 = alone ? Math.max(alone.direct.ownP99, alone.approval.ownP99) : NaN;
  return {
    ackP99WithinTenPercent: ackP99Ratios.every((ratio) => ratio <= 1.1),
    peakRssWithinFifteenPercent: figures.peakRssMiB.product / figures.peakRssMiB.bare <= 1.15,
    ownTimeP99: {
      limitMs: OWN_TIME_TARGET_MS[kind],
      worstMs: ownP99,
      met: ownP99 < OWN_TIME_TARGET_MS[kind],
    },
    readyUnderOneSecond: figures.readyMs.product < 1000,
    exactlyOnce: figures.race.exactlyOnce,
    ...(MEMORY_LIMIT_MIB === undefined ? {} : { memoryLimit: memoryVerdict(figures, MEMORY_LIMIT_MIB) }),
  };
}

/** The product's peak RSS in each stage of the run, alone. */
function memoryStages(
  figures: DatabaseFigures,
): Array<{ stage: string; peakMiB: number; baselineMiB?: number }> {
  return [
    { stage: 'start and warm-up', peakMiB: figures.peakRssMiB.startAndWarmUp },
    ...figures.peakRssByLevel.map((level) => ({
      stage: `commands at ${level.concurrency} in flight`,
      peakMiB: level.commandsMiB,
      baselineMiB: level.baselineCommandsMiB,
    })),
    { stage: 'settling flows after the commands', peakMiB: figures.peakRssMiB.settling },
    ...figures.peakRssByLevel.map((level) => ({
      stage: `flows at ${level.concurrency} in flight`,
      peakMiB: level.flowsMiB,
    })),
    { stage: 'the exactly-once races', peakMiB: figures.peakRssMiB.race },
  ];
}

/** The product's peak RSS against a limit: the worst stage's, and each stage over it by name. */
function memoryVerdict(figures: DatabaseFigures, limitMiB: number) {
  const stages = memoryStages(figures);
  return {
    limitMiB,
    worstMiB: Math.max(...stages.map((stage) => stage.peakMiB)),
    over: stages.filter((stage) => stage.peakMiB > limitMiB).map((stage) => stage.stage),
    met: stages.every((stage) => stage.peakMiB <= limitMiB),
  };
}

function tables(kind: string, figures: DatabaseFigures): string {
  const commands = markdownTable(
    [
      'in flight',
      'app',
      'ack p50 ms',
      'ack p95 ms',
      'ack p99 ms',
      'req/s',
      'to views.open p99 ms',
      'CPU per command ms',
      'modals too late',
    ],
    figures.levels.flatMap((level) => {
      const row = (name: string, f: CommandFigures) => [
        String(level.concurrency),
        name,
        shown(f.ackP50),
        shown(f.ackP95),
        shown(f.ackP99),
        shown(f.requestsPerSecond, 0),
        shown(f.viewsOpenP99),
        shown(f.cpuMsPerCommand, 2),
        `${f.modalsRefused} of ${f.commands}`,
      ];
      const ratio = (key: keyof CommandFigures) => shown(level.product[key] / level.bare[key], 2);
      return [
        row('product', level.product),
        row(BASELINE_NAME, level.bare),
        [
          String(level.concurrency),
          '**ratio**',
          ratio('ackP50'),
          ratio('ackP95'),
          ratio('ackP99'),
          ratio('requestsPerSecond'),
          ratio('viewsOpenP99'),
          ratio('cpuMsPerCommand'),
          '',
        ],
      ];
    }),
  );
  const flows = markdownTable(
    [
      'in flight',
      'flows',
      'direct e2e p50',
      'direct e2e p99',
      'direct own p50',
      'direct own p99',
      'direct CPU per flow',
      'approval e2e p50',
      'approval e2e p99',
      'approval own p50',
      'approval own p99',
      'approval CPU per flow',
      'modals too late',
    ],
    figures.levels.map((level) => [
      String(level.concurrency),
      String(level.direct.flows),
      shown(level.direct.endToEndP50),
      shown(level.direct.endToEndP99),
      shown(level.direct.ownP50),
      shown(level.direct.ownP99),
      shown(level.direct.cpuMsPerFlow),
      shown(level.approval.endToEndP50),
      shown(level.approval.endToEndP99),
      shown(level.approval.ownP50),
      shown(level.approval.ownP99),
      shown(level.approval.cpuMsPerFlow),
      String(level.direct.modalsTooLate + level.approval.modalsTooLate),
    ]),
  );
  const { readyMs, peakRssMiB, race: raced } = figures;
  const process = markdownTable(
    ['', 'product', BASELINE_NAME, 'ratio'],
    [
      [
        'launch to /healthz 200, ms',
        shown(readyMs.product, 0),
        shown(readyMs.bare, 0),
        shown(readyMs.product / readyMs.bare, 2),
      ],
      [
        'peak RSS after the command rounds, MiB',
        shown(peakRssMiB.product),
        shown(peakRssMiB.bare),
        shown(peakRssMiB.product / peakRssMiB.bare, 2),
      ],
      ['peak RSS after every flow, MiB', shown(peakRssMiB.productAfterFlows), '–', '–'],
    ],
  );
  const limit = MEMORY_LIMIT_MIB;
  const mark = (peakMiB: number) => (limit === undefined ? [] : [peakMiB <= limit ? 'under' : '**OVER**']);
  const peaks = markdownTable(
    [
      'stage',
      'peak RSS, MiB',
      ...(limit === undefined ? [] : [`against ${limit} MiB`]),
      `${BASELINE_NAME}, MiB`,
    ],
    memoryStages(figures).map(({ stage, peakMiB, baselineMiB }) => [
      stage,
      shown(peakMiB),
      ...mark(peakMiB),
      shown(baselineMiB),
    ]),
  );
  const once =
    `Exactly once: ${raced.requests} request(s), each with ${raced.approveClicks} concurrent Approve clicks and ` +
    `${raced.resetClicks} concurrent Reset clicks over ${kind === 'postgres' ? 'two instances' : 'one instance'}: ` +
    `${raced.vendorCalls} vendor call(s), ${raced.grantsSent} grant(s), ${raced.passwordsDelivered} password(s) delivered: ` +
    `${raced.exactlyOnce ? 'holds' : '**BROKEN**'}.`;
  return [
    `### ${kind === 'postgres' ? 'PostgreSQL (two instances for the flows)' : 'SQLite'}`,
    '',
    'Slash commands (ack = the HTTP answer to the command):',
    '',
    commands,
    '',
    `Full flows, product only, ms (vendor latency ${LATENCY_MS} ms; own = end to end less the time the vendor's ` +
      "stand-in held the call, which at 1 in flight is the app's own time and with more also its waiting behind " +
      'the other flows; CPU = the CPU time of every instance per flow, the command and modal included):',
    '',
    flows,
    '',
    process,
    '',
    `The product's peak RSS in each stage alone, in the order they ran (the peak is reset between them; over two instances, the higher)` +
      (limit === undefined ? ':' : `, against a limit of ${limit} MiB:`),
    '',
    peaks,
    '',
    once,
  ].join('\n');
}

/**
 * `--noise`: bare Bolt against a second bare Bolt, commands only, in the same alternating rounds:
 * the ratios this machine gives two identical apps, against which the product's are to be read.
 */
async function noiseFloor(logDir: string): Promise<string> {
  const slack = new SlackStub({ channels: { [GENERAL]: HELPDESK } });
  await slack.start();
  const env = {
    ...RUNTIME_ENV,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    BENCH_MODAL: BARE_MODAL,
  };
  const apps: AppProcess[] = [];
  try {
    for (const name of ['bare-a', 'bare-b']) apps.push(await launch(name, 'bench/bare-app.mjs', env, logDir));
    const targets = apps.map((process) => targetOf(process, slack)) as [Target, Target];
    const sightings = new Sightings(slack);
    for (const target of targets) await commandRound(target, sightings, 1, WARM_UP);
    const rows: string[][] = [];
    for (const concurrency of LEVELS) {
      progress(`noise: commands, ${concurrency} in flight`);
      const [a, b] = await alternatingRounds(targets, sightings, concurrency);
      rows.push([
        String(concurrency),
        shown(a.ackP99),
        shown(b.ackP99),
        shown(a.ackP99 / b.ackP99, 2),
        shown(a.cpuMsPerCommand / b.cpuMsPerCommand, 2),
      ]);
    }
    const [a, b] = apps as [AppProcess, AppProcess];
    rows.push([
      'peak RSS',
      shown(a.peakRssMiB()),
      shown(b.peakRssMiB()),
      shown(a.peakRssMiB() / b.peakRssMiB(), 2),
      '',
    ]);
    return markdownTable(
      ['in flight', 'ack p99 ms, A', 'ack p99 ms, B', 'ratio A/B', 'CPU per command A/B'],
      rows,
    );
  } finally {
    for (const app of apps) await app.stop();
    await slack.stop();
  }
}

async function main(): Promise<void> {
  if (flags.history) {
    const { historyOptions, runHistoryBench } = await import('./history.js');
    await runHistoryBench(historyOptions(process.argv.slice(2)));
    process.exit(0);
  }
  const runStarted = performance.now();
  buildProduct();
  mkdirSync(OUT, { recursive: true });
  const logDir = mkdtempSync(join(tmpdir(), 'sip-reset-bench-logs-'));
  if (flags.noise) {
    const table = `## Noise floor ${new Date().toISOString()}: bare Bolt against bare Bolt\n\n${await noiseFloor(logDir)}\n`;
    writeFileSync(join(OUT, 'noise.md'), table);
    console.log(table);
    return;
  }
  const results: Record<string, DatabaseFigures> = {};
  for (const kind of DATABASES) results[kind] = await benchDatabase(kind, logDir);
  const targets = Object.fromEntries(
    Object.entries(results).map(([kind, figures]) => [
      kind,
      targetsOf(kind as 'sqlite' | 'postgres', figures),
    ]),
  );
  const bolt = (await import('@slack/bolt/package.json', { with: { type: 'json' } })).default.version;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, Bolt ${bolt}`;
  const durationS = (performance.now() - runStarted) / 1000;
  const runtimeShown =
    Object.entries(RUNTIME_ENV)
      .map(([name, value]) => `${name}="${value}"`)
      .join(' ') || "Node.js's defaults (--runtime-env none)";
  const markdown = [
    `## Bench run ${new Date().toISOString()}${SMOKE ? ' (smoke)' : ''}`,
    '',
    `${machine}; levels ${LEVELS.join(', ')} in flight, ${ROUNDS} alternating round(s) per app and level; run took ${durationS.toFixed(0)} s.`,
    '',
    `Node.js settings of every app: ${runtimeShown}.`,
    '',
    ...Object.entries(results).map(([kind, figures]) => tables(kind, figures) + '\n'),
    '### Targets',
    '',
    '```json',
    JSON.stringify(targets, null, 2),
    '```',
    '',
  ].join('\n');
  writeFileSync(join(OUT, 'bench.md'), markdown);
  writeFileSync(
    join(OUT, 'bench.json'),
    `${JSON.stringify({ machine, smoke: SMOKE, latencyMs: LATENCY_MS, levels: LEVELS, rounds: ROUNDS, runtimeEnv: RUNTIME_ENV, baseline: BASELINE, durationS, results, targets }, null, 2)}\n`,
  );
  console.log(markdown);
  const over = Object.entries(results).flatMap(([kind, figures]) =>
    MEMORY_LIMIT_MIB === undefined
      ? []
      : memoryVerdict(figures, MEMORY_LIMIT_MIB).over.map((stage) => `${kind}, ${stage}`),
  );
  if (over.length > 0) {
    console.error(`bench: the product's peak RSS was over ${MEMORY_LIMIT_MIB} MiB: ${over.join('; ')}`);
    process.exitCode = 1;
  }
  console.log(`Written to ${join(OUT, 'bench.md')} and bench.json; the apps' logs are in ${logDir}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
