/* sim: virtual HJ 212 field units for tests, demos and benchmarks.
 *
 * N devices, each one TCP connection to the platform, upload HJ 212-2017 minute data
 * (CN 2051, Flag 5: acknowledgement wanted) like real data loggers: air stations with a
 * diurnal PM2.5/O3 pattern, flue-gas outlets (SO2, NOx, dust, O2, flow) and wastewater
 * outlets (COD, NH3-N, pH, flow with cumulative quantity). Now and then, as real equipment
 * does, a device retransmits a packet (as if it had missed the 9014), sends a message
 * split into two pieces (Flag 7, PNUM/PNO), or sends a frame with a corrupted CRC. With
 * p_gap a device skips minutes as if its link had dropped and uploads them when the
 * platform requests them (CN 2051 with BeginTime/EndTime: 9011, the data, 9012).
 *
 * Identities are derived from the index so that tests can register them without talking
 * to the simulator: sim_identity(). Single-threaded (one libuv loop). */
#ifndef EW_NET_SIM_H
#define EW_NET_SIM_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hj212/hj212.h"

/* SIM_GHG (greenhouse-gas stations) and SIM_SECTION (surface-water automatic stations) come
 * only from a device list, never from --kind. */
typedef enum { SIM_AIR, SIM_GAS, SIM_WATER, SIM_MIXED, SIM_GHG, SIM_SECTION } sim_kind;

/* A device of a device list (the CSV of `serve --devices`): what the simulator needs. */
typedef struct sim_device {
    char mn[25], pw[7];
    sim_kind kind;   /* SIM_AIR, SIM_GAS, SIM_WATER, SIM_GHG or SIM_SECTION */
    unsigned faults; /* bits 1u << sim_fault: how the outlet misbehaves (0 when loaded) */
} sim_device;

/* Faults of an outlet (simulate --fault KIND:MN), so that the demo shows what the
 * pollution-source screens catch. A faulty outlet misbehaves on one Beijing day in 20 (which
 * one depends on its MN), from 09:00 to 15:00:
 *  - SIM_FAULT_CONSTANT: its first factor (SO2, COD) holds one value, to the digit;
 *  - SIM_FAULT_ZERO: its first factor reads 0;
 *  - SIM_FAULT_DILUTION: flue gas only: O2 reads 20.5 % and the pollutants are diluted by
 *    the same air, (21 − 20.5) / (21 − 9.5);
 *  - SIM_FAULT_EXCEED: its first factor reads 5 times the model's value, 09:00 to 12:00;
 *  - SIM_FAULT_GAP: the six hours are never sent (75 % of the day received);
 *  - SIM_FAULT_SILENT: not a day in 20 but for good: its history ends SIM_SILENT_S before the
 *    history's end and the real-time simulator sends it nothing (a cut line, a transmitter
 *    switched off), so the scan's data_silent finds it. */
typedef enum sim_fault {
    SIM_FAULT_CONSTANT,
    SIM_FAULT_ZERO,
    SIM_FAULT_DILUTION,
    SIM_FAULT_EXCEED,
    SIM_FAULT_GAP,
    SIM_FAULT_SILENT,
    SIM_FAULT_COUNT
} sim_fault;

/* One --fault: the outlet's MN and the faults it gets. */
typedef struct sim_fault_spec {
    char mn[25];
    unsigned faults;
} sim_fault_spec;

#define SIM_SILENT_S (30 * 3600) /* a silent outlet's history stops this long before its end */

/* Parse "KIND:MN" (KIND constant, zero, dilution, exceed, gap or silent). Returns 0, or -1 (*out
 * unchanged). */
int sim_fault_parse(const char *spec, sim_fault_spec *out);
/* Give each of the n devices the faults the specs name for its MN. Returns how many specs
 * matched no device (a typing error the caller reports). */
size_t sim_faults_apply(sim_device *d, size_t n, const sim_fault_spec *f, size_t nf);

/* The HJ 212-2017 system code (ST, table 5) a device of kind k uploads with. Static string. */
const char *sim_st_of(sim_kind k);

/* Parse "air", "gas", "water", "mixed". Returns 0 or -1. */
int sim_kind_parse(const char *s, sim_kind *out);

/* The identity of device index i (0-based) of a run of kind k: MN (24 characters, NUL
 * terminated), password (6 digits), and the site kind for the device list ("air",
 * "gas_outlet", "water_outlet"). Mixed runs cycle air, gas, water. */
void sim_identity(sim_kind k, unsigned i, char mn[25], char pw[7], const char **site_kind);
/* Write the device list (the CSV that `serve --devices` reads) of devices [first, first+n). */
void sim_print_devices(FILE *out, sim_kind k, unsigned first, unsigned n);

