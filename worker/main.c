/*
 * The enricher program: dispatches to the subcommands (pipe, run, eval,
 * bench, train, dev-broker, config). Only this directory may call exit().
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <librdkafka/rdkafka.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "commands.h"
#include "enricher/common.h"

static const struct {
        const char *name;
        int (*fn)(int, char **);
        const char *help;
} commands[] = {
    {"run", enr_cmd_run,
     "Consume articles from Kafka, produce enriched records"},
    {"pipe", enr_cmd_pipe, "Enrich JSON Lines from files or stdin to stdout"},
    {"dev-broker", enr_cmd_dev_broker,
     "Start an embedded Kafka mock cluster for demos and tests"},
    {"eval", enr_cmd_eval, "Score entity extraction on annotated data"},
    {"bench", enr_cmd_bench, "Measure enrichment speed per stage"},
    {"train", enr_cmd_train, "Train the name tagger on CoNLL files"},
    {"config", enr_cmd_config, "Print the effective configuration"},
};

static void usage(FILE *fp) {
        size_t i;

        fprintf(fp,
                "Usage: enricher COMMAND [OPTIONS] [ARGS]\n\n"
                "Enriches news articles with entities and text statistics.\n\n"
                "Commands:\n");
        for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                fprintf(fp, "  %-12s %s\n", commands[i].name, commands[i].help);
        fprintf(fp, "\n'enricher COMMAND --help' describes a command's "
                    "options.\n"
                    "'enricher --version' prints the version.\n");
}

/* The program's version and those of the libraries it runs with, as they
 * report themselves at run time (a container or host may carry others than
 * the build's headers). */
static void print_version(void) {
        char pcre2[64] = "unknown";

        printf("enricher %s (record schema %d)\n", ENR_VERSION_STR,
               ENR_SCHEMA_VERSION);
        printf("librdkafka %s\n", rd_kafka_version_str());
#if JANSSON_VERSION_HEX >= 0x020d00
        printf("jansson %s\n", jansson_version_str());
#else
        printf("jansson %s (headers)\n", JANSSON_VERSION);
#endif
        if (pcre2_config(PCRE2_CONFIG_VERSION, NULL) <= (int)sizeof(pcre2))
                pcre2_config(PCRE2_CONFIG_VERSION, pcre2);
        printf("pcre2 %s\n", pcre2);
}

int main(int argc, char **argv) {
        size_t i;

        if (argc < 2) {
                usage(stderr);
                return 2;
        }
        if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
            !strcmp(argv[1], "help")) {
                usage(stdout);
                return 0;
        }
        if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") ||
            !strcmp(argv[1], "version")) {
                print_version();
                return 0;
        }
        for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
                if (strcmp(argv[1], commands[i].name))
                        continue;
                return commands[i].fn(argc - 1, argv + 1);
        }
        fprintf(stderr, "enricher: unknown command '%s'\n\n", argv[1]);
        usage(stderr);
        return 2;
}
