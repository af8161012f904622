/**
 * The Simplified Chinese catalogue, whole: its parts, one per area as in en/, each typed as the
 * English part of the same name, joined and typed as the English catalogue.
 */
import type { Texts } from '../en/index.js';
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
 * Every text a person sees, in Simplified Chinese, written as a mainland IT helpdesk writes to
 * colleagues rather than translated word by word. The terms are ITNIO's own (its Chinese API
 * reference): 话机账号 for the SIP account, 话机密码 for its password, 语音应用 for the voice
 * application. One term per thing besides: 话机使用人 for the owner, IT 服务台 for the helpdesk
 * (IT 服务台同事 for an agent), 申请 for a person's request (请求 only for a call to ITNIO), 撤回 for
 * cancelling one. 审批 is the process (待审批, 审批人, 审批频道), 批准 the approval granted (已批准,
 * 批准已过期, 批准人). Punctuation is full-width (，：（）；), 、 separates names, and 未能 (not 没能)
 * says something failed. Bold (`*…*`) is set off by spaces, since Slack only renders it at a word
 * boundary and Chinese has none.
 */
export const zhCN: Texts = {
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
