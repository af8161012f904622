/**
 * The Workflow Builder step "Reset a SIP password": the grant DM of a request that needed no
 * approval, and the step's `message` output, a plain sentence (no mrkdwn) in the requester's language
 * that later steps of the workflow may show.
 */

export const workflowStep = {
  /** A direct request's "Reset now" DM: nobody approved it, since it needed no approval. */
  grantBodyDirect: (account: string, app: string, until: string) =>
    `:white_check_mark: You may reset *${account}* (${app}) without approval, as a workflow asked for you.\nWhen you are at the phone, press *Reset now and show password*: the old password stops working at once. You can do this until ${until}.`,
  stepAwaitingRequester: (account: string, app: string) =>
    `The reset of SIP account ${account} (${app}) is ready: a direct message from the app holds a "Reset now" button to press at the phone. The new password is shown there, to the requester alone.`,
  stepPendingApproval: (account: string, app: string) =>
    `The request to reset SIP account ${account} (${app}) is waiting for approval. The requester is told privately when it is decided.`,
  stepRefused: 'No reset was requested.',
  stepAppRequired: (apps: string) =>
    `Several voice applications are set up: the step's voice application must name one of them (${apps}).`,
  stepAppUnknown: (apps: string) => `The step's voice application is not one of those set up (${apps}).`,
  stepNoRequester:
    'The workflow named nobody to ask for the reset: a step before this one must be run by a person.',
  stepReasonRequired: 'This reset needs an approval, so the step needs a reason for the approvers.',
  stepReasonTooLong: (max: number) =>
    `The reason is too long: the step takes at most ${max} characters, as the form does.`,
  stepNoDirectMessage: 'The app could not send the requester a direct message, so the request was withdrawn.',
  stepChannelUnusable:
    'The app cannot post in the approval channel, so the request was withdrawn. An admin must invite the app to that channel.',
  stepRequestEnded: 'The request this workflow run made has already ended: nothing more will come of it.',
  /** completeError's text: the app's own fault, never a secret; Slack shows it to the person who ran the workflow. */
  stepFault:
    'The SIP reset app could not handle this step because of a fault on its side. Nothing was reset. Try again later, or ask the helpdesk.',
};
