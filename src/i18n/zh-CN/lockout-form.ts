/**
 * `/sip-reset lockout`: the lock-out form, its review and confirmation, and what the button says
 * once clicked. In Simplified Chinese (its terms: see index.ts; 锁定 for a lock-out).
 */
import type { lockoutForm as english } from '../en/lockout-form.js';

import { zhNumber as number } from '../counts.js';

export const lockoutForm: typeof english = {
  lockoutForm: {
    refused: '只有 IT 服务台同事可以锁定话机。',
    usage: (command: string) => `只输入 \`${command} lockout\` 即可打开锁定表单。`,

    title: '锁定话机',
    submit: '下一步',
    close: '取消',
    intro:
      ':rotating_light: 锁定会立即重置每部话机的话机密码：当前密码马上失效，新密码不向任何人显示。随后会通知每位话机使用人，由其在话机旁获取新密码。请选择话机并填写原因，下一步再确认。',
    pickerLabel: (app: string) => `${app} 的话机`,
    pickerPlaceholder: '输入账号或话机名称',
    pickerHint: '可选择多部话机：输入账号、话机名称或分组的一部分即可查找。',
    pastedLabel: '粘贴话机账号',
    pastedHint: '用空格、逗号、分号或换行分隔，例如 1001，1002；1003。',
    pastedPlaceholder: '例如：1001，1002，1003',
    pastedAppLabel: '所粘贴账号的语音应用',
    wholeAppLabel: '或者：某个语音应用的全部话机',
    wholeAppHint: '话机目录中该语音应用的全部话机。选择此项时，请不要再选择话机或粘贴账号。',
    reasonLabel: '锁定原因',
    reasonHint: '会告知话机使用人，并显示在进度消息和审计记录中。',
    reasonPlaceholder: '话机密码泄露，12 日晚发生盗打。',

    nothingChosen: '还没有选择任何话机：请选择话机、粘贴账号，或选择一个语音应用。',
    badAccount: (account: string, why: string) => `“${account}”不是有效的话机账号：${why}`,
    accountProblem: {
      empty: '内容为空。',
      too_short: '话机账号至少 4 个字符。',
      too_long: '话机账号最多 32 个字符。',
      bad_characters: '话机账号不能包含控制字符或不可见字符。',
    },
    moreBadAccounts: (n: number) => `（另有 ${number(n)} 项有同样的问题）`,
    unknownAccount: (account: string, app: string) =>
      `话机目录中，${app} 没有话机账号“${account}”。请核对，或将其从列表中删除。`,
    pastedAppMissing: '请选择所粘贴账号的语音应用。',
    wholeAppEmpty: (app: string) => `话机目录中没有 ${app} 的话机，请改为粘贴话机账号。`,
    wholeAppAndList: '请只选一种方式：某个语音应用的全部话机，或者指定的话机和账号。',
    directoryUnavailable: '暂时无法读取话机目录，请一分钟后再试。',
    reasonMissing: '请填写锁定原因，话机使用人会看到。',
    tooLong: (max: number, length: number) => `最多 ${number(max)} 个字符，当前为 ${number(length)} 个。`,
    notPrepared: '暂时无法准备此次锁定，未做任何操作。请一分钟后再试。',

    reviewTitle: '确认锁定',
    reviewClose: '取消',
    reviewCount: (n: number, apps: string) => `将锁定 ${apps} 的 *${number(n)} 部话机* ：`,
    reviewWholeApp: (app: string) => `话机目录中 ${app} 的全部话机。`,
    appCount: (app: string, n: number) => `${app}（${number(n)} 部）`,
    accountInApp: (account: string, app: string) => `${account}（${app}）`,
    reviewMore: (n: number) => `另有 ${number(n)} 部`,
    reviewReason: (reason: string) => `*锁定原因：* ${reason}`,
    reviewNext:
      '点击 *锁定* 并确认之前，不会执行任何操作。每位话机使用人都会收到私信，可在话机旁获取新密码。',
    startButton: (n: number) => `锁定 ${number(n)} 部话机`,
    confirmTitle: (n: number) => `锁定 ${number(n)} 部话机？`,
    confirmText: (n: number) =>
      `确定锁定 ${number(n)} 部话机吗？当前话机密码将立即失效，新密码不会向任何人显示。`,
    confirmYes: (n: number) => `锁定 ${number(n)} 部话机`,
    confirmNo: '返回',

    closeDone: '关闭',
    startedTitle: '已开始锁定',
    startedInThread: (channel: string) =>
      `:white_check_mark: 锁定已开始。可在 ${channel} 的消息列中查看进度，必要时可停止。`,
    startedInDm: ':white_check_mark: 锁定已开始。可在与本应用的私信中查看进度，必要时可停止。',
    notStartedTitle: '未开始锁定',
    notStarted: (why: string) => `:no_entry: 未开始锁定。${why}`,
    progressUnposted:
      'Slack 没有让 sip-reset 发出进度消息（其中的“停止”按钮用于结束锁定），因此锁定在第一部话机之前已停止，没有重置任何话机。请过一分钟再试。',
    startFailed: '系统出了点问题，锁定可能没有开始。请先查看是否有进度消息，再决定是否重试。',
  },
};
