/**
 * The English catalogue, whole: its parts, one per area of the app, each in its own file, joined
 * into the one object every other catalogue must match. A test checks that no two parts share a key.
 */
import { format } from './format.js';
import { commands } from './commands.js';
import { form } from './form.js';
import { reset } from './reset.js';
import { refusals } from './refusals.js';
import { notices } from './notices.js';
import { approval } from './approval.js';
import { home } from './home.js';
import { phoneDirectory } from './phone-directory.js';
import { history } from './history.js';
import { auditChannel } from './audit-channel.js';
import { workflowStep } from './workflow-step.js';
import { lockoutForm } from './lockout-form.js';
import { lockoutRun } from './lockout-run.js';

/**
 * Every text a person sees, in English. Other catalogues implement the same type, so a missing key is
 * a compile error. Values that reach mrkdwn are already escaped by the caller (see blocks/format.ts);
 * `date` renders a Slack date token that each viewer sees in their own time zone.
 */
export const en = {
  ...format,
  ...commands,
  ...form,
  ...reset,
  ...refusals,
  ...notices,
  ...approval,
  ...home,
  ...phoneDirectory,
  ...history,
  ...auditChannel,
  ...workflowStep,
  ...lockoutForm,
  ...lockoutRun,
};

export type Texts = typeof en;
