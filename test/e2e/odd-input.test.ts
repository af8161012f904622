import { expect } from 'chai';
import type { Blocks } from '../../sandbox/slack-stub.js';
import { blocksProblem } from '../../sandbox/slack-stub.js';
import { CAST } from '../../sandbox/world.js';
import { testWorld, type TestWorld, worldTest } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
/** 32 characters, the most an account may have, each of which mrkdwn escaping lengthens. */
const ACCOUNT = '&<>'.repeat(10) + '&&';
const LABEL = 'Head office <main> & annex '.repeat(12).trim();
const REASON = 'My phone <!channel> & <@UHANA> '.repeat(97).slice(0, 3000);

describe('e2e: odd input is shown safely, within Slack’s limits', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld({
      env: { ITNIO_APP_IDS: `${LABEL}=${HEAD_OFFICE},Warehouse=Xy12ab` },
      accounts: { [HEAD_OFFICE]: [ACCOUNT] },
      locales: { [CAST.employee]: 'zh-CN' },
    });
  });
  afterEach(() => world.stop());

  worldTest(
    'a 32-character account, a 3,000-character reason and a long app label go through the whole flow',
    async () => {
      expect(REASON).to.have.length(3000);
      await world.driver.command(CAST.employee, '', CAST.general);
      await world.driver.submitModal(CAST.employee, { account: ACCOUNT, app: HEAD_OFFICE, reason: REASON });
      const approval = world.lastMessage(CAST.approvals);
      await world.driver.click(
        CAST.approver,
        { kind: 'message', channel: approval.channel, ts: approval.ts },
        'sip_reset_approve',
      );
      const grant = world.lastMessage(CAST.employee);
      await world.driver.click(
        CAST.employee,
        { kind: 'message', channel: grant.channel, ts: grant.ts },
        'sip_reset_claim',
      );
      expect(world.lastPrivate(CAST.employee, 'sip_reset_remove_password').blocks).to.be.an('array');
      expect(world.vendor.resets).to.have.length(1);

      // Everything the app sent was taken by Slack's rules, and nothing it sent can ping anyone.
      const sent = world.slack.calls.filter((c) => c.method !== 'users.info');
      for (const call of sent) {
        const blocks = (call.args.blocks ??
          (call.args.view as { blocks?: Blocks } | undefined)?.blocks) as Blocks;
        expect(blocksProblem(blocks, call.method === 'views.open' ? 100 : 50), call.method).to.equal(
          undefined,
        );
      }
      const everything = JSON.stringify(sent.filter((c) => c.method !== 'views.open'));
      expect(everything).not.to.contain('<!channel>').and.not.contain('<@UHANA>');
      expect(world.logs.text()).not.to.match(/invalid_blocks|invalid_arguments|could not/);

      const reason = (approval.blocks ?? [])
        .map((b) => JSON.stringify(b))
        .find((b) => b.includes('&lt;!channel&gt;'));
      const reasonText = (JSON.parse(reason ?? '{}') as { text: { text: string } }).text.text;
      expect(reasonText.length).to.be.at.most(3000);
      expect(reasonText.endsWith('…'), 'the cut is marked').to.equal(true);
      expect(reasonText, 'no entity is cut in half').to.match(/(&amp;|&lt;|&gt;|[^&])…$/);

      const option = (world.slack.views[0]?.view.blocks as Blocks)
        .flatMap((b) => (b.element as { options?: Array<{ text: { text: string } }> })?.options ?? [])
        .map((o) => o.text.text);
      expect(option[0]).to.have.length(75).and.match(/…$/);
      expect(JSON.stringify(approval.blocks))
        .to.contain('Head office &lt;main&gt; &amp; annex')
        .and.not.contain(LABEL);
    },
  );
});
