import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import pg from 'pg';
import { CAST } from '../../sandbox/world.js';
import sinon from 'sinon';
import { Cleanup } from '../helpers/cleanup.js';
import { requestReset, testWorld, type TestWorld, worldOnPostgres, worldTest } from '../helpers/world.js';

describe('e2e: /sip-reset status and help', () => {
  let world: TestWorld;
  let clock: number;
  beforeEach(async () => {
    clock = Date.now();
    world = await testWorld({
      now: () => clock,
      locales: { [CAST.stranger]: 'zh-CN' },
    });
  });
  afterEach(() => world.stop());

  const privateReply = () => world.slack.callsTo('response_url').at(-1)?.args ?? {};

  /** A request, a second after the one before: the status lists them by age. */
  async function requestASecondLater(user: string, account: string): Promise<void> {
    await requestReset(world, user, account, 'lost it');
    clock += 1000;
  }

  worldTest('says plainly when the person has no open request, privately and without a modal', async () => {
    await world.driver.command(CAST.employee, 'status', CAST.general);
    expect(privateReply()).to.include({
      response_type: 'ephemeral',
      text: 'You have no open reset requests.',
    });
    expect(world.slack.callsTo('views.open')).to.have.length(0);
  });

  worldTest("lists only the person's own open requests, newest first, each with its state", async () => {
    await requestASecondLater(CAST.employee, '1001');
    await requestASecondLater(CAST.employee, '<!here>');
    await requestASecondLater(CAST.employee, '1003');
    await requestASecondLater(CAST.stranger, '2001x');
    const approval = world.slack.messages.find((m) => m.text.includes('1003'));
    await world.driver.click(
      CAST.approver,
      { kind: 'message', channel: CAST.approvals, ts: approval?.ts ?? '' },
      'sip_reset_approve',
    );
    const pending = world.slack.ephemerals.find((e) => e.text.includes('&lt;!here&gt;'));
    await world.driver.click(CAST.employee, { kind: 'ephemeral', id: pending?.id ?? '' }, 'sip_reset_cancel');

    await world.driver.command(CAST.employee, 'STATUS', CAST.general);
    const text = String(privateReply().text);
    const lines = text.split('\n');
    expect(lines[0]).to.equal('Your open reset requests:');
    expect(lines.slice(1)).to.have.length(2);
    expect(lines[1]).to.match(
      /^• \*1003\* \(Head office\): approved: at the phone, press \*Reset now and show password\* in your DM/,
    );
    expect(lines[2]).to.match(/^• \*1001\* \(Head office\): waiting for approval, expires <!date\^\d+\^/);
    expect(text).not.to.contain('2001x').and.not.contain('here');
  });

  worldTest('answers in the person’s language', async () => {
    await requestASecondLater(CAST.stranger, '1001');
    await world.driver.command(CAST.stranger, 'status', CAST.general);
    const text = String(privateReply().text);
    expect(text).to.match(/^你未完成的重置申请：\n• \*1001\* （Head office）：等待审批，将于 <!date/);
  });

  worldTest('help says what the command does and who may do what', async () => {
    const text = String((await world.driver.command(CAST.employee, 'help', CAST.general)).json().text);
    expect(text).to.contain('Helpdesk agents and the owner of an account reset it at once');
    expect(text).to.contain('`/sip-reset status` lists your open requests');
  });

  worldTest('acknowledges at once and answers privately after, with a database that answers', async () => {
    const answer = await world.driver.command(CAST.employee, 'status', CAST.general);
    expect(answer.status).to.equal(200);
    expect(answer.body, 'a plain acknowledgement, not the answer').to.equal('');
    expect(privateReply()).to.include({
      response_type: 'ephemeral',
      text: 'You have no open reset requests.',
    });
  });

  for (const [user, line] of [
    [CAST.employee, /could not be read just now\. Try again/],
    [CAST.stranger, /暂时无法读取你的申请，请一分钟后再试。/],
  ] as const) {
    worldTest(
      `tells ${user} to try again when the database does not answer, after acknowledging`,
      async () => {
        // A write lock held by another connection does not stop reads in WAL mode: the read itself
        // is made to fail as SQLite does once the store's wait has passed.
        const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        const read = sinon.stub(world.store, 'listByRequester').rejects(busy);
        try {
          const answer = await world.driver.command(user, 'status', CAST.general);
          expect(answer.status).to.equal(200);
          expect(answer.body).to.equal('');
        } finally {
          read.restore();
        }
        expect(privateReply()).to.include({ response_type: 'ephemeral' });
        expect(String(privateReply().text)).to.match(line);
      },
    );
  }
});

describe('e2e: /sip-reset status and history, with a PostgreSQL table locked by another connection', () => {
  let world: TestWorld;
  let locker: pg.Client;
  const cleanup = new Cleanup();

  beforeEach(async function () {
    // Slack is answered as soon as a listener acks, as in production.
    world = await worldOnPostgres(this, cleanup, {
      ackBeforeWork: true,
      answerReadLimitMs: 300,
      locales: { [CAST.stranger]: 'zh-CN' },
    });
    locker = new pg.Client({ connectionString: world.config.databaseUrl });
    await locker.connect();
    cleanup.add(() => locker.end());
  });

  afterEach(() => cleanup.run());

  /** Holds every read of these tables back until the returned function is called. */
  async function lockTables(...tables: string[]): Promise<() => Promise<void>> {
    await locker.query('begin');
    await locker.query(`lock table ${tables.join(', ')} in access exclusive mode`);
    return async () => {
      await locker.query('rollback');
    };
  }

  /** The private answers the person got, once there are `count` of them (looked at every 5 ms, at most 5 s). */
  async function privateAnswers(count: number): Promise<string[]> {
    const texts = () => world.slack.callsTo('response_url').map((call) => String(call.args.text));
    for (let waited = 0; texts().length < count && waited < 5_000; waited += 5) await delay(5);
    return texts();
  }

  for (const [user, line] of [
    [CAST.employee, 'Your requests could not be read just now. Try again in a minute.'],
    [CAST.stranger, '暂时无法读取你的申请，请一分钟后再试。'],
  ] as const) {
    worldTest(
      `status: acknowledged while the table is locked, then ${user} is told to try again`,
      async () => {
        const release = await lockTables('reset_requests');
        try {
          // Answered while the lock is held: an ack that waited for the database would never come.
          const answer = await world.driver.command(user, 'status', CAST.general);
          expect(answer.status).to.equal(200);
          expect(answer.body).to.equal('');
          expect(await privateAnswers(1)).to.deep.equal([line]);
        } finally {
          await release();
        }
        await world.driver.command(user, 'status', CAST.general);
        expect((await privateAnswers(2))[1]).to.not.equal(line);
      },
    );
  }

  worldTest(
    'history: acknowledged while the audit trail is locked, then the agent is told to try again',
    async () => {
      const release = await lockTables('audit_events');
      try {
        const answer = await world.driver.command(CAST.helpdesk, 'history 1003', CAST.general);
        expect(answer.status).to.equal(200);
        expect(answer.body).to.equal('');
        expect(await privateAnswers(1)).to.deep.equal([
          'The history could not be read just now. Try again in a minute.',
        ]);
      } finally {
        await release();
      }
      await world.driver.command(CAST.helpdesk, 'history 1003', CAST.general);
      expect((await privateAnswers(2))[1]).to.not.contain('could not be read');
    },
  );
});
