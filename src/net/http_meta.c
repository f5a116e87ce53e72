/* GET /api/v1/meta: the server's rules the dashboard needs (case states and transitions,
 * form limits, AQI bands), served from their one definition in C so the web copies none. */
#include <jansson.h>
#include <string.h>

#include "net/http_internal.h"
#include "service/auth.h"
#include "service/case.h"
#include "standards/aqi.h"

static int meta_get(http_req *r, http_resp *out)
{
    (void)r;
    json_t *states = json_array();
    for (int s = 0; s < CASE_STATE_COUNT; s++) {
        json_t *next = json_array();
        for (int a = 0; a < CASE_ACTION_COUNT; a++)
            if (case_transition_allowed((case_state)s, (case_action)a))
                json_array_append_new(
                    next, json_pack("{s:s,s:s}", "action", case_action_name((case_action)a), "to",
                                    case_state_name(case_next_state((case_state)s, (case_action)a))));
        json_array_append_new(states,
                              json_pack("{s:s,s:s,s:o}", "code", case_state_name((case_state)s),
                                        "label_zh", case_state_label_zh((case_state)s),
                                        "transitions", next));
    }
    json_t *bands = json_array();
    for (int l = 1; l <= 6; l++) {
        const aqi_level_info *li = aqi_level_info_of(l);
        json_array_append_new(bands, json_pack("{s:i,s:i,s:i,s:s,s:s,s:s,s:s}", "level", li->level,
                                               "aqi_lo", li->aqi_lo, "aqi_hi", li->aqi_hi,
                                               "category_zh", li->category_zh, "category_en",
                                               li->category_en, "colour_en", li->colour_en,
                                               "rgb_hex", li->rgb_hex));
    }
    json_t *limits = json_pack("{s:i,s:i,s:I,s:I}", "password_min", AUTH_PASSWORD_MIN, "password_max",
                               AUTH_PASSWORD_MAX, "upload_max", (json_int_t)HTTP_UPLOAD_MAX,
                               "upload_max_public", (json_int_t)HTTP_UPLOAD_MAX_PUBLIC);
    return http_json(out, 200,
                     json_pack("{s:o,s:o,s:o}", "case_states", states, "aqi_bands", bands, "limits",
                               limits));
}

const http_route http_meta_routes[] = {
    {"GET", "/api/v1/meta", meta_get, 0, HTTP_ANYONE, 0},
};
const size_t http_meta_nroutes = sizeof http_meta_routes / sizeof http_meta_routes[0];
