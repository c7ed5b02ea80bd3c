/*
 * Configuration: the table of every option with its type, default, bounds
 * and help, and the loaders that apply, in order of precedence, defaults, a
 * config file, ENRICHER_* environment variables and the command line (the
 * last is worker/cli.c's job, through enr_config_set()).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/config.h"

#define OFF(f) offsetof(enr_config_t, f)
#define E      ENR_OPT_SCOPE_ENRICH
#define K      ENR_OPT_SCOPE_KAFKA
#define O      ENR_OPT_SCOPE_OPS

/* The option table: the single place where options are declared. */
static const enr_opt_t options[] = {
    /* Enrichment. */
    {"resources", 0, ENR_OPT_STRING, OFF(resources), ENR_RESOURCE_DIR, 0, 0,
     NULL, false, E, "Directory of gazetteers, word lists and models"},
    {"model", 0, ENR_OPT_STRING, OFF(model), "auto", 0, 0, NULL, false, E,
     "Name tagger model: auto (the shipped model if present), none (rules "
     "only) or a path"},
    {"title-fields", 0, ENR_OPT_STRING, OFF(title_fields), "title,headline", 0,
     0, NULL, false, E, "JSON fields tried in order for the title"},
    {"body-fields", 0, ENR_OPT_STRING, OFF(body_fields), "body,text,content", 0,
     0, NULL, false, E, "JSON fields tried in order for the body"},
    {"id-fields", 0, ENR_OPT_STRING, OFF(id_fields), "id,uuid,url", 0, 0, NULL,
     false, E, "JSON fields tried in order for the article id"},
    {"time-fields", 0, ENR_OPT_STRING, OFF(time_fields), "published_at,date", 0,
     0, NULL, false, E, "JSON fields tried in order for the publication time"},
    {"input-format", 0, ENR_OPT_ENUM, OFF(input_format), "auto", 0, 0,
     "auto|json|text", false, E,
     "auto: JSON objects, other input as plain text; json: JSON only; "
     "text: plain text only"},
    {"article", 0, ENR_OPT_ENUM, OFF(article_mode), "full", 0, 0,
     "full|no-body|none", false, E,
     "What of the input article the record repeats"},
    {"max-article-bytes", 0, ENR_OPT_SIZE, OFF(max_article_bytes), "1m", 16,
     INT64_C(1) << 30, NULL, false, E,
     "Larger inputs are refused (reason too_large)"},
    {"max-tokens", 0, ENR_OPT_INT, OFF(max_tokens), "400000", 1, 100000000,
     NULL, false, E, "Limit on tokens per field"},
    {"max-entities", 0, ENR_OPT_INT, OFF(max_entities), "20000", 1, 10000000,
     NULL, false, E, "Limit on mentions per article (extra ones dropped)"},
    {"keywords", 0, ENR_OPT_INT, OFF(keywords), "10", 0, 100, NULL, false, E,
     "Number of keywords in a record"},
    {"words-per-minute", 0, ENR_OPT_INT, OFF(words_per_minute), "238", 50, 2000,
     NULL, false, E, "Reading speed for the reading time"},
    {"timestamps", 0, ENR_OPT_BOOL, OFF(timestamps), "true", 0, 0, NULL, false,
     E,
     "Put the processing time in meta (false gives fully reproducible "
     "records)"},
    {"languages", 0, ENR_OPT_STRING, OFF(languages), "en", 0, 0, NULL, false, E,
     "Languages (ISO 639-1, comma-separated) the English extractors run on, "
     "or all"},
    {"other-languages", 0, ENR_OPT_ENUM, OFF(other_languages), "record", 0, 0,
     "record|dlq", false, E,
     "An article in another language: record (language, fingerprint and "
     "language-independent statistics only) or dlq (reason "
     "unsupported_language)"},
    {"dedup-window", 0, ENR_OPT_DURATION, OFF(dedup_window), "72h", 0,
     INT64_C(366) * 86400, NULL, false, E | O,
     "Mark an article as a duplicate of one seen this long before it "
     "(e.g. 72h, 7d; 0: off)"},
    {"dedup-capacity", 0, ENR_OPT_INT, OFF(dedup_capacity), "1000000", 1000,
     100000000, NULL, false, E | O,
     "Most fingerprints the duplicate index holds (the oldest go first)"},

    /* Kafka worker. */
    {"brokers", 'b', ENR_OPT_STRING, OFF(brokers), "", 0, 0, NULL, false, K,
     "Bootstrap brokers (host:port,…)"},
    {"input", 'i', ENR_OPT_STRING, OFF(input_topic), "articles", 0, 0, NULL,
     false, K, "Input topic"},
    {"output", 'o', ENR_OPT_STRING, OFF(output_topic), "articles.enriched", 0,
     0, NULL, false, K, "Output topic"},
    {"dlq-topic", 0, ENR_OPT_STRING, OFF(dlq_topic), "", 0, 0, NULL, false, K,
     "Dead-letter topic (default <input>.dlq)"},
    {"group", 'g', ENR_OPT_STRING, OFF(group), "enricher", 0, 0, NULL, false, K,
     "Consumer group id"},
    {"instance-id", 0, ENR_OPT_STRING, OFF(instance_id), "", 0, 0, NULL, false,
     K, "Static membership id (group.instance.id)"},
    {"client-id", 0, ENR_OPT_STRING, OFF(client_id), "enricher", 0, 0, NULL,
     false, K, "Kafka client.id"},
    {"from", 0, ENR_OPT_STRING, OFF(from), "", 0, 0, NULL, false, K,
     "Where partitions without a committed offset start: earliest, "
     "latest, epoch ms or ISO-8601 (replay with a new group id)"},
    {"exit-at-end", 0, ENR_OPT_BOOL, OFF(exit_at_end), "false", 0, 0, NULL,
     false, K,
     "Stop once every assigned partition reached its end at start-up"},
    {"exactly-once", 0, ENR_OPT_BOOL, OFF(exactly_once), "false", 0, 0, NULL,
     false, K,
     "Use Kafka transactions (read_committed consumers see each "
     "input exactly once)"},
    {"transactional-id", 0, ENR_OPT_STRING, OFF(transactional_id), "", 0, 0,
     NULL, false, K,
     "Transactional id prefix (default derived from group and instance)"},
    {"threads", 't', ENR_OPT_INT, OFF(threads), "1", 1, 256, NULL, false, K | E,
     "Enrichment threads (per-partition order is kept)"},
    {"max-inflight", 0, ENR_OPT_INT, OFF(max_inflight), "10000", 1, 10000000,
     NULL, false, K, "Messages in flight before consumption pauses"},
    {"txn-max-messages", 0, ENR_OPT_INT, OFF(txn_max_messages), "1000", 1,
     1000000, NULL, false, K, "Exactly-once: messages per transaction"},
    {"txn-max-ms", 0, ENR_OPT_INT, OFF(txn_max_ms), "500", 1, 600000, NULL,
     false, K, "Exactly-once: longest transaction (ms)"},
    {"shutdown-timeout-ms", 0, ENR_OPT_INT, OFF(shutdown_timeout_ms), "30000",
     100, 3600000, NULL, false, K, "Bound on a clean shutdown (ms)"},

    /* Operations. */
    {"metrics-addr", 0, ENR_OPT_STRING, OFF(metrics_addr), "", 0, 0, NULL,
     false, O | K,
     "Serve /metrics, /healthz, /readyz on HOST:PORT (empty: off)"},
    {"log-level", 0, ENR_OPT_ENUM, OFF(log_level), "info", 0, 0,
     "debug|info|warn|error|off", false, O | K | E, "Log level"},
    {"log-format", 0, ENR_OPT_ENUM, OFF(log_format), "text", 0, 0, "text|json",
     false, O | K | E, "Log format on stderr"},
    {"stats-interval-ms", 0, ENR_OPT_INT, OFF(stats_interval_ms), "5000", 0,
     3600000, NULL, false, K,
     "librdkafka statistics interval for lag metrics (0: off)"},
    {NULL, 0, 0, 0, NULL, 0, 0, NULL, false, 0, NULL},
};

