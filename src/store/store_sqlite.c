/* store_sqlite: the SQLite backend of store.h (the embedded default).
 *
 * Durability and speed (argued in docs/storage.md):
 *  - WAL journal: readers (the HTTP side) never block the writer and a commit is one
 *    sequential append to the WAL;
 *  - synchronous=FULL: every COMMIT fsyncs the WAL, so an acknowledged packet survives
 *    power loss as well as a crash. The cost is paid once per batch (group commit in the
 *    ingest writer), not once per packet;
 *  - secure_delete=OFF: the archive is append-only, nothing is deleted on the hot path, and
 *    Debian's default (ON) would only add writes;
 *  - every statement is prepared once at open and reset after use;
 *  - the intake writer turns automatic checkpoints off (store_autocheckpoint) and another
 *    thread runs store_checkpoint(): a commit then never waits for the database file's
 *    fsync, only for the WAL's.
 *
 * Migrations are versioned (PRAGMA user_version) and each runs in its own transaction, so a
 * crash during a migration leaves the previous version intact and re-running is safe. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "store/backend.h"
#include "store/store.h"
#include "store/store_internal.h"

/* History cannot be rewritten: UPDATE and DELETE on an append-only table abort. */
#define APPEND_ONLY(t)                                                                             \
    "CREATE TRIGGER IF NOT EXISTS " t "_no_update BEFORE UPDATE ON " t                             \
    " BEGIN SELECT RAISE(ABORT, '" t " is append-only'); END;"                                     \
    "CREATE TRIGGER IF NOT EXISTS " t "_no_delete BEFORE DELETE ON " t                             \
    " BEGIN SELECT RAISE(ABORT, '" t " is append-only'); END;"

/* Migration i takes the schema from version i to i + 1. Never edit a released entry:
 * append a new one. */
