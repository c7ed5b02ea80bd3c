/*
 * Article input: the bytes of one message become title, body, id and
 * publication time. A JSON object is read with jansson, taking each field
 * from the first configured name present; anything else is plain text
 * whose first line is the title when a blank line or a paragraph follows.
 * The size limit is checked before any parsing, so an oversized message
 * costs nothing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enricher/article.h"
#include "enricher/clock.h"
#include "enricher/text.h"

/* Splits a comma-separated list into a NULL-terminated array. */
static char **split_list(const char *s) {
        size_t      n = 1, i = 0;
        char      **v, *copy, *tok, *save = NULL;
        const char *p;

        for (p = s; *p; p++)
                if (*p == ',')
                        n++;
        v    = calloc(n + 1, sizeof(char *));
        copy = strdup(s);
        if (!v || !copy) {
                free(v);
                free(copy);
                return NULL;
        }
        for (tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
                while (isspace((unsigned char)*tok))
                        tok++;
                if (!*tok)
                        continue;
                v[i] = strdup(tok);
                if (!v[i])
                        break;
                {
                        char *e = v[i] + strlen(v[i]);
                        while (e > v[i] && isspace((unsigned char)e[-1]))
                                *--e = '\0';
                }
                i++;
        }
        free(copy);
        return v;
}

static void free_list(char **v) {
        size_t i;

        if (!v)
                return;
        for (i = 0; v[i]; i++)
                free(v[i]);
        free(v);
}

enr_err_t enr_article_rules_init(enr_article_rules_t *r,
                                 const enr_config_t *cfg, char *errstr,
                                 size_t errstr_size) {
        memset(r, 0, sizeof(*r));
        r->title_fields = split_list(cfg->title_fields);
        r->body_fields  = split_list(cfg->body_fields);
        r->id_fields    = split_list(cfg->id_fields);
        r->time_fields  = split_list(cfg->time_fields);
        r->url_fields   = split_list(cfg->url_fields);
        r->input_format = cfg->input_format;
        r->max_bytes    = (size_t)cfg->max_article_bytes;
        if (!r->title_fields || !r->body_fields || !r->id_fields ||
            !r->time_fields || !r->url_fields) {
                enr_article_rules_clear(r);
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return ENR_ERR_NOMEM;
        }
        if (!r->body_fields[0]) {
                enr_article_rules_clear(r);
                enr_set_errstr(errstr, errstr_size,
                               "body-fields: at least one field is needed");
                return ENR_ERR_CONFIG;
        }
        return ENR_OK;
}

void enr_article_rules_clear(enr_article_rules_t *r) {
        free_list(r->title_fields);
        free_list(r->body_fields);
        free_list(r->id_fields);
        free_list(r->time_fields);
        free_list(r->url_fields);
        memset(r, 0, sizeof(*r));
}

void enr_article_init(enr_article_t *a) {
        memset(a, 0, sizeof(*a));
        a->title = "";
        a->body  = "";
}

void enr_article_clear(enr_article_t *a) {
        if (a->root)
                json_decref(a->root);
        enr_article_init(a);
}

/* Whether s[0..len) is only white space. */
static int is_blank(const char *s, size_t len) {
        size_t i;

        for (i = 0; i < len; i++)
                if (!isspace((unsigned char)s[i]))
                        return 0;
        return 1;
}

/* The first string field of obj named in names, or NULL. */
static json_t *first_field(json_t *obj, char **names, const char **key) {
        size_t i;

        for (i = 0; names[i]; i++) {
                json_t *v = json_object_get(obj, names[i]);
                if (v && !json_is_null(v)) {
                        *key = names[i];
                        return v;
                }
        }
        return NULL;
}

/* Reads exactly n digits at s[*i]. */
static int digits(const char *s, size_t len, size_t *i, int n, int *out) {
        int v = 0, k;

        for (k = 0; k < n; k++) {
                if (*i >= len || !isdigit((unsigned char)s[*i]))
                        return 0;
                v = v * 10 + (s[(*i)++] - '0');
        }
        *out = v;
        return 1;
}

static int month_from_name(const char *s, size_t len, size_t *i) {
        static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                      "jul", "aug", "sep", "oct", "nov", "dec"};
        int                m;

        if (*i + 3 > len)
                return 0;
        for (m = 0; m < 12; m++) {
                if (!strncasecmp(s + *i, names[m], 3)) {
                        *i += 3;
                        while (*i < len && isalpha((unsigned char)s[*i]))
                                (*i)++;
                        return m + 1;
                }
        }
        return 0;
}

