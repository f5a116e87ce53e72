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

typedef enum { SIM_AIR, SIM_GAS, SIM_WATER, SIM_MIXED } sim_kind;

/* Parse "air", "gas", "water", "mixed". Returns 0 or -1. */
int sim_kind_parse(const char *s, sim_kind *out);

/* The identity of device index i (0-based) of a run of kind k: MN (24 characters, NUL
 * terminated), password (6 digits), and the site kind for the device list ("air",
 * "gas_outlet", "water_outlet"). Mixed runs cycle air, gas, water. */
void sim_identity(sim_kind k, unsigned i, char mn[25], char pw[7], const char **site_kind);
/* Write the device list (the CSV that `serve --devices` reads) of devices [0, n). */
void sim_print_devices(FILE *out, sim_kind k, unsigned n);

typedef struct sim_config {
    const char *addr;  /* "HOST:PORT" */
    unsigned devices;  /* connections / devices */
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

#endif
