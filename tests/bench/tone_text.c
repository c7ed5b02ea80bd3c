/*
 * Prints enricher's tone scores for arbitrary texts, one process for many
 * (tests/bench/tone_compare.py feeds it the sentences it compares with
 * vaderSentiment). Input: JSON lines on stdin, each a JSON string or an
 * object with a "text" string. Output: one JSON line per input line,
 *
 *   {"compound":c,"pos":p,"neg":n,"neu":u,"gkg":{...}}
 *
 * with the unrounded doubles ("%.17g") and, under "rounded", the values
 * as the record writes them. Usage:
 *
 *   build/bin/tone_text [--resources DIR] < texts.jsonl
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/tone.h"

/* The longest input line read. */
#define TONE_TEXT_MAX_LINE ((size_t)16 << 20)

int main(int argc, char **argv) {
        const char         *dir = NULL;
        char                errstr[512];
        enr_tone_t         *t;
        enr_tone_scratch_t *s;
        char               *line = NULL;
        size_t              cap  = 0;
        ssize_t             n;
        int                 rc = 0;

        if (argc == 3 && !strcmp(argv[1], "--resources"))
                dir = argv[2];
        else if (argc != 1) {
                fprintf(stderr, "usage: %s [--resources DIR] < texts.jsonl\n",
                        argv[0]);
                return 2;
        }
        if (!(t = enr_tone_new(dir, errstr, sizeof(errstr)))) {
                fprintf(stderr, "tone: %s\n", errstr);
                return 1;
        }
        if (!(s = enr_tone_scratch_new())) {
                enr_tone_destroy(t);
                return 1;
        }
        while ((n = getline(&line, &cap, stdin)) >= 0) {
                json_error_t          jerr;
                json_t               *j, *v;
                enr_tone_result_t     r;
                const enr_tone_gkg_t *g = &r.gkg;

                if ((size_t)n > TONE_TEXT_MAX_LINE ||
                    !(j = json_loadb(line, (size_t)n, JSON_DECODE_ANY,
                                     &jerr))) {
                        fprintf(stderr, "tone_text: bad input line\n");
                        rc = 1;
                        break;
                }
                v = json_is_object(j) ? json_object_get(j, "text") : j;
                if (!json_is_string(v) ||
                    enr_tone_score(t, s, json_string_value(v),
                                   json_string_length(v), &r)) {
                        fprintf(stderr, "tone_text: no text, or no memory\n");
                        json_decref(j);
                        rc = 1;
                        break;
                }
                printf("{\"compound\":%.17g,\"pos\":%.17g,\"neg\":%.17g,"
                       "\"neu\":%.17g,\"rounded\":[%.4f,%.3f,%.3f,%.3f],"
                       "\"gkg\":{\"tone\":%.17g,\"positive\":%.17g,"
                       "\"negative\":%.17g,\"polarity\":%.17g,"
                       "\"self_group_density\":%.17g,\"word_count\":%u}}\n",
                       r.compound, r.positive, r.negative, r.neutral,
                       enr_tone_round(r.compound, 4),
                       enr_tone_round(r.positive, 3),
                       enr_tone_round(r.negative, 3),
                       enr_tone_round(r.neutral, 3), g->tone, g->positive,
                       g->negative, g->polarity, g->self_group_density,
                       g->word_count);
                json_decref(j);
        }
        free(line);
        enr_tone_scratch_destroy(s);
        enr_tone_destroy(t);
        return rc;
}
