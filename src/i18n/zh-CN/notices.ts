/**
 * What a requester (or an account's owner) is told privately about a request: waiting, cancelled,
 * approved with its button, denied, expired, interrupted. In Simplified Chinese (its terms: see
 * index.ts).
 */
import type { notices as english } from '../en/notices.js';

export const notices: typeof english = {
  approvalChannelUnusable: (channel: string) =>
    `:warning: 本应用无法在 ${channel} 发消息，因此你的申请未能提交审批，话机密码也没有重置。需要管理员把 @sip-reset 邀请进该频道（\`/invite @sip-reset\`）；在此之前，可请 IT 服务台同事协助重置。`,
  pendingNotice: (account: string, app: string, channel: string, expires: string) =>
    `:inbox_tray: 你重置 *${account}* （${app}）的申请正在 ${channel} 等待审批，将于 ${expires} 过期。`,
  cancelButton: '撤回申请',
  cancelled: (account: string, app: string) => `你重置 *${account}* （${app}）的申请已撤回。`,

  grantBody: (account: string, app: string, by: string, until: string) =>
    `:white_check_mark: 你重置 *${account}* （${app}）的申请已由 ${by} 批准。\n到话机旁后，请点击 *立即重置并显示密码*，旧密码会立即失效。此按钮在 ${until} 之前有效。`,
  grantButton: '立即重置并显示密码',
  grantCompleted: (account: string, app: string, date: string) =>
    `:white_check_mark: *${account}* （${app}）的话机密码已于 ${date} 重置。`,
  grantExpired: (account: string, app: string) =>
    `:hourglass: 重置 *${account}* （${app}）的批准未被使用，现已过期。如仍需重置，请输入 /sip-reset 重新申请。`,
  grantUnusable: (account: string, app: string) =>
    `重置 *${account}* （${app}）的批准已失效。如仍需重置，请输入 /sip-reset 重新申请。`,

  deniedNotice: (account: string, app: string, by: string) =>
    `:no_entry: 你重置 *${account}* （${app}）的申请已被 ${by} 拒绝。`,
  expiredNotice: (account: string, app: string) =>
    `:hourglass: 你重置 *${account}* （${app}）的申请无人审批，已过期。如仍需重置，请输入 /sip-reset 重新申请。`,
  directExpiredNotice: (account: string, app: string) =>
    `:information_source: *${account}* （${app}）的重置未能开始，话机密码没有更改。请重新输入 /sip-reset。`,
  interruptedNotice: (account: string, app: string) =>
    `:warning: *${account}* （${app}）的重置在记录结果之前被中断。如果你已收到 *${account}* 的新密码，请以该密码为准；如果没有收到，旧密码可能已失效，请输入 /sip-reset 立即获取新密码（仅你可见）。`,
  ownerNotice: (account: string, app: string, by: string, date: string) =>
    `:information_source: 你的话机账号 *${account}* （${app}）的密码已由 ${by} 于 ${date} 重置。如需新密码，请联系对方或 IT 服务台。`,
};
