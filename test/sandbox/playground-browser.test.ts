import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Playground } from '../../sandbox/playground/playground.js';
import { ensureBuilt } from '../helpers/child.js';

/** Debian's Chromium (`apt-get install chromium`), driven by playwright-core: no browser download. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** As this machine's probe starts it: no sandbox as root, and no calls home on a closed network. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/**
 * The screenshot the docs show. It is rewritten only when missing or asked for
 * (PLAYGROUND_SCREENSHOT=1): each run's differs (its password, its times), and `npm test` should
 * leave the working tree as it found it.
 */
const DOCS_SCREENSHOT = resolve('docs/playground.png');

/** How often a text occurs in another. */
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the playground, in a real headless Chromium', function () {
  // Building dist/ (done once per run, by the helper's hook) and starting Chromium take seconds on
  // a busy machine; the flow itself takes a few.
  this.timeout(60_000);
  let playground: Playground | undefined;
  let browser: Browser | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI === 'true')
        throw new Error(`CI must run the browser test: no Chromium at ${CHROMIUM} (.ci/run installs it)`);
      process.stderr.write(
        `  skipping the playground's browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`,
      );
      this.skip();
    }
    ensureBuilt();
    playground = await Playground.start({ port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  });

  after(async () => {
    await browser?.close();
    await playground?.stop();
  });

  /** A person's Slack: their own browser context, as each person has their own client. */
  async function openAs(user: string, place: string): Promise<Page> {
    const context = await (browser as Browser).newContext({ viewport: { width: 1280, height: 760 } });
    const page = await context.newPage();
    await page.goto(`${(playground as Playground).url}/?as=${user}&tz=Asia/Shanghai&place=${place}`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  it('walks a request from Alice through Bob to her phone; the password shows once, to her alone', async () => {
    const vendor = (playground as Playground).vendor;
    const [alice, bob, dave] = await Promise.all([
      openAs('UALICE', 'CGENERAL'),
      openAs('UBOB', 'CAPPROVALS'),
      openAs('UDAVE', 'CAPPROVALS'),
    ]);

    await alice.fill('#composer-input', '/sip-reset 1003');
    await alice.press('#composer-input', 'Enter');
    await alice.waitForSelector('#modal-layer:not([hidden])');
    // The playground's directory lists the stand-in's phones: the account field is the picker, 1003 picked.
    expect(await alice.inputValue('#modal-body [data-block-id="account_phone:4luaKsL2"] input')).to.equal(
      '1003 · Phone 1003 · Default',
    );
    // Choosing the application makes the app rebuild the form (views.update) after it has acked;
    // submitting before that redraw would have its field errors drawn over by it.
    const drawn = await alice.getAttribute('#modal-layer', 'data-key');
    await alice.selectOption('#modal-body [data-block-id="app"] select', '4luaKsL2');
    expect(drawn, 'the modal drawn names its version').to.be.a('string');
    await alice.waitForSelector(`#modal-layer[data-key]:not([data-key="${drawn}"])`, { state: 'attached' });
    await alice.click('#modal-submit');
    const reasonError = alice.locator('#modal-body [data-block-id="reason"] .field-error');
    await reasonError.waitFor({ state: 'visible' });
    expect(await reasonError.textContent()).to.equal('This reset needs an approval: tell the approver why.');

    const hostile = `<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> & <!channel> <@UBOB>`;
    await alice.fill('#modal-body [data-block-id="reason"] textarea', hostile);
    await alice.click('#modal-submit');
    await alice.waitForSelector('#modal-layer', { state: 'hidden' });
    const pending = alice.locator('.msg.ephemeral', { hasText: 'waiting for approval' });
    await pending.waitFor();
    expect(await pending.locator('.only-you').textContent()).to.equal('Only visible to you');

    // Bob and Dave see it arrive in #phone-approvals without reloading.
    const requestAt = (page: Page) =>
      page.locator('.msg[data-channel="CAPPROVALS"]').filter({ hasText: 'window.pwned' });
    await Promise.all([requestAt(bob).waitFor(), requestAt(dave).waitFor()]);
    const shown = await requestAt(bob).innerText();
    expect(shown, 'the typed reason, as typed').to.contain(hostile);
    expect(await requestAt(bob).locator('img, script, .mention.broadcast').count()).to.equal(0);
    expect(await bob.evaluate(() => (globalThis as { pwned?: number }).pwned)).to.equal(undefined);

    await requestAt(bob).locator('[data-action-id="sip_reset_approve"]').click();
    await requestAt(dave).filter({ hasText: 'Approved by @Bob' }).waitFor();
    expect(await requestAt(dave).locator('[data-action-id="sip_reset_approve"]').count()).to.equal(0);

    await alice.click('a.place[data-place="DUALICE"]');
    await alice.click('[data-action-id="sip_reset_claim"]');
    // Slack asks first, naming the account, as the old password stops working at once.
    const confirmation = alice.locator('#confirm-layer .confirm');
    expect(await confirmation.innerText()).to.contain('1003');
    await alice.click('#confirm-layer .confirm-ok');
    const passwordBlock = alice.locator('.msg.ephemeral .pre');
    await passwordBlock.waitFor();
    await alice.locator('.vendor-call.ok', { hasText: '1003' }).waitFor();
    expect(vendor.resets.map((call) => call.account)).to.deep.equal(['1003']);
    const [password] = vendor.issued;
    expect(password).to.be.a('string');
    expect(await passwordBlock.innerText()).to.equal(password);
    expect(occurrences(await alice.content(), password as string), "in Alice's page").to.equal(1);

    await alice.screenshot({
      path:
        process.env.PLAYGROUND_SCREENSHOT === '1' || !existsSync(DOCS_SCREENSHOT)
          ? DOCS_SCREENSHOT
          : join(tmpdir(), 'sip-reset-playground.png'),
    });

    // Nowhere Bob or Dave can look: every conversation, the Home tab and the side panel.
    for (const [page, dm] of [
      [bob, 'DUBOB'],
      [dave, 'DUDAVE'],
    ] as const) {
      for (const place of ['CGENERAL', 'CAPPROVALS', dm, 'home']) {
        await page.click(`a.place[data-place="${place}"]`);
        await page.waitForSelector(`a.place.current[data-place="${place}"]`);
        expect(await page.content(), `${dm.slice(1)} in ${place}`).not.to.contain(password);
      }
    }

    // Ephemeral messages are gone once Alice reloads, as in Slack; her DM says the reset is done.
    await alice.reload();
    await alice.waitForSelector('body[data-ready="true"]');
    await alice.locator('.msg', { hasText: 'was reset' }).first().waitFor();
    expect(await alice.content()).not.to.contain(password);
    expect(await alice.locator('.msg.ephemeral').count()).to.equal(0);
  });

  it("locks out two phones picked from the directory: the review's confirmed button, the progress in a thread, the owner's button", async () => {
    const vendor = (playground as Playground).vendor;
    const resetsBefore = vendor.resets.length;
    const [hana, carol] = await Promise.all([openAs('UHANA', 'CAPPROVALS'), openAs('UCAROL', 'DUCAROL')]);

    await hana.fill('#composer-input', '/sip-reset lockout');
    await hana.press('#composer-input', 'Enter');
    await hana.waitForSelector('#modal-layer:not([hidden])');
    const picker = hana.locator('#modal-body [data-block-id="account_phone:4luaKsL2"] .typeahead.multi');
    const pickPhone = async (typed: string, account: string) => {
      await picker.locator('.typeahead-input').fill(typed);
      await picker.locator('.suggestions li', { hasText: account }).click();
      await picker.locator('.chip', { hasText: account }).waitFor();
    };
    await pickPhone('100', '1002');
    await pickPhone('100', '1003');
    // Each picked phone is a chip, and is no longer offered; a chip's cross takes it back.
    await picker.locator('.typeahead-input').fill('100');
    const offered = picker.locator('.suggestions:not([hidden]) li');
    await offered.filter({ hasText: '1001' }).waitFor();
    const offers = await offered.allInnerTexts();
    expect(
      offers.filter((text) => /100[23]/.test(text)),
      'offered again',
    ).to.deep.equal([]);
    await offered.filter({ hasText: '1001' }).click();
    await picker.locator('.chip', { hasText: '1001' }).locator('.chip-remove').click();
    await picker.locator('.chip', { hasText: '1001' }).waitFor({ state: 'detached' });
    expect(
      await picker.locator('.chip').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-value'))),
    ).to.deep.equal(['1002', '1003']);
    await hana.fill(
      '#modal-body [data-block-id="lockout_reason"] textarea',
      'Stolen phones, <b>ticket</b> 42',
    );
    await hana.click('#modal-submit');

    // The review replaces the form (response_action update): its danger button asks first.
    const start = hana.locator('#modal-body [data-action-id="sip_reset_lockout_start"]');
    await start.waitFor();
    expect(await start.innerText()).to.equal('Lock out 2 phones');
    const review = await hana.locator('#modal-body').innerText();
    expect(review).to.contain('1002').and.contain('1003').and.not.contain('1001');
    expect(await hana.locator('#modal-submit').isHidden()).to.equal(true);
    await start.click();
    const confirmation = hana.locator('#confirm-layer .confirm');
    await confirmation.waitFor();
    expect(await confirmation.getAttribute('data-style')).to.equal('danger');
    await hana.click('#confirm-layer .confirm-ok');
    // The app's views.update says where the progress is.
    await hana.locator('#modal-title', { hasText: 'Lock-out started' }).waitFor();
    await hana.click('#modal-close');
    await hana.waitForSelector('#modal-layer', { state: 'hidden' });

    // The parent message in #phone-approvals, and in its thread the progress, which ends as the summary.
    const parent = hana.locator('.msg[data-channel="CAPPROVALS"]', {
      hasText: 'Lock-out of 2 phones started',
    });
    await parent.waitFor();
    expect(await parent.innerText(), 'the reason, as typed').to.contain('Stolen phones, <b>ticket</b> 42');
    await parent
      .locator('.thread .msg.reply', { hasText: 'Lock-out finished: 2 of 2 phones locked out.' })
      .waitFor();
    expect(vendor.resets.slice(resetsBefore).map((call) => call.account)).to.have.members(['1002', '1003']);

    // Carol owns 1002: her DM offers her a new password, behind its own confirmation.
    const offer = carol.locator('.msg[data-channel="DUCAROL"]', { hasText: '1002' });
    await offer.locator('button.slack-button', { hasText: 'Get a new password' }).waitFor();
    // The lock-out's passwords were discarded: no page shows one.
    const discarded = vendor.issued.slice(-2);
    for (const page of [hana, carol])
      for (const password of discarded) expect(await page.content()).not.to.contain(password);
  });
});
