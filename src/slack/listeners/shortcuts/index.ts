import type { App, GlobalShortcut } from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { SHORTCUT } from '../../platform/ids.js';
import { resetShortcut } from './reset-shortcut.js';

export function register(app: App, services: SlackServices): void {
  app.shortcut<GlobalShortcut>(SHORTCUT, resetShortcut(services));
}
