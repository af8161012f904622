/**
 * The reset itself: the new password's private message, a delivery that failed, and why a reset did
 * not happen (ITNIO's failures, the app's withdrawals). In Simplified Chinese (its terms: see
 * index.ts).
 */
import type { reset as english } from '../en/reset.js';

export const reset: typeof english = {
  resetting: (account: string, app: string) =>
    `:hourglass_flowing_sand: 正在重置 *${account}* （${app}）的话机密码，新密码稍后只显示给你本人。`,
  passwordReadyText: (account: string, app: string) =>
    `话机账号 ${account}（${app}）的新密码已生成，请查看这条仅你可见的消息中的代码块。旧密码已失效。`,
  passwordHeader: '新话机密码',
  passwordIntro: (account: string, app: string) =>
    `话机账号 *${account}* （${app}）的新密码已生成，旧密码已失效。`,
  passwordFooter:
    ':lock: 此消息仅你本人可见，刷新 Slack 后会消失。保存好密码后，请点击 *已保存，删除此消息* 立即删除。',
  passwordRemoveButton: '已保存，删除此消息',
  passwordRepeated: ':repeat: Slack 未及时确认上一次发送，你可能已经收到过这条消息；这是同一个密码。',

  unreachable: (account: string, app: string) =>
    `:warning: Slack 不允许本应用在这里给你发私密消息，因此 *${account}* （${app}）没有重置。请在本应用所在的频道，或在与本应用的私信中重新输入 /sip-reset。`,
  unreachableGrant: (account: string, app: string) =>
    `:warning: Slack 不允许本应用给你发私密消息，因此 *${account}* （${app}）没有重置。该批准仍然有效，请一分钟后再点击 *立即重置并显示密码*。`,
  passwordUndeliverable: (account: string, app: string) =>
    `:warning: *${account}* （${app}）的话机密码已更改，但新密码未能显示给你：Slack 拒绝了所有私密消息。新密码没有保存在任何地方，请输入 /sip-reset 立即获取新密码。`,
  undeliveredNotice: (account: string, app: string) =>
    `:warning: *${account}* （${app}）的话机密码已更改，但在 Slack 确认新密码已显示给你之前，应用就停止了运行，新密码也没有保存在任何地方。如果你没有收到新密码，请输入 /sip-reset 立即获取。`,
  resetFailed: (account: string, app: string, why: string) =>
    `:x: *${account}* （${app}）的话机密码没有重置。${why}`,
  resetUnknown: (account: string, app: string, why: string) =>
    `:warning: *${account}* （${app}）的重置没有正常完成。${why}`,
  vendorFailures: {
    invalid_account: '话机账号应为 4 到 32 个字符，不能包含空格或控制字符。请核对账号后重试。',
    unknown_app: 'sip-reset 中没有配置该语音应用，密码未重置。请选择其他语音应用，或联系 IT 服务台。',
    auth_failed:
      'ITNIO 不接受 sip-reset 的凭据，密码未重置。请联系 IT 服务台，由管理员修正 sip-reset 的 ITNIO 设置（日志中有具体原因）。',
    ip_restricted:
      'ITNIO 拒绝了 sip-reset 服务器的访问，密码未重置。请联系 IT 服务台，由管理员修正 sip-reset 的 ITNIO 设置（日志中有具体原因）。',
    user_locked:
      '公司在 ITNIO 的账号已被锁定，密码未重置。请联系 IT 服务台，由管理员修正 sip-reset 的 ITNIO 设置（日志中有具体原因）。',
    too_frequent: 'ITNIO 提示请求过于频繁，密码未重置。请一分钟后再试。',
    timestamp_expired:
      'sip-reset 服务器时间不准，ITNIO 拒绝了请求，密码未重置。请联系 IT 服务台，由管理员修正 sip-reset 的 ITNIO 设置（日志中有具体原因）。',
    system_error: 'ITNIO 返回系统异常，话机密码可能已重置，也可能没有。再次尝试前，请先与 IT 服务台确认。',
    parameter_error: 'ITNIO 不接受该话机账号或语音应用，密码未重置。请核对账号和语音应用后重试。',
    account_not_found: '该语音应用中没有这个话机账号，密码未重置。请核对账号后重试。',
    api_key_disabled:
      'sip-reset 的 ITNIO 密钥已停用，密码未重置。请联系 IT 服务台，由管理员修正 sip-reset 的 ITNIO 设置（日志中有具体原因）。',
    ip_not_whitelisted:
      'sip-reset 服务器不在 ITNIO 白名单中，密码未重置。请联系 IT 服务台，由管理员修正 sip-reset 的 ITNIO 设置（日志中有具体原因）。',
    no_app_permission:
      'sip-reset 在 ITNIO 中没有该语音应用的权限，密码未重置。请联系 IT 服务台，由管理员修正 sip-reset 的 ITNIO 设置（日志中有具体原因）。',
    unknown_status:
      'ITNIO 返回了 sip-reset 无法识别的结果，话机密码可能已重置，也可能没有。再次尝试前，请先与 IT 服务台确认。',
    unreachable: '无法连接 ITNIO，请求没有发出。请一分钟后再试。',
    timeout: 'ITNIO 没有及时响应，话机密码可能已重置，也可能没有。再次尝试前，请先与 IT 服务台确认。',
    connection_lost:
      '与 ITNIO 的连接在响应前中断，话机密码可能已重置，也可能没有。再次尝试前，请先与 IT 服务台确认。',
    http_error: 'ITNIO 返回了 HTTP 错误，话机密码可能已重置，也可能没有。再次尝试前，请先与 IT 服务台确认。',
    http_refused:
      'ITNIO 拒绝了请求，密码未重置。请联系 IT 服务台，由管理员修正 sip-reset 的 ITNIO 设置（日志中有具体原因）。',
    redirected:
      'ITNIO 将请求重定向到了其他地址，sip-reset 不会跟随，密码未重置。请联系 IT 服务台，由管理员修正 sip-reset 的 ITNIO 设置（日志中有具体原因）。',
    bad_response: 'ITNIO 的响应无法解析，话机密码可能已重置，也可能没有。再次尝试前，请先与 IT 服务台确认。',
  },
  failureReasons: {
    invalid_account: '话机账号格式不正确',
    unknown_app: '语音应用未配置',
    auth_failed: 'ITNIO 不接受 sip-reset 的凭据',
    ip_restricted: 'ITNIO 拒绝了 sip-reset 服务器',
    user_locked: '公司在 ITNIO 的账号已锁定',
    too_frequent: 'ITNIO 提示请求过于频繁',
    timestamp_expired: 'sip-reset 服务器时间不准',
    system_error: 'ITNIO 系统异常',
    parameter_error: 'ITNIO 不接受该话机账号或语音应用',
    account_not_found: 'ITNIO 中没有这个话机账号',
    api_key_disabled: 'sip-reset 的 ITNIO 密钥已停用',
    ip_not_whitelisted: 'sip-reset 服务器不在 ITNIO 白名单中',
    no_app_permission: 'sip-reset 没有该语音应用的权限',
    unknown_status: 'ITNIO 返回了无法识别的结果',
    unreachable: '无法连接 ITNIO',
    timeout: 'ITNIO 响应超时',
    connection_lost: '与 ITNIO 的连接中断',
    http_error: 'ITNIO 返回了 HTTP 错误',
    http_refused: 'ITNIO 拒绝了请求',
    redirected: 'ITNIO 返回了重定向',
    bad_response: 'ITNIO 的响应无法解析',
    no_private_route: 'Slack 无法给申请人发私密消息',
    approval_channel_refused: '无法在审批频道发消息',
    database_failed: 'sip-reset 的数据库出错',
    locked_out: 'IT 服务台锁定了这部话机',
    interrupted: 'sip-reset 在记录结果前停止了运行',
  },
  failureReasonOther: '未知错误',
};
