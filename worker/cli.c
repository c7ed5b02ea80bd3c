/*
 * Command-line parsing shared by every subcommand (see cli.h). Options are
 * applied in order of precedence: config files named with -c first, then
 * the ENRICHER_* environment, then every other command-line option in the
 * order given.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "enricher/log.h"

/* Finds an extra option by long name (len bytes) or short letter. */
static const enr_cli_extra_t *find_extra(const enr_cli_extra_t *extras,
                                         const char *name, size_t len,
                                         char shortopt) {
        const enr_cli_extra_t *x;

        for (x = extras; x && x->name; x++) {
                if (shortopt ? x->shortopt == shortopt
                             : strlen(x->name) == len &&
                                   !strncmp(x->name, name, len))
                        return x;
        }
        return NULL;
}

/* Finds a table option of the given scope by long name or short letter. */
static const enr_opt_t *find_opt(unsigned scope, const char *name, size_t len,
                                 char shortopt) {
        const enr_opt_t *o;

        for (o = enr_config_options(); o->name; o++) {
                if (!(o->scope & scope))
                        continue;
                if (shortopt ? o->shortopt == shortopt
                             : strlen(o->name) == len &&
                                   !strncmp(o->name, name, len))
                        return o;
        }
        return NULL;
}

void enr_cli_usage(FILE *fp, const char *synopsis, unsigned scope,
                   const enr_cli_extra_t *extras) {
        const enr_cli_extra_t *x;
        const enr_opt_t       *o;

        fprintf(fp, "%s\n\nOptions:\n", synopsis);
        for (x = extras; x && x->name; x++) {
                char left[64];
                snprintf(
                    left, sizeof(left), "%s%c%s--%s%s", x->shortopt ? "-" : "",
                    x->shortopt ? x->shortopt : ' ', x->shortopt ? ", " : " ",
                    x->name, x->has_arg ? " VALUE" : "");
                fprintf(fp, "  %-32s %s\n", left + (x->shortopt ? 0 : 2),
                        x->help);
        }
        for (o = enr_config_options(); o->name; o++) {
                char left[64], choices[256];
                if (!(o->scope & scope))
                        continue;
                if (o->shortopt)
                        snprintf(left, sizeof(left), "-%c, --%s%s", o->shortopt,
                                 o->name,
                                 o->type == ENR_OPT_BOOL ? "" : " VALUE");
                else
                        snprintf(left, sizeof(left), "--%s%s", o->name,
                                 o->type == ENR_OPT_BOOL ? "[=BOOL]"
                                                         : " VALUE");
                fprintf(fp, "  %-32s %s", left, o->help);
                if (o->type == ENR_OPT_ENUM)
                        fprintf(
                            fp, " (%s)",
                            enr_config_choices(o, choices, sizeof(choices)));
                if (o->defval && *o->defval)
                        fprintf(fp, " [default: %s]", o->defval);
                fputc('\n', fp);
        }
        fprintf(fp, "  %-32s %s\n", "-c, --config FILE",
                "Read enricher options (name = value lines) from FILE");
        if (scope & ENR_OPT_SCOPE_KAFKA) {
                fprintf(fp, "  %-32s %s\n", "-X KEY=VALUE",
                        "Set a librdkafka property (repeatable)");
                fprintf(fp, "  %-32s %s\n", "-F FILE",
                        "Read librdkafka properties from FILE");
        }
        fprintf(fp, "  %-32s %s\n", "-h, --help", "Show this help");
        fprintf(fp,
                "\nEvery option may also be set in the environment as "
                "ENRICHER_<NAME> (upper case, '-' as '_')%s.\n",
                (scope & ENR_OPT_SCOPE_KAFKA)
                    ? "; librdkafka properties as ENRICHER_X_<PROP> ('.' as "
                      "'_')"
                    : "");
}

/* Applies the -c files, then the environment. */
static int pre_pass(enr_config_t *cfg, int argc, char **argv) {
        char errstr[512] = "";
        int  i;

        for (i = 1; i < argc; i++) {
                const char *file = NULL;
                if (!strcmp(argv[i], "--")) {
                        break;
                } else if (!strcmp(argv[i], "-c") ||
                           !strcmp(argv[i], "--config")) {
                        if (i + 1 >= argc) {
                                fprintf(stderr, "enricher: %s needs a file\n",
                                        argv[i]);
                                return -1;
                        }
                        file = argv[++i];
                } else if (!strncmp(argv[i], "--config=", 9)) {
                        file = argv[i] + 9;
                }
                if (file && enr_config_load_file(cfg, file, false, errstr,
                                                 sizeof(errstr))) {
                        fprintf(stderr, "enricher: --config %s\n", errstr);
                        return -1;
                }
        }
        if (enr_config_load_env(cfg, NULL, errstr, sizeof(errstr))) {
                fprintf(stderr, "enricher: %s\n", errstr);
                return -1;
        }
        return 0;
}

