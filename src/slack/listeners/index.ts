import type { App } from '@slack/bolt';
import type { SlackServices } from '../services.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import * as events from './events/index.js';
import * as functions from './functions/index.js';
import * as options from './options/index.js';
import * as shortcuts from './shortcuts/index.js';
import * as views from './views/index.js';

/** Every listener, each kind's folder registering its own. */
export function registerListeners(app: App, services: SlackServices): void {
  commands.register(app, services);
  shortcuts.register(app, services);
  views.register(app, services);
  actions.register(app, services);
  events.register(app, services);
  options.register(app, services);
  functions.register(app, services);
}
