/*
 * Clocks and calendar arithmetic shared by every module and command: the
 * monotonic clock for durations and deadlines, the wall clock for
 * timestamps, days since the epoch of a civil date, and the one
 * ISO-8601 form enricher writes ("2024-01-31T12:00:00.123Z").
 */
#ifndef ENRICHER_CLOCK_H
#define ENRICHER_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/** Bytes enough for any enr_time_iso8601() output and its NUL. */
#define ENR_ISO8601_SIZE 32

/**
 * @brief The monotonic clock (CLOCK_MONOTONIC) in nanoseconds, for
 *        durations; its origin is arbitrary.
 */
uint64_t enr_clock_mono_ns(void);

/** @brief The monotonic clock in milliseconds, for deadlines. */
int64_t enr_clock_mono_ms(void);

/** @brief The monotonic clock in seconds, for reports of elapsed time. */
double enr_clock_mono_s(void);

/** @brief The wall clock (CLOCK_REALTIME) in milliseconds since
 *         1970-01-01T00:00:00Z. */
int64_t enr_clock_wall_ms(void);

/**
 * @brief Days since 1970-01-01 of the proleptic Gregorian date y-m-d
 *        (H. Hinnant's days_from_civil), negative before it.
 * @param m The month, 1 to 12.
 * @param d The day of the month, 1 to 31 (not checked against the month:
 *          day 0 is the day before the first).
 */
int64_t enr_days_from_civil(int64_t y, int m, int d);

/**
 * @brief Writes the instant ms (milliseconds since the epoch, UTC) as
 *        ISO-8601 with milliseconds, "YYYY-MM-DDTHH:MM:SS.mmmZ".
 * @param buf  Caller's buffer of size bytes (ENR_ISO8601_SIZE is enough);
 *             always terminated when size > 0.
 * @returns The length written, or 0 when it does not fit (buf then holds
 *          an empty string).
 */
size_t enr_time_iso8601(char *buf, size_t size, int64_t ms);

#endif
