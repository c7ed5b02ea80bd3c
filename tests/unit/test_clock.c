/*
 * Unit tests of the clock and calendar helpers (common/clock.c) and of the
 * array growth helper in common.c.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enricher/clock.h"
#include "enricher/common.h"

Test(clock, days_from_civil_known_dates) {
        cr_assert_eq(enr_days_from_civil(1970, 1, 1), 0);
        cr_assert_eq(enr_days_from_civil(1969, 12, 31), -1);
        cr_assert_eq(enr_days_from_civil(2000, 3, 1), 11017);
        cr_assert_eq(enr_days_from_civil(2024, 2, 29), 19782);
        cr_assert_eq(enr_days_from_civil(1600, 1, 1), -135140);
        /* Day 0 is the last day of the month before. */
        cr_assert_eq(enr_days_from_civil(2024, 3, 0),
                     enr_days_from_civil(2024, 2, 29));
}

/* Every day of 1900 to 2100 against timegm(). */
Test(clock, days_from_civil_matches_timegm) {
        static const int mdays[] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
        for (int y = 1900; y <= 2100; y++) {
                int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                for (int m = 1; m <= 12; m++) {
                        int n = mdays[m - 1] + (m == 2 && leap);
                        for (int d = 1; d <= n; d++) {
                                struct tm tm = {.tm_year = y - 1900,
                                                .tm_mon  = m - 1,
                                                .tm_mday = d};
                                cr_assert_eq(
                                    enr_days_from_civil(y, m, d) * 86400,
                                    (int64_t)timegm(&tm), "%d-%d-%d", y, m, d);
                        }
                }
        }
}

Test(clock, iso8601) {
        char buf[ENR_ISO8601_SIZE];

        cr_assert_eq(enr_time_iso8601(buf, sizeof(buf), 0), 24);
        cr_assert_str_eq(buf, "1970-01-01T00:00:00.000Z");
        enr_time_iso8601(buf, sizeof(buf), INT64_C(1706702400123));
        cr_assert_str_eq(buf, "2024-01-31T12:00:00.123Z");
        /* Before the epoch the millisecond part stays positive. */
        enr_time_iso8601(buf, sizeof(buf), -1);
        cr_assert_str_eq(buf, "1969-12-31T23:59:59.999Z");
        /* Too small a buffer gives an empty string, not a cut one. */
        cr_assert_eq(enr_time_iso8601(buf, 24, 0), 0);
        cr_assert_str_eq(buf, "");
        cr_assert_eq(enr_time_iso8601(buf, 0, 0), 0);
}

Test(clock, monotonic_and_wall) {
        uint64_t a  = enr_clock_mono_ns();
        int64_t  ms = enr_clock_mono_ms();
        double   s  = enr_clock_mono_s();
        uint64_t b  = enr_clock_mono_ns();
        int64_t  w  = enr_clock_wall_ms();

        cr_assert_geq(b, a);
        cr_assert_geq(ms, (int64_t)(a / 1000000));
        cr_assert_leq(ms, (int64_t)(b / 1000000));
        cr_assert_geq(s * 1e9, (double)a - 1e3);
        cr_assert_leq(s * 1e9, (double)b + 1e3);
        /* After 2020-01-01 and within a second of time(). */
        cr_assert_gt(w, INT64_C(1577836800000));
        cr_assert_lt(llabs(w / 1000 - (int64_t)time(NULL)), 2);
}

Test(common, grow_doubles_and_keeps_contents) {
        int   *a   = NULL;
        size_t cap = 0;

        cr_assert_eq(enr_grow((void **)&a, &cap, 3, sizeof(*a), 16), ENR_OK);
        cr_assert_eq(cap, 16);
        for (int i = 0; i < 16; i++)
                a[i] = i;
        cr_assert_eq(enr_grow((void **)&a, &cap, 16, sizeof(*a), 16), ENR_OK);
        cr_assert_eq(cap, 16);
        cr_assert_eq(enr_grow((void **)&a, &cap, 40, sizeof(*a), 16), ENR_OK);
        cr_assert_eq(cap, 64);
        for (int i = 0; i < 16; i++)
                cr_assert_eq(a[i], i);
        free(a);
}

Test(common, grow_refuses_overflow) {
        char  *a   = NULL;
        size_t cap = 0;

        cr_assert_eq(enr_grow((void **)&a, &cap, SIZE_MAX / 4 + 1, 8, 16),
                     ENR_ERR_LIMIT);
        cr_assert_null(a);
        cr_assert_eq(cap, 0);
        cr_assert_eq(enr_grow((void **)&a, &cap, 1, 0, 16), ENR_ERR_LIMIT);
}
