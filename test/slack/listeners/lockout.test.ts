import { expect } from 'chai';
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import sinon from 'sinon';
import { DomainError } from '../../../src/domain/errors.js';
import type { PhoneDirectory } from '../../../src/domain/directory.js';
import { catalogueFor } from '../../../src/i18n/index.js';
import { lockoutStartClicked } from '../../../src/slack/listeners/actions/lockout-start.js';
import { sipResetCommand } from '../../../src/slack/listeners/commands/sip-reset.js';
import { lockoutSubmitted } from '../../../src/slack/listeners/views/lockout-submitted.js';
import { BLOCK, COMMAND, INPUT_ACTION, VIEW } from '../../../src/slack/platform/ids.js';
import { lockoutMetadata } from '../../../src/slack/platform/modal-metadata.js';
import type { SlackServices } from '../../../src/slack/services.js';
import { buildArguments, fakeServices } from '../../helpers/listener-args.js';

const t = catalogueFor('en');
const HEAD_OFFICE = { appId: 'app1', label: 'Head office' };
const WAREHOUSE = { appId: 'app2', label: 'Warehouse' };

/** A phone directory that lists these accounts per application, fresh unless told otherwise. */
function directoryOf(phones: Record<string, string[]>, fresh = true): PhoneDirectory {
  const phone = (account: string) => ({ account, phoneName: '', groupName: '', displayNum: account });
  return {
    states: sinon
      .stub()
      .resolves(Object.entries(phones).map(([appId, list]) => ({ appId, phoneCount: list.length }))),
    check: sinon
      .stub()
      .callsFake(async (appId: string, account: string) =>
        fresh
          ? { checked: true, phone: phones[appId]?.includes(account) ? phone(account) : undefined }
          : { checked: false },
      ),
    findPhones: sinon.stub().callsFake(async (keys: Array<{ appId: string; account: string }>) => {
      const found = new Map();
      for (const { appId, account } of keys)
        if (phones[appId]?.includes(account)) found.set(`${appId}\n${account}`, phone(account));
      return found;
    }),
    phonesOf: sinon.stub().callsFake(async (appId: string) => (phones[appId] ?? []).map(phone)),
  } as unknown as PhoneDirectory;
}

function services(
  options: { apps?: Array<typeof HEAD_OFFICE>; directory?: PhoneDirectory; helpdesk?: boolean } = {},
) {
  const config = {
    itnio: { apps: options.apps ?? [HEAD_OFFICE] },
    policy: { helpdesk: ['UHANA'], approvers: [], owners: {} },
    phonePicker: true,
  } as unknown as SlackServices['config'];
  const fakes = fakeServices({
    config,
    appLabel: (appId: string) => (appId === 'app2' ? 'Warehouse' : 'Head office'),
    ...(options.directory ? { phoneDirectory: options.directory } : {}),
  });
  fakes.directory.resolve.callsFake(async (userId: string) => ({ userId, groupIds: [] }));
  fakes.lockouts.prepare.callsFake(async (plan: { targets: unknown[] }) => ({
    campaignId: 'camp-1',
    count: plan.targets.length,
  }));
  return fakes;
}

const typed = (user: string, text: string) =>
  buildArguments<AllMiddlewareArgs & SlackCommandMiddlewareArgs>({
    command: {
      command: COMMAND,
      text,
      user_id: user,
      channel_id: 'CGEN',
      trigger_id: 'trigger-3',
      response_url: 'https://hooks.example/cmd',
    },
  });

