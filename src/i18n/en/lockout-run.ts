/**
 * A lock-out as it runs: its progress message and Stop button, its summary, the owner's DM with
 * "Get a new password", and what the people whose requests it withdrew are told.
 */
import { enNumber as number, enPhones as phones, enPhonesHave as phonesHave } from '../counts.js';

export const lockoutRun = {
  lockoutRun: {
    /** The short parent message in the approval channel; the progress is its thread's reply. */
    started: (count: number, agent: string, reason: string) =>
      `:lock: Lock-out of ${phones(count)} started by ${agent}: ${reason}`,
    progress: (done: number, total: number, failed: number, unknown: number) =>
      `:hourglass_flowing_sand: ${number(done)} of ${number(total)} locked out, ${number(failed)} failed, ${number(unknown)} unknown.`,
    /** ITNIO answered -15 (too frequent): the phone is asked again after a wait, and nothing moves meanwhile. */
    slowedDown: (seconds: number) =>
      `:snail: ITNIO asks us to slow down: asking again in ${number(seconds)} s.`,
    progressHint: 'Their current passwords stop working one after another; nobody sees the new ones.',
    stopButton: 'Stop',
    stopLabel: 'Stop the lock-out before its next phone',
    stopTitle: 'Stop the lock-out?',
    stopText: 'No phone is reset after the one in progress. Phones already locked out stay locked out.',
    stopConfirm: 'Stop',
    stopBack: 'Go back',
    stopping: (who: string) =>
      `:octagonal_sign: ${who} stopped the lock-out: it ends after the phone in progress.`,
    finished: (lockedOut: number, total: number) =>
      `:lock: Lock-out finished: ${number(lockedOut)} of ${phones(total)} locked out.`,
    stopped: (lockedOut: number, total: number, who: string) =>
      `:octagonal_sign: Lock-out stopped by ${who}: ${number(lockedOut)} of ${phones(total)} locked out.`,
    /** Not in the audit channel's copy, which holds no text a person typed. */
    reasonLine: (reason: string) => `Reason: ${reason}`,
    counts: (failed: number, unknown: number, notStarted: number) =>
      `${number(failed)} failed, ${number(unknown)} unknown, ${number(notStarted)} not started.`,
    /** Counts phones, not people: a phone may have several owners, each told. */
    owners: (toldPhones: number, withoutOwner: number) =>
      `The owners of ${phones(toldPhones)} were told by DM; ${phonesHave(withoutOwner)} no owner on file, so nobody was told.`,
    /** Locked-out phones whose owners were not told: the agent tells them. */
    notToldTitle: '*Locked out; owner not told* (tell them yourself):',
    notToldReasons: {
      grant_failed: '*Get a new password* could not be offered (a database error)',
      dm_failed: 'Slack did not deliver the DM to every owner',
    },
    /** Neither told nor known not told: the app stopped, or the database failed, between the two. */
    notToldUnknown: 'whether they were told is not known',
    failedTitle: '*Failed* (the password was not changed):',
    unknownTitle: '*Unknown* (ITNIO may have reset it; check the phone, never retried):',
    itemLine: (account: string, app: string, why: string) => `• *${account}* (${app}): ${why}`,
    more: (count: number) => `…and ${number(count)} more.`,
    /** The owner's DM, in their language. */
    ownerBody: (account: string, app: string, reason: string, until: string) =>
      `:lock: The helpdesk locked out your phone *${account}* (${app}): its password no longer works. Why: ${reason}\nWhen you are at the phone, press *Get a new password*: it is shown to you alone. You can do this until ${until}.`,
    ownerProtected: (account: string, app: string, reason: string) =>
      `:lock: The helpdesk locked out your phone *${account}* (${app}): its password no longer works. Why: ${reason}\nIt is a protected phone: ask for a new password with /sip-reset, and its approvers will decide.`,
    /** A reset of the phone was in flight when it was locked out: it holds the phone, so no button. */
    ownerBusy: (account: string, app: string, reason: string) =>
      `:lock: The helpdesk locked out your phone *${account}* (${app}): its password no longer works. Why: ${reason}\nA reset of it was under way at that moment, so a password it showed may already be dead: once it has ended, ask for a new password with /sip-reset.`,
    /**
     * Each other owner of a phone whose first owner (`first`, a mention) got the button. While that
     * button is valid, the phone's request is open: /sip-reset makes no other, so it is not offered.
     */
    coOwner: (account: string, app: string, reason: string, first: string) =>
      `:lock: The helpdesk locked out your phone *${account}* (${app}): its password no longer works. Why: ${reason}\n${first} was offered *Get a new password*, to use at the phone: ask them. While that offer is valid, /sip-reset cannot ask for another for this phone; if you need one sooner, ask the helpdesk.`,
    getPasswordButton: 'Get a new password',
    getPasswordLabel: (account: string, app: string) => `Get a new password for ${account} (${app})`,
    getPasswordTitle: 'Get a new password now?',
    getPasswordText: (account: string, app: string) =>
      `A new password for ${account} (${app}) is made as soon as you confirm, and shown to you alone.`,
    /** Their open request on the phone, withdrawn: the password it would give was meant to die. */
    withdrawn: (account: string, app: string) =>
      `:lock: Your request to reset *${account}* (${app}) was withdrawn: the helpdesk locked this phone out. If it is your phone, a DM with a button to get a new password comes to you; otherwise ask the helpdesk.`,
    /** The Home tab's line of the owner's request. */
    homeWaiting: (until: string) =>
      `Locked out by the helpdesk: press *Get a new password* at the phone, until ${until}.`,
  },
};
