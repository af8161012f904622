/**
 * A lock-out as it runs (see en/lockout-run.ts). In Simplified Chinese (its terms: see index.ts).
 */
import type { lockoutRun as english } from '../en/lockout-run.js';
import { zhNumber as number } from '../counts.js';

export const lockoutRun: typeof english = {
  lockoutRun: {
    started: (count: number, agent: string, reason: string) =>
      `:lock: ${agent} 开始锁定 ${number(count)} 部话机，原因：${reason}`,
    progress: (done: number, total: number, failed: number, unknown: number) =>
      `:hourglass_flowing_sand: 已锁定 ${number(done)}/${number(total)} 部，失败 ${number(failed)} 部，结果未知 ${number(unknown)} 部。`,
    slowedDown: (seconds: number) => `:snail: ITNIO 提示请求过于频繁，${number(seconds)} 秒后再试。`,
    progressHint: '这些话机的当前密码会依次失效，新密码不向任何人显示。',
    stopButton: '停止',
    stopLabel: '在下一部话机之前停止锁定',
    stopTitle: '确定停止锁定？',
    stopText: '处理完当前这部话机后，不再重置其他话机。已锁定的话机仍保持锁定。',
    stopConfirm: '停止',
    stopBack: '返回',
    stopping: (who: string) => `:octagonal_sign: ${who} 停止了锁定：处理完当前话机后结束。`,
    finished: (lockedOut: number, total: number) =>
      `:lock: 锁定完成：已锁定 ${number(lockedOut)}/${number(total)} 部话机。`,
    stopped: (lockedOut: number, total: number, who: string) =>
      `:octagonal_sign: ${who} 停止了锁定：已锁定 ${number(lockedOut)}/${number(total)} 部话机。`,
    reasonLine: (reason: string) => `原因：${reason}`,
    counts: (failed: number, unknown: number, notStarted: number) =>
      `失败 ${number(failed)} 部，结果未知 ${number(unknown)} 部，未开始 ${number(notStarted)} 部。`,
    owners: (toldPhones: number, withoutOwner: number) =>
      `已私信通知 ${number(toldPhones)} 部话机的使用人；${number(withoutOwner)} 部话机没有登记使用人，未通知任何人。`,
    notToldTitle: '*已锁定，但未通知使用人* （请自行通知）：',
    notToldReasons: {
      grant_failed: '无法提供 *获取新密码* （数据库出错）',
      dm_failed: 'Slack 未能把私信送达每一位使用人',
    },
    notToldUnknown: '不确定是否已通知',
    failedTitle: '*失败* （密码未更改）：',
    unknownTitle: '*结果未知* （ITNIO 可能已重置，请检查话机；不会自动重试）：',
    itemLine: (account: string, app: string, why: string) => `• *${account}* （${app}）：${why}`,
    more: (count: number) => `……另有 ${number(count)} 部。`,
    ownerBody: (account: string, app: string, reason: string, until: string) =>
      `:lock: IT 服务台锁定了你的话机 *${account}* （${app}）：旧密码已失效。原因：${reason}\n到话机旁后，请点击 *获取新密码*，新密码只显示给你本人。此按钮在 ${until} 之前有效。`,
    ownerProtected: (account: string, app: string, reason: string) =>
      `:lock: IT 服务台锁定了你的话机 *${account}* （${app}）：旧密码已失效。原因：${reason}\n这是受保护账号，请输入 /sip-reset 申请新密码，由审批人审批。`,
    ownerBusy: (account: string, app: string, reason: string) =>
      `:lock: IT 服务台锁定了你的话机 *${account}* （${app}）：旧密码已失效。原因：${reason}\n锁定时这部话机正有一次重置在进行，那次显示的密码可能也已失效。请等它结束后，输入 /sip-reset 重新申请新密码。`,
    coOwner: (account: string, app: string, reason: string, first: string) =>
      `:lock: IT 服务台锁定了你的话机 *${account}* （${app}）：旧密码已失效。原因：${reason}\n${first} 已收到获取新密码的按钮，可以到话机旁获取，请与对方联系。该按钮有效期间，无法再通过 /sip-reset 为这部话机申请；如需尽快获取，请联系 IT 服务台。`,
    getPasswordButton: '获取新密码',
    getPasswordLabel: (account: string, app: string) => `获取 ${account}（${app}）的新密码`,
    getPasswordTitle: '确定立即获取新密码？',
    getPasswordText: (account: string, app: string) =>
      `确认后立即为 ${account}（${app}）生成新密码，只显示给你本人。`,
    withdrawn: (account: string, app: string) =>
      `:lock: 你重置 *${account}* （${app}）的申请已自动撤回，因为 IT 服务台锁定了这部话机。如果这是你的话机，你会收到一条带有获取新密码按钮的私信；如果不是，请联系 IT 服务台。`,
    homeWaiting: (until: string) => `已被 IT 服务台锁定，请在 ${until} 之前到话机旁点击 *获取新密码*。`,
  },
};
