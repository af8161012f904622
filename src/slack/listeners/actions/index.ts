import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { ACTION } from '../../platform/ids.js';
import { appChosen } from './app-chosen.js';
import { approveClicked } from './approve.js';
import { cancelClicked } from './cancel.js';
import { claimClicked } from './claim.js';
import { denyClicked } from './deny.js';
import { homePageClicked } from './home-page.js';
import { homeResetClicked } from './home-reset.js';
import { lockoutStartClicked } from './lockout-start.js';
import { lockoutStopClicked } from './lockout-stop.js';
import { removePasswordClicked } from './remove-password.js';
import { oneOf } from '../routing.js';

type ButtonListener = (
  args: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>,
) => Promise<void>;

export function register(app: App, services: SlackServices): void {
  const pageClicked = homePageClicked(services);
  const byActionId: Record<string, ButtonListener> = {
    [ACTION.approve]: approveClicked(services),
    [ACTION.deny]: denyClicked(services),
    [ACTION.cancel]: cancelClicked(services),
    [ACTION.claim]: claimClicked(services),
    [ACTION.removePassword]: removePasswordClicked,
    [ACTION.homeOlder]: pageClicked,
    [ACTION.homeNewest]: pageClicked,
    [ACTION.homeReset]: homeResetClicked(services),
    [ACTION.lockoutStart]: lockoutStartClicked(services),
    [ACTION.lockoutStop]: lockoutStopClicked(services),
    // A select, not a button: it takes the same arguments, its action typed as a static_select's.
    [ACTION.appChosen]: appChosen(services) as unknown as ButtonListener,
  };
  // One Bolt listener for every button and the form's app select (src/slack/listeners/routing.ts).
  app.action<BlockAction<ButtonAction>>(oneOf(Object.keys(byActionId)), (args) =>
    (byActionId[args.action.action_id] as ButtonListener)(args),
  );
}
