/*
 * Rule-based names: finds capitalised spans in one analysed field and
 * decides what each is (PERSON, ORG, GPE, LOC, NORP, FAC, EVENT) from the
 * gazetteers, the words around it and its shape.
 *
 * The pass over a field goes line by line. A line whose words are all in
 * capitals (a headline) is read with case-folded look-ups, and any word the
 * dictionary does not know starts a span. The first lines of a body may
 * hold a dateline ("TEHRAN –", "LONDON 1996-08-30"), whose place is marked
 * ENR_MENTF_DATELINE. Elsewhere a span is a run of capitalised words, with
 * connectors inside (bin, al, de, van, "of" after an organisation or title
 * word); possessive clitics and lower-case hyphen tails ("Israeli-led") end
 * it. Each span is then:
 *   1. stripped of leading titles (remembered as evidence of a PERSON),
 *      sentence-initial common words ("Additionally", "The") and connectors;
 *   2. taken whole when the gazetteer knows it, or when its shape says ORG
 *      (an organisation suffix: "Foreign Ministry", "Bank of England"),
 *      EVENT ("Operation …", "… Cup") or FAC ("… Airport");
 *   3. otherwise cut into gazetteer pieces and runs of unknown words; a run
 *      is a PERSON after a title, with a known given name, before "said",
 *      or when it is the surname of a person named earlier; an unknown
 *      acronym is an ORG; a lone capitalised common word is dropped; any
 *      other lone word is guessed ORG with a low score.
 * Titles are not part of a person's name ("Sheikh Mohammed bin …" gives
 * "Mohammed bin …"). Nothing is allocated: spans are token ranges, keys are
 * built in stack buffers, and the surnames seen so far live in a fixed
 * array on the stack.
 */
#include <stdlib.h>
#include <string.h>

#include "enricher/names.h"

/* The score of a mention whose type is a guess: a lone unknown capitalised
 * word is an organisation more often than not (people are introduced by
 * their full names), and enr_entities_build() may relink it to a person. */
#define ENR_NAMES_GUESS 0.3f

/* Limits: tokens in a span, surnames remembered per field, lines at the top
 * of a body searched for a dateline and at its end for boilerplate. */
#define NAMES_SPAN_MAX       16
#define NAMES_SURNAMES_MAX   64
#define NAMES_DATELINE_LINES 3
#define NAMES_TAIL_LINES     8
#define NAMES_TAIL_TOKENS    400
#define NAMES_WORD_MAX       64

struct enr_names {
        const enr_gazetteer_t *g; /* Borrowed. */
};

/* Lower-case words that may join the capitalised words of a name. */
static const char *const name_connectors[] = {
    "bin", "bint", "ibn", "abu", "al",  "el", "de",  "da",  "van", "von", "der",
    "den", "la",   "le",  "du",  "del", "di", "dos", "das", "y",   NULL};

/* Verbs of speech after a person's name. */
static const char *const speech_verbs[] = {
    "said",      "says",     "told",      "added", "stated",  "noted",
    "explained", "argued",   "warned",    "wrote", "asked",   "replied",
    "insisted",  "stressed", "announced", "urged", "tweeted", NULL};

/* Phrases that start trailing boilerplate, as lower-case token sequences
 * (at most four tokens). */
static const char *const boilerplate[][5] = {
    {"source", "link", NULL},
    {"click", "to", NULL},
    {"click", "here", NULL},
    {"follow", "us", NULL},
    {"read", "more", NULL},
    {"subscribe", NULL},
    {"copyright", NULL},
    {"©", NULL},
    {"all", "rights", "reserved", NULL},
    {"share", "this", NULL},
    {"sign", "up", NULL},
    {"related", "articles", NULL},
    {"this", "news", "has", "been", NULL},
    {"download", "our", "app", NULL},
    {"join", "our", NULL},
};

/* The state of one pass over one field. */
typedef struct names_ctx {
        const enr_names_t *n;
        const enr_text_t  *t;
        enr_field_t        field;
        enr_mentions_t    *out;
        size_t             max;
        enr_err_t          err;
        int                fold;  /* The current line is ALL CAPS. */
        int                table; /* The line is a results table row:
                                     places there are teams (ORG). */
        /* First and last tokens of the PERSON names found so far. */
        uint32_t surnames[NAMES_SURNAMES_MAX];
        size_t   nsurnames;
        size_t   from; /* The first mention of this field in out. */
} names_ctx_t;

static bool is_connector(const names_ctx_t *c, size_t i);
static bool span_word(const names_ctx_t *c, size_t i);
static void types_pass(names_ctx_t *c);

enr_names_t *enr_names_new(const enr_gazetteer_t *g, char *errstr,
                           size_t errstr_size) {
        enr_names_t *n;

        if (!g) {
                enr_set_errstr(errstr, errstr_size, "names: no gazetteer");
                return NULL;
        }
        n = calloc(1, sizeof(*n));
        if (!n) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        n->g = g;
        return n;
}

void enr_names_destroy(enr_names_t *n) {
        free(n);
}

static bool is_word(const enr_text_t *t, size_t i) {
        return t->toks[i].kind == ENR_TOK_WORD &&
               !(t->toks[i].flags & ENR_TOKF_CLITIC);
}

static bool is_cap(const enr_text_t *t, size_t i) {
        return is_word(t, i) && (t->toks[i].flags & ENR_TOKF_UPPER_INITIAL);
}

/* Whether token i has a capital letter anywhere ("Xbox", "iPod"): every
 * entry of the type lists does. */
static bool has_capital(const enr_text_t *t, size_t i) {
        const char *p = enr_tok_ptr(t, i);
        size_t      n = enr_tok_len(t, i), k;

        if (t->toks[i].flags & ENR_TOKF_UPPER_INITIAL)
                return true;
        for (k = 0; k < n; k++)
                if (p[k] >= 'A' && p[k] <= 'Z')
                        return true;
        return false;
}

/* Whether token i starts a sentence, a line, or follows an opening quote or
 * bracket that does. */
static bool sentence_initial(const enr_text_t *t, size_t i) {
        const uint16_t starts =
            ENR_TOKF_SENT_START | ENR_TOKF_LINE_START | ENR_TOKF_PARA_START;

        if (t->toks[i].flags & starts)
                return true;
        return i > 0 && t->toks[i - 1].kind == ENR_TOK_PUNCT &&
               (t->toks[i - 1].flags & starts);
}

/* The classes of token i's lower-cased form (0 when too long). */
static uint32_t folded_classes(const names_ctx_t *c, size_t i) {
        char   buf[NAMES_WORD_MAX];
        size_t len;

        if (enr_tok_len(c->t, i) >= sizeof(buf))
                return 0;
        len = enr_tok_lower(c->t, i, buf, sizeof(buf));
        return enr_gazetteer_word_folded(c->n->g, buf, len);
}

static uint32_t exact_classes(const names_ctx_t *c, size_t i) {
        return enr_gazetteer_word(c->n->g, enr_tok_ptr(c->t, i),
                                  enr_tok_len(c->t, i));
}

/* Token classes: exact, or folded on ALL-CAPS lines and words. */
static uint32_t tok_classes(const names_ctx_t *c, size_t i) {
        uint32_t cl = c->fold ? 0 : exact_classes(c, i);

        if (!cl && (c->fold || ((c->t->toks[i].flags & ENR_TOKF_ALL_UPPER) &&
                                enr_tok_len(c->t, i) > 3)))
                cl = folded_classes(c, i);
        return cl;
}

/* Whether token i is a lower-case common word with no name reading. */
static bool is_common(const names_ctx_t *c, size_t i) {
        uint32_t cl = folded_classes(c, i);

        return (cl & ENR_GAZ_COMMON) &&
               !(exact_classes(c, i) &
                 (ENR_GAZ_NAME_CLASSES | ENR_GAZ_FIRST_NAME));
}

/* The longest gazetteer entry at i within [i, end). */
static bool gaz_at(const names_ctx_t *c, size_t i, size_t end,
                   enr_gaz_match_t *m) {
        if (!c->fold && enr_gazetteer_match(c->n->g, c->t, i, end, m)) {
                /* Capitalised entries of the non-name lists ("Wednesday")
                 * override any name reading of the same text. */
                if (m->classes & ENR_GAZ_COMMON)
                        m->classes &= ~(uint32_t)ENR_GAZ_NAME_CLASSES;
                return true;
        }
        if (c->fold || ((c->t->toks[i].flags & ENR_TOKF_ALL_UPPER) &&
                        enr_tok_len(c->t, i) > 3))
                return enr_gazetteer_match_folded(c->n->g, c->t, i, end, m);
        return false;
}

/* The entity type of gazetteer classes, or -1 when none is a name. */
static int type_of_classes(uint32_t cl) {
        if (cl & (ENR_GAZ_COUNTRY | ENR_GAZ_REGION))
                return ENR_ENT_GPE;
        if (cl & ENR_GAZ_LOC)
                return ENR_ENT_LOC;
        if (cl & ENR_GAZ_CITY)
                return ENR_ENT_GPE;
        if (cl & ENR_GAZ_NORP)
                return ENR_ENT_NORP;
        if (cl & ENR_GAZ_ORG)
                return ENR_ENT_ORG;
        if (cl & ENR_GAZ_PERSON)
                return ENR_ENT_PERSON;
        if (cl & ENR_GAZ_FAC)
                return ENR_ENT_FAC;
        if (cl & ENR_GAZ_EVENT)
                return ENR_ENT_EVENT;
        return -1;
}

/*
 * The type of a gazetteer match: in a results table a city or region is a
 * team ("Derbyshire 22 points", "CHICAGO 72 60 .545"); countries stay
 * places.
 */
static int match_type(const names_ctx_t *c, const enr_gaz_match_t *m) {
        int type = type_of_classes(m->classes);

        if (c->table && type == ENR_ENT_GPE && !(m->classes & ENR_GAZ_COUNTRY))
                return ENR_ENT_ORG;
        return type;
}

