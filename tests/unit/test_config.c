/*
 * Unit tests of the option table and its loaders: types, bounds,
 * precedence, librdkafka pass-through and secret masking.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enricher/config.h"
#include "unit.h"

static enr_config_t cfg;
static char         errstr[256];

static void setup(void) {
        cr_assert_eq(enr_config_init(&cfg), ENR_OK);
}
static void teardown(void) {
        enr_config_clear(&cfg);
}
TestSuite(config, .init = setup, .fini = teardown);

Test(config, defaults) {
        cr_assert_eq(cfg.max_article_bytes, 1 << 20);
        cr_assert_str_eq(cfg.body_fields, "body,text,content");
        cr_assert_eq(cfg.threads, 1);
        cr_assert(cfg.timestamps);
        cr_assert(!cfg.exactly_once);
        cr_assert_str_eq(cfg.group, "enricher");
}

Test(config, types_and_bounds) {
        cr_assert_eq(enr_config_set(&cfg, "max-article-bytes", "2m", errstr,
                                    sizeof(errstr)),
                     ENR_OK);
        cr_assert_eq(cfg.max_article_bytes, 2 << 20);
        cr_assert_eq(
            enr_config_set(&cfg, "threads", "0", errstr, sizeof(errstr)),
            ENR_ERR_CONFIG);
        cr_assert(strstr(errstr, "outside"), "%s", errstr);
        cr_assert_eq(
            enr_config_set(&cfg, "threads", "4x", errstr, sizeof(errstr)),
            ENR_ERR_CONFIG);
        cr_assert_eq(enr_config_set(&cfg, "exactly-once", "maybe", errstr,
                                    sizeof(errstr)),
                     ENR_ERR_CONFIG);
        cr_assert_eq(
            enr_config_set(&cfg, "article", "no-body", errstr, sizeof(errstr)),
            ENR_OK);
        cr_assert_eq(cfg.article_mode, ENR_ARTICLE_NO_BODY);
        cr_assert_eq(
            enr_config_set(&cfg, "article", "half", errstr, sizeof(errstr)),
            ENR_ERR_CONFIG);
        cr_assert_eq(
            enr_config_set(&cfg, "no-such-option", "1", errstr, sizeof(errstr)),
            ENR_ERR_CONFIG);
}

Test(config, environment) {
        char *env[] = {"ENRICHER_THREADS=3", "ENRICHER_DLQ_TOPIC=bad",
                       "ENRICHER_X_SASL_PASSWORD=hunter2", "OTHER=1", NULL};
        cr_assert_eq(enr_config_load_env(&cfg, env, errstr, sizeof(errstr)),
                     ENR_OK);
        cr_assert_eq(cfg.threads, 3);
        cr_assert_str_eq(cfg.dlq_topic, "bad");
        cr_assert_eq(cfg.nkafka, 1);
        cr_assert_str_eq(cfg.kafka[0].key, "sasl.password");

        char *bad[] = {"ENRICHER_THREDS=3", NULL};
        cr_assert_eq(enr_config_load_env(&cfg, bad, errstr, sizeof(errstr)),
                     ENR_ERR_CONFIG);
        cr_assert(strstr(errstr, "ENRICHER_THREDS is not an option"), "%s",
                  errstr);

        /* A name too long to be an option is refused, not skipped. */
        char longvar[400];
        memset(longvar, 'A', sizeof(longvar));
        memcpy(longvar, "ENRICHER_", 9);
        strcpy(longvar + 390, "=1");
        char *toolong[] = {longvar, NULL};
        cr_assert_eq(enr_config_load_env(&cfg, toolong, errstr, sizeof(errstr)),
                     ENR_ERR_CONFIG);
        cr_assert(strstr(errstr, "name longer than"), "%s", errstr);
}

