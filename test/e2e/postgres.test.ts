import { expect } from 'chai';
import pg from 'pg';
import { CAST } from '../../sandbox/world.js';
import { Cleanup } from '../helpers/cleanup.js';
import { until } from '../helpers/until.js';
import { worldOnPostgres, worldTest, type TestWorld } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

describe('e2e: on PostgreSQL, with two instances', () => {
  let world: TestWorld;
  const cleanup = new Cleanup();

  beforeEach(async function () {
    world = await worldOnPostgres(this, cleanup, {
      recordRetryDelaysMs: Array.from({ length: 12 }, () => 25),
    });
  });

  afterEach(() => cleanup.run());

  worldTest(
    'runs the approval path with clicks spread over two instances: one approval, one vendor call',
    async () => {
      const second = await world.addInstance();
      const drivers = [world.driver, second];
      await world.driver.command(CAST.employee, '9000', CAST.general);
      await world.driver.submitModal(CAST.employee, {
        account: '9000',
        app: HEAD_OFFICE,
        reason: 'reception',
      });
      const request = world.lastMessage(CAST.approvals);
      const approvers = [CAST.approver, CAST.secondApprover, CAST.helpdesk];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          drivers[i % 2]!.click(
            approvers[i % 3] as string,
            { kind: 'message', channel: request.channel, ts: request.ts },
            'sip_reset_approve',
          ),
        ),
      );
      const dms = world.slack.messages.filter((m) => m.channel === world.slack.dmOf(CAST.employee));
      expect(dms, 'one grant DM').to.have.length(1);
      const dm = dms[0]!;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          drivers[i % 2]!.click(
            CAST.employee,
            { kind: 'message', channel: dm.channel, ts: dm.ts },
            'sip_reset_claim',
          ),
        ),
      );
      expect(world.vendor.calls).to.have.length(1);
      const [stored] = await world.store.listByRequester(CAST.employee, 1);
      expect(stored?.status).to.equal('completed');
      expect(await world.store.listApprovals(stored?.id as string)).to.have.length(2);
    },
  );

  worldTest('acts once on a submission sent again to the other instance', async () => {
    const second = await world.addInstance();
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    await second.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    expect(world.vendor.calls).to.have.length(1);
    expect(await world.store.listByRequester(CAST.helpdesk, 5)).to.have.length(1);
  });

  worldTest(
    'delivers the password when PostgreSQL ends the connection writing the outcome, then records it',
    async () => {
      const operator = new pg.Client({ connectionString: world.config.databaseUrl });
      await operator.connect();
      try {
        // While the vendor works, an operator holds the request's row, so the outcome's write waits on it.
        world.vendor.duringReset.push(async () => {
          await operator.query('begin');
          await operator.query("select id from reset_requests where status = 'resetting' for update");
        });
        await world.driver.command(CAST.helpdesk, '1001', CAST.general);
        const submitted = world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
        const password = () => world.vendor.issued[0] ?? '\u0000';
        await until(() => world.privateTo(CAST.helpdesk).includes(password()), 'the password was delivered');
        // The write still waits; the server ends its connection, as a restart or failover would.
        await operator.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()`,
        );
        await operator.query('rollback');
        await submitted;
        expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]?.status).to.equal('completed');
        expect(world.logs.text()).to.contain('could not record a reset outcome; trying again');
        expect(world.vendor.calls).to.have.length(1);
      } finally {
        await operator.end();
      }
    },
  );

  worldTest('resets directly (no password in any row: checked when the world stops)', async () => {
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    expect(world.vendor.resets).to.have.length(1);
    expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]?.status).to.equal('completed');
  });

  worldTest('republishes a Home opened on one instance when the other decides', async () => {
    const second = await world.addInstance();
    await world.driver.openHome(CAST.approver);
    await world.driver.command(CAST.employee, '1001', CAST.general);
    await world.driver.submitModal(CAST.employee, {
      account: '1001',
      app: HEAD_OFFICE,
      reason: 'moved desk',
    });
    const message = world.lastMessage(CAST.approvals);
    // The second instance never saw Bob open his Home: the database tells it.
    await second.click(
      CAST.secondApprover,
      { kind: 'message', channel: message.channel, ts: message.ts },
      'sip_reset_approve',
    );
    const home = JSON.stringify(world.slack.homes.get(CAST.approver)?.view.blocks);
    expect(home).to.contain('No request is waiting').and.contain('Approved by <@UDAVE>');
  });

  worldTest('records a password no route could show as undelivered, and frees the account', async () => {
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    // The "resetting" note got through; while the vendor works, every private route dies.
    world.vendor.duringReset.push(() => {
      world.slack.failNext('response_url', 'expired_url');
      world.slack.failNext('chat.postEphemeral', 'user_not_in_channel');
      world.slack.failNext('chat.postEphemeral', 'user_not_in_channel');
    });
    await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]?.status).to.equal('undelivered');
    const types = (await world.store.auditOf('1001', 20)).map((row) => row.type);
    expect(types).to.include.members(['password_issued', 'undelivered']);
    expect(world.privateTo(CAST.helpdesk)).not.to.contain(world.vendor.issued[0]);
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]?.status).to.equal('completed');
  });
});