static enr_mention_t *emit_bytes(names_ctx_t *c, uint32_t start, uint32_t end,
                                 int type, float score, const char *code) {
        enr_mention_t *m;

        if (c->err || type < 0 || start >= end)
                return NULL;

        m = enr_mentions_push(c->out, c->field, start, end,
                              (enr_ent_type_t)type, c->max);
        if (!m) {
                c->err = c->max && c->out->n >= c->max ? ENR_ERR_LIMIT
                                                       : ENR_ERR_NOMEM;
                return NULL;
        }
        m->source = ENR_SRC_RULES;
        m->score  = score;
        if (code && code[0] &&
            (type == ENR_ENT_GPE || type == ENR_ENT_NORP ||
             type == ENR_ENT_LOC || type == ENR_ENT_FAC))
                memcpy(m->code, code, 3);
        return m;
}

/* Emits tokens [a, b) as one mention. */
static void emit(names_ctx_t *c, size_t a, size_t b, int type, float score,
                 const char *code) {
        if (a >= b)
                return;
        emit_bytes(c, c->t->toks[a].start, c->t->toks[b - 1].end, type, score,
                   code);
        /* Remember the given name and the surname of a full name. */
        if (type == ENR_ENT_PERSON && b - a >= 2 &&
            c->nsurnames + 2 <= NAMES_SURNAMES_MAX) {
                c->surnames[c->nsurnames++] = (uint32_t)(b - 1);
                c->surnames[c->nsurnames++] = (uint32_t)a;
        }
}

/* Whether token i has the text of the first or last token of a person
 * named earlier in the field ("Fidan" after "Hakan Fidan"). */
static bool known_surname(const names_ctx_t *c, size_t i) {
        size_t   k;
        uint32_t len = enr_tok_len(c->t, i);

        for (k = c->nsurnames; k-- > 0;) {
                size_t   j  = c->surnames[k];
                uint32_t jl = enr_tok_len(c->t, j);
                size_t   x;
                if (jl != len)
                        continue;
                for (x = 0; x < len; x++) {
                        char a = enr_tok_ptr(c->t, i)[x];
                        char b = enr_tok_ptr(c->t, j)[x];
                        if (a >= 'A' && a <= 'Z')
                                a = (char)(a + 32);
                        if (b >= 'A' && b <= 'Z')
                                b = (char)(b + 32);
                        if (a != b)
                                break;
                }
                if (x == len)
                        return true;
        }
        return false;
}

/* Whether a verb of speech follows the span ending before token b. */
static bool speech_after(const names_ctx_t *c, size_t b) {
        const enr_text_t *t = c->t;

        if (b < t->ntoks && t->toks[b].kind == ENR_TOK_PUNCT &&
            enr_tok_len(t, b) == 1 && *enr_tok_ptr(t, b) == ',')
                b++;
        return b < t->ntoks && is_word(t, b) && enr_tok_in(t, b, speech_verbs);
}

/* Whether "according to" precedes token a. */
static bool according_before(const names_ctx_t *c, size_t a) {
        return a >= 2 && enr_tok_ieq(c->t, a - 1, "to") &&
               enr_tok_ieq(c->t, a - 2, "according");
}

/* Whether token i is an initial ("M." of "M. Butcher"). */
static bool is_initial(const names_ctx_t *c, size_t i) {
        const char *p = enr_tok_ptr(c->t, i);

        return enr_tok_len(c->t, i) == 2 && p[0] >= 'A' && p[0] <= 'Z' &&
               p[1] == '.';
}

/* Whether a preposition of place precedes token a ("in Tavildara"). */
static bool place_before(const names_ctx_t *c, size_t a) {
        static const char *const preps[] = {"in",      "near",   "from",
                                            "outside", "across", "around",
                                            "towards", "into",   NULL};

        return a >= 1 && is_word(c->t, a - 1) && enr_tok_in(c->t, a - 1, preps);
}

static bool is_acronym(const names_ctx_t *c, size_t i) {
        uint32_t len = enr_tok_len(c->t, i);

        return !c->fold && (c->t->toks[i].flags & ENR_TOKF_ALL_UPPER) &&
               len >= 2 && len <= 6;
}

/*
 * Decides a run of tokens [a, b) the gazetteer does not know as a whole.
 * title: a title came just before.
 */
static void flush_run(names_ctx_t *c, size_t a, size_t b, bool title) {
        const enr_text_t *t = c->t;
        uint32_t          cl;

        while (a < b && !is_cap(t, a) && !c->fold)
                a++;
        while (b > a && !is_cap(t, b - 1) && !c->fold)
                b--;
        if (a >= b)
                return;
        cl = tok_classes(c, a);
        /* Evidence of a person does not make an acronym ("WSJ said") or a
         * lone common word ("General Election") one. */
        if (b - a == 1 && is_acronym(c, a)) {
                emit(c, a, b, ENR_ENT_ORG, 0.5f, NULL);
                return;
        }
        if (b - a == 1 && is_common(c, a) &&
            !(cl & (ENR_GAZ_FIRST_NAME | ENR_GAZ_PERSON)))
                return;
        if (title || (cl & (ENR_GAZ_FIRST_NAME | ENR_GAZ_PERSON)) ||
            speech_after(c, b) || according_before(c, a) ||
            (b - a >= 2 && is_initial(c, a))) {
                emit(c, a, b, ENR_ENT_PERSON, 0.7f, NULL);
                return;
        }
        if (b - a == 1) {
                if (known_surname(c, a))
                        emit(c, a, b, ENR_ENT_PERSON, 0.7f, NULL);
                else if (is_acronym(c, a))
                        emit(c, a, b, ENR_ENT_ORG, 0.5f, NULL);
                else if (!is_common(c, a) && !(cl & ENR_GAZ_COMMON) &&
                         enr_tok_len(t, a) > (c->fold ? 3u : 1u))
                        emit(c, a, b,
                             place_before(c, a) && !c->table ? ENR_ENT_GPE
                                                             : ENR_ENT_ORG,
                             ENR_NAMES_GUESS, NULL);
                return;
        }
        /* Several unknown words: a person's name when neither the first nor
         * the last is a common word ("Hen Vipheak"), else an organisation
         * ("Purchasing Managers", "Jupiter Research"). Surnames that are
         * nouns ("Miller") need a listed given name or other evidence. */
        emit(c, a, b,
             b - a <= 3 && (!is_common(c, a) || is_connector(c, a)) &&
                     !is_common(c, b - 1)
                 ? ENR_ENT_PERSON
                 : ENR_ENT_ORG,
             0.5f, NULL);
}

/* Tries the whole span [a, b) against the shape rules; true if emitted. */
static bool whole_span(names_ctx_t *c, size_t a, size_t b) {
        enr_gaz_match_t m;
        uint32_t        first, last;
        size_t          k;
        int             type;

        if (gaz_at(c, a, b, &m) && m.ntoks == b - a &&
            (type = match_type(c, &m)) >= 0) {
                emit(c, a, b, type, 0.9f, m.code);
                return true;
        }
        if (b - a < 2)
                return false;
        first = tok_classes(c, a);
        last  = tok_classes(c, b - 1);
        if (last & ENR_GAZ_ORG_SUFFIX) {
                emit(c, a, b, ENR_ENT_ORG, 0.7f, NULL);
                return true;
        }
        for (k = a + 1; k + 1 < b; k++) {
                if (enr_tok_ieq(c->t, k, "of") &&
                    (tok_classes(c, k - 1) & ENR_GAZ_ORG_SUFFIX)) {
                        emit(c, a, b, ENR_ENT_ORG, 0.7f, NULL);
                        return true;
                }
        }
        /* A given name before the head word is a person ("Wayne
         * Bridge"). */
        if ((last & ENR_GAZ_FAC_WORD) && !(first & ENR_GAZ_FIRST_NAME)) {
                emit(c, a, b, ENR_ENT_FAC, 0.6f, NULL);
                return true;
        }
        if ((first | last) & ENR_GAZ_EVENT_WORD) {
                emit(c, a, b, ENR_ENT_EVENT, 0.6f, NULL);
                return true;
        }
        return false;
}

/* Cuts a span into gazetteer pieces and runs of unknown words. */
static void segment(names_ctx_t *c, size_t a, size_t b, bool title) {
        size_t k = a, run = SIZE_MAX;

        while (k < b && !c->err) {
                enr_gaz_match_t m;
                int             type = -1;
                bool            hit  = gaz_at(c, k, b, &m);

                if (hit)
                        type = match_type(c, &m);
                /* A given name or person entry that goes on with unknown
                 * words is the start of a person's name ("Jordan Smith"). */
                if (hit && m.ntoks == 1 &&
                    (m.classes & (ENR_GAZ_FIRST_NAME | ENR_GAZ_PERSON)) &&
                    k + 1 < b && !(tok_classes(c, k + 1) & ENR_GAZ_TITLE))
                        type = -1, hit = !!(m.classes & ENR_GAZ_TITLE);
                /* A known person's name joins the run around it ("Naina"
                 * before "Yeltsin"). */
                if (hit && type == ENR_ENT_PERSON && m.ntoks == 1)
                        type = -1, hit = false;
                if (hit && type >= 0) {
                        if (run != SIZE_MAX)
                                flush_run(c, run, k, title);
                        run = SIZE_MAX;
                        emit(c, k, k + m.ntoks, type, m.ntoks > 1 ? 0.9f : 0.8f,
                             m.code);
                        title = false;
                        k += m.ntoks;
                        continue;
                }
                if (hit && (m.classes & ENR_GAZ_TITLE) &&
                    !(m.classes & ENR_GAZ_FIRST_NAME)) {
                        if (run != SIZE_MAX)
                                flush_run(c, run, k, title);
                        run   = SIZE_MAX;
                        title = true;
                        k += m.ntoks;
                        continue;
                }
                if (hit && (m.classes & ENR_GAZ_COMMON) && m.ntoks == 1 &&
                    !(m.classes & ENR_GAZ_FIRST_NAME)) {
                        if (run != SIZE_MAX)
                                flush_run(c, run, k, title);
                        run = SIZE_MAX;
                        k++;
                        continue;
                }
                if (run == SIZE_MAX)
                        run = k;
                k++;
        }
        if (run != SIZE_MAX)
                flush_run(c, run, b, title);
}