const enr_opt_t *enr_config_options(void) {
        return options;
}

const enr_opt_t *enr_config_find(const char *name) {
        const enr_opt_t *o;
        char             norm[64];
        size_t           i;

        /* Accept '_' for '-' so config files may use either. */
        for (i = 0; name[i] && i < sizeof(norm) - 1; i++)
                norm[i] = name[i] == '_'
                              ? '-'
                              : (char)tolower((unsigned char)name[i]);
        norm[i] = '\0';
        for (o = options; o->name; o++)
                if (!strcmp(o->name, norm))
                        return o;
        return NULL;
}

/* Index of value in a "a|b|c" choice list, or -1. */
static int choice_index(const char *choices, const char *value) {
        size_t      vlen = strlen(value);
        const char *p    = choices;
        int         idx  = 0;

        while (*p) {
                const char *bar = strchr(p, '|');
                size_t      n   = bar ? (size_t)(bar - p) : strlen(p);
                if (n == vlen && !strncmp(p, value, n))
                        return idx;
                if (!bar)
                        break;
                p = bar + 1;
                idx++;
        }
        return -1;
}

/* Parses an integer with an optional k/m/g (powers of 1024) suffix. */
static bool parse_int(const char *s, bool size, int64_t *out) {
        char     *end;
        long long v;

        errno = 0;
        v     = strtoll(s, &end, 10);
        if (errno || end == s)
                return false;
        if (size && *end) {
                int shift = 0;
                switch (tolower((unsigned char)*end)) {
                case 'k':
                        shift = 10;
                        break;
                case 'm':
                        shift = 20;
                        break;
                case 'g':
                        shift = 30;
                        break;
                default:
                        return false;
                }
                end++;
                if (*end == 'b' || *end == 'B' || *end == 'i')
                        end++;
                if (v > (INT64_MAX >> shift) || v < 0)
                        return false;
                v <<= shift;
        }
        if (*end)
                return false;
        *out = v;
        return true;
}

