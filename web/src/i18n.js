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
  },
};
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