/* Whether token i is a connector inside a name. */
static bool is_connector(const names_ctx_t *c, size_t i) {
        return is_word(c->t, i) && enr_tok_in(c->t, i, name_connectors);
}

/* Whether a span may go on over "of" at token i ("Bank of England"). */
static bool of_continues(const names_ctx_t *c, size_t span_start, size_t i) {
        uint32_t prev;

        if ((!enr_tok_ieq(c->t, i, "of") && !enr_tok_ieq(c->t, i, "for")) ||
            i == span_start)
                return false;
        prev = tok_classes(c, i - 1);
        if (prev & (ENR_GAZ_ORG_SUFFIX | ENR_GAZ_TITLE | ENR_GAZ_EVENT_WORD |
                    ENR_GAZ_FAC_WORD))
                return true;
        {
                enr_gaz_match_t m;
                return gaz_at(c, span_start, c->t->ntoks, &m) &&
                       span_start + m.ntoks > i;
        }
}

/*
 * "and" inside an organisation's name ("Securities and Exchange
 * Commission"): when the capitalised words after it end with an
 * organisation suffix within three words and the span before it is not a
 * known name ("Iran and Qatar Airways" stays apart). Returns the new end of
 * the span, or b.
 */
static size_t and_org(const names_ctx_t *c, size_t a, size_t b, size_t le) {
        enr_gaz_match_t m;
        size_t          k;

        if (c->fold || !enr_tok_ieq(c->t, b, "and") || b == a ||
            (gaz_at(c, a, b, &m) && type_of_classes(m.classes) >= 0))
                return b;
        for (k = b + 1; k < le && k <= b + 3 && is_cap(c->t, k); k++)
                if (tok_classes(c, k) & ENR_GAZ_ORG_SUFFIX)
                        return k + 1;
        return b;
}

/* Whether token i can begin or continue a span. */
static bool span_word(const names_ctx_t *c, size_t i) {
        const enr_text_t *t = c->t;

        if (!is_word(t, i))
                return false;
        if (c->fold) {
                uint32_t cl = folded_classes(c, i);
                if (cl &
                    (ENR_GAZ_NAME_CLASSES | ENR_GAZ_TITLE | ENR_GAZ_ORG_SUFFIX))
                        return true;
                return !(cl & ENR_GAZ_COMMON) &&
                       !(t->toks[i].flags & ENR_TOKF_HAS_DIGIT);
        }
        if (!is_cap(t, i))
                return false;
        /* "Israeli-led": a lower-case tail after a hyphen ends names. */
        if (t->toks[i].flags & ENR_TOKF_HAS_HYPHEN) {
                const char *p = enr_tok_ptr(t, i);
                const char *h = memchr(p, '-', enr_tok_len(t, i));
                if (h && h + 1 < p + enr_tok_len(t, i) && h[1] >= 'a' &&
                    h[1] <= 'z')
                        return false;
        }
        return true;
}

/* The name in front of a lower-case hyphen tail ("Israeli" of
 * "Israeli-led"). */
static void hyphen_prefix(names_ctx_t *c, size_t i) {
        const enr_text_t *t = c->t;
        const char       *p = enr_tok_ptr(t, i);
        const char       *h = memchr(p, '-', enr_tok_len(t, i));
        enr_gaz_match_t   m;
        int               type;

        if (!h)
                return;
        if (!enr_gazetteer_find(c->n->g, p, (size_t)(h - p), false, &m))
                return;
        type = type_of_classes(m.classes);
        if (type == ENR_ENT_NORP || type == ENR_ENT_GPE || type == ENR_ENT_ORG)
                emit_bytes(c, t->toks[i].start,
                           t->toks[i].start + (uint32_t)(h - p), type, 0.7f,
                           m.code);
}

/* Processes the span [a, b): strips, then decides it whole or in pieces. */
static void span(names_ctx_t *c, size_t a, size_t b) {
        bool title = false;

        /* A lone word that names a person seen before is that person, even
         * when it is also a title ("King" after "Larry King"). */
        if (b - a == 1 && is_cap(c->t, a) && known_surname(c, a)) {
                emit(c, a, b, ENR_ENT_PERSON, 0.7f, NULL);
                return;
        }


        while (a < b && !c->err) {
                enr_gaz_match_t m;
                bool            hit = gaz_at(c, a, b, &m);
                if (hit && (m.classes & ENR_GAZ_TITLE) &&
                    !(m.classes & ENR_GAZ_FIRST_NAME) &&
                    !(m.ntoks == b - a && type_of_classes(m.classes) >= 0)) {
                        title = true;
                        a += m.ntoks;
                        continue;
                }
                if (!is_cap(c->t, a) && !c->fold) {
                        a++; /* A connector left in front. */
                        continue;
                }
                if (hit && m.ntoks > 1 && type_of_classes(m.classes) >= 0)
                        break;
                if ((hit && (m.classes & ENR_GAZ_COMMON) &&
                     !(m.classes &
                       (ENR_GAZ_NAME_CLASSES | ENR_GAZ_FIRST_NAME))) ||
                    (sentence_initial(c->t, a) && is_common(c, a) &&
                     !(tok_classes(c, a) &
                       (ENR_GAZ_NAME_CLASSES | ENR_GAZ_FIRST_NAME)))) {
                        a++;
                        continue;
                }
                break;
        }
        /* Trailing titles and connectors ("Iran FM"). */
        while (b > a) {
                uint32_t cl = tok_classes(c, b - 1);
                /* A title after a given name is a surname ("John
                 * Major"). */
                if ((!is_cap(c->t, b - 1) && !c->fold) ||
                    ((cl & ENR_GAZ_TITLE) &&
                     !(cl & (ENR_GAZ_NAME_CLASSES | ENR_GAZ_FIRST_NAME)) &&
                     !(b - 1 > a &&
                       (tok_classes(c, b - 2) & ENR_GAZ_FIRST_NAME))))
                        b--;
                else
                        break;
        }
        if (a >= b)
                return;
        /* A lone word that names a person seen before is that person, even
         * when it is also a place ("Washington"). */
        if (b - a == 1 && known_surname(c, a)) {
                emit(c, a, b, ENR_ENT_PERSON, 0.7f, NULL);
                return;
        }
        if (!title && whole_span(c, a, b))
                return;
        if (title || (tok_classes(c, a) & ENR_GAZ_FIRST_NAME)) {
                enr_gaz_match_t m;
                /* A given name opens a person's name unless the gazetteer
                 * reads the start otherwise ("Jordan" the country alone). */
                if (title || !gaz_at(c, a, b, &m) || m.ntoks < b - a ||
                    type_of_classes(m.classes) < 0) {
                        flush_run(c, a, b, true);
                        return;
                }
        }
        segment(c, a, b, false);
}

/* Whether the line starting at token i is written in capitals. */
static bool caps_line(const enr_text_t *t, size_t i, size_t end) {
        size_t words = 0, k;

        for (k = i; k < end; k++) {
                if (k > i && (t->toks[k].flags & ENR_TOKF_LINE_START))
                        break;
                if (t->toks[k].kind != ENR_TOK_WORD)
                        continue;
                if (!(t->toks[k].flags & ENR_TOKF_ALL_UPPER) ||
                    !(t->toks[k].flags & ENR_TOKF_UPPER_INITIAL))
                        return false;
                words++;
        }
        return words >= 2;
}

/*
 * Whether the line [i, le) is a row of a results table: at least two
 * numbers, a capitalised word right before a number, and at most three
 * lower-case words.
 */
static bool table_line(const enr_text_t *t, size_t i, size_t le) {
        size_t k, numbers = 0, lower = 0;
        bool   name_num = false;

        for (k = i; k < le; k++) {
                if (t->toks[k].kind == ENR_TOK_NUMBER) {
                        numbers++;
                        if (k > i &&
                            (t->toks[k - 1].flags & ENR_TOKF_UPPER_INITIAL) &&
                            t->toks[k - 1].kind == ENR_TOK_WORD)
                                name_num = true;
                } else if (t->toks[k].kind == ENR_TOK_WORD &&
                           !(t->toks[k].flags & ENR_TOKF_UPPER_INITIAL)) {
                        lower++;
                }
        }
        return numbers >= 2 && name_num && lower <= 3;
}

static size_t line_end(const enr_text_t *t, size_t i, size_t end) {
        for (i++; i < end; i++)
                if (t->toks[i].flags & ENR_TOKF_LINE_START)
                        break;
        return i;
}

static bool is_dash(const enr_text_t *t, size_t i) {
        const char *p   = enr_tok_ptr(t, i);
        uint32_t    len = enr_tok_len(t, i);

        return (t->toks[i].kind == ENR_TOK_PUNCT) &&
               ((len == 1 && *p == '-') ||
                (len == 3 && !memcmp(p, "\xe2\x80", 2) &&
                 ((unsigned char)p[2] == 0x93 ||
                  (unsigned char)p[2] == 0x94)) ||
                (len == 2 && !memcmp(p, "--", 2)));
}

/*
 * A dateline at token i: 1-3 capitalised words in capitals followed by a
 * dash, a date or an opening bracket, with the rest of the line not a
 * headline. Returns the number of place tokens, or 0.
 */
