import { randomUUID } from 'node:crypto';
import { checkAccount, type AccountProblem } from '../account.js';
import { DomainError, DuplicateSubmission, OpenRequestExists } from '../errors.js';
import {
  decideReset,
  formOutlook,
  isListed,
  mayDecide,
  type FormOutlook,
  type PolicyConfig,
  type ResetDecision,
} from '../policy.js';
import type { PrincipalResolver } from '../ports.js';
import type { AuditNote } from '../audit.js';
import type { NewRequest, ResetRequest } from '../request.js';
import { emit, HOUR, MINUTE, type UseCaseContext } from './shared.js';

/** What intake needs of the store. */
export interface IntakeStore {
  /**
   * Creates a request, writing `audit` beside it; throws OpenRequestExists when its account already
   * has an open one, DuplicateSubmission when its submission already made one.
   */
  createRequest(request: NewRequest, audit?: AuditNote): Promise<ResetRequest>;
  countRequestsSince(requesterId: string, since: number): Promise<number>;
}

export interface IntakeSettings {
  appIds: readonly string[];
  requestTtlMinutes: number;
  maxRequestsPerHour: number;
  /** How long an approval lasts (SIP_RESET_GRANT_TTL_MINUTES): a direct request that waits for its requester's click too. */
  grantTtlMinutes: number;
  /** False when no approval channel is configured: requests that need approval are refused. */
  approvalsPossible: boolean;
}

export interface IntakeDeps extends UseCaseContext {
  store: IntakeStore;
  policy: PolicyConfig;
  directory: PrincipalResolver;
  settings: IntakeSettings;
  newId?: () => string;
}

export interface ResetInput {
  account: string;
  appId: string;
  reason: string;
  /** What identifies this submission of the form (Slack's view ID), so a replay acts once. */
  submissionId?: string;
  /**
   * True when a direct reset waits for its requester to press "Reset now" at the phone (a
   * workflow step's request) instead of running at once: its grant lasts as an approval's does.
   */
  waitsForRequester?: boolean;
}

/** What is wrong with a form, field by field. */
export interface InputProblems {
  account?: AccountProblem;
  appId?: 'unknown';
  reason?: 'required';
}

export type SubmitResult =
  | { kind: 'direct'; request: ResetRequest }
  | { kind: 'pending'; request: ResetRequest; decision: Extract<ResetDecision, { kind: 'approval' }> };

/** A direct reset runs at once; should the process die first, its slot frees itself soon. */
const DIRECT_GRANT_MS = 2 * MINUTE;

/** Asking for a reset: what the form will do, what is wrong with it, and the request it makes. */
export class Intake {
  private readonly newId: () => string;

  constructor(private readonly deps: IntakeDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  /**
   * What the reset form will do for this person when submitted (for an account typed in advance,
   * if any): the form says so before the click, and names its submit button after it.
   */
  async outlook(requesterId: string, account?: string): Promise<FormOutlook> {
    const requester = await this.deps.directory.resolve(requesterId);
    return formOutlook(requester, account, this.deps.policy, this.deps.settings.approvalsPossible);
  }

  /** Checks a form and decides the path it would take, without changing anything. */
  async assess(
    requesterId: string,
    input: ResetInput,
  ): Promise<{ problems: InputProblems; decision: ResetDecision }> {
    const problems: InputProblems = {};
    const accountProblem = checkAccount(input.account);
    if (accountProblem) problems.account = accountProblem;
    if (!this.deps.settings.appIds.includes(input.appId)) problems.appId = 'unknown';
    const requester = await this.deps.directory.resolve(requesterId);
    const decision = decideReset(
      requester,
      input.account,
      this.deps.policy,
      this.deps.settings.approvalsPossible,
    );
    if (decision.kind === 'approval' && decision.reasonRequired && input.reason.trim().length === 0) {
      problems.reason = 'required';
    }
    return { problems, decision };
  }

  /**
   * Creates a request: approved at once when the policy allows a direct reset, pending otherwise.
   * The caller has checked the input with assess().
   */
  async submit(requesterId: string, input: ResetInput): Promise<SubmitResult> {
    const { decision } = await this.assess(requesterId, input);
    if (decision.kind === 'refused') throw new DomainError('refused_no_approval_channel');
    const { store, settings } = this.deps;
    const now = this.deps.now();
    const helpdeskDirect = decision.kind === 'direct' && decision.basis === 'helpdesk';
    if (!helpdeskDirect) {
      const recent = await store.countRequestsSince(requesterId, now - HOUR);
      if (recent >= settings.maxRequestsPerHour) throw new DomainError('rate_limited');
    }
    const base = {
      id: this.newId(),
      requesterId,
      account: input.account,
      appId: input.appId,
      reason: input.reason.trim(),
      submissionId: input.submissionId ?? null,
      createdAt: now,
      expiresAt: now + settings.requestTtlMinutes * MINUTE,
    };
    try {
      if (decision.kind === 'direct') {
        const request = await store.createRequest(
          {
            ...base,
            status: 'approved',
            requiredApprovals: 0,
            decidedAt: now,
            grantExpiresAt:
              now + (input.waitsForRequester ? settings.grantTtlMinutes * MINUTE : DIRECT_GRANT_MS),
          },
          { type: 'requested', actor: requesterId, detail: { path: 'direct' } },
        );
        emit(this.deps, 'created', request, requesterId);
        return { kind: 'direct', request };
      }
      const request = await store.createRequest(
        { ...base, status: 'pending', requiredApprovals: decision.approvals },
        { type: 'requested', actor: requesterId, detail: { path: 'approval' } },
      );
      emit(this.deps, 'created', request, requesterId);
      return { kind: 'pending', request, decision };
    } catch (error) {
      if (error instanceof DuplicateSubmission) throw new DomainError('duplicate_submission', error.existing);
      if (error instanceof OpenRequestExists) {
        // Who asked is named only to those who handle requests (the helpdesk, approvers).
        const asker = await this.deps.directory.resolve(requesterId);
        const handles = isListed(asker, this.deps.policy.helpdesk) || mayDecide(asker, this.deps.policy);
        throw new DomainError('open_request_exists', handles ? error.existing : undefined);
      }
      throw error;
    }
  }
}
