/*
 * Tests of the command line shared by every subcommand (worker/cli.c):
 * table options in long, short and --no- forms, the precedence defaults <
 * config file < ENRICHER_* environment < command line, bad values refused
 * with a message naming the option and where it came from, -X and -F
 * librdkafka pass-through, subcommand extras, --help, the log set-up, and
 * secrets masked in the dump `enricher config` prints.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "cli.h"
#include "enricher/config.h"
#include "enricher/log.h"
#include "unit.h"

#define ALL (ENR_OPT_SCOPE_ENRICH | ENR_OPT_SCOPE_KAFKA | ENR_OPT_SCOPE_OPS)

static enr_config_t cfg;
static char       **args;
static int          nargs;
static char         err_path[64]; /* Output captured by parse(). */

/* Each test runs in its own process: clear whatever ENRICHER_* variables
 * the runner has, so only a test's own setenv() counts. */
static void setup(void) {
        extern char **environ;
        char          name[256];

        for (int again = 1; again;) {
                again = 0;
                for (char **e = environ; *e; e++) {
                        const char *eq = strchr(*e, '=');
                        if (strncmp(*e, "ENRICHER_", 9) || !eq ||
                            (size_t)(eq - *e) >= sizeof(name))
                                continue;
                        snprintf(name, sizeof(name), "%.*s", (int)(eq - *e),
                                 *e);
                        unsetenv(name);
                        again = 1;
                        break;
                }
        }
        cr_assert_eq(enr_config_init(&cfg), ENR_OK);
        args  = NULL;
        nargs = 0;
}

static void teardown(void) {
        free(args);
        enr_config_clear(&cfg);
        if (*err_path)
                unlink(err_path);
}

TestSuite(cli, .init = setup, .fini = teardown);

/* Parses argv (NULL-terminated; argv[0] is the subcommand) with extras,
 * stdout and stderr going to a file. Returns the status; *out (if not
 * NULL) gets what was written, which the caller frees. */
static enr_cli_status_t parse_x(char **argv, unsigned scope,
                                const enr_cli_extra_t *extras, char **out) {
        int              argc = 0, saved1, saved2, fd;
        enr_cli_status_t st;

        while (argv[argc])
                argc++;
        free(args); /* Of an earlier parse in the same test. */
        args = NULL;
        if (!*err_path)
                unit_temp_file("cli-output", "", err_path, sizeof(err_path));
        fflush(stdout);
        fflush(stderr);
        saved1 = dup(1);
        saved2 = dup(2);
        fd     = open(err_path, O_WRONLY | O_TRUNC);
        cr_assert(saved1 >= 0 && saved2 >= 0 && fd >= 0);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        st = enr_cli_parse(&cfg, argc, argv, scope, extras,
                           "Usage: test [OPTIONS]", &args, &nargs);
        fflush(stdout);
        fflush(stderr);
        dup2(saved1, 1);
        dup2(saved2, 2);
        close(saved1);
        close(saved2);
        if (out)
                *out = unit_read_file(err_path, NULL);
        return st;
}

static enr_cli_status_t parse(char **argv, char **err) {
        return parse_x(argv, ALL, NULL, err);
}

/* Asserts that argv is refused with a message holding want. */
static void expect_refused(char **argv, const char *want) {
        char *err = NULL;

        cr_assert_eq(parse(argv, &err), ENR_CLI_ERROR, "%s accepted", argv[1]);
        cr_assert(strstr(err, want), "wanted \"%s\" in: %s", want, err);
        cr_assert(!strstr(err, "\n\n") && strlen(err) > 10, "%s", err);
        free(err);
        cr_assert_null(args);
}

Test(cli, options_long_short_and_negated) {
        char *err = NULL;

        cr_assert_eq(
            parse((char *[]){"run", "-t", "4", "--input", "in", "-oout",
                             "--max-article-bytes=2m", "--no-timestamps",
                             "--exactly-once", "--article", "no-body", "file1",
                             "--", "-t", NULL},
                  &err),
            ENR_CLI_OK, "%s", err);
        free(err);
        cr_assert_eq(cfg.threads, 4);
        cr_assert_str_eq(cfg.input_topic, "in");
        cr_assert_str_eq(cfg.output_topic, "out");
        cr_assert_eq(cfg.max_article_bytes, 2 << 20);
        cr_assert(!cfg.timestamps);
        cr_assert(cfg.exactly_once);
        cr_assert_eq(cfg.article_mode, ENR_ARTICLE_NO_BODY);
        /* Positional arguments, and everything after "--". */
        cr_assert_eq(nargs, 2);
        cr_assert_str_eq(args[0], "file1");
        cr_assert_str_eq(args[1], "-t");
        cr_assert_null(args[2]);
}

