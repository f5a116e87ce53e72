/* hj212 code tables: versions, ST system codes, CN command codes, data flags, reply codes
 * and the factor codes of HJ 212-2017 Annex B with their HJ/T 212-2005 predecessors.
 * Static data only; lookups are linear because the tables are small and lookups happen per
 * distinct code (callers cache), not per byte. */
#include <string.h>

#include "hj212/hj212.h"

const char *hj212_version_name(int version)
{
    /* HJ 212-2017 table 3, Flag bits V5..V0: 000000 = HJ/T 212-2005, 000001 = HJ 212-2017;
     * HJ 212-2025 uses 000010 (same framing and CRC). */
    switch (version) {
    case HJ212_V2005:
        return "HJ/T 212-2005";
    case HJ212_V2017:
        return "HJ 212-2017";
    case HJ212_V2025:
        return "HJ 212-2025";
    }
    return NULL;
}

/* HJ 212-2017 table 5: 10-29 environmental quality, 30-49 pollution sources, 50-69 process
 * monitoring, 91-99 system interaction. */
static const hj212_st_info st_table[] = {
    {"21", "地表水质量监测", "surface-water quality"},
    {"22", "空气质量监测", "ambient air quality"},
    {"23", "声环境质量监测", "acoustic environment quality"},
    {"24", "地下水质量监测", "groundwater quality"},
    {"25", "土壤质量监测", "soil quality"},
    {"26", "海水质量监测", "sea-water quality"},
    {"27", "挥发性有机物监测", "volatile organic compounds"},
    {"31", "大气环境污染源", "atmospheric pollution source"},
    {"32", "地表水体环境污染源", "surface-water pollution source"},
    {"33", "地下水体环境污染源", "groundwater pollution source"},
    {"34", "海洋环境污染源", "marine pollution source"},
    {"35", "土壤环境污染源", "soil pollution source"},
    {"36", "声环境污染源", "noise pollution source"},
    {"37", "振动环境污染源", "vibration source"},
    {"38", "放射性环境污染源", "radioactive source"},
    {"39", "工地扬尘污染源", "construction-site dust source"},
    {"41", "电磁环境污染源", "electromagnetic source"},
    {"51", "烟气排放过程监控", "flue-gas process monitoring"},
    {"52", "污水排放过程监控", "wastewater process monitoring"},
    {"91", "系统交互", "system interaction"},
};

const hj212_st_info *hj212_st_find(hj212_str st)
{
    for (size_t i = 0; i < sizeof st_table / sizeof st_table[0]; i++)
        if (hj212_str_eq(st, st_table[i].st))
            return &st_table[i];
    return NULL;
}

#define V05 HJ212_V2005
#define V17 HJ212_V2017
#define V25 HJ212_V2025
#define P2F HJ212_DIR_P2F
#define F2P HJ212_DIR_F2P
#define BOTH HJ212_DIR_BOTH
/* HJ 212-2017 table 9; HJ/T 212-2005 commands dropped in 2017 (alarm and address commands)
 * carry until = 2005; HJ 212-2025 additions carry since = 2025 (read from public code
 * tracking that edition, not yet from its text). */