static const char *const migrations[] = {
    /* 0 -> 1: sites, parameters, packet archive, idempotency keys, observations. */
    "CREATE TABLE enterprise ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE site ("
    "  id INTEGER PRIMARY KEY,"
    "  mn TEXT NOT NULL UNIQUE,"
    "  pw TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('air','ghg','gas_outlet','water_outlet','dust',"
    "    'water_section')),"
    "  name TEXT NOT NULL,"
    "  town TEXT,"
    "  lon REAL,"
    "  lat REAL,"
    "  enterprise_id INTEGER REFERENCES enterprise(id),"
    "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','pending')),"
    "  created_utc INTEGER NOT NULL);"
    "CREATE TABLE parameter ("
    "  code TEXT PRIMARY KEY,"
    "  name_en TEXT NOT NULL,"
    "  name_zh TEXT NOT NULL,"
    "  unit TEXT NOT NULL);"
    /* HJ 212-2017 Annex B codes of what the zone's stations and outlets send. */
    "INSERT INTO parameter VALUES"
    " ('a34004','PM2.5','细颗粒物','ug/m3'),"
    " ('a34002','PM10','可吸入颗粒物','ug/m3'),"
    " ('a21026','SO2','二氧化硫','ug/m3'),"
    " ('a21004','NO2','二氧化氮','ug/m3'),"
    " ('a21005','CO','一氧化碳','mg/m3'),"
    " ('a05024','O3','臭氧','ug/m3'),"
    " ('a05001','CO2','二氧化碳','mg/m3'),"
    " ('a34013','dust','烟尘','mg/m3'),"
    " ('a21002','NOx','氮氧化物','mg/m3'),"
    " ('a19001','O2','氧气含量','%'),"
    " ('a00000','flue gas flow','废气流量','m3/s'),"
    " ('a01012','flue gas temperature','烟气温度','C'),"
    " ('w01018','COD','化学需氧量','mg/L'),"
    " ('w21003','NH3-N','氨氮','mg/L'),"
    " ('w21011','TP','总磷','mg/L'),"
    " ('w21001','TN','总氮','mg/L'),"
    " ('w01001','pH','pH值','1'),"
    " ('w00000','wastewater flow','废水流量','L/s');"
    "CREATE TABLE packet ("
    "  id INTEGER PRIMARY KEY,"
    "  received_utc_ms INTEGER NOT NULL,"
    "  peer TEXT NOT NULL,"
    "  site_id INTEGER REFERENCES site(id),"
    "  mn TEXT,"
    "  cn TEXT,"
    "  qn TEXT,"
    "  data_time_utc INTEGER,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('stored','duplicate','rejected')),"
    "  reason TEXT,"
    "  raw BLOB NOT NULL);"
    "CREATE INDEX packet_outcome ON packet(outcome, reason);"
    "CREATE TABLE packet_key ("
    "  mn TEXT NOT NULL,"
    "  cn TEXT NOT NULL,"
    "  data_time_utc INTEGER NOT NULL,"
    "  pno INTEGER NOT NULL,"
    "  packet_id INTEGER NOT NULL REFERENCES packet(id),"
    "  PRIMARY KEY (mn, cn, data_time_utc, pno)) WITHOUT ROWID;"
    "CREATE TABLE observation ("
    "  site_id INTEGER NOT NULL REFERENCES site(id),"
    "  param TEXT NOT NULL,"
    "  period TEXT NOT NULL CHECK (period IN ('rtd','min','hour','day')),"
    "  ts_utc INTEGER NOT NULL,"
    "  value REAL,"
    "  min REAL,"
    "  max REAL,"
    "  cou REAL,"
    "  flag TEXT NOT NULL,"
    "  packet_id INTEGER NOT NULL REFERENCES packet(id),"
    "  PRIMARY KEY (site_id, param, period, ts_utc)) WITHOUT ROWID;"
    "CREATE TABLE hour_agg ("
    "  site_id INTEGER NOT NULL REFERENCES site(id),"
    "  param TEXT NOT NULL,"
    "  hour_utc INTEGER NOT NULL,"
    "  value REAL,"
    "  min REAL,"
    "  max REAL,"
    "  n_min INTEGER NOT NULL,"
    "  n_valid INTEGER NOT NULL,"
    "  flag TEXT NOT NULL,"
    " PRIMARY KEY (site_id, param, hour_utc)) WITHOUT ROWID;",
    /* 1 -> 2: people's work (store/office.h): accounts, sessions, login throttles, rate
     * windows, the audit log, attachments, cases and their event log, rewards, the plan
     * ledger. Case events, ledger changes (with their evidence lists) and audit entries are
     * append-only: the triggers refuse UPDATE and DELETE whoever asks. IF NOT EXISTS: a
     * database whose user_version was set back by hand can be migrated again. */
    "CREATE TABLE IF NOT EXISTS app_user ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),"
    "  display TEXT,"
    "  role TEXT NOT NULL CHECK (role IN ('admin','bureau','unit','enterprise','auditor',"
    "    'public')),"
    "  org TEXT,"
    "  pw_hash TEXT NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_utc INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS session ("
    "  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
    "  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created_utc INTEGER NOT NULL,"
    "  expires_utc INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS session_expires ON session(expires_utc);"
    "CREATE TABLE IF NOT EXISTS login_throttle ("
    "  account TEXT NOT NULL,"
    "  addr TEXT NOT NULL,"
    "  failures INTEGER NOT NULL,"
    "  last_failure_utc INTEGER NOT NULL,"
    "  next_allowed_utc INTEGER NOT NULL,"
    "  PRIMARY KEY (account, addr)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS rate_window ("
    "  key TEXT NOT NULL,"
    "  window_start INTEGER NOT NULL,"
    "  hits INTEGER NOT NULL,"
    "  PRIMARY KEY (key, window_start)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at_utc INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  object TEXT,"
    "  detail TEXT,"
    "  addr TEXT);"
    "CREATE TABLE IF NOT EXISTS attachment ("
    "  key TEXT PRIMARY KEY CHECK (length(key) = 22),"
    "  mime TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  uploader TEXT NOT NULL,"
    "  created_utc INTEGER NOT NULL,"
    "  data BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS case_file ("
    "  id INTEGER PRIMARY KEY,"
    "  tracking TEXT NOT NULL UNIQUE,"
    "  source TEXT NOT NULL,"
    "  category TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  location TEXT NOT NULL,"
    "  lon REAL NOT NULL DEFAULT 0,"
    "  lat REAL NOT NULL DEFAULT 0,"
    "  description TEXT NOT NULL,"
    "  unit TEXT,"
    "  deadline_utc INTEGER NOT NULL DEFAULT 0,"
    "  supervision INTEGER NOT NULL DEFAULT 0 CHECK (supervision BETWEEN 0 AND 2),"
    "  overdue_since_utc INTEGER NOT NULL DEFAULT 0,"
    "  created_utc INTEGER NOT NULL,"
    "  closed_utc INTEGER NOT NULL DEFAULT 0,"
    "  reopen_count INTEGER NOT NULL DEFAULT 0,"
    "  created_by TEXT NOT NULL,"
    "  reporter_name TEXT,"
    "  reporter_contact TEXT,"
    "  updated_utc INTEGER NOT NULL,"
    "  n_events INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS case_created ON case_file(created_utc, id);"
    "CREATE INDEX IF NOT EXISTS case_state ON case_file(state, created_utc);"
    "CREATE INDEX IF NOT EXISTS case_unit ON case_file(unit, created_utc);"
    "CREATE INDEX IF NOT EXISTS case_deadline ON case_file(deadline_utc) WHERE supervision < 2"
    "  AND state IN ('assigned','reopened','rectifying');"
    "CREATE TABLE IF NOT EXISTS case_attachment ("
    "  case_id INTEGER NOT NULL REFERENCES case_file(id),"
    "  pos INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, pos)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS case_attachment_key ON case_attachment(key);"
    "CREATE TABLE IF NOT EXISTS case_event ("
    "  case_id INTEGER NOT NULL REFERENCES case_file(id),"
    "  seq INTEGER NOT NULL,"
    "  at_utc INTEGER NOT NULL,"
    "  action TEXT NOT NULL,"
    "  from_state TEXT NOT NULL,"
    "  to_state TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  reason TEXT,"
    "  unit TEXT,"
    "  deadline_utc INTEGER NOT NULL DEFAULT 0,"
    "  level INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (case_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS case_event_evidence ("
    "  case_id INTEGER NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  pos INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, seq, pos),"
    "  FOREIGN KEY (case_id, seq) REFERENCES case_event(case_id, seq)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS case_event_evidence_key ON case_event_evidence(key);"
    /* The log has no gaps: event n + 1 follows event n. */
    "CREATE TRIGGER IF NOT EXISTS case_event_next BEFORE INSERT ON case_event"
    "  WHEN NEW.seq <> coalesce((SELECT max(seq) FROM case_event WHERE case_id = NEW.case_id),"
    "    0) + 1"
    "  BEGIN SELECT RAISE(ABORT, 'case_event: seq is not the next of its case'); END;"
    "CREATE TRIGGER IF NOT EXISTS case_event_count AFTER INSERT ON case_event"
    "  BEGIN UPDATE case_file SET n_events = NEW.seq WHERE id = NEW.case_id; END;"
    "CREATE TABLE IF NOT EXISTS reward ("
    "  case_id INTEGER PRIMARY KEY REFERENCES case_file(id),"
    "  status TEXT NOT NULL CHECK (status IN ('due','paid','declined')),"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),"
    "  decided_by TEXT NOT NULL,"
    "  decided_utc INTEGER NOT NULL,"
    "  paid_utc INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT);"
    "CREATE TABLE IF NOT EXISTS ledger_task ("
    "  plan_id TEXT NOT NULL,"
    "  task_id TEXT NOT NULL,"
    "  progress_pct INTEGER NOT NULL CHECK (progress_pct BETWEEN 0 AND 100),"
    "  done INTEGER NOT NULL,"
    "  done_utc INTEGER NOT NULL DEFAULT 0,"
    "  updated_utc INTEGER NOT NULL,"
    "  PRIMARY KEY (plan_id, task_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS ledger_target_value ("
    "  plan_id TEXT NOT NULL,"
    "  target_id TEXT NOT NULL,"
    "  value REAL NOT NULL,"
    "  unit TEXT,"
    "  reported_utc INTEGER NOT NULL,"
    "  PRIMARY KEY (plan_id, target_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS ledger_change ("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id TEXT NOT NULL,"
    "  at_utc INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  unit TEXT,"
    "  object TEXT NOT NULL CHECK (object IN ('task','target')),"
    "  object_id TEXT NOT NULL,"
    "  field TEXT NOT NULL,"
    "  old_value TEXT NOT NULL,"
    "  new_value TEXT NOT NULL,"
    "  note TEXT);"
    "CREATE INDEX IF NOT EXISTS ledger_change_plan ON ledger_change(plan_id, at_utc, id);"
    "CREATE INDEX IF NOT EXISTS ledger_change_object ON ledger_change(plan_id, object, object_id);"
    "CREATE TABLE IF NOT EXISTS ledger_change_evidence ("
    "  change_id INTEGER NOT NULL REFERENCES ledger_change(id),"
    "  pos INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  PRIMARY KEY (change_id, pos)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS ledger_change_evidence_key ON "
    "ledger_change_evidence(key);" APPEND_ONLY("case_event") APPEND_ONLY("case_event_evidence")
        APPEND_ONLY("ledger_change") APPEND_ONLY("ledger_change_evidence") APPEND_ONLY("audit"),
    /* 2 -> 3: heavy-pollution emergency response, fire points and video alarms
     * (store/emergency.h). Warnings, list changes, breaches, fire points and video alarms are
     * append-only; the reduction list is the one editable table (every edit logged). */
    "CREATE TABLE IF NOT EXISTS em_warning ("
    "  id INTEGER PRIMARY KEY,"
    "  level TEXT NOT NULL CHECK (level IN ('yellow','orange','red')),"
    "  start_utc INTEGER NOT NULL,"
    "  end_utc INTEGER NOT NULL CHECK (end_utc > start_utc),"
    "  notice TEXT NOT NULL,"
    "  basis TEXT NOT NULL CHECK (basis IN ('forecast','observation')),"
    "  basis_aqi INTEGER NOT NULL,"
    "  declared_by TEXT NOT NULL,"
    "  declared_utc INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS em_list ("
    "  enterprise TEXT PRIMARY KEY,"
    "  town TEXT NOT NULL,"
    "  grade TEXT NOT NULL,"
    "  base_power_kw REAL NOT NULL CHECK (base_power_kw > 0),"
    "  base_emission_kgh REAL NOT NULL CHECK (base_emission_kgh >= 0),"
    "  cut_yellow_pct REAL NOT NULL CHECK (cut_yellow_pct BETWEEN 0 AND 100),"
    "  cut_orange_pct REAL NOT NULL CHECK (cut_orange_pct BETWEEN 0 AND 100),"
    "  cut_red_pct REAL NOT NULL CHECK (cut_red_pct BETWEEN 0 AND 100),"
    "  measures_yellow TEXT NOT NULL,"
    "  measures_orange TEXT NOT NULL,"
    "  measures_red TEXT NOT NULL,"
    "  updated_by TEXT NOT NULL,"
    "  updated_utc INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS em_list_change ("
    "  id INTEGER PRIMARY KEY,"
    "  at_utc INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  enterprise TEXT NOT NULL,"
    "  detail TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS em_breach ("
    "  warning_id INTEGER NOT NULL REFERENCES em_warning(id),"
    "  enterprise TEXT NOT NULL,"
    "  at_utc INTEGER NOT NULL,"
    "  mean_kw REAL NOT NULL,"
    "  allowed_kw REAL NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES case_file(id),"
    "  PRIMARY KEY (warning_id, enterprise)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS em_fire ("
    "  id INTEGER PRIMARY KEY,"
    "  ts_utc INTEGER NOT NULL,"
    "  lon REAL NOT NULL,"
    "  lat REAL NOT NULL,"
    "  confidence INTEGER NOT NULL,"
    "  source TEXT NOT NULL,"
    "  town TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES case_file(id),"
    "  UNIQUE (ts_utc, lon, lat, source));"
    "CREATE INDEX IF NOT EXISTS em_fire_town ON em_fire(town, ts_utc);"
    "CREATE TABLE IF NOT EXISTS em_video_alarm ("
    "  id INTEGER PRIMARY KEY,"
    "  camera TEXT NOT NULL,"
    "  ts_utc INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  image_key TEXT,"
    "  reported_by TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES case_file(id));"
    /* clang-format off */
    "CREATE INDEX IF NOT EXISTS em_video_camera ON em_video_alarm(camera, ts_utc);"
    APPEND_ONLY("em_warning") APPEND_ONLY("em_list_change") APPEND_ONLY("em_breach")
        APPEND_ONLY("em_fire") APPEND_ONLY("em_video_alarm"),
    /* clang-format on */
    /* 3 -> 4: pollution-source supervision (store/source.h): outlets' permitted limits (the
     * current configuration; each change is in the audit log), marks and alerts (append-only:
     * a correction is a new row), and each outlet's scan position. */
    "CREATE TABLE IF NOT EXISTS source_limit ("
    "  site_id INTEGER NOT NULL REFERENCES site(id),"
    "  param TEXT NOT NULL,"
    "  period TEXT NOT NULL CHECK (period IN ('hour','day')),"
    "  kind TEXT NOT NULL CHECK (kind IN ('upper','range')),"
    "  max_milli INTEGER NOT NULL,"
    "  lo_milli INTEGER NOT NULL,"
    "  hi_milli INTEGER NOT NULL,"
    "  o2_ref_milli INTEGER,"
    "  standard TEXT NOT NULL,"
    "  updated_utc INTEGER NOT NULL,"
    "  updated_by TEXT NOT NULL,"
    "  PRIMARY KEY (site_id, param, period)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS source_mark ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES site(id),"
    "  from_utc INTEGER NOT NULL,"
    "  to_utc INTEGER NOT NULL CHECK (to_utc > from_utc),"
    "  class INTEGER NOT NULL CHECK (class >= 0 AND class < 8),"
    "  reason TEXT NOT NULL,"
    "  who TEXT NOT NULL,"
    "  evidence TEXT,"
    "  state TEXT NOT NULL CHECK (state IN ('in_force','withdrawn')),"
    "  replaces INTEGER REFERENCES source_mark(id),"
    "  created_utc INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS source_mark_site ON source_mark(site_id, from_utc);"
    "CREATE TABLE IF NOT EXISTS source_alert ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES site(id),"
    "  rule TEXT NOT NULL,"
    "  param TEXT NOT NULL,"
    "  episode_utc INTEGER NOT NULL,"
    "  from_utc INTEGER NOT NULL,"
    "  to_utc INTEGER NOT NULL,"
    "  value_milli INTEGER NOT NULL,"
    "  limit_milli INTEGER NOT NULL,"
    "  multiple_milli INTEGER,"
    "  evidence TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  case_id INTEGER REFERENCES case_file(id),"
    "  created_utc INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS source_alert_key ON source_alert(site_id, rule, param,"
    "  episode_utc);"
    "CREATE TABLE IF NOT EXISTS source_scan ("
    "  site_id INTEGER PRIMARY KEY REFERENCES site(id),"
    "  last_hour_utc INTEGER NOT NULL);" APPEND_ONLY("source_mark") APPEND_ONLY("source_alert"),
    /* 4 -> 5: water sections and their results (store/water.h). */
    "CREATE TABLE IF NOT EXISTS water_section ("
    "  code TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  water TEXT NOT NULL CHECK (water IN ('river','lake')),"
    "  target_class INTEGER NOT NULL CHECK (target_class BETWEEN 0 AND 5));"
    "CREATE TABLE IF NOT EXISTS water_sample ("
    "  section TEXT NOT NULL,"
    "  ts_utc INTEGER NOT NULL,"
    "  item TEXT NOT NULL,"
    "  value_micro INTEGER NOT NULL,"
    "  below_dl INTEGER NOT NULL,"
    "  source TEXT NOT NULL,"
    "  PRIMARY KEY (section, ts_utc, item, source));",
    /* 5 -> 6: dust-fall samples (store/dust.h), the weighings as the laboratory reports them;
     * the value is computed on reading. */
    "CREATE TABLE IF NOT EXISTS dust_sample ("
    "  point TEXT NOT NULL,"
    "  month INTEGER NOT NULL CHECK (month % 100 BETWEEN 1 AND 12),"
    "  placed_utc INTEGER NOT NULL,"
    "  collected_utc INTEGER NOT NULL CHECK (collected_utc > placed_utc),"
    "  diameter_tenth_mm INTEGER NOT NULL CHECK (diameter_tenth_mm > 0),"
    "  m0_ug INTEGER NOT NULL,"
    "  m1_ug INTEGER NOT NULL,"
    "  m2_ug INTEGER NOT NULL,"
    "  invalid INTEGER NOT NULL,"
    "  control INTEGER NOT NULL,"
    "  PRIMARY KEY (month, point)) WITHOUT ROWID;",
    /* 6 -> 7: ecological-flow control sections and their daily mean flows (store/flow.h). */
    "CREATE TABLE IF NOT EXISTS flow_section ("
    "  code TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  base_milli INTEGER NOT NULL CHECK (base_milli > 0)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS flow_day ("
    "  section TEXT NOT NULL,"
    "  day INTEGER NOT NULL,"
    "  mean_milli INTEGER NOT NULL CHECK (mean_milli >= 0),"
    "  exempt INTEGER NOT NULL,"
    "  PRIMARY KEY (section, day)) WITHOUT ROWID;",
    /* 7 -> 8: which water sections are eco-compensation sections (store/water.h). A table of
     * its own rather than a new column: every migration must be safe to run again (a
     * database whose user_version was set back), and ADD COLUMN is not. */
    ("CREATE TABLE IF NOT EXISTS water_compensation ("
     "  section TEXT PRIMARY KEY REFERENCES water_section(code)) WITHOUT ROWID;"),
    /* 8 -> 9: drinking-water sources among the sections, and results of GB 3838 Table 3
     * specific items with the limit the laboratory judged them against (store/water.h). */
    ("CREATE TABLE IF NOT EXISTS water_drinking ("
     "  section TEXT PRIMARY KEY REFERENCES water_section(code)) WITHOUT ROWID;"
     /* The key's columns first: SQLite 3.40's integrity_check misreads a WITHOUT ROWID
      * table whose key columns are not its leading ones (it reports NULLs that are not). */
     "CREATE TABLE IF NOT EXISTS water_specific ("
     "  section TEXT NOT NULL,"
     "  ts_utc INTEGER NOT NULL,"
     "  item TEXT NOT NULL,"
     "  source TEXT NOT NULL,"
     "  value_micro INTEGER NOT NULL CHECK (value_micro >= 0),"
     "  limit_micro INTEGER NOT NULL CHECK (limit_micro > 0),"
     "  below_dl INTEGER NOT NULL,"
     "  PRIMARY KEY (section, ts_utc, item, source)) WITHOUT ROWID;"),
    /* 9 -> 10: black-odorous water bodies and their points' samplings (store/blackodor.h);
     * the key's columns first, as for water_specific. */
    ("CREATE TABLE IF NOT EXISTS bo_body ("
     "  code TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  rural INTEGER NOT NULL) WITHOUT ROWID;"
     "CREATE TABLE IF NOT EXISTS bo_sample ("
     "  body TEXT NOT NULL,"
     "  point TEXT NOT NULL,"
     "  ts_utc INTEGER NOT NULL,"
     "  seq INTEGER NOT NULL,"
     "  sd_milli INTEGER, do_milli INTEGER, orp_milli INTEGER, nh3n_milli INTEGER,"
     "  depth_milli INTEGER,"
     "  PRIMARY KEY (body, point, ts_utc)) WITHOUT ROWID;"),
    /* 10 -> 11: the automatic station (its HJ 212 MN) of a water section (store/water.h). */
    ("CREATE TABLE IF NOT EXISTS water_station ("
     "  section TEXT PRIMARY KEY REFERENCES water_section(code),"
     "  mn TEXT NOT NULL) WITHOUT ROWID;"),
    /* 11 -> 12: emergency-response breaches found on monitoring data beside the power rule
     * (store/emergency.h): emission over the cut, sites gone silent. */
    ("CREATE TABLE IF NOT EXISTS em_data_breach ("
     "  warning_id INTEGER NOT NULL REFERENCES em_warning(id),"
     "  enterprise TEXT NOT NULL,"
     "  kind TEXT NOT NULL CHECK (kind IN ('emission', 'silent')),"
     "  at_utc INTEGER NOT NULL,"
     "  value REAL NOT NULL,"
     "  allowed REAL NOT NULL,"
     "  case_id INTEGER NOT NULL REFERENCES case_file(id),"
     "  PRIMARY KEY (warning_id, enterprise, kind)) WITHOUT ROWID;" APPEND_ONLY("em_data_breach")),
    /* 12 -> 13: river emergency plans and the water incidents they respond to
     * (store/emergency.h). */
    ("CREATE TABLE IF NOT EXISTS river_plan ("
     "  code TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  doc TEXT NOT NULL,"
     "  updated_by TEXT NOT NULL,"
     "  updated_utc INTEGER NOT NULL) WITHOUT ROWID;"
     "CREATE TABLE IF NOT EXISTS river_incident ("
     "  section TEXT NOT NULL,"
     "  day INTEGER NOT NULL,"
     "  river TEXT NOT NULL,"
     "  hour_utc INTEGER NOT NULL,"
     "  item TEXT NOT NULL,"
     "  value REAL NOT NULL,"
     "  limit_value REAL NOT NULL,"
     "  ratio REAL NOT NULL,"
     "  case_id INTEGER NOT NULL REFERENCES case_file(id),"
     "  PRIMARY KEY (section, day)) WITHOUT ROWID;" APPEND_ONLY("river_incident")),
    /* 13 -> 14: the finding a verify event records (service/case.h case_finding), in a table
     * of its own as water_compensation explains; append-only like the log it annotates. */
    ("CREATE TABLE IF NOT EXISTS case_event_finding ("
     "  case_id INTEGER NOT NULL,"
     "  seq INTEGER NOT NULL,"
     "  finding TEXT NOT NULL CHECK (finding IN ('confirmed', 'explained', 'false_alarm')),"
     "  PRIMARY KEY (case_id, seq),"
     "  FOREIGN KEY (case_id, seq) REFERENCES case_event(case_id, seq)) WITHOUT ROWID;" APPEND_ONLY(
         "case_event_finding")),
    /* 14 -> 15: a public report of open burning joined to the case of the same fire
     * (service/fires.h): one row per report case, append-only. */
    ("CREATE TABLE IF NOT EXISTS fire_report ("
     "  case_id INTEGER PRIMARY KEY REFERENCES case_file(id),"
     "  fire_case_id INTEGER NOT NULL REFERENCES case_file(id),"
     "  distance_m REAL NOT NULL,"
     "  joined_utc INTEGER NOT NULL);"
     "CREATE INDEX IF NOT EXISTS fire_report_fire ON fire_report(fire_case_id, "
     "case_id);" APPEND_ONLY("fire_report")),
    /* 15 -> 16: the code each greenhouse-gas station sends a gas under (service/ghg.h), for
     * the gases HJ 212-2017 has no code for (N2O) or a station that uses its own. */
    ("CREATE TABLE IF NOT EXISTS ghg_code ("
     "  mn TEXT NOT NULL,"
     "  gas TEXT NOT NULL CHECK (gas IN ('CO2', 'CH4', 'N2O')),"
     "  code TEXT NOT NULL,"
     "  PRIMARY KEY (mn, gas)) WITHOUT ROWID;"),
};
enum { N_MIGRATIONS = sizeof migrations / sizeof migrations[0] };
_Static_assert(N_MIGRATIONS == STORE_SCHEMA_VERSION, "one migration per schema version");

