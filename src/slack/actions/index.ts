import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { ListenerDeps } from '../listener-deps.js';
import { ACTION } from '../ids.js';
import { approveClicked } from './approve.js';
import { cancelClicked } from './cancel.js';
import { claimClicked } from './claim.js';
import { denyClicked } from './deny.js';
import { homePageClicked } from './home-page.js';
import { removePasswordClicked } from './remove-password.js';

export function register(app: App, ctx: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.approve, approveClicked(ctx));
  app.action<BlockAction<ButtonAction>>(ACTION.deny, denyClicked(ctx));
  app.action<BlockAction<ButtonAction>>(ACTION.cancel, cancelClicked(ctx));
  app.action<BlockAction<ButtonAction>>(ACTION.claim, claimClicked(ctx));
  app.action<BlockAction<ButtonAction>>(ACTION.removePassword, removePasswordClicked);
  app.action<BlockAction<ButtonAction>>(ACTION.homeOlder, homePageClicked(ctx));
  app.action<BlockAction<ButtonAction>>(ACTION.homeNewest, homePageClicked(ctx));
}
