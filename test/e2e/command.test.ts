import { expect } from 'chai';
import { CAST, SIGNING_SECRET } from '../../sandbox/world.js';
import { testWorld, worldTest, type TestWorld } from '../helpers/world.js';

describe('e2e: /sip-reset and the modal', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld();
  });
  afterEach(() => world.stop());

  worldTest('acknowledges and opens the modal with the same trigger_id, account prefilled', async () => {
    const form = world.driver.commandForm(CAST.employee, '1001', CAST.general);
    const answer = await world.driver.post(form);
    expect(answer.status).to.equal(200);
    const [open] = world.slack.callsTo('views.open');
    expect(open?.args.trigger_id).to.equal(form.trigger_id);
    const view = world.slack.views[0]?.view as {
      callback_id: string;
      blocks: Array<Record<string, unknown>>;
    };
    expect(view.callback_id).to.equal('sip_reset_request');
    const account = view.blocks.find((b) => b.block_id === 'account') as {
      element: { initial_value?: string };
    };
    expect(account.element.initial_value).to.equal('1001');
    // First what submitting will do, then the fields.
    expect(view.blocks.map((b) => b.block_id)).to.deep.equal([undefined, 'account', 'app', 'reason']);
  });

  worldTest('opens an empty modal without an argument', async () => {
    await world.driver.command(CAST.employee, '', CAST.general);
    const view = world.slack.views[0]?.view as { blocks: Array<{ element: { initial_value?: string } }> };
    expect(view.blocks[1]?.element.initial_value).to.equal(undefined);
  });

  worldTest('answers `/sip-reset help` with usage, ephemerally, without a modal', async () => {
    const answer = await world.driver.command(CAST.employee, 'help', CAST.general);
    expect(answer.json()).to.include({ response_type: 'ephemeral' });
    expect(String(answer.json().text)).to.contain('/sip-reset 1001');
    expect(world.slack.callsTo('views.open')).to.have.length(0);
  });

  const invalid: Array<[string, Record<string, string>, string, RegExp]> = [
    ['an empty account', { account: '', app: '4luaKsL2' }, 'account', /Enter the SIP account/],
    ['a short account', { account: '100', app: '4luaKsL2' }, 'account', /at least 4/],
    ['a long account', { account: '1'.repeat(33), app: '4luaKsL2' }, 'account', /at most 32/],
    ['an account with a space', { account: '10 01', app: '4luaKsL2' }, 'account', /no spaces/],
    [
      'an account with a control character',
      { account: '10\u000101', app: '4luaKsL2' },
      'account',
      /no spaces or control/,
    ],
    ['no voice application', { account: '1001' }, 'app', /Choose one of the listed/],
    ['an unknown voice application', { account: '1001', app: 'forged' }, 'app', /Choose one of the listed/],
    [
      'no reason when approval is needed',
      { account: '1001', app: '4luaKsL2', reason: '   ' },
      'reason',
      /tell the approver why/,
    ],
  ];
  for (const [what, values, field, message] of invalid) {
    worldTest(`keeps the modal open with a field error for ${what}, and does nothing else`, async () => {
      const user = field === 'reason' ? CAST.employee : CAST.helpdesk;
      await world.driver.command(user, '', CAST.general);
      const answer = await world.driver.submitModal(user, values);
      expect(answer.status).to.equal(200);
      const body = answer.json() as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).to.equal('errors');
      expect(Object.keys(body.errors)).to.deep.equal([field]);
      expect(body.errors[field]).to.match(message);
      expect(world.vendor.calls).to.have.length(0);
      expect(world.slack.messages).to.have.length(0);
      expect(world.slack.ephemerals).to.have.length(0);
      expect(await world.store.listByRequester(user, 10)).to.have.length(0);
    });
  }

  worldTest('trims the account before checking and using it', async () => {
    await world.driver.command(CAST.helpdesk, '', CAST.general);
    await world.driver.submitModal(CAST.helpdesk, { account: '  1001 ', app: '4luaKsL2' });
    expect(world.vendor.resets.map((c) => c.account)).to.deep.equal(['1001']);
  });

  worldTest('answers 401 to a bad signature, with no side effect', async () => {
    const answer = await world.driver.post(world.driver.commandForm(CAST.helpdesk, '1001', CAST.general), {
      secret: 'not-the-signing-secret',
    });
    expect(answer.status).to.equal(401);
    expect(world.slack.calls).to.have.length(0);
  });

  worldTest('answers 401 to a stale timestamp, with no side effect', async () => {
    const answer = await world.driver.post(world.driver.commandForm(CAST.helpdesk, '1001', CAST.general), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
      secret: SIGNING_SECRET,
    });
    expect(answer.status).to.equal(401);
    expect(world.slack.calls).to.have.length(0);
  });

  worldTest('answers 401 to a timestamp more than five minutes ahead, with no side effect', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const ahead of [6 * 60, 3_600, 10 * 365 * 86_400]) {
      const answer = await world.driver.post(world.driver.commandForm(CAST.helpdesk, '1001', CAST.general), {
        timestamp: now + ahead,
      });
      expect(answer.status, `${ahead} s ahead`).to.equal(401);
    }
    expect(world.slack.calls).to.have.length(0);
    expect(
      world.logs
        .lines()
        .filter((line) => line.message === 'refused a Slack request stamped too far from now'),
    ).to.have.length(3);
    const near = await world.driver.post(world.driver.commandForm(CAST.helpdesk, '1001', CAST.general), {
      timestamp: now + 4 * 60,
    });
    expect(near.status, 'four minutes ahead is within the allowed skew').to.equal(200);
  });

  worldTest('answers GET /healthz with 200 once started', async () => {
    const response = await fetch(`http://127.0.0.1:${world.sipReset.port()}/healthz`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: 'ok' });
  });

  worldTest(
    'says what is wrong with an account argument too long for the form, and opens nothing',
    async () => {
      const answer = await world.driver.command(CAST.helpdesk, 'x'.repeat(70), CAST.general);
      expect(answer.json()).to.deep.include({ response_type: 'ephemeral' });
      expect(String(answer.json().text)).to.match(/at most 32 characters, and that one has 70/);
      expect(world.slack.callsTo('views.open')).to.have.length(0);
    },
  );

  worldTest('tells the person privately when the modal cannot open', async () => {
    world.slack.failNext('views.open', 'expired_trigger_id');
    await world.driver.command(CAST.helpdesk, '', CAST.general);
    const reply = world.slack.callsTo('response_url')[0];
    expect(reply?.args).to.include({ response_type: 'ephemeral' });
    expect(String(reply?.args.text)).to.match(/went wrong/);
  });

  const extraWords: Array<[string, string, RegExp, RegExp]> = [
    ['help me', CAST.employee, /`\/sip-reset help` alone/, /只输入 `\/sip-reset help`/],
    ['status please', CAST.employee, /`\/sip-reset status` alone/, /只输入 `\/sip-reset status`/],
    ['history 3006 extra', CAST.helpdesk, /`\/sip-reset history 1003`/, /输入 `\/sip-reset history 1003`/],
  ];
  for (const [text, user, english, chinese] of extraWords) {
    for (const [language, who, line] of [
      ['English', user, english],
      ['Chinese', CAST.chineseEmployee, chinese],
    ] as const) {
      worldTest(
        `answers \`/sip-reset ${text}\` with its usage line in ${language}, and opens nothing`,
        async () => {
          const answer = await world.driver.command(who, text, CAST.general);
          const said = String(answer.json().text ?? world.slack.callsTo('response_url').at(-1)?.args.text);
          expect(said).to.match(line);
          expect(world.slack.callsTo('views.open')).to.have.length(0);
        },
      );
    }
  }
});
