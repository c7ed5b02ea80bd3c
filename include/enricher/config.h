/*
 * Configuration: one table declares every option (name, type, default,
 * bounds, help, whether it is secret); the values live in enr_config_t.
 * Precedence: defaults < config file < ENRICHER_* environment < command
 * line. librdkafka properties (-X key=value, -F file) are kept as a list and
 * handed to librdkafka untouched. A closed set of values (log level, input
 * format, ...) is an enum with a table of names (redis's configEnum), parsed
 * and printed through that table alone.
 */
#ifndef ENRICHER_CONFIG_H
#define ENRICHER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "enricher/common.h"
#include "enricher/log.h"

/** What of the input article the record repeats. */
typedef enum enr_article_mode {
        ENR_ARTICLE_FULL = 0, /**< The whole input object. */
        ENR_ARTICLE_NO_BODY,  /**< The input object without its body field. */
        ENR_ARTICLE_NONE      /**< Nothing. */
} enr_article_mode_t;

/** How input bytes are read. */
typedef enum enr_input_format {
        ENR_INPUT_AUTO = 0, /**< JSON when it looks like JSON, else text. */
        ENR_INPUT_JSON,     /**< JSON only: anything else is invalid_json. */
        ENR_INPUT_TEXT      /**< Plain text only. */
} enr_input_format_t;

/** What becomes of an article in a language not in --languages. */
typedef enum enr_other_languages {
        ENR_OTHER_LANG_RECORD = 0, /**< A record without the English-only
                                        stages, meta saying so. */
        ENR_OTHER_LANG_DLQ         /**< A dead letter, reason
                                        unsupported_language. */
} enr_other_languages_t;

/** A librdkafka property passed through untouched. */
typedef struct enr_kv {
        char *key;
        char *value;
} enr_kv_t;

/** Every option's value. Strings are owned by the config. */
typedef struct enr_config {
        /* Enrichment. */
        char   *resources;    /**< Directory of shipped resources. */
        char   *model;        /**< Tagger model: "auto", "none", path. */
        char   *title_fields; /**< Comma-separated, tried in order. */
        char   *body_fields;
        char   *id_fields;
        char   *time_fields;
        char   *url_fields;
        int     input_format; /**< An enr_input_format_t. */
        int     article_mode; /**< An enr_article_mode_t. */
        int64_t max_article_bytes;
        int64_t max_tokens;
        int64_t max_entities;
        int64_t keywords; /**< Number of keywords in the record. */
        int64_t words_per_minute;
        bool    timestamps;      /**< Put meta.processed_at in records. */
        char   *languages;       /**< Comma-separated codes the extractors run
                                      on, or "all". */
        int     other_languages; /**< An enr_other_languages_t. */
        int64_t dedup_window;    /**< Seconds; 0 turns marking off. */
        int64_t dedup_capacity;  /**< Most fingerprints in the index. */

        /* Kafka worker. */
        char   *brokers;
        char   *input_topic;
        char   *output_topic;
        char   *dlq_topic;          /**< "" means "<input>.dlq". */
        char   *fingerprints_topic; /**< "" means "<output>.fingerprints". */
        char   *group;
        char   *instance_id; /**< group.instance.id, or "". */
        char   *client_id;
        char   *from; /**< "", earliest, latest, or a time. */
        bool    exit_at_end;
        bool    exactly_once;
        char   *transactional_id; /**< Prefix; "" derives from group. */
        int64_t threads;
        int64_t max_inflight;     /**< Messages in flight before pausing. */
        int64_t txn_max_messages; /**< Exactly-once batch size. */
        int64_t txn_max_ms;       /**< Exactly-once batch duration. */
        int64_t shutdown_timeout_ms;

        /* Operations. */
        char   *metrics_addr; /**< HOST:PORT, or "" for none. */
        int     log_level;    /**< An enr_log_level_t. */
        int     log_format;   /**< An enr_log_format_t. */
        int64_t stats_interval_ms;

        /* librdkafka pass-through. */
        enr_kv_t *kafka;
        size_t    nkafka;
} enr_config_t;

/** One value of a closed set: its name and its enum value. */
typedef struct enr_config_enum {
        const char *name;
        int         value;
} enr_config_enum_t;

/** Option value types. */
typedef enum enr_opt_type {
        ENR_OPT_STRING,
        ENR_OPT_INT,
        ENR_OPT_BOOL,
        ENR_OPT_ENUM,    /**< A name of choices, stored as its int value. */
        ENR_OPT_SIZE,    /**< An integer with optional k/m/g suffix. */
        ENR_OPT_KAFKA,   /**< A librdkafka property under an enricher name:
                              stored in the pass-through list (kafka), not in
                              a field; "" (the default) leaves it unset. */
        ENR_OPT_DURATION /**< Seconds, with optional s/m/h/d suffix. */
} enr_opt_type_t;

