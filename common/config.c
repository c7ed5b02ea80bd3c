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

/* The closed sets: each value's name, the only place it is spelt. */
static const enr_config_enum_t input_formats[] = {
    {"auto", ENR_INPUT_AUTO},
    {"json", ENR_INPUT_JSON},
    {"text", ENR_INPUT_TEXT},
    {NULL, 0},
};
static const enr_config_enum_t article_modes[] = {
    {"full", ENR_ARTICLE_FULL},
    {"no-body", ENR_ARTICLE_NO_BODY},
    {"none", ENR_ARTICLE_NONE},
    {NULL, 0},
};
static const enr_config_enum_t other_languages[] = {
    {"record", ENR_OTHER_LANG_RECORD},
    {"dlq", ENR_OTHER_LANG_DLQ},
    {NULL, 0},
};
static const enr_config_enum_t log_levels[] = {
    {"debug", ENR_LOG_DEBUG}, {"info", ENR_LOG_INFO}, {"warn", ENR_LOG_WARN},
    {"error", ENR_LOG_ERROR}, {"off", ENR_LOG_OFF},   {NULL, 0},
};
static const enr_config_enum_t log_formats[] = {
    {"text", ENR_LOG_TEXT},
    {"json", ENR_LOG_JSON},
    {NULL, 0},
};

