/**
 * What `/sip-reset` says for itself: its help, `status`, and a subcommand typed wrong (history and
 * directory have their own files). In Simplified Chinese (its terms: see index.ts).
 */
import type { commands as english } from '../en/commands.js';

export const commands: typeof english = {
  help: (command: string) =>
    [
      `*${command}* 用于重置话机账号的话机密码。`,
      `• 输入 \`${command}\` 打开申请表单；输入 \`${command} 1001\` 会预先填好账号 1001。`,
      '• IT 服务台和话机使用人本人可以直接重置；其他人需提交申请，由审批人在审批频道审批。',
      '• 新话机密码只有你本人能看到；看完后点击消息中的 *已保存，删除此消息* 即可删除，刷新 Slack 后它也会消失。',
      `• \`${command} status\` 查看你未完成的申请，\`${command} help\` 显示本帮助。`,
      '• 本应用的“主页”标签列出你的申请；审批人也可以在那里审批，IT 服务台同事可以看到最近的重置记录。',
      `• IT 服务台同事：\`${command} history 1003\` 查看话机账号 1003 最近的记录。`,
      `• IT 服务台同事：\`${command} directory\` 刷新话机目录，并显示其中的话机数量。`,
      `• IT 服务台同事：\`${command} lockout\` 立即锁定话机（如密码泄露、员工离职）：密码重置为无人可见的新密码，随后由各话机使用人在话机旁获取新密码。`,
    ].join('\n'),

  statusNone: '你目前没有未完成的重置申请。',
  statusHeader: '你未完成的重置申请：',
  statusLine: (account: string, app: string, state: string) => `• *${account}* （${app}）：${state}`,
  statusOpen: {
    pending: (expires: string) => `等待审批，将于 ${expires} 过期`,
    approved: (until: string) =>
      `已批准，请在 ${until} 之前到话机旁，在与本应用的私信中点击 *立即重置并显示密码*`,
    resetting: (since: string) => `正在重置（开始于 ${since}）`,
  },

  argumentTooLong: (command: string, length: number) =>
    `话机账号最多 32 个字符，你输入了 ${length} 个。请只输入 \`${command}\`，然后在表单中填写账号。`,

  subcommandUsage: {
    help: (command: string) => `只输入 \`${command} help\` 即可查看本命令的用法。`,
    status: (command: string) => `只输入 \`${command} status\` 即可查看你未完成的申请。`,
  },
  statusUnavailable: '暂时无法读取你的申请，请一分钟后再试。',
};
