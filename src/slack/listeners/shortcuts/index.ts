import type { App, GlobalShortcut } from '@slack/bolt';
import type { ListenerDeps } from '../../services.js';
import { SHORTCUT } from '../../platform/ids.js';
import { resetShortcut } from './reset-shortcut.js';

export function register(app: App, ctx: ListenerDeps): void {
  app.shortcut<GlobalShortcut>(SHORTCUT, resetShortcut(ctx));
}