/* Parses seconds with an optional s, m, h or d suffix ("72h"). */
static bool parse_duration(const char *s, int64_t *out) {
        char     *end;
        long long v;
        int64_t   unit = 1;

        errno = 0;
        v     = strtoll(s, &end, 10);
        if (errno || end == s || v < 0)
                return false;
        switch (*end) {
        case 0:
        case 's':
                break;
        case 'm':
                unit = 60;
                break;
        case 'h':
                unit = 3600;
                break;
        case 'd':
                unit = 86400;
                break;
        default:
                return false;
        }
        if (*end && end[1])
                return false;
        if (v > INT64_MAX / unit)
                return false;
        *out = v * unit;
        return true;
}

static bool parse_bool(const char *s, bool *out) {
        if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes") ||
            !strcmp(s, "on"))
                *out = true;
        else if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no") ||
                 !strcmp(s, "off"))
                *out = false;
        else
                return false;
        return true;
}

/* Sets option o to value (already known to be valid text). */
static enr_err_t set_opt(enr_config_t *cfg, const enr_opt_t *o,
                         const char *value, char *errstr, size_t errstr_size) {
        char *base = (char *)cfg + o->offset;

        switch (o->type) {
        case ENR_OPT_STRING: {
                char *dup = strdup(value);
                if (!dup)
                        return ENR_ERR_NOMEM;
                free(*(char **)base);
                *(char **)base = dup;
                return ENR_OK;
        }
        case ENR_OPT_ENUM: {
                int idx = choice_index(o->choices, value);
                if (idx < 0) {
                        enr_set_errstr(errstr, errstr_size,
                                       "--%s: \"%s\" is not one of %s", o->name,
                                       value, o->choices);
                        return ENR_ERR_CONFIG;
                }
                /* Level and format are kept as text for the log module. */
                if (o->offset == OFF(log_level) ||
                    o->offset == OFF(log_format)) {
                        char *dup = strdup(value);
                        if (!dup)
                                return ENR_ERR_NOMEM;
                        free(*(char **)base);
                        *(char **)base = dup;
                } else {
                        *(int *)base = idx;
                }
                return ENR_OK;
        }
        case ENR_OPT_BOOL:
                if (!parse_bool(value, (bool *)base)) {
                        enr_set_errstr(errstr, errstr_size,
                                       "--%s: \"%s\" is not a boolean "
                                       "(true/false)",
                                       o->name, value);
                        return ENR_ERR_CONFIG;
                }
                return ENR_OK;
        case ENR_OPT_INT:
        case ENR_OPT_SIZE:
        case ENR_OPT_DURATION: {
                int64_t v;
                if (o->type == ENR_OPT_DURATION ? !parse_duration(value, &v)
                                                : !parse_int(value,
                                                             o->type ==
                                                                 ENR_OPT_SIZE,
                                                             &v)) {
                        enr_set_errstr(errstr, errstr_size,
                                       "--%s: \"%s\" is not %s", o->name, value,
                                       o->type == ENR_OPT_SIZE
                                           ? "a size (e.g. 512k, 1m)"
                                       : o->type == ENR_OPT_DURATION
                                           ? "a duration (e.g. 90s, 72h, 7d)"
                                           : "an integer");
                        return ENR_ERR_CONFIG;
                }
                if (v < o->min || v > o->max) {
                        enr_set_errstr(errstr, errstr_size,
                                       "--%s: %lld is outside [%lld, %lld]",
                                       o->name, (long long)v, (long long)o->min,
                                       (long long)o->max);
                        return ENR_ERR_CONFIG;
                }
                *(int64_t *)base = v;
                return ENR_OK;
        }
        }
        return ENR_ERR_CONFIG;
}

