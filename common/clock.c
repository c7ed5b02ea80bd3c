/*
 * Clocks and calendar arithmetic (see clock.h): one copy of each, so every
 * module and command measures time and writes timestamps the same way.
 */
#include <stdio.h>
#include <time.h>

#include "enricher/clock.h"

uint64_t enr_clock_mono_ns(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int64_t enr_clock_mono_ms(void) {
        return (int64_t)(enr_clock_mono_ns() / 1000000);
}

double enr_clock_mono_s(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int64_t enr_clock_wall_ms(void) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t enr_days_from_civil(int64_t y, int m, int d) {
        int64_t  era;
        unsigned yoe, doy, doe;

        y -= m <= 2;
        era = (y >= 0 ? y : y - 399) / 400;
        yoe = (unsigned)(y - era * 400);
        doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
        doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + (int64_t)doe - 719468;
}

size_t enr_time_iso8601(char *buf, size_t size, int64_t ms) {
        /* Floor division, so instants before the epoch keep a positive
         * millisecond part. */
        int64_t   sec  = ms / 1000 - (ms % 1000 < 0);
        int       frac = (int)(ms - sec * 1000);
        time_t    tt   = (time_t)sec;
        struct tm tm;
        int       n;

        if (size == 0)
                return 0;
        buf[0] = '\0';
        if (!gmtime_r(&tt, &tm))
                return 0;
        n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, frac);
        if (n < 0 || (size_t)n >= size) {
                buf[0] = '\0';
                return 0;
        }
        return (size_t)n;
}