Test(cli, precedence_file_env_command_line) {
        char path[64], *err = NULL;

        unit_temp_file("cli-conf",
                       "# comment\n"
                       "threads = 2\n"
                       "group = from-file\n"
                       "input = file-input\n"
                       "kafka.linger.ms = 7\n",
                       path, sizeof(path));
        setenv("ENRICHER_THREADS", "3", 1);
        setenv("ENRICHER_GROUP", "from-env", 1);
        setenv("ENRICHER_X_LINGER_MS", "9", 1);
        /* The command line wins wherever it appears, even before -c. */
        cr_assert_eq(
            parse((char *[]){"run", "--threads", "4", "-c", path, NULL}, &err),
            ENR_CLI_OK, "%s", err);
        free(err);
        unlink(path);
        cr_assert_eq(cfg.threads, 4);                    /* command line */
        cr_assert_str_eq(cfg.group, "from-env");         /* environment */
        cr_assert_str_eq(cfg.input_topic, "file-input"); /* file */
        cr_assert_str_eq(cfg.output_topic, "articles.enriched"); /* default */
        cr_assert_eq(cfg.nkafka, 1);
        cr_assert_str_eq(cfg.kafka[0].key, "linger.ms");
        cr_assert_str_eq(cfg.kafka[0].value, "9");
}

Test(cli, bad_values_name_the_option) {
        expect_refused((char *[]){"run", "--threads", "0", NULL},
                       "--threads: 0 is outside [1, 256]");
        expect_refused((char *[]){"run", "-t", "four", NULL},
                       "--threads: \"four\" is not an integer");
        expect_refused((char *[]){"run", "--exactly-once=maybe", NULL},
                       "--exactly-once: \"maybe\" is not a boolean");
        expect_refused((char *[]){"run", "--log-level", "loud", NULL},
                       "\"loud\" is not one of debug|info|warn|error|off");
        expect_refused((char *[]){"run", "--input-format", "xml", NULL},
                       "is not one of auto|json|text");
        expect_refused((char *[]){"run", "--max-article-bytes", "1t", NULL},
                       "--max-article-bytes: \"1t\" is not a size");
        expect_refused((char *[]){"run", "--no-such-thing", NULL},
                       "unknown option \"--no-such-thing\"");
        expect_refused((char *[]){"run", "--no-threads", NULL},
                       "unknown option \"--no-threads\"");
        expect_refused((char *[]){"run", "--input", NULL},
                       "--input needs a value");
        expect_refused((char *[]){"run", "-c", NULL}, "-c needs a file");
}

Test(cli, bad_config_file_says_file_and_line) {
        char path[64], want[128];

        expect_refused((char *[]){"run", "-c", "/nonexistent/enr.conf", NULL},
                       "/nonexistent/enr.conf: No such file");
        unit_temp_file("cli-conf", "threads = 2\nthreads = 999\n", path,
                       sizeof(path));
        snprintf(want, sizeof(want), "%s:2: --threads: 999 is outside", path);
        expect_refused((char *[]){"run", "--config", path, NULL}, want);
        unlink(path);
        /* A librdkafka property that cannot be set: the message once
         * printed an uninitialised buffer here. */
        unit_temp_file("cli-conf", "threads = 2\n\nkafka. = x\n", path,
                       sizeof(path));
        snprintf(want, sizeof(want), "%s:3: empty librdkafka property name",
                 path);
        expect_refused((char *[]){"run", "-c", path, NULL}, want);
        unlink(path);
        unit_temp_file("cli-conf", "no equals sign\n", path, sizeof(path));
        snprintf(want, sizeof(want), "%s:1: expected name=value", path);
        expect_refused((char *[]){"run", "-c", path, NULL}, want);
        unlink(path);
        unit_temp_file("cli-props", "a=1\n= x\n", path, sizeof(path));
        snprintf(want, sizeof(want), "-F %s:2: empty librdkafka", path);
        expect_refused((char *[]){"run", "-F", path, NULL}, want);
        unlink(path);
}

Test(cli, bad_environment_names_the_variable) {
        setenv("ENRICHER_THREADS", "lots", 1);
        expect_refused((char *[]){"run", NULL},
                       "environment: ENRICHER_THREADS: --threads: \"lots\"");
        unsetenv("ENRICHER_THREADS");
        setenv("ENRICHER_THREDS", "2", 1);
        expect_refused((char *[]){"run", NULL},
                       "ENRICHER_THREDS is not an option");
}

