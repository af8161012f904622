import { expect } from 'chai';
import type { Answer } from '../../sandbox/slack-driver.js';
import { CAST } from '../../sandbox/world.js';
import { testWorld, type TestWorld } from '../helpers/world.js';

/**
 * The attack suite's dials. One seed drives every random choice, so a failure replays exactly:
 * fast-check prints the seed (and the shrunk case) when a property fails; set ATTACK_SEED to it.
 */
export const SEED = Number(process.env.ATTACK_SEED ?? 20261201);
/** Cases per fuzzed shape. */
export const RUNS = Number(process.env.ATTACK_RUNS ?? 200);
export const WAREHOUSE = 'Xy12ab';

/** No rate limit in the way of hundreds of requests from one person. */
export const UNLIMITED = { SIP_RESET_MAX_REQUESTS_PER_HOUR: '1000000' };

/** How long the Slack fault suites let a Slack call take before the app gives up on it. */
export const SLACK_TIMEOUT_MS = 300;

/** A world for the Slack fault suites: Slack calls time out quickly, outcomes are recorded again at once. */
export function slackFaultWorld(): Promise<TestWorld> {
  return testWorld({
    env: { ...UNLIMITED, SLACK_TIMEOUT_MS: String(SLACK_TIMEOUT_MS) },
    recordRetryDelaysMs: [5, 5, 5],
  });
}

export const PEOPLE = [
  CAST.helpdesk,
  CAST.employee,
  CAST.approver,
  CAST.secondApprover,
  CAST.owner,
  CAST.stranger,
] as const;

/** Bad input is the sender's fault: a 4xx or a 200 with a message, never a server error. */
export function expectNoServerError(answer: Answer, what: string): void {
  expect(answer.status, `${what}: answered ${answer.status} ${answer.body.slice(0, 200)}`).to.be.below(500);
}

/** Everything a person has been shown privately so far: ephemerals and messages in their DM. */
export function privateCount(world: TestWorld, user: string): number {
  const ephemerals = world.slack.ephemerals.filter((e) => e.user === user).length;
  const dms = world.slack.messages.filter((m) => m.channel === world.slack.dmOf(user)).length;
  return ephemerals + dms;
}

/**
 * What a person saw in answer to one request: an ephemeral in the HTTP answer, a modal opened or
 * kept open with errors, or a private message; returns a description, or undefined when nothing.
 */
export function whatTheyWereTold(
  world: TestWorld,
  user: string,
  answer: Answer,
  before: { privately: number; views: number },
): string | undefined {
  const body = answer.body ? safeJson(answer.body) : {};
  if (typeof body.text === 'string' && body.text) return 'an ephemeral reply';
  if (body.response_action === 'errors') return 'field errors';
  if (world.slack.views.length > before.views) return 'a modal';
  if (privateCount(world, user) > before.privately) return 'a private message';
  return undefined;
}

export function snapshot(world: TestWorld, user: string): { privately: number; views: number } {
  return { privately: privateCount(world, user), views: world.slack.views.length };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The process is still serving: a fresh, valid command still opens the modal. */
export async function expectStillServing(world: TestWorld): Promise<void> {
  const views = world.slack.views.length;
  const answer = await world.driver.command(CAST.helpdesk, 'help', CAST.general);
  expect(answer.status).to.equal(200);
  expect(answer.json().text, 'help still answers').to.be.a('string');
  expect(world.slack.views.length).to.equal(views);
}
