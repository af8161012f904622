import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { renderBlocks } from '../../sandbox/playground/blocks.js';
import { mrkdwn, slackDateText, type Viewer } from '../../sandbox/playground/mrkdwn.js';
import { chosenOptions, Playground } from '../../sandbox/playground/playground.js';
import { ensureBuilt } from '../helpers/child.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const NAMES: Record<string, string> = { UBOB: 'Bob', SHELPDESK: 'helpdesk', CAPPROVALS: '#phone-approvals' };
const viewer = (timeZone = 'UTC', locale = 'en-US', now = NOW): Viewer => ({
  timeZone,
  locale,
  name: (id) => NAMES[id] ?? id,
  now: () => now,
});
/** 2023-11-14 22:13:20 UTC. */
const AT = 1_700_000_000;

describe('the playground: mrkdwn as Slack shows it', () => {
  it('draws bold, italics, strike, code and preformatted text, at word boundaries only', () => {
    expect(mrkdwn('*1003* (Head office) _now_ ~old~ `code`', viewer())).to.equal(
      '<b>1003</b> (Head office) <i>now</i> <s>old</s> <code>code</code>',
    );
    expect(mrkdwn('a*b*c snake_case_name', viewer())).to.equal('a*b*c snake_case_name');
    expect(mrkdwn('重置 *1003* （总部）', viewer())).to.equal('重置 <b>1003</b> （总部）');
    expect(mrkdwn('```\n*not bold* <@UBOB>```', viewer())).to.equal(
      '<pre class="pre">*not bold* &lt;@UBOB&gt;</pre>',
    );
    expect(mrkdwn('one\n&gt; quoted', viewer())).to.equal('one<br><q class="quote">quoted</q>');
  });

  it('shows mentions by name, and groups and broadcasts as Slack marks them', () => {
    const html = mrkdwn('<@UBOB> <!subteam^SHELPDESK> <!subteam^SX|@phones> <#CAPPROVALS> <!here>', viewer());
    expect(html).to.equal(
      '<span class="mention user">@Bob</span> <span class="mention group">@helpdesk</span> ' +
        '<span class="mention group">@phones</span> <span class="mention channel">#phone-approvals</span> ' +
        '<span class="mention broadcast">@here</span>',
    );
  });

  it('links only web and mail addresses, with their labels escaped', () => {
    expect(mrkdwn('<https://example.com/a?b=1&amp;c=2|the &lt;docs&gt;>', viewer())).to.equal(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the &lt;docs&gt;</a>',
    );
    expect(mrkdwn('<javascript:alert(1)|click>', viewer())).to.equal('&lt;javascript:alert(1)|click&gt;');
  });

  it('shows escaped and raw markup as text: nothing typed becomes HTML', () => {
    const typed = '&lt;img src=x onerror="alert(1)"&gt; &amp;amp; <script>alert(2)</script> \uE000';
    const html = mrkdwn(typed, viewer());
    expect(html).to.equal(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp;amp; &lt;script&gt;alert(2)&lt;/script&gt; \uFFFD',
    );
    expect(html).not.to.match(/<(?!\/?(b|i|s|code)>)/);
  });

  it("fills in <!date^…> in the viewer's time zone and language, today as today", () => {
    const token = `<!date^${AT}^{date_short_pretty} at {time}|2023-11-14 22:13 UTC>`;
    expect(mrkdwn(token, viewer('Asia/Shanghai'))).to.contain('>Nov 15, 2023 at 6:13 AM</span>');
    expect(mrkdwn(token, viewer('America/New_York'))).to.contain('>Nov 14, 2023 at 5:13 PM</span>');
    const soon = AT * 1000 + 3_600_000;
    expect(
      slackDateText(AT * 1000, '{date_short_pretty} at {time}', viewer('Asia/Shanghai', 'en-US', soon)),
    ).to.equal('today at 6:13 AM');
    expect(
      slackDateText(AT * 1000, '{date_short_pretty} {time}', viewer('Asia/Shanghai', 'zh-CN', soon)),
    ).to.equal('今天 6:13');
    expect(slackDateText(AT * 1000, '{date_num} {date_long} {time_secs}', viewer('UTC'))).to.equal(
      '2023-11-14 Tuesday, November 14th, 2023 10:13:20 PM',
    );
  });
});

