/**
 * The app's Home tab. In Simplified Chinese (its terms: see index.ts).
 */
import type { home as english } from '../en/home.js';

export const home: typeof english = {
  home: {
    title: '重置话机密码',
    intro: (command: string) =>
      `要重置话机密码，请点击本页的 *重置话机密码*，或在任意频道输入 \`${command}\`，或使用快捷方式“Reset a SIP password”（重置话机密码）：点击消息输入框中的 \`/\` 按钮，或在搜索栏中查找。本页面会自动更新。`,
    resetButton: '重置话机密码',
    listTitle: (title: string, range: string) => `${title}（${range}）`,
    mine: '我的申请',
    mineEmpty: (command: string) => `你还没有提交过重置申请。输入 \`${command}\` 即可申请。`,
    queue: '待审批的申请',
    queueEmpty: '目前没有待审批的申请。',
    decisions: '最近的审批',
    decisionsEmpty: '还没有人批准或拒绝过申请。',
    resets: '最近的重置',
    resetsEmpty: '还没有重置过话机密码。',
    range: (first: number, last: number) => `第 ${first} 至 ${last} 条`,
    olderButton: '查看更早的记录',
    newestButton: '回到最新',
    pageUnreadable: ':information_source: 找不到该页，已显示最新的申请。',
    line: (account: string, app: string, requester: string, date: string) =>
      `*${account}* （${app}），由 ${requester} 于 ${date} 申请`,
    mineLine: (account: string, app: string, date: string) => `*${account}* （${app}），申请于 ${date}`,
    pending: (expires: string) => `:inbox_tray: 等待审批，将于 ${expires} 过期。`,
    approved: (until: string) =>
      `:white_check_mark: 已批准，请在 ${until} 之前到话机旁，在本页或与本应用的私信中点击 *立即重置并显示密码*。`,
    starting: ':hourglass_flowing_sand: 正在重置话机密码，新密码稍后只显示给你本人。',
    undelivered: (account: string, date: string) =>
      `:warning: 话机密码已于 ${date} 更改，但 Slack 没有确认新密码已显示给你。如果你没有收到，请输入 /sip-reset 立即获取 *${account}* 的新密码。`,
    outcomeUnknown: (account: string, date: string) =>
      `:warning: ${date} 的重置结果未知。如果你已收到 *${account}* 的新密码，请以该密码为准；如果没有收到，请输入 /sip-reset 立即获取新密码。`,
    reason: (reason: string) => `原因：${reason}`,
    approvals: (count: string) => `已批准：${count}`,
    ownRequest: '这是你自己的申请，需由其他审批人审批。',
    approvedBy: (by: string, date: string) => `:white_check_mark: ${by} 已于 ${date} 批准。`,
  },
};
