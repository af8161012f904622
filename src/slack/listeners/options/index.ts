import type { App } from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { phoneSuggestion } from './phone-suggestion.js';

export function register(app: App, services: SlackServices): void {
  // Every block_suggestion, whatever IDs it names: one the picker cannot answer gets an empty list
  // at once, rather than no listener and Bolt's 404 three seconds later.
  app.options({ type: 'block_suggestion' }, phoneSuggestion(services));
}
