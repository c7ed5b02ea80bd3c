/*
 * The CoNLL-2003 reader: one token per line, whitespace-separated columns
 * with the token first and its NER tag last, sentences separated by blank
 * lines, documents by -DOCSTART- lines. Tags may be IOB1 (CoNLL-2003's own
 * eng.train: I-X starts a span unless it continues one of type X, B-X only
 * separates two adjacent spans of one type), IOB2 (B-X starts every span)
 * or IOBES (S-X single, E-X last); all are converted to gold spans and to
 * IOB2 tags.
 *
 * Storage: the whole file is read into one buffer and token texts are
 * terminated in place; the per-token and per-span arrays of all documents
 * live in a few corpus-wide arrays that the documents point into, so a
 * corpus of 200,000 tokens costs a handful of allocations.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/conll.h"

/* The largest file read (CoNLL-2003's training file is 3.3 MB). */
#define CONLL_MAX_BYTES ((size_t)1 << 30)

/* Input without -DOCSTART- lines is cut into documents at the first
 * sentence end after this many tokens, so that a file of bare sentences is
 * evaluated as a series of article-sized documents rather than one huge
 * text. */
#define CONLL_DOC_MAX_TOKENS 2000

/* The most distinct IOB2 tags kept (4 types in CoNLL, 18 in OntoNotes). */
#define CONLL_MAX_TAGS 128

/* Corpus-wide storage the documents point into. */
typedef struct conll_arena {
        char             *buf;  /* The file, token texts terminated. */
        char            **toks; /* Token texts of all documents. */
        char            **tags; /* Their interned IOB2 tags. */
        uint32_t          ntoks, toks_cap, tags_cap;
        uint32_t         *sent_end; /* Per-document sentence ends. */
        uint32_t          nsent, sent_cap;
        enr_conll_span_t *spans;
        uint32_t          nspans, spans_cap;
        char             *tagnames[CONLL_MAX_TAGS]; /* Interned "B-PER"… */
        size_t            ntagnames;
} conll_arena_t;

/* Where each document starts in the arena's arrays, until they stop moving. */
typedef struct doc_mark {
        uint32_t tok0, sent0, span0;
} doc_mark_t;

static int grow(void **p, uint32_t *cap, uint32_t need, size_t elem) {
        uint32_t ncap;
        void    *np;

        if (need <= *cap)
                return 0;
        if (need > UINT32_MAX / 2)
                return -1;
        ncap = *cap ? *cap : 256;
        while (ncap < need)
                ncap *= 2;
        np = realloc(*p, (size_t)ncap * elem);
        if (!np)
                return -1;
        *p   = np;
        *cap = ncap;
        return 0;
}

/* Returns the interned copy of tag, or NULL when out of memory or slots. */
static char *intern_tag(conll_arena_t *a, const char *tag) {
        size_t i;

        for (i = 0; i < a->ntagnames; i++)
                if (!strcmp(a->tagnames[i], tag))
                        return a->tagnames[i];
        if (a->ntagnames == CONLL_MAX_TAGS)
                return NULL;
        a->tagnames[a->ntagnames] = strdup(tag);
        if (!a->tagnames[a->ntagnames])
                return NULL;
        return a->tagnames[a->ntagnames++];
}

static void arena_free(conll_arena_t *a) {
        size_t i;

        if (!a)
                return;
        for (i = 0; i < a->ntagnames; i++)
                free(a->tagnames[i]);
        free(a->buf);
        free(a->toks);
        free(a->tags);
        free(a->sent_end);
        free(a->spans);
        free(a);
}

void enr_conll_destroy(enr_conll_t *c) {
        if (!c)
                return;
        arena_free(c->arena);
        free(c->docs);
        free(c);
}

/* The state of the span being read. */
typedef struct span_state {
        int  open;    /* Whether a span is open. */
        char type[8]; /* Its type. */
} span_state_t;

/* Parser state over one buffer. */
typedef struct parser {
        conll_arena_t *a;
        doc_mark_t    *marks;
        size_t         ndocs, docs_cap;
        uint32_t       sent_toks;  /* Tokens in the open sentence. */
        int            split_long; /* Cut long documents (the input has
                                      no -DOCSTART- lines). */
        span_state_t span;
        char        *errstr;
        size_t       errstr_size;
} parser_t;