enum {
    Q_BEGIN,
    Q_COMMIT,
    Q_ROLLBACK,
    Q_ENTERPRISE_GET,
    Q_ENTERPRISE_PUT,
    Q_SITE_PUT,
    Q_SITE_EACH,
    Q_PACKET_PUT,
    Q_PACKET_EACH,
    Q_KEY_SEEN,
    Q_KEY_CLAIM,
    Q_KEY_LAST,
    Q_OBS_PUT,
    Q_MINUTES,
    Q_HOUR_PUT,
    Q_REASONS,
    N_QUERIES
};

static const char *const sql_text[N_QUERIES] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_ENTERPRISE_GET] = "SELECT id FROM enterprise WHERE name = ?1",
    [Q_ENTERPRISE_PUT] = "INSERT INTO enterprise(name) VALUES (?1)",
    [Q_SITE_PUT] = "INSERT INTO site(mn, pw, kind, name, town, lon, lat, enterprise_id, status,"
                   " created_utc) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9, unixepoch())"
                   " ON CONFLICT(mn) DO UPDATE SET pw=excluded.pw, kind=excluded.kind,"
                   " name=excluded.name, town=excluded.town, lon=excluded.lon, lat=excluded.lat,"
                   " enterprise_id=excluded.enterprise_id, status=excluded.status"
                   " RETURNING id",
    [Q_SITE_EACH] = "SELECT s.id, s.mn, s.pw, s.kind, s.name, s.town, s.lon, s.lat, e.name,"
                    " s.status FROM site s LEFT JOIN enterprise e ON e.id = s.enterprise_id"
                    " ORDER BY s.id",
    [Q_PACKET_PUT] =
        "INSERT INTO packet(received_utc_ms, peer, site_id, mn, cn, qn,"
        " data_time_utc, outcome, reason, raw) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    [Q_PACKET_EACH] = "SELECT id, received_utc_ms, peer, site_id, mn, cn, qn, data_time_utc,"
                      " outcome, reason, raw FROM packet WHERE id > ?1 ORDER BY id LIMIT ?2",
    [Q_KEY_SEEN] = "SELECT 1 FROM packet_key WHERE mn=?1 AND cn=?2 AND data_time_utc=?3 AND pno=?4",
    [Q_KEY_CLAIM] = "INSERT INTO packet_key(mn, cn, data_time_utc, pno, packet_id)"
                    " VALUES (?1,?2,?3,?4,?5) ON CONFLICT DO NOTHING",
    [Q_KEY_LAST] = "SELECT max(data_time_utc) FROM packet_key WHERE mn=?1 AND cn=?2"
                   " AND data_time_utc < ?3",
    [Q_OBS_PUT] =
        "INSERT INTO observation(site_id, param, period, ts_utc, value, min, max, cou,"
        " flag, packet_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) ON CONFLICT DO NOTHING",
    [Q_MINUTES] = "SELECT ts_utc, value, flag FROM observation WHERE site_id=?1 AND param=?2"
                  " AND period='min' AND ts_utc >= ?3 AND ts_utc < ?3 + 3600 ORDER BY ts_utc",
    [Q_HOUR_PUT] = "INSERT OR REPLACE INTO hour_agg(site_id, param, hour_utc, value, min, max,"
                   " n_min, n_valid, flag) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [Q_REASONS] = "SELECT reason, count(*) AS n FROM packet WHERE outcome='rejected'"
                  " GROUP BY reason ORDER BY n DESC, reason",
};