describe('listeners/commands: /sip-reset lockout', () => {
  it('opens the lock-out form for a helpdesk agent, acknowledged first', async () => {
    const fakes = services({ directory: directoryOf({ app1: ['1001'] }) });
    const args = typed('UHANA', 'lockout');
    await sipResetCommand(fakes)(args);
    expect(args.ack.calledOnceWithExactly()).to.equal(true);
    expect(args.ack.calledBefore(args.client.views.open)).to.equal(true);
    const { trigger_id, view } = args.client.views.open.firstCall.args[0];
    expect(trigger_id).to.equal('trigger-3');
    expect(view.callback_id).to.equal(VIEW.lockout);
    expect(view.blocks.map((b: { block_id?: string }) => b.block_id)).to.include('account_phone:app1');
    expect(args.respond.called).to.equal(false);
  });

  it('refuses anyone else privately, as history and directory do, and opens nothing', async () => {
    const fakes = services();
    const args = typed('UALICE', 'LOCKOUT');
    await sipResetCommand(fakes)(args);
    expect(args.client.views.open.called).to.equal(false);
    expect(args.respond.firstCall.args[0]).to.deep.equal({
      response_type: 'ephemeral',
      text: t.lockoutForm.refused,
    });
  });

  it('opens the form when the user groups are slow (the engine refuses at the submission), within the trigger’s life', async () => {
    const clock = sinon.useFakeTimers();
    try {
      const fakes = services();
      fakes.directory.resolve.returns(new Promise(() => undefined));
      const args = typed('UHANA', 'lockout');
      const run = sipResetCommand(fakes)(args);
      await clock.tickAsync(1_000);
      await run;
      expect(args.client.views.open.calledOnce).to.equal(true);
    } finally {
      clock.restore();
    }
  });

  it('gives its usage for words after lockout, and says so when Slack refuses the modal', async () => {
    const args = typed('UHANA', 'lockout 1001');
    await sipResetCommand(services())(args);
    expect(args.ack.firstCall.args[0]).to.deep.equal({
      response_type: 'ephemeral',
      text: t.lockoutForm.usage(COMMAND),
    });
    const refused = typed('UHANA', 'lockout');
    refused.client.views.open.rejects(
      Object.assign(new Error('x'), { data: { error: 'expired_trigger_id' } }),
    );
    await sipResetCommand(services())(refused);
    expect(refused.respond.firstCall.args[0]).to.deep.equal({
      response_type: 'ephemeral',
      text: t.unexpectedError,
    });
  });

  it('lists lockout in the help, for helpdesk agents', () => {
    expect(t.help(COMMAND)).to.contain('Helpdesk agents: `/sip-reset lockout`');
  });
});

const input = (value: string) => ({ [INPUT_ACTION]: { type: 'plain_text_input', value } });
const select = (value: string) => ({ [INPUT_ACTION]: { type: 'static_select', selected_option: { value } } });
const picks = (...values: string[]) => ({
  [INPUT_ACTION]: { type: 'multi_external_select', selected_options: values.map((value) => ({ value })) },
});

const submitted = (values: Record<string, unknown>, user = 'UHANA') => {
  const view = { id: 'V9', callback_id: VIEW.lockout, private_metadata: '', state: { values } };
  return buildArguments<AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>>({
    body: { type: 'view_submission', user: { id: user }, view },
    view,
  });
};
const reason = { [BLOCK.lockoutReason]: input('Credentials leaked') };