static int doc_open(parser_t *p) {
        doc_mark_t *m;

        if (p->ndocs == p->docs_cap) {
                size_t ncap = p->docs_cap ? p->docs_cap * 2 : 64;

                m = realloc(p->marks, ncap * sizeof(*m));
                if (!m)
                        return -1;
                p->marks    = m;
                p->docs_cap = ncap;
        }
        m        = &p->marks[p->ndocs++];
        m->tok0  = p->a->ntoks;
        m->sent0 = p->a->nsent;
        m->span0 = p->a->nspans;
        return 0;
}

static void span_close(parser_t *p) {
        if (p->span.open)
                p->a->spans[p->a->nspans - 1].end = p->a->ntoks;
        p->span.open = 0;
}

static int span_begin(parser_t *p, const char *type) {
        conll_arena_t    *a = p->a;
        enr_conll_span_t *sp;

        span_close(p);
        if (grow((void **)&a->spans, &a->spans_cap, a->nspans + 1,
                 sizeof(*a->spans)))
                return -1;
        sp        = &a->spans[a->nspans++];
        sp->start = a->ntoks;
        sp->end   = a->ntoks;
        snprintf(sp->type, sizeof(sp->type), "%s", type);
        snprintf(p->span.type, sizeof(p->span.type), "%s", type);
        p->span.open = 1;
        return 0;
}

/* Ends the open sentence (if it has tokens) and, when the document is long,
 * the document too. */
static int sent_close(parser_t *p) {
        conll_arena_t *a = p->a;
        doc_mark_t    *m;

        if (!p->sent_toks)
                return 0;
        span_close(p);
        if (grow((void **)&a->sent_end, &a->sent_cap, a->nsent + 1,
                 sizeof(*a->sent_end)))
                return -1;
        m                       = &p->marks[p->ndocs - 1];
        a->sent_end[a->nsent++] = a->ntoks - m->tok0;
        p->sent_toks            = 0;
        if (p->split_long && a->ntoks - m->tok0 >= CONLL_DOC_MAX_TOKENS)
                return doc_open(p);
        return 0;
}

/* Handles one token line: the token text and its tag, both terminated. */
static int add_token(parser_t *p, char *tok, const char *tag, size_t lineno) {
        conll_arena_t *a = p->a;
        char           iob2[16];
        char           pfx         = 'O';
        const char    *type        = "";
        int            close_after = 0;

        if (strcmp(tag, "O") != 0) {
                if (strlen(tag) < 3 || tag[1] != '-' ||
                    !strchr("BIES", tag[0])) {
                        enr_set_errstr(p->errstr, p->errstr_size,
                                       "line %zu: bad tag \"%.32s\"", lineno,
                                       tag);
                        return -2;
                }
                pfx  = tag[0];
                type = tag + 2;
                if (strlen(type) >= sizeof(((enr_conll_span_t *)0)->type)) {
                        enr_set_errstr(p->errstr, p->errstr_size,
                                       "line %zu: entity type \"%.32s\" "
                                       "longer than 7 bytes",
                                       lineno, type);
                        return -2;
                }
        }
        if (grow((void **)&a->toks, &a->toks_cap, a->ntoks + 1,
                 sizeof(*a->toks)) ||
            grow((void **)&a->tags, &a->tags_cap, a->ntoks + 1,
                 sizeof(*a->tags)))
                return -1;
        switch (pfx) {
        case 'O':
                span_close(p);
                break;
        case 'B':
        case 'S':
                if (span_begin(p, type))
                        return -1;
                close_after = pfx == 'S';
                break;
        case 'I':
        case 'E':
                if (!p->span.open || strcmp(p->span.type, type) != 0) {
                        if (span_begin(p, type))
                                return -1;
                }
                close_after = pfx == 'E';
                break;
        }
        if (pfx == 'O') {
                a->tags[a->ntoks] = intern_tag(a, "O");
        } else {
                /* The IOB2 tag: B- on a span's first token, I- after. */
                snprintf(iob2, sizeof(iob2), "%c-%s",
                         a->spans[a->nspans - 1].start == a->ntoks ? 'B' : 'I',
                         type);
                a->tags[a->ntoks] = intern_tag(a, iob2);
        }
        if (!a->tags[a->ntoks]) {
                enr_set_errstr(p->errstr, p->errstr_size,
                               "line %zu: more than %d distinct tags", lineno,
                               CONLL_MAX_TAGS);
                return -2;
        }
        a->toks[a->ntoks++] = tok;
        p->sent_toks++;
        if (close_after)
                span_close(p);
        return 0;
}