enr_err_t enr_config_init(enr_config_t *cfg) {
        const enr_opt_t *o;
        enr_err_t        err;
        char             errstr[256];

        memset(cfg, 0, sizeof(*cfg));
        for (o = options; o->name; o++) {
                err = set_opt(cfg, o, o->defval, errstr, sizeof(errstr));
                if (err) {
                        enr_config_clear(cfg);
                        return err;
                }
        }
        return ENR_OK;
}

void enr_config_clear(enr_config_t *cfg) {
        const enr_opt_t *o;
        size_t           i;

        if (!cfg)
                return;
        for (o = options; o->name; o++) {
                if (o->type == ENR_OPT_STRING ||
                    (o->type == ENR_OPT_ENUM &&
                     (o->offset == OFF(log_level) ||
                      o->offset == OFF(log_format)))) {
                        char **p = (char **)((char *)cfg + o->offset);
                        free(*p);
                        *p = NULL;
                }
        }
        for (i = 0; i < cfg->nkafka; i++) {
                free(cfg->kafka[i].key);
                free(cfg->kafka[i].value);
        }
        free(cfg->kafka);
        cfg->kafka  = NULL;
        cfg->nkafka = 0;
}

enr_err_t enr_config_set(enr_config_t *cfg, const char *name, const char *value,
                         char *errstr, size_t errstr_size) {
        const enr_opt_t *o = enr_config_find(name);

        if (!o) {
                enr_set_errstr(errstr, errstr_size, "unknown option \"%s\"",
                               name);
                return ENR_ERR_CONFIG;
        }
        return set_opt(cfg, o, value, errstr, errstr_size);
}

enr_err_t enr_config_set_kafka(enr_config_t *cfg, const char *key,
                               const char *value) {
        size_t    i;
        char     *k, *v;
        enr_kv_t *nv;

        for (i = 0; i < cfg->nkafka; i++) {
                if (!strcmp(cfg->kafka[i].key, key)) {
                        v = strdup(value);
                        if (!v)
                                return ENR_ERR_NOMEM;
                        free(cfg->kafka[i].value);
                        cfg->kafka[i].value = v;
                        return ENR_OK;
                }
        }
        if (cfg->nkafka >= 4096)
                return ENR_ERR_LIMIT;
        nv = realloc(cfg->kafka, (cfg->nkafka + 1) * sizeof(*nv));
        if (!nv)
                return ENR_ERR_NOMEM;
        cfg->kafka = nv;
        k          = strdup(key);
        v          = strdup(value);
        if (!k || !v) {
                free(k);
                free(v);
                return ENR_ERR_NOMEM;
        }
        cfg->kafka[cfg->nkafka].key   = k;
        cfg->kafka[cfg->nkafka].value = v;
        cfg->nkafka++;
        return ENR_OK;
}

/* Trims ASCII white space at both ends, in place. */
static char *trim(char *s) {
        char *e;

        while (isspace((unsigned char)*s))
                s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
                *--e = '\0';
        return s;
}

enr_err_t enr_config_load_file(enr_config_t *cfg, const char *path,
                               bool kafka_props, char *errstr,
                               size_t errstr_size) {
        FILE     *fp;
        char      line[8192];
        int       lineno = 0;
        enr_err_t err    = ENR_OK;

        fp = fopen(path, "r");
        if (!fp) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                return ENR_ERR_IO;
        }
        while (fgets(line, sizeof(line), fp)) {
                char *s = trim(line), *eq, *key, *val;
                lineno++;
                if (!*s || *s == '#')
                        continue;
                eq = strchr(s, '=');
                if (!eq) {
                        enr_set_errstr(errstr, errstr_size,
                                       "%s:%d: expected name=value", path,
                                       lineno);
                        err = ENR_ERR_CONFIG;
                        goto out;
                }
                *eq = '\0';
                key = trim(s);
                val = trim(eq + 1);
                if (kafka_props || !strncmp(key, "kafka.", 6)) {
                        /* A properties file, or "kafka.<prop>" in an
                         * enricher config file. */
                        err = enr_config_set_kafka(
                            cfg, kafka_props ? key : key + 6, val);
                        if (err)
                                enr_set_errstr(errstr, errstr_size,
                                               "%s:%d: %s: %s", path, lineno,
                                               key, enr_err_str(err));
                } else {
                        char sub[256];
                        err = enr_config_set(cfg, key, val, sub, sizeof(sub));
                        if (err)
                                enr_set_errstr(errstr, errstr_size, "%s:%d: %s",
                                               path, lineno, sub);
                }
                if (err)
                        goto out;
        }