/* -X key=value (a librdkafka property) or -F file (a file of them). */
static int kafka_arg(enr_config_t *cfg, char flag, const char *value) {
        char        errstr[512] = "", key[256];
        const char *eq;

        if (flag == 'F') {
                if (enr_config_load_file(cfg, value, true, errstr,
                                         sizeof(errstr))) {
                        fprintf(stderr, "enricher: -F %s\n", errstr);
                        return -1;
                }
                return 0;
        }
        eq = strchr(value, '=');
        if (!eq || eq == value) {
                fprintf(stderr, "enricher: -X wants key=value, not \"%s\"\n",
                        value);
                return -1;
        }
        if ((size_t)(eq - value) >= sizeof(key)) {
                fprintf(stderr,
                        "enricher: -X %.40s...: property name longer than %zu "
                        "bytes\n",
                        value, sizeof(key) - 1);
                return -1;
        }
        snprintf(key, sizeof(key), "%.*s", (int)(eq - value), value);
        if (enr_config_set_kafka(cfg, key, eq + 1, errstr, sizeof(errstr))) {
                fprintf(stderr, "enricher: -X %s\n", errstr);
                return -1;
        }
        return 0;
}

enr_cli_status_t enr_cli_parse(enr_config_t *cfg, int argc, char **argv,
                               unsigned scope, const enr_cli_extra_t *extras,
                               const char *synopsis, char ***args, int *nargs) {
        char errstr[512] = "";
        int  i, n = 0, only_args = 0;

        *args  = calloc((size_t)argc + 1, sizeof(char *));
        *nargs = 0;
        if (!*args) {
                fprintf(stderr, "enricher: command line: %s\n",
                        enr_err_str(ENR_ERR_NOMEM));
                return ENR_CLI_ERROR;
        }
        if (pre_pass(cfg, argc, argv))
                goto fail;

        for (i = 1; i < argc; i++) {
                const char            *a = argv[i], *name, *value = NULL;
                size_t                 len;
                char                   shortopt = 0;
                const enr_opt_t       *o;
                const enr_cli_extra_t *x;
                int                    negated = 0;

                if (only_args || a[0] != '-' || !a[1]) {
                        (*args)[n++] = argv[i];
                        continue;
                }
                if (!strcmp(a, "--")) {
                        only_args = 1;
                        continue;
                }
                if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                        enr_cli_usage(stdout, synopsis, scope, extras);
                        free(*args);
                        *args = NULL;
                        return ENR_CLI_HELP;
                }
                if (!strcmp(a, "-c") || !strcmp(a, "--config")) {
                        i++; /* Applied in the pre-pass. */
                        continue;
                }
                if (!strncmp(a, "--config=", 9))
                        continue;
                if ((scope & ENR_OPT_SCOPE_KAFKA) &&
                    (!strcmp(a, "-X") || !strcmp(a, "-F"))) {
                        if (i + 1 >= argc) {
                                fprintf(stderr, "enricher: %s needs a value\n",
                                        a);
                                goto fail;
                        }
                        if (kafka_arg(cfg, a[1], argv[++i]))
                                goto fail;
                        continue;
                }

                if (a[1] == '-') {
                        const char *eq;
                        name = a + 2;
                        eq   = strchr(name, '=');
                        len  = eq ? (size_t)(eq - name) : strlen(name);
                        if (eq)
                                value = eq + 1;
                } else {
                        if (a[2]) {
                                /* -t4 style. */
                                value = a + 2;
                        }
                        shortopt = a[1];
                        name     = a + 1;
                        len      = 1;
                }

                x = find_extra(extras, name, len, shortopt);
                if (x) {
                        if (x->has_arg && !value) {
                                if (i + 1 >= argc) {
                                        fprintf(stderr,
                                                "enricher: %s needs a value\n",
                                                a);
                                        goto fail;
                                }
                                value = argv[++i];
                        } else if (!x->has_arg) {
                                if (value) {
                                        fprintf(stderr,
                                                "enricher: %s takes no value\n",
                                                a);
                                        goto fail;
                                }
                                value = "1";
                        }
                        *x->value = value;
                        continue;
                }

                o = find_opt(scope, name, len, shortopt);
                if (!o && !shortopt && len > 3 && !strncmp(name, "no-", 3)) {
                        o = find_opt(scope, name + 3, len - 3, 0);
                        if (o && o->type == ENR_OPT_BOOL && !value)
                                negated = 1;
                        else
                                o = NULL;
                }
                if (!o) {
                        fprintf(stderr,
                                "enricher: unknown option \"%s\" (see "
                                "--help)\n",
                                a);
                        goto fail;
                }
                if (o->type == ENR_OPT_BOOL && !value) {
                        value = negated ? "false" : "true";
                } else if (!value) {
                        if (i + 1 >= argc) {
                                fprintf(stderr, "enricher: %s needs a value\n",
                                        a);
                                goto fail;
                        }
                        value = argv[++i];
                }
                if (enr_config_set(cfg, o->name, value, errstr,
                                   sizeof(errstr))) {
                        fprintf(stderr, "enricher: %s\n", errstr);
                        goto fail;
                }
        }
        *nargs = n;
        if (enr_log_setup((enr_log_level_t)cfg->log_level,
                          (enr_log_format_t)cfg->log_format)) {
                fprintf(stderr,
                        "enricher: --log-level %d / --log-format %d: not a "
                        "level and format of the log module\n",
                        cfg->log_level, cfg->log_format);
                goto fail;
        }
        return ENR_CLI_OK;
fail:
        free(*args);
        *args = NULL;
        return ENR_CLI_ERROR;
}
