/**
 * A lock-out as it runs (see en/lockout-run.ts). In Simplified Chinese (its terms: see index.ts).
 */
import type { lockoutRun as english } from '../en/lockout-run.js';
import { zhNumber as number } from '../counts.js';

export const lockoutRun: typeof english = {
  lockoutRun: {
    started: (count: number, agent: string, reason: string) =>
      `:lock: ${agent} 开始锁定 ${number(count)} 部话机：${reason}`,
    progress: (done: number, total: number, failed: number, unknown: number) =>
      `:hourglass_flowing_sand: 已锁定 ${number(done)}/${number(total)} 部，失败 ${number(failed)} 部，结果未知 ${number(unknown)} 部。`,
    progressHint: '这些话机的现有密码将依次失效；任何人都看不到新密码。',
    stopButton: '停止',
    stopLabel: '在下一部话机之前停止锁定',
    stopTitle: '停止锁定？',
    stopText: '正在处理的话机之后不再重置任何话机。已锁定的话机保持锁定。',
    stopConfirm: '停止',
    stopBack: '返回',
    stopping: (who: string) => `:octagonal_sign: ${who} 停止了锁定：处理完当前话机后结束。`,
    finished: (lockedOut: number, total: number) =>
      `:lock: 锁定完成：已锁定 ${number(lockedOut)}/${number(total)} 部话机。`,
    stopped: (lockedOut: number, total: number, who: string) =>
      `:octagonal_sign: 锁定已被 ${who} 停止：已锁定 ${number(lockedOut)}/${number(total)} 部话机。`,
    reasonLine: (reason: string) => `原因：${reason}`,
    counts: (failed: number, unknown: number, notStarted: number) =>
      `失败 ${number(failed)} 部，结果未知 ${number(unknown)} 部，未开始 ${number(notStarted)} 部。`,
    owners: (told: number, withoutOwner: number) =>
      `已向 ${number(told)} 位话机使用人发送获取新密码的按钮；${number(withoutOwner)} 部话机没有登记使用人，未通知任何人。`,
    failedTitle: '*失败* （密码未更改）：',
    unknownTitle: '*结果未知* （ITNIO 可能已重置，请检查话机；不会重试）：',
    itemLine: (account: string, app: string, why: string) => `• *${account}* （${app}）：${why}`,
    more: (count: number) => `……另有 ${number(count)} 部。`,
    ownerBody: (account: string, app: string, reason: string, until: string) =>
      `:lock: IT 服务台锁定了你的话机 *${account}* （${app}）：原密码已失效。原因：${reason}\n到话机旁时，请点击 *获取新密码*，新密码只显示给你一人。截止时间：${until}。`,
    ownerProtected: (account: string, app: string, reason: string) =>
      `:lock: IT 服务台锁定了你的话机 *${account}* （${app}）：原密码已失效。原因：${reason}\n这是受保护的话机：请用 /sip-reset 申请新密码，由审批人决定。`,
    ownerBusy: (account: string, app: string, reason: string) =>
      `:lock: IT 服务台锁定了你的话机 *${account}* （${app}）：原密码已失效。原因：${reason}\n当时这部话机的一次重置正在进行，它显示的密码可能已经失效：等它结束后，请用 /sip-reset 申请新密码。`,
    getPasswordButton: '获取新密码',
    getPasswordLabel: (account: string, app: string) => `获取 ${account}（${app}）的新密码`,
    getPasswordTitle: '现在获取新密码？',
    getPasswordText: (account: string, app: string) =>
      `确认后立即为 ${account}（${app}）生成新密码，只显示给你一人。`,
    withdrawn: (account: string, app: string) =>
      `:lock: 你重置 *${account}* （${app}）的申请已被撤回：IT 服务台锁定了这部话机。如果是你的话机，获取新密码的按钮会通过私信发给你；否则请联系 IT 服务台。`,
    homeWaiting: (until: string) => `已被 IT 服务台锁定：请在话机旁点击 *获取新密码* ，截止 ${until}。`,
  },
};
