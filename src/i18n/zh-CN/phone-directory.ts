/**
 * The phone directory: `/sip-reset directory`, the form's picker, a phone beside its account. In
 * Simplified Chinese (its terms: see index.ts).
 */
import type { phoneDirectory as english } from '../en/phone-directory.js';

export const phoneDirectory: typeof english = {
  phoneDirectory: {
    refused: '只有 IT 服务台同事可以刷新话机目录。',
    off: '话机目录已关闭（SIP_RESET_DIRECTORY_REFRESH_MINUTES 为 0），话机账号需手动填写。',
    busy: '另一个实例正在刷新话机目录，请一分钟后再试。',
    title: '话机目录（仅含话机名称和分组，从不保存话机密码）：',
    app: (app: string, phones: number, refreshed: string) =>
      `• *${app}* ：${phones} 部话机（上次刷新：${refreshed}）`,
    never: '从未',
    phone: (name: string, group: string) => `${name}（${group}）`,
    unchecked:
      ':grey_question: 话机目录已过期或上次刷新失败，无法核对此话机账号；重置时由 ITNIO 确认它是否存在。',
    unknownAccount: (app: string) => `${app} 中没有这个话机账号。请核对账号，或选择其他语音应用。`,
    failed: (app: string, code: string, failedAt: string) =>
      `• *${app}* ：上次刷新于 ${failedAt} 失败（\`${code}\`），仍使用之前的话机列表`,
    option: (account: string, name: string, group: string) =>
      [account, name && group ? `${name}（${group}）` : name || group]
        .filter((part) => part !== '')
        .join(' · '),
    pickerPlaceholder: '输入账号或话机名称',
    pickerHint: (app: string) => `输入账号、话机名称或分组的一部分，在 ${app} 的话机中查找。`,
    chooseAppFirst: '选好语音应用后，可从它的话机列表中挑选话机，也可以直接输入话机账号，例如 1001。',
    pickAgain: '语音应用已更改，请重新选择话机。',
    withPhone: (account: string, phone: string) => `${account}：${phone}`,
    phoneInApp: (phone: string, app: string) => `${phone}（${app}）`,
    phoneListSeparator: '；',
  },
};
