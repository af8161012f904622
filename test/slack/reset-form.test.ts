import { expect } from 'chai';
import sinon from 'sinon';
import { catalogueFor } from '../../src/i18n/index.js';
import type { SlackServices } from '../../src/slack/services.js';
import {
  FORM_DIRECTORY_LIMIT_MS,
  OUTLOOK_WITHIN_MS,
  openResetForm,
} from '../../src/slack/flows/reset-form.js';

const never = () => new Promise<never>(() => undefined);

describe('opening the reset form while its look-ups hang', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => clock.restore());

  it('waits for who is asking and for the phone directory side by side, not one after the other', async () => {
    const warnings: string[] = [];
    const services = {
      config: { itnio: { apps: [{ appId: 'app1', label: 'Head office' }] }, phonePicker: true },
      // Who is asking (a user group look-up) and the phone directory, both stuck.
      intake: { outlook: never },
      phoneDirectory: { states: never, findPhone: never },
      appLabel: () => 'Head office',
      logger: { warn: (message: string) => warnings.push(message), error: () => undefined },
    } as unknown as SlackServices;
    const open = sinon.fake.resolves({ ok: true });
    const client = { views: { open } } as never;

    const opened = openResetForm(services, client, {
      t: catalogueFor('en'),
      userId: 'U1',
      triggerId: 'T1',
      metadata: {},
    });
    // The trigger_id lives 3 s: the form must not spend the sum of both limits before views.open.
    const longest = Math.max(OUTLOOK_WITHIN_MS, FORM_DIRECTORY_LIMIT_MS);
    await clock.tickAsync(longest - 1);
    expect(open.called, 'not before either limit').to.equal(false);
    await clock.tickAsync(1);
    expect(open.callCount, 'opened once the longer of the two limits has passed').to.equal(1);
    expect(await opened).to.equal(true);

    const { view } = open.firstCall.args[0] as { view: { submit: { text: string }; blocks: unknown[] } };
    const t = catalogueFor('en');
    expect(view.submit.text, 'both outcomes, as nobody could say which').to.equal(t.modalSubmit.either);
    expect(JSON.stringify(view.blocks), 'free text, as the directory did not answer').to.contain(
      '"type":"plain_text_input"',
    );
    expect(warnings).to.include('the phone directory did not answer in time: the account field is free text');
  });
});