/* The upkeep thread of store_upkeep_start: its own connection, woken to stop. */
typedef struct upkeep {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool quit;
    store *own; /* the thread's connection (opened by store_upkeep_start) */
} upkeep;

struct store {
    store_base base;      /* first: the backend table and the full-disk count (backend.h) */
    bool auto_checkpoint; /* SQLite's default behaviour: checkpoint at 1000 WAL pages */
    int wal_pages;        /* WAL size after the last commit */
    char *path;           /* the database file, for the upkeep thread's connection */
    upkeep *up;           /* running upkeep, or NULL */
    sqlite3 *db;
    sqlite3_stmt *q[N_QUERIES];
    sqlite3_stmt *cache[STORE_STMT_SLOTS]; /* statements of other files (store_stmt) */
};

static void sq_close(store *s);
static void sq_upkeep_stop(store *s);

void store_note_failure(store *s)
{
    /* The extended code of SQLITE_FULL is SQLITE_FULL itself; an I/O error from a full
     * disk during the WAL append is reported as SQLITE_FULL as well. */
    if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_FULL)
        atomic_fetch_add_explicit(&s->base.full_count, 1, memory_order_relaxed);
}

static int fail(store *s, const char *what, char *err, size_t errcap)
{
    store_note_failure(s);
    if (err && errcap)
        snprintf(err, errcap, "%s: %s", what, sqlite3_errmsg(s->db));
    return -1;
}

