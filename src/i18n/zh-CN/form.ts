/**
 * The reset form: its title and buttons, what submitting will do, its fields and what is wrong with
 * them. In Simplified Chinese (its terms: see index.ts).
 */
import type { form as english } from '../en/form.js';

export const form: typeof english = {
  modalTitle: '重置话机密码',
  modalSubmit: {
    direct: '立即重置密码',
    approval: '提交申请',
    either: '重置或提交申请',
  },
  modalOutlook: {
    direct: ':warning: 点击 *立即重置密码* 后会马上重置：旧密码立即失效，新密码只显示给你本人。',
    approval:
      ':inbox_tray: 点击 *提交申请* 后，申请会发给审批人。审批人批准后，你还需要在话机旁点击 *立即重置并显示密码*，密码才会重置。',
    either:
      ':information_source: 如果这是你本人的话机，或者你是 IT 服务台同事，点击 *重置或提交申请* 后会马上重置，旧密码立即失效；其他情况以及受保护账号会提交申请，批准之前不会重置。',
  },
  modalClose: '取消',
  accountLabel: '话机账号',
  accountHint: '4 到 32 个字符，例如 1001。',
  appLabel: '语音应用',
  reasonLabel: '申请原因（IT 服务台和话机使用人本人可不填）',
  reasonHint: '请说明原因以及这是谁的话机，供审批人参考。',
  reasonPlaceholder: '换工位后，话机密码失效了。',

  accountProblem: {
    empty: '请填写话机账号。',
    too_short: '话机账号至少 4 个字符。',
    too_long: '话机账号最多 32 个字符。',
    bad_characters: '话机账号不能包含空格或控制字符。',
  },
  appUnknown: '请从列表中选择一个语音应用。',
  reasonRequired: '此次重置需要审批，请填写申请原因。',
};
