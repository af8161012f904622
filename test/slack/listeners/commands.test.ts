import { expect } from 'chai';
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import sinon from 'sinon';
import { catalogueFor } from '../../../src/i18n/index.js';
import { sipResetCommand } from '../../../src/slack/listeners/commands/sip-reset.js';
import { COMMAND, VIEW } from '../../../src/slack/platform/ids.js';
import { buildArguments, fakeServices } from '../../helpers/listener-args.js';
import { storedRequest } from '../../helpers/requests.js';

const t = catalogueFor('en');

const typed = (text: string) =>
  buildArguments<AllMiddlewareArgs & SlackCommandMiddlewareArgs>({
    command: {
      command: COMMAND,
      text,
      user_id: 'UALICE',
      channel_id: 'CGEN',
      trigger_id: 'trigger-3',
      response_url: 'https://hooks.example/cmd',
    },
  });

describe('listeners/commands: /sip-reset', () => {
  it('answers help in the ack itself, privately, and opens nothing', async () => {
    const services = fakeServices();
    const args = typed('help');
    await sipResetCommand(services)(args);
    expect(args.ack.firstCall.args[0]).to.deep.equal({ response_type: 'ephemeral', text: t.help(COMMAND) });
    expect(args.client.views.open.called).to.equal(false);
  });

  it('refuses an account longer than the form holds, saying how long it was', async () => {
    const services = fakeServices();
    const args = typed('1'.repeat(40));
    await sipResetCommand(services)(args);
    expect(args.ack.firstCall.args[0]).to.deep.equal({
      response_type: 'ephemeral',
      text: t.argumentTooLong(COMMAND, 40),
    });
    expect(args.client.views.open.called).to.equal(false);
  });

  it('opens the form for the account typed, carrying the way back, then warms the user groups', async () => {
    const services = fakeServices();
    services.intake.outlook.resolves('approval');
    const args = typed('1001');
    await sipResetCommand(services)(args);
    expect(args.ack.calledOnceWithExactly()).to.equal(true);
    const open = args.client.views.open.firstCall.args[0];
    expect(open.trigger_id).to.equal('trigger-3');
    expect(open.view.callback_id).to.equal(VIEW.resetRequest);
    expect(JSON.parse(open.view.private_metadata)).to.deep.equal({
      responseUrl: 'https://hooks.example/cmd',
      channelId: 'CGEN',
    });
    expect(JSON.stringify(open.view.blocks)).to.include('"initial_value":"1001"');
    expect(services.directory.warm.calledOnce).to.equal(true);
  });

  it('says something went wrong when the form cannot open', async () => {
    const services = fakeServices();
    const args = typed('');
    args.client.views.open.rejects(new Error('expired_trigger_id'));
    await sipResetCommand(services)(args);
    expect(args.respond.firstCall.args[0]).to.deep.equal({
      response_type: 'ephemeral',
      text: t.unexpectedError,
    });
    expect(services.directory.warm.called).to.equal(false);
  });

  describe('status', () => {
    it('acks first, then answers with the open requests of who asked', async () => {
      const services = fakeServices();
      services.queries.openRequestsOf.callsFake(async () => {
        expect(args.ack.calledOnce, 'acknowledged before the read').to.equal(true);
        return [storedRequest()];
      });
      const args = typed('status');
      await sipResetCommand(services)(args);
      expect(services.queries.openRequestsOf.calledOnceWith('UALICE')).to.equal(true);
      const answer = args.respond.firstCall.args[0];
      expect(answer.response_type).to.equal('ephemeral');
      expect(JSON.stringify(answer)).to.include('1001');
    });

    it('tells the person to try again when the database does not answer in time', async () => {
      const clock = sinon.useFakeTimers();
      try {
        const services = fakeServices();
        services.queries.openRequestsOf.returns(new Promise(() => undefined));
        const args = typed('status');
        const answered = sipResetCommand(services)(args);
        await clock.tickAsync(services.answerReadLimitMs);
        await answered;
        expect(args.respond.firstCall.args[0]).to.deep.equal({
          response_type: 'ephemeral',
          text: t.statusUnavailable,
        });
        expect(services.logger.warn.calledOnce).to.equal(true);
      } finally {
        clock.restore();
      }
    });
  });

  it('history without an account answers its usage, and reads nothing', async () => {
    const services = fakeServices();
    const args = typed('history');
    await sipResetCommand(services)(args);
    expect(args.ack.calledOnce).to.equal(true);
    expect(args.respond.firstCall.args[0]).to.deep.equal({
      response_type: 'ephemeral',
      text: t.history.usage(COMMAND),
    });
    expect(services.queries.history.called).to.equal(false);
  });

  it('history refused for who may not see it says so', async () => {
    const services = fakeServices();
    services.queries.history.resolves(undefined);
    const args = typed('history 1001');
    await sipResetCommand(services)(args);
    expect(services.queries.history.calledOnceWith('UALICE', '1001')).to.equal(true);
    expect(args.respond.firstCall.args[0].text).to.equal(t.history.refused);
  });
});