/* Parses an optional time part "hh:mm[:ss[.fff]]" and zone at s[*i] into
 * milliseconds from midnight UTC. A zone offset is Z, GMT or UTC, or
 * +hh, +hhmm or +hh:mm (at most 23:59) after any of them. */
static int parse_clock_zone(const char *s, size_t len, size_t *i, int64_t *ms) {
        int hh = 0, mi = 0, ss = 0, frac = 0, zh, zm = 0, sign;

        *ms = 0;
        if (*i < len && (s[*i] == 'T' || s[*i] == 't' || s[*i] == ' '))
                (*i)++;
        if (*i >= len)
                return 1;
        if (!digits(s, len, i, 2, &hh) || *i >= len || s[(*i)++] != ':' ||
            !digits(s, len, i, 2, &mi))
                return 0;
        if (*i < len && s[*i] == ':') {
                (*i)++;
                if (!digits(s, len, i, 2, &ss))
                        return 0;
                if (*i < len && (s[*i] == '.' || s[*i] == ',')) {
                        int scale = 100;

                        for ((*i)++; *i < len && isdigit((unsigned char)s[*i]);
                             (*i)++) {
                                frac += (s[*i] - '0') * scale;
                                scale /= 10;
                        }
                }
        }
        if (hh > 23 || mi > 59 || ss > 60)
                return 0;
        *ms = (int64_t)(hh * 3600 + mi * 60 + ss) * 1000 + frac;
        while (*i < len && s[*i] == ' ')
                (*i)++;
        if (*i >= len)
                return 1;
        if (s[*i] == 'Z' || s[*i] == 'z') {
                (*i)++;
                return 1;
        }
        if (len - *i >= 3 &&
            (!strncmp(s + *i, "GMT", 3) || !strncmp(s + *i, "UTC", 3))) {
                *i += 3;
                if (*i >= len)
                        return 1;
        }
        if (s[*i] != '+' && s[*i] != '-')
                return 0;
        sign = s[(*i)++] == '-' ? -1 : 1;
        if (!digits(s, len, i, 2, &zh))
                return 0;
        if (*i < len && s[*i] == ':') {
                /* A colon promises the minutes. */
                (*i)++;
                if (!digits(s, len, i, 2, &zm))
                        return 0;
        } else if (*i < len && !digits(s, len, i, 2, &zm)) {
                return 0;
        }
        if (zh > 23 || zm > 59)
                return 0;
        *ms -= (int64_t)sign * (zh * 3600 + zm * 60) * 1000;
        return 1;
}

/* Checks a date read up to s[j], reads the rest (clock and zone) and
 * stores the time in milliseconds. */
static bool finish_time(const char *s, size_t len, size_t j, int y, int m,
                        int d, int64_t *out) {
        int64_t ms;

        if (m < 1 || m > 12 || d < 1 || d > 31)
                return false;
        if (!parse_clock_zone(s, len, &j, &ms) || j != len)
                return false;
        *out = enr_days_from_civil(y, m, d) * 86400000 + ms;
        return true;
}

bool enr_parse_time(const char *s, size_t len, int64_t *out) {
        int64_t ms;

        if (!enr_parse_time_ms(s, len, &ms))
                return false;
        /* Whole seconds, rounded down (also before 1970). */
        *out = ms / 1000 - (ms % 1000 < 0);
        return true;
}