/* The option table: the single place where options are declared. */
static const enr_opt_t options[] = {
    /* Enrichment. */
    {"resources", 0, ENR_OPT_STRING, OFF(resources), ENR_RESOURCE_DIR, 0, 0,
     NULL, NULL, false, E, "Directory of gazetteers, word lists and models"},
    {"model", 0, ENR_OPT_STRING, OFF(model), "auto", 0, 0, NULL, NULL, false, E,
     "Name tagger model: auto (the shipped model if present), none (rules "
     "only) or a path"},
    {"title-fields", 0, ENR_OPT_STRING, OFF(title_fields), "title,headline", 0,
     0, NULL, NULL, false, E, "JSON fields tried in order for the title"},
    {"body-fields", 0, ENR_OPT_STRING, OFF(body_fields), "body,text,content", 0,
     0, NULL, NULL, false, E, "JSON fields tried in order for the body"},
    {"id-fields", 0, ENR_OPT_STRING, OFF(id_fields), "id,uuid,url", 0, 0, NULL,
     NULL, false, E, "JSON fields tried in order for the article id"},
    {"time-fields", 0, ENR_OPT_STRING, OFF(time_fields), "published_at,date", 0,
     0, NULL, NULL, false, E,
     "JSON fields tried in order for the publication time"},
    {"url-fields", 0, ENR_OPT_STRING, OFF(url_fields), "url,link", 0, 0, NULL,
     NULL, false, E,
     "JSON fields tried in order for the article's web address (a hint to "
     "where it is from, for places)"},
    {"input-format", 0, ENR_OPT_ENUM, OFF(input_format), "auto", 0, 0,
     input_formats, NULL, false, E,
     "auto: JSON objects, other input as plain text; json: JSON only; "
     "text: plain text only"},
    {"article", 0, ENR_OPT_ENUM, OFF(article_mode), "full", 0, 0, article_modes,
     NULL, false, E, "What of the input article the record repeats"},
    {"max-article-bytes", 0, ENR_OPT_SIZE, OFF(max_article_bytes), "1m", 16,
     INT64_C(1) << 30, NULL, NULL, false, E,
     "Larger inputs are refused (reason too_large)"},
    {"max-tokens", 0, ENR_OPT_INT, OFF(max_tokens), "400000", 1, 100000000,
     NULL, NULL, false, E, "Limit on tokens per field"},
    {"max-entities", 0, ENR_OPT_INT, OFF(max_entities), "20000", 1, 10000000,
     NULL, NULL, false, E,
     "Limit on mentions per article (extra ones dropped)"},
    {"keywords", 0, ENR_OPT_INT, OFF(keywords), "10", 0, 100, NULL, NULL, false,
     E, "Number of keywords in a record"},
    {"words-per-minute", 0, ENR_OPT_INT, OFF(words_per_minute), "238", 50, 2000,
     NULL, NULL, false, E, "Reading speed for the reading time"},
    {"timestamps", 0, ENR_OPT_BOOL, OFF(timestamps), "true", 0, 0, NULL, NULL,
     false, E,
     "Put the processing time in meta (false gives fully reproducible "
     "records)"},
    {"languages", 0, ENR_OPT_STRING, OFF(languages), "en", 0, 0, NULL, NULL,
     false, E,
     "Languages (ISO 639-1, comma-separated) the English extractors run on, "
     "or all"},
    {"other-languages", 0, ENR_OPT_ENUM, OFF(other_languages), "record", 0, 0,
     other_languages, NULL, false, E,
     "An article in another language: record (language, fingerprint and "
     "language-independent statistics only) or dlq (reason "
     "unsupported_language)"},
    {"dedup-window", 0, ENR_OPT_DURATION, OFF(dedup_window), "72h", 0,
     INT64_C(366) * 86400, NULL, NULL, false, E | O,
     "Mark an article as a duplicate of one seen this long before it "
     "(e.g. 72h, 7d; 0: off)"},
    {"dedup-capacity", 0, ENR_OPT_INT, OFF(dedup_capacity), "1000000", 1000,
     100000000, NULL, NULL, false, E | O,
     "Most fingerprints the duplicate index holds (the oldest go first)"},

    /* Kafka worker. */
    {"brokers", 'b', ENR_OPT_STRING, OFF(brokers), "", 0, 0, NULL, NULL, false,
     K, "Bootstrap brokers (host:port,…)"},
    {"input", 'i', ENR_OPT_STRING, OFF(input_topic), "articles", 0, 0, NULL,
     NULL, false, K, "Input topic"},
    {"output", 'o', ENR_OPT_STRING, OFF(output_topic), "articles.enriched", 0,
     0, NULL, NULL, false, K, "Output topic"},
    {"dlq-topic", 0, ENR_OPT_STRING, OFF(dlq_topic), "", 0, 0, NULL, NULL,
     false, K, "Dead-letter topic (default <input>.dlq)"},
    {"fingerprints-topic", 0, ENR_OPT_STRING, OFF(fingerprints_topic), "", 0, 0,
     NULL, NULL, false, K,
     "Compacted topic the workers of a group share their duplicate index "
     "through (default <output>.fingerprints)"},
    {"group", 'g', ENR_OPT_STRING, OFF(group), "enricher", 0, 0, NULL, NULL,
     false, K, "Consumer group id"},
    {"instance-id", 0, ENR_OPT_STRING, OFF(instance_id), "", 0, 0, NULL, NULL,
     false, K, "Static membership id (group.instance.id)"},
    {"group-protocol", 0, ENR_OPT_KAFKA, 0, "", 0, 0, NULL, "group.protocol",
     false, K,
     "Consumer group protocol: classic (the default) or consumer (Kafka "
     "4's KIP-848, needs librdkafka 2.12+; no session.timeout.ms, "
     "heartbeat.interval.ms or partition.assignment.strategy) "
     "(group.protocol)"},
    {"client-id", 0, ENR_OPT_STRING, OFF(client_id), "enricher", 0, 0, NULL,
     NULL, false, K, "Kafka client.id"},
    {"from", 0, ENR_OPT_STRING, OFF(from), "", 0, 0, NULL, NULL, false, K,
     "Where partitions without a committed offset start: earliest, "
     "latest, epoch ms or ISO-8601 (replay with a new group id)"},
    {"exit-at-end", 0, ENR_OPT_BOOL, OFF(exit_at_end), "false", 0, 0, NULL,
     NULL, false, K,
     "Stop once every assigned partition reached its end at start-up"},
    {"exactly-once", 0, ENR_OPT_BOOL, OFF(exactly_once), "false", 0, 0, NULL,
     NULL, false, K,
     "Use Kafka transactions (read_committed consumers see each "
     "input exactly once)"},
    {"transactional-id", 0, ENR_OPT_STRING, OFF(transactional_id), "", 0, 0,
     NULL, NULL, false, K,
     "Transactional id prefix (default derived from group and instance)"},
    {"threads", 't', ENR_OPT_INT, OFF(threads), "1", 1, 256, NULL, NULL, false,
     K | E, "Enrichment threads (per-partition order is kept)"},
    {"max-inflight", 0, ENR_OPT_INT, OFF(max_inflight), "10000", 1, 10000000,
     NULL, NULL, false, K, "Messages in flight before consumption pauses"},
    {"txn-max-messages", 0, ENR_OPT_INT, OFF(txn_max_messages), "1000", 1,
     1000000, NULL, NULL, false, K, "Exactly-once: messages per transaction"},
    {"txn-max-ms", 0, ENR_OPT_INT, OFF(txn_max_ms), "500", 1, 600000, NULL,
     NULL, false, K, "Exactly-once: longest transaction (ms)"},
    {"shutdown-timeout-ms", 0, ENR_OPT_INT, OFF(shutdown_timeout_ms), "30000",
     100, 3600000, NULL, NULL, false, K, "Bound on a clean shutdown (ms)"},

    /* Operations. */
    {"metrics-addr", 0, ENR_OPT_STRING, OFF(metrics_addr), "", 0, 0, NULL, NULL,
     false, O | K,
     "Serve /metrics, /healthz, /readyz on HOST:PORT (empty: off)"},
    {"log-level", 0, ENR_OPT_ENUM, OFF(log_level), "info", 0, 0, log_levels,
     NULL, false, O | K | E, "Log level"},
    {"log-format", 0, ENR_OPT_ENUM, OFF(log_format), "text", 0, 0, log_formats,
     NULL, false, O | K | E, "Log format on stderr"},
    {"stats-interval-ms", 0, ENR_OPT_INT, OFF(stats_interval_ms), "5000", 0,
     3600000, NULL, NULL, false, K,
     "librdkafka statistics interval for lag metrics (0: off)"},

    /* librdkafka properties under enricher names (also settable with -X):
     * the secret ones are masked in `enricher config` however they were
     * set. */
    {"security-protocol", 0, ENR_OPT_KAFKA, 0, "", 0, 0, NULL,
     "security.protocol", false, K,
     "plaintext, ssl, sasl_plaintext or sasl_ssl (security.protocol)"},
    {"sasl-mechanism", 0, ENR_OPT_KAFKA, 0, "", 0, 0, NULL, "sasl.mechanism",
     false, K, "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, ... (sasl.mechanism)"},
    {"sasl-username", 0, ENR_OPT_KAFKA, 0, "", 0, 0, NULL, "sasl.username",
     false, K, "SASL user name (sasl.username)"},
    {"sasl-password", 0, ENR_OPT_KAFKA, 0, "", 0, 0, NULL, "sasl.password",
     true, K, "SASL password (sasl.password; masked in dumps)"},
    {"ssl-key-password", 0, ENR_OPT_KAFKA, 0, "", 0, 0, NULL,
     "ssl.key.password", true, K,
     "Password of the client's SSL key (ssl.key.password; masked in dumps)"},
    {NULL, 0, 0, 0, NULL, 0, 0, NULL, NULL, false, 0, NULL},
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

/* The entry of value among the choices of o, or NULL. */
static const enr_config_enum_t *enum_find(const enr_opt_t *o,
                                          const char      *value) {
        const enr_config_enum_t *e;

        for (e = o->choices; e && e->name; e++)
                if (!strcmp(e->name, value))
                        return e;
        return NULL;
}

const char *enr_config_enum_name(const enr_opt_t *o, int v) {
        const enr_config_enum_t *e;

        if (!o || o->type != ENR_OPT_ENUM)
                return NULL;
        for (e = o->choices; e && e->name; e++)
                if (e->value == v)
                        return e->name;
        return NULL;
}

char *enr_config_choices(const enr_opt_t *o, char *buf, size_t size) {
        const enr_config_enum_t *e;
        size_t                   len = 0;

        if (!size)
                return buf;
        buf[0] = '\0';
        if (o->type != ENR_OPT_ENUM)
                return buf;
        for (e = o->choices; e && e->name; e++) {
                int n = snprintf(buf + len, size - len, "%s%s",
                                 e == o->choices ? "" : "|", e->name);
                if (n < 0 || (size_t)n >= size - len) {
                        buf[len] = '\0'; /* Whole names only. */
                        break;
                }
                len += (size_t)n;
        }
        return buf;
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

/* Sets option o to the text value, checking it; the reason of a refusal,
 * naming the option, goes into errstr. */
static enr_err_t set_opt(enr_config_t *cfg, const enr_opt_t *o,
                         const char *value, char *errstr, size_t errstr_size) {
        char *base = (char *)cfg + o->offset;

        switch (o->type) {
        case ENR_OPT_STRING: {
                char *dup = strdup(value);
                if (!dup) {
                        enr_set_errstr(errstr, errstr_size, "--%s: %s", o->name,
                                       enr_err_str(ENR_ERR_NOMEM));
                        return ENR_ERR_NOMEM;
                }
                free(*(char **)base);
                *(char **)base = dup;
                return ENR_OK;
        }
        case ENR_OPT_KAFKA: {
                char      sub[256];
                enr_err_t err;

                if (!*value)
                        return ENR_OK; /* The default: leave it unset. */
                err = enr_config_set_kafka(cfg, o->kafka, value, sub,
                                           sizeof(sub));
                if (err)
                        enr_set_errstr(errstr, errstr_size, "--%s: %s", o->name,
                                       sub);
                return err;
        }
        case ENR_OPT_ENUM: {
                const enr_config_enum_t *e = enum_find(o, value);
                if (!e) {
                        char choices[256];
                        enr_set_errstr(
                            errstr, errstr_size,
                            "--%s: \"%s\" is not one of %s", o->name, value,
                            enr_config_choices(o, choices, sizeof(choices)));
                        return ENR_ERR_CONFIG;
                }
                *(int *)base = e->value;
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
                if (o->type == ENR_OPT_DURATION
                        ? !parse_duration(value, &v)
                        : !parse_int(value, o->type == ENR_OPT_SIZE, &v)) {
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
        enr_set_errstr(errstr, errstr_size, "--%s: option of unknown type %d",
                       o->name, (int)o->type);
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
                if (o->type == ENR_OPT_STRING) {
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
                               const char *value, char *errstr,
                               size_t errstr_size) {
        size_t    i;
        char     *k, *v;
        enr_kv_t *nv;

        if (!*key) {
                enr_set_errstr(errstr, errstr_size,
                               "empty librdkafka property name");
                return ENR_ERR_INVALID_ARG;
        }
        for (i = 0; i < cfg->nkafka; i++) {
                if (!strcmp(cfg->kafka[i].key, key)) {
                        v = strdup(value);
                        if (!v)
                                goto nomem;
                        free(cfg->kafka[i].value);
                        cfg->kafka[i].value = v;
                        return ENR_OK;
                }
        }
        if (cfg->nkafka >= ENR_CONFIG_MAX_KAFKA) {
                enr_set_errstr(errstr, errstr_size,
                               "%s: more than %d librdkafka properties", key,
                               ENR_CONFIG_MAX_KAFKA);
                return ENR_ERR_LIMIT;
        }
        nv = realloc(cfg->kafka, (cfg->nkafka + 1) * sizeof(*nv));
        if (!nv)
                goto nomem;
        cfg->kafka = nv;
        k          = strdup(key);
        v          = strdup(value);
        if (!k || !v) {
                free(k);
                free(v);
                goto nomem;
        }
        cfg->kafka[cfg->nkafka].key   = k;
        cfg->kafka[cfg->nkafka].value = v;
        cfg->nkafka++;
        return ENR_OK;
nomem:
        enr_set_errstr(errstr, errstr_size, "%s: %s", key,
                       enr_err_str(ENR_ERR_NOMEM));
        return ENR_ERR_NOMEM;
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
                size_t n = strlen(line);
                char  *s = trim(line), *eq, *key, *val;
                char   sub[512];

                lineno++;
                if (n == sizeof(line) - 1 && line[n - 1] != '\n' && !feof(fp)) {
                        enr_set_errstr(errstr, errstr_size,
                                       "%s:%d: line longer than %zu bytes",
                                       path, lineno, sizeof(line) - 2);
                        err = ENR_ERR_LIMIT;
                        goto out;
                }
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
                if (kafka_props || !strncmp(key, "kafka.", 6))
                        /* A properties file, or "kafka.<prop>" in an
                         * enricher config file. */
                        err = enr_config_set_kafka(cfg,
                                                   kafka_props ? key : key + 6,
                                                   val, sub, sizeof(sub));
                else
                        err = enr_config_set(cfg, key, val, sub, sizeof(sub));
                if (err) {
                        enr_set_errstr(errstr, errstr_size, "%s:%d: %s", path,
                                       lineno, sub);
                        goto out;
                }
        }
        if (ferror(fp)) {
                enr_set_errstr(errstr, errstr_size, "%s:%d: %s", path, lineno,
                               strerror(errno));
                err = ENR_ERR_IO;
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
                char        name[256], sub[512];
                size_t      i, n;

                if (strncmp(var, "ENRICHER_", 9))
                        continue;
                eq = strchr(var, '=');
                if (!eq)
                        continue;
                if ((size_t)(eq - var - 9) >= sizeof(name)) {
                        enr_set_errstr(errstr, errstr_size,
                                       "environment: %.40s...: name longer "
                                       "than %zu bytes",
                                       var, sizeof(name) + 8);
                        return ENR_ERR_CONFIG;
                }
                n = (size_t)(eq - var - 9);
                if (!strncmp(var + 9, "X_", 2)) {
                        /* ENRICHER_X_SASL_MECHANISM=… → sasl.mechanism. */
                        for (i = 0; i + 2 < n; i++)
                                name[i] = var[11 + i] == '_'
                                              ? '.'
                                              : (char)tolower(
                                                    (unsigned char)var[11 + i]);
                        name[n - 2] = '\0';
                        err = enr_config_set_kafka(cfg, name, eq + 1, sub,
                                                   sizeof(sub));
                        if (err) {
                                enr_set_errstr(errstr, errstr_size,
                                               "environment: %.*s: %s",
                                               (int)(eq - var), var, sub);
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
                err = enr_config_set(cfg, name, eq + 1, sub, sizeof(sub));
                if (err) {
                        enr_set_errstr(errstr, errstr_size,
                                       "environment: ENRICHER_%.*s: %s", (int)n,
                                       var + 9, sub);
                        return err;
                }
        }
        return ENR_OK;
}

bool enr_config_kafka_is_secret(const char *key) {
        const enr_opt_t *o;

        for (o = options; o->name; o++)
                if (o->type == ENR_OPT_KAFKA && o->secret &&
                    !strcmp(o->kafka, key))
                        return true;
        return strstr(key, "password") || strstr(key, "secret") ||
               strstr(key, "token") || strstr(key, "sasl.jaas") ||
               strstr(key, "ssl.key.pem");
}

/* The value of librdkafka property key in cfg, or NULL. */
static const char *kafka_value(const enr_config_t *cfg, const char *key) {
        for (size_t i = 0; i < cfg->nkafka; i++)
                if (!strcmp(cfg->kafka[i].key, key))
                        return cfg->kafka[i].value;
        return NULL;
}

char *enr_config_format(const enr_config_t *cfg, const enr_opt_t *o, char *buf,
                        size_t size) {
        const char *base = (const char *)cfg + o->offset;
        const char *v    = NULL;

        switch (o->type) {
        case ENR_OPT_STRING:
                v = *(char *const *)base;
                break;
        case ENR_OPT_KAFKA:
                v = kafka_value(cfg, o->kafka);
                break;
        case ENR_OPT_BOOL:
                v = *(const bool *)base ? "true" : "false";
                break;
        case ENR_OPT_ENUM:
                v = enr_config_enum_name(o, *(const int *)base);
                break;
        case ENR_OPT_INT:
        case ENR_OPT_SIZE:
                snprintf(buf, size, "%lld", (long long)*(const int64_t *)base);
                return buf;
        case ENR_OPT_DURATION: {
                /* In the largest unit that divides it, as people write it. */
                long long secs = (long long)*(const int64_t *)base;
                if (secs && secs % 3600 == 0)
                        snprintf(buf, size, "%lldh", secs / 3600);
                else if (secs && secs % 60 == 0)
                        snprintf(buf, size, "%lldm", secs / 60);
                else
                        snprintf(buf, size, "%llds", secs);
                return buf;
        }
        }
        snprintf(buf, size, "%s", v ? v : "");
        return buf;
}

void enr_config_dump(const enr_config_t *cfg, FILE *fp, unsigned scope) {
        const enr_opt_t *o;
        size_t           i;
        char             val[4096];

        for (o = options; o->name; o++) {
                /* A KAFKA option's value is listed once, with the other
                 * librdkafka properties below. */
                if ((scope && !(o->scope & scope)) || o->type == ENR_OPT_KAFKA)
                        continue;
                fprintf(fp, "%s = %s\n", o->name,
                        o->secret
                            ? "********"
                            : enr_config_format(cfg, o, val, sizeof(val)));
        }
        for (i = 0; i < cfg->nkafka; i++)
                fprintf(fp, "X %s = %s\n", cfg->kafka[i].key,
                        enr_config_kafka_is_secret(cfg->kafka[i].key)
                            ? "********"
                            : cfg->kafka[i].value);
}