typedef struct sim_config {
    const char *addr;  /* "HOST:PORT" */
    unsigned devices;  /* connections / devices */
    unsigned first;    /* index of the first device (sim_identity): runs with disjoint
                          ranges load disjoint devices */
    double rate;       /* packets per second per device; 0 = as fast as the window allows */
    double duration_s; /* sending time; the run then waits up to 5 s for missing replies */
    sim_kind kind;
    unsigned window;     /* unanswered packets per device; 0 = 1 with a rate, 16 without */
    double p_retransmit; /* per packet, probability of resending it once answered */
    double p_split;      /* probability of a packetised (PNUM=2) upload */
    double p_malformed;  /* probability of a corrupted-CRC frame (never answered) */
    double p_bad_pw;     /* probability of a wrong password (answered 9011 QnRtn=3) */
    double p_gap;        /* probability of holding a minute back (a lost link), to be sent
                            only when the platform asks for it (CN 2051 request) */
    uint32_t seed;
    int64_t start_utc; /* DataTime of each device's first packet (minute-aligned) */
    FILE *acked_log;   /* if set: "MN DataTime(UTC s) PNO" for every 9014 received */
    /* Devices of a device list (borrowed; NULL: devices derived from the index with
     * sim_identity). Their values come from the demo model (sim_model_factors). */
    const sim_device *devs;
    /* Real time: each device uploads minute data (2051) for every minute of the wall clock
     * from start_utc on, as the minute ends, and the hour (2061) of every hour that ends;
     * minutes already past at the start are caught up at once. rate is ignored. */
    bool realtime;
} sim_config;

typedef struct sim_report {
    uint64_t sent;      /* frames written (pieces, retransmissions, malformed included) */
    uint64_t acked;     /* 9014 replies matched to a frame */
    uint64_t rejected;  /* 9011 replies with a QnRtn other than 1 */
    uint64_t malformed; /* corrupted frames sent (no reply expected) */
    uint64_t retransmits;
    uint64_t split_pieces;
    uint64_t unanswered; /* frames expecting a reply that got none before the end */
    uint64_t connect_failures;
    uint64_t disconnects;
    uint64_t gaps;             /* minutes held back */
    uint64_t history_requests; /* 2051 requests received (answered 9011, data, 9012) */
    uint64_t history_sent;     /* minutes uploaded in answer to them */
    double elapsed_s;
    double p50_ms, p99_ms, max_ms; /* reply latency */
} sim_report;

/* Run the simulation. Returns 0 (the report says what happened) or negative with err
 * filled when the run could not start (bad address). */
int sim_run(const sim_config *cfg, sim_report *rep, char *err, size_t errcap);

/* ---- a demo year (simyear.c) ----------------------------------------------------------
 *
 * A model of the zone's air and of enterprises' outlets whose values are pure functions of
 * (MN, time): Zhengzhou's seasons, multi-day winter PM2.5 episodes, spring dust, summer O3
 * with an afternoon peak, rush-hour NO2; outlets with a production load and now and then a
 * short exceedance. The bulk history and the live simulator use the same model, so the live
 * data continues the history. */

/* The factors of device d for the period [start_utc, start_utc + period_s) (60: minute,
 * 3600: hour): fills f (at most 8), returns how many. Codes and units as HJ 212 Annex B:
 * air µg/m³ (CO mg/m³), flue gas mg/m³ with O2 % and flow m³/s, wastewater mg/L with pH
 * and flow L/s; Cou is the quantity in the period. */
size_t sim_model_factors(const sim_device *d, int64_t start_utc, int period_s, hj212_factor *f);
/* Whether the model loses the hour starting at hour_utc for d (about one in 300). */
bool sim_model_missing(const sim_device *d, int64_t hour_utc);
/* Encode one upload of d from the model: cn 2061 (the hour starting at t_utc) or 2051 (the
 * minute); QN from qn_ms; ack: acknowledgement wanted. Returns the frame's length, or <= 0
 * when buf (cap bytes) is too small. */
int sim_frame_hour(const sim_device *d, int64_t t_utc, int cn, int64_t qn_ms, bool ack, char *buf,
                   size_t cap);

/* Read a device list (header "mn,pw,kind,...", '#' comments); rows of kinds other than air,
 * gas_outlet and water_outlet are skipped. *out is the caller's to free. 0, or -1 with err
 * naming the file and line. */
int sim_devices_load(const char *path, sim_device **out, size_t *n, char *err, size_t errcap);

typedef struct sim_history_config {
    const char *db;           /* store locator (store_open) */
    const char *devices_csv;  /* device list, registered in the store first */
    int64_t from_utc, to_utc; /* hours starting in [from, to), both rounded down to the hour */
    const sim_fault_spec *faults; /* borrowed; n_faults of them given to the listed devices */
    size_t n_faults;
} sim_history_config;

typedef struct sim_history_report {
    uint64_t devices, hours, packets, stored, refused;
    uint64_t dustfall;  /* dust-fall samples written (one per point and complete month) */
    uint64_t flow_days; /* daily flows written (one per control section and complete day) */
    uint64_t water_results; /* laboratory results of the water sections (monthly) */
    uint64_t black_samplings; /* samplings of the black-odorous bodies' points (monthly) */
} sim_history_report;

/* Write the hourly history (CN 2061) of every modelled device of the list into the store
 * through the ingest pipeline (archived, de-duplicated, acknowledged like received data),
 * thousands of packets per transaction. A device's history resumes after its newest stored
 * hour, so a second run only adds the hours since. With it, the demo's dust-fall jars: one
 * sample per point and complete Beijing month of the period (store/dust.h), and its
 * eco-flow control sections with one daily mean per complete day (store/flow.h), and its
 * water sections with a monthly laboratory sample (store/water.h). 0, or -1 with
 * err (what was committed before the failure stays). */
int sim_history(const sim_history_config *c, sim_history_report *rep, char *err, size_t errcap);

#endif