static const hj212_cn_info cn_table[] = {
    {1000, P2F, V05, -1, "设置超时时间及重发次数", "set timeout and retries"},
    {1001, F2P, V25, -1, "上传数采仪硬件信息", "upload logger hardware information"},
    {1002, P2F, V25, -1, "设置MN", "set MN"},
    {1011, BOTH, V05, -1, "提取/上传现场机时间", "get / upload field-unit time"},
    {1012, P2F, V05, -1, "设置现场机时间", "set field-unit time"},
    {1013, F2P, V17, -1, "现场机时间校准请求", "time-calibration request"},
    {1014, BOTH, V25, -1, "密钥交换", "secret-key exchange"},
    {1021, BOTH, V05, V05, "提取污染物报警门限值", "get alarm thresholds"},
    {1022, P2F, V05, V05, "设置污染物报警门限值", "set alarm thresholds"},
    {1031, BOTH, V05, V05, "提取上位机地址", "get platform address"},
    {1032, P2F, V05, V05, "设置上位机地址", "set platform address"},
    {1041, BOTH, V05, V05, "提取数据上报时间", "get report time"},
    {1042, P2F, V05, V05, "设置数据上报时间", "set report time"},
    {1061, BOTH, V05, -1, "提取/上传实时数据间隔", "get / upload real-time interval"},
    {1062, P2F, V05, -1, "设置实时数据间隔", "set real-time interval"},
    {1063, BOTH, V17, -1, "提取/上传分钟数据间隔", "get / upload minute-data interval"},
    {1064, P2F, V17, -1, "设置分钟数据间隔", "set minute-data interval"},
    {1072, P2F, V05, -1, "设置现场机访问密码", "set access password"},
    {2011, BOTH, V05, -1, "取/上传污染物实时数据", "start / upload real-time data"},
    {2012, P2F, V05, -1, "停止察看污染物实时数据", "stop real-time data"},
    {2013, F2P, V25, -1, "上传原始监测数据", "upload raw monitoring data"},
    {2021, BOTH, V05, -1, "取/上传设备运行状态数据", "start / upload facility running state"},
    {2022, P2F, V05, -1, "停止察看设备运行状态", "stop running-state upload"},
    {2031, BOTH, V05, -1, "取/上传污染物日历史数据", "get / upload daily data"},
    {2041, BOTH, V05, -1, "取/上传设备运行时间日历史数据", "get / upload daily running time"},
    {2051, BOTH, V05, -1, "取/上传污染物分钟数据", "get / upload minute data"},
    {2052, F2P, V25, -1, "上传单次噪声监测数据", "upload single noise measurement"},
    {2061, BOTH, V05, -1, "取/上传污染物小时数据", "get / upload hourly data"},
    {2062, F2P, V25, -1, "上传自动标样核查数据", "upload automatic standard-check data"},
    {2071, BOTH, V05, V05, "取污染物报警记录", "get alarm records"},
    {2072, F2P, V05, V05, "上传污染物报警事件", "upload alarm event"},
    {2081, F2P, V17, -1, "上传数采仪开机时间", "upload logger restart time"},
    {2111, F2P, V25, -1, "上传炉膛温度5分钟均值", "upload furnace temperature 5-minute mean"},
    {3011, P2F, V05, -1, "零点校准量程校准", "zero / span calibration"},
    {3012, P2F, V05, -1, "即时采样", "immediate sampling"},
    {3013, P2F, V05, -1, "启动清洗/反吹", "cleaning / blow-back"},
    {3014, P2F, V05, -1, "比对采样", "comparison sampling"},
    {3015, BOTH, V17, -1, "超标留样", "over-limit sample retention"},
    {3016, P2F, V17, -1, "设置采样时间周期", "set sampling cycle"},
    {3017, BOTH, V17, -1, "提取采样时间周期", "get sampling cycle"},
    {3018, BOTH, V17, -1, "提取出样时间", "get sample-output time"},
    {3019, BOTH, V17, -1, "提取设备唯一标识", "get instrument id"},
    {3020, BOTH, V17, -1, "提取/上传现场机信息", "get / upload field-unit information"},
    {3021, P2F, V17, -1, "设置现场机参数", "set field-unit parameters"},
    {3022, P2F, V25, -1, "即时采样任务", "instant sampling task"},
    {3024, P2F, V25, -1, "启动标样核查", "start standard check"},
    {9011, F2P, V05, -1, "请求应答", "request answer"},
    {9012, F2P, V05, -1, "执行结果", "execution result"},
    {9013, BOTH, V05, -1, "通知应答", "notification answer"},
    {9014, BOTH, V05, -1, "数据应答", "data answer"},
    {9015, BOTH, V25, -1, "心跳", "heartbeat"},
};