static size_t dateline_at(const names_ctx_t *c, size_t i, size_t le) {
        const enr_text_t *t = c->t;
        size_t            k = i, rest_lower = 0, rest = 0, j;

        while (k < le && k - i < 3 && is_word(t, k) &&
               (t->toks[k].flags & ENR_TOKF_ALL_UPPER) &&
               (t->toks[k].flags & ENR_TOKF_UPPER_INITIAL) &&
               enr_tok_len(t, k) >= 2)
                k++;
        if (k == i || k >= le)
                return 0;
        if (!is_dash(t, k) && t->toks[k].kind != ENR_TOK_NUMBER &&
            !(enr_tok_len(t, k) == 1 && *enr_tok_ptr(t, k) == '(') &&
            !(enr_tok_len(t, k) == 1 && *enr_tok_ptr(t, k) == ','))
                return 0;
        for (j = k + 1; j < le; j++) {
                if (t->toks[j].kind == ENR_TOK_WORD) {
                        rest++;
                        if (!(t->toks[j].flags & ENR_TOKF_ALL_UPPER))
                                rest_lower++;
                }
        }
        if (rest && !rest_lower && rest > 1)
                return 0; /* A headline ("CRICKET - LEICESTERSHIRE TAKE …"). */
        /* Before a dash or a comma only a known place makes a dateline
         * ("GOLF - …" is a headline's topic; "GM, whose brands …" opens a
         * sentence). */
        if (is_dash(t, k) ||
            (enr_tok_len(t, k) == 1 && *enr_tok_ptr(t, k) == ',')) {
                enr_gaz_match_t m;
                int             type;
                if (!enr_gazetteer_match_folded(c->n->g, t, i, k, &m) ||
                    m.ntoks != k - i)
                        return 0;
                type = type_of_classes(m.classes);
                if (type != ENR_ENT_GPE && type != ENR_ENT_LOC)
                        return 0;
        }
        /* After a date the line ends ("LONDON 1996-08-30"); a row of
         * numbers is a table ("CHICAGO 72 60 .545"). */
        if (t->toks[k].kind == ENR_TOK_NUMBER && le - k > 2)
                return 0;
        return k - i;
}

static void emit_dateline(names_ctx_t *c, size_t a, size_t b) {
        enr_gaz_match_t m;
        int             type = ENR_ENT_GPE;
        const char     *code = NULL;
        enr_mention_t  *x;
        int             saved = c->fold;

        c->fold = 1;
        if (gaz_at(c, a, b, &m) && m.ntoks == b - a) {
                int ty = type_of_classes(m.classes);
                if (ty == ENR_ENT_LOC || ty == ENR_ENT_GPE)
                        type = ty;
                code = m.code;
        }
        c->fold = saved;
        x = emit_bytes(c, c->t->toks[a].start, c->t->toks[b - 1].end, type,
                       0.8f, code);
        if (x)
                x->flags |= ENR_MENTF_DATELINE;
}

enr_err_t enr_names_extract(const enr_names_t *n, const enr_text_t *t,
                            enr_field_t field, enr_mentions_t *out,
                            size_t max) {
        names_ctx_t c;
        size_t      end, i, le = 0, lines = 0;
        bool        dateline_done = field != ENR_FIELD_BODY;

        if (!n || !t || !out)
                return ENR_ERR_INVALID_ARG;
        memset(&c, 0, sizeof(c));
        c.n     = n;
        c.t     = t;
        c.field = field;
        c.out   = out;
        c.max   = max;
        c.from  = out->n;
        end     = field == ENR_FIELD_BODY ? enr_names_boilerplate(t) : t->ntoks;

        for (i = 0; i < end && !c.err;) {
                size_t b, gaz_end, k;

                if (i >= le) {
                        le      = line_end(t, i, end);
                        c.fold  = caps_line(t, i, le);
                        c.table = table_line(t, i, le);
                        lines++;
                        if (!dateline_done && lines <= NAMES_DATELINE_LINES) {
                                k = dateline_at(&c, i, le);
                                if (k) {
                                        emit_dateline(&c, i, i + k);
                                        dateline_done = true;
                                        i += k;
                                        continue;
                                }
                        }
                }
                gaz_end = i;
                if (is_word(t, i) && (c.fold || is_cap(t, i))) {
                        enr_gaz_match_t m;
                        if (gaz_at(&c, i, le, &m) && m.ntoks > 1 &&
                            type_of_classes(m.classes) >= 0)
                                gaz_end = i + m.ntoks;
                }
                if (gaz_end == i && !span_word(&c, i)) {
                        if (is_cap(t, i) &&
                            (t->toks[i].flags & ENR_TOKF_HAS_HYPHEN))
                                hyphen_prefix(&c, i);
                        i++;
                        continue;
                }
                /* Extend the span within the line and sentence. */
                b = i + 1;
                while (b < le && b - i < NAMES_SPAN_MAX &&
                       t->toks[b].sent == t->toks[i].sent) {
                        if (b < gaz_end || span_word(&c, b)) {
                                b++;
                                continue;
                        }
                        if (b + 1 < le && is_connector(&c, b) &&
                            span_word(&c, b + 1)) {
                                b += 2;
                                continue;
                        }
                        if (b + 1 < le && of_continues(&c, i, b)) {
                                if (span_word(&c, b + 1)) {
                                        b += 2;
                                        continue;
                                }
                                if (b + 2 < le &&
                                    enr_tok_ieq(t, b + 1, "the") &&
                                    span_word(&c, b + 2)) {
                                        b += 3;
                                        continue;
                                }
                        }
                        if (b + 1 < le && t->toks[b].kind == ENR_TOK_SYMBOL &&
                            enr_tok_len(t, b) == 1 &&
                            *enr_tok_ptr(t, b) == '&' && span_word(&c, b + 1)) {
                                b += 2;
                                continue;
                        }
                        if ((k = and_org(&c, i, b, le)) > b) {
                                b = k;
                                continue;
                        }
                        break;
                }
                span(&c, i, b);
                i = b;
        }
        if (!c.err)
                types_pass(&c);
        return c.err == ENR_ERR_LIMIT ? ENR_OK : c.err;
}

