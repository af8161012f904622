/**
 * The workspace (or, on Enterprise Grid, the organisation) and the app this deployment serves, as
 * Slack's `auth.test` (and `bots.info` for the app ID) said of the bot token at start-up.
 */
export interface Workspace {
  teamId: string;
  /** Set on Enterprise Grid. */
  enterpriseId?: string;
  /** An org-wide install: every workspace of the organisation is served. */
  enterpriseInstall?: boolean;
  /** Unknown when Slack would not say: then no request is refused for its app ID. */
  appId?: string;
}

type Body = Record<string, unknown>;

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Body)[key] : undefined;

/** The non-empty strings among these values: an absent or null field names nothing. */
const named = (...values: unknown[]): string[] =>
  values.filter((value): value is string => typeof value === 'string' && value.length > 0);

/**
 * Where each kind of request names its workspace, organisation and app: a slash command's form
 * (`team_id`, `enterprise_id`, `api_app_id`), an interactive payload (`team.id`, `enterprise.id`,
 * `user.team_id`, `api_app_id`, and its view's `team_id`, `app_installed_team_id`, `app_id`), an
 * Events API callback (`team_id`, `enterprise_id`, `api_app_id`, each of its `authorizations`).
 */
function identifiersOf(body: Body) {
  const user = body.user;
  const view = body.view;
  const authorizations = Array.isArray(body.authorizations) ? (body.authorizations as unknown[]) : [];
  return {
    teams: named(
      body.team_id,
      field(body.team, 'id'),
      field(user, 'team_id'),
      field(view, 'team_id'),
      field(view, 'app_installed_team_id'),
      ...authorizations.map((a) => field(a, 'team_id')),
    ),
    enterprises: named(
      body.enterprise_id,
      field(body.enterprise, 'id'),
      field(user, 'enterprise_id'),
      ...authorizations.map((a) => field(a, 'enterprise_id')),
    ),
    apps: named(body.api_app_id, field(view, 'app_id')),
  };
}

/**
 * What in a request names another workspace, organisation or app than the one served (as
 * `team T…`, `enterprise E…`, `app A…`, IDs Slack shows in any admin page, never a secret), or
 * undefined when everything it names is ours. A field a request does not carry names nothing: Slack
 * always sends the ones it documents, and the signature proves Slack sent the request; what this
 * refuses is Slack's own request for another install of an app sharing the signing secret (a
 * distributed app, or a second app given the same secret). On an org-wide install every workspace
 * of the organisation is ours, and the request must name the organisation.
 */
export function foreignTo(workspace: Workspace, body: Body): string | undefined {
  const { teams, enterprises, apps } = identifiersOf(body);
  const app = apps.find((id) => workspace.appId !== undefined && id !== workspace.appId);
  if (app) return `app ${app}`;
  const enterprise = enterprises.find((id) => id !== workspace.enterpriseId);
  if (enterprise) return `enterprise ${enterprise}`;
  const organisationWide = workspace.enterpriseInstall === true && enterprises.length > 0;
  const team = teams.find((id) => id !== workspace.teamId && !organisationWide);
  if (team) return `team ${team}`;
  return undefined;
}

/** How the request arrived, for the log line that refuses it. */
export function requestKindOf(body: Body): string {
  if (typeof body.command === 'string') return 'command';
  if (typeof body.type === 'string') return body.type;
  return 'unknown';
}