out:
        fclose(fp);
        return err;
}

enr_err_t enr_config_load_env(enr_config_t *cfg, char **envp, char *errstr,
                              size_t errstr_size) {
        extern char **environ;
        char        **e;
        enr_err_t     err;

        for (e = envp ? envp : environ; e && *e; e++) {
                const char *var = *e, *eq;
                char        name[256];
                size_t      i, n;

                if (strncmp(var, "ENRICHER_", 9))
                        continue;
                eq = strchr(var, '=');
                if (!eq || (size_t)(eq - var - 9) >= sizeof(name))
                        continue;
                n = (size_t)(eq - var - 9);
                if (!strncmp(var + 9, "X_", 2)) {
                        /* ENRICHER_X_SASL_MECHANISM=… → sasl.mechanism. */
                        for (i = 0; i + 2 < n; i++)
                                name[i] = var[11 + i] == '_'
                                              ? '.'
                                              : (char)tolower(
                                                    (unsigned char)var[11 + i]);
                        name[n - 2] = '\0';
                        err         = enr_config_set_kafka(cfg, name, eq + 1);
                        if (err) {
                                enr_set_errstr(errstr, errstr_size, "%.*s: %s",
                                               (int)(eq - var), var,
                                               enr_err_str(err));
                                return err;
                        }
                        continue;
                }
                for (i = 0; i < n; i++)
                        name[i] =
                            var[9 + i] == '_'
                                ? '-'
                                : (char)tolower((unsigned char)var[9 + i]);
                name[n] = '\0';
                if (!enr_config_find(name)) {
                        enr_set_errstr(errstr, errstr_size,
                                       "environment: ENRICHER_%.*s is not an "
                                       "option",
                                       (int)n, var + 9);
                        return ENR_ERR_CONFIG;
                }
                err = enr_config_set(cfg, name, eq + 1, errstr, errstr_size);
                if (err)
                        return err;
        }
        return ENR_OK;
}

bool enr_config_kafka_is_secret(const char *key) {
        return strstr(key, "password") || strstr(key, "secret") ||
               strstr(key, "sasl.jaas") || strstr(key, "ssl.key.pem") ||
               strstr(key, "token");
}

void enr_config_dump(const enr_config_t *cfg, FILE *fp, unsigned scope) {
        const enr_opt_t *o;
        size_t           i;

        for (o = options; o->name; o++) {
                const char *base = (const char *)cfg + o->offset;
                if (scope && !(o->scope & scope))
                        continue;
                fprintf(fp, "%s = ", o->name);
                if (o->secret) {
                        fputs("********\n", fp);
                        continue;
                }
                switch (o->type) {
                case ENR_OPT_STRING:
                        fprintf(fp, "%s\n", *(char *const *)base);
                        break;
                case ENR_OPT_BOOL:
                        fprintf(fp, "%s\n",
                                *(const bool *)base ? "true" : "false");
                        break;
                case ENR_OPT_INT:
                case ENR_OPT_SIZE:
                case ENR_OPT_DURATION:
                        fprintf(fp, "%lld\n",
                                (long long)*(const int64_t *)base);
                        break;
                case ENR_OPT_ENUM:
                        if (o->offset == OFF(log_level) ||
                            o->offset == OFF(log_format)) {
                                fprintf(fp, "%s\n", *(char *const *)base);
                        } else {
                                int         idx = *(const int *)base, k;
                                const char *p   = o->choices;
                                for (k = 0; k < idx && p; k++) {
                                        p = strchr(p, '|');
                                        if (p)
                                                p++;
                                }
                                fprintf(fp, "%.*s\n",
                                        p ? (int)strcspn(p, "|") : 0,
                                        p ? p : "");
                        }
                        break;
                }
        }
        for (i = 0; i < cfg->nkafka; i++)
                fprintf(fp, "X %s = %s\n", cfg->kafka[i].key,
                        enr_config_kafka_is_secret(cfg->kafka[i].key)
                            ? "********"
                            : cfg->kafka[i].value);
}
