import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, Redactor } from '../src/logging/index.js';
import { findButton, type Acknowledgement } from './slack-driver.js';
import { readable, renderBlocks, renderSighting } from './render.js';
import type { Blocks } from './slack-stub.js';
import { CAST, NAMES, createWorld, type SocketWorld, type World } from './world.js';
import { ACTION, STEP } from '../src/slack/platform/ids.js';
import { en } from '../src/i18n/en/index.js';
import { zhCN } from '../src/i18n/zh-CN/index.js';

/**
 * `npm run demo`: the real app, its real HTTP receiver and a real SQLite file, driven through signed
 * requests against local stand-ins for Slack and ITNIO, printed as what each person would see.
 * `npm run demo -- --socket` runs the same in Socket Mode, over a WebSocket connection instead.
 */
const name = (id: string) => NAMES[id] ?? (id === CAST.helpdeskGroup ? 'helpdesk' : id);
let shown = 0;

function say(line = ''): void {
  console.log(line);
}

function scene(title: string): void {
  say();
  say(`━━━ ${title} ${'━'.repeat(Math.max(0, 74 - title.length))}`);
}

function act(who: string, what: string): void {
  say(`\n▶ ${name(who)} ${what}`);
}

/** Prints what people saw since the last call. */
function show(world: World | SocketWorld): void {
  for (const sighting of world.slack.sightings.slice(shown)) {
    for (const line of renderSighting(sighting, name)) say(`  ${line}`);
  }
  shown = world.slack.sightings.length;
}

/** Prints a person's Home tab as Slack last showed it to them. */
function showHome(world: World | SocketWorld, user: string): void {
  const tab = world.slack.homes.get(user);
  if (!tab) throw new Error(`no Home tab was published for ${user}`);
  say(`  ${name(user)}'s Home tab shows:`);
  for (const line of renderBlocks(tab.view.blocks as Blocks, name).flatMap((l) => l.split('\n')))
    say(`      ${line}`);
}

function showFieldErrors(answer: Acknowledgement): void {
  const errors = (answer.json().errors ?? {}) as Record<string, string>;
  for (const [field, message] of Object.entries(errors))
    say(`    the form stays open; under "${field}": ${readable(message, name)}`);
}

function lastMessageIn(world: World | SocketWorld, channel: string) {
  const message = [...world.slack.messages].reverse().find((m) => m.channel === channel);
  if (!message) throw new Error(`nothing was posted in ${channel}`);
  return message;
}

function lastEphemeralWith(world: World | SocketWorld, user: string, actionId: string) {
  const found = [...world.slack.ephemerals]
    .reverse()
    .find((e) => e.user === user && findButton(e.blocks, actionId));
  if (!found) throw new Error(`no private message with ${actionId} for ${user}`);
  return found;
}

/** The phones ITNIO's sipQuery lists in the demo, with names and groups (and passwords, never kept). */
const DEMO_PHONES = {
  '4luaKsL2': [
    { account: '1001', phoneName: 'Front door', groupName: 'Head office', password: 'old-1001' },
    { account: '1002', phoneName: "Carol's desk", groupName: 'Finance', password: 'old-1002' },
    { account: '1003', phoneName: 'Reception desk', groupName: 'Head office', password: 'old-1003' },
    { account: '9000', phoneName: 'Boardroom', groupName: 'Executive', password: 'old-9000' },
  ],
  Xy12ab: [{ account: '2001', phoneName: 'Loading bay', groupName: 'Warehouse', password: 'old-2001' }],
};