Test(config, file_and_dump_masks_secrets) {
        char   path[64];
        FILE  *fp;
        char  *dump = NULL;
        size_t dlen = 0;

        unit_temp_file("config",
                       "# comment\nthreads = 2\nkafka.sasl.password = s3cret\n"
                       "kafka.compression.type=zstd\n",
                       path, sizeof(path));
        cr_assert_eq(
            enr_config_load_file(&cfg, path, false, errstr, sizeof(errstr)),
            ENR_OK, "%s", errstr);
        unlink(path);
        cr_assert_eq(cfg.threads, 2);
        cr_assert_eq(cfg.nkafka, 2);

        fp = open_memstream(&dump, &dlen);
        enr_config_dump(&cfg, fp, 0);
        fclose(fp);
        cr_assert(strstr(dump, "threads = 2"));
        cr_assert(strstr(dump, "X compression.type = zstd"));
        cr_assert(!strstr(dump, "s3cret"), "a secret was printed");
        cr_assert(strstr(dump, "X sasl.password = ********"));
        free(dump);
}

Test(config, file_errors) {
        cr_assert_eq(enr_config_load_file(&cfg, "/nonexistent/x", false, errstr,
                                          sizeof(errstr)),
                     ENR_ERR_IO);
        char path[64];

        unit_temp_file("config", "threads = 2\nnonsense line\n", path,
                       sizeof(path));
        cr_assert_eq(
            enr_config_load_file(&cfg, path, false, errstr, sizeof(errstr)),
            ENR_ERR_CONFIG);
        cr_assert(strstr(errstr, ":2:"), "%s", errstr);
        unlink(path);
}

Test(config, enums_parse_and_print_through_one_table) {
        const enr_opt_t *o;
        char             buf[256];

        /* Every ENUM option: each choice sets its value and prints back as
         * itself. */
        for (o = enr_config_options(); o->name; o++) {
                const enr_config_enum_t *e;

                if (o->type != ENR_OPT_ENUM)
                        continue;
                cr_assert_not_null(o->choices, "%s", o->name);
                for (e = o->choices; e->name; e++) {
                        cr_assert_eq(enr_config_set(&cfg, o->name, e->name,
                                                    errstr, sizeof(errstr)),
                                     ENR_OK, "%s", errstr);
                        cr_assert_eq(*(int *)((char *)&cfg + o->offset),
                                     e->value);
                        cr_assert_str_eq(
                            enr_config_format(&cfg, o, buf, sizeof(buf)),
                            e->name);
                        cr_assert_str_eq(enr_config_enum_name(o, e->value),
                                         e->name);
                }
        }
        cr_assert_eq(
            enr_config_set(&cfg, "log-level", "warn", errstr, sizeof(errstr)),
            ENR_OK);
        cr_assert_eq(cfg.log_level, ENR_LOG_WARN);
        cr_assert_eq(
            enr_config_set(&cfg, "log-format", "json", errstr, sizeof(errstr)),
            ENR_OK);
        cr_assert_eq(cfg.log_format, ENR_LOG_JSON);
        cr_assert_eq(enr_config_set(&cfg, "log-level", "verbose", errstr,
                                    sizeof(errstr)),
                     ENR_ERR_CONFIG);
        cr_assert_str_eq(errstr, "--log-level: \"verbose\" is not one of "
                                 "debug|info|warn|error|off");
        cr_assert_eq(cfg.log_level, ENR_LOG_WARN, "unchanged by a refusal");
        o = enr_config_find("log_format");
        cr_assert_not_null(o);
        cr_assert_str_eq(enr_config_choices(o, buf, sizeof(buf)), "text|json");
        cr_assert_str_eq(enr_config_choices(o, buf, 8), "text");
        cr_assert_null(enr_config_enum_name(o, 7));
        cr_assert_null(enr_config_enum_name(enr_config_find("threads"), 0));
        cr_assert_str_eq(
            enr_config_choices(enr_config_find("threads"), buf, sizeof(buf)),
            "");
}

Test(config, defaults_print_as_declared) {
        const enr_opt_t *o;
        char             buf[4096];

        /* What enr_config_format() prints reads back to the same value. */
        for (o = enr_config_options(); o->name; o++) {
                enr_config_format(&cfg, o, buf, sizeof(buf));
                if (o->type == ENR_OPT_SIZE)
                        continue; /* "1m" prints as 1048576. */
                cr_assert_str_eq(buf, o->defval, "%s", o->name);
        }
        cr_assert_eq(cfg.log_level, ENR_LOG_INFO);
        cr_assert_eq(cfg.log_format, ENR_LOG_TEXT);
        cr_assert_eq(cfg.nkafka, 0, "KAFKA options leave properties unset");
}