describe('listeners/views: the lock-out form submitted', () => {
  it('prepares a pasted list and a pick, each once, and turns the form into its review', async () => {
    const fakes = services({ directory: directoryOf({ app1: ['1001', '1002', '1003'] }) });
    const args = submitted({
      'account_phone:app1': picks('1003', '1001'),
      [BLOCK.lockoutAccounts]: input('1001, 1002;1002\n'),
      ...reason,
    });
    await lockoutSubmitted(fakes)(args);
    expect(fakes.lockouts.prepare.firstCall.args[0]).to.deep.equal({
      agentId: 'UHANA',
      reason: 'Credentials leaked',
      targets: [
        { appId: 'app1', account: '1003' },
        { appId: 'app1', account: '1001' },
        { appId: 'app1', account: '1002' },
      ],
    });
    const answer = args.ack.firstCall.args[0];
    expect(answer.response_action).to.equal('update');
    expect(answer.view.callback_id).to.equal(VIEW.lockoutReview);
    expect(answer.view.private_metadata).to.equal(lockoutMetadata('camp-1'));
    expect(JSON.stringify(answer.view.blocks)).to.contain('Lock out 3 phones?');
  });

  const errorsOf = async (fakes: ReturnType<typeof services>, values: Record<string, unknown>) => {
    const args = submitted(values);
    await lockoutSubmitted(fakes)(args);
    expect(fakes.lockouts.prepare.called, 'nothing prepared').to.equal(false);
    const answer = args.ack.firstCall.args[0];
    expect(answer.response_action).to.equal('errors');
    return answer.errors as Record<string, string>;
  };

  it('says, field by field, what is missing: nothing chosen, no reason', async () => {
    expect(await errorsOf(services(), { [BLOCK.lockoutAccounts]: input(' , ') })).to.deep.equal({
      [BLOCK.lockoutAccounts]: t.lockoutForm.nothingChosen,
      [BLOCK.lockoutReason]: t.lockoutForm.reasonMissing,
    });
  });

  it('names an invalid account of the list, and counts the others like it', async () => {
    const errors = await errorsOf(services(), {
      [BLOCK.lockoutAccounts]: input('1001 12 7 1002'),
      ...reason,
    });
    expect(errors).to.deep.equal({
      [BLOCK.lockoutAccounts]:
        '"12" is not a SIP account: an account has at least 4 characters. (and 1 more entry like it)',
    });
  });

  it('names an account a fresh directory does not list, and checks nothing when it is stale', async () => {
    const list = { [BLOCK.lockoutAccounts]: input('1001 1009'), ...reason };
    expect(await errorsOf(services({ directory: directoryOf({ app1: ['1001'] }) }), list)).to.deep.equal({
      [BLOCK.lockoutAccounts]: t.lockoutForm.unknownAccount('1009', 'Head office'),
    });
    const fakes = services({ directory: directoryOf({ app1: ['1001'] }, false) });
    await lockoutSubmitted(fakes)(submitted(list));
    expect(fakes.lockouts.prepare.firstCall.args[0].targets).to.have.length(2);
  });

  it('with several voice applications, asks which one a pasted list is of', async () => {
    const fakes = services({ apps: [HEAD_OFFICE, WAREHOUSE] });
    expect(await errorsOf(fakes, { [BLOCK.lockoutAccounts]: input('1001'), ...reason })).to.deep.equal({
      [BLOCK.lockoutApp]: t.lockoutForm.pastedAppMissing,
    });
    await lockoutSubmitted(fakes)(
      submitted({ [BLOCK.lockoutAccounts]: input('2001'), [BLOCK.lockoutApp]: select('app2'), ...reason }),
    );
    expect(fakes.lockouts.prepare.firstCall.args[0].targets).to.deep.equal([
      { account: '2001', appId: 'app2' },
    ]);
  });

  it('locks out every phone the directory lists for an application, and refuses one it lists none of', async () => {
    const fakes = services({
      apps: [HEAD_OFFICE, WAREHOUSE],
      directory: directoryOf({ app1: ['1001', '1002'], app2: [] }),
    });
    await lockoutSubmitted(fakes)(submitted({ [BLOCK.lockoutWholeApp]: select('app1'), ...reason }));
    expect(fakes.lockouts.prepare.firstCall.args[0]).to.deep.include({
      wholeAppId: 'app1',
      targets: [
        { account: '1001', appId: 'app1' },
        { account: '1002', appId: 'app1' },
      ],
    });
    fakes.lockouts.prepare.resetHistory();
    expect(await errorsOf(fakes, { [BLOCK.lockoutWholeApp]: select('app2'), ...reason })).to.deep.equal({
      [BLOCK.lockoutWholeApp]: t.lockoutForm.wholeAppEmpty('Warehouse'),
    });
    expect(
      await errorsOf(fakes, {
        [BLOCK.lockoutWholeApp]: select('app1'),
        [BLOCK.lockoutAccounts]: input('1001'),
        ...reason,
      }),
    ).to.deep.equal({ [BLOCK.lockoutWholeApp]: t.lockoutForm.wholeAppAndList });
  });

  it('refuses what is longer than its field holds, as a hostile client could send it', async () => {
    const errors = await errorsOf(services(), {
      [BLOCK.lockoutAccounts]: input('1001 '.repeat(700)),
      [BLOCK.lockoutReason]: input('x'.repeat(501)),
    });
    expect(errors).to.deep.equal({
      [BLOCK.lockoutAccounts]: t.lockoutForm.tooLong(3000, 3500),
      [BLOCK.lockoutReason]: t.lockoutForm.tooLong(500, 501),
    });
  });

  it('says the engine’s refusal on the field of the choice, and keeps the form open', async () => {
    const fakes = services();
    fakes.lockouts.prepare.rejects(new DomainError('rate_limited'));
    const args = submitted({ [BLOCK.lockoutAccounts]: input('1001'), ...reason });
    await lockoutSubmitted(fakes)(args);
    expect(args.ack.firstCall.args[0]).to.deep.equal({
      response_action: 'errors',
      errors: { [BLOCK.lockoutAccounts]: t.errors.rate_limited },
    });
  });

  it('keeps the form open with a try-again when the engine fails, logged', async () => {
    const fakes = services();
    fakes.lockouts.prepare.rejects(new Error('database is locked'));
    const args = submitted({ [BLOCK.lockoutAccounts]: input('1001'), ...reason });
    await lockoutSubmitted(fakes)(args);
    expect(args.ack.firstCall.args[0].errors).to.deep.equal({
      [BLOCK.lockoutAccounts]: t.lockoutForm.notPrepared,
    });
    expect(fakes.logger.error.calledWithMatch('could not prepare a lock-out')).to.equal(true);
  });
});