async function main(): Promise<void> {
  const logLines: string[] = [];
  const redactor = new Redactor();
  const logger = createLogger({
    level: 'info',
    redactor,
    pretty: false,
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'sip-reset-demo-'));
  const mode = process.argv.includes('--socket') ? 'socket' : 'http';
  const world = await createWorld({
    databaseUrl: join(dir, 'demo.sqlite'),
    logger,
    redactor,
    mode,
    directory: true,
    phones: DEMO_PHONES,
  });
  // The phone directory, read from ITNIO's sipQuery as at start-up, without the passwords.
  await world.sipReset.services.phoneDirectory?.refresh();
  const { driver } = world;
  const press = (who: string, message: { channel: string; ts: string }, actionId: string) =>
    driver.click(who, { kind: 'message', channel: message.channel, ts: message.ts }, actionId);
  try {
    say('sip-reset demo: the real app on a local port, a real SQLite database, and local stand-ins');
    say('for Slack and the ITNIO API. No workspace or vendor account is used.');
    say(
      mode === 'socket'
        ? 'The app runs in Socket Mode: it opened a WebSocket connection to the Slack stand-in, and\nevery request below comes over it as an envelope the app acknowledges.'
        : "Every request below is signed as Slack signs it and goes through the app's HTTP receiver.",
    );
    say(
      `People: ${[CAST.helpdesk, CAST.employee, CAST.approver, CAST.secondApprover, CAST.owner].map(name).join(', ')}.`,
    );
    say(
      `Approvals are posted in ${name(CAST.approvals)}. Account 1002 is owned by Carol; accounts 9* are protected.`,
    );
    say(
      'Dates here read in UTC, the fallback of the date tokens the app sends: Slack shows each reader\nevery date in their own time zone and language.',
    );

    scene('1. A helpdesk agent resets a phone directly');
    act(CAST.helpdesk, 'types `/sip-reset 1001` in #general');
    await driver.command(CAST.helpdesk, '1001', CAST.general);
    show(world);
    act(CAST.helpdesk, `picks "Head office" and presses "${en.modalSubmit.direct}"`);
    await driver.submitModal(CAST.helpdesk, { account: '1001', app: '4luaKsL2' });
    show(world);
    act(CAST.helpdesk, 'copies the password and presses the remove button');
    await driver.click(
      CAST.helpdesk,
      { kind: 'ephemeral', id: lastEphemeralWith(world, CAST.helpdesk, 'sip_reset_remove_password').id },
      'sip_reset_remove_password',
    );
    show(world);

    scene('2. An employee asks, an approver approves, the employee resets when ready');
    act(CAST.employee, 'types `/sip-reset`, chooses "Head office" and types "recep" in the account field');
    await driver.command(CAST.employee, '', CAST.general);
    await driver.choose(CAST.employee, 'app', '4luaKsL2');
    show(world);
    const offered = await driver.suggest(CAST.employee, 'recep');
    say(`    the field offers, from the phone directory: ${offered.map((o) => o.text.text).join(' | ')}`);
    act(CAST.employee, `picks it, gives no reason, and presses "${en.modalSubmit.approval}"`);
    await driver.pick(CAST.employee, '1003', 'recep');
    showFieldErrors(await driver.submitModal(CAST.employee, {}));
    act(
      CAST.employee,
      `adds a reason, with a mention typed in it, and presses "${en.modalSubmit.approval}" again`,
    );
    await driver.submitModal(CAST.employee, { reason: 'New desk phone after the move <!channel>' });
    show(world);
    const request = lastMessageIn(world, CAST.approvals);
    if (
      JSON.stringify(request).includes('&lt;!channel&gt;') &&
      !JSON.stringify(request).includes('<!channel>')
    )
      say(
        '  The "<!channel>" Alice typed reached Slack escaped, as "&lt;!channel&gt;": everyone reads it as\n  text, and it notifies nobody.',
      );
    act(CAST.employee, 'tries to press Approve herself');
    await press(CAST.employee, request, 'sip_reset_approve');
    show(world);
    act(CAST.approver, 'presses Approve');
    await press(CAST.approver, request, 'sip_reset_approve');
    show(world);
    const grant = lastMessageIn(world, world.slack.dmOf(CAST.employee));
    act(CAST.employee, 'is at the phone, presses "Reset now and show password" and confirms Slack\'s dialog');
    await press(CAST.employee, grant, 'sip_reset_claim');
    show(world);

    scene('3. An approver denies, with a reason');
    act(CAST.employee, "asks for a reset of Carol's account 1002");
    await driver.command(CAST.employee, '1002', CAST.general);
    await driver.submitModal(CAST.employee, {
      account: '1002',
      app: '4luaKsL2',
      reason: 'Carol asked me to',
    });
    show(world);
    const second = lastMessageIn(world, CAST.approvals);
    act(CAST.secondApprover, 'presses Deny and gives a reason');
    await press(CAST.secondApprover, second, 'sip_reset_deny');
    show(world);
    await driver.submitModal(CAST.secondApprover, { deny_reason: 'Carol can reset her own phone.' });
    show(world);

    scene('4. The owner is told when someone else resets their phone');
    act(CAST.helpdesk, `opens the form for 1002, Carol's phone, and presses "${en.modalSubmit.direct}"`);
    await driver.command(CAST.helpdesk, '1002', CAST.general);
    shown = world.slack.sightings.length; // the form was shown in scene 1
    await driver.submitModal(CAST.helpdesk, { account: '1002', app: '4luaKsL2' });
    show(world);

    scene('5. A protected account needs two different approvers, even for the helpdesk');
    act(
      CAST.helpdesk,
      'types `/sip-reset 9000`, a protected account: the form says both outcomes, as she could still put another account and reset it at once',
    );
    await driver.command(CAST.helpdesk, '9000', CAST.general);
    show(world);
    act(CAST.helpdesk, `gives a reason and presses "${en.modalSubmit.either}"`);
    await driver.submitModal(CAST.helpdesk, { account: '9000', app: '4luaKsL2', reason: 'Reception phone' });
    show(world);
    const guarded = lastMessageIn(world, CAST.approvals);
    const approveGuarded = (who: string) => press(who, guarded, 'sip_reset_approve');
    act(CAST.approver, "presses Approve and confirms Slack's dialog");
    await approveGuarded(CAST.approver);
    show(world);
    act(CAST.approver, 'presses Approve a second time');
    await approveGuarded(CAST.approver);
    show(world);
    act(CAST.secondApprover, "approves too, confirming Slack's dialog");
    await approveGuarded(CAST.secondApprover);
    show(world);

    scene('6. Everyone reads their own language: Mei in Chinese, the approvers in English');
    act(CAST.chineseEmployee, 'types `/sip-reset 1001`; her Slack is set to 简体中文');
    await driver.command(CAST.chineseEmployee, '1001', CAST.general);
    show(world);
    act(
      CAST.chineseEmployee,
      `gives a reason and presses "${zhCN.modalSubmit.approval}" ("${en.modalSubmit.approval}")`,
    );
    await driver.submitModal(CAST.chineseEmployee, {
      account: '1001',
      app: '4luaKsL2',
      reason: '换了新座机，旧密码登录不了。',
    });
    show(world);
    act(CAST.approver, 'approves, in English');
    await press(CAST.approver, lastMessageIn(world, CAST.approvals), 'sip_reset_approve');
    show(world);
    act(
      CAST.chineseEmployee,
      `presses ${zhCN.grantButton} ("Reset now and show password") and confirms ${zhCN.confirm.claimButton}`,
    );
    await press(
      CAST.chineseEmployee,
      lastMessageIn(world, world.slack.dmOf(CAST.chineseEmployee)),
      'sip_reset_claim',
    );
    show(world);

    scene('7. The App Home: everyone sees their requests, approvers the queue, the helpdesk the resets');
    act(CAST.employee, 'opens the Home tab of the app');
    await driver.openHome(CAST.employee);
    showHome(world, CAST.employee);
    act(CAST.employee, `presses "${en.home.resetButton}" on it`);
    await driver.homeClick(CAST.employee, 'sip_reset_home_reset');
    show(world);
    act(CAST.approver, 'opens his Home tab, then Alice fills in the form she opened there for 1001');
    await driver.openHome(CAST.approver);
    await driver.submitModal(CAST.employee, { account: '1001', app: '4luaKsL2', reason: 'Handset swapped' });
    show(world);
    say('  The request reached the open Home tab by itself, his queue first:');
    showHome(world, CAST.approver);
    act(CAST.approver, 'presses Approve on his Home tab');
    const queued = lastMessageIn(world, CAST.approvals);
    await driver.homeClick(
      CAST.approver,
      'sip_reset_approve',
      findButton(queued.blocks, 'sip_reset_approve')?.value,
    );
    show(world);
    showHome(world, CAST.approver);
    say('  And Alice, who opened hers before, can reset from it too:');
    showHome(world, CAST.employee);
    act(CAST.helpdesk, 'opens her Home tab');
    await driver.openHome(CAST.helpdesk);
    showHome(world, CAST.helpdesk);

    scene('8. An incident: the helpdesk locks three phones out at once, and an owner gets a new password');
    act(CAST.helpdesk, 'learns that SIP credentials leaked, and types `/sip-reset lockout`');
    await driver.command(CAST.helpdesk, 'lockout', CAST.general);
    show(world);
    act(
      CAST.helpdesk,
      `pastes "1001, 1002, 1003", picks "Head office", gives the reason and presses "${en.lockoutForm.submit}"`,
    );
    await driver.submitModal(CAST.helpdesk, {
      lockout_accounts: '1001, 1002, 1003',
      lockout_app: '4luaKsL2',
      lockout_reason: 'SIP credentials found on a paste site',
    });
    show(world);
    act(CAST.helpdesk, `presses "${en.lockoutForm.startButton(3)}" and confirms Slack's dialog`);
    const issuedBefore = world.vendor.issued.length;
    await driver.clickInModal(CAST.helpdesk, ACTION.lockoutStart);
    await world.sipReset.lockoutRuns.settled();
    show(world);
    const discarded = world.vendor.issued.slice(issuedBefore);
    act(
      CAST.owner,
      `is at her phone, presses "${en.lockoutRun.getPasswordButton}" and confirms Slack's dialog`,
    );
    await press(CAST.owner, lastMessageIn(world, world.slack.dmOf(CAST.owner)), ACTION.claim);
    show(world);

    scene('9. A Workflow Builder step asks for a reset, for the person running the workflow');
    act(
      CAST.employee,
      'runs the "New desk" workflow, whose step "Reset a SIP password" names 1003 (Head office)',
    );
    const { run } = await driver.runStep(STEP.callbackId, {
      requester: { id: CAST.employee, secret: 'demo-user-context' },
      account: '1003',
      voice_app: 'Head office',
      reason: 'Moved to the reception desk',
    });
    show(world);
    const outputs = run.completion?.kind === 'success' ? run.completion.outputs : {};
    say(`    the step completed with outputs the workflow's next steps can branch on (never a password):`);
    for (const [key, value] of Object.entries(outputs)) say(`      ${key}: ${String(value)}`);

    scene('What this showed');
    const passwords = world.vendor.issued;
    const leaked = passwords.filter(
      (p) => world.slack.nonPrivateText().includes(p) || logLines.join('').includes(p),
    );
    say(
      `  ITNIO reset ${world.vendor.resets.length} passwords, with ${world.vendor.calls.length} calls in all.`,
    );
    say(
      `  Each new password appeared only in a private message to the person who asked: ${leaked.length === 0 ? 'yes' : 'NO'}.`,
    );
    say(`  Passwords in any log line, public message or DM: ${leaked.length}.`);
    const everything = JSON.stringify(world.slack.calls) + logLines.join('');
    const seen = discarded.filter((p) => everything.includes(p));
    say(
      `  The lock-out's ${discarded.length} passwords reached nobody, not even privately, nor any log line: ${seen.length === 0 && discarded.length === 3 ? 'yes' : 'NO'}.`,
    );
    if (leaked.length > 0 || seen.length > 0 || discarded.length !== 3) process.exitCode = 1;
  } finally {
    await world.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
