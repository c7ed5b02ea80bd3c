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