Test(cli, kafka_passthrough) {
        char path[64], *err = NULL;

        unit_temp_file("cli-props",
                       "# kcat-style properties\n"
                       "compression.type = lz4\n"
                       "socket.keepalive.enable=true\n",
                       path, sizeof(path));
        cr_assert_eq(parse((char *[]){"run", "-X", "compression.type=zstd",
                                      "-X", "client.rack=r1", "-F", path, "-X",
                                      "client.rack=r2", "-X", "empty=", NULL},
                           &err),
                     ENR_CLI_OK, "%s", err);
        free(err);
        unlink(path);
        /* In command-line order, later ones replacing earlier ones. */
        cr_assert_eq(cfg.nkafka, 4);
        cr_assert_str_eq(cfg.kafka[0].key, "compression.type");
        cr_assert_str_eq(cfg.kafka[0].value, "lz4");
        cr_assert_str_eq(cfg.kafka[1].key, "client.rack");
        cr_assert_str_eq(cfg.kafka[1].value, "r2");
        cr_assert_str_eq(cfg.kafka[2].key, "socket.keepalive.enable");
        cr_assert_str_eq(cfg.kafka[3].key, "empty");
        cr_assert_str_eq(cfg.kafka[3].value, "");

        expect_refused((char *[]){"run", "-X", "novalue", NULL},
                       "-X wants key=value, not \"novalue\"");
        expect_refused((char *[]){"run", "-X", "=v", NULL}, "-X wants");
        expect_refused((char *[]){"run", "-X", NULL}, "-X needs a value");
}

Test(cli, kafka_options_outside_their_scope) {
        char *err = NULL;

        /* `pipe` has no Kafka: -X and the Kafka options are unknown. */
        cr_assert_eq(parse_x((char *[]){"pipe", "-X", "a=b", NULL},
                             ENR_OPT_SCOPE_ENRICH | ENR_OPT_SCOPE_OPS, NULL,
                             &err),
                     ENR_CLI_ERROR);
        cr_assert(strstr(err, "unknown option \"-X\""), "%s", err);
        free(err);
        cr_assert_eq(parse_x((char *[]){"pipe", "--brokers", "b:1", NULL},
                             ENR_OPT_SCOPE_ENRICH, NULL, &err),
                     ENR_CLI_ERROR);
        cr_assert(strstr(err, "unknown option \"--brokers\""), "%s", err);
        free(err);
}

Test(cli, extras) {
        const char     *verbose = NULL, *out = NULL;
        enr_cli_extra_t extras[] = {
            {"verbose", 'v', 0, &verbose, "Say more"},
            {"out", 'O', 1, &out, "Output file"},
            {NULL, 0, 0, NULL, NULL},
        };
        char *err = NULL;

        cr_assert_eq(parse_x((char *[]){"eval", "-v", "--out", "x.json", "-t",
                                        "2", NULL},
                             ALL, extras, &err),
                     ENR_CLI_OK, "%s", err);
        free(err);
        cr_assert_str_eq(verbose, "1");
        cr_assert_str_eq(out, "x.json");
        cr_assert_eq(cfg.threads, 2);
        cr_assert_eq(parse_x((char *[]){"eval", "--verbose=yes", NULL}, ALL,
                             extras, &err),
                     ENR_CLI_ERROR);
        cr_assert(strstr(err, "--verbose=yes takes no value"), "%s", err);
        free(err);
        cr_assert_eq(
            parse_x((char *[]){"eval", "--out", NULL}, ALL, extras, &err),
            ENR_CLI_ERROR);
        cr_assert(strstr(err, "--out needs a value"), "%s", err);
        free(err);
}

Test(cli, help_and_exit_status) {
        char *out = NULL;

        cr_assert_eq(
            parse((char *[]){"run", "--threads", "2", "--help", NULL}, &out),
            ENR_CLI_HELP);
        cr_assert_null(args);
        cr_assert_eq(strncmp(out, "Usage: test [OPTIONS]\n\nOptions:\n", 30), 0,
                     "%s", out);
        cr_assert(strstr(out, "-t, --threads VALUE"), "%s", out);
        free(out);
        cr_assert_eq(enr_cli_exit_status(ENR_CLI_HELP), 0);
        cr_assert_eq(enr_cli_exit_status(ENR_CLI_ERROR), 2);
        cr_assert_eq(enr_cli_exit_status(ENR_CLI_OK), -1);
}

