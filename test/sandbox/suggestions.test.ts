import { expect } from 'chai';
import sinon from 'sinon';
import { Driver, type Acknowledgement, type SlashCommandForm } from '../../sandbox/slack-driver.js';
import { optionsAnswerProblem, SlackStub } from '../../sandbox/slack-stub.js';
import { catalogueFor } from '../../src/i18n/index.js';
import type { SlackServices } from '../../src/slack/services.js';
import { phoneSuggestion, SUGGESTION_LIMIT_MS } from '../../src/slack/listeners/options/phone-suggestion.js';

const option = (text: string, value: string) => ({ text: { type: 'plain_text', text }, value });

/** A driver whose "app" answers every interaction with `answer`, taking `takesMs` of a fake clock. */
class CannedDriver extends Driver<Acknowledgement> {
  constructor(
    stub: SlackStub,
    private readonly clock: sinon.SinonFakeTimers,
    private readonly answer: Record<string, unknown>,
    private readonly takesMs: number,
  ) {
    super(stub);
  }
  sendCommand(_form: SlashCommandForm): Promise<Acknowledgement> {
    return Promise.reject(new Error('not used'));
  }
  sendEvent(): Promise<Acknowledgement> {
    return Promise.reject(new Error('not used'));
  }
  sendInteraction(): Promise<Acknowledgement> {
    this.clock.tick(this.takesMs);
    return Promise.resolve({ json: () => this.answer });
  }
}

describe('Slack stand-in: block_suggestion answers', () => {
  let clock: sinon.SinonFakeTimers;
  let stub: SlackStub;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['performance', 'Date'] });
    stub = new SlackStub({ channels: {} });
    const picker = {
      type: 'input',
      block_id: 'account_phone:app1',
      label: { type: 'plain_text', text: 'SIP account' },
      element: { type: 'external_select', action_id: 'value' },
    };
    stub.views.push({ id: 'V1', user: 'U1', hash: 'V1-1', view: { type: 'modal', blocks: [picker] } });
  });
  afterEach(() => clock.restore());

  it('refuses what Slack would not show: over 100 options, a long or mrkdwn text, a long or missing value', () => {
    const many = Array.from({ length: 101 }, (_, i) => option(String(i), String(i)));
    expect(optionsAnswerProblem({ options: many.slice(0, 100) })).to.equal(undefined);
    expect(optionsAnswerProblem({ options: many })).to.match(/101 options/);
    expect(optionsAnswerProblem({ options: [option('x'.repeat(76), '1')] })).to.match(/76 characters/);
    expect(optionsAnswerProblem({ options: [{ text: { type: 'mrkdwn', text: 'x' }, value: '1' }] })).to.match(
      /plain_text/,
    );
    expect(optionsAnswerProblem({ options: [option('x', 'v'.repeat(151))] })).to.match(/value/);
    expect(optionsAnswerProblem({ options: [{ text: { type: 'plain_text', text: 'x' } }] })).to.match(
      /value/,
    );
    expect(optionsAnswerProblem({})).to.match(/no options/);
    expect(optionsAnswerProblem(null)).to.match(/not an object/);
  });

  it('fails a test whose app answers after Slack’s 3 s, or with options Slack would not show', async () => {
    const good = { options: [option('1003 · Reception desk', '1003')] };
    expect(await new CannedDriver(stub, clock, good, 2_999).suggest('U1', '10')).to.deep.equal(good.options);
    const failure = (answer: Promise<unknown>) =>
      answer.then(
        () => 'no failure',
        (error: Error) => error.message,
      );
    expect(await failure(new CannedDriver(stub, clock, good, 3_001).suggest('U1', '10'))).to.match(
      /Slack waits 3000 ms/,
    );
    const tooLong = { options: [option('x'.repeat(80), '1')] };
    expect(await failure(new CannedDriver(stub, clock, tooLong, 10).suggest('U1', '10'))).to.match(
      /would not show these options/,
    );
  });
});

describe('the picker’s answer when the database is slow', () => {
  it('is an empty list within its limit, well before Slack stops waiting', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const warnings: string[] = [];
      const services = {
        config: { itnio: { apps: [{ appId: 'app1', label: 'Head office' }] }, policy: { owners: {} } },
        phoneDirectory: { search: () => new Promise(() => undefined) },
        textsFor: () => Promise.resolve(catalogueFor('en')),
        logger: { warn: (message: string) => warnings.push(message) },
      } as unknown as SlackServices;
      const acks: unknown[] = [];
      const answered = phoneSuggestion(services)({
        ack: (response: unknown) => {
          acks.push(response);
          return Promise.resolve();
        },
        body: {
          type: 'block_suggestion',
          user: { id: 'U1' },
          block_id: 'account_phone:app1',
          action_id: 'value',
          value: '10',
        },
      } as never);
      await clock.tickAsync(SUGGESTION_LIMIT_MS - 1);
      expect(acks).to.deep.equal([]);
      await clock.tickAsync(1);
      await answered;
      expect(acks).to.deep.equal([{ options: [] }]);
      expect(warnings).to.deep.equal(['the phone directory did not answer a suggestion in time']);
      expect(SUGGESTION_LIMIT_MS).to.be.below(3_000);
    } finally {
      clock.restore();
    }
  });
});

describe('Slack stand-in: views.update', () => {
  it('replaces the view in place, and refuses an update naming an older hash or a bad view', async () => {
    const stub = new SlackStub({ channels: {}, users: { U1: 'One' } });
    await stub.start();
    try {
      const call = async (method: string, args: Record<string, unknown>) =>
        (await (
          await fetch(`${stub.apiUrl}${method}`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${stub.token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(args),
          })
        ).json()) as { ok: boolean; error?: string; view?: { id: string; hash: string } };
      const modal = (title: string) => ({
        type: 'modal',
        title: { type: 'plain_text', text: title },
        blocks: [],
      });
      const opened = await call('views.open', { trigger_id: stub.issueTrigger('U1'), view: modal('One') });
      const first = opened.view as { id: string; hash: string };
      const updated = await call('views.update', { view_id: first.id, hash: first.hash, view: modal('Two') });
      expect(updated.ok).to.equal(true);
      expect(stub.views).to.have.length(1);
      expect(stub.views[0]?.view).to.deep.equal(modal('Two'));
      expect(
        await call('views.update', { view_id: first.id, hash: first.hash, view: modal('Three') }),
      ).to.deep.equal({
        ok: false,
        error: 'hash_conflict',
      });
      expect(await call('views.update', { view_id: 'V404', view: modal('Three') })).to.include({
        error: 'not_found',
      });
      expect(
        await call('views.update', { view_id: first.id, view: modal('A title longer than Slack allows') }),
      ).to.include({ error: 'invalid_arguments' });
    } finally {
      await stub.stop();
    }
  });
});
