import type { Logger } from '../logger.js';
import type { PolicyConfig } from '../policy.js';
import type { PrincipalResolver, Store, VendorClient } from '../ports.js';
import { Decisions } from './decisions.js';
import { setTimeout as wait } from 'node:timers/promises';
import { Intake, type IntakeSettings } from './intake.js';
import { LockoutCampaigns, type LockoutSettings } from './lockouts.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { Queries } from './queries.js';
import { Resets } from './resets.js';
import type { UseCaseContext } from './shared.js';
import { Upkeep, type UpkeepSettings } from './upkeep.js';

/** The use cases of a reset request, each a service of its own over the part of the store it needs. */
export interface UseCases {
  /** Asking: the form's outlook, its problems, the request made. */
  intake: Intake;
  /** Approving, denying, cancelling, withdrawing a request, and its announcement to the approvers. */
  decisions: Decisions;
  /** The reset itself and the record of its password's delivery. */
  resets: Resets;
  /** The sweeps' chores: expiry, reminders, recovery, audit retention and checkpoints. */
  upkeep: Upkeep;
  /** What people are shown: a request, the Home tab, someone's open requests, an account's history. */
  queries: Queries;
  /** Incident lock-outs: prepared, started once, run paced and resumable, stopped by any helpdesk agent. */
  lockoutCampaigns: LockoutCampaigns;
}

export interface UseCaseSettings extends IntakeSettings, UpkeepSettings, LockoutSettings {
  /** Waits between attempts to record a reset's outcome (see OutcomeRecorder); tests shorten them. */
  recordRetryDelaysMs?: readonly number[];
}

export interface UseCaseDeps extends UseCaseContext {
  store: Store;
  vendor: VendorClient;
  policy: PolicyConfig;
  directory: PrincipalResolver;
  settings: UseCaseSettings;
  newId?: () => string;
  log?: Pick<Logger, 'warn' | 'error'>;
  /** Waits between recording attempts, and a lock-out's between calls; tests pass one on fake timers. */
  sleep?: (ms: number) => Promise<void>;
}

/** Builds every use case once, over one store: the composition root's, a test's or the bench's. */
export function buildUseCases(deps: UseCaseDeps): UseCases {
  const { store, vendor, policy, directory, settings, now, onEvent, log } = deps;
  const context: UseCaseContext = { now, onEvent };
  const recorder = new OutcomeRecorder({
    ...context,
    log,
    retryDelaysMs: settings.recordRetryDelaysMs,
    sleep: deps.sleep,
  });
  return {
    intake: new Intake({ ...context, store, policy, directory, settings, newId: deps.newId }),
    decisions: new Decisions({ ...context, store, policy, directory, settings }),
    resets: new Resets({ ...context, store, vendor, policy, recorder, log }),
    upkeep: new Upkeep({ ...context, store, recorder, settings }),
    queries: new Queries({ store, policy, directory }),
    lockoutCampaigns: new LockoutCampaigns({
      ...context,
      store,
      vendor,
      policy,
      directory,
      settings,
      sleep: deps.sleep ?? ((ms) => wait(ms)),
      newId: deps.newId,
      log,
      recordRetryDelaysMs: settings.recordRetryDelaysMs,
    }),
  };
}