/** One row of the option table. */
typedef struct enr_opt {
        const char *name;        /**< "max-article-bytes": the command-line
                                      and config-file name; the environment
                                      name is ENRICHER_MAX_ARTICLE_BYTES. */
        char           shortopt; /**< Single-letter flag or 0. */
        enr_opt_type_t type;
        size_t         offset; /**< offsetof(enr_config_t, …); unused by
                                    KAFKA options. */
        const char *defval;    /**< Default, as text. */
        int64_t     min, max;  /**< Bounds of INT and SIZE options. */
        const enr_config_enum_t *choices; /**< ENUM: the names, ended by a
                                               NULL name. */
        const char *kafka;                /**< KAFKA: the librdkafka
                                               property ("sasl.password"). */
        bool secret;       /**< Masked by enr_config_dump(), and so is the
                                librdkafka property of a secret KAFKA option
                                however it was set (-X, -F, environment). */
        unsigned    scope; /**< ENR_OPT_SCOPE_* bits. */
        const char *help;
} enr_opt_t;

#define ENR_OPT_SCOPE_ENRICH 0x1 /**< pipe, run, eval, bench */
#define ENR_OPT_SCOPE_KAFKA  0x2 /**< run, dev-broker */
#define ENR_OPT_SCOPE_OPS    0x4 /**< run, pipe */

/** @brief The option table, terminated by a row with a NULL name. */
const enr_opt_t *enr_config_options(void);

/** @brief Finds an option by its long name, or NULL. */
const enr_opt_t *enr_config_find(const char *name);

/**
 * @brief The name of enum value v of option o ("json"), or NULL when o is
 *        not an ENUM option or v is none of its values.
 * @returns A static string.
 */
const char *enr_config_enum_name(const enr_opt_t *o, int v);

/**
 * @brief Writes the choices of ENUM option o as "a|b|c" into buf (empty for
 *        other options), cut after the last whole name that fits in size
 *        bytes.
 * @returns buf.
 */
char *enr_config_choices(const enr_opt_t *o, char *buf, size_t size);

/**
 * @brief Writes the value of option o in cfg as text (the text
 *        enr_config_set() reads back) into buf, truncated to size bytes.
 *        Secrets are written as they are: masking is the caller's choice
 *        (enr_config_dump() masks).
 * @returns buf.
 */
char *enr_config_format(const enr_config_t *cfg, const enr_opt_t *o, char *buf,
                        size_t size);

/** @brief Fills cfg with every default. Caller frees with enr_config_clear. */
enr_err_t enr_config_init(enr_config_t *cfg);

/** @brief Frees what cfg owns. */
void enr_config_clear(enr_config_t *cfg);

/**
 * @brief Sets one option from text, checking type and bounds.
 * @returns ENR_OK, or an error (ENR_ERR_CONFIG for a bad name or value,
 *          ENR_ERR_NOMEM, ENR_ERR_LIMIT) with the reason, naming the option,
 *          in errstr.
 */
enr_err_t enr_config_set(enr_config_t *cfg, const char *name, const char *value,
                         char *errstr, size_t errstr_size);

/** The most librdkafka properties one configuration holds. */
#define ENR_CONFIG_MAX_KAFKA 4096

/**
 * @brief Adds a librdkafka property (later ones replace earlier ones with
 *        the same key). key and value are copied.
 * @returns ENR_OK, or ENR_ERR_INVALID_ARG (empty key), ENR_ERR_LIMIT (more
 *          than ENR_CONFIG_MAX_KAFKA properties), ENR_ERR_NOMEM, with the
 *          reason, naming the property, in errstr.
 */
enr_err_t enr_config_set_kafka(enr_config_t *cfg, const char *key,
                               const char *value, char *errstr,
                               size_t errstr_size);

/**
 * @brief Reads a file of "name = value" lines (# comments). Lines whose
 *        name is an enricher option set it, "kafka.<prop>" lines a
 *        librdkafka property; with kafka_props, every line is a librdkafka
 *        property instead (kcat's -F).
 * @returns ENR_OK, ENR_ERR_IO (the file cannot be read), or the error of
 *          the first bad line; errstr then starts with "path:line: ".
 */
enr_err_t enr_config_load_file(enr_config_t *cfg, const char *path,
                               bool kafka_props, char *errstr,
                               size_t errstr_size);

/**
 * @brief Applies ENRICHER_<NAME> variables from envp (NULL: environ).
 *        ENRICHER_X_<PROP> sets librdkafka property prop (dots as _ ).
 */
enr_err_t enr_config_load_env(enr_config_t *cfg, char **envp, char *errstr,
                              size_t errstr_size);

/**
 * @brief Prints the effective configuration, one "name = value" line per
 *        option of scope (0: all) and one "X key = value" line per
 *        librdkafka property, secrets masked as "********".
 */
void enr_config_dump(const enr_config_t *cfg, FILE *fp, unsigned scope);

/**
 * @brief Whether a librdkafka property holds a secret: the property of a
 *        secret KAFKA option of the table, or a name that says so
 *        (password, secret, token, sasl.jaas.config, ssl.key.pem).
 */
bool enr_config_kafka_is_secret(const char *key);

#endif
