import { expect } from 'chai';
import fc from 'fast-check';
import type { PolicyConfig } from '../../src/domain/policy.js';
import { checkApprover, decideReset, globMatches, isProtected } from '../../src/domain/policy.js';

const config: PolicyConfig = {
  helpdesk: ['UHELP', 'SDESK'],
  approvers: ['UAPPROVER'],
  owners: { UOWNER: ['1001', '9001'] },
  protectedAccounts: ['9*', 'admin*'],
  protectedApprovals: 2,
};

const user = (userId: string, groupIds: string[] = []) => ({ userId, groupIds });

describe('policy', () => {
  it('lets helpdesk agents, directly or through a user group, reset directly', () => {
    expect(decideReset(user('UHELP'), '1001', config, true)).to.deep.equal({
      kind: 'direct',
      basis: 'helpdesk',
    });
    expect(decideReset(user('UX', ['SDESK']), '1001', config, true)).to.deep.equal({
      kind: 'direct',
      basis: 'helpdesk',
    });
  });

  it('lets owners reset their own accounts directly, and only those', () => {
    expect(decideReset(user('UOWNER'), '1001', config, true)).to.deep.equal({
      kind: 'direct',
      basis: 'owner',
    });
    expect(decideReset(user('UOWNER'), '1002', config, true)).to.include({ kind: 'approval', approvals: 1 });
  });

  it('asks anyone else for one approval and a reason', () => {
    expect(decideReset(user('UANY'), '1001', config, true)).to.deep.equal({
      kind: 'approval',
      approvals: 1,
      reasonRequired: true,
      protectedAccount: false,
    });
  });

  it('always asks for distinct approvals on protected accounts, even from helpdesk and owners', () => {
    expect(decideReset(user('UHELP'), '9000', config, true)).to.deep.equal({
      kind: 'approval',
      approvals: 2,
      reasonRequired: false,
      protectedAccount: true,
    });
    expect(decideReset(user('UOWNER'), '9001', config, true)).to.include({ kind: 'approval', approvals: 2 });
    expect(decideReset(user('UANY'), 'ADMIN-1', config, true)).to.include({
      reasonRequired: true,
      approvals: 2,
    });
  });

  it('refuses what needs approval when there is no approval channel', () => {
    expect(decideReset(user('UANY'), '1001', config, false)).to.deep.equal({
      kind: 'refused',
      reason: 'no_approval_channel',
    });
    expect(decideReset(user('UHELP'), '1001', config, false).kind).to.equal('direct');
  });

  it('lets approvers and helpdesk decide, never on their own request', () => {
    expect(checkApprover(user('UAPPROVER'), 'UANY', config)).to.equal(undefined);
    expect(checkApprover(user('UX', ['SDESK']), 'UANY', config)).to.equal(undefined);
    expect(checkApprover(user('UAPPROVER'), 'UAPPROVER', config)).to.equal('own_request');
    expect(checkApprover(user('UANY'), 'UOTHER', config)).to.equal('not_approver');
  });

  it('matches globs literally except for * and ?', () => {
    expect(globMatches('9*', '9123')).to.equal(true);
    expect(globMatches('9*', '19')).to.equal(false);
    expect(globMatches('10?1', '1001')).to.equal(true);
    expect(globMatches('a.b', 'axb')).to.equal(false);
    expect(globMatches('(x)+', '(x)+')).to.equal(true);
    expect(isProtected('admin7', config)).to.equal(true);
  });

  describe('properties', () => {
    const account = fc.stringMatching(/^[A-Za-z0-9]{4,12}$/);
    const userId = fc.stringMatching(/^U[A-Z0-9]{4,8}$/);

    it('never gives a direct reset on a protected account', () => {
      fc.assert(
        fc.property(userId, account, fc.boolean(), (id, acct, possible) => {
          const decision = decideReset(user(id, ['SDESK']), `9${acct}`, config, possible);
          return decision.kind !== 'direct';
        }),
      );
    });

    it('never lets a user decide on their own request', () => {
      fc.assert(
        fc.property(userId, fc.subarray(['SDESK', 'SOTHER']), (id, groups) => {
          const cfg = { ...config, approvers: [id] };
          return checkApprover(user(id, groups), id, cfg) === 'own_request';
        }),
      );
    });

    it('gives a direct reset to exactly helpdesk members and owners on unprotected accounts', () => {
      fc.assert(
        fc.property(userId, account, fc.boolean(), fc.boolean(), (id, acct, inDesk, owns) => {
          fc.pre(!acct.startsWith('9') && !/^admin/i.test(acct));
          const cfg = { ...config, owners: owns ? { [id]: [acct] } : {} };
          const decision = decideReset(user(id, inDesk ? ['SDESK'] : []), acct, cfg, true);
          return (decision.kind === 'direct') === (inDesk || owns);
        }),
      );
    });

    it('requires a reason of everyone who is neither helpdesk nor owner', () => {
      fc.assert(
        fc.property(userId, account, (id, acct) => {
          const decision = decideReset(user(id), acct, config, true);
          return decision.kind === 'approval' && decision.reasonRequired;
        }),
      );
    });
  });
});
