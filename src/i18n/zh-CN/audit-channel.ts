/**
 * The audit channel: a line per final outcome, and the daily checkpoint. In Simplified Chinese (its
 * terms: see index.ts).
 */
import type { auditChannel as english } from '../en/audit-channel.js';

export const auditChannel: typeof english = {
  auditChannel: {
    outcome: {
      completed: ':white_check_mark: 话机密码已重置',
      failed: ':x: 重置失败',
      undelivered: ':warning: 话机密码已重置，但未能显示给申请人',
      outcome_unknown: ':warning: 重置结果未知',
      denied: ':no_entry_sign: 申请被拒绝',
      cancelled: ':heavy_multiplication_x: 申请已撤回',
      expired: ':hourglass: 申请已过期',
    },
    subject: (outcome: string, account: string, app: string) =>
      `${outcome}：话机账号 *${account}* （${app}）。`,
    failureCode: (why: string, code: string) => `原因：${why}（\`${code}\`）。`,
    askedBy: (who: string) => `申请人：${who}。`,
    approvedBy: (who: string) => `批准人：${who}。`,
    noApprovalNeeded: '无需审批。',
    deniedBy: (who: string) => `拒绝人：${who}。`,
    cancelledBy: (who: string) => `撤回人：${who}。`,
    checkpoint: (day: string, seq: number, checkpoint: string) =>
      `:lock: ${day} 的审计检查点：第 ${seq} 条记录。此消息保存在数据库之外，日后运行 \`npm run audit -- verify --expect ${checkpoint}\` 即可确认审计记录是否仍包含这一条。\n\`${checkpoint}\``,
  },
};
