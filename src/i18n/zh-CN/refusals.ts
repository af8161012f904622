/**
 * Refusals: a domain error's text by its code, an open request in the way, an unexpected error,
 * work refused while restarting. In Simplified Chinese (its terms: see index.ts).
 */
import type { refusals as english } from '../en/refusals.js';

export const refusals: typeof english = {
  errors: {
    refused_no_approval_channel:
      '你无权自行重置这个话机账号，且当前未启用审批流程。请联系 IT 服务台为你重置。',
    rate_limited: '你在过去一小时内提交的重置申请过多。请稍后再试，或联系 IT 服务台。',
    open_request_exists: '这个话机账号已有一个未完成的申请，本次没有新建申请。',
    not_found: '该申请已不存在。如仍需重置，请输入 /sip-reset 重新申请。',
    not_approver: '只有审批人可以批准或拒绝重置申请，这个申请将由审批人处理。',
    own_request: '你不能审批自己的申请，需要由其他审批人处理。',
    not_requester: '只有申请人本人可以执行此操作。如需重置你自己的话机，请输入 /sip-reset。',
    already_decided: '该申请已审批完毕，结果已显示在这条消息中。',
    request_expired: '该申请已过期，无法再审批。申请人可以输入 /sip-reset 重新申请。',
    already_approved_by_you: '你已经批准过该申请，还需要另一位审批人批准。',
    grant_expired: '该批准已过期。请输入 /sip-reset 重新申请。',
    not_claimable: '该批准已被使用或已失效。如仍需重置，请输入 /sip-reset 重新申请。',
    duplicate_submission: '该表单已经提交过，只会处理一次，请留意结果通知。',
    not_helpdesk: '只有 IT 服务台同事可以锁定话机或停止锁定。',
    lockout_empty: '请至少选择一部要锁定的话机。',
    lockout_reason_required: '请填写锁定原因：原因会告知话机使用人，并写入审计记录。',
    lockout_invalid_account: '其中有无效的话机账号（应为 4 到 32 个字符，不能包含空格）。',
    lockout_unknown_app: '其中有话机所属的语音应用未在 sip-reset 中配置。',
    lockout_duplicate_phone: '有话机重复出现：每部话机只能锁定一次。',
    lockout_not_startable:
      '无法开始这次锁定：它可能已经开始过、在确认前已过期，或是由其他同事准备的。请输入 /sip-reset lockout 重新准备。',
    lockout_not_running: '这次锁定已经结束。',
    lockout_stopping: '这次锁定正在停止：正在处理的话机完成后即结束，不会再开始其他话机，随后会发出总结。',
    lockout_not_found: '这次锁定已不存在。请输入 /sip-reset lockout 重新准备。',
  },
  openRequestDetail: (requester: string, date: string) =>
    `申请人为 ${requester}，提交于 ${date}。请等待审批结果，或请申请人撤回。`,
  openRequestWhoCanHelp:
    '请等待审批结果。如果是你提交的申请，可以在本应用的“主页”标签中撤回；如果不是，IT 服务台可以查到申请人。',
  unexpectedError:
    '系统出了点问题，操作没有完成，也没有重置任何密码。请一分钟后再试；如果反复出现，请告知 IT 服务台。',
  restarting: {
    command: 'sip-reset 正在重启，本次操作没有执行。请一分钟后再试。',
    click: 'sip-reset 正在重启，这次点击没有生效。请一分钟后再点一次。',
    submission: 'sip-reset 正在重启。请一分钟后再提交，已填写的内容会保留。',
  },
};
