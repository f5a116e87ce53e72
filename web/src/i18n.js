// Chinese first: the bureau's working language; English for visitors and reports abroad.
const dict = {
  zh: {
    title: '经开区生态环境监测平台', footer: '数据来源：经开区环境空气自动监测站（HJ 212）· 时间均为北京时间',
    overview: '总览', air: '空气质量', station: '站点详情', quality: '数据质量',
    zoneAqiNow: '全区实时 AQI', primary: '首要污染物', none: '无', updated: '数据时间',
    targets: '规划目标进度', target: '目标值', value: '当年累计', projected: '年末预测', restNeeded: '剩余时段需达到',
    onTrack: '可达成', offTrack: '有风险', unknown: '暂无监测数据', allTargets: '全部规划目标',
    name: '名称', unit: '单位', status: '状态', comparator: '比较', source: '来源',
    aqiCalendar: '全区 AQI 日历', trends: 'PM2.5 / O₃ 日均趋势', stationCompare: '站点实时对比', townRanking: '街道排名',
    rank: '名次', town: '街道', stations: '站点数', meanAqi: '平均 AQI', goodRatio: '优良率 %',
    site: '站点', param: '参数', time: '时间', flag: '标记', latest: '最新值', series: '近 7 天小时值',
    completeness: '数据完整率（近 24 小时）', offline: '离线设备', lastSeen: '最后数据', online: '在线', isOffline: '离线',
    hoursPresent: '有效小时', hoursExpected: '应有小时', percent: '完整率 %', silent: '静默时长',
    table: '数据表', csv: '导出 CSV', chart: '图表', rules: '评价标准', noData: '暂无数据', loading: '加载中…',
    category: '类别', date: '日期', edition: '标准版本', kind: '类型', gaps: '缺测', flagged: '异常标记',
    zone: '全区', error: '加载失败', period: '周期', val: '数值', stationMap: '站点分布（经纬度）',
    fileReport: '填报', reportValue: '填报值', plan: '规划总览', work: '我的工作', cases: '案件', report: '随手拍', track: '进度查询', login: '登录', logout: '退出',
    userName: '用户名', password: '密码', loggedInAs: '当前登录：',
    role_admin: '管理员', role_bureau: '分局工作人员', role_unit: '责任单位', role_enterprise: '企业', role_auditor: '审计', role_public: '公众', role_system: '系统', role_undefined: '',
    rag_green: '绿灯', rag_yellow: '黄灯', rag_red: '红灯', rag_none: '无数据',
    asOf: '截至', indicator: '指标', currentValue: '当前值', deadline: '完成时限', task: '任务', leadUnits: '牵头单位', responsibleUnits: '责任单位',
    progress: '进度', history: '变更记录', close: '关闭', actor: '操作人', field: '字段', oldValue: '原值', newValue: '新值', note: '说明', evidence: '佐证材料',
    actionNo: '行动{n}', warningsCsv: '预警清单 CSV', src_monitoring: '监测', src_reported: '填报', src_undefined: '—',
    planPublicNote: '任务台账（牵头/责任单位、进度、红黄绿灯）仅对工作人员开放；以下为规划目标的公开进展。', qualityLogin: '数据完整率和设备在线情况仅对工作人员开放，请先登录。',
    myCases: '待办案件', allCases: '全部案件', myTasks: '我单位的规划任务', myTargets: '我单位填报的指标', done: '已完成', notDone: '未完成', saved: '已提交',
    daysLeft: '剩余 {n} 天', reportedBy: '填报', toAccept: '待受理', toVerify: '待核查销号', overdueCases: '逾期', toSign: '待签收', toRectify: '整改中', otherCases: '其他',
    caseNo: '案件', state: '状态', location: '位置', assignedUnit: '承办单位', overdue: '逾期', supervision: '督办', created: '登记时间', closed: '销号时间',
    all: '全部', sup1: '督办', sup2: '挂牌督办', caseNotFound: '未找到该案件（不存在或无权查看）。', actions: '办理', noActions: '当前无可办理的操作',
    reason: '理由', noteOptional: '说明（可选）', choose: '请选择', sameUnit: '原承办单位', confirm: '确定', cancel: '取消',
    reopenCount: '重新交办次数', reporter: '举报人', reporterPrivate: '（仅分局可见）', reward: '奖励', timeline: '办理过程', attachment: '附件',
    reward_due: '应予奖励', reward_paid: '已发放', reward_declined: '不予奖励',
    st_reported: '待受理', st_rejected: '不予受理', st_accepted: '已受理', st_assigned: '已交办', st_rectifying: '整改中', st_rectified: '已整改待核查', st_closed: '已销号', st_reopened: '重新交办',
    act_create: '登记', act_accept: '受理', act_reject: '不予受理', act_assign: '交办', act_sign: '签收', act_send_back: '退回（非本单位）', act_submit: '提交整改',
    act_return: '退回整改', act_verify: '核查销号', act_reopen: '重新交办', act_extend: '延期', act_escalate: '督办',
    csrc_monitoring_alert: '监测预警', csrc_inspection: '执法检查', csrc_inspection_feedback: '督察反馈', csrc_public_report: '群众举报', csrc_fire_point: '火点监测',
    cat_dust: '扬尘', cat_open_burning: '露天焚烧', cat_exceedance: '超标排放', cat_data_falsification: '数据造假', cat_black_odorous_water: '黑臭水体',
    cat_fireworks: '烟花爆竹', cat_scattered_coal: '散煤', cat_other: '其他',
    reportTitle: '随手拍：举报环境问题', reportIntro: '发现扬尘、露天焚烧、黑臭水体等环境问题，拍照并说明位置即可提交，无需登录。提交后请保存查询码，用于查询办理进度。',
    photo: '照片', photoHint: 'JPEG、PNG 或 WebP，不超过 8 MB', photoTooLarge: '照片超过 8 MB，请压缩后再上传', locationHint: '如：某路与某路交叉口东北角',
    useMyLocation: '使用我的位置', lon: '经度', lat: '纬度', description: '问题描述', contactOptional: '联系方式（可选）', yourName: '姓名', contact: '电话',
    contactWhoSees: '姓名和电话仅生态环境分局工作人员可见，用于核实情况和发放奖励，不会公开，也不会告知被举报方或承办单位。',
    submit: '提交', fillRequired: '请填写位置和问题描述', noGeolocation: '无法获取位置，请手动填写', reportThanks: '提交成功，感谢您的监督！',
    trackingCode: '查询码', trackingKeep: '请妥善保存查询码，凭码可查询办理进度。', lookUp: '查询', trackNotFound: '未找到该查询码对应的举报，请核对后重试。', updatedAt: '更新时间',
  },
  en: {
    title: 'JETDZ Environmental Monitoring', footer: 'Data: the zone\'s automatic air-quality stations (HJ 212) · all times Beijing time',
    overview: 'Overview', air: 'Air quality', station: 'Station', quality: 'Data quality',
    zoneAqiNow: 'Zone AQI now', primary: 'Primary pollutant', none: 'none', updated: 'Data time',
    targets: 'Plan targets', target: 'Target', value: 'Year to date', projected: 'Year-end projection', restNeeded: 'Rest of year must achieve',
    onTrack: 'On track', offTrack: 'At risk', unknown: 'No monitoring data', allTargets: 'All plan targets',
    name: 'Name', unit: 'Unit', status: 'Status', comparator: 'Comparator', source: 'Source',
    aqiCalendar: 'Zone AQI calendar', trends: 'PM2.5 / O₃ daily trend', stationCompare: 'Stations now', townRanking: 'Town ranking',
    rank: 'Rank', town: 'Town', stations: 'Stations', meanAqi: 'Mean AQI', goodRatio: 'Good days %',
    site: 'Site', param: 'Parameter', time: 'Time', flag: 'Flag', latest: 'Latest', series: 'Hourly, last 7 days',
    completeness: 'Completeness (last 24 h)', offline: 'Devices offline', lastSeen: 'Last data', online: 'online', isOffline: 'offline',
    hoursPresent: 'Hours present', hoursExpected: 'Hours expected', percent: 'Complete %', silent: 'Silent for',
    table: 'Table', csv: 'CSV', chart: 'Chart', rules: 'Rules', noData: 'No data', loading: 'Loading…',
    category: 'Category', date: 'Date', edition: 'Edition', kind: 'Kind', gaps: 'gaps', flagged: 'flagged',
    zone: 'Zone', error: 'Failed to load', period: 'Period', val: 'Value', stationMap: 'Station locations (lon/lat)',
    fileReport: 'Report', reportValue: 'Value', plan: 'Plan', work: 'My work', cases: 'Cases', report: 'Report a problem', track: 'Track a report', login: 'Log in', logout: 'Log out',
    userName: 'User name', password: 'Password', loggedInAs: 'Logged in as',
    role_admin: 'administrator', role_bureau: 'bureau', role_unit: 'unit', role_enterprise: 'enterprise', role_auditor: 'auditor', role_public: 'public', role_system: 'system', role_undefined: '',
    rag_green: 'green', rag_yellow: 'yellow', rag_red: 'red', rag_none: 'no data',
    asOf: 'as of', indicator: 'Indicator', currentValue: 'Current', deadline: 'Deadline', task: 'Task', leadUnits: 'Lead', responsibleUnits: 'Responsible',
    progress: 'Progress', history: 'History', close: 'Close', actor: 'By', field: 'Field', oldValue: 'Was', newValue: 'Now', note: 'Note', evidence: 'Evidence',
    actionNo: 'Action {n}', warningsCsv: 'Warnings CSV', src_monitoring: 'monitoring', src_reported: 'reported', src_undefined: '—',
    planPublicNote: 'The task ledger (units, progress, red/yellow/green) is for staff; below, where the zone stands against the plan\'s targets.', qualityLogin: 'Completeness and device status are for staff: please log in.',
    myCases: 'Cases to act on', allCases: 'All cases', myTasks: 'Our plan tasks', myTargets: 'Indicators we report', done: 'done', notDone: 'not done', saved: 'Saved',
    daysLeft: '{n} days left', reportedBy: 'reported by', toAccept: 'To accept', toVerify: 'To verify', overdueCases: 'Overdue', toSign: 'To sign for', toRectify: 'Rectifying', otherCases: 'Other',
    caseNo: 'Case', state: 'State', location: 'Location', assignedUnit: 'Unit', overdue: 'overdue', supervision: 'Supervision', created: 'Created', closed: 'Closed',
    all: 'all', sup1: 'supervised (督办)', sup2: 'listed (挂牌督办)', caseNotFound: 'Case not found (it does not exist or you may not see it).', actions: 'Actions', noActions: 'Nothing to do now',
    reason: 'Reason', noteOptional: 'Note (optional)', choose: 'choose', sameUnit: 'same unit', confirm: 'Confirm', cancel: 'Cancel',
    reopenCount: 'Reopened', reporter: 'Reporter', reporterPrivate: '(bureau only)', reward: 'Reward', timeline: 'Timeline', attachment: 'attachment',
    reward_due: 'due', reward_paid: 'paid', reward_declined: 'declined',
    st_reported: 'reported', st_rejected: 'rejected', st_accepted: 'accepted', st_assigned: 'assigned', st_rectifying: 'rectifying', st_rectified: 'rectified, to verify', st_closed: 'closed', st_reopened: 'reopened',
    act_create: 'created', act_accept: 'accept', act_reject: 'reject', act_assign: 'assign', act_sign: 'sign for', act_send_back: 'send back (wrong unit)', act_submit: 'submit rectification',
    act_return: 'return (not fixed)', act_verify: 'verify and close', act_reopen: 'reopen', act_extend: 'extend deadline', act_escalate: 'escalate',
    csrc_monitoring_alert: 'monitoring alert', csrc_inspection: 'inspection', csrc_inspection_feedback: 'inspection feedback', csrc_public_report: 'public report', csrc_fire_point: 'fire point',
    cat_dust: 'dust', cat_open_burning: 'open burning', cat_exceedance: 'exceedance', cat_data_falsification: 'data falsification', cat_black_odorous_water: 'black-odorous water',
    cat_fireworks: 'fireworks', cat_scattered_coal: 'scattered coal', cat_other: 'other',
    reportTitle: 'Report an environmental problem', reportIntro: 'Seen dust, open burning, black-odorous water? Send a photo and where it is; no account needed. Keep the tracking code to follow your report.',
    photo: 'Photo', photoHint: 'JPEG, PNG or WebP, at most 8 MB', photoTooLarge: 'The photo is larger than 8 MB', locationHint: 'e.g. north-east corner of X Road and Y Road',
    useMyLocation: 'Use my location', lon: 'Longitude', lat: 'Latitude', description: 'What did you see?', contactOptional: 'Contact (optional)', yourName: 'Name', contact: 'Phone',
    contactWhoSees: 'Only bureau staff see your name and phone, to ask back or pay a reward; never published, never shown to the unit or the party reported.',
    submit: 'Submit', fillRequired: 'Please give the location and a description', noGeolocation: 'Location unavailable: please type it', reportThanks: 'Thank you, your report is in.',
    trackingCode: 'Tracking code', trackingKeep: 'Keep the code: it is the only way to follow your report.', lookUp: 'Look up', trackNotFound: 'No report has this tracking code.', updatedAt: 'Updated',
  },
};
// The ledger's reasons for a status (service/ledger.c) as the server sends them, in Chinese.
const whyZh = {
  done: '已完成', 'done after the deadline': '逾期完成', overdue: '已逾期', 'due soon': '临近期限',
  'on schedule': '按期推进', met: '已达标', missed: '未达标', 'no value after the deadline': '到期无数据',
  'projected to meet': '预计达标', 'projected to miss': '预计不达标', 'meets so far': '目前达标',
  'misses so far': '目前未达标', 'not yet reported': '尚未上报',
};
export const why = (s) => (lang === 'zh' && whyZh[s]) || s;
const categoryEn = { 优: 'Excellent', 良: 'Good', 轻度污染: 'Lightly polluted', 中度污染: 'Moderately polluted', 重度污染: 'Heavily polluted', 严重污染: 'Severely polluted', 全区: 'Zone' };

export let lang = new URLSearchParams(location.search).get('lang') || localStorage.getItem('envwatch.lang') || 'zh';
if (!dict[lang]) lang = 'zh';
export const t = (k) => dict[lang][k] ?? k;
export const tr = (zh) => (lang === 'en' && categoryEn[zh]) || zh;
export function setLang(l) {
  lang = l;
  localStorage.setItem('envwatch.lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}
