import { expect } from 'chai';
import fetch from 'node-fetch';
import { SlackStub } from '../../sandbox/slack-stub.js';

/**
 * The stand-in must keep Slack's documented response_url rules (PLATFORM.md), or a test could pass
 * on a promise the real Slack breaks.
 */
describe('Slack stand-in: response_url rules', () => {
  let slack: SlackStub;
  beforeEach(async () => {
    slack = new SlackStub({ channels: { CGENERAL: ['UALICE'] } });
    await slack.start();
  });
  afterEach(() => slack.stop());

  const post = (url: string, body: Record<string, unknown>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it("posts a new message for replace_original on a slash command's URL, and refuses delete_original", async () => {
    const url = slack.issueResponseUrl('UALICE', 'CGENERAL');
    await post(url, { response_type: 'ephemeral', text: 'first' });
    await post(url, { response_type: 'ephemeral', replace_original: true, text: 'second' });
    expect(slack.ephemerals.map((e) => [e.text, e.deleted])).to.deep.equal([
      ['first', false],
      ['second', false],
    ]);
    expect((await post(url, { delete_original: true })).status).to.equal(400);
    expect(slack.ephemerals.every((e) => !e.deleted)).to.equal(true);
  });

  it("deletes the clicked message with delete_original on a click's URL, never a reply sent through it", async () => {
    const posted = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${slack.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: 'UALICE', text: 'grant' }),
    });
    const { ts, channel } = (await posted.json()) as { ts: string; channel: string };
    const url = slack.issueResponseUrl('UALICE', channel, { kind: 'message', channel, ts });
    await post(url, { response_type: 'ephemeral', text: 'reply' });
    await post(url, { delete_original: 'true' });
    expect(slack.ephemerals[0]).to.include({ text: 'reply', deleted: false });
    expect(slack.messages[0]).to.include({ text: 'grant', deleted: true });
  });

  it('wears a URL out after 5 uses', async () => {
    const url = slack.issueResponseUrl('UALICE', 'CGENERAL');
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await post(url, { text: `n${i}` })).status);
    expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 404]);
  });

  it('answers an http_NNN failure with that status, on the Web API and on a response_url', async () => {
    slack.failNext('chat.postMessage', 'http_503');
    slack.failNext('response_url', 'http_500');
    const api = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${slack.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: 'UALICE', text: 'hi' }),
    });
    expect(api.status).to.equal(503);
    const url = slack.issueResponseUrl('UALICE', 'CGENERAL');
    expect((await post(url, { text: 'hi' })).status).to.equal(500);
    expect(slack.messages).to.deep.equal([]);
    expect((await post(url, { text: 'again' })).status, 'only the next call fails').to.equal(200);
  });

  it('holds the next call until released, then handles it as usual', async () => {
    const url = slack.issueResponseUrl('UALICE', 'CGENERAL');
    const held = slack.hold('response_url');
    const answer = post(url, { text: 'held' });
    await held.arrived;
    expect(slack.ephemerals).to.deep.equal([]);
    held.release();
    expect((await answer).status).to.equal(200);
    expect(slack.ephemerals.map((e) => e.text)).to.deep.equal(['held']);
  });
});

