import { isListed } from '../../../domain/policy.js';
import { escapeMrkdwn, slackDate } from '../../blocks/format.js';
import type { SlackServices } from '../../services.js';

/**
 * `/sip-reset directory`, for helpdesk agents: refreshes the phone directory now (or waits for the
 * refresh this instance is running), then says how many phones each application has and when its
 * directory was last refreshed, or why its last refresh failed.
 */
export async function directoryAnswer(services: SlackServices, userId: string): Promise<string> {
  const [t, viewer] = await Promise.all([services.textsFor(userId), services.directory.resolve(userId)]);
  const text = t.phoneDirectory;
  if (!isListed(viewer, services.config.policy.helpdesk)) return text.refused;
  const directory = services.phoneDirectory;
  if (!directory) return text.off;
  const result = await directory.refresh();
  const date = (ms: number) => slackDate(ms, t.dateFormat);
  const lines = (await directory.states()).map((state) => {
    const app = escapeMrkdwn(services.appLabel(state.appId));
    if (state.failureCode && state.failedAt !== undefined)
      return `${text.failed(app, state.failureCode, date(state.failedAt))}\n${text.app(app, state.phoneCount, state.refreshedAt === undefined ? text.never : date(state.refreshedAt))}`;
    return text.app(
      app,
      state.phoneCount,
      state.refreshedAt === undefined ? text.never : date(state.refreshedAt),
    );
  });
  return [...(result.ran ? [] : [text.busy]), text.title, ...lines].join('\n');
}