bool enr_parse_time_ms(const char *s, size_t len, int64_t *out) {
        size_t i = 0;
        int    y, m, d;

        while (len && isspace((unsigned char)s[len - 1]))
                len--;
        while (i < len && isspace((unsigned char)s[i]))
                i++;
        if (i >= len)
                return false;

        /* Epoch seconds or milliseconds. */
        {
                size_t k = i;
                while (k < len && isdigit((unsigned char)s[k]))
                        k++;
                if (k == len && k - i >= 9) {
                        long long v = strtoll(s + i, NULL, 10);
                        *out        = k - i >= 12 ? v : v * 1000;
                        return true;
                }
        }

        /* ISO-8601 / RFC 3339: 2023-10-07[T12:00:00[Z|+03:00]]. */
        if (len - i >= 10 && s[i + 4] == '-' && s[i + 7] == '-') {
                size_t j = i;
                if (!digits(s, len, &j, 4, &y) || s[j++] != '-' ||
                    !digits(s, len, &j, 2, &m) || s[j++] != '-' ||
                    !digits(s, len, &j, 2, &d))
                        return false;
                return finish_time(s, len, j, y, m, d, out);
        }

        /* "MM/DD/YYYY hh:mm:ss" (the IE-ER corpus' date_time). */
        if (len - i >= 10 && s[i + 2] == '/' && s[i + 5] == '/') {
                size_t j = i;
                if (!digits(s, len, &j, 2, &m) || s[j++] != '/' ||
                    !digits(s, len, &j, 2, &d) || s[j++] != '/' ||
                    !digits(s, len, &j, 4, &y))
                        return false;
                return finish_time(s, len, j, y, m, d, out);
        }

        /* RFC 2822: "[Sat, ]07 Oct 2023 10:00:00 +0000". */
        {
                size_t j = i;
                while (j < len && isalpha((unsigned char)s[j]))
                        j++;
                if (j < len && s[j] == ',')
                        j++;
                else
                        j = i;
                while (j < len && s[j] == ' ')
                        j++;
                d = 0;
                while (j < len && isdigit((unsigned char)s[j]) && d < 100)
                        d = d * 10 + (s[j++] - '0');
                if (d < 1 || d > 31 || j >= len || s[j++] != ' ')
                        return false;
                m = month_from_name(s, len, &j);
                if (!m || j >= len || s[j++] != ' ' ||
                    !digits(s, len, &j, 4, &y))
                        return false;
                return finish_time(s, len, j, y, m, d, out);
        }
}

/* Splits plain text into title and body. The first line is the title when
 * a blank line follows it, or when it reads like a heading (no final
 * sentence punctuation) and more text follows. */
static void split_plain(enr_article_t *a, const char *buf, size_t len) {
        const char *nl;
        size_t      i = 0, first_len, rest;

        while (i < len && isspace((unsigned char)buf[i]))
                i++;
        buf += i;
        len -= i;
        nl           = memchr(buf, '\n', len);
        a->title     = "";
        a->title_len = 0;
        a->body      = buf;
        a->body_len  = len;
        if (!nl)
                return;
        first_len = (size_t)(nl - buf);
        rest      = len - first_len - 1;
        {
                const char *r = nl + 1;
                int         blank_after =
                    rest > 0 && (r[0] == '\n' ||
                                 (r[0] == '\r' && rest > 1 && r[1] == '\n'));
                size_t tl = first_len;
                char   last;
                while (tl && isspace((unsigned char)buf[tl - 1]))
                        tl--;
                last = tl ? buf[tl - 1] : '.';
                if (!tl || is_blank(r, rest))
                        return;
                if (blank_after || (last != '.' && last != '!' && last != '?' &&
                                    last != ':' && last != ',' && tl < 300)) {
                        a->title     = buf;
                        a->title_len = tl;
                        while (rest && isspace((unsigned char)*r)) {
                                r++;
                                rest--;
                        }
                        a->body     = r;
                        a->body_len = rest;
                }
        }
}

/* A stable id for input without one: FNV-1a 64 of the bytes. */
static void hash_id(char *out, size_t size, const char *buf, size_t len) {
        uint64_t h = 1469598103934665603ULL;
        size_t   i;

        for (i = 0; i < len; i++) {
                h ^= (unsigned char)buf[i];
                h *= 1099511628211ULL;
        }
        snprintf(out, size, "fnv1a64:%016llx", (unsigned long long)h);
}