describe('the playground: Block Kit as Slack shows it', () => {
  it('draws the kinds the app sends, with buttons that name what a click sends', () => {
    const html = renderBlocks(
      [
        { type: 'header', text: { type: 'plain_text', text: 'Reset <request>' } },
        {
          type: 'section',
          block_id: 'who',
          fields: [{ type: 'mrkdwn', text: '*Requester*\n<@UBOB>' }],
          accessory: {
            type: 'button',
            action_id: 'more',
            value: 'x"y',
            text: { type: 'plain_text', text: 'More' },
          },
        },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '_protected_' }] },
        {
          type: 'actions',
          block_id: 'decide',
          elements: [
            {
              type: 'button',
              action_id: 'ok',
              value: 'r1',
              style: 'primary',
              text: { type: 'plain_text', text: 'Approve' },
            },
            {
              type: 'button',
              action_id: 'no',
              value: 'r1',
              style: 'danger',
              text: { type: 'plain_text', text: 'Deny' },
              confirm: {
                title: { type: 'plain_text', text: 'Sure?' },
                text: { type: 'mrkdwn', text: 'Deny *1003*?' },
                confirm: { type: 'plain_text', text: 'Deny' },
                deny: { type: 'plain_text', text: 'Back' },
                style: 'danger',
              },
            },
          ],
        },
      ],
      viewer(),
    );
    expect(html).to.contain('<h2>Reset &lt;request&gt;</h2>');
    expect(html).to.contain(
      '<div class="field"><b>Requester</b><br><span class="mention user">@Bob</span></div>',
    );
    expect(html).to.contain('data-block-id="who" data-action-id="more" data-value="x&quot;y"');
    expect(html).to.contain('<hr>');
    expect(html).to.contain('<i>protected</i>');
    expect(html).to.match(
      /class="btn slack-button primary" data-block-id="decide" data-action-id="ok" data-value="r1">Approve/,
    );
    expect(html).to.match(
      /class="btn slack-button danger"[^>]*>Deny<\/button><template class="confirm-template">/,
    );
    expect(html).to.contain('<div class="confirm-text">Deny <b>1003</b>?</div>');
  });

  it('draws inputs, static and external selects, with hints and a place for the field error', () => {
    const html = renderBlocks(
      [
        {
          type: 'input',
          block_id: 'account',
          label: { type: 'plain_text', text: 'SIP account' },
          hint: { type: 'plain_text', text: 'For example 1001.' },
          element: { type: 'plain_text_input', action_id: 'value', max_length: 64, initial_value: '1"003' },
        },
        {
          type: 'input',
          block_id: 'app',
          label: { type: 'plain_text', text: 'Voice application' },
          element: {
            type: 'static_select',
            action_id: 'value',
            options: [{ text: { type: 'plain_text', text: 'Head <office>' }, value: 'a1' }],
          },
        },
        {
          type: 'input',
          block_id: 'phone',
          optional: true,
          label: { type: 'plain_text', text: 'Phone' },
          element: { type: 'external_select', action_id: 'pick', min_query_length: 1 },
        },
        { type: 'video', title: { type: 'plain_text', text: 'never sent' } },
      ],
      viewer(),
    );
    expect(html).to.contain(
      '<input type="text" class="text-input" data-block-id="account" data-action-id="value" maxlength="64" value="1&quot;003">',
    );
    expect(html).to.contain(
      '<div class="field-error" role="alert" hidden></div><div class="hint">For example 1001.</div>',
    );
    expect(html).to.contain('<option value="a1">Head &lt;office&gt;</option>');
    expect(html).to.contain(
      'class="typeahead" data-block-id="phone" data-action-id="pick" data-min-query="1"',
    );
    expect(html).to.contain('<span class="optional">(optional)</span>');
    expect(html).to.contain('[block video: not drawn by the playground]');
  });

  it('draws a multi_external_select as a type-ahead with its initial options as removable chips', () => {
    const option = (value: string, text: string) => ({ text: { type: 'plain_text', text }, value });
    const html = renderBlocks(
      [
        {
          type: 'input',
          block_id: 'account_phone:4luaKsL2',
          label: { type: 'plain_text', text: 'Phones' },
          element: {
            type: 'multi_external_select',
            action_id: 'value',
            min_query_length: 1,
            max_selected_items: 2,
            placeholder: { type: 'plain_text', text: 'Type an account' },
            initial_options: [option('1002', '1002 · <Carol>'), option('1"003', '1003')],
          },
        },
        {
          type: 'actions',
          block_id: 'filter',
          elements: [{ type: 'multi_external_select', action_id: 'phones' }],
        },
      ],
      viewer(),
    );
    expect(html).to.contain('data-element-type="multi_external_select"');
    expect(html).to.contain(
      '<span class="typeahead multi" data-block-id="account_phone:4luaKsL2" data-action-id="value" data-min-query="1" data-max-selected="2">',
    );
    expect(html).to.contain(
      '<span class="chips"><span class="chip" data-value="1002" data-text="1002 · &lt;Carol&gt;"><span class="chip-text">1002 · &lt;Carol&gt;</span><button type="button" class="chip-remove" aria-label="Remove">×</button></span><span class="chip" data-value="1&quot;003" data-text="1003">',
    );
    expect(html).to.contain('placeholder="Type an account"');
    expect(html).not.to.contain('not drawn by the playground');
    // In an actions block each change is sent at once (block_actions); Slack's default is 3 characters.
    expect(html).to.match(
      /class="typeahead multi" data-block-id="filter" data-action-id="phones" data-min-query="3" data-dispatch="true">/,
    );
    expect(html.match(/class="chip"/g)).to.have.length(2);
  });
});