/* Run a statement that returns no row we need; reset it whatever happens. */
static int step_done(store *s, sqlite3_stmt *st, const char *what, char *err, size_t errcap)
{
    int rc = sqlite3_step(st);
    int out = 0;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        out = fail(s, what, err, errcap);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static double column_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static int exec(store *s, const char *sql, const char *what, char *err, size_t errcap)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (err && errcap)
            snprintf(err, errcap, "%s: %s", what, msg ? msg : "error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int sq_schema_version(store *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int migrate(store *s, char *err, size_t errcap)
{
    /* Up to date: no lock needed (a reader such as `envwatch stats` must not wait for the
     * intake's write lock). */
    if (sq_schema_version(s) == N_MIGRATIONS)
        return 0;
    /* BEGIN IMMEDIATE takes the write lock before reading user_version again, so two
     * processes opening a fresh file at once cannot both apply the same migration. */
    for (;;) {
        if (exec(s, "BEGIN IMMEDIATE", "migration begin", err, errcap) < 0)
            return -1;
        int v = sq_schema_version(s);
        if (v < 0 || v > N_MIGRATIONS) {
            exec(s, "ROLLBACK", "rollback", NULL, 0);
            if (err && errcap)
                snprintf(err, errcap, "schema version %d is not one this build knows (max %d)", v,
                         N_MIGRATIONS);
            return -1;
        }
        if (v == N_MIGRATIONS)
            return exec(s, "COMMIT", "migration commit", err, errcap);
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (exec(s, migrations[v], "migration", err, errcap) < 0 ||
            exec(s, pragma, "migration version", err, errcap) < 0 ||
            exec(s, "COMMIT", "migration commit", err, errcap) < 0) {
            exec(s, "ROLLBACK", "rollback", NULL, 0);
            return -1;
        }
    }
}

/* Replaces SQLite's own auto-checkpoint hook (same behaviour when auto_checkpoint is on)
 * and remembers the WAL size for sq_upkeep_idle(). */
static int wal_hook(void *ctx, sqlite3 *db, const char *name, int pages)
{
    store *s = ctx;
    s->wal_pages = pages;
    if (s->auto_checkpoint && pages >= 1000)
        (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

int store_locator_path(const char *locator, const char **path, char *err, size_t errcap)
{
    if (!locator || !*locator) {
        if (err && errcap)
            snprintf(err, errcap, "store: no database given");
        return -1;
    }
    /* RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'. */
    size_t n = 0;
    if (isalpha((unsigned char)locator[0]))
        for (n = 1;
             locator[n] && (isalnum((unsigned char)locator[n]) || strchr("+-.", locator[n]));)
            n++;
    if (n == 0 || locator[n] != ':') {
        *path = locator; /* no scheme: a file path */
        return 0;
    }
    if (n == 6 && !strncasecmp(locator, "sqlite", 6)) {
        if (!locator[7]) {
            if (err && errcap)
                snprintf(err, errcap, "store: \"%s\" names no file (expected sqlite:PATH)",
                         locator);
            return -1;
        }
        *path = locator + 7;
        return 0;
    }
    if (store_pg_locator(locator)) {
        if (err && errcap)
            snprintf(err, errcap,
                     "store: %s is a PostgreSQL database, which holds the intake only in this"
                     " version; this part runs on SQLite (sqlite:PATH or a file path)",
                     locator);
        return -1;
    }
    if (err && errcap)
        snprintf(err, errcap,
                 "store: unknown scheme \"%.*s:\" in \"%s\" (expected sqlite:PATH or a file path)",
                 (int)n, locator, locator);
    return -1;
}

store *store_sqlite_open(const char *path, char *err, size_t errcap)
{
    store *s = xcalloc(1, sizeof *s);
    s->base.be = &store_sqlite_backend;
    s->path = xstrdup(path);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        fail(s, "open", err, errcap);
        sq_close(s);
        return NULL;
    }
    /* A reader (HTTP) may hold a WAL snapshot while the writer checkpoints: wait rather than
     * fail. */
    sqlite3_busy_timeout(s->db, 5000);
    if (exec(s,
             "PRAGMA journal_mode=WAL;"
             "PRAGMA synchronous=FULL;"
             "PRAGMA secure_delete=OFF;"
             "PRAGMA foreign_keys=ON;",
             "pragmas", err, errcap) < 0 ||
        migrate(s, err, errcap) < 0) {
        sq_close(s);
        return NULL;
    }
    s->auto_checkpoint = true;
    sqlite3_wal_hook(s->db, wal_hook, s);
    for (int i = 0; i < N_QUERIES; i++) {
        if (sqlite3_prepare_v3(s->db, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT, &s->q[i], NULL) !=
            SQLITE_OK) {
            fail(s, sql_text[i], err, errcap);
            sq_close(s);
            return NULL;
        }
    }
    return s;
}

static void sq_close(store *s)
{
    if (!s)
        return;
    sq_upkeep_stop(s);
    for (int i = 0; i < N_QUERIES; i++)
        sqlite3_finalize(s->q[i]);
    for (int i = 0; i < STORE_STMT_SLOTS; i++)
        sqlite3_finalize(s->cache[i]);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

static int sq_begin(store *s, char *err, size_t errcap)
{
    return step_done(s, s->q[Q_BEGIN], "begin", err, errcap);
}

static int sq_commit(store *s, char *err, size_t errcap)
{
    return step_done(s, s->q[Q_COMMIT], "commit", err, errcap);
}

static void sq_rollback(store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        (void)step_done(s, s->q[Q_ROLLBACK], "rollback", NULL, 0);
}

static int enterprise_id(store *s, const char *name, int64_t *id, char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_ENTERPRISE_GET];
    bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return fail(s, "enterprise lookup", err, errcap);
    st = s->q[Q_ENTERPRISE_PUT];
    bind_text(st, 1, name);
    if (step_done(s, st, "enterprise insert", err, errcap) < 0)
        return -1;
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int sq_site_put(store *s, const store_site *site, int64_t *id_out, char *err, size_t errcap)
{
    if (!site->mn || !*site->mn || !site->pw || !store_kind_valid(site->kind)) {
        if (err && errcap)
            snprintf(err, errcap, "site %s: mn, pw and a known kind are required",
                     site->mn ? site->mn : "(no mn)");
        return -1;
    }
    int64_t eid = 0;
    if (site->enterprise && *site->enterprise &&
        enterprise_id(s, site->enterprise, &eid, err, errcap) < 0)
        return -1;
    sqlite3_stmt *st = s->q[Q_SITE_PUT];
    bind_text(st, 1, site->mn);
    bind_text(st, 2, site->pw);
    bind_text(st, 3, site->kind);
    bind_text(st, 4, site->name ? site->name : site->mn);
    bind_text(st, 5, site->town);
    bind_real(st, 6, site->lon);
    bind_real(st, 7, site->lat);
    if (eid)
        sqlite3_bind_int64(st, 8, eid);
    else
        sqlite3_bind_null(st, 8);
    bind_text(st, 9, site->status ? site->status : "active");
    int rc = sqlite3_step(st);
    int out = 0;
    if (rc == SQLITE_ROW) {
        if (id_out)
            *id_out = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    if (rc != SQLITE_DONE)
        out = fail(s, "site insert", err, errcap);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

static int sq_site_each(store *s, store_site_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_SITE_EACH];
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_site site = {
            .id = sqlite3_column_int64(st, 0),
            .mn = (const char *)sqlite3_column_text(st, 1),
            .pw = (const char *)sqlite3_column_text(st, 2),
            .kind = (const char *)sqlite3_column_text(st, 3),
            .name = (const char *)sqlite3_column_text(st, 4),
            .town = (const char *)sqlite3_column_text(st, 5),
            .lon = column_real(st, 6),
            .lat = column_real(st, 7),
            .enterprise = (const char *)sqlite3_column_text(st, 8),
            .status = (const char *)sqlite3_column_text(st, 9),
        };
        if ((out = fn(ctx, &site)) != 0)
            break;
    }
    if (out == 0 && rc != SQLITE_DONE)
        out = fail(s, "site list", err, errcap);
    sqlite3_reset(st);
    return out;
}

static int sq_packet_put(store *s, const store_packet *p, int64_t *id_out, char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_PACKET_PUT];
    sqlite3_bind_int64(st, 1, p->received_utc_ms);
    bind_text(st, 2, p->peer ? p->peer : "");
    if (p->site_id > 0)
        sqlite3_bind_int64(st, 3, p->site_id);
    bind_text(st, 4, p->mn);
    bind_text(st, 5, p->cn);
    bind_text(st, 6, p->qn);
    if (p->data_time_utc != STORE_NO_TIME)
        sqlite3_bind_int64(st, 7, p->data_time_utc);
    bind_text(st, 8, p->outcome);
    bind_text(st, 9, p->reason);
    sqlite3_bind_blob(st, 10, p->raw ? p->raw : "", (int)p->raw_n, SQLITE_STATIC);
    if (step_done(s, st, "packet insert", err, errcap) < 0)
        return -1;
    if (id_out)
        *id_out = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int sq_packets_each(store *s, int64_t after_id, int64_t limit, store_packet_fn fn, void *ctx,
                           char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_PACKET_EACH];
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1); /* LIMIT -1: no limit */
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_packet p = {
            .received_utc_ms = sqlite3_column_int64(st, 1),
            .peer = (const char *)sqlite3_column_text(st, 2),
            .site_id = sqlite3_column_int64(st, 3), /* NULL reads as 0 */
            .mn = (const char *)sqlite3_column_text(st, 4),
            .cn = (const char *)sqlite3_column_text(st, 5),
            .qn = (const char *)sqlite3_column_text(st, 6),
            .data_time_utc = sqlite3_column_type(st, 7) == SQLITE_NULL
                                 ? STORE_NO_TIME
                                 : sqlite3_column_int64(st, 7),
            .outcome = (const char *)sqlite3_column_text(st, 8),
            .reason = (const char *)sqlite3_column_text(st, 9),
            /* an empty blob reads as NULL; the contract gives "" */
            .raw = sqlite3_column_bytes(st, 10) ? sqlite3_column_blob(st, 10) : "",
            .raw_n = (size_t)sqlite3_column_bytes(st, 10),
        };
        if ((out = fn(ctx, sqlite3_column_int64(st, 0), &p)) != 0)
            break;
    }
    if (out == 0 && rc != SQLITE_DONE)
        out = fail(s, "packet list", err, errcap);
    sqlite3_reset(st);
    return out;
}

static void bind_key(sqlite3_stmt *st, const char *mn, const char *cn, int64_t t, int pno)
{
    bind_text(st, 1, mn);
    bind_text(st, 2, cn);
    sqlite3_bind_int64(st, 3, t);
    sqlite3_bind_int(st, 4, pno);
}

static int sq_key_seen(store *s, const char *mn, const char *cn, int64_t data_time_utc, int pno,
                       char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_KEY_SEEN];
    bind_key(st, mn, cn, data_time_utc, pno);
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(s, "key lookup", err, errcap);
    sqlite3_reset(st);
    return out;
}