const clicked = (metadata = lockoutMetadata('camp-1')) =>
  buildArguments<AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>>({
    body: {
      type: 'block_actions',
      user: { id: 'UHANA' },
      view: { id: 'V9', hash: 'h-1', private_metadata: metadata, callback_id: VIEW.lockoutReview },
      actions: [{ type: 'button', action_id: 'sip_reset_lockout_start' }],
    },
  });

describe('listeners/actions: the lock-out review’s button', () => {
  it('starts the lock-out for its agent and says where its progress is, whatever the modal shows', async () => {
    const fakes = services();
    fakes.lockouts.start.resolves({ kind: 'thread', channel: 'CAPPROVALS', ts: '1.2' });
    const args = clicked();
    await lockoutStartClicked(fakes)(args);
    expect(args.ack.calledBefore(fakes.lockouts.start)).to.equal(true);
    expect(fakes.lockouts.start.firstCall.args).to.deep.equal(['camp-1', 'UHANA']);
    const update = args.client.views.update.firstCall.args[0];
    expect(update).to.not.have.property('hash');
    expect(update.view_id).to.equal('V9');
    expect(JSON.stringify(update.view.blocks)).to.contain('in its thread in <#CAPPROVALS>');
  });

  it('says a refusal in the modal over the review it was clicked on (its hash), and nothing on a conflict', async () => {
    const fakes = services();
    fakes.lockouts.start.rejects(new DomainError('already_decided'));
    const args = clicked();
    args.client.views.update.rejects(Object.assign(new Error('x'), { data: { error: 'hash_conflict' } }));
    await lockoutStartClicked(fakes)(args);
    const update = args.client.views.update.firstCall.args[0];
    expect(update.hash).to.equal('h-1');
    expect(JSON.stringify(update.view.blocks)).to.contain(t.errors.already_decided);
    expect(fakes.logger.warn.called).to.equal(false);
  });

  it('starts nothing for a click without a lock-out’s review', async () => {
    const fakes = services();
    const args = clicked('{"responseUrl":"x"}');
    await lockoutStartClicked(fakes)(args);
    expect(fakes.lockouts.start.called).to.equal(false);
    expect(args.client.views.update.called).to.equal(false);
  });
});
