/**
 * `/sip-reset history`: an account's recorded events. In Simplified Chinese (its terms: see
 * index.ts).
 */
import type { history as english } from '../en/history.js';

export const history: typeof english = {
  history: {
    usage: (command: string) => `输入 \`${command} history 1003\` 查看话机账号 1003 最近的记录。`,
    refused: '只有 IT 服务台同事可以查看话机账号的记录。',
    unavailable: '暂时无法读取记录，请一分钟后再试。',
    empty: (account: string) => `话机账号 *${account}* 还没有任何记录。`,
    title: (account: string) => `话机账号 *${account}* 最近的记录（最新的在前）：`,
    line: (date: string, what: string, detail: string) => `• ${date}：${what}${detail}`,
    lineBy: (date: string, who: string, what: string, detail: string) => `• ${date} ${who}：${what}${detail}`,
    detail: (words: string) => `（${words}）`,
    factSeparator: '；',
    path: { direct: '无需审批', approval: '需要审批', lockout: '锁定后为话机使用人提交' },
    route: {
      response_url: '作为命令或点击的回复',
      ephemeral: '在频道中',
      dm_ephemeral: '在与本应用的私信中',
    },
    timedOut: '上一次发送未获 Slack 及时确认',
    event: {
      requested: '申请重置',
      approval_counted: '批准（还需其他审批人批准）',
      approved: '批准了申请',
      denied: '拒绝了申请',
      cancelled: '撤回了申请',
      expired: '申请已过期',
      reset_started: '开始重置',
      completed: '重置完成',
      failed: '重置失败',
      outcome_unknown: '重置结果未知',
      password_issued: 'ITNIO 已生成新密码',
      undelivered: '新密码未能显示',
      password_delivered: '新密码已私密发送',
      delivery_failed: '新密码未能送达',
      owner_notified: '已通知话机使用人',
      lockout_started: '开始锁定',
      lockout_stopped: '停止锁定',
      lockout_ended: '锁定结束',
      locked_out: '已锁定（密码已重置，未向任何人显示）',
      lockout_failed: '锁定失败',
      lockout_unknown: '锁定结果未知',
    },
  },
};
