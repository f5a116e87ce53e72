/* Fuzz the plan loader: any bytes either load into a plan that can be written back as JSON,
 * or fail with a message. */
#include <stddef.h>
#include <stdint.h>

#include "service/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    plan_error err;
    plan *p = plan_load_string((const char *)data, n, &err);
    if (p) {
        json_decref(plan_to_json(p));
        plan_free(p);
    } else if (!err.msg[0]) {
        __builtin_trap(); /* every failure names its fault */
    }
    return 0;
}
