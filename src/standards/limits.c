/* limits: the table of emission limits. See limits.h for the contract; the sources and the
 * verification debt of each figure are in docs/source-standards.md.
 *
 * Figures are thousandths of the unit: 300000 = 300 mg/m³, 50 = 0.05 mg/m³. */
#include "standards/limits.h"

#include <string.h>

#define UP(x)                                                                                      \
    {                                                                                              \
        EXCEED_UPPER, (x), 0, 0                                                                    \
    }
#define RANGE(lo, hi)                                                                              \
    {                                                                                              \
        EXCEED_RANGE, 0, (lo), (hi)                                                                \
    }
#define GAS(std, src, zh, lvl, par, code, lim, o2, conf, note)                                     \
    {                                                                                              \
        std, src, zh, lvl, par, code, LIMITS_HOURLY, UP(lim), "mg/m3", o2, conf, note              \
    }
#define WATER(std, src, zh, lvl, par, code, lim, conf, note)                                       \
    {                                                                                              \
        std, src, zh, lvl, par, code, LIMITS_DAILY, lim, "mg/L", LIMITS_NO_O2, conf, note          \
    }

#define R LIMITS_CONF_READ
#define C LIMITS_CONF_CODE
#define M LIMITS_CONF_MEMORY
#define Q LIMITS_CONF_UNSURE

