/*
 * Command-line parsing shared by every subcommand: the options of the
 * config table (for the subcommand's scope), -X key=value and -F file for
 * librdkafka, -c file for an enricher config file, and the subcommand's
 * own extra options. Applies the precedence defaults < config file <
 * ENRICHER_* environment < command line.
 */
#ifndef ENRICHER_WORKER_CLI_H
#define ENRICHER_WORKER_CLI_H

#include <stdio.h>

#include "enricher/config.h"

/** An option of one subcommand only. */
typedef struct enr_cli_extra {
        const char  *name;     /**< Long name, without "--". */
        char         shortopt; /**< Or 0. */
        int          has_arg;  /**< 1: takes a value; 0: a flag. */
        const char **value;    /**< Out: the value, or "1" for a flag. */
        const char  *help;
} enr_cli_extra_t;

/** What enr_cli_parse() found. */
typedef enum enr_cli_status {
        ENR_CLI_OK = 0, /**< Options applied; run the command. */
        ENR_CLI_HELP,   /**< --help was printed; exit 0. */
        ENR_CLI_ERROR   /**< An error was printed; exit 2. */
} enr_cli_status_t;

/**
 * @brief Parses argv[1..argc) into cfg (already enr_config_init'ed).
 *
 * @param scope     ENR_OPT_SCOPE_* bits of the table options accepted.
 * @param extras    The subcommand's own options, terminated by a NULL name.
 * @param synopsis  Usage line and description for --help.
 * @param args      Out: positional arguments (pointers into argv, in a
 *                  NULL-terminated array the caller frees).
 * @param nargs     Out: their number.
 */
enr_cli_status_t enr_cli_parse(enr_config_t *cfg, int argc, char **argv,
                               unsigned scope, const enr_cli_extra_t *extras,
                               const char *synopsis, char ***args, int *nargs);

/**
 * @brief What a command returns for an enr_cli_parse() result without
 *        running: 0 after --help, 2 after an error, -1 to go on.
 */
static inline int enr_cli_exit_status(enr_cli_status_t st) {
        return st == ENR_CLI_OK ? -1 : st == ENR_CLI_HELP ? 0 : 2;
}

/** @brief Prints the help of a subcommand. */
void enr_cli_usage(FILE *fp, const char *synopsis, unsigned scope,
                   const enr_cli_extra_t *extras);

#endif
