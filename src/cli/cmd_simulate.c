/* envwatch simulate: virtual HJ 212 devices against a server (src/net/sim.h). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/bjtime.h"
#include "cli/cli.h"
#include "net/sim.h"

static const char usage_text[] =
    "usage: envwatch simulate --devices N --rate R --duration D [options] HOST:PORT\n"
    "       envwatch simulate --devices N [--kind K] --print-devices\n"
    "       envwatch simulate --devices-file FILE --realtime --duration D HOST:PORT\n"
    "       envwatch simulate --devices-file FILE --history --db DB --from T [--to T]\n"
    "\n"
    "N virtual devices (one TCP connection each) upload HJ 212-2017 minute data (CN 2051,\n"
    "acknowledgement requested) at R packets/s each for D seconds, then wait up to 5 s for\n"
    "replies and report what was sent and acknowledged.\n"
    "\n"
    "options:\n"
    "  --kind air|gas|water|mixed  device kinds (default mixed: air, gas, water in turn)\n"
    "  --rate R           packets per second per device; 0 = as fast as the window allows\n"
    "  --window W         unanswered packets per device (default 1 with a rate, 16 at 0)\n"
    "  --retransmit P     probability of resending an answered packet (default 0.01)\n"
    "  --split P          probability of a two-piece packetised upload (default 0.01)\n"
    "  --malformed P      probability of a corrupted-CRC frame (default 0.005)\n"
    "  --bad-pw P         probability of a wrong password (default 0)\n"
    "  --gap P            probability of holding a minute back until the server requests\n"
    "                     it (CN 2051 BeginTime/EndTime) (default 0)\n"
    "  --start T          DataTime of the first packet, Unix seconds (default: now minus\n"
    "                     one minute per packet the run may send, so data stays in the past)\n"
    "  --first I          index of the first device (default 0): runs with disjoint\n"
    "                     ranges are different devices\n"
    "  --seed S           random seed\n"
    "  --acked-log FILE   write 'MN DataTime PNO' for every 9014 received\n"
    "  --json             end with one JSON object (sent, acked, rejected, ...)\n"
    "  --print-devices    print the device list (CSV for 'serve --devices') and exit\n"
    "  --devices-file F   simulate the air stations and outlets of a device list (the CSV\n"
    "                     of 'serve --devices') instead of N indexed devices; their values\n"
    "                     come from the demo model (seasons, episodes, diurnal cycles)\n"
    "  --realtime         upload each minute (2051) as the clock passes it and each hour\n"
    "                     (2061) as it ends, from the start of the current hour on\n"
    "  --history          write the model's hourly data (2061) of [--from, --to) into the\n"
    "                     database DB directly, in bulk, through the ingest pipeline (no\n"
    "                     server); each device resumes after its newest stored hour\n"
    "  --from T, --to T   Unix seconds or a Beijing date YYYY-MM-DD (--to default: now)\n"
    "  --fault KIND:MN    the outlet MN of the device list misbehaves on one day in 20,\n"
    "                     09:00-15:00 Beijing: constant (its first factor holds one value),\n"
    "                     zero, dilution (O2 20.5 %, diluted values), exceed (5 times,\n"
    "                     09:00-12:00), gap (the hours are not sent); or for good:\n"
    "                     silent (its history ends 30 hours before --to, and the\n"
    "                     real-time run sends it nothing); repeatable\n"
    "\n"
    "Device i has MN EWSIM<A|G|W><i, 18 digits> and password (i*7919+123457) mod 10^6.\n";

static int run_history(const char *db, const char *devices, int64_t from, int64_t to,
                       const sim_fault_spec *faults, size_t n_faults, int as_json)
{
    if (!db || !devices || from < 0) {
        fprintf(stderr, "envwatch simulate: --history needs --db, --devices-file and --from\n");
        return EW_EXIT_USAGE;
    }
    sim_history_config hc = {.db = db,
                             .devices_csv = devices,
                             .from_utc = from,
                             .to_utc = to,
                             .faults = faults,
                             .n_faults = n_faults};
    sim_history_report hr;
    char err[512];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (sim_history(&hc, &hr, err, sizeof err) < 0) {
        fprintf(stderr, "envwatch simulate: %s\n", err);
        return EW_EXIT_RUNTIME;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (as_json)
        printf("{\"devices\":%llu,\"hours\":%llu,\"packets\":%llu,\"stored\":%llu,"
               "\"refused\":%llu,\"dustfall_samples\":%llu,\"flow_days\":%llu,\"water_results\":%llu,"
               "\"black_samplings\":%llu,\"elapsed_s\":%.2f}\n",
               (unsigned long long)hr.devices, (unsigned long long)hr.hours,
               (unsigned long long)hr.packets, (unsigned long long)hr.stored,
               (unsigned long long)hr.refused, (unsigned long long)hr.dustfall,
               (unsigned long long)hr.flow_days, (unsigned long long)hr.water_results,
               (unsigned long long)hr.black_samplings, s);
    else
        printf("history: %llu devices, %llu hours, %llu hourly packets stored (%llu refused), "
               "%llu dust-fall samples, %llu daily flows, %llu water results, %llu black-odorous "
               "samplings in %.1f s\n",
               (unsigned long long)hr.devices, (unsigned long long)hr.hours,
               (unsigned long long)hr.stored, (unsigned long long)hr.refused,
               (unsigned long long)hr.dustfall, (unsigned long long)hr.flow_days,
               (unsigned long long)hr.water_results, (unsigned long long)hr.black_samplings, s);
    return hr.refused ? EW_EXIT_FOUND : EW_EXIT_OK;
}

static int num(const char *opt, const char *v, double *out)
{
    char *end;
    errno = 0;
    double d = v ? strtod(v, &end) : 0;
    if (!v || errno || *end || end == v || d < 0) {
        fprintf(stderr, "envwatch simulate: %s needs a non-negative number\n", opt);
        return -1;
    }
    *out = d;
    return 0;
}

int cmd_simulate(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return EW_EXIT_OK;
    }
    sim_config c = {.kind = SIM_MIXED,
                    .p_retransmit = 0.01,
                    .p_split = 0.01,
                    .p_malformed = 0.005,
                    .rate = 1,
                    .duration_s = 10};
    double devices = 1, window = 0, seed = 0, start = -1, first = 0;
    int as_json = 0, print = 0, history = 0;
    const char *acked = NULL, *devices_file = NULL, *db = NULL;
    int64_t from = -1, to = (int64_t)time(NULL);
    sim_fault_spec faults[16];
    size_t n_faults = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int r = 0;
        if (!strcmp(a, "--devices"))
            r = num(a, v, &devices), i++;
        else if (!strcmp(a, "--rate"))
            r = num(a, v, &c.rate), i++;
        else if (!strcmp(a, "--duration"))
            r = num(a, v, &c.duration_s), i++;
        else if (!strcmp(a, "--window"))
            r = num(a, v, &window), i++;
        else if (!strcmp(a, "--retransmit"))
            r = num(a, v, &c.p_retransmit), i++;
        else if (!strcmp(a, "--split"))
            r = num(a, v, &c.p_split), i++;
        else if (!strcmp(a, "--malformed"))
            r = num(a, v, &c.p_malformed), i++;
        else if (!strcmp(a, "--bad-pw"))
            r = num(a, v, &c.p_bad_pw), i++;
        else if (!strcmp(a, "--gap"))
            r = num(a, v, &c.p_gap), i++;
        else if (!strcmp(a, "--first"))
            r = num(a, v, &first), i++;
        else if (!strcmp(a, "--seed"))
            r = num(a, v, &seed), i++;
        else if (!strcmp(a, "--start"))
            r = num(a, v, &start), i++;
        else if (!strcmp(a, "--devices-file"))
            devices_file = v, i++, r = v ? 0 : -1;
        else if (!strcmp(a, "--db"))
            db = v, i++, r = v ? 0 : -1;
        else if (!strcmp(a, "--from"))
            r = cli_when_arg("simulate", a, v, &from), i++;
        else if (!strcmp(a, "--to"))
            r = cli_when_arg("simulate", a, v, &to), i++;
        else if (!strcmp(a, "--history"))
            history = 1;
        else if (!strcmp(a, "--fault")) {
            if (n_faults == sizeof faults / sizeof faults[0] ||
                sim_fault_parse(v, &faults[n_faults]) < 0) {
                fprintf(stderr, "envwatch simulate: --fault is KIND:MN, KIND constant, zero, "
                                "dilution, exceed, gap or silent (at most 16)\n");
                return EW_EXIT_USAGE;
            }
            n_faults++, i++;
        } else if (!strcmp(a, "--realtime"))
            c.realtime = true;
        else if (!strcmp(a, "--acked-log"))
            acked = v, i++, r = v ? 0 : -1;
        else if (!strcmp(a, "--kind")) {
            if (!v || sim_kind_parse(v, &c.kind) < 0) {
                fprintf(stderr, "envwatch simulate: --kind is air, gas, water or mixed\n");
                return EW_EXIT_USAGE;
            }
            i++;
        } else if (!strcmp(a, "--json"))
            as_json = 1;
        else if (!strcmp(a, "--print-devices"))
            print = 1;
        else if (a[0] == '-') {
            fprintf(stderr, "envwatch simulate: unknown option '%s'\n%s", a, usage_text);
            return EW_EXIT_USAGE;
        } else if (!c.addr)
            c.addr = a;
        else {
            fprintf(stderr, "envwatch simulate: unexpected argument '%s'\n", a);
            return EW_EXIT_USAGE;
        }
        if (r < 0)
            return EW_EXIT_USAGE;
    }
    if (history)
        return run_history(db, devices_file, from, to, faults, n_faults, as_json);
    sim_device *devs = NULL;
    if (devices_file) {
        size_t n;
        char derr[512];
        if (sim_devices_load(devices_file, &devs, &n, derr, sizeof derr) < 0) {
            fprintf(stderr, "envwatch simulate: %s\n", derr);
            return EW_EXIT_USAGE;
        }
        devices = (double)n;
        c.devs = devs;
        if (sim_faults_apply(devs, n, faults, n_faults)) {
            fprintf(stderr, "envwatch simulate: --fault: an MN is not an outlet of %s\n",
                    devices_file);
            free(devs);
            return EW_EXIT_USAGE;
        }
    } else if (n_faults) {
        fprintf(stderr, "envwatch simulate: --fault needs --devices-file\n");
        return EW_EXIT_USAGE;
    }
    c.devices = (unsigned)devices;
    /* The index is printed in 18 digits of the MN and mixes into the password as an unsigned. */
    if (first < 0 || first != (double)(unsigned)first || first + devices > 4e9 ||
        (devices_file && first > 0)) {
        fprintf(stderr, "envwatch simulate: --first is a whole number from 0, for indexed devices "
                        "(not with --devices-file)\n");
        free(devs);
        return EW_EXIT_USAGE;
    }
    c.first = (unsigned)first;
    if (print) {
        sim_print_devices(stdout, c.kind, first, c.devices);
        return EW_EXIT_OK;
    }
    if (!c.addr || c.devices == 0) {
        fprintf(stderr, "envwatch simulate: HOST:PORT and --devices N >= 1 are required\n%s",
                usage_text);
        return EW_EXIT_USAGE;
    }
    c.window = (unsigned)window;
    c.seed = (uint32_t)seed;
    if (start >= 0) {
        c.start_utc = (int64_t)start;
    } else if (c.realtime) {
        int64_t now = (int64_t)time(NULL);
        c.start_utc = now - now % 3600; /* the current hour, from its first minute */
    } else {
        /* Room for every packet a device could send at this rate (or 10^5 when unbounded),
         * minute-aligned, so that no DataTime lies in the future. */
        double per_dev = c.rate > 0 ? c.rate * c.duration_s + 2 : 1e5;
        int64_t now = (int64_t)time(NULL);
        c.start_utc = (now - (int64_t)per_dev * 60 - 3600) / 60 * 60;
    }
    FILE *log = NULL;
    if (acked && !(log = fopen(acked, "w"))) {
        fprintf(stderr, "envwatch simulate: %s: %s\n", acked, strerror(errno));
        return EW_EXIT_RUNTIME;
    }
    c.acked_log = log;
    sim_report rep;
    char err[256];
    int rc = sim_run(&c, &rep, err, sizeof err);
    if (log)
        fclose(log);
    free(devs);
    if (rc < 0) {
        fprintf(stderr, "envwatch simulate: %s\n", err);
        return EW_EXIT_USAGE;
    }
    double pps = rep.elapsed_s > 0 ? (double)rep.acked / rep.elapsed_s : 0;
    if (as_json) {
        json_t *o = json_pack(
            "{sI sI sI sI sI sI sI sI sI sI sI sI sI si sf sf s{sf sf sf}}", "sent",
            (json_int_t)rep.sent, "acked", (json_int_t)rep.acked, "rejected",
            (json_int_t)rep.rejected, "malformed", (json_int_t)rep.malformed, "retransmits",
            (json_int_t)rep.retransmits, "split_pieces", (json_int_t)rep.split_pieces, "unanswered",
            (json_int_t)rep.unanswered, "connect_failures", (json_int_t)rep.connect_failures,
            "disconnects", (json_int_t)rep.disconnects, "gaps", (json_int_t)rep.gaps,
            "history_requests", (json_int_t)rep.history_requests, "history_sent",
            (json_int_t)rep.history_sent, "devices", (json_int_t)c.devices, "duration_s",
            (int)c.duration_s, "elapsed_s", rep.elapsed_s, "acked_per_s", pps, "latency_ms", "p50",
            rep.p50_ms, "p99", rep.p99_ms, "max", rep.max_ms);
        char *txt = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
        printf("%s\n", txt);
        free(txt);
        json_decref(o);
    } else {
        printf("sent %llu (retransmits %llu, split pieces %llu, malformed %llu)\n"
               "acked %llu, rejected %llu, unanswered %llu\n"
               "connect failures %llu, disconnects %llu\n"
               "%.1f s, %.0f acked/s, reply latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
               (unsigned long long)rep.sent, (unsigned long long)rep.retransmits,
               (unsigned long long)rep.split_pieces, (unsigned long long)rep.malformed,
               (unsigned long long)rep.acked, (unsigned long long)rep.rejected,
               (unsigned long long)rep.unanswered, (unsigned long long)rep.connect_failures,
               (unsigned long long)rep.disconnects, rep.elapsed_s, pps, rep.p50_ms, rep.p99_ms,
               rep.max_ms);
    }
    return rep.connect_failures || rep.unanswered ? EW_EXIT_FOUND : EW_EXIT_OK;
}