/* Whether the boilerplate phrase p starts at token i. */
/* The index of the first token starting at or after byte off. */
static size_t tok_from(const enr_text_t *t, uint32_t off) {
        size_t lo = 0, hi = t->ntoks;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (t->toks[mid].start < off)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* The index of the token starting at byte off, or t->ntoks. */
static size_t tok_at(const enr_text_t *t, uint32_t off) {
        size_t i = tok_from(t, off);

        return i < t->ntoks && t->toks[i].start == off ? i : t->ntoks;
}

/* Whether the word of token i also appears capitalised in t at a place
 * that does not start a sentence: evidence that it is a name. */
static bool capitalised_mid_sentence(const enr_text_t *t, size_t i) {
        size_t j, len = enr_tok_len(t, i);

        for (j = 0; j < t->ntoks; j++)
                if (j != i && enr_tok_len(t, j) == len &&
                    (t->toks[j].flags & ENR_TOKF_UPPER_INITIAL) &&
                    !sentence_initial(t, j) &&
                    !memcmp(enr_tok_ptr(t, j), enr_tok_ptr(t, i), len))
                        return true;
        return false;
}

/* Finds the dateline in the first lines of a body; returns its token
 * count and sets *at to its first token, or returns 0. */
static size_t find_dateline(const names_ctx_t *c, size_t *at) {
        const enr_text_t *t = c->t;
        size_t            i = 0, lines = 0, le, k;

        while (i < t->ntoks && lines < NAMES_DATELINE_LINES) {
                le = line_end(t, i, t->ntoks);
                k  = dateline_at(c, i, le);
                if (k) {
                        *at = i;
                        return k;
                }
                i = le;
                lines++;
        }
        return 0;
}

/*
 * The types beyond people, organisations and places: EVENT, FAC, PRODUCT,
 * WORK_OF_ART, LAW and LANGUAGE. One pass over a field's name mentions
 * (whichever extractor found them) that
 *   1. takes the names of the type lists (products.tsv, works.tsv,
 *      named.tsv), with a model after a product line ("PlayStation 2",
 *      "Nokia 6600");
 *   2. reads the head word of a name: a law ends in Act, Bill, Treaty,
 *      Directive, Convention, Protocol, Agreement, Accord, Constitution,
 *      Amendment or Pact ("the Terrorism Act 2000", "Treaty of Rome"), a
 *      facility in Airport, Stadium, Arena, Bridge, Tunnel, Prison, Station
 *      …, an event in Cup, Championship, Olympics, War, Festival … or
 *      after Operation or Hurricane;
 *   3. takes a language name as LANGUAGE where the words around it speak
 *      of a language ("in French,", "speaks Mandarin", "English-language",
 *      "Welsh speakers"); elsewhere it stays NORP;
 *   4. takes the capitalised or quoted title after a cue word ("the film
 *      Million Dollar Baby", "his album 'Encore'") as a WORK_OF_ART, and
 *      then every other mention of that title in the field.
 * A mention found so replaces the name mentions it overlaps and has a
 * confident score (0.8; 0.9 from a list), so the entity vote keeps it.
 */

/* Limits: tokens of a title after a cue, and of the words before a head. */
#define TYPES_TITLE_MAX 12
#define TYPES_LEFT_MAX  6

/* Head words that end a law's name. */
static const char *const law_heads[] = {
    "Act",    "Bill",    "Treaty",       "Directive", "Convention", "Agreement",
    "Accord", "Accords", "Constitution", "Amendment", "Pact",       NULL};

/* Head words that end a facility's name. Hospitals and universities are
 * organisations in OntoNotes and stay out. */
static const char *const fac_heads[] = {
    "Airport", "Stadium",    "Arena",     "Bridge",   "Tunnel",
    "Prison",  "Station",    "Cathedral", "Abbey",    "Palace",
    "Tower",   "Racecourse", "Velodrome", "Motorway", NULL};

/* Head words that end an event's name. */
static const char *const event_heads[] = {
    "Cup",      "Championship", "Championships", "Olympics", "War", "Festival",
    "Marathon", "Tournament",   "Trophy",        "Prix",     NULL};

/* Words that open an event's name. */
static const char *const event_openers[] = {"Operation", "Hurricane", "Typhoon",
                                            "Cyclone", NULL};

/* Words after which a title follows ("the film Ray"). */
static const char *const work_cues[] = {
    "film",        "movie",  "album",         "song",   "book",
    "novel",       "memoir", "autobiography", "opera",  "sitcom",
    "documentary", "poem",   "painting",      "biopic", NULL};

/* Cues that are also verbs or adjectives ("play England", "a single
 * currency"): only after one of work_dets. */
static const char *const work_cues_det[] = {
    "single", "musical", "play",     "show",      "series",
    "drama",  "comedy",  "thriller", "programme", NULL};
static const char *const work_dets[] = {
    "the",       "a",    "an",     "his",         "her",      "their",
    "its",       "new",  "latest", "debut",       "hit",      "first",
    "second",    "next", "last",   "forthcoming", "upcoming", "classic",
    "acclaimed", "cult", "tv",     "television",  "radio",    "stage",
    "bbc",       NULL};

/* Lower-case words that may sit inside a title between capitalised
 * words ("Eternal Sunshine of the Spotless Mind"). */
static const char *const title_inner[] = {"of", "the",  "a",   "an", "in",
                                          "on", "to",   "for", "is", "are",
                                          "my", "your", "me",  "it", NULL};

/* Words before a language name that make it one ("in French"). */
static const char *const lang_before[] = {"in", "into", NULL};
static const char *const lang_verbs[]  = {
     "speak", "speaks",   "speaking",   "spoke",       "spoken",
     "learn", "learning", "learnt",     "learned",     "fluent",
     "teach", "teaching", "understand", "understands", NULL};
/* Words after a language name that make it one ("Welsh speakers"). */
static const char *const lang_after[] = {
    "language", "languages",   "speaker",      "speakers",
    "speaking", "translation", "translations", "subtitles",
    "version",  "versions",    "dubbing",      "lessons",
    "teacher",  "teachers",    "dictionary",   NULL};
/* Hyphen tails after a language name ("English-language"). */
static const char *const lang_tails[] = {"language", "speaking", "speaker",
                                         "speakers", NULL};
/* Words that may follow "in French" when it names the language: function
 * words, not the noun of "in French politics". */
static const char *const lang_follow[] = {
    "or",       "but",    "as",    "with",     "by",        "for",
    "to",       "on",     "at",    "from",     "is",        "are",
    "was",      "were",   "has",   "have",     "had",       "will",
    "would",    "can",    "could", "so",       "than",      "then",
    "while",    "when",   "which", "who",      "that",      "because",
    "if",       "rather", "too",   "only",     "instead",   "before",
    "after",    "during", "but",   "not",      "and",       "the",
    "a",        "an",     "it",    "they",     "he",        "she",
    "we",       "i",      "you",   "language", "languages", "well",
    "fluently", NULL};

/* Makers whose name with a model is a product: the model is a number or
 * a word with a digit ("6600", "A380"); other product lines also take a
 * capitalised model word or a short code ("Xbox 360", "Windows XP"). */
static const char *const model_words[] = {
    "Portable", "Mini",   "mini",   "Nano",  "nano",    "Shuffle", "shuffle",
    "Photo",    "photo",  "Mobile", "Vista", "Advance", "Media",   "Server",
    "Color",    "Colour", "Pro",    "Touch", NULL};
/* Letter codes of models ("Windows XP", "Nintendo DS"). */
static const char *const model_codes[] = {"XP", "DS", "SE",  "ME",  "NT",
                                          "CE", "GT", "GTI", "SP2", NULL};

static bool tok_in(const enr_text_t *t, size_t i, const char *const *list) {
        const char *p = enr_tok_ptr(t, i);
        size_t      k, len = enr_tok_len(t, i);

        for (k = 0; list[k]; k++)
                if (list[k][0] == p[0] && strlen(list[k]) == len &&
                    !memcmp(p, list[k], len))
                        return true;
        return false;
}

static bool is_punct(const enr_text_t *t, size_t i, char ch) {
        return t->toks[i].kind == ENR_TOK_PUNCT && enr_tok_len(t, i) == 1 &&
               *enr_tok_ptr(t, i) == ch;
}

/* Whether token i is an opening or closing quote mark. */
static bool is_quote(const enr_text_t *t, size_t i) {
        const char *p   = enr_tok_ptr(t, i);
        uint32_t    len = enr_tok_len(t, i);

        if (t->toks[i].kind != ENR_TOK_PUNCT)
                return false;
        if (len == 1)
                return *p == '"' || *p == '\'';
        /* ‘ ’ “ ” */
        return len == 3 && !memcmp(p, "\xe2\x80", 2) &&
               ((unsigned char)p[2] >= 0x98 && (unsigned char)p[2] <= 0x9d);
}

/* Whether tokens i and j lie in one sentence. */
static bool same_sent(const enr_text_t *t, size_t i, size_t j) {
        return t->toks[i].sent == t->toks[j].sent;
}

/*
 * Puts a mention of type on bytes [s, e) in place of every name mention
 * of this pass's range that overlaps it (a dateline stays, and wins).
 */
static void types_put(names_ctx_t *c, uint32_t s, uint32_t e, int type,
                      float score) {
        size_t i, w;

        for (i = c->from; i < c->out->n; i++) {
                const enr_mention_t *m = &c->out->v[i];
                if (m->start < e && m->end > s &&
                    (m->flags & ENR_MENTF_DATELINE))
                        return;
        }
        for (i = w = c->from; i < c->out->n; i++) {
                const enr_mention_t *m = &c->out->v[i];
                if (m->start < e && m->end > s &&
                    enr_ent_type_is_name((enr_ent_type_t)m->type))
                        continue;
                c->out->v[w++] = *m;
        }
        c->out->n = w;
        emit_bytes(c, s, e, type, score, NULL);
}

static void types_put_toks(names_ctx_t *c, size_t a, size_t b, int type,
                           float score) {
        if (a < b)
                types_put(c, c->t->toks[a].start, c->t->toks[b - 1].end, type,
                          score);
}

/* The name mention of this pass that covers token i, or NULL. */
static enr_mention_t *mention_at(names_ctx_t *c, size_t i) {
        size_t k;

        for (k = c->from; k < c->out->n; k++) {
                enr_mention_t *m = &c->out->v[k];
                if (enr_ent_type_is_name((enr_ent_type_t)m->type) &&
                    m->start <= c->t->toks[i].start &&
                    m->end >= c->t->toks[i].end)
                        return m;
        }
        return NULL;
}

/* The type of a type-list entry, or -1 for one that only corrects a
 * type (org, norp) or needs a cue (language). */
static int list_type(uint32_t cl) {
        if (cl & ENR_GAZ_WORK_OF_ART)
                return ENR_ENT_WORK_OF_ART;
        if (cl & ENR_GAZ_LAW)
                return ENR_ENT_LAW;
        if ((cl & ENR_GAZ_PRODUCT) && !(cl & ENR_GAZ_ORG))
                return ENR_ENT_PRODUCT;
        if (cl & ENR_GAZ_FAC)
                return ENR_ENT_FAC;
        if (cl & ENR_GAZ_EVENT)
                return ENR_ENT_EVENT;
        return -1;
}

/* Whether token i is the model of a product line ("2", "XP", "A380"). */
static bool is_model(const names_ctx_t *c, size_t i, bool maker) {
        const enr_text_t *t   = c->t;
        uint32_t          len = enr_tok_len(t, i);
        const char       *p   = enr_tok_ptr(t, i);

        if (t->toks[i].kind == ENR_TOK_NUMBER) {
                if (len > 4 || memchr(p, ',', len) || memchr(p, '.', len))
                        return false;
                /* After a maker, a year is a date ("Nokia 2004") and a
                 * small number a score ("Samsung 10"); models have three
                 * or four digits ("Boeing 747", "Nokia 6600"). */
                return !maker ||
                       (len == 3 || (len == 4 && p[0] != '1' && p[0] != '2'));
        }
        if (t->toks[i].kind != ENR_TOK_WORD)
                return false;
        if (t->toks[i].flags & ENR_TOKF_HAS_DIGIT)
                return len <= 6;
        if (maker)
                return false;
        return tok_in(t, i, model_codes) || tok_in(t, i, model_words);
}

/* Words around a listed facility that speak of the place itself ("at
 * Anfield", "the Highbury tunnel"), and words that speak of what it
 * stands for, a club or an institution ("six years at Anfield", "his
 * Anfield successor", "Buckingham Palace spokesman"): OntoNotes types
 * those by what they stand for. */
static const char *const fac_before[] = {"at",     "to",    "outside", "inside",
                                         "in",     "into",  "from",    "near",
                                         "around", "visit", "visited", NULL};
static const char *const fac_after[]  = {
     "ground", "stadium",   "pitch",    "stands",   "stand",   "tunnel",
     "turf",   "crowd",     "terraces", "dressing", "replay",  "clash",
     "tie",    "encounter", "game",     "match",    "fixture", "showdown",
     "prison", "jail",      "airport",  "terminal", "runway",  NULL};
static const char *const fac_not_before[] = {
    "years",     "year",    "career",   "future",   "contract", "trial",
    "hero",      "spell",   "time",     "stay",     "tenure",   "days",
    "months",    "season",  "seasons",  "life",     "job",      "leave",
    "left",      "leaving", "quit",     "quitting", "join",     "joined",
    "joining",   "arrive",  "arrived",  "arriving", "return",   "returned",
    "returning", "back",    "move",     "moved",    "moving",   "switch",
    "signed",    "man",     "director", "manager",  "boss",     "coach",
    "chairman",  "both",    "former",   "case",     "football", NULL};
static const char *const fac_not_after[] = {
    "successor", "outfit", "boss",    "manager",   "chairman",    "board",
    "side",      "club",   "squad",   "faithful",  "career",      "hierarchy",
    "director",  "chief",  "press",   "spokesman", "spokeswoman", "official",
    "officials", "aides",  "sources", "said",      "says",        NULL};

/* Whether the words around a facility at tokens [a, b) say it stands for
 * a club or an institution. */
static bool fac_metonym(const names_ctx_t *c, size_t a, size_t b) {
        const enr_text_t *t = c->t;
        size_t            p = a, k;

        if (p > 0 && enr_tok_ieq(t, p - 1, "the"))
                p--;
        for (k = p; k > 0 && p - k < 3 && same_sent(t, k - 1, a); k--)
                if (is_word(t, k - 1) && enr_tok_in(t, k - 1, fac_not_before))
                        return true;
        return b < t->ntoks && same_sent(t, a, b) && is_word(t, b) &&
               enr_tok_in(t, b, fac_not_after);
}

/* Whether a listed facility at tokens [a, b) names the place itself: a
 * word of place before or after it, not one of what it stands for. */
static bool fac_place(const names_ctx_t *c, size_t a, size_t b) {
        const enr_text_t *t   = c->t;
        size_t            p   = a;
        bool              yes = false;

        if (fac_metonym(c, a, b))
                return false;
        if (p > 0 && enr_tok_ieq(t, p - 1, "the"))
                p--;
        if (b < t->ntoks && same_sent(t, a, b) && is_word(t, b))
                yes = !is_cap(t, b) && enr_tok_in(t, b, fac_after);
        /* "at Anfield" before anything but more of a name. */
        if (p > 0 && is_word(t, p - 1) && enr_tok_in(t, p - 1, fac_before))
                yes = yes || b >= t->ntoks || !same_sent(t, a, b) ||
                      t->toks[b].kind == ENR_TOK_PUNCT || !is_cap(t, b);
        /* A line of its own ("Ewood Park" over a match report). */
        if ((t->toks[a].flags & ENR_TOKF_LINE_START) &&
            (b >= t->ntoks || (t->toks[b].flags & ENR_TOKF_LINE_START)))
                yes = true;
        return yes;
}

/* Pass 1: the names of the type lists, and products with a model. */
static void types_lists(names_ctx_t *c) {
        const enr_text_t *t = c->t;
        size_t            i;

        for (i = 0; i < t->ntoks && !c->err;) {
                enr_gaz_match_t m;
                size_t          b;
                int             type;
                enr_mention_t  *x;

                if (!is_word(t, i) || !has_capital(t, i) ||
                    !enr_gazetteer_match_types(c->n->g, t, i, t->ntoks, false,
                                               &m)) {
                        i++;
                        continue;
                }
                b    = i + m.ntoks;
                type = list_type(m.classes);
                /* A product line with its model. */
                if ((m.classes & ENR_GAZ_PRODUCT_LINE) && b < t->ntoks &&
                    same_sent(t, i, b) &&
                    is_model(c, b, (m.classes & ENR_GAZ_ORG) != 0)) {
                        /* With the rest of a name that the line ends
                         * ("Land Rover LR3"). */
                        uint32_t s = t->toks[i].start;
                        x          = mention_at(c, i);
                        if (x && x->start < s && x->end <= t->toks[b - 1].end)
                                s = x->start;
                        types_put(c, s, t->toks[b].end, ENR_ENT_PRODUCT, 0.9f);
                        i = b + 1;
                        continue;
                }
                /* A lone listed word that opens a sentence and is a common
                 * word ("Windows were broken") or goes on with capitalised
                 * words is not the listed name ("Wembley Way"). */
                if ((m.ntoks == 1 && sentence_initial(t, i) &&
                     is_common(c, i)) ||
                    (b < t->ntoks && is_cap(t, b) && same_sent(t, i, b) &&
                     !(t->toks[b].flags & ENR_TOKF_SENT_START))) {
                        i = b;
                        continue;
                }
                x = mention_at(c, i);
                if (type < 0) {
                        /* Corrections: the mention with exactly this text
                         * takes the list's type. */
                        int ty = (m.classes & ENR_GAZ_ORG)    ? ENR_ENT_ORG
                                 : (m.classes & ENR_GAZ_NORP) ? ENR_ENT_NORP
                                                              : -1;
                        if (x && ty >= 0 && x->start == t->toks[i].start &&
                            x->end == t->toks[b - 1].end &&
                            (x->type == ENR_ENT_EVENT ||
                             x->type == ENR_ENT_LAW)) {
                                x->type  = (uint8_t)ty;
                                x->score = 0.9f;
                        }
                        i = b;
                        continue;
                }
                /* A longer name around the entry: a maker's product
                 * ("Apple iPod", "Sony PlayStation") takes the type; any
                 * other name keeps its own ("Wembley Arena Ltd"). */
                if (x && (x->start < t->toks[i].start ||
                          x->end > t->toks[b - 1].end)) {
                        size_t xa = tok_at(t, x->start);
                        if (type == ENR_ENT_PRODUCT &&
                            x->end == t->toks[b - 1].end && xa + 1 == i &&
                            (exact_classes(c, xa) & ENR_GAZ_ORG)) {
                                x->type  = ENR_ENT_PRODUCT;
                                x->score = 0.9f;
                        }
                        i = b;
                        continue;
                }
                if (type == ENR_ENT_FAC && !fac_place(c, i, b)) {
                        i = b;
                        continue;
                }
                types_put_toks(c, i, b, type, 0.9f);
                i = b;
        }
}

/* Whether token i ends a name: the next token is not a capitalised word of
 * the same sentence. */
static bool name_ends(const names_ctx_t *c, size_t i) {
        return i + 1 >= c->t->ntoks || !is_cap(c->t, i + 1) ||
               !same_sent(c->t, i, i + 1) ||
               (c->t->toks[i + 1].flags & ENR_TOKF_SENT_START);
}

/* Words that open a noun phrase, not a name ("No Bill goes through"). */
static const char *const left_dets[] = {
    "No", "Every", "Any",     "This", "That", "These", "Those", "The",   "A",
    "An", "Each",  "Another", "Our",  "Its",  "His",   "Her",   "Their", "Your",
    "My", "Under", "In",      "On",   "At",   "By",    "For",   NULL};

/* Whether the word at token k before a possessive may be part of the
 * name whose head is token h ("New Year's Day Trading Bill") rather than
 * its owner ("Spain's Davis Cup", "Sunday's Carling Cup"). */
static bool inner_possessor(names_ctx_t *c, size_t k, size_t h) {
        static const char *const times[] = {
            "Monday",    "Tuesday",   "Wednesday", "Thursday", "Friday",
            "Saturday",  "Sunday",    "January",   "February", "March",
            "April",     "May",       "June",      "July",     "August",
            "September", "October",   "November",  "December", "Today",
            "Tonight",   "Yesterday", "Tomorrow",  NULL};
        const enr_mention_t *x = mention_at(c, k);

        if (tok_in(c->t, k, times) ||
            (tok_classes(c, k) &
             (ENR_GAZ_NAME_CLASSES | ENR_GAZ_ORG_SUFFIX | ENR_GAZ_FIRST_NAME)))
                return false;
        /* A name found around both is one name. */
        return !x || x->end >= c->t->toks[h].end || x->type == ENR_ENT_EVENT ||
               x->type == ENR_ENT_LAW || x->type == ENR_ENT_FAC;
}

/*
 * The first token of the capitalised words that end before token h, at
 * most TYPES_LEFT_MAX words back, with inner "of", "for" and, when
 * with_and is set, "and" and "&" (laws: "Serious Organised Crime and Police
 * Bill", but not two names: "Wimbledon and Masters Cup"); h when there are
 * none.
 */
static size_t left_words(names_ctx_t *c, size_t h, bool with_and) {
        const enr_text_t *t = c->t;
        size_t            a = h;

        while (a > 0 && h - a < TYPES_LEFT_MAX && same_sent(t, a - 1, h)) {
                size_t k = a - 1;
                if (span_word(c, k) &&
                    !(t->toks[k].flags & ENR_TOKF_HAS_DIGIT)) {
                        a = k;
                        if (sentence_initial(t, k))
                                break;
                        continue;
                }
                if (k > 0 && a < h && span_word(c, k - 1) &&
                    (enr_tok_ieq(t, k, "of") || enr_tok_ieq(t, k, "for") ||
                     (with_and && !tok_in(t, k - 1, law_heads) &&
                      (enr_tok_ieq(t, k, "and") ||
                       (t->toks[k].kind == ENR_TOK_SYMBOL &&
                        *enr_tok_ptr(t, k) == '&'))))) {
                        a = k - 1;
                        continue;
                }
                if ((t->toks[k].flags & ENR_TOKF_CLITIC) && k > 0 && a < h &&
                    span_word(c, k - 1) && inner_possessor(c, k - 1, h)) {
                        a = k - 1;
                        continue;
                }
                break;
        }
        /* A word that opens a noun phrase is not part of the name ("The",
         * "No"); nor is a connector left in front. */
        while (a < h && (tok_in(t, a, left_dets) || !is_cap(t, a)))
                a++;
        return a;
}

/* The end of "of X Y" (and, when on is set, "on X Y") after a head
 * ("Treaty of Rome", "Convention on Human Rights", "Tower of London"), or
 * h + 1. A weekday or month ends it ("Station on Monday"). */
static size_t right_of(const names_ctx_t *c, size_t h, bool on) {
        const enr_text_t *t = c->t;
        size_t            b = h + 1, k;

        if (b + 1 < t->ntoks && same_sent(t, h, b + 1) &&
            (enr_tok_ieq(t, b, "of") || (on && enr_tok_ieq(t, b, "on"))) &&
            is_cap(t, b + 1) && !(exact_classes(c, b + 1) & ENR_GAZ_COMMON)) {
                for (k = b + 1; k < t->ntoks && k - b <= TYPES_LEFT_MAX &&
                                is_cap(t, k) && same_sent(t, h, k) &&
                                !(exact_classes(c, k) & ENR_GAZ_COMMON);
                     k++)
                        ;
                return k;
        }
        return b;
}

/* Whether any token of [a, b) is one of words (exact). */
static bool any_in(const enr_text_t *t, size_t a, size_t b,
                   const char *const *words) {
        for (; a < b; a++)
                if (tok_in(t, a, words))
                        return true;
        return false;
}

/* Pass 2: laws by their head words. */
static void types_laws(names_ctx_t *c) {
        static const char *const not_law[] = {
            "Best",         "Democratic", "Republican", "Party",    "Labour",
            "Conservative", "Tory",       "Liberal",    "National", NULL};
        const enr_text_t *t = c->t;
        size_t            h;

        for (h = 0; h < t->ntoks && !c->err; h++) {
                size_t         a, b;
                enr_mention_t *x;

                if (!is_cap(t, h) || !tok_in(t, h, law_heads))
                        continue;
                a = left_words(c, h, true);
                b = right_of(c, h, true);
                /* "Act of Parliament" is any act. */
                if (a == h && b == h + 3 &&
                    (enr_tok_ieq(t, h + 2, "parliament") ||
                     enr_tok_ieq(t, h + 2, "congress")))
                        continue;
                /* "Bill Gates", "Act One": a head followed by a
                 * capitalised word is something else. */
                if (b == h + 1 && !name_ends(c, h))
                        continue;
                /* A year after an act ("Terrorism Act 2000"). */
                if (b == h + 1 && b < t->ntoks &&
                    t->toks[b].kind == ENR_TOK_NUMBER &&
                    enr_tok_len(t, b) == 4 && same_sent(t, h, b))
                        b++;
                /* "Treaty of Rome" needs no words before it; a head alone
                 * ("the Bill") is no name. */
                if (a == h && b == h + 1)
                        continue;
                if (any_in(t, a, b, not_law))
                        continue;
                /* "President Bill", "Kill Bill": a given name or title
                 * right before Bill is a person. */
                if (enr_tok_ieq(t, h, "bill") && a < h &&
                    (tok_classes(c, h - 1) &
                     (ENR_GAZ_TITLE | ENR_GAZ_FIRST_NAME | ENR_GAZ_PERSON)))
                        continue;
                /* A listed title ("Kill Bill"). */
                {
                        enr_gaz_match_t m;
                        if (enr_gazetteer_match_types(c->n->g, t, a, b, false,
                                                      &m) &&
                            (m.classes & ENR_GAZ_WORK_OF_ART))
                                continue;
                }
                x = mention_at(c, h);
                if (x && x->type == ENR_ENT_WORK_OF_ART)
                        continue;
                types_put_toks(c, a, b, ENR_ENT_LAW, 0.8f);
        }
}

/* Pass 3: facilities and events by their head words. */
static void types_heads(names_ctx_t *c) {
        static const char *const not_fac[] = {"Crystal", NULL};
        const enr_text_t        *t         = c->t;
        size_t                   h;

        for (h = 0; h < t->ntoks && !c->err; h++) {
                size_t         a, b;
                enr_mention_t *x;
                bool           fac;

                if (!is_cap(t, h))
                        continue;
                /* "Operation USA" is a charity's name. */
                if (tok_in(t, h, event_openers) && h + 1 < t->ntoks &&
                    is_cap(t, h + 1) && same_sent(t, h, h + 1) &&
                    !(t->toks[h + 1].flags & ENR_TOKF_SENT_START) &&
                    !(tok_classes(c, h + 1) & ENR_GAZ_NAME_CLASSES)) {
                        for (b = h + 1; b < t->ntoks && b - h <= 4 &&
                                        is_cap(t, b) && same_sent(t, h, b);
                             b++)
                                ;
                        types_put_toks(c, h, b, ENR_ENT_EVENT, 0.8f);
                        h = b - 1;
                        continue;
                }
                fac = tok_in(t, h, fac_heads);
                if (!fac && !tok_in(t, h, event_heads))
                        continue;
                a = left_words(c, h, false);
                b = fac ? right_of(c, h, false) : h + 1;
                if (a == h || (b == h + 1 && !name_ends(c, h)))
                        continue;
                if (fac && (any_in(t, a, h, not_fac) ||
                            (tok_classes(c, a) & ENR_GAZ_FIRST_NAME) ||
                            fac_metonym(c, a, b)))
                        continue;
                /* A name the extractors read as a person, or as something
                 * longer, keeps its reading ("Wayne Bridge"). */
                x = mention_at(c, h);
                if (x &&
                    (x->type == ENR_ENT_PERSON ||
                     x->type == ENR_ENT_WORK_OF_ART || x->type == ENR_ENT_LAW ||
                     x->type == ENR_ENT_PRODUCT ||
                     x->start < t->toks[a].start ||
                     x->end > t->toks[b - 1].end))
                        continue;
                types_put_toks(c, a, b, fac ? ENR_ENT_FAC : ENR_ENT_EVENT,
                               0.8f);
        }
}

/* Whether token i is a language name of the type lists. */
static bool is_language(const names_ctx_t *c, size_t i) {
        enr_gaz_match_t m;

        return is_cap(c->t, i) &&
               enr_gazetteer_match_types(c->n->g, c->t, i, i + 1, false, &m) &&
               (m.classes & ENR_GAZ_LANGUAGE);
}

/* Whether what follows a language at token i (exclusive) lets it be one:
 * the end, punctuation or a function word, not the noun of "in French
 * politics" or a capitalised word of a longer name. */
static bool lang_followed(const names_ctx_t *c, size_t i) {
        const enr_text_t *t = c->t;

        if (i >= t->ntoks || !same_sent(t, i - 1, i))
                return true;
        if (t->toks[i].kind == ENR_TOK_PUNCT)
                return !is_punct(t, i, '-');
        return is_word(t, i) && !is_cap(t, i) && enr_tok_in(t, i, lang_follow);
}

/* Pass 4: languages where the words around them say so. */
static void types_languages(names_ctx_t *c) {
        const enr_text_t *t = c->t;
        size_t            i;

        for (i = 0; i < t->ntoks && !c->err; i++) {
                const char *p   = enr_tok_ptr(t, i);
                uint32_t    len = enr_tok_len(t, i);
                const char *h;
                bool        yes = false;
                size_t      j;

                /* "English-language", "French-speaking". */
                if (is_cap(t, i) && (t->toks[i].flags & ENR_TOKF_HAS_HYPHEN) &&
                    (h = memchr(p, '-', len)) != NULL) {
                        enr_gaz_match_t m;
                        size_t          k, tl = (size_t)(p + len - h - 1);
                        bool            tail = false;
                        for (k = 0; lang_tails[k]; k++)
                                if (strlen(lang_tails[k]) == tl &&
                                    !memcmp(h + 1, lang_tails[k], tl))
                                        tail = true;
                        if (tail &&
                            enr_gazetteer_find_types(
                                c->n->g, p, (size_t)(h - p), false, &m) &&
                            (m.classes & ENR_GAZ_LANGUAGE))
                                types_put(c, t->toks[i].start,
                                          t->toks[i].start + (uint32_t)(h - p),
                                          ENR_ENT_LANGUAGE, 0.8f);
                        continue;
                }
                if (!is_language(c, i))
                        continue;
                if (i > 0 && same_sent(t, i - 1, i) && is_word(t, i - 1)) {
                        if (enr_tok_in(t, i - 1, lang_verbs) && name_ends(c, i))
                                yes = true;
                        if (enr_tok_in(t, i - 1, lang_before)) {
                                /* "in English and Welsh," */
                                j = i + 1;
                                if (j + 1 < t->ntoks &&
                                    (enr_tok_ieq(t, j, "and") ||
                                     enr_tok_ieq(t, j, "or")) &&
                                    is_language(c, j + 1))
                                        j += 2;
                                yes = lang_followed(c, j);
                                if (yes && j == i + 3)
                                        types_put_toks(c, i + 2, i + 3,
                                                       ENR_ENT_LANGUAGE, 0.8f);
                        }
                }
                if (i + 1 < t->ntoks && same_sent(t, i, i + 1) &&
                    is_word(t, i + 1) && !is_cap(t, i + 1) &&
                    enr_tok_in(t, i + 1, lang_after))
                        yes = true;
                if (yes)
                        types_put_toks(c, i, i + 1, ENR_ENT_LANGUAGE, 0.8f);
        }
}

/* The end (exclusive) of an unquoted title that starts at token a, or a
 * when none starts there. */
static size_t title_end(const names_ctx_t *c, size_t a) {
        const enr_text_t *t = c->t;
        size_t            k = a, end = a;

        if (!is_cap(t, a) && !(t->toks[a].kind == ENR_TOK_NUMBER &&
                               a + 1 < t->ntoks && is_cap(t, a + 1)))
                return a;
        while (k < t->ntoks && k - a < TYPES_TITLE_MAX && same_sent(t, a, k)) {
                if (k > a && (t->toks[k].flags & ENR_TOKF_SENT_START))
                        break;
                if (span_word(c, k) || t->toks[k].kind == ENR_TOK_NUMBER) {
                        end = ++k;
                        continue;
                }
                if (k + 1 < t->ntoks && is_cap(t, k + 1) &&
                    ((t->toks[k].flags & ENR_TOKF_CLITIC) ||
                     is_punct(t, k, ':') ||
                     (t->toks[k].kind == ENR_TOK_SYMBOL &&
                      *enr_tok_ptr(t, k) == '&'))) {
                        k++;
                        continue;
                }
                if (is_word(t, k) && !is_cap(t, k) &&
                    enr_tok_in(t, k, title_inner) && k + 1 < t->ntoks &&
                    (is_cap(t, k + 1) ||
                     (k + 2 < t->ntoks && enr_tok_in(t, k + 1, title_inner) &&
                      is_cap(t, k + 2)))) {
                        k++;
                        continue;
                }
                break;
        }
        return end;
}

/* Whether token k is a cue for a title after it. */
static bool work_cue(const names_ctx_t *c, size_t k) {
        const enr_text_t *t = c->t;

        if (!is_word(t, k) || is_cap(t, k))
                return false;
        if (enr_tok_in(t, k, work_cues))
                return true;
        /* "a single market", "a musical Rubik's cube": adjectives. */
        return k > 0 && enr_tok_in(t, k, work_cues_det) && is_word(t, k - 1) &&
               enr_tok_in(t, k - 1, work_dets) &&
               !((enr_tok_ieq(t, k, "single") ||
                  enr_tok_ieq(t, k, "musical")) &&
                 (enr_tok_ieq(t, k - 1, "a") || enr_tok_ieq(t, k - 1, "an")));
}

/* Whether the title [a, b) after a cue is more likely something else: a
 * place, nationality, organisation or person the lists know ("the series
 * England", "the programme BBC"), a given name and surname ("the book
 * Tony Blair wrote"), or a lone capitalised non-name ("the show Monday"). */
static bool not_title(names_ctx_t *c, size_t a, size_t b) {
        enr_gaz_match_t m;

        if (enr_gazetteer_match_types(c->n->g, c->t, a, b, false, &m) &&
            m.ntoks == b - a && (m.classes & ENR_GAZ_WORK_OF_ART))
                return false;
        if (gaz_at(c, a, b, &m) && m.ntoks == b - a &&
            (m.classes & (ENR_GAZ_NAME_CLASSES | ENR_GAZ_COMMON)))
                return true;
        if (b - a >= 2 && b - a <= 3 &&
            (tok_classes(c, a) & (ENR_GAZ_FIRST_NAME | ENR_GAZ_TITLE)))
                return true;
        /* An acronym is a technology or a body ("a single HSDPA
         * device"). */
        if (b - a == 1 && (c->t->toks[a].flags & ENR_TOKF_ALL_UPPER))
                return true;
        return b - a == 1 && (exact_classes(c, a) & ENR_GAZ_COMMON);
}

/* Retypes or adds the other occurrences of the title [a, b) in the field. */
static void title_again(names_ctx_t *c, size_t a, size_t b) {
        const enr_text_t *t   = c->t;
        uint32_t          len = t->toks[b - 1].end - t->toks[a].start;
        const char       *s   = t->s + t->toks[a].start;
        size_t            i, n = b - a;

        for (i = 0; i + n <= t->ntoks && !c->err; i++) {
                enr_mention_t *x;
                size_t         e = i + n;

                if (i == a || !is_cap(t, i) ||
                    t->toks[e - 1].end - t->toks[i].start != len ||
                    memcmp(t->s + t->toks[i].start, s, len))
                        continue;
                /* Part of a longer name, or a common word opening a
                 * sentence ("Sideways, the ..."). */
                if ((i > 0 && is_cap(t, i - 1) && same_sent(t, i - 1, i) &&
                     !sentence_initial(t, i)) ||
                    !name_ends(c, e - 1) ||
                    (n == 1 && sentence_initial(t, i) && is_common(c, i)))
                        continue;
                x = mention_at(c, i);
                if (x && (x->start < t->toks[i].start ||
                          x->end > t->toks[e - 1].end))
                        continue;
                if (x && x->type == ENR_ENT_WORK_OF_ART)
                        continue;
                /* A lone word the extractors read as a person may be the
                 * person the title is named after ("Ray"). */
                if (n == 1 && x && x->type == ENR_ENT_PERSON)
                        continue;
                types_put_toks(c, i, e, ENR_ENT_WORK_OF_ART, 0.7f);
        }
}

/* Pass 5: titles after a cue word. */
static void types_works(names_ctx_t *c) {
        const enr_text_t *t = c->t;
        size_t            k;

        for (k = 0; k + 1 < t->ntoks && !c->err; k++) {
                size_t a = k + 1, b;

                /* A title opens with a quote, a capital or a number: test
                 * that before the cue words. */
                if (!is_quote(t, a) && !is_cap(t, a) &&
                    t->toks[a].kind != ENR_TOK_NUMBER)
                        continue;
                if (!work_cue(c, k) || !same_sent(t, k, a))
                        continue;
                if (is_quote(t, a)) {
                        /* A quoted title: up to the closing quote. */
                        a++;
                        for (b = a; b < t->ntoks && b - a < TYPES_TITLE_MAX &&
                                    !is_quote(t, b) && same_sent(t, a, b);
                             b++)
                                ;
                        if (b >= t->ntoks || !is_quote(t, b) || b == a ||
                            !is_cap(t, a))
                                continue;
                        /* A full stop inside the quotes ends the sentence,
                         * not the title ("'A Question of Sport.'"). */
                        while (b > a + 1 &&
                               t->toks[b - 1].kind == ENR_TOK_PUNCT)
                                b--;
                } else {
                        b = title_end(c, a);
                        if (b == a || not_title(c, a, b))
                                continue;
                }
                types_put_toks(c, a, b, ENR_ENT_WORK_OF_ART, 0.8f);
                title_again(c, a, b);
                k = b;
        }
}

/* Trims lower-case words a tagger left at the end of a name ("Games
 * Developers Conference in") and punctuation at its start. */
static void types_trim(names_ctx_t *c) {
        const enr_text_t *t = c->t;
        size_t            i;

        for (i = c->from; i < c->out->n; i++) {
                enr_mention_t *m = &c->out->v[i];
                size_t         a = tok_at(t, m->start), b;

                if (a >= t->ntoks ||
                    !enr_ent_type_is_name((enr_ent_type_t)m->type))
                        continue;
                b = tok_from(t, m->end);
                /* A name that ends inside a token ("Israeli" of
                 * "Israeli-led") stays as it is. */
                if (b <= a || t->toks[b - 1].end != m->end)
                        continue;
                /* An opening quote a tagger took in ("' Cup"). */
                while (a + 1 < b && t->toks[a].kind == ENR_TOK_PUNCT)
                        a++;
                m->start = t->toks[a].start;
                while (b > a + 1 && is_word(t, b - 1) && !is_cap(t, b - 1) &&
                       enr_tok_in(t, b - 1, title_inner))
                        b--;
                m->end = t->toks[b - 1].end;
        }
}

/* Finds the types of names beyond people, organisations and places in the
 * mentions c->out->v[c->from..) (see the comment above). */
static void types_pass(names_ctx_t *c) {
        types_trim(c);
        types_lists(c);
        types_laws(c);
        types_heads(c);
        types_languages(c);
        types_works(c);
}

void enr_names_refine(const enr_names_t *n, const enr_text_t *t,
                      enr_field_t field, enr_mentions_t *out, size_t from,
                      size_t max) {
        names_ctx_t c;
        size_t      i, w, at = 0, nd;

        memset(&c, 0, sizeof(c));
        c.n     = n;
        c.t     = t;
        c.field = field;
        c.out   = out;
        c.max   = max;
        c.from  = from;

        /* Join PERSON + connector(s) + PERSON. */
        for (i = from; i + 1 < out->n; i++) {
                enr_mention_t *a = &out->v[i], *b = &out->v[i + 1];
                size_t         ea, sb, k;
                if (a->type != ENR_ENT_PERSON || b->type != ENR_ENT_PERSON)
                        continue;
                ea = tok_from(t, a->end);
                sb = tok_at(t, b->start);
                if (ea == t->ntoks || sb == t->ntoks || sb <= ea || sb - ea > 2)
                        continue;
                for (k = ea; k < sb && is_connector(&c, k); k++)
                        ;
                if (k != sb)
                        continue;
                a->end   = b->end;
                a->score = a->score < b->score ? a->score : b->score;
                memmove(b, b + 1, (out->n - i - 2) * sizeof(*b));
                out->n--;
                i--; /* The joined mention may join the next one too. */
        }

        /* Drop sentence-initial common words taken for names. */
        for (i = w = from; i < out->n; i++) {
                const enr_mention_t *m = &out->v[i];
                size_t               k = tok_at(t, m->start);
                if (enr_ent_type_is_name((enr_ent_type_t)m->type) &&
                    k < t->ntoks && t->toks[k].end == m->end &&
                    sentence_initial(t, k) &&
                    !(t->toks[k].flags & ENR_TOKF_ALL_UPPER) &&
                    is_common(&c, k) && !capitalised_mid_sentence(t, k))
                        continue;
                out->v[w++] = *m;
        }
        out->n = w;

        /* Events, facilities, products, works, laws and languages. A
         * mention limit reached there must not keep the dateline out. */
        types_pass(&c);
        c.err = ENR_OK;

        /* The dateline: the rules' reading replaces the tagger's. */
        if (field != ENR_FIELD_BODY || !(nd = find_dateline(&c, &at)))
                return;
        for (i = w = from; i < out->n; i++) {
                const enr_mention_t *m = &out->v[i];
                if (enr_ent_type_is_name((enr_ent_type_t)m->type) &&
                    m->start < t->toks[at + nd - 1].end &&
                    m->end > t->toks[at].start)
                        continue;
                out->v[w++] = *m;
        }
        out->n = w;
        emit_dateline(&c, at, at + nd);
}

static bool phrase_at(const enr_text_t *t, size_t i, const char *const *p) {
        size_t k;

        for (k = 0; p[k]; k++) {
                if (i + k >= t->ntoks)
                        return false;
                if (!strcmp(p[k], "\xc2\xa9")) {
                        if (enr_tok_len(t, i + k) != 2 ||
                            memcmp(enr_tok_ptr(t, i + k), p[k], 2))
                                return false;
                } else if (!enr_tok_ieq(t, i + k, p[k])) {
                        return false;
                }
        }
        return true;
}

size_t enr_names_boilerplate(const enr_text_t *t) {
        size_t i, from, lines = 0, best;

        if (!t || !t->ntoks)
                return t ? t->ntoks : 0;
        /* The start of the tail searched: the last lines, bounded. */
        from = t->ntoks;
        while (from > 0 && lines < NAMES_TAIL_LINES &&
               t->ntoks - from < NAMES_TAIL_TOKENS) {
                from--;
                if (t->toks[from].flags & ENR_TOKF_LINE_START)
                        lines++;
        }
        best = t->ntoks;
        for (i = from; i < t->ntoks && best == t->ntoks; i++) {
                size_t k;
                if (!(t->toks[i].flags &
                      (ENR_TOKF_LINE_START | ENR_TOKF_SENT_START)))
                        continue;
                for (k = 0; k < sizeof(boilerplate) / sizeof(boilerplate[0]);
                     k++) {
                        if (phrase_at(t, i, boilerplate[k])) {
                                best = i;
                                break;
                        }
                }
        }
        return best;
}
