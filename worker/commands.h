/*
 * The subcommands of the enricher program. Each takes the arguments after
 * its name (argv[0] is the subcommand) and returns the process exit status.
 */
#ifndef ENRICHER_WORKER_COMMANDS_H
#define ENRICHER_WORKER_COMMANDS_H

int enr_cmd_pipe(int argc, char **argv);
int enr_cmd_config(int argc, char **argv);
int enr_cmd_eval(int argc, char **argv);
int enr_cmd_train(int argc, char **argv);
int enr_cmd_bench(int argc, char **argv);
int enr_cmd_run(int argc, char **argv);
int enr_cmd_dev_broker(int argc, char **argv);

#endif