/** views.publish as Slack answers it (PLATFORM.md: 100 blocks, view_too_large), so the Home's limits are real. */
describe('Slack stand-in: views.publish', () => {
  let slack: SlackStub;
  beforeEach(async () => {
    slack = new SlackStub({ channels: { CGENERAL: ['UALICE'] } });
    await slack.start();
  });
  afterEach(() => slack.stop());

  const publish = async (args: Record<string, unknown>) => {
    const answer = await fetch(`${slack.apiUrl}views.publish`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${slack.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });
    return (await answer.json()) as { ok: boolean; error?: string };
  };
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const home = (blocks: unknown[]) => ({ type: 'home', blocks });

  it('keeps the latest Home view per user, with the same view ID', async () => {
    expect(await publish({ user_id: 'UALICE', view: home([section('one')]) })).to.include({ ok: true });
    const first = slack.homes.get('UALICE');
    expect(await publish({ user_id: 'UALICE', view: home([section('two')]) })).to.include({ ok: true });
    const latest = slack.homes.get('UALICE');
    expect(latest?.view.blocks).to.deep.equal([section('two')]);
    expect(latest?.id).to.equal(first?.id);
    expect(latest?.publishes).to.equal(2);
  });

  it('refuses what Slack refuses, and keeps the view before', async () => {
    await publish({ user_id: 'UALICE', view: home([section('kept')]) });
    expect(await publish({ view: home([]) })).to.include({ error: 'invalid_arguments' });
    expect(await publish({ user_id: 'UNOBODY', view: home([]) })).to.include({ error: 'user_not_found' });
    expect(await publish({ user_id: 'UALICE', view: { type: 'modal', blocks: [] } })).to.include({
      error: 'invalid_arguments',
    });
    const many = Array.from({ length: 101 }, () => section('x'));
    expect(await publish({ user_id: 'UALICE', view: home(many) })).to.include({ error: 'view_too_large' });
    expect(await publish({ user_id: 'UALICE', view: home(many.slice(0, 100)) })).to.include({ ok: true });
    expect(await publish({ user_id: 'UALICE', view: home([section('x'.repeat(3001))]) })).to.include({
      error: 'invalid_blocks',
    });
    expect(slack.homes.get('UALICE')?.view.blocks).to.have.length(100);
  });

  it('answers not_enabled while the Home tab is off in the app settings, and publishes again once on', async () => {
    slack.homeTabEnabled = false;
    expect(await publish({ user_id: 'UALICE', view: home([section('x')]) })).to.include({
      ok: false,
      error: 'not_enabled',
    });
    expect(slack.homes.has('UALICE')).to.equal(false);
    slack.homeTabEnabled = true;
    expect(await publish({ user_id: 'UALICE', view: home([section('x')]) })).to.include({ ok: true });
  });
});

