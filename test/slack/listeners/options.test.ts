import { expect } from 'chai';
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import sinon from 'sinon';
import type { PhoneDirectory } from '../../../src/domain/directory.js';
import type { SlackServices } from '../../../src/slack/services.js';
import {
  phoneSuggestion,
  SUGGESTION_LIMIT_MS,
} from '../../../src/slack/listeners/options/phone-suggestion.js';
import { accountPickerBlock, INPUT_ACTION } from '../../../src/slack/platform/ids.js';
import { buildArguments, fakeServices } from '../../helpers/listener-args.js';

type Suggestion = AllMiddlewareArgs & SlackOptionsMiddlewareArgs<'block_suggestion'>;

const typedIn = (blockId: string, value: string) =>
  buildArguments<Suggestion>({
    body: {
      type: 'block_suggestion',
      user: { id: 'UALICE' },
      block_id: blockId,
      action_id: INPUT_ACTION,
      value,
    },
  });

/** Services with a phone directory whose search is this stub, and Alice owning phone 1001. */
function withDirectory(search: sinon.SinonStub) {
  const config = {
    itnio: { apps: [{ appId: 'app1', label: 'Head office' }] },
    policy: { owners: { UALICE: ['1001'] } },
  } as unknown as SlackServices['config'];
  return fakeServices({ config, phoneDirectory: { search } as unknown as PhoneDirectory });
}

describe("listeners/options: the reset form's phone picker", () => {
  it("answers with the application's phones matching what was typed, the person's own first", async () => {
    const search = sinon
      .stub()
      .resolves([{ account: '1001', phoneName: 'Desk', groupName: 'Sales', displayNum: '1001' }]);
    const services = withDirectory(search);
    const args = typedIn(accountPickerBlock('app1'), ' 10 ');
    await phoneSuggestion(services)(args);
    expect(search.firstCall.args.slice(0, 3)).to.deep.equal(['app1', '10', ['1001']]);
    const { options } = args.ack.firstCall.args[0];
    expect(options).to.have.length(1);
    expect(options[0].value).to.equal('1001');
  });

  it('answers an empty list at once for an application not configured, searching nothing', async () => {
    const search = sinon.stub().resolves([]);
    const args = typedIn(accountPickerBlock('elsewhere'), '10');
    await phoneSuggestion(withDirectory(search))(args);
    expect(args.ack.firstCall.args[0]).to.deep.equal({ options: [] });
    expect(search.called).to.equal(false);
  });

  it('answers an empty list without a phone directory', async () => {
    const args = typedIn(accountPickerBlock('app1'), '10');
    await phoneSuggestion(fakeServices())(args);
    expect(args.ack.firstCall.args[0]).to.deep.equal({ options: [] });
  });

  it('answers an empty list, logged, when the directory is slower than Slack waits', async () => {
    const clock = sinon.useFakeTimers();
    try {
      const services = withDirectory(sinon.stub().returns(new Promise(() => undefined)));
      const args = typedIn(accountPickerBlock('app1'), '10');
      const answered = phoneSuggestion(services)(args);
      await clock.tickAsync(SUGGESTION_LIMIT_MS);
      await answered;
      expect(args.ack.firstCall.args[0]).to.deep.equal({ options: [] });
      expect(services.logger.warn.calledOnce).to.equal(true);
    } finally {
      clock.restore();
    }
  });
});