Test(cli, usage_lists_choices_and_defaults) {
        char  *text = NULL;
        size_t len  = 0;
        FILE  *fp   = open_memstream(&text, &len);

        enr_cli_usage(fp, "Usage: x", ALL, NULL);
        fclose(fp);
        cr_assert(strstr(text, "--log-level VALUE"), "%s", text);
        cr_assert(strstr(text, "(debug|info|warn|error|off) [default: info]"),
                  "%s", text);
        cr_assert(strstr(text, "(text|json) [default: text]"), "%s", text);
        cr_assert(strstr(text, "--sasl-password VALUE"), "%s", text);
        cr_assert(strstr(text, "-X KEY=VALUE"), "%s", text);
        free(text);
}

Test(cli, log_level_and_format_applied) {
        char *err = NULL;

        cr_assert_eq(parse((char *[]){"run", "--log-level", "error",
                                      "--log-format", "json", NULL},
                           &err),
                     ENR_CLI_OK, "%s", err);
        free(err);
        cr_assert_eq(cfg.log_level, ENR_LOG_ERROR);
        cr_assert_eq(cfg.log_format, ENR_LOG_JSON);
        cr_assert_eq(enr_log_min_level, ENR_LOG_ERROR);
        setenv("ENRICHER_LOG_LEVEL", "off", 1);
        cr_assert_eq(parse((char *[]){"run", NULL}, NULL), ENR_CLI_OK);
        cr_assert_eq(enr_log_min_level, ENR_LOG_OFF);
}

Test(cli, secrets_masked_from_every_source) {
        char   path[64], *err = NULL, *dump = NULL;
        size_t dlen = 0;
        FILE  *fp;

        unit_temp_file("cli-props", "ssl.keystore.password=ks-Secret-1\n", path,
                       sizeof(path));
        setenv("ENRICHER_X_SASL_OAUTHBEARER_CLIENT_SECRET", "oa-Secret-2", 1);
        setenv("ENRICHER_SSL_KEY_PASSWORD", "key-Secret-3", 1);
        cr_assert_eq(
            parse((char *[]){"config", "--sasl-username", "alice",
                             "--sasl-password", "pw-Secret-4", "-F", path, "-X",
                             "sasl.jaas.config=jaas-Secret-5", "-X",
                             "compression.type=zstd", NULL},
                  &err),
            ENR_CLI_OK, "%s", err);
        free(err);
        unlink(path);
        fp = open_memstream(&dump, &dlen);
        enr_config_dump(&cfg, fp, 0);
        fclose(fp);
        cr_assert_null(strstr(dump, "Secret"), "a secret was printed:\n%s",
                       dump);
        cr_assert(strstr(dump, "X sasl.password = ********\n"), "%s", dump);
        cr_assert(strstr(dump, "X ssl.key.password = ********\n"), "%s", dump);
        cr_assert(strstr(dump, "X ssl.keystore.password = ********\n"), "%s",
                  dump);
        cr_assert(strstr(dump, "X sasl.oauthbearer.client.secret = ********"),
                  "%s", dump);
        cr_assert(strstr(dump, "X sasl.jaas.config = ********\n"), "%s", dump);
        /* What is not secret is shown as it is. */
        cr_assert(strstr(dump, "X sasl.username = alice\n"), "%s", dump);
        cr_assert(strstr(dump, "X compression.type = zstd\n"), "%s", dump);
        cr_assert(strstr(dump, "log-level = info\n"), "%s", dump);
        /* The values themselves reach librdkafka untouched. */
        for (size_t i = 0; i < cfg.nkafka; i++)
                if (!strcmp(cfg.kafka[i].key, "sasl.password"))
                        cr_assert_str_eq(cfg.kafka[i].value, "pw-Secret-4");
        free(dump);
}

Test(cli, kafka_property_limit_names_the_property) {
        int    n    = ENR_CONFIG_MAX_KAFKA + 1;
        char **argv = calloc((size_t)(2 * n + 2), sizeof(char *));
        char  *err  = NULL;

        cr_assert_not_null(argv);
        argv[0] = "run";
        for (int i = 0; i < n; i++) {
                argv[1 + 2 * i] = "-X";
                cr_assert(asprintf(&argv[2 + 2 * i], "p%d=v", i) > 0);
        }
        cr_assert_eq(parse(argv, &err), ENR_CLI_ERROR);
        cr_assert(strstr(err, "enricher: -X p4096: more than 4096 librdkafka "
                              "properties\n"),
                  "%s", err);
        free(err);
        for (int i = 0; i < n; i++)
                free(argv[2 + 2 * i]);
        free(argv);
}