static int sq_key_claim(store *s, const char *mn, const char *cn, int64_t data_time_utc, int pno,
                        int64_t packet_id, char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_KEY_CLAIM];
    bind_key(st, mn, cn, data_time_utc, pno);
    sqlite3_bind_int64(st, 5, packet_id);
    if (step_done(s, st, "key claim", err, errcap) < 0)
        return -1;
    return sqlite3_changes(s->db) == 1;
}

static int sq_key_last(store *s, const char *mn, const char *cn, int64_t before_utc, int64_t *out,
                       char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_KEY_LAST];
    bind_text(st, 1, mn);
    bind_text(st, 2, cn);
    sqlite3_bind_int64(st, 3, before_utc);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *out = sqlite3_column_int64(st, 0);
        found = 1;
    }
    if (rc != SQLITE_ROW)
        found = fail(s, "last key", err, errcap);
    sqlite3_reset(st);
    return found;
}

static int sq_obs_put(store *s, const store_obs *o, char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_OBS_PUT];
    sqlite3_bind_int64(st, 1, o->site_id);
    bind_text(st, 2, o->param);
    sqlite3_bind_text(st, 3, store_period_name(o->period), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, o->ts_utc);
    bind_real(st, 5, o->value);
    bind_real(st, 6, o->min);
    bind_real(st, 7, o->max);
    bind_real(st, 8, o->cou);
    bind_text(st, 9, o->flag ? o->flag : "");
    sqlite3_bind_int64(st, 10, o->packet_id);
    if (step_done(s, st, "observation insert", err, errcap) < 0)
        return -1;
    return sqlite3_changes(s->db) == 1;
}

