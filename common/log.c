/*
 * Logging: one line per message on stderr, as text
 * ("2026-11-27T05:14:38.123Z INFO  worker: message") or as JSON lines
 * ({"ts":…,"level":…,"component":…,"msg":…}). A mutex keeps lines whole
 * when several threads log at once.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "enricher/clock.h"
#include "enricher/log.h"

volatile int           enr_log_min_level = ENR_LOG_INFO;
static int             log_json;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* The level as the line shows it ("off" is never written). */
static const char *const level_names[] = {"debug", "info", "warn", "error"};

enr_err_t enr_log_setup(enr_log_level_t level, enr_log_format_t format) {
        if ((unsigned)level > ENR_LOG_OFF || (unsigned)format > ENR_LOG_JSON)
                return ENR_ERR_INVALID_ARG;
        enr_log_min_level = (int)level;
        log_json          = format == ENR_LOG_JSON;
        return ENR_OK;
}

/* Writes s as the inside of a JSON string. */
static void json_escape(FILE *fp, const char *s) {
        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;
                if (c == '"' || c == '\\')
                        fprintf(fp, "\\%c", c);
                else if (c == '\n')
                        fputs("\\n", fp);
                else if (c == '\t')
                        fputs("\\t", fp);
                else if (c < 0x20)
                        fprintf(fp, "\\u%04x", c);
                else
                        fputc(c, fp);
        }
}

void enr_log_write(enr_log_level_t level, const char *component,
                   const char *fmt, ...) {
        char    msg[2048], ts[ENR_ISO8601_SIZE];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        enr_time_iso8601(ts, sizeof(ts), enr_clock_wall_ms());
        if ((unsigned)level > ENR_LOG_ERROR)
                level = ENR_LOG_ERROR;

        pthread_mutex_lock(&log_lock);
        if (log_json) {
                fprintf(stderr, "{\"ts\":\"%s\",\"level\":\"%s\",", ts,
                        level_names[level]);
                fputs("\"component\":\"", stderr);
                json_escape(stderr, component ? component : "");
                fputs("\",\"msg\":\"", stderr);
                json_escape(stderr, msg);
                fputs("\"}\n", stderr);
        } else {
                fprintf(stderr, "%s %-5s %s: %s\n", ts, level_names[level],
                        component ? component : "", msg);
        }
        fflush(stderr);
        pthread_mutex_unlock(&log_lock);
}
