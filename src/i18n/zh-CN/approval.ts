/**
 * The approval channel: a request's message, its buttons and confirmations, its outcome and
 * reminder, the deny form, and what an approver is told back. In Simplified Chinese (its terms: see
 * index.ts).
 */
import type { approval as english } from '../en/approval.js';

export const approval: typeof english = {
  approvalHeader: '重置话机密码申请',
  approvalFields: {
    requester: '申请人',
    account: '话机账号',
    app: '语音应用',
    reason: '申请原因',
    requested: '申请时间',
    expires: '过期时间',
    approvals: '已批准',
    owner: '话机使用人',
    resetBy: '重置截止时间',
    approvers: '审批人',
  },
  approvalSummary: (requester: string, account: string, app: string, reason: string) =>
    `${requester} 申请重置话机账号 ${account}（${app}），原因：${reason}。`,
  approvalOwner: (owners: string) => `话机使用人：${owners}。`,
  approvalWaiting: (expires: string) => `等待审批，申请将于 ${expires} 过期。`,
  approveEffect: (requester: string, duration: string) =>
    `批准后，${requester} 会收到一个按钮，可在话机旁重置密码，${duration}内有效。`,
  approveEffectProtected: (need: number, requester: string, duration: string) =>
    `共需 ${need} 位审批人分别批准；最后一位审批人批准后，${requester} 会收到一个按钮，可在话机旁重置密码，${duration}内有效。`,
  approversLine: (approvers: string) => `审批人：${approvers}。`,
  protectedNote: ':shield: 受保护账号：需要多位审批人分别批准。',
  approvalsCount: (have: number, need: number, names: string) =>
    `${have}/${need}${names ? `（${names}）` : ''}`,
  noReason: '（未填写）',
  approveButton: '批准',
  denyButton: '拒绝',
  accessibility: {
    approve: (account: string, app: string) => `批准重置 ${account}（${app}）`,
    deny: (account: string, app: string) => `拒绝重置 ${account}（${app}）`,
    cancel: (account: string, app: string) => `撤回重置 ${account}（${app}）的申请`,
    claim: (account: string, app: string) => `立即重置 ${account}（${app}）并显示密码`,
  },
  confirm: {
    claimTitle: '确定立即重置？',
    claim: (account: string, app: string) =>
      `确认后会马上重置 ${account}（${app}）的话机密码：旧密码立即失效，新密码只显示给你本人。`,
    claimButton: '立即重置',
    approveTitle: '确定批准？',
    approve: (account: string, app: string) =>
      `${account}（${app}）是受保护账号。批准后申请人即可重置；一旦重置，旧密码会立即失效。`,
    approveButton: '批准',
    back: '返回',
  },
  outcome: {
    approved: (by: string, date: string, until: string) =>
      `:white_check_mark: ${by} 已于 ${date} 批准，申请人可在 ${until} 之前重置密码。`,
    resetting: (date: string) => `:hourglass_flowing_sand: 正在重置，开始于 ${date}。`,
    delivering: (date: string) => `:hourglass_flowing_sand: 话机密码已于 ${date} 重置，正在显示给申请人。`,
    completed: (date: string) => `:white_check_mark: 话机密码已于 ${date} 重置。`,
    undelivered: (date: string) =>
      `:warning: 话机密码已于 ${date} 更改，但新密码未能显示给申请人；申请人重新输入 /sip-reset 即可获取新密码。`,
    denied: (by: string, date: string) => `:no_entry: ${by} 已于 ${date} 拒绝。`,
    expired: (date: string) => `:hourglass: 已于 ${date} 过期。`,
    cancelled: (date: string) => `:leftwards_arrow_with_hook: 申请人已于 ${date} 撤回。`,
    withdrawn: (date: string, why: string) =>
      `:leftwards_arrow_with_hook: sip-reset 已于 ${date} 自动撤回：${why}。话机密码没有重置。`,
    failed: (date: string, why: string) => `:x: 重置于 ${date} 失败：${why}。话机密码没有更改。`,
    outcome_unknown: (date: string) =>
      `:warning: ${date} 的重置结果未知：如果申请人已收到新密码，则以该密码为准；如果没有收到，申请人重新输入 /sip-reset 即可获取新密码。`,
  },
  denyReasonLine: (reason: string) => `原因：${reason}`,
  reminder: (approvers: string, account: string, app: string, expires: string) =>
    `:bell: ${approvers}：重置 *${account}* （${app}）的申请仍在等待审批，将于 ${expires} 过期。`,

  denyModalTitle: '拒绝申请',
  denyModalSubmit: '拒绝',
  denyModalIntro: (requester: string, account: string) =>
    `确定拒绝 ${requester} 重置 *${account}* 的申请吗？`,
  denyReasonLabel: '拒绝原因（申请人可见）',

  grantUndelivered: (requester: string) =>
    `:warning: 已批准，但 Slack 不允许本应用给 ${requester} 发消息，对方收不到重置按钮。可请 IT 服务台同事陪同对方完成重置；该批准将在到期后作废。`,
  decisionRecorded: (account: string) => `你对 ${account} 重置申请的批准已记录。`,
};
