import { expect } from 'chai';
import fc from 'fast-check';
import { catalogueFor } from '../../src/i18n/index.js';
import { mrkdwnLabel } from '../../src/slack/blocks/format.js';
import { resetModal } from '../../src/slack/blocks/modals.js';
import { accountWithPhone, phoneLabel, phoneOption } from '../../src/slack/blocks/phones.js';
import { readFormState } from '../../src/slack/platform/form-state.js';
import { grantMessage, statusMessage } from '../../src/slack/blocks/requests.js';
import { historyText } from '../../src/slack/blocks/history.js';
import { storedRequest } from '../helpers/requests.js';
import { optionProblem } from '../../sandbox/slack-stub.js';

const t = catalogueFor('en');
const zh = catalogueFor('zh-CN');
const apps = [
  { label: 'Head office', appId: 'app1' },
  { label: 'Warehouse', appId: 'app2' },
];
const phone = { account: '1003', phoneName: 'Reception desk', groupName: 'Head office', displayNum: '1003' };

describe('Block Kit builders: the phone picker and the phone beside an account', () => {
  it('offers a phone as "1003 · Reception desk · Head office", in plain text, its value the account', () => {
    expect(phoneOption(t, phone)).to.deep.equal({
      text: { type: 'plain_text', text: '1003 · Reception desk · Head office', emoji: false },
      value: '1003',
    });
    expect(phoneOption(zh, phone)?.text.text).to.equal('1003 · Reception desk（Head office）');
    expect(phoneOption(t, { ...phone, phoneName: '' })?.text.text).to.equal('1003 · Head office');
  });

  it('keeps every option within Slack’s limits, whatever the vendor names a phone', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.string({ maxLength: 300 }),
        fc.string({ maxLength: 300 }),
        (account, phoneName, groupName) => {
          const option = phoneOption(t, { account, phoneName, groupName, displayNum: '' });
          if (account.length > 150) return option === undefined;
          return option !== undefined && optionProblem(option) === undefined && !/\n/.test(option.text.text);
        },
      ),
    );
  });

  it('shows a long name cut, and the group still', () => {
    const text =
      phoneOption(t, { ...phone, phoneName: 'N'.repeat(90), groupName: 'G'.repeat(90) })?.text.text ?? '';
    expect(text.length).to.be.at.most(75);
    expect(text).to.match(/^1003 · N+… · G+…$/);
  });

  it('puts a phone’s name beside its account in mrkdwn that cannot ping, link or format', () => {
    const hostile = { phoneName: '<!channel> *boss* _x_', groupName: '~`<@U1>`~ &' };
    const label = phoneLabel(t, hostile) ?? '';
    expect(label).not.to.match(/[<>*_~`]/);
    expect(label).to.contain('&lt;!channel&gt;').and.contain('&lt;@U1&gt;').and.contain('&amp;');
    expect(label).to.equal('&lt;!channel&gt; ∗boss∗ ˍxˍ · ∼ˋ&lt;@U1&gt;ˋ∼ &amp;');
    expect(accountWithPhone(t, '1003', { phoneName: 'Reception desk', groupName: 'Head office' })).to.equal(
      '1003 · Reception desk · Head office',
    );
    expect(accountWithPhone(zh, '1003', { phoneName: '前台', groupName: '总部' })).to.equal(
      '1003：前台（总部）',
    );
    expect(accountWithPhone(t, '1003', undefined)).to.equal('1003');
    expect(accountWithPhone(t, '1003', { phoneName: ' ', groupName: '' })).to.equal('1003');
    expect(mrkdwnLabel('a\nb\t c', 100)).to.equal('a b c');
    expect(mrkdwnLabel('x'.repeat(200), 100)).to.have.length(100);
  });

  it('shows the phone beside the account in the grant and in status, and the account alone without one', () => {
    const approved = storedRequest({
      status: 'approved',
      account: '1003',
      grantExpiresAt: Date.UTC(2026, 11, 1),
    });
    const reception = { phoneName: 'Reception desk', groupName: 'Head office' };
    const grant = grantMessage(t, {
      request: approved,
      appLabel: 'Head office',
      approvedBy: ['UBOB'],
      phone: reception,
    });
    // The notification's text says what the blocks say, the phone included.
    expect(grant.text).to.contain(
      'Your request to reset *1003 · Reception desk · Head office* (Head office)',
    );
    expect(JSON.stringify(grant.blocks)).to.contain('*1003 · Reception desk · Head office* (Head office)');
    expect(
      grantMessage(t, { request: approved, appLabel: 'Head office', approvedBy: ['UBOB'] }).text,
    ).to.contain('Your request to reset *1003* (Head office) was approved');
    const status = statusMessage(t, {
      requests: [approved, storedRequest({ id: 'r2', account: '1009' })],
      appLabel: () => 'Head office',
      phoneOf: (request) => (request.account === '1003' ? reception : undefined),
    });
    expect(
      status.text
        .split('\n')
        .slice(1, 3)
        .map((line) => line.replace(/:.*$/, '')),
    ).to.deep.equal(['• *1003 · Reception desk · Head office* (Head office)', '• *1009* (Head office)']);
  });

  it('names the account’s phone in each application listing it at the head of its history', () => {
    const reception = { phoneName: 'Reception desk', groupName: 'Head office' };
    expect(historyText(t, '1003', [], [{ appLabel: 'Head office', phone: reception }])).to.equal(
      'Nothing has been recorded for *1003 · Reception desk · Head office*.',
    );
    expect(
      historyText(
        t,
        '1003',
        [],
        [
          { appLabel: 'Head office', phone: reception },
          { appLabel: 'Ware*house', phone: { phoneName: 'Bay', groupName: 'Dock' } },
        ],
      ),
    ).to.equal(
      'Nothing has been recorded for *1003 · Reception desk · Head office (Head office); Bay · Dock (Ware∗house)*.',
    );
    expect(historyText(t, '1003', [])).to.equal('Nothing has been recorded for *1003*.');
  });

  describe('the reset form', () => {
    it('is free text by default, with the app select as before', () => {
      const modal = resetModal(t, { apps, account: '1003', metadata: {}, outlook: 'approval' });
      expect(modal.blocks[1]).to.deep.include({ block_id: 'account' });
      expect(modal.blocks[1]).to.have.nested.property('element.type', 'plain_text_input');
      expect(modal.blocks[1]).to.have.nested.property('element.initial_value', '1003');
      expect(modal.blocks[2]).to.not.have.property('dispatch_action');
      expect(modal.blocks[2]).to.have.nested.property('element.action_id', 'value');
    });

    it('picks from the chosen application’s phones, its block naming the application, the app select dispatching', () => {
      const modal = resetModal(t, {
        apps,
        metadata: {},
        outlook: 'approval',
        appId: 'app1',
        dispatchAppChoice: true,
        accountField: { kind: 'picker', appId: 'app1', appLabel: 'Head office', picked: phone },
      });
      expect(modal.blocks[1]).to.deep.equal({
        type: 'input',
        block_id: 'account_phone:app1',
        label: { type: 'plain_text', text: t.accountLabel },
        hint: { type: 'plain_text', text: t.phoneDirectory.pickerHint('Head office') },
        element: {
          type: 'external_select',
          action_id: 'value',
          min_query_length: 1,
          placeholder: { type: 'plain_text', text: t.phoneDirectory.pickerPlaceholder },
          initial_option: phoneOption(t, phone),
        },
      });
      expect(modal.blocks[2]).to.deep.include({ block_id: 'app', dispatch_action: true });
      expect(modal.blocks[2]).to.have.nested.property('element.action_id', 'sip_reset_app_chosen');
      expect(modal.blocks[2]).to.have.nested.property('element.initial_option.value', 'app1');
    });

    it('says to choose the application first while the field is free text among several', () => {
      const modal = resetModal(t, { apps, metadata: {}, outlook: 'approval', dispatchAppChoice: true });
      expect(modal.blocks[1]).to.have.nested.property('hint.text', t.phoneDirectory.chooseAppFirst);
      expect(modal.blocks[2]).to.not.have.nested.property('element.initial_option');
    });

    it('reads the account from the text field or the picker, and the app from either select', () => {
      expect(
        readFormState({
          account: { value: { type: 'plain_text_input', value: ' 1003 ' } },
          app: {
            value: {
              type: 'static_select',
              selected_option: { text: { type: 'plain_text', text: 'H' }, value: 'app1' },
            },
          },
        }),
      ).to.deep.equal({ account: '1003', accountBlock: 'account', chosenAppId: 'app1' });
      expect(
        readFormState({
          'account_phone:app2': {
            value: {
              type: 'external_select',
              selected_option: { text: { type: 'plain_text', text: '2001' }, value: '2001' },
            },
          },
          app: {
            sip_reset_app_chosen: {
              type: 'static_select',
              selected_option: { text: { type: 'plain_text', text: 'W' }, value: 'app2' },
            },
          },
        }),
      ).to.deep.equal({
        account: '2001',
        accountBlock: 'account_phone:app2',
        pickerAppId: 'app2',
        chosenAppId: 'app2',
      });
      expect(readFormState(undefined)).to.deep.equal({ account: '', accountBlock: 'account' });
    });
  });
});
