/* targets_doc: the one JSON document of where the plan's targets stand — the rows and the
 * envelope fields of GET /api/v1/targets — rendered from service/targets' result, so that
 * the API, the office's ledger and `envwatch targets --json` show byte-for-byte the same
 * value, projection and status of every target.
 *
 * A row: {"id","name","name_en","unit","target","comparator","value","projected",
 * "rest_needed","on_track","status","source","statistic","deadline"}; value, projected,
 * rest_needed and on_track are null for a target without a measured value, whose status is
 * "no_data" (docs/api.md, "Targets").
 * The envelope: {"year","over","as_of","rules","plan","projection"[,"days_by_edition"]}. */
#ifndef EW_NET_TARGETS_DOC_H
#define EW_NET_TARGETS_DOC_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "service/plan.h"
#include "standards/airq.h"
#include "store/read.h"

/* Compute the targets of pl for Beijing year under rules ed as seen at now_utc
 * (targets_compute) and render them. On success returns 0 and sets *rows (a JSON array) and
 * *meta (a JSON object), both new references the caller owns. On failure returns a negative
 * EW_E* code with err filled; *rows and *meta are unchanged. */
int tdoc_build(ew_reader *db, const plan *pl, int year, airq_edition ed, int64_t now_utc,
               json_t **rows, json_t **meta, char *err, size_t errcap) EW_MUST_CHECK;

#endif