describe("the playground: a multi-select's state, as Slack sends it", () => {
  const element = (max?: number) => ({
    type: 'multi_external_select',
    action_id: 'value',
    ...(max && { max_selected_items: max }),
  });

  it('sends option objects in the order picked, each once, none as an empty list', () => {
    expect(
      chosenOptions(element(), [
        { value: '1003', text: '1003 · Desk' },
        { value: '1002', text: '1002 · Carol' },
        { value: '1003', text: '1003 · Desk' },
        { value: '', text: 'nothing' },
      ]),
    ).to.deep.equal([
      { text: { type: 'plain_text', text: '1003 · Desk' }, value: '1003' },
      { text: { type: 'plain_text', text: '1002 · Carol' }, value: '1002' },
    ]);
    expect(chosenOptions(element(), undefined)).to.deep.equal([]);
    expect(chosenOptions(element(), 'not a list')).to.deep.equal([]);
  });

  it('holds no more than max_selected_items', () => {
    const chosen = ['1001', '1002', '1003'].map((value) => ({ value, text: value }));
    expect(chosenOptions(element(2), chosen).map((o) => o.value)).to.deep.equal(['1001', '1002']);
  });
});

describe('the playground: what each person sees', () => {
  let playground: Playground;
  beforeEach(async () => {
    playground = new Playground();
    await playground.slack.start();
  });
  afterEach(() => playground.stop());

  const call = (method: string, args: Record<string, unknown>) =>
    fetch(`${playground.slack.apiUrl}${method}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        Authorization: `Bearer ${playground.slack.token}`,
      },
      body: JSON.stringify(args),
    }).then((response) => response.json() as Promise<{ ok: boolean; error?: string }>);
  const main = (session: string, place: string) => String(playground.view(session, place, 'UTC').main);

  it("shows a message Slack refused as Slack's error, where it was meant to appear, and in the side panel", async () => {
    const bob = playground.openSession('UBOB');
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(
      await call('chat.postMessage', { channel: 'CAPPROVALS', text: 'x', blocks: tooMany }),
    ).to.deep.equal({
      ok: false,
      error: 'invalid_blocks',
    });
    expect(main(bob, 'CAPPROVALS')).to.contain(
      '<span class="author">Slack</span> refused <code>chat.postMessage</code>: <b>invalid_blocks</b> (more than 50 blocks)',
    );
    expect(String(playground.view(bob, 'CGENERAL', 'UTC').panel)).to.contain(
      '<b>invalid_blocks</b> (more than 50 blocks)',
    );
  });

  it('shows an ephemeral message to its person only, marked, and not after a reload', async () => {
    const alice = playground.openSession('UALICE');
    const bob = playground.openSession('UBOB');
    expect(
      await call('chat.postEphemeral', { channel: 'CGENERAL', user: 'UALICE', text: 'for *Alice*' }),
    ).to.include({
      ok: true,
    });
    expect(await call('chat.postMessage', { channel: 'CGENERAL', text: 'for everyone' })).to.include({
      ok: true,
    });
    expect(main(alice, 'CGENERAL')).to.contain('Only visible to you').and.contain('for <b>Alice</b>');
    expect(main(bob, 'CGENERAL')).to.contain('for everyone');
    expect(main(bob, 'CGENERAL')).not.to.contain('Alice');
    const reloaded = playground.openSession('UALICE');
    expect(main(reloaded, 'CGENERAL')).to.contain('for everyone');
    expect(main(reloaded, 'CGENERAL')).not.to.contain('Alice');
  });

  it("shows a thread's replies under their parent, with their buttons, and a reply whose parent is gone marked", async () => {
    const hana = playground.openSession('UHANA');
    const parent = (await call('chat.postMessage', {
      channel: 'CAPPROVALS',
      text: 'Lock-out of 2 phones',
    })) as { ok: boolean; ts: string };
    const stop = {
      type: 'button',
      action_id: 'sip_reset_lockout_stop',
      value: 'c1',
      text: { type: 'plain_text', text: 'Stop' },
    };
    const reply = (await call('chat.postMessage', {
      channel: 'CAPPROVALS',
      thread_ts: parent.ts,
      text: '1 of 2 locked out',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '1 of 2 locked out' } },
        { type: 'actions', elements: [stop] },
      ],
    })) as { ok: boolean; ts: string };
    const html = main(hana, 'CAPPROVALS');
    const thread = html.slice(html.indexOf('<div class="thread">'));
    expect(html.indexOf('Lock-out of 2 phones')).to.be.lessThan(html.indexOf('<div class="thread">'));
    expect(thread).to.contain(
      `<div class="msg reply" data-host-kind="message" data-channel="CAPPROVALS" data-ts="${reply.ts}">`,
    );
    expect(thread).to.match(
      /<button type="button" class="btn slack-button"[^>]*data-action-id="sip_reset_lockout_stop"[^>]*>Stop</,
    );
    expect(html.match(/1 of 2 locked out<\/div>/g), 'once, in the thread').to.have.length(1);

    const posted = playground.slack.messages.find((m) => m.ts === parent.ts);
    if (posted) posted.deleted = true;
    const orphaned = main(hana, 'CAPPROVALS');
    expect(orphaned).not.to.contain('Lock-out of 2 phones');
    expect(orphaned).to.contain('replied to a thread').and.contain('data-action-id="sip_reset_lockout_stop"');
  });

  it("gives a modal's multi-select state and Slack's hash of the view to the app", async () => {
    const opened = (await call('views.open', {
      trigger_id: playground.slack.issueTrigger('UHANA'),
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'Lock out phones' },
        submit: { type: 'plain_text', text: 'Review' },
        blocks: [
          {
            type: 'input',
            block_id: 'account_phone:4luaKsL2',
            optional: true,
            label: { type: 'plain_text', text: 'Phones' },
            element: { type: 'multi_external_select', action_id: 'value', max_selected_items: 2 },
          },
          {
            type: 'input',
            block_id: 'other',
            optional: true,
            label: { type: 'plain_text', text: 'More phones' },
            element: { type: 'multi_external_select', action_id: 'value' },
          },
        ],
      },
    })) as { ok: boolean; view: { id: string; hash: string } };
    expect(opened.ok).to.equal(true);
    const payload = (
      playground as unknown as {
        viewPayload(user: string, viewId: string, typed: unknown): Record<string, unknown>;
      }
    ).viewPayload('UHANA', opened.view.id, {
      'account_phone:4luaKsL2': {
        value: {
          selected_options: [
            { value: '1002', text: '1002 · Carol' },
            { value: '1003', text: '1003' },
            { value: '1001', text: '1001' },
          ],
        },
      },
    });
    expect(payload.hash).to.equal(opened.view.hash);
    expect(payload.state).to.deep.equal({
      values: {
        'account_phone:4luaKsL2': {
          value: {
            type: 'multi_external_select',
            selected_options: [
              { text: { type: 'plain_text', text: '1002 · Carol' }, value: '1002' },
              { text: { type: 'plain_text', text: '1003' }, value: '1003' },
            ],
          },
        },
        other: { value: { type: 'multi_external_select', selected_options: [] } },
      },
    });
  });
});

describe('the playground stays out of the product', () => {
  it('is not compiled into dist/: the build takes src/ only, and dist/ holds nothing of sandbox/', function () {
    this.timeout(180_000);
    const build = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as {
      include: string[];
      compilerOptions: { rootDir: string };
    };
    expect(build.include).to.deep.equal(['src']);
    expect(build.compilerOptions.rootDir).to.equal('src');
    ensureBuilt();
    const files = readdirSync('dist', { recursive: true, encoding: 'utf8' });
    expect(files.filter((file) => /playground|sandbox|itnio-stub|slack-stub/.test(file))).to.deep.equal([]);
    expect(files).to.include(join('slack', 'app.js'));
  });
});

describe("the playground's server", () => {
  let playground: Playground;
  before(async function () {
    this.timeout(60_000);
    ensureBuilt();
    playground = await Playground.start({ port: 0 });
  });
  after(() => playground.stop());

  const ask = (options: { host?: string; method?: string; path: string; type?: string }) =>
    new Promise<{ status: number; body: string }>((done, fail) => {
      const { port } = new URL(playground.url);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: options.method ?? 'GET',
          path: options.path,
          headers: {
            Host: options.host ?? `127.0.0.1:${port}`,
            ...(options.type && { 'Content-Type': options.type }),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => done({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', fail);
      req.end(options.method === 'POST' ? '{"user":"UALICE"}' : undefined);
    });

  it('listens on 127.0.0.1 only, and answers only pages of this machine, with JSON posts', async () => {
    const address = (playground as unknown as { server: { address(): AddressInfo } }).server.address();
    expect(address.address).to.equal('127.0.0.1');
    expect((await ask({ path: '/' })).body).to.contain('<title>sip-reset playground</title>');
    expect((await ask({ path: '/', host: 'attacker.example:80' })).status).to.equal(403);
    expect((await ask({ method: 'POST', path: '/api/session', type: 'text/plain' })).status).to.equal(415);
    const session = await ask({ method: 'POST', path: '/api/session', type: 'application/json' });
    expect(session.status).to.equal(200);
    expect(JSON.parse(session.body)).to.have.property('session').that.is.a('string');
  });
});