/* In-process, the three writes one after the other. */
static int sq_data_put(store *s, const store_packet *p, int pno, const store_obs *o, size_t n,
                       int64_t *id_out, char *err, size_t errcap)
{
    int64_t pid;
    if (sq_packet_put(s, p, &pid, err, errcap) < 0 ||
        sq_key_claim(s, p->mn, p->cn, p->data_time_utc, pno, pid, err, errcap) < 0)
        return -1;
    int inserted = 0;
    for (size_t i = 0; i < n; i++) {
        store_obs one = o[i];
        one.packet_id = pid;
        int r = sq_obs_put(s, &one, err, errcap);
        if (r < 0)
            return r;
        inserted += r;
    }
    if (id_out)
        *id_out = pid;
    return inserted;
}

static int sq_minutes_each(store *s, int64_t site_id, const char *param, int64_t hour_utc,
                           store_obs_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_MINUTES];
    sqlite3_bind_int64(st, 1, site_id);
    bind_text(st, 2, param);
    sqlite3_bind_int64(st, 3, hour_utc);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, sqlite3_column_int64(st, 0), column_real(st, 1),
           (const char *)sqlite3_column_text(st, 2));
    int out = rc == SQLITE_DONE ? 0 : fail(s, "minute query", err, errcap);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

static int sq_hour_put(store *s, const store_hour *h, char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_HOUR_PUT];
    sqlite3_bind_int64(st, 1, h->site_id);
    bind_text(st, 2, h->param);
    sqlite3_bind_int64(st, 3, h->hour_utc);
    bind_real(st, 4, h->value);
    bind_real(st, 5, h->min);
    bind_real(st, 6, h->max);
    sqlite3_bind_int(st, 7, h->n_min);
    sqlite3_bind_int(st, 8, h->n_valid);
    bind_text(st, 9, h->flag ? h->flag : "");
    return step_done(s, st, "hour insert", err, errcap);
}

