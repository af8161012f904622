import type { Texts } from './en.js';

/**
 * Every text a person sees, in Simplified Chinese, written as a mainland IT helpdesk writes to
 * colleagues rather than translated word by word. The terms are ITNIO's own (its Chinese API
 * reference): 话机账号 for the SIP account, 话机密码 for its password, 语音应用 for the voice
 * application. One term per thing besides: 话机使用人 for the owner, IT 服务台 for the helpdesk
 * (IT 服务台同事 for an agent), 申请 for a person's request (请求 only for a call to ITNIO), 撤回 for
 * cancelling one. 审批 is the process (待审批, 审批人, 审批频道), 批准 the approval granted (已批准,
 * 批准已过期, 批准人). Punctuation is full-width (，：（）；), 、 separates names, and 未能 (not 没能)
 * says something failed. Bold (`*…*`) is set off by spaces, since Slack only renders it at a word
 * boundary and Chinese has none.
 */
export const zhCN: Texts = {
  dateFormat: '{date_short_pretty} {time}',
  listSeparator: '、',
  sentenceSeparator: '',
  duration: (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} 小时` : `${minutes} 分钟`),

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
    interrupted: 'sip-reset 在记录结果前停止了运行',
  },
  failureReasonOther: '未知错误',

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
  },
  openRequestDetail: (requester: string, date: string) =>
    `申请人为 ${requester}，提交于 ${date}。请等待审批结果，或请申请人撤回。`,
  openRequestWhoCanHelp:
    '请等待审批结果。如果是你提交的申请，可以在本应用的“主页”标签中撤回；如果不是，IT 服务台可以查到申请人。',
  subcommandUsage: {
    help: (command: string) => `只输入 \`${command} help\` 即可查看本命令的用法。`,
    status: (command: string) => `只输入 \`${command} status\` 即可查看你未完成的申请。`,
  },
  statusUnavailable: '暂时无法读取你的申请，请一分钟后再试。',
  unexpectedError:
    '系统出了点问题，操作没有完成，也没有重置任何密码。请一分钟后再试；如果反复出现，请告知 IT 服务台。',
  restarting: {
    command: 'sip-reset 正在重启，本次操作没有执行。请一分钟后再试。',
    click: 'sip-reset 正在重启，这次点击没有生效。请一分钟后再点一次。',
    submission: 'sip-reset 正在重启。请一分钟后再提交，已填写的内容会保留。',
  },

  approvalChannelUnusable: (channel: string) =>
    `:warning: 本应用无法在 ${channel} 发消息，因此你的申请未能提交审批，话机密码也没有重置。需要管理员把 @sip-reset 邀请进该频道（\`/invite @sip-reset\`）；在此之前，可请 IT 服务台同事协助重置。`,
  pendingNotice: (account: string, app: string, channel: string, expires: string) =>
    `:inbox_tray: 你重置 *${account}* （${app}）的申请正在 ${channel} 等待审批，将于 ${expires} 过期。`,
  cancelButton: '撤回申请',
  cancelled: (account: string, app: string) => `你重置 *${account}* （${app}）的申请已撤回。`,

  approvalHeader: '重置话机密码申请',
  approvalFields: {
    requester: '申请人',
    account: '话机账号',
    app: '语音应用',
    reason: '申请原因',
    requested: '申请时间',
    expires: '过期时间',
    approvals: '已批准',
    owner: '话机使用人',
    resetBy: '重置截止时间',
    approvers: '审批人',
  },
  approvalSummary: (requester: string, account: string, app: string, reason: string) =>
    `${requester} 申请重置话机账号 ${account}（${app}），原因：${reason}。`,
  approvalOwner: (owners: string) => `话机使用人：${owners}。`,
  approvalWaiting: (expires: string) => `等待审批，申请将于 ${expires} 过期。`,
  approveEffect: (requester: string, duration: string) =>
    `批准后，${requester} 会收到一个按钮，可在话机旁重置密码，${duration}内有效。`,
  approveEffectProtected: (need: number, requester: string, duration: string) =>
    `共需 ${need} 位审批人分别批准；最后一位审批人批准后，${requester} 会收到一个按钮，可在话机旁重置密码，${duration}内有效。`,
  approversLine: (approvers: string) => `审批人：${approvers}。`,
  protectedNote: ':shield: 受保护账号：需要多位审批人分别批准。',
  approvalsCount: (have: number, need: number, names: string) =>
    `${have}/${need}${names ? `（${names}）` : ''}`,
  noReason: '（未填写）',
  approveButton: '批准',
  denyButton: '拒绝',
  accessibility: {
    approve: (account: string, app: string) => `批准重置 ${account}（${app}）`,
    deny: (account: string, app: string) => `拒绝重置 ${account}（${app}）`,
    cancel: (account: string, app: string) => `撤回重置 ${account}（${app}）的申请`,
    claim: (account: string, app: string) => `立即重置 ${account}（${app}）并显示密码`,
  },
  confirm: {
    claimTitle: '确定立即重置？',
    claim: (account: string, app: string) =>
      `确认后会马上重置 ${account}（${app}）的话机密码：旧密码立即失效，新密码只显示给你本人。`,
    claimButton: '立即重置',
    approveTitle: '确定批准？',
    approve: (account: string, app: string) =>
      `${account}（${app}）是受保护账号。批准后申请人即可重置；一旦重置，旧密码会立即失效。`,
    approveButton: '批准',
    back: '返回',
  },
  outcome: {
    approved: (by: string, date: string, until: string) =>
      `:white_check_mark: ${by} 已于 ${date} 批准，申请人可在 ${until} 之前重置密码。`,
    resetting: (date: string) => `:hourglass_flowing_sand: 正在重置，开始于 ${date}。`,
    delivering: (date: string) => `:hourglass_flowing_sand: 话机密码已于 ${date} 重置，正在显示给申请人。`,
    completed: (date: string) => `:white_check_mark: 话机密码已于 ${date} 重置。`,
    undelivered: (date: string) =>
      `:warning: 话机密码已于 ${date} 更改，但新密码未能显示给申请人；申请人重新输入 /sip-reset 即可获取新密码。`,
    denied: (by: string, date: string) => `:no_entry: ${by} 已于 ${date} 拒绝。`,
    expired: (date: string) => `:hourglass: 已于 ${date} 过期。`,
    cancelled: (date: string) => `:leftwards_arrow_with_hook: 申请人已于 ${date} 撤回。`,
    withdrawn: (date: string, why: string) =>
      `:leftwards_arrow_with_hook: sip-reset 已于 ${date} 自动撤回：${why}。话机密码没有重置。`,
    failed: (date: string, why: string) => `:x: 重置于 ${date} 失败：${why}。话机密码没有更改。`,
    outcome_unknown: (date: string) =>
      `:warning: ${date} 的重置结果未知：如果申请人已收到新密码，则以该密码为准；如果没有收到，申请人重新输入 /sip-reset 即可获取新密码。`,
  },
  denyReasonLine: (reason: string) => `原因：${reason}`,
  reminder: (approvers: string, account: string, app: string, expires: string) =>
    `:bell: ${approvers}：重置 *${account}* （${app}）的申请仍在等待审批，将于 ${expires} 过期。`,

  denyModalTitle: '拒绝申请',
  denyModalSubmit: '拒绝',
  denyModalIntro: (requester: string, account: string) =>
    `确定拒绝 ${requester} 重置 *${account}* 的申请吗？`,
  denyReasonLabel: '拒绝原因（申请人可见）',

  grantBody: (account: string, app: string, by: string, until: string) =>
    `:white_check_mark: 你重置 *${account}* （${app}）的申请已由 ${by} 批准。\n到话机旁后，请点击 *立即重置并显示密码*，旧密码会立即失效。此按钮在 ${until} 之前有效。`,
  grantButton: '立即重置并显示密码',
  grantCompleted: (account: string, app: string, date: string) =>
    `:white_check_mark: *${account}* （${app}）的话机密码已于 ${date} 重置。`,
  grantExpired: (account: string, app: string) =>
    `:hourglass: 重置 *${account}* （${app}）的批准未被使用，现已过期。如仍需重置，请输入 /sip-reset 重新申请。`,
  grantUnusable: (account: string, app: string) =>
    `重置 *${account}* （${app}）的批准已失效。如仍需重置，请输入 /sip-reset 重新申请。`,

  deniedNotice: (account: string, app: string, by: string) =>
    `:no_entry: 你重置 *${account}* （${app}）的申请已被 ${by} 拒绝。`,
  expiredNotice: (account: string, app: string) =>
    `:hourglass: 你重置 *${account}* （${app}）的申请无人审批，已过期。如仍需重置，请输入 /sip-reset 重新申请。`,
  directExpiredNotice: (account: string, app: string) =>
    `:information_source: *${account}* （${app}）的重置未能开始，话机密码没有更改。请重新输入 /sip-reset。`,
  interruptedNotice: (account: string, app: string) =>
    `:warning: *${account}* （${app}）的重置在记录结果之前被中断。如果你已收到 *${account}* 的新密码，请以该密码为准；如果没有收到，旧密码可能已失效，请输入 /sip-reset 立即获取新密码（仅你可见）。`,
  ownerNotice: (account: string, app: string, by: string, date: string) =>
    `:information_source: 你的话机账号 *${account}* （${app}）的密码已由 ${by} 于 ${date} 重置。如需新密码，请联系对方或 IT 服务台。`,

  grantUndelivered: (requester: string) =>
    `:warning: 已批准，但 Slack 不允许本应用给 ${requester} 发消息，对方收不到重置按钮。可请 IT 服务台同事陪同对方完成重置；该批准将在到期后作废。`,
  decisionRecorded: (account: string) => `你对 ${account} 重置申请的批准已记录。`,
  home: {
    title: '重置话机密码',
    intro: (command: string) =>
      `要重置话机密码，请点击本页的 *重置话机密码*，或在任意频道输入 \`${command}\`，或使用快捷方式“Reset a SIP password”（重置话机密码）：点击消息输入框中的 \`/\` 按钮，或在搜索栏中查找。本页面会自动更新。`,
    resetButton: '重置话机密码',
    listTitle: (title: string, range: string) => `${title}（${range}）`,
    mine: '我的申请',
    mineEmpty: (command: string) => `你还没有提交过重置申请。输入 \`${command}\` 即可申请。`,
    queue: '待审批的申请',
    queueEmpty: '目前没有待审批的申请。',
    decisions: '最近的审批',
    decisionsEmpty: '还没有人批准或拒绝过申请。',
    resets: '最近的重置',
    resetsEmpty: '还没有重置过话机密码。',
    range: (first: number, last: number) => `第 ${first} 至 ${last} 条`,
    olderButton: '查看更早的记录',
    newestButton: '回到最新',
    pageUnreadable: ':information_source: 找不到该页，已显示最新的申请。',
    line: (account: string, app: string, requester: string, date: string) =>
      `*${account}* （${app}），由 ${requester} 于 ${date} 申请`,
    mineLine: (account: string, app: string, date: string) => `*${account}* （${app}），申请于 ${date}`,
    pending: (expires: string) => `:inbox_tray: 等待审批，将于 ${expires} 过期。`,
    approved: (until: string) =>
      `:white_check_mark: 已批准，请在 ${until} 之前到话机旁，在本页或与本应用的私信中点击 *立即重置并显示密码*。`,
    starting: ':hourglass_flowing_sand: 正在重置话机密码，新密码稍后只显示给你本人。',
    undelivered: (account: string, date: string) =>
      `:warning: 话机密码已于 ${date} 更改，但 Slack 没有确认新密码已显示给你。如果你没有收到，请输入 /sip-reset 立即获取 *${account}* 的新密码。`,
    outcomeUnknown: (account: string, date: string) =>
      `:warning: ${date} 的重置结果未知。如果你已收到 *${account}* 的新密码，请以该密码为准；如果没有收到，请输入 /sip-reset 立即获取新密码。`,
    reason: (reason: string) => `原因：${reason}`,
    approvals: (count: string) => `已批准：${count}`,
    ownRequest: '这是你自己的申请，需由其他审批人审批。',
    approvedBy: (by: string, date: string) => `:white_check_mark: ${by} 已于 ${date} 批准。`,
  },

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
    path: { direct: '无需审批', approval: '需要审批' },
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
    },
  },
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
