import { expect } from 'chai';
import { catalogueFor } from '../../src/i18n/index.js';
import { escapeMrkdwn, slackDate } from '../../src/slack/blocks/format.js';
import {
  approvalMessage,
  grantMessage,
  passwordMessage,
  pendingNotice,
} from '../../src/slack/blocks/requests.js';
import { denyReasonModal, resetModal } from '../../src/slack/blocks/modals.js';
import type { ResetRequest } from '../../src/domain/request.js';
import { storedRequest, T0 } from '../helpers/requests.js';

const t = catalogueFor('en');
const apps = [
  { label: 'Head office', appId: 'app1' },
  { label: 'Warehouse', appId: 'app2' },
];

const request = storedRequest;

const json = (value: unknown) => JSON.stringify(value);
const actionIds = (blocks: unknown[] | undefined) =>
  (blocks ?? [])
    .filter((b) => (b as { type: string }).type === 'actions')
    .flatMap((b) => (b as { elements: Array<{ action_id: string; value: string }> }).elements)
    .map((e) => `${e.action_id}=${e.value}`);

describe('Block Kit builders', () => {
  describe('format', () => {
    it('escapes what could mention, link or ping', () => {
      expect(escapeMrkdwn('<!channel> & <@U1> <https://x|y>')).to.equal(
        '&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;',
      );
    });

    it('renders a date token with a UTC fallback', () => {
      expect(slackDate(T0, t.dateFormat)).to.equal(
        `<!date^${T0 / 1000}^{date_short_pretty} at {time}|2026-11-29 09:00 UTC>`,
      );
    });
  });

  describe('reset modal', () => {
    it('shows the app select only when several apps are configured, labels shown, IDs sent', () => {
      const two = resetModal(t, { apps, metadata: {}, outlook: 'either' });
      const select = two.blocks.find((b) => b.block_id === 'app') as unknown as {
        element: { options: Array<{ text: { text: string }; value: string }> };
      };
      expect(select.element.options.map((o) => [o.text.text, o.value])).to.deep.equal([
        ['Head office', 'app1'],
        ['Warehouse', 'app2'],
      ]);
      const one = resetModal(t, { apps: [apps[0]!], metadata: {}, outlook: 'either' });
      expect(one.blocks.map((b) => b.block_id)).to.deep.equal([undefined, 'account', 'reason']);
    });

    it('prefills the account and carries where to answer privately', () => {
      const view = resetModal(t, {
        apps,
        account: '1001',
        outlook: 'direct',
        metadata: { responseUrl: 'https://hooks.example/r', channelId: 'C1' },
      });
      expect(json(view.blocks[1])).to.contain('"initial_value":"1001"');
      expect(JSON.parse(view.private_metadata ?? '')).to.deep.equal({
        responseUrl: 'https://hooks.example/r',
        channelId: 'C1',
      });
      expect(view.callback_id).to.equal('sip_reset_request');
    });

    it('asks the denier for an optional reason, carrying the request ID', () => {
      const view = denyReasonModal(t, request({ account: '<x>' }));
      expect(view.private_metadata).to.equal('req-1');
      expect(json(view.blocks)).to.contain('&lt;x&gt;').and.contain('"optional":true');
    });
  });

  describe('password message', () => {
    const message = passwordMessage(t, {
      account: '1001',
      appLabel: 'Head office',
      password: 'Zi6CsOka',
    });

    it('shows the password in a preformatted block, never in the notification text', () => {
      expect(message.text).not.to.contain('Zi6CsOka');
      const rich = message.blocks?.find((b) => b.type === 'rich_text');
      expect(json(rich)).to.contain('"rich_text_preformatted"').and.contain('"text":"Zi6CsOka"');
      expect(json(message.blocks), 'no removal the app cannot perform').not.to.match(/removed in|minutes/);
      expect(json(message.blocks)).to.contain('Slack drops it when you reload');
      expect(actionIds(message.blocks)).to.deep.equal(['sip_reset_remove_password=remove']);
    });
  });

  describe('approval channel message', () => {
    it('has Approve and Deny while pending, and escapes user text', () => {
      const message = approvalMessage(t, {
        request: request({ reason: '<!channel> please', account: '10&1' }),
        appLabel: 'Head office',
        approvals: [],
        protectedAccount: false,
      });
      expect(actionIds(message.blocks)).to.deep.equal(['sip_reset_approve=req-1', 'sip_reset_deny=req-1']);
      const text = json(message.blocks);
      expect(text)
        .to.contain('&lt;!channel&gt; please')
        .and.contain('10&amp;1')
        .and.not.contain('<!channel>');
      expect(text).to.contain('0 of 1').and.not.contain('Protected');
    });

    it("shows the phone's name and group from the directory, escaped, and says when the account could not be checked", () => {
      const message = approvalMessage(t, {
        request: request({ account: '1003' }),
        appLabel: 'Head office',
        approvals: [],
        protectedAccount: false,
        phone: { phoneName: '<!here> *Reception*', groupName: 'HQ & <@U1>' },
        accountUnchecked: true,
      });
      const text = json(message.blocks);
      // mrkdwn has no escape for * (PLATFORM.md): a look-alike that formats nothing.
      expect(text).to.contain('1003\\n&lt;!here&gt; ∗Reception∗ · HQ &amp; &lt;@U1&gt;');
      expect(text).not.to.contain('<!here>').and.not.contain('<@U1>');
      expect(text).to.contain(t.phoneDirectory.unchecked);
    });

    for (const locale of ['en', 'zh-CN'] as const) {
      it(`${locale}: says whose phone and that it could not be checked in the text notifications and screen readers read`, () => {
        const texts = catalogueFor(locale);
        const phone = { phoneName: '<!here> *Reception*', groupName: 'HQ & <@U1>' };
        const options = {
          request: request({ account: '1003' }),
          appLabel: 'Head office',
          approvals: [],
          protectedAccount: false,
        };
        const message = approvalMessage(texts, { ...options, phone, accountUnchecked: true });
        // As the blocks show it: escaped, unable to ping or format.
        expect(message.text).to.contain('&lt;!here&gt; ∗Reception∗').and.contain('HQ &amp; &lt;@U1&gt;');
        expect(message.text).not.to.contain('<!here>').and.not.contain('<@U1>');
        expect(message.text).to.contain(texts.phoneDirectory.unchecked);
        const plain = approvalMessage(texts, options).text;
        expect(plain).not.to.contain('Reception').and.not.contain(texts.phoneDirectory.unchecked);
      });
    }

    it('shows who approved, and the outcome without buttons once decided', () => {
      const message = approvalMessage(t, {
        request: request({
          status: 'denied',
          decidedBy: 'UBOB',
          decidedAt: T0,
          denyReason: 'no <@U1>',
          requiredApprovals: 2,
        }),
        appLabel: 'Head office',
        approvals: [{ requestId: 'req-1', approverId: 'UDAVE', at: T0 }],
        protectedAccount: true,
      });
      expect(actionIds(message.blocks)).to.deep.equal([]);
      const text = json(message.blocks);
      expect(text)
        .to.contain('1 of 2: <@UDAVE>')
        .and.contain('Denied by <@UBOB>')
        .and.contain('no &lt;@U1&gt;');
      expect(text).to.contain('Protected account');
    });

    it('says where every other state ended up', () => {
      const states: Array<[Partial<ResetRequest>, RegExp]> = [
        [{ status: 'approved', decidedBy: 'UBOB', decidedAt: T0 }, /Approved by <@UBOB>/],
        [{ status: 'resetting', resetStartedAt: T0 }, /under way/],
        [{ status: 'completed', finishedAt: T0 }, /Password reset/],
        [{ status: 'expired' }, /Expired/],
        [{ status: 'cancelled' }, /Cancelled by the requester/],
        [
          { status: 'cancelled', failureCode: 'database_failed' },
          /Withdrawn by sip-reset.*Nothing was reset/,
        ],
        [
          { status: 'failed', failureCode: 'account_not_found', finishedAt: T0 },
          /failed .*: ITNIO has no such account\. Nothing was changed/,
        ],
        [{ status: 'outcome_unknown', finishedAt: T0 }, /outcome unknown/],
      ];
      for (const [changes, expected] of states) {
        const message = approvalMessage(t, {
          request: request(changes),
          appLabel: 'A',
          approvals: [],
          protectedAccount: false,
        });
        expect(json(message.blocks), String(changes.status)).to.match(expected);
        expect(actionIds(message.blocks)).to.deep.equal([]);
      }
    });
  });

  describe('requester messages', () => {
    it("offers Cancel on the pending note, with the request's expiry", () => {
      const message = pendingNotice(t, {
        request: request(),
        appLabel: 'Head office',
        approvalChannel: 'CAPP',
      });
      expect(message.text)
        .to.contain('<#CAPP>')
        .and.contain(`<!date^${(T0 + 3_600_000) / 1000}^`);
      expect(actionIds(message.blocks)).to.deep.equal(['sip_reset_cancel=req-1']);
    });

    it('offers the reset button only while approved, naming every approver', () => {
      const approved = grantMessage(t, {
        request: request({ status: 'approved', grantExpiresAt: T0 + 1000 }),
        appLabel: 'Head office',
        approvedBy: ['UBOB', 'UDAVE'],
      });
      expect(actionIds(approved.blocks)).to.deep.equal(['sip_reset_claim=req-1']);
      expect(json(approved.blocks)).to.contain('<@UBOB>, <@UDAVE>');
      for (const status of ['completed', 'expired', 'outcome_unknown', 'cancelled'] as const) {
        const message = grantMessage(t, {
          request: request({ status }),
          appLabel: 'Head office',
          approvedBy: [],
        });
        expect(actionIds(message.blocks), status).to.deep.equal([]);
      }
    });
  });
});