/* Parses buf (terminated, owned by the arena) into p. */
static int parse_buf(parser_t *p, char *buf, size_t len) {
        char  *line = buf, *end = buf + len;
        size_t lineno = 0;
        int    rc;

        p->split_long = strstr(buf, "-DOCSTART-") == NULL;
        if (doc_open(p))
                return -1;
        while (line < end) {
                char *nl  = memchr(line, '\n', (size_t)(end - line));
                char *eol = nl ? nl : end;
                char *f, *tok, *tag = NULL;

                lineno++;
                *eol = '\0';
                if (eol > line && eol[-1] == '\r')
                        eol[-1] = '\0';
                /* Split the line into fields; the first is the token, the
                 * last the tag. */
                f   = line;
                tok = NULL;
                while (*f) {
                        while (*f == ' ' || *f == '\t')
                                f++;
                        if (!*f)
                                break;
                        if (!tok)
                                tok = f;
                        else
                                tag = f;
                        while (*f && *f != ' ' && *f != '\t')
                                f++;
                        if (*f)
                                *f++ = '\0';
                }
                line = eol + 1;
                if (!tok) {
                        if (sent_close(p))
                                return -1;
                        continue;
                }
                if (!strcmp(tok, "-DOCSTART-")) {
                        if (sent_close(p))
                                return -1;
                        /* Start a new document unless the current one is
                         * still empty. */
                        if (p->a->ntoks != p->marks[p->ndocs - 1].tok0 &&
                            doc_open(p))
                                return -1;
                        continue;
                }
                if (!tag) {
                        enr_set_errstr(p->errstr, p->errstr_size,
                                       "line %zu: a token without a tag",
                                       lineno);
                        return -2;
                }
                if (p->a->ntoks == UINT32_MAX - 1) {
                        enr_set_errstr(p->errstr, p->errstr_size,
                                       "line %zu: too many tokens", lineno);
                        return -2;
                }
                rc = add_token(p, tok, tag, lineno);
                if (rc)
                        return rc;
        }
        return sent_close(p);
}

/* Turns the parser's marks into documents pointing into the arena. */
static enr_conll_t *finish(parser_t *p) {
        conll_arena_t *a = p->a;
        enr_conll_t   *c;
        size_t         i, n = 0;

        c = calloc(1, sizeof(*c));
        if (!c)
                return NULL;
        c->docs = calloc(p->ndocs ? p->ndocs : 1, sizeof(*c->docs));
        if (!c->docs) {
                free(c);
                return NULL;
        }
        for (i = 0; i < p->ndocs; i++) {
                const doc_mark_t *m = &p->marks[i];
                uint32_t          tok1 =
                    i + 1 < p->ndocs ? p->marks[i + 1].tok0 : a->ntoks;
                uint32_t sent1 =
                    i + 1 < p->ndocs ? p->marks[i + 1].sent0 : a->nsent;
                uint32_t span1 =
                    i + 1 < p->ndocs ? p->marks[i + 1].span0 : a->nspans;
                enr_conll_doc_t *d = &c->docs[n];
                uint32_t         k;

                if (tok1 == m->tok0)
                        continue;
                d->toks     = a->toks + m->tok0;
                d->tags     = a->tags + m->tok0;
                d->ntoks    = tok1 - m->tok0;
                d->sent_end = a->sent_end ? a->sent_end + m->sent0 : NULL;
                d->nsents   = sent1 - m->sent0;
                d->spans    = a->spans ? a->spans + m->span0 : NULL;
                d->nspans   = span1 - m->span0;
                /* Spans were recorded in corpus token indices. */
                for (k = 0; k < d->nspans; k++) {
                        d->spans[k].start -= m->tok0;
                        d->spans[k].end -= m->tok0;
                }
                n++;
        }
        c->ndocs = n;
        c->arena = a;
        return c;
}

