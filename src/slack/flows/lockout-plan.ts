import { checkAccount } from '../../domain/account.js';
import { parseAccountList } from '../../domain/account-list.js';
import type { PhoneDirectory } from '../../domain/directory.js';
import type { Texts } from '../../i18n/index.js';
import { LOCKOUT_REASON_MAX, PASTED_LIST_MAX } from '../blocks/lockout-form.js';
import { ACCOUNT_PICKER_PREFIX, BLOCK, accountPickerBlock } from '../platform/ids.js';
import type { LockoutFormState } from '../platform/lockout-form-state.js';
import { withinTime } from '../platform/within-time.js';
import type { SlackServices } from '../services.js';
import type { LockoutPlan, LockoutTarget } from './lockout-launcher.js';
import { errorMessage } from '../../domain/errors.js';

/** Field errors by block ID, as `response_action: 'errors'` carries them. */
export type FieldErrors = Record<string, string>;

/** A submitted lock-out form: the plan to prepare, or what is wrong with it, field by field. */
export type PlanOutcome = { kind: 'plan'; plan: LockoutPlan } | { kind: 'errors'; errors: FieldErrors };

/**
 * How long a submission waits for the phone directory (the pasted accounts checked, or every phone of
 * an application read): Slack waits 3 s for the answer, and preparing the lock-out comes after.
 */
export const PLAN_DIRECTORY_MS = 1_000;

const characters = (text: string) => [...text].length;

/** The form's fields checked one by one, without the directory: each block's first problem. */
function fieldProblems(
  services: SlackServices,
  t: Texts,
  form: LockoutFormState,
): { errors: FieldErrors; pasted: string[] } {
  const text = t.lockoutForm;
  const apps = services.config.itnio.apps;
  const known = (appId: string | undefined) => apps.some((app) => app.appId === appId);
  const errors: FieldErrors = {};
  const say = (blockId: string, error: string) => {
    errors[blockId] ??= error;
  };
  const badAccounts = (
    blockId: string,
    refused: Array<{ account: string; problem: keyof typeof text.accountProblem }>,
  ) => {
    const [first] = refused;
    if (!first) return;
    const more = refused.length > 1 ? text.moreBadAccounts(refused.length - 1) : '';
    say(blockId, text.badAccount(first.account, text.accountProblem[first.problem]) + more);
  };

  if (!form.reason) say(BLOCK.lockoutReason, text.reasonMissing);
  else if (characters(form.reason) > LOCKOUT_REASON_MAX)
    say(BLOCK.lockoutReason, text.tooLong(LOCKOUT_REASON_MAX, characters(form.reason)));

  let pasted: string[] = [];
  if (characters(form.pasted) > PASTED_LIST_MAX) {
    say(BLOCK.lockoutAccounts, text.tooLong(PASTED_LIST_MAX, characters(form.pasted)));
  } else {
    const list = parseAccountList(form.pasted);
    badAccounts(BLOCK.lockoutAccounts, list.refused);
    pasted = list.accounts;
  }
  // With every phone of an application chosen as well, "not both" is what to say, not which application.
  if (pasted.length > 0 && apps.length > 1 && form.wholeAppId === undefined) {
    if (!form.pastedAppId) say(BLOCK.lockoutApp, text.pastedAppMissing);
    else if (!known(form.pastedAppId)) say(BLOCK.lockoutApp, t.appUnknown);
  }

  const pickedBlocks = new Set(form.picked.map(({ appId }) => accountPickerBlock(appId)));
  for (const blockId of pickedBlocks) {
    const appId = blockId.slice(ACCOUNT_PICKER_PREFIX.length);
    if (!known(appId)) say(blockId, t.appUnknown);
    const refused = form.picked
      .filter((pick) => pick.appId === appId)
      .flatMap(({ account }) => {
        const problem = checkAccount(account);
        return problem ? [{ account, problem }] : [];
      });
    badAccounts(blockId, refused);
  }

  if (form.wholeAppId !== undefined) {
    if (!known(form.wholeAppId)) say(BLOCK.lockoutWholeApp, t.appUnknown);
    else if (form.picked.length > 0 || form.pasted.trim() !== '')
      say(BLOCK.lockoutWholeApp, text.wholeAppAndList);
  } else if (form.picked.length === 0 && pasted.length === 0 && !errors[BLOCK.lockoutAccounts]) {
    say(BLOCK.lockoutAccounts, text.nothingChosen);
  }
  return { errors, pasted };
}