static int64_t count_of(store *s, const char *sql, int *ok)
{
    sqlite3_stmt *st;
    int64_t n = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        *ok = 0;
        return 0;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        *ok = 0;
    sqlite3_finalize(st);
    return n;
}

static int sq_counts_get(store *s, store_counts *out, char *err, size_t errcap)
{
    int ok = 1;
    out->packets = count_of(s, "SELECT count(*) FROM packet", &ok);
    out->packets_stored = count_of(s, "SELECT count(*) FROM packet WHERE outcome='stored'", &ok);
    out->packets_duplicate =
        count_of(s, "SELECT count(*) FROM packet WHERE outcome='duplicate'", &ok);
    out->packets_rejected =
        count_of(s, "SELECT count(*) FROM packet WHERE outcome='rejected'", &ok);
    out->observations = count_of(s, "SELECT count(*) FROM observation", &ok);
    out->hours = count_of(s, "SELECT count(*) FROM hour_agg", &ok);
    out->sites = count_of(s, "SELECT count(*) FROM site", &ok);
    out->sites_pending = count_of(s, "SELECT count(*) FROM site WHERE status='pending'", &ok);
    return ok ? 0 : fail(s, "counts", err, errcap);
}

static int sq_reasons_each(store *s, store_reason_fn fn, void *ctx, char *err, size_t errcap)
{
    sqlite3_stmt *st = s->q[Q_REASONS];
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        fn(ctx, r ? r : "", sqlite3_column_int64(st, 1));
    }
    int out = rc == SQLITE_DONE ? 0 : fail(s, "reason counts", err, errcap);
    sqlite3_reset(st);
    return out;
}

/* Copy committed WAL content into the database file: PASSIVE never blocks the writer or
 * readers; TRUNCATE waits for the writer's transaction, copies everything and truncates. */
static int checkpoint(store *s, bool truncate, char *err, size_t errcap)
{
    int rc = sqlite3_wal_checkpoint_v2(
        s->db, NULL, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        return fail(s, "checkpoint", err, errcap);
    return 0;
}

/* 64 MiB of 4 KiB pages: past this the WAL is truncated between batches. */
enum { UPKEEP_WAL_MAX_PAGES = 16384 };

static void *upkeep_main(void *arg)
{
    store *s = arg;
    upkeep *u = s->up;
    pthread_mutex_lock(&u->mu);
    while (!u->quit) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        t.tv_sec += 1;
        (void)pthread_cond_timedwait(&u->cv, &u->mu, &t);
        if (u->quit)
            break;
        pthread_mutex_unlock(&u->mu);
        char err[256] = "";
        if (checkpoint(u->own, false, err, sizeof err) < 0)
            ew_log(EW_LOG_WARN, "store.checkpoint_failed", "error=\"%s\"", err);
        pthread_mutex_lock(&u->mu);
    }
    pthread_mutex_unlock(&u->mu);
    return NULL;
}

static int sq_upkeep_start(store *s, char *err, size_t errcap)
{
    if (s->up || !strcmp(s->path, ":memory:") || !s->path[0])
        return EW_OK; /* already running, or nothing to keep */
    upkeep *u = xcalloc(1, sizeof *u);
    u->own = store_sqlite_open(s->path, err, errcap);
    if (!u->own) {
        free(u);
        return EW_EINTERNAL;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&u->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&u->mu, NULL);
    s->up = u;
    int rc = pthread_create(&u->th, NULL, upkeep_main, s);
    if (rc) {
        s->up = NULL;
        pthread_cond_destroy(&u->cv);
        pthread_mutex_destroy(&u->mu);
        sq_close(u->own);
        free(u);
        return ew_errf(err, errcap, EW_EINTERNAL, "store: upkeep thread: %s", strerror(rc));
    }
    s->auto_checkpoint = false;
    return EW_OK;
}

static int sq_upkeep_idle(store *s, char *err, size_t errcap)
{
    if (!s->up || s->wal_pages <= UPKEEP_WAL_MAX_PAGES)
        return EW_OK;
    return checkpoint(s, true, err, errcap) < 0 ? EW_EINTERNAL : EW_OK;
}

static void sq_upkeep_stop(store *s)
{
    upkeep *u = s->up;
    if (!u)
        return;
    pthread_mutex_lock(&u->mu);
    u->quit = true;
    pthread_cond_signal(&u->cv);
    pthread_mutex_unlock(&u->mu);
    pthread_join(u->th, NULL);
    s->up = NULL;
    char err[256] = "";
    if (checkpoint(u->own, true, err, sizeof err) < 0)
        ew_log(EW_LOG_WARN, "store.checkpoint_failed", "final=1 error=\"%s\"", err);
    sq_close(u->own);
    pthread_cond_destroy(&u->cv);
    pthread_mutex_destroy(&u->mu);
    free(u);
    s->auto_checkpoint = true;
}

sqlite3 *store_sqlite_handle(store *s)
{
    return s->base.be == &store_sqlite_backend ? s->db : NULL;
}

bool store_in_transaction(store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

int store_stmt_run(store *s, int slot, const char *sql, void (*bind)(sqlite3_stmt *, const void *),
                   const void *row, const char *what, char *err, size_t errcap)
{
    sqlite3_stmt *st = store_stmt(s, slot, sql);
    if (!st)
        return fail(s, what, err, errcap);
    bind(st, row);
    return step_done(s, st, what, err, errcap);
}

sqlite3_stmt *store_stmt(store *s, int slot, const char *sql)
{
    if (slot < 0 || slot >= STORE_STMT_SLOTS)
        return NULL;
    if (!s->cache[slot] && sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                              &s->cache[slot], NULL) != SQLITE_OK)
        return NULL;
    return s->cache[slot];
}

const store_backend store_sqlite_backend = {
    .name = "sqlite",
    .holds_all = true,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .upkeep_start = sq_upkeep_start,
    .upkeep_idle = sq_upkeep_idle,
    .upkeep_stop = sq_upkeep_stop,
    .site_put = sq_site_put,
    .site_each = sq_site_each,
    .packet_put = sq_packet_put,
    .packets_each = sq_packets_each,
    .key_seen = sq_key_seen,
    .key_claim = sq_key_claim,
    .key_last = sq_key_last,
    .obs_put = sq_obs_put,
    .data_put = sq_data_put,
    .minutes_each = sq_minutes_each,
    .hour_put = sq_hour_put,
    .counts_get = sq_counts_get,
    .reasons_each = sq_reasons_each,
    .check = store_sqlite_check,
};
