import type { Config } from '../config.js';
import type { ResetRequest } from '../domain/request.js';
import type { ResetService } from '../domain/reset-service.js';
import type { Messages } from '../i18n/index.js';
import type { Logger } from '../logging.js';
import type { RequestAnnouncer } from './announcer.js';
import type { PrivateDelivery } from './delivery.js';
import type { SlackDirectory } from './directory.js';

/** What every listener may use: the domain service and the Slack-side helpers around it. */
export interface SlackContext {
  config: Config;
  service: ResetService;
  announcer: RequestAnnouncer;
  delivery: PrivateDelivery;
  directory: SlackDirectory;
  logger: Logger;
  t: Messages;
  appLabel(appId: string): string;
  /** The request's account and app label, escaped for mrkdwn. */
  subject(request: ResetRequest): [account: string, app: string];
}