/**
 * The pasted accounts the directory, fresh, does not list in their application: a field error naming
 * the first. A stale or failed directory (or one that cannot be read in time) checks nothing, as
 * for a single reset: ITNIO then says whether each exists.
 */
async function unlisted(
  services: SlackServices,
  t: Texts,
  directory: PhoneDirectory,
  appId: string,
  accounts: readonly string[],
): Promise<FieldErrors | undefined> {
  const [first] = accounts;
  if (first === undefined) return undefined;
  const missing = await withinTime(
    async () => {
      if (!(await directory.check(appId, first)).checked) return [];
      const found = await directory.findPhones(accounts.map((account) => ({ appId, account })));
      const listed = new Set([...found.values()].map((phone) => phone.account));
      return accounts.filter((account) => !listed.has(account));
    },
    PLAN_DIRECTORY_MS,
    {
      late: () => services.logger.warn('the phone directory did not check a lock-out list in time'),
      failed: (error) =>
        services.logger.warn('could not check a lock-out list against the phone directory', {
          error: errorMessage(error),
        }),
    },
  );
  const [absent] = missing ?? [];
  if (absent === undefined) return undefined;
  const text = t.lockoutForm;
  const more = (missing?.length ?? 0) > 1 ? text.moreBadAccounts((missing?.length ?? 0) - 1) : '';
  return { [BLOCK.lockoutAccounts]: text.unknownAccount(absent, services.appLabel(appId)) + more };
}

/**
 * Every phone the directory lists for the application, each account checked like a single one (the
 * directory holds what ITNIO lists, and an account ITNIO would refuse is left out), or a field error.
 */
async function wholeApp(
  services: SlackServices,
  t: Texts,
  appId: string,
): Promise<{ targets: LockoutTarget[] } | { errors: FieldErrors }> {
  const directory = services.phoneDirectory;
  const text = t.lockoutForm;
  const empty = { errors: { [BLOCK.lockoutWholeApp]: text.wholeAppEmpty(services.appLabel(appId)) } };
  if (!directory) return empty;
  const phones = await withinTime(() => directory.phonesOf(appId), PLAN_DIRECTORY_MS, {
    late: () => services.logger.warn('the phone directory did not list an application’s phones in time'),
    failed: (error) =>
      services.logger.warn('could not list an application’s phones', { error: errorMessage(error) }),
  });
  if (!phones) return { errors: { [BLOCK.lockoutWholeApp]: text.directoryUnavailable } };
  const targets = phones
    .filter((phone) => checkAccount(phone.account) === undefined)
    .map((phone) => ({ account: phone.account, appId }));
  if (targets.length < phones.length)
    services.logger.warn('left out directory accounts ITNIO would refuse', {
      appId,
      leftOut: phones.length - targets.length,
    });
  return targets.length > 0 ? { targets } : empty;
}

/**
 * What a submitted lock-out form asks for, checked as a single reset's account is: the phones picked,
 * the pasted accounts (in their application, and listed by a fresh directory) or every phone of one
 * application, each once, and the reason; or every field's first problem, in the person's language.
 */
export async function lockoutPlanOf(
  services: SlackServices,
  t: Texts,
  userId: string,
  form: LockoutFormState,
): Promise<PlanOutcome> {
  const { errors, pasted } = fieldProblems(services, t, form);
  if (Object.keys(errors).length > 0) return { kind: 'errors', errors };
  const base = { agentId: userId, reason: form.reason };
  if (form.wholeAppId !== undefined) {
    const whole = await wholeApp(services, t, form.wholeAppId);
    if ('errors' in whole) return { kind: 'errors', errors: whole.errors };
    return { kind: 'plan', plan: { ...base, targets: whole.targets, wholeAppId: form.wholeAppId } };
  }
  const apps = services.config.itnio.apps;
  const pastedAppId = (apps.length > 1 ? form.pastedAppId : apps[0]?.appId) ?? '';
  const directory = services.phoneDirectory;
  const problem = directory && (await unlisted(services, t, directory, pastedAppId, pasted));
  if (problem) return { kind: 'errors', errors: problem };
  const seen = new Set<string>();
  const targets: LockoutTarget[] = [];
  for (const target of [...form.picked, ...pasted.map((account) => ({ account, appId: pastedAppId }))]) {
    const key = `${target.appId}\n${target.account}`;
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push(target);
  }
  return { kind: 'plan', plan: { ...base, targets } };
}