describe('Slack stand-in: users.info', () => {
  let slack: SlackStub;
  beforeEach(async () => {
    slack = new SlackStub({ channels: { CGENERAL: ['UALICE', 'UGONE'] } });
    await slack.start();
  });
  afterEach(() => slack.stop());

  const info = async (user: string) => {
    const answer = await fetch(`${slack.apiUrl}users.info`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${slack.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    return (await answer.json()) as { ok: boolean; error?: string; user?: { id: string; deleted: boolean } };
  };

  it('still answers a deactivated user, with deleted: true, as Slack does; an unknown one is not found', async () => {
    slack.deactivated.add('UGONE');
    expect((await info('UGONE')).user).to.include({ id: 'UGONE', deleted: true });
    expect((await info('UALICE')).user).to.include({ id: 'UALICE', deleted: false });
    expect(await info('UNOBODY')).to.deep.equal({ ok: false, error: 'user_not_found' });
  });
});

/** The limits issue 20's texts rely on, as Slack documents them (PLATFORM.md): a violation fails a test. */
describe('Slack stand-in: modal button labels, accessibility labels and confirmation dialogs', () => {
  let slack: SlackStub;
  beforeEach(async () => {
    slack = new SlackStub({ channels: { CGENERAL: ['UALICE'] } });
    await slack.start();
  });
  afterEach(() => slack.stop());

  const call = async (method: string, args: Record<string, unknown>) => {
    const answer = await fetch(`${slack.apiUrl}${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${slack.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });
    return (await answer.json()) as { ok: boolean; error?: string };
  };
  const plain = (text: string) => ({ type: 'plain_text', text });
  const modal = (submit: string) => ({
    type: 'modal',
    title: plain('SIP password reset'),
    submit: plain(submit),
    close: plain('Cancel'),
    blocks: [{ type: 'input', block_id: 'a', label: plain('A'), element: { type: 'plain_text_input' } }],
  });

  it('refuses a modal whose submit label is over 24 characters', async () => {
    expect(
      await call('views.open', { trigger_id: slack.issueTrigger('UALICE'), view: modal('x'.repeat(24)) }),
    ).to.include({ ok: true });
    expect(
      await call('views.open', { trigger_id: slack.issueTrigger('UALICE'), view: modal('x'.repeat(25)) }),
    ).to.include({ error: 'invalid_arguments' });
  });

  it("refuses a section's button with a long accessibility_label or an incomplete confirm", async () => {
    const withButton = (extra: Record<string, unknown>) => ({
      type: 'home',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'x' },
          accessory: { type: 'button', text: plain('Cancel'), action_id: 'c', ...extra },
        },
      ],
    });
    const publish = (extra: Record<string, unknown>) =>
      call('views.publish', { user_id: 'UALICE', view: withButton(extra) });
    expect(await publish({ accessibility_label: 'y'.repeat(75) })).to.include({ ok: true });
    expect(await publish({ accessibility_label: 'y'.repeat(76) })).to.include({ error: 'invalid_blocks' });
    expect(
      await publish({ confirm: { title: plain('T'), text: plain('t'), confirm: plain('OK') } }),
    ).to.include({
      error: 'invalid_blocks',
    });
    expect(await publish({ style: 'warning' })).to.include({ error: 'invalid_blocks' });
  });
});

/**
 * A confirmation dialog as Slack documents it (docs.slack.dev/reference/block-kit/composition-objects/
 * confirmation-dialog-object): title plain text ≤ 100, text ≤ 300, confirm and deny plain text ≤ 30,
 * style primary or danger. The lock-out's review states its count in one, in a modal.
 */
describe('Slack stand-in: a confirmation dialog in a modal, opened, updated or answered to a submission', () => {
  let slack: SlackStub;
  beforeEach(async () => {
    slack = new SlackStub({ channels: { CGENERAL: ['UALICE'] } });
    await slack.start();
  });
  afterEach(() => slack.stop());

  const plain = (text: string) => ({ type: 'plain_text', text });
  const confirm = (over: Record<string, unknown> = {}) => ({
    title: plain('Lock out 240 phones?'),
    text: plain(
      'Lock out 240 phones? Their current passwords stop working at once; nobody sees the new ones.',
    ),
    confirm: plain('Lock out 240 phones'),
    deny: plain('Go back'),
    style: 'danger',
    ...over,
  });
  const review = (dialog: Record<string, unknown>) => ({
    type: 'modal',
    title: plain('Confirm the lock-out'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'go', style: 'danger', text: plain('Lock out'), confirm: dialog },
        ],
      },
    ],
  });
  const open = async (view: Record<string, unknown>) => {
    const answer = await fetch(`${slack.apiUrl}views.open`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${slack.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ trigger_id: slack.issueTrigger('UALICE'), view }),
    });
    return (await answer.json()) as { ok: boolean; error?: string; view?: { id: string } };
  };
  const tooLong = [
    ['a title of 101 characters', { title: plain('x'.repeat(101)) }],
    ['a text of 301 characters', { text: plain('x'.repeat(301)) }],
    ['a confirm of 31 characters', { confirm: plain('x'.repeat(31)) }],
    ['a deny of 31 characters', { deny: plain('x'.repeat(31)) }],
    ['a mrkdwn title', { title: { type: 'mrkdwn', text: 'T' } }],
    ['a style of its own', { style: 'warning' }],
    ['no deny', { deny: undefined }],
  ] as const;

  it('takes a dialog at its limits, and refuses each one past them', async () => {
    expect(
      await open(
        review(
          confirm({
            title: plain('x'.repeat(100)),
            text: plain('x'.repeat(300)),
            confirm: plain('x'.repeat(30)),
            deny: plain('x'.repeat(30)),
          }),
        ),
      ),
    ).to.include({ ok: true });
    for (const [what, over] of tooLong)
      expect(await open(review(confirm(over))), what).to.include({ ok: false, error: 'invalid_arguments' });
  });

  it('applies a submission’s response_action update as views.update does, and refuses a view Slack would not show', async () => {
    const form = {
      type: 'modal',
      title: plain('Lock out SIP phones'),
      submit: plain('Review'),
      blocks: [{ type: 'input', block_id: 'a', label: plain('A'), element: { type: 'plain_text_input' } }],
    };
    const opened = await open(form);
    const id = opened.view?.id ?? '';
    const before = slack.views.find((v) => v.id === id)?.hash;
    expect(
      slack.answerSubmission(id, {
        response_action: 'update',
        view: review(confirm({ text: plain('x'.repeat(301)) })),
      }),
    ).to.be.a('string');
    expect(slack.views.find((v) => v.id === id)?.view, 'unchanged').to.deep.equal(form);
    expect(slack.answerSubmission(id, { response_action: 'update', view: review(confirm()) })).to.equal(
      undefined,
    );
    const after = slack.views.find((v) => v.id === id);
    expect(after?.view).to.deep.equal(review(confirm()));
    expect(after?.hash).to.not.equal(before);
    expect(slack.answerSubmission(id, { response_action: 'errors', errors: {} })).to.equal(undefined);
  });

  it('refuses a modal with input blocks and no submit', async () => {
    expect(
      await open({
        type: 'modal',
        title: plain('T'),
        blocks: [{ type: 'input', block_id: 'a', label: plain('A'), element: { type: 'plain_text_input' } }],
      }),
    ).to.include({ error: 'invalid_arguments' });
  });
});