/* clang-format off */
static const limits_row rows[] = {
    /* GB 13271-2014 锅炉大气污染物排放标准, new boilers (Table 2) and special limits (Table 3);
     * reference O2 9 % coal, 3.5 % oil and gas. */
    GAS("GB 13271-2014", "coal_boiler", "燃煤锅炉", "general", "PM",  "a34013", 50000,  9000, M, ""),
    GAS("GB 13271-2014", "coal_boiler", "燃煤锅炉", "general", "SO2", "a21026", 300000, 9000, M, ""),
    GAS("GB 13271-2014", "coal_boiler", "燃煤锅炉", "general", "NOx", "a21002", 300000, 9000, M, ""),
    GAS("GB 13271-2014", "coal_boiler", "燃煤锅炉", "general", "Hg",  "a20057", 50,     9000, M, ""),
    GAS("GB 13271-2014", "coal_boiler", "燃煤锅炉", "special", "PM",  "a34013", 30000,  9000, M, ""),
    GAS("GB 13271-2014", "coal_boiler", "燃煤锅炉", "special", "SO2", "a21026", 200000, 9000, M, ""),
    GAS("GB 13271-2014", "coal_boiler", "燃煤锅炉", "special", "NOx", "a21002", 200000, 9000, M, ""),
    GAS("GB 13271-2014", "oil_boiler",  "燃油锅炉", "general", "PM",  "a34013", 30000,  3500, M, ""),
    GAS("GB 13271-2014", "oil_boiler",  "燃油锅炉", "general", "SO2", "a21026", 200000, 3500, M, ""),
    GAS("GB 13271-2014", "oil_boiler",  "燃油锅炉", "general", "NOx", "a21002", 250000, 3500, M, ""),
    GAS("GB 13271-2014", "oil_boiler",  "燃油锅炉", "special", "PM",  "a34013", 30000,  3500, M, ""),
    GAS("GB 13271-2014", "oil_boiler",  "燃油锅炉", "special", "SO2", "a21026", 100000, 3500, M, ""),
    GAS("GB 13271-2014", "oil_boiler",  "燃油锅炉", "special", "NOx", "a21002", 200000, 3500, M, ""),
    GAS("GB 13271-2014", "gas_boiler",  "燃气锅炉", "general", "PM",  "a34013", 20000,  3500, M, ""),
    GAS("GB 13271-2014", "gas_boiler",  "燃气锅炉", "general", "SO2", "a21026", 50000,  3500, M, ""),
    GAS("GB 13271-2014", "gas_boiler",  "燃气锅炉", "general", "NOx", "a21002", 200000, 3500, M, ""),
    GAS("GB 13271-2014", "gas_boiler",  "燃气锅炉", "special", "PM",  "a34013", 20000,  3500, M, ""),
    GAS("GB 13271-2014", "gas_boiler",  "燃气锅炉", "special", "SO2", "a21026", 50000,  3500, M, ""),
    GAS("GB 13271-2014", "gas_boiler",  "燃气锅炉", "special", "NOx", "a21002", 150000, 3500, M, ""),
    /* DB41/2089-2021 (Henan) gas-fired boilers: text not at hand. */
    GAS("DB41/2089-2021", "gas_boiler", "燃气锅炉", "henan", "PM",  "a34013", 5000,  3500, Q, ""),
    GAS("DB41/2089-2021", "gas_boiler", "燃气锅炉", "henan", "SO2", "a21026", 10000, 3500, Q, ""),
    GAS("DB41/2089-2021", "gas_boiler", "燃气锅炉", "henan", "NOx", "a21002", 30000, 3500, Q, ""),
    /* GB 4915-2013 水泥工业大气污染物排放标准, kiln and kiln-tail waste-heat system; reference
     * O2 10 % (independent-heat dryers 8 %). PM/SO2/NOx seen in public code tables. */
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "general", "PM",  "a34013", 30000,  10000, C, ""),
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "general", "SO2", "a21026", 200000, 10000, C, ""),
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "general", "NOx", "a21002", 400000, 10000, C, ""),
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "general", "NH3", "a21001", 10000,  10000, M, ""),
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "general", "F",   NULL,     5000,   10000, M, "fluorides as F"),
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "general", "Hg",  "a20057", 50,     10000, M, ""),
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "special", "PM",  "a34013", 20000,  10000, C, ""),
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "special", "SO2", "a21026", 100000, 10000, C, ""),
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "special", "NOx", "a21002", 320000, 10000, C, ""),
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "special", "NH3", "a21001", 8000,   10000, M, ""),
    GAS("GB 4915-2013", "cement_kiln", "水泥窑及窑尾余热利用系统", "special", "F",   NULL,     3000,   10000, M, "fluorides as F"),
    /* Cement ultra-low emission (环大气〔2024〕5号) and Henan DB41/1953-2020. */
    GAS("环大气〔2024〕5号", "cement_kiln", "水泥窑及窑尾余热利用系统", "ultra_low", "PM",  "a34013", 10000, 10000, M, ""),
    GAS("环大气〔2024〕5号", "cement_kiln", "水泥窑及窑尾余热利用系统", "ultra_low", "SO2", "a21026", 35000, 10000, M, ""),
    GAS("环大气〔2024〕5号", "cement_kiln", "水泥窑及窑尾余热利用系统", "ultra_low", "NOx", "a21002", 50000, 10000, M, ""),
    GAS("环大气〔2024〕5号", "cement_kiln", "水泥窑及窑尾余热利用系统", "ultra_low", "NH3", "a21001", 8000,  10000, M, ""),
    GAS("DB41/1953-2020", "cement_kiln", "水泥窑及窑尾余热利用系统", "henan", "PM",  "a34013", 10000,  10000, Q, ""),
    GAS("DB41/1953-2020", "cement_kiln", "水泥窑及窑尾余热利用系统", "henan", "SO2", "a21026", 35000,  10000, Q, ""),
    GAS("DB41/1953-2020", "cement_kiln", "水泥窑及窑尾余热利用系统", "henan", "NOx", "a21002", 100000, 10000, Q, ""),
    /* GB 13223-2011 火电厂大气污染物排放标准; reference O2 6 % (coal), 15 % (gas turbines). */
    GAS("GB 13223-2011", "coal_power", "燃煤发电锅炉", "general", "PM",  "a34013", 30000,  6000, C, ""),
    GAS("GB 13223-2011", "coal_power", "燃煤发电锅炉", "general", "SO2", "a21026", 100000, 6000, C, "new boilers; 200 for existing"),
    GAS("GB 13223-2011", "coal_power", "燃煤发电锅炉", "general", "NOx", "a21002", 100000, 6000, C, "some existing boilers 200"),
    GAS("GB 13223-2011", "coal_power", "燃煤发电锅炉", "general", "Hg",  "a20057", 30,     6000, M, ""),
    GAS("GB 13223-2011", "coal_power", "燃煤发电锅炉", "special", "PM",  "a34013", 20000,  6000, C, ""),
    GAS("GB 13223-2011", "coal_power", "燃煤发电锅炉", "special", "SO2", "a21026", 50000,  6000, C, ""),
    GAS("GB 13223-2011", "coal_power", "燃煤发电锅炉", "special", "NOx", "a21002", 100000, 6000, C, ""),
    GAS("GB 13223-2011", "gas_turbine", "天然气燃气轮机组", "general", "PM",  "a34013", 5000,  15000, M, ""),
    GAS("GB 13223-2011", "gas_turbine", "天然气燃气轮机组", "general", "SO2", "a21026", 35000, 15000, M, ""),
    GAS("GB 13223-2011", "gas_turbine", "天然气燃气轮机组", "general", "NOx", "a21002", 50000, 15000, M, ""),
    /* Coal power ultra-low emission (环发〔2015〕164号). */
    GAS("环发〔2015〕164号", "coal_power", "燃煤发电锅炉", "ultra_low", "PM",  "a34013", 10000, 6000, M, ""),
    GAS("环发〔2015〕164号", "coal_power", "燃煤发电锅炉", "ultra_low", "SO2", "a21026", 35000, 6000, M, ""),
    GAS("环发〔2015〕164号", "coal_power", "燃煤发电锅炉", "ultra_low", "NOx", "a21002", 50000, 6000, M, ""),
    /* GB 16297-1996 大气污染物综合排放标准, new sources, "other" processes: measured
     * concentration, no O2 correction; the standard also has stack-height kg/h limits. */
    GAS("GB 16297-1996", "general_process", "其他工艺", "new", "SO2",  "a21026", 550000, LIMITS_NO_O2, C, "sulphur-compound use and other"),
    GAS("GB 16297-1996", "general_process", "其他工艺", "new", "NOx",  "a21002", 240000, LIMITS_NO_O2, C, "other than nitric acid, fertiliser, explosives"),
    GAS("GB 16297-1996", "general_process", "其他工艺", "new", "PM",   "a34013", 120000, LIMITS_NO_O2, C, "other"),
    GAS("GB 16297-1996", "general_process", "其他工艺", "new", "NMHC", "a24088", 120000, LIMITS_NO_O2, M, ""),
    /* GB 18918-2002 城镇污水处理厂污染物排放标准, daily (24-h composite / daily mean). */
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1A", "COD",   "w01018", UP(50000), R, ""),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1A", "BOD5",  "w01017", UP(10000), M, ""),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1A", "SS",    "w01012", UP(10000), R, ""),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1A", "TN",    "w21001", UP(15000), R, ""),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1A", "NH3-N", "w21003", UP(5000),  R, "water above 12 degC; see 1A_cold"),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1A_cold", "NH3-N", "w21003", UP(8000), R, "water at or below 12 degC"),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1A", "TP",    "w21011", UP(500),   R, "plants built from 2006-01-01; 1 before"),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1A", "pH",    "w01001", RANGE(6000, 9000), R, ""),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1B", "COD",   "w01018", UP(60000), R, ""),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1B", "BOD5",  "w01017", UP(20000), M, ""),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1B", "SS",    "w01012", UP(20000), M, ""),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1B", "TN",    "w21001", UP(20000), M, ""),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1B", "NH3-N", "w21003", UP(8000),  R, "water above 12 degC; see 1B_cold"),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1B_cold", "NH3-N", "w21003", UP(15000), R, "water at or below 12 degC"),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1B", "TP",    "w21011", UP(1000),  M, "plants built from 2006-01-01; 1.5 before"),
    WATER("GB 18918-2002", "municipal_wwtp", "城镇污水处理厂", "1B", "pH",    "w01001", RANGE(6000, 9000), M, ""),
};
/* clang-format on */

size_t limits_count(void)
{
    return sizeof rows / sizeof rows[0];
}

const limits_row *limits_row_at(size_t i)
{
    return i < limits_count() ? &rows[i] : NULL;
}

static bool eq(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

const limits_row *limits_find(const char *standard, const char *source, const char *level,
                              const char *param)
{
    for (size_t i = 0; i < limits_count(); i++) {
        const limits_row *r = &rows[i];
        if (eq(r->standard, standard) && eq(r->source, source) && eq(r->level, level) &&
            eq(r->param, param))
            return r;
    }
    return NULL;
}

int64_t limits_o2_ref(const char *source)
{
    for (size_t i = 0; i < limits_count(); i++)
        if (eq(rows[i].source, source))
            return rows[i].o2_ref_milli;
    return LIMITS_NO_O2;
}