Test(config, secret_column) {
        const enr_opt_t *o;
        char            *dump = NULL;
        size_t           dlen = 0, nsecret = 0;
        FILE            *fp;

        /* The secret rows are the KAFKA options of passwords, and their
         * properties are secret whichever way they are set. */
        for (o = enr_config_options(); o->name; o++) {
                if (!o->secret)
                        continue;
                nsecret++;
                cr_assert_eq(o->type, ENR_OPT_KAFKA, "%s", o->name);
                cr_assert(enr_config_kafka_is_secret(o->kafka), "%s", o->name);
        }
        cr_assert_geq(nsecret, 2);
        cr_assert(enr_config_kafka_is_secret("ssl.keystore.password"));
        cr_assert(enr_config_kafka_is_secret("sasl.oauthbearer.client.secret"));
        cr_assert(enr_config_kafka_is_secret("sasl.jaas.config"));
        cr_assert(!enr_config_kafka_is_secret("sasl.username"));
        cr_assert(!enr_config_kafka_is_secret("ssl.ca.location"));

        cr_assert_eq(enr_config_set(&cfg, "sasl-password", "pa55word-x", errstr,
                                    sizeof(errstr)),
                     ENR_OK);
        cr_assert_eq(enr_config_set(&cfg, "sasl-username", "bob", errstr,
                                    sizeof(errstr)),
                     ENR_OK);
        cr_assert_eq(cfg.nkafka, 2);
        cr_assert_str_eq(cfg.kafka[0].key, "sasl.password");
        cr_assert_str_eq(cfg.kafka[0].value, "pa55word-x");
        fp = open_memstream(&dump, &dlen);
        enr_config_dump(&cfg, fp, 0);
        fclose(fp);
        cr_assert_null(strstr(dump, "pa55word-x"), "%s", dump);
        cr_assert(strstr(dump, "X sasl.password = ********\n"), "%s", dump);
        cr_assert(strstr(dump, "X sasl.username = bob\n"), "%s", dump);
        /* Listed once, with the librdkafka properties. */
        cr_assert_null(strstr(dump, "sasl-password"), "%s", dump);
        free(dump);
}

Test(config, kafka_errors_say_which_property) {
        char key[32];

        cr_assert_eq(
            enr_config_set_kafka(&cfg, "", "x", errstr, sizeof(errstr)),
            ENR_ERR_INVALID_ARG);
        cr_assert(strstr(errstr, "empty librdkafka property name"), "%s",
                  errstr);
        for (int i = 0; i < ENR_CONFIG_MAX_KAFKA; i++) {
                snprintf(key, sizeof(key), "p%d", i);
                cr_assert_eq(enr_config_set_kafka(&cfg, key, "v", errstr,
                                                  sizeof(errstr)),
                             ENR_OK);
        }
        /* Replacing one still works at the limit; adding one does not. */
        cr_assert_eq(
            enr_config_set_kafka(&cfg, "p7", "w", errstr, sizeof(errstr)),
            ENR_OK);
        cr_assert_eq(
            enr_config_set_kafka(&cfg, "one.more", "v", errstr, sizeof(errstr)),
            ENR_ERR_LIMIT);
        cr_assert(strstr(errstr, "one.more: more than 4096"), "%s", errstr);
}

Test(config, file_error_lines) {
        char path[64];

        unit_temp_file("config", "threads = 2\n\nkafka. = x\n", path,
                       sizeof(path));
        strcpy(errstr, "untouched");
        cr_assert_eq(
            enr_config_load_file(&cfg, path, false, errstr, sizeof(errstr)),
            ENR_ERR_INVALID_ARG);
        cr_assert(strstr(errstr, ":3: empty librdkafka property name"), "%s",
                  errstr);
        cr_assert_eq(strncmp(errstr, path, strlen(path)), 0, "%s", errstr);
        unlink(path);
        unit_temp_file("config", "log-format = yaml\n", path, sizeof(path));
        cr_assert_eq(
            enr_config_load_file(&cfg, path, false, errstr, sizeof(errstr)),
            ENR_ERR_CONFIG);
        cr_assert(strstr(errstr, ":1: --log-format: \"yaml\" is not one of "
                                 "text|json"),
                  "%s", errstr);
        unlink(path);
}