const hj212_cn_info *hj212_cn_find(int cn)
{
    size_t lo = 0, hi = sizeof cn_table / sizeof cn_table[0];
    while (lo < hi) { /* the table is sorted by cn */
        size_t mid = (lo + hi) / 2;
        if (cn_table[mid].cn == cn)
            return &cn_table[mid];
        if (cn_table[mid].cn < cn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

typedef struct flag_info {
    const char *flag;
    const char *zh, *en;
} flag_info;

/* HJ 212-2017 table 8. */
static const flag_info flags_2017[] = {
    {"N", "在线监控（监测）仪器仪表工作正常", "instrument working normally"},
    {"F", "在线监控（监测）仪器仪表停运", "instrument stopped"},
    {"M", "在线监控（监测）仪器仪表处于维护期间产生的数据", "data produced during maintenance"},
    {"S", "手工输入的设定值", "manually entered set value"},
    {"D", "在线监控（监测）仪器仪表故障", "instrument fault"},
    {"C", "在线监控（监测）仪器仪表处于校准状态", "instrument calibrating"},
    {"T", "在线监控（监测）仪器仪表采样数值超过测量上限", "above the measuring range"},
    {"B", "在线监控（监测）仪器仪表与数采仪通讯异常", "instrument-logger communication fault"},
};
/* HJ/T 212-2005: pollution-source flags, and the air-station digits 0-3. */
static const flag_info flags_2005[] = {
    {"P", "电源故障", "power failure"},
    {"F", "排放源停运", "emission source stopped"},
    {"C", "校验", "calibration / check"},
    {"M", "维护", "maintenance"},
    {"T", "超测上限", "above the measuring range"},
    {"D", "故障", "fault"},
    {"S", "设定值", "set value"},
    {"N", "正常", "normal"},
    {"0", "校准数据", "calibration data"},
    {"1", "气象参数", "meteorological parameter"},
    {"2", "异常数据", "abnormal data"},
    {"3", "正常数据", "normal data"},
};

const char *hj212_flag_meaning(hj212_str flag, int version, bool zh)
{
    const flag_info *t = version == HJ212_V2005 ? flags_2005 : flags_2017;
    size_t n = version == HJ212_V2005 ? sizeof flags_2005 / sizeof flags_2005[0]
                                      : sizeof flags_2017 / sizeof flags_2017[0];
    for (size_t i = 0; i < n; i++)
        if (hj212_str_eq(flag, t[i].flag))
            return zh ? t[i].zh : t[i].en;
    return NULL;
}

bool hj212_flag_normal(const char *flag)
{
    return !flag || !*flag || !strcmp(flag, "N") || !strcmp(flag, "3");
}

const char *hj212_qnrtn_text(int code)
{
    /* HJ 212-2017 table 6. */
    switch (code) {
    case 1:
        return "ready to execute";
    case 2:
        return "request refused";
    case 3:
        return "PW error";
    case 4:
        return "MN error";
    case 5:
        return "ST error";
    case 6:
        return "Flag error";
    case 7:
        return "QN error";
    case 8:
        return "CN error";
    case 9:
        return "CRC error";
    case 100:
        return "unknown error";
    }
    return NULL;
}

const char *hj212_exertn_text(int code)
{
    /* HJ 212-2017 table 7. */
    switch (code) {
    case 1:
        return "success";
    case 2:
        return "failed, unknown reason";
    case 3:
        return "request condition error";
    case 4:
        return "communication timeout";
    case 5:
        return "system busy";
    case 6:
        return "system fault";
    case 100:
        return "no data";
    }
    return NULL;
}

/* HJ 212-2017 Annex B: tables B.1 (wastewater), B.2 (flue gas), B.3 (ambient air, noise);
 * "old_code" is the HJ/T 212-2005 code printed beside the new one. Units as printed: the
 * standard lists particulates in ng/m3 although stations usually send ug/m3, so units are
 * configured per device, not taken from here (see the hj212 notes). a05024 (O3) and a99054
 * are not in Annex B but come from HJ 524-2009 / field practice and are sent universally. */
static const hj212_param params[] = {
    /* B.1 wastewater, ST 32 */
    {"w00000", "B01", "污水", "wastewater flow", "L/s", "m³", "N5.2", 32},
    {"w01001", "001", "pH值", "pH", "", NULL, "N2.2", 32},
    {"w01009", NULL, "溶解氧", "dissolved oxygen", "mg/L", NULL, "N3.1", 32},
    {"w01010", NULL, "水温", "water temperature", "℃", NULL, "N3.1", 32},
    {"w01012", "003", "悬浮物", "suspended solids", "mg/L", "kg", "N4", 32},
    {"w01014", NULL, "电导率", "conductivity", "μS/cm", NULL, "N3.1", 32},
    {"w01017", "010", "五日生化需氧量", "BOD5", "mg/L", "kg", "N5.1", 32},
    {"w01018", "011", "化学需氧量", "COD", "mg/L", "kg", "N5.1", 32},
    {"w01019", NULL, "高锰酸盐指数", "permanganate index", "mg/L", "kg", "N3.1", 32},
    {"w01020", "015", "总有机碳", "total organic carbon", "mg/L", "kg", "N3.1", 32},
    {"w20111", "020", "总汞", "total mercury", "μg/L", "g", "N3.2", 32},
    {"w20115", "022", "总镉", "total cadmium", "μg/L", "g", "N3.1", 32},
    {"w20116", "023", "总铬", "total chromium", "mg/L", "kg", "N3.3", 32},
    {"w20117", "024", "六价铬", "hexavalent chromium", "μg/L", "g", "N2.3", 32},
    {"w20119", "026", "总砷", "total arsenic", "μg/L", "g", "N2.3", 32},
    {"w20120", "027", "总铅", "total lead", "μg/L", "g", "N4", 32},
    {"w20121", "028", "总镍", "total nickel", "mg/L", "kg", "N3.2", 32},
    {"w20122", "029", "总铜", "total copper", "mg/L", "kg", "N3.2", 32},
    {"w20123", "030", "总锌", "total zinc", "mg/L", "kg", "N3.3", 32},
    {"w21001", "065", "总氮", "total nitrogen", "mg/L", "kg", "N4.2", 32},
    {"w21003", "060", "氨氮", "ammonia nitrogen", "mg/L", "kg", "N4.2", 32},
    {"w21011", "101", "总磷", "total phosphorus", "mg/L", "kg", "N3.2", 32},
    {"w21016", "070", "氰化物", "cyanide", "mg/L", "kg", "N3.3", 32},
    {"w21017", "072", "氟化物", "fluoride", "mg/L", "kg", "N4.2", 32},
    {"w21019", "071", "硫化物", "sulphide", "mg/L", "kg", "N3.3", 32},
    {"w22001", "080", "石油类", "petroleum oils", "mg/L", "kg", "N3.2", 32},
    {"w23002", "110", "挥发酚", "volatile phenols", "mg/L", "kg", "N3.4", 32},
    /* B.2 flue gas, ST 31 */
    {"a00000", "B02", "废气", "flue-gas flow", "m³/s", "m³", "N6.1", 31},
    {"a01010", "37", "林格曼黑度", "Ringelmann blackness", "", NULL, "N1", 31},
    {"a01011", "S02", "烟气流速", "flue-gas velocity", "m/s", NULL, "N5.2", 31},
    {"a01012", "S03", "烟气温度", "flue-gas temperature", "℃", NULL, "N3.1", 31},
    {"a01013", "S08", "烟气压力", "flue-gas pressure", "kPa", NULL, "N5.3", 31},
    {"a01014", "S05", "烟气湿度", "flue-gas humidity", "%", NULL, "N3.1", 31},
    {"a01015", "S06", "制冷温度", "cooler temperature", "℃", NULL, "N3.1", 31},
    {"a01016", "S07", "烟道截面积", "duct cross-section area", "m²", NULL, "N4.2", 31},
    {"a01017", "S04", "烟气动压", "flue-gas dynamic pressure", "kPa", NULL, "N5.3", 31},
    {"a01901", NULL, "垃圾焚烧炉膛内焚烧平均温度", "furnace average temperature", "℃", NULL, "N4.1",
     31},
    {"a01902", NULL, "垃圾焚烧炉膛内DCS温度", "furnace DCS temperature", "℃", NULL, "N4.1", 31},
    {"a05001", NULL, "二氧化碳", "carbon dioxide", "mg/m³", "kg", "N3.3", 31},
    {"a05002", NULL, "甲烷", "methane", "ng/m³", "g", "N4.1", 31},
    {"a19001", "S01", "氧气含量", "oxygen content", "%", NULL, "N3.1", 31},
    {"a20057", "31", "汞及其化合物", "mercury and compounds", "mg/m³", "kg", "N4.4", 31},
    {"a21001", "10", "氨（氨气）", "ammonia", "ng/m³", "g", "N4.3", 31},
    {"a21024", "08", "氯化氢", "hydrogen chloride", "mg/m³", "kg", "N4.3", 31},
    {"a21028", "05", "硫化氢", "hydrogen sulphide", "mg/m³", "kg", "N3.2", 31},
    {"a24087", "25", "碳氢化合物", "hydrocarbons", "mg/m³", "kg", "N5.2", 31},
    {"a24088", NULL, "非甲烷总烃", "non-methane hydrocarbons", "mg/m³", "kg", "N7.3", 31},
    {"a25002", NULL, "苯", "benzene", "mg/m³", "kg", "N7.3", 31},
    {"a25003", "17", "甲苯", "toluene", "mg/m³", "kg", "N4.2", 31},
    {"a25005", "18", "二甲苯", "xylene", "mg/m³", "kg", "N4.2", 31},
    {"a34013", "01", "烟尘", "particulates (smoke dust)", "mg/m³", "kg", "N4", 31},
    /* gases measured both at stacks and stations */
    {"a21002", "03", "氮氧化物", "nitrogen oxides", "mg/m³", "kg", "N5.1", 0},
    {"a21003", NULL, "一氧化氮", "nitric oxide", "mg/m³", "kg", "N4.1", 0},
    {"a21004", NULL, "二氧化氮", "nitrogen dioxide", "mg/m³", "kg", "N4.1", 0},
    {"a21005", "04", "一氧化碳", "carbon monoxide", "mg/m³", "kg", "N3.3", 0},
    {"a21026", "02", "二氧化硫", "sulphur dioxide", "mg/m³", "kg", "N5.2", 0},
    /* B.3 ambient air and meteorology, ST 22 */
    {"a01001", NULL, "温度", "air temperature", "℃", NULL, "N3.1", 22},
    {"a01002", NULL, "湿度", "relative humidity", "%", NULL, "N3.1", 22},
    {"a01006", NULL, "气压", "air pressure", "kPa", NULL, "N5.3", 22},
    {"a01007", NULL, "风速", "wind speed", "m/s", NULL, "N4.1", 22},
    {"a01008", NULL, "风向", "wind direction", "°", NULL, "N4", 22},
    {"a05024", NULL, "臭氧", "ozone", "μg/m³", NULL, "N4.1", 22},
    {"a34001", NULL, "总悬浮颗粒物", "TSP", "ng/m³", NULL, "N4.3", 22},
    {"a34002", NULL, "可吸入颗粒物", "PM10", "ng/m³", NULL, "N3.3", 22},
    {"a34004", NULL, "细微颗粒物", "PM2.5", "ng/m³", NULL, "N3.3", 22},
    {"a34005", NULL, "亚微米颗粒物", "PM1.0", "ng/m³", NULL, "N3.3", 22},
    {"a99054", NULL, "总挥发性有机物", "TVOC", "mg/m³", NULL, "N5.3", 22},
    /* B.3 noise, ST 23 */
    {"LA", NULL, "A权声级", "A-weighted sound level", "dB", NULL, "N3.1", 23},
    {"Leq", NULL, "等效声级", "equivalent sound level", "dB", NULL, "N3.1", 23},
    {"Ld", NULL, "昼间等效声级", "day equivalent level", "dB", NULL, "N3.1", 23},
    {"Ln", NULL, "夜间等效声级", "night equivalent level", "dB", NULL, "N3.1", 23},
    {"Ldn", NULL, "昼夜等效声级", "day-night equivalent level", "dB", NULL, "N3.1", 23},
    {"L5", NULL, "累计百分声级L5", "percentile level L5", "dB", NULL, "N3.1", 23},
    {"L10", NULL, "累计百分声级L10", "percentile level L10", "dB", NULL, "N3.1", 23},
    {"L50", NULL, "累计百分声级L50", "percentile level L50", "dB", NULL, "N3.1", 23},
    {"L90", NULL, "累计百分声级L90", "percentile level L90", "dB", NULL, "N3.1", 23},
    {"L95", NULL, "累计百分声级L95", "percentile level L95", "dB", NULL, "N3.1", 23},
    {"LMx", NULL, "最大声级", "maximum level", "dB", NULL, "N3.1", 23},
    {"LMn", NULL, "最小声级", "minimum level", "dB", NULL, "N3.1", 23},
};

const hj212_param *hj212_param_table(size_t *n)
{
    *n = sizeof params / sizeof params[0];
    return params;
}

const hj212_param *hj212_param_find(hj212_str code)
{
    size_t n = sizeof params / sizeof params[0];
    for (size_t i = 0; i < n; i++)
        if (hj212_str_eq(code, params[i].code))
            return &params[i];
    /* Not a 2017 code: a HJ/T 212-2005 one maps onto its 2017 entry (Annex B "原编码"). */
    for (size_t i = 0; i < n; i++)
        if (params[i].old_code && hj212_str_eq(code, params[i].old_code))
            return &params[i];
    return NULL;
}
