/*
 * Helpers shared by the unit tests (tests/unit/test_*.c), so that no test
 * copies them: temporary files with given content, reading a whole file,
 * and fixtures (the shipped gazetteer; a hand-made article's texts,
 * mentions and entity table). Each helper fails the calling
 * Criterion test on error, so tests need not check their results.
 */
#ifndef ENRICHER_TESTS_UNIT_H
#define ENRICHER_TESTS_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "enricher/entities.h"
#include "enricher/gazetteer.h"

/*
 * Writes content to a new temporary file (/tmp/enr-unit-<what>-XXXXXX)
 * and copies its path into path (size bytes). The caller unlinks it.
 * Returns path.
 */
static inline char *unit_temp_file(const char *what, const char *content,
                                   char *path, size_t size) {
        FILE  *fp;
        int    fd;
        size_t len = strlen(content);

        cr_assert(snprintf(path, size, "/tmp/enr-unit-%s-XXXXXX", what) <
                  (int)size);
        fd = mkstemp(path);
        cr_assert(fd >= 0, "mkstemp %s", path);
        fp = fdopen(fd, "w");
        cr_assert_not_null(fp);
        cr_assert_eq(fwrite(content, 1, len, fp), len, "writing %s", path);
        cr_assert_eq(fclose(fp), 0, "closing %s", path);
        return path;
}

/*
 * Reads the whole file at path. Returns a malloc'd buffer the caller frees,
 * with a NUL after its *len bytes (len may be NULL).
 */
static inline char *unit_read_file(const char *path, size_t *len) {
        FILE  *fp = fopen(path, "rb");
        char  *buf;
        long   n;
        size_t got;

        cr_assert_not_null(fp, "cannot open %s", path);
        cr_assert_eq(fseek(fp, 0, SEEK_END), 0);
        n = ftell(fp);
        cr_assert(n >= 0);
        cr_assert_eq(fseek(fp, 0, SEEK_SET), 0);
        buf = malloc((size_t)n + 1);
        cr_assert_not_null(buf);
        got = fread(buf, 1, (size_t)n, fp);
        fclose(fp);
        cr_assert_eq(got, (size_t)n, "reading %s", path);
        buf[n] = '\0';
        if (len)
                *len = (size_t)n;
        return buf;
}

/* The shipped gazetteer (ENR_RESOURCE_DIR); free with
 * enr_gazetteer_destroy(). */
static inline enr_gazetteer_t *unit_gazetteer(void) {
        char             err[256] = "";
        enr_gazetteer_t *gaz =
            enr_gazetteer_new(ENR_RESOURCE_DIR, err, sizeof(err));

        cr_assert_not_null(gaz, "cannot load the gazetteer: %s", err);
        return gaz;
}

/*
 * The state of a hand-made article for the entity tests: title and body
 * texts, made the fields of fields, an empty mention list and entity
 * table. Undo with unit_article_clear().
 */
static inline void unit_article_init(enr_text_t *title, enr_text_t *body,
                                     enr_mentions_t *ms, enr_entities_t *ents,
                                     enr_fields_t *fields) {
        enr_text_init(title);
        enr_text_init(body);
        enr_mentions_init(ms);
        enr_entities_init(ents);
        fields->text[ENR_FIELD_TITLE] = title;
        fields->text[ENR_FIELD_BODY]  = body;
}

static inline void unit_article_clear(enr_text_t *title, enr_text_t *body,
                                      enr_mentions_t *ms,
                                      enr_entities_t *ents) {
        enr_entities_clear(ents);
        enr_mentions_clear(ms);
        enr_text_clear(title);
        enr_text_clear(body);
}

/* Analyses t into title and b into body. */
static inline void unit_article_texts(enr_text_t *title, enr_text_t *body,
                                      const char *t, const char *b) {
        cr_assert_eq(enr_text_analyze(title, t, strlen(t), 0, NULL, 0), ENR_OK,
                     "%s", t);
        cr_assert_eq(enr_text_analyze(body, b, strlen(b), 0, NULL, 0), ENR_OK,
                     "%s", b);
}

#endif
