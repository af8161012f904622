import { expect } from 'chai';
import { foreignTo } from '../../src/slack/platform/workspace.js';

describe('slack/workspace: which requests are for another install', () => {
  const workspace = { teamId: 'T1', appId: 'A1' };

  it('serves a request that names only this workspace and app, or names none', () => {
    expect(foreignTo(workspace, { team_id: 'T1', api_app_id: 'A1' })).to.equal(undefined);
    expect(foreignTo(workspace, { team: { id: 'T1' }, user: { id: 'U1', team_id: 'T1' } })).to.equal(
      undefined,
    );
    expect(foreignTo(workspace, { team: null, enterprise: null })).to.equal(undefined);
  });

  it('names the first foreign app, organisation or workspace', () => {
    expect(foreignTo(workspace, { team_id: 'T1', api_app_id: 'A0OTHERAPP' })).to.equal('app A0OTHERAPP');
    expect(foreignTo(workspace, { view: { app_id: 'A2', team_id: 'T1' } })).to.equal('app A2');
    expect(foreignTo(workspace, { team_id: 'T1', enterprise_id: 'E1' })).to.equal('enterprise E1');
    expect(foreignTo(workspace, { authorizations: [{ team_id: 'T1' }, { team_id: 'T9' }] })).to.equal(
      'team T9',
    );
  });

  it('checks no app ID when Slack would not say which app the bot is', () => {
    expect(foreignTo({ teamId: 'T1' }, { team_id: 'T1', api_app_id: 'A9' })).to.equal(undefined);
  });

  it('on an org-wide install serves every workspace of the organisation, and no other', () => {
    const grid = { teamId: 'T1', enterpriseId: 'E1', enterpriseInstall: true, appId: 'A1' };
    expect(foreignTo(grid, { team_id: 'T7', enterprise_id: 'E1', api_app_id: 'A1' })).to.equal(undefined);
    expect(foreignTo(grid, { team: { id: 'T7' }, enterprise: { id: 'E2' } })).to.equal('enterprise E2');
    expect(foreignTo(grid, { team_id: 'T7' }), 'a workspace with no organisation named').to.equal('team T7');
  });

  it('on a single workspace of an organisation serves that workspace only', () => {
    const member = { teamId: 'T1', enterpriseId: 'E1', appId: 'A1' };
    expect(foreignTo(member, { team_id: 'T1', enterprise_id: 'E1' })).to.equal(undefined);
    expect(foreignTo(member, { team_id: 'T7', enterprise_id: 'E1' })).to.equal('team T7');
  });
});