enr_err_t enr_article_parse(enr_article_t *a, const enr_article_rules_t *r,
                            const char *buf, size_t len, char *errstr,
                            size_t errstr_size) {
        size_t       i = 0, bad;
        json_error_t jerr;
        json_t      *v;
        const char  *key;

        enr_article_clear(a);
        if (len > r->max_bytes) {
                enr_set_errstr(errstr, errstr_size,
                               "article is %zu bytes, over the limit of %zu",
                               len, r->max_bytes);
                return ENR_ERR_TOO_LARGE;
        }
        if (len == 0 || is_blank(buf, len)) {
                enr_set_errstr(errstr, errstr_size, "empty input");
                return ENR_ERR_EMPTY;
        }
        while (i < len && isspace((unsigned char)buf[i]))
                i++;

        if (r->input_format == ENR_INPUT_TEXT ||
            (r->input_format == ENR_INPUT_AUTO && buf[i] != '{' &&
             buf[i] != '[')) {
                const char *nul;
                bad = enr_utf8_validate(buf, len);
                if (bad != len) {
                        enr_set_errstr(errstr, errstr_size,
                                       "invalid UTF-8 at byte %zu", bad);
                        return ENR_ERR_INVALID_UTF8;
                }
                /* NUL is valid UTF-8 but no text has it; records with
                 * \u0000 break many consumers (JSON input with \u0000 is
                 * refused by the JSON parser the same way). */
                nul = memchr(buf, '\0', len);
                if (nul) {
                        enr_set_errstr(errstr, errstr_size,
                                       "NUL byte at %zu: binary data, not "
                                       "text",
                                       (size_t)(nul - buf));
                        return ENR_ERR_BINARY;
                }
                split_plain(a, buf, len);
                if (is_blank(a->body, a->body_len)) {
                        enr_set_errstr(errstr, errstr_size,
                                       "plain-text article has no body");
                        return ENR_ERR_NO_BODY;
                }
                hash_id(a->id, sizeof(a->id), buf, len);
                return ENR_OK;
        }

        /* jansson refuses invalid UTF-8 itself, but its message does not
         * say where: only when parsing fails is the input scanned again, to
         * report the byte offset of a bad sequence. */
        a->root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!a->root) {
                bad = enr_utf8_validate(buf, len);
                if (bad != len) {
                        enr_set_errstr(errstr, errstr_size,
                                       "invalid UTF-8 at byte %zu", bad);
                        return ENR_ERR_INVALID_UTF8;
                }
                enr_set_errstr(errstr, errstr_size,
                               "invalid JSON at line %d column %d: %s",
                               jerr.line, jerr.column, jerr.text);
                return ENR_ERR_PARSE;
        }
        if (!json_is_object(a->root)) {
                enr_set_errstr(errstr, errstr_size,
                               "JSON input is not an object");
                json_decref(a->root);
                a->root = NULL;
                return ENR_ERR_PARSE;
        }

        v = first_field(a->root, r->body_fields, &key);
        if (!v || !json_is_string(v) ||
            is_blank(json_string_value(v), json_string_length(v))) {
                enr_set_errstr(
                    errstr, errstr_size,
                    v ? "body field \"%s\" is %s"
                      : "no body field (tried %s%s)",
                    v ? key : r->body_fields[0],
                    v ? (json_is_string(v) ? "blank" : "not a string")
                      : (r->body_fields[1] ? ", …" : ""));
                return ENR_ERR_NO_BODY;
        }
        a->body     = json_string_value(v);
        a->body_len = json_string_length(v);
        a->body_key = key;

        v = first_field(a->root, r->title_fields, &key);
        if (v && json_is_string(v)) {
                a->title     = json_string_value(v);
                a->title_len = json_string_length(v);
                a->title_key = key;
        }

        v = first_field(a->root, r->url_fields, &key);
        if (v && json_is_string(v)) {
                a->url     = json_string_value(v);
                a->url_len = json_string_length(v);
        }

        v = first_field(a->root, r->id_fields, &key);
        if (v && json_is_string(v))
                snprintf(a->id, sizeof(a->id), "%s", json_string_value(v));
        else if (v && json_is_integer(v))
                snprintf(a->id, sizeof(a->id), "%" JSON_INTEGER_FORMAT,
                         json_integer_value(v));
        else
                hash_id(a->id, sizeof(a->id), buf, len);

        v = first_field(a->root, r->time_fields, &key);
        if (v && json_is_string(v)) {
                snprintf(a->time_raw, sizeof(a->time_raw), "%s",
                         json_string_value(v));
                a->has_time = enr_parse_time(
                    json_string_value(v), json_string_length(v), &a->published);
        } else if (v && json_is_integer(v)) {
                json_int_t t = json_integer_value(v);
                snprintf(a->time_raw, sizeof(a->time_raw),
                         "%" JSON_INTEGER_FORMAT, t);
                a->has_time  = true;
                a->published = t > 100000000000LL ? t / 1000 : t;
        }
        return ENR_OK;
}