/* Parses buf, which the corpus takes ownership of (freed on failure). */
static enr_conll_t *parse_owned(char *buf, size_t len, char *errstr,
                                size_t errstr_size) {
        parser_t     p;
        enr_conll_t *c = NULL;
        int          rc;

        memset(&p, 0, sizeof(p));
        p.errstr      = errstr;
        p.errstr_size = errstr_size;
        p.a           = calloc(1, sizeof(*p.a));
        if (!p.a) {
                free(buf);
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto out;
        }
        p.a->buf = buf;
        rc       = parse_buf(&p, buf, len);
        if (rc == -1)
                enr_set_errstr(errstr, errstr_size, "out of memory");
        if (rc)
                goto out;
        c = finish(&p);
        if (!c)
                enr_set_errstr(errstr, errstr_size, "out of memory");
out:
        if (!c)
                arena_free(p.a);
        free(p.marks);
        return c;
}

enr_conll_t *enr_conll_parse(const char *buf, size_t len, char *errstr,
                             size_t errstr_size) {
        char *copy;

        if (len > CONLL_MAX_BYTES) {
                enr_set_errstr(errstr, errstr_size,
                               "input of %zu bytes over the %zu-byte limit",
                               len, CONLL_MAX_BYTES);
                return NULL;
        }
        copy = malloc(len + 1);
        if (!copy) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        if (len)
                memcpy(copy, buf, len);
        copy[len] = '\0';
        return parse_owned(copy, len, errstr, errstr_size);
}

enr_conll_t *enr_conll_read(const char *path, char *errstr,
                            size_t errstr_size) {
        FILE  *fp  = NULL;
        char  *buf = NULL;
        size_t len = 0, cap = 0, n;

        fp = fopen(path, "rb");
        if (!fp) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                return NULL;
        }
        for (;;) {
                if (cap - len < 65536) {
                        char *nb;

                        cap = cap ? cap * 2 : 1 << 20;
                        nb  = realloc(buf, cap + 1);
                        if (!nb) {
                                enr_set_errstr(errstr, errstr_size,
                                               "out of memory");
                                goto fail;
                        }
                        buf = nb;
                }
                n = fread(buf + len, 1, cap - len, fp);
                len += n;
                if (len > CONLL_MAX_BYTES) {
                        enr_set_errstr(errstr, errstr_size,
                                       "%s: larger than %zu bytes", path,
                                       CONLL_MAX_BYTES);
                        goto fail;
                }
                if (n == 0)
                        break;
        }
        if (ferror(fp)) {
                enr_set_errstr(errstr, errstr_size, "%s: read error", path);
                goto fail;
        }
        fclose(fp);
        buf[len] = '\0';
        return parse_owned(buf, len, errstr, errstr_size);
fail:
        free(buf);
        fclose(fp);
        return NULL;
}

char *enr_conll_text(const enr_conll_doc_t *doc, uint32_t *tok_off,
                     size_t *len) {
        size_t   total = 0, pos = 0;
        uint32_t i, s           = 0;
        char    *out;

        for (i = 0; i < doc->ntoks; i++)
                total += strlen(doc->toks[i]) + 1;
        if (total > UINT32_MAX)
                return NULL;
        out = malloc(total + 1);
        if (!out)
                return NULL;
        for (i = 0; i < doc->ntoks; i++) {
                size_t n = strlen(doc->toks[i]);

                if (i > 0) {
                        /* A newline after each sentence's last token. */
                        while (s < doc->nsents && doc->sent_end[s] < i)
                                s++;
                        out[pos++] = (s < doc->nsents && doc->sent_end[s] == i)
                                         ? '\n'
                                         : ' ';
                }
                if (tok_off)
                        tok_off[i] = (uint32_t)pos;
                memcpy(out + pos, doc->toks[i], n);
                pos += n;
        }
        out[pos] = '\0';
        if (len)
                *len = pos;
        return out;
}
