/**
 * 工作流步骤“重置话机密码”：无需审批的申请的私信，以及步骤的 `message` 输出（纯文本，不含 mrkdwn），
 * 供工作流后续步骤显示。In Simplified Chinese (its terms: see index.ts).
 */
import type { workflowStep as english } from '../en/workflow-step.js';

export const workflowStep: typeof english = {
  grantBodyDirect: (account: string, app: string, until: string) =>
    `:white_check_mark: 工作流替你提交了申请：你可以直接重置 *${account}* （${app}），无需审批。\n到话机旁后，请点击 *立即重置并显示密码*，旧密码会立即失效。此按钮在 ${until} 之前有效。`,
  stepAwaitingRequester: (account: string, app: string) =>
    `话机账号 ${account}（${app}）已可重置：本应用发给申请人的私信中有“立即重置并显示密码”按钮，请在话机旁点击。新密码只显示在那里，仅申请人可见。`,
  stepPendingApproval: (account: string, app: string) =>
    `重置话机账号 ${account}（${app}）的申请正在等待审批。有审批结果后，会私信通知申请人。`,
  stepRefused: '未提交重置申请。',
  stepAppRequired: (apps: string) => `已配置多个语音应用，此步骤的语音应用必须填写其中之一（${apps}）。`,
  stepAppUnknown: (apps: string) => `此步骤填写的语音应用不在已配置的语音应用中（${apps}）。`,
  stepNoRequester: '工作流没有指明申请人：此步骤之前必须有一个由人执行的步骤。',
  stepReasonRequired: '此次重置需要审批，请在步骤中填写申请原因，供审批人查看。',
  stepReasonTooLong: (max: number) => `申请原因太长：此步骤最多接受 ${max} 个字符，与表单相同。`,
  stepNoDirectMessage: '本应用未能给申请人发私信，申请已撤回。',
  stepChannelUnusable: '本应用无法在审批频道发消息，申请已撤回。需要管理员把本应用邀请进该频道。',
  stepRequestEnded: '这次工作流运行提交的申请已经结束，不会再有后续。',
  stepFault: 'sip-reset 应用自身出错，未能处理此步骤，没有重置任何话机密码。请稍后再试，或联系 IT 服务台。',
};
