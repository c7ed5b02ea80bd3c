/*
 * `enricher config`: prints the effective configuration after defaults,
 * config file, environment and command line, with secrets masked, so an
 * operator can see what a worker would run with.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"

int enr_cmd_config(int argc, char **argv) {
        enr_config_t cfg;
        char       **args  = NULL;
        int          nargs = 0, rc;
        unsigned     scope =
            ENR_OPT_SCOPE_ENRICH | ENR_OPT_SCOPE_KAFKA | ENR_OPT_SCOPE_OPS;

        enr_err_t err = enr_config_init(&cfg);

        if (err) {
                fprintf(stderr, "enricher config: the defaults: %s\n",
                        enr_err_str(err));
                return 2;
        }
        rc = enr_cli_exit_status(
            enr_cli_parse(&cfg, argc, argv, scope, NULL,
                          "Usage: enricher config [OPTIONS]\n\n"
                          "Prints the effective configuration (defaults < "
                          "config file < ENRICHER_* environment <\n"
                          "command line), secrets masked. Accepts every "
                          "option of 'enricher run'.",
                          &args, &nargs));
        if (rc >= 0) {
                enr_config_clear(&cfg);
                return rc;
        }
        if (nargs) {
                fprintf(stderr, "enricher config: unexpected argument \"%s\"\n",
                        args[0]);
                free(args);
                enr_config_clear(&cfg);
                return 2;
        }
        enr_config_dump(&cfg, stdout, 0);
        free(args);
        enr_config_clear(&cfg);
        return 0;
}
