/*
 * Logging to stderr as text or JSON lines. The level is checked before any
 * formatting; librdkafka's logs are routed here by the worker.
 */
#ifndef ENRICHER_LOG_H
#define ENRICHER_LOG_H

#include "enricher/common.h"

typedef enum enr_log_level {
        ENR_LOG_DEBUG = 0,
        ENR_LOG_INFO,
        ENR_LOG_WARN,
        ENR_LOG_ERROR,
        ENR_LOG_OFF
} enr_log_level_t;

/** How a log line is written. */
typedef enum enr_log_format {
        ENR_LOG_TEXT = 0, /**< "<time> <level> <component>: <message>". */
        ENR_LOG_JSON      /**< One JSON object a line. */
} enr_log_format_t;

/** The current level; read by the macro before formatting. */
extern volatile int enr_log_min_level;

/**
 * @brief Sets the least level written (ENR_LOG_OFF: none) and the format.
 *        The option names of both ("info", "json") are the config table's
 *        (log-level, log-format in common/config.c).
 * @returns ENR_OK, or ENR_ERR_INVALID_ARG for a value outside the enums
 *          (nothing is changed then).
 */
enr_err_t enr_log_setup(enr_log_level_t level, enr_log_format_t format);

/** @brief Writes one log line (use ENR_LOG instead). Thread-safe. */
void enr_log_write(enr_log_level_t level, const char *component,
                   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define ENR_LOG(level, component, ...)                                         \
        do {                                                                   \
                if ((int)(level) >= enr_log_min_level)                         \
                        enr_log_write(level, component, __VA_ARGS__);          \
        } while (0)

#define enr_debug(comp, ...) ENR_LOG(ENR_LOG_DEBUG, comp, __VA_ARGS__)
#define enr_info(comp, ...)  ENR_LOG(ENR_LOG_INFO, comp, __VA_ARGS__)
#define enr_warn(comp, ...)  ENR_LOG(ENR_LOG_WARN, comp, __VA_ARGS__)
#define enr_error(comp, ...) ENR_LOG(ENR_LOG_ERROR, comp, __VA_ARGS__)

#endif
