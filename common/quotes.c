/*
 * Direct quotations and their speakers, over the tokens, sentences and
 * paragraphs of text.c and the entity table of entities.c.
 *
 * 1. Marks. Quotation marks are PUNCT tokens: “ ” « » „ ‘ ’ " ' and `.
 *    Within a paragraph, double marks pair up (an opening “ or `` or a
 *    straight " after a space, then the next closing one); a quotation
 *    left open at the paragraph's end runs to it (a quotation reopened in
 *    the next paragraph is a second quotation). Single marks pair only
 *    outside double quotations, an opening one after a space and before a
 *    letter, a closing one after a letter and before a space or
 *    punctuation, so apostrophes ("students'", "rock 'n' roll") rarely
 *    pair.
 * 2. Attribution, as CoreNLP's sieves: a speech verb right after the
 *    closing mark ("...," said Smith; "...," she said), right before the
 *    opening one (Smith said: "..."), earlier in the same sentence (Smith
 *    called it "..."), then the previous quotation of the paragraph or a
 *    continuation from the paragraph before.
 * 3. Keeping: a quotation with an attribution and two words or more, or a
 *    one-word utterance ending in punctuation with an adjacent verb; a
 *    sentence-initial quotation of four words or more with none (it
 *    inherits the previous speaker). Short quoted phrases with no verb
 *    (scare quotes) and title-case phrases (titles of works) are dropped.
 * 4. Speaker: the subject of the verb. A name is the entity whose mention
 *    it is; he/she is the last person mentioned before it, outside
 *    quotations, whose gender (given name, Mr/Mrs) does not disagree; "the
 *    minister" is the person the article calls minister; anything else is
 *    an unnamed (nominal) source as written.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/quotes.h"

/* Limits: how far attribution looks from a quotation, in tokens. */
#define AFTER_WINDOW   8  /* From the closing mark to the verb. */
#define BEFORE_WINDOW  7  /* From the verb to the opening mark. */
#define SUBJECT_MAX    7  /* Tokens of a subject phrase. */
#define SINGLE_MAX     80 /* Tokens between paired single marks. */
#define MAX_NAME_BYTES 32 /* Longest given name looked up. */

/* The reporting verbs: lemma, then its other forms. */
static const char *const verbs[][5] = {
    {"say", "says", "said", "saying", NULL},
    {"add", "adds", "added", "adding", NULL},
    {"tell", "tells", "told", "telling", NULL},
    {"ask", "asks", "asked", "asking", NULL},
    {"write", "writes", "wrote", "writing", "written"},
    {"state", "states", "stated", NULL, NULL},
    {"explain", "explains", "explained", "explaining", NULL},
    {"note", "notes", "noted", "noting", NULL},
    {"insist", "insists", "insisted", "insisting", NULL},
    {"warn", "warns", "warned", "warning", NULL},
    {"argue", "argues", "argued", "arguing", NULL},
    {"claim", "claims", "claimed", NULL, NULL},
    {"declare", "declares", "declared", NULL, NULL},
    {"announce", "announces", "announced", NULL, NULL},
    {"recall", "recalls", "recalled", "recalling", NULL},
    {"reply", "replies", "replied", NULL, NULL},
    {"respond", "responds", "responded", NULL, NULL},
    {"remark", "remarks", "remarked", NULL, NULL},
    {"admit", "admits", "admitted", "admitting", NULL},
    {"agree", "agrees", "agreed", NULL, NULL},
    {"continue", "continues", "continued", NULL, NULL},
    {"describe", "describes", "described", "describing", NULL},
    {"call", "calls", "called", "calling", NULL},
    {"chant", "chants", "chanted", "chanting", NULL},
    {"shout", "shouts", "shouted", "shouting", NULL},
    {"tweet", "tweets", "tweeted", NULL, NULL},
    {"post", "posted", NULL, NULL, NULL},
    {"acknowledge", "acknowledges", "acknowledged", NULL, NULL},
    {"suggest", "suggests", "suggested", NULL, NULL},
    {"observe", "observes", "observed", NULL, NULL},
    {"predict", "predicts", "predicted", NULL, NULL},
    {"complain", "complains", "complained", NULL, NULL},
    {"conclude", "concludes", "concluded", NULL, NULL},
    {"confirm", "confirms", "confirmed", NULL, NULL},
    {"deny", "denies", "denied", NULL, NULL},
    {"urge", "urges", "urged", NULL, NULL},
    {"vow", "vows", "vowed", NULL, NULL},
    {"promise", "promises", "promised", NULL, NULL},
    {"stress", "stresses", "stressed", NULL, NULL},
    {"emphasise", "emphasised", "emphasize", "emphasized", NULL},
    {"testify", "testifies", "testified", NULL, NULL},
    {"quip", "quips", "quipped", NULL, NULL},
    {"joke", "jokes", "joked", NULL, NULL},
    {"exclaim", "exclaims", "exclaimed", NULL, NULL},
    {"scream", "screams", "screamed", NULL, NULL},
    {"yell", "yells", "yelled", NULL, NULL},
    {"whisper", "whispers", "whispered", NULL, NULL},
    {"lament", "laments", "lamented", NULL, NULL},
    {"concede", "concedes", "conceded", NULL, NULL},
    {"recount", "recounts", "recounted", NULL, NULL},
    {"boast", "boasts", "boasted", NULL, NULL},
    {"plead", "pleads", "pleaded", NULL, NULL},
    {"repeat", "repeats", "repeated", NULL, NULL},
    {"assert", "asserts", "asserted", NULL, NULL},
    {"maintain", "maintains", "maintained", NULL, NULL},
    {"contend", "contends", "contended", NULL, NULL},
    {"rail", "rails", "railed", NULL, NULL},
    {"cite", "cites", "cited", NULL, NULL},
    {"report", "reports", "reported", NULL, NULL},
    {"answer", "answers", "answered", NULL, NULL},
    {"cry", "cries", "cried", NULL, NULL},
    {"remember", "remembers", "remembered", NULL, NULL},
    {"mention", "mentions", "mentioned", NULL, NULL},
    {"put", "puts", NULL, NULL, NULL},
    {"refer", "refers", "referred", NULL, NULL},
    {"wonder", "wonders", "wondered", NULL, NULL},
    {"read", "reads", NULL, NULL, NULL},
    {"comment", "comments", "commented", NULL, NULL},
};
#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

/* Words between a subject and its verb ("he later said", "Smith has
 * said"). */
static const char *const adverbs[] = {
    "also",       "later",   "then",    "again",      "has",
    "had",        "have",    "would",   "will",       "once",
    "previously", "simply",  "further", "recently",   "just",
    "reportedly", "often",   "earlier", "frequently", "quickly",
    "repeatedly", "told",    "quietly", "flatly",     "publicly",
    "privately",  "angrily", "proudly", "bluntly",    "cheerfully",
    "may",        "might",   "could",   "once",       "was",
    "were",       "is",      "are",     "yesterday",  "today",
    "tonight",    NULL};

static const char *const determiners[] = {
    "a",    "an",  "the",   "one",  "another", "his",
    "her",  "its", "their", "our",  "some",    "several",
    "many", "two", "three", "this", "that",    NULL};

/* Words that end a subject phrase after its verb ("said Smith, who"). */
static const char *const subject_stops[] = {
    "who",       "which",   "that",     "in",      "on",       "at",
    "to",        "after",   "before",   "during",  "when",     "as",
    "while",     "and",     "but",      "with",    "from",     "by",
    "about",     "last",    "this",     "on",      "recently", "yesterday",
    "today",     "earlier", "later",    "tuesday", "monday",   "wednesday",
    "thursday",  "friday",  "saturday", "sunday",  "told",     "adding",
    "referring", NULL};

/* Small words of titles of works, ignored when judging title case. */
static const char *const title_small[] = {
    "a",  "an", "the",  "of",   "in", "and", "or", "to", "for", "on",
    "at", "by", "with", "from", "de", "la",  "le", "du", NULL};

static const char *const male_titles[] = {
    "mr",  "mr.",  "sir",    "lord",     "king", "prince", "father", "brother",
    "rev", "rev.", "sheikh", "monsieur", "herr", "senor",  "señor",  NULL};
static const char *const female_titles[] = {
    "mrs",    "mrs.",  "ms",       "ms.",    "miss",   "lady",
    "dame",   "queen", "princess", "sister", "madam",  "madame",
    "mother", "mme",   "frau",     "senora", "señora", NULL};

typedef struct gname {
        char name[MAX_NAME_BYTES]; /* Lower case. */
        char gender;               /* 'm' or 'f'. */
} gname_t;

typedef struct vform {
        const char *form;
        uint8_t     lemma;
} vform_t;

struct enr_quotes {
        gname_t *names; /* Sorted by name, for bsearch. */
        size_t   nnames;
        vform_t *forms; /* Sorted by form. */
        size_t   nforms;
};

/* A quotation-mark candidate in one field. */
typedef struct cand {
        uint32_t open;  /* First token of the opening mark. */
        uint32_t a, b;  /* Content tokens [a, b). */
        uint32_t close; /* First token of the closing mark, or b when the
                           quotation runs to its paragraph's end. */
        uint8_t  closed;
        uint8_t  single;
        uint32_t para;
} cand_t;

/* A found attribution. */
typedef struct attrib {
        int      verb;     /* Lemma index, or -1. */
        uint32_t s0, s1;   /* Subject tokens (s0 == s1: none). */
        bool     adjacent; /* Verb next to the marks. */
} attrib_t;

/* A person mention outside quotations, for pronoun resolution. */
typedef struct pmention {
        uint8_t  field;
        uint32_t tok; /* First token. */
        uint32_t entity;
        bool     subject; /* Begins its sentence (after titles). */
} pmention_t;

struct enr_quotes_scratch {
        enr_quote_t *v;
        size_t       n, cap;
        cand_t      *cands;
        size_t       ncands, cands_cap;
        int32_t     *tokmap[2]; /* Per field: token -> mention, or -1. */
        size_t       tokmap_cap[2];
        uint8_t     *inq[2]; /* Per field: token inside a quotation. */
        size_t       inq_cap[2];
        pmention_t  *persons;
        size_t       npersons, persons_cap;
        char        *gender;      /* Per entity: 'm', 'f', '?' or 0 (unset). */
        const enr_mentions_t *ms; /* Borrowed during a call. */
        int32_t               last_speaker; /* Entity of the last quotation. */
        size_t                gender_cap;
};

const char *enr_speaker_kind_name(enr_speaker_kind_t k) {
        static const char *const names[ENR_SPEAKER__COUNT] = {"none", "person",
                                                              "org", "nominal"};
        return (unsigned)k < ENR_SPEAKER__COUNT ? names[k] : "?";
}

const char *enr_quotes_verb_name(unsigned v) {
        return v < NVERBS ? verbs[v][0] : NULL;
}

static int cmp_gname(const void *a, const void *b) {
        return strcmp(((const gname_t *)a)->name, ((const gname_t *)b)->name);
}

static int cmp_vform(const void *a, const void *b) {
        return strcmp(((const vform_t *)a)->form, ((const vform_t *)b)->form);
}

/* Reads quotes/genders.tsv (name TAB m|f). */
static enr_err_t load_genders(enr_quotes_t *q, const char *dir, char *errstr,
                              size_t errstr_size) {
        char      path[4096], *line = NULL;
        size_t    cap = 0, ncap = 0;
        FILE     *f;
        enr_err_t err = ENR_OK;

        snprintf(path, sizeof(path), "%s/quotes/genders.tsv", dir);
        if (!(f = fopen(path, "r"))) {
                enr_set_errstr(errstr, errstr_size, "cannot open %s", path);
                return ENR_ERR_IO;
        }
        while (getline(&line, &cap, f) > 0) {
                char  *tab = strchr(line, '\t');
                size_t nl;
                if (line[0] == '#' || !tab || (tab[1] != 'm' && tab[1] != 'f'))
                        continue;
                nl = (size_t)(tab - line);
                if (!nl || nl >= MAX_NAME_BYTES)
                        continue;
                if ((err = enr_grow((void **)&q->names, &ncap, q->nnames + 1,
                                    sizeof(*q->names), 1024)))
                        break;
                for (size_t i = 0; i < nl; i++)
                        q->names[q->nnames].name[i] =
                            (char)tolower((unsigned char)line[i]);
                q->names[q->nnames].name[nl] = 0;
                q->names[q->nnames].gender   = tab[1];
                q->nnames++;
        }
        free(line);
        fclose(f);
        if (err) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return err;
        }
        if (q->nnames)
                qsort(q->names, q->nnames, sizeof(*q->names), cmp_gname);
        return ENR_OK;
}

enr_quotes_t *enr_quotes_new(const char *resources_dir, char *errstr,
                             size_t errstr_size) {
        enr_quotes_t *q = calloc(1, sizeof(*q));
        size_t        i, k, n = 0;

        if (!q)
                goto nomem;
        for (i = 0; i < NVERBS; i++)
                for (k = 0; k < 5; k++)
                        n += verbs[i][k] != NULL;
        if (!(q->forms = calloc(n, sizeof(*q->forms))))
                goto nomem;
        for (i = 0; i < NVERBS; i++)
                for (k = 0; k < 5; k++)
                        if (verbs[i][k]) {
                                q->forms[q->nforms].form  = verbs[i][k];
                                q->forms[q->nforms].lemma = (uint8_t)i;
                                q->nforms++;
                        }
        qsort(q->forms, q->nforms, sizeof(*q->forms), cmp_vform);
        if (load_genders(q, resources_dir, errstr, errstr_size)) {
                enr_quotes_destroy(q);
                return NULL;
        }
        return q;
nomem:
        enr_quotes_destroy(q);
        enr_set_errstr(errstr, errstr_size, "out of memory");
        return NULL;
}

void enr_quotes_destroy(enr_quotes_t *q) {
        if (!q)
                return;
        free(q->names);
        free(q->forms);
        free(q);
}

enr_quotes_scratch_t *enr_quotes_scratch_new(void) {
        return calloc(1, sizeof(enr_quotes_scratch_t));
}

void enr_quotes_scratch_destroy(enr_quotes_scratch_t *s) {
        if (!s)
                return;
        free(s->v);
        free(s->cands);
        for (int i = 0; i < 2; i++) {
                free(s->tokmap[i]);
                free(s->inq[i]);
        }
        free(s->persons);
        free(s->gender);
        free(s);
}

/* ---- Marks ---------------------------------------------------------- */

enum mark {
        MK_NONE = 0,
        MK_DOPEN,  /* “ « „ `` */
        MK_DCLOSE, /* ” » '' */
        MK_DAMB,   /* " */
        MK_SOPEN,  /* ‘ ` or ' before a word */
        MK_SCLOSE, /* ’ or ' after a word */
};

static bool tok_is_char(const enr_text_t *t, size_t i, char c) {
        return i < t->ntoks && t->toks[i].kind == ENR_TOK_PUNCT &&
               enr_tok_len(t, i) == 1 && *enr_tok_ptr(t, i) == c;
}

/* Whether token i is directly followed by token i + 1 (no space). */
static bool glued(const enr_text_t *t, size_t i) {
        return i + 1 < t->ntoks && t->toks[i + 1].start == t->toks[i].end;
}

/* Whether token i starts a word-ish thing (letter, digit, or a mark). */
static bool is_wordlike(const enr_text_t *t, size_t i) {
        return i < t->ntoks && (t->toks[i].kind == ENR_TOK_WORD ||
                                t->toks[i].kind == ENR_TOK_NUMBER ||
                                t->toks[i].kind == ENR_TOK_SYMBOL);
}

/* Classifies token i as a mark; *len is the number of tokens it takes. */
static int mark_at(const enr_text_t *t, size_t i, size_t pend, size_t *len) {
        const enr_token_t   *tk = &t->toks[i];
        const unsigned char *u  = (const unsigned char *)enr_tok_ptr(t, i);
        size_t               n  = enr_tok_len(t, i);
        bool space_before = !(tk->flags & ENR_TOKF_SPACE_BEFORE) ? false : true;
        bool at_start     = (tk->flags & ENR_TOKF_PARA_START) || space_before;

        *len = 1;
        if (tk->kind != ENR_TOK_PUNCT)
                return MK_NONE;
        if (n == 1) {
                if (*u == '"')
                        return MK_DAMB;
                if (*u == '`') {
                        if (i + 1 < pend && tok_is_char(t, i + 1, '`') &&
                            glued(t, i)) {
                                *len = 2;
                                return MK_DOPEN;
                        }
                        return MK_SOPEN;
                }
                if (*u == '\'') {
                        if (i + 1 < pend && tok_is_char(t, i + 1, '\'') &&
                            glued(t, i)) {
                                *len = 2;
                                return MK_DCLOSE;
                        }
                        if (at_start && glued(t, i) && is_wordlike(t, i + 1))
                                return MK_SOPEN;
                        if (!space_before && i > 0 &&
                            !(tk->flags & ENR_TOKF_PARA_START) &&
                            (i + 1 >= pend || !glued(t, i) ||
                             t->toks[i + 1].kind == ENR_TOK_PUNCT))
                                return MK_SCLOSE;
                        return MK_NONE;
                }
                return MK_NONE;
        }
        if (n == 2 && u[0] == 0xC2)
                return u[1] == 0xAB   ? MK_DOPEN
                       : u[1] == 0xBB ? MK_DCLOSE
                                      : MK_NONE;
        if (n != 3 || u[0] != 0xE2 || u[1] != 0x80)
                return MK_NONE;
        switch (u[2]) {
        case 0x9C: /* “ */
        case 0x9E: /* „ */
                return MK_DOPEN;
        case 0x9D: /* ” */
                return MK_DCLOSE;
        case 0x98: /* ‘ */
                return MK_SOPEN;
        case 0x99: /* ’ */
                if (at_start && glued(t, i) && is_wordlike(t, i + 1))
                        return MK_SOPEN; /* ’ used as an opening mark. */
                if (!space_before && i > 0 &&
                    (i + 1 >= pend || !glued(t, i) ||
                     t->toks[i + 1].kind == ENR_TOK_PUNCT))
                        return MK_SCLOSE;
                return MK_NONE;
        default:
                return MK_NONE;
        }
}

static enr_err_t push_cand(enr_quotes_scratch_t *s, uint32_t open, uint32_t a,
                           uint32_t b, uint32_t close, bool closed, bool single,
                           uint32_t para) {
        cand_t   *c;
        enr_err_t err;

        if (a >= b)
                return ENR_OK;
        if ((err = enr_grow((void **)&s->cands, &s->cands_cap, s->ncands + 1,
                            sizeof(*s->cands), 16)))
                return err;
        c         = &s->cands[s->ncands++];
        c->open   = open;
        c->a      = a;
        c->b      = b;
        c->close  = close;
        c->closed = closed;
        c->single = single;
        c->para   = para;
        return ENR_OK;
}

/* Whether token i of t is inside a double quotation found so far in the
 * paragraph (candidates from index from on). */
static bool in_double(const enr_quotes_scratch_t *s, size_t from, size_t i) {
        for (size_t k = from; k < s->ncands; k++)
                if (!s->cands[k].single && i >= s->cands[k].open &&
                    i <= s->cands[k].close)
                        return true;
        return false;
}

/* Pairs the marks of paragraph p into candidates. */
static enr_err_t scan_paragraph(enr_quotes_scratch_t *s, const enr_text_t *t,
                                uint32_t p) {
        size_t    i, len, pbeg = t->paras[p].tok_start;
        size_t    pend = t->paras[p].tok_end, from = s->ncands;
        long      open = -1, sopen = -1;
        size_t    olen = 0;
        enr_err_t err;

        for (i = pbeg; i < pend; i += len) {
                int mk = mark_at(t, i, pend, &len);
                if (mk == MK_DOPEN || mk == MK_DCLOSE || mk == MK_DAMB) {
                        bool opens =
                            mk == MK_DOPEN || (mk == MK_DAMB && open < 0);
                        if (open >= 0 && mk == MK_DOPEN) {
                                /* Reopened without a close: the first runs
                                 * up to here. */
                                if ((err = push_cand(s, (uint32_t)open,
                                                     (uint32_t)(open + olen),
                                                     (uint32_t)i, (uint32_t)i,
                                                     false, false, p)))
                                        return err;
                                open = -1;
                        }
                        if (opens) {
                                open = (long)i;
                                olen = len;
                        } else if (open >= 0) {
                                if ((err = push_cand(s, (uint32_t)open,
                                                     (uint32_t)(open + olen),
                                                     (uint32_t)i, (uint32_t)i,
                                                     true, false, p)))
                                        return err;
                                open = -1;
                        }
                }
        }
        if (open >= 0 &&
            (err = push_cand(s, (uint32_t)open, (uint32_t)(open + olen),
                             (uint32_t)pend, (uint32_t)pend, false, false, p)))
                return err;
        /* Single marks, outside double quotations. */
        for (i = pbeg; i < pend; i += len) {
                int mk = mark_at(t, i, pend, &len);
                if (mk != MK_SOPEN && mk != MK_SCLOSE)
                        continue;
                if (in_double(s, from, i)) {
                        sopen = -1;
                        continue;
                }
                if (mk == MK_SOPEN) {
                        sopen = (long)i;
                        olen  = len;
                } else if (sopen >= 0 && i - (size_t)sopen <= SINGLE_MAX) {
                        if ((err = push_cand(
                                 s, (uint32_t)sopen, (uint32_t)(sopen + olen),
                                 (uint32_t)i, (uint32_t)i, true, true, p)))
                                return err;
                        sopen = -1;
                }
        }
        return ENR_OK;
}

/* ---- Words ---------------------------------------------------------- */

static bool is_word(const enr_text_t *t, size_t i) {
        return i < t->ntoks && t->toks[i].kind == ENR_TOK_WORD;
}

static bool is_upper(const enr_text_t *t, size_t i) {
        return is_word(t, i) && (t->toks[i].flags & ENR_TOKF_UPPER_INITIAL);
}

static bool is_lower_word(const enr_text_t *t, size_t i) {
        return is_word(t, i) && !(t->toks[i].flags & ENR_TOKF_UPPER_INITIAL);
}

/* The lemma index of the speech verb at token i, or -1. */
static int verb_at(const enr_quotes_t *q, const enr_text_t *t, size_t i) {
        char    buf[24];
        vform_t key, *hit;
        size_t  n;

        if (!is_lower_word(t, i) || enr_tok_len(t, i) >= sizeof(buf))
                return -1;
        n = enr_tok_lower(t, i, buf, sizeof(buf));
        if (!n)
                return -1;
        key.form = buf;
        hit = bsearch(&key, q->forms, q->nforms, sizeof(*q->forms), cmp_vform);
        /* Regular forms not in the table: "commented", "asserting". */
        for (int r = 0; !hit && r < 4 && n > 5; r++) {
                static const char *const suf[] = {"ing", "ing", "ed", "ed"};
                size_t                   sl    = strlen(suf[r]);
                if (strcmp(buf + n - sl, suf[r]))
                        continue;
                buf[n - sl] = 0;
                if (r & 1)
                        strcat(buf, "e");
                hit = bsearch(&key, q->forms, q->nforms, sizeof(*q->forms),
                              cmp_vform);
                enr_tok_lower(t, i, buf, sizeof(buf));
        }
        if (!hit)
                return -1;
        /* "put" only as "put it"; "read" only before a mark or a colon. */
        if (!strcmp(verbs[hit->lemma][0], "put") &&
            !enr_tok_ieq(t, i + 1, "it"))
                return -1;
        return hit->lemma;
}

static bool is_pronoun(const enr_text_t *t, size_t i) {
        static const char *const p[] = {"he", "she", "they", "we",
                                        "i",  "you", "it",   NULL};
        return enr_tok_in(t, i, p);
}

/* Whether token i ends a clause for attribution (. ! ? ; or a mark). */
static bool is_stop(const enr_text_t *t, size_t i) {
        const enr_token_t *tk = &t->toks[i];
        char               c;

        if (tk->kind != ENR_TOK_PUNCT)
                return false;
        c = *enr_tok_ptr(t, i);
        return c == '.' || c == '!' || c == '?' || c == ';' || c == '"' ||
               c == '`' || c == '(' || c == ')' || (unsigned char)c == 0xE2 ||
               (unsigned char)c == 0xC2;
}

/* ---- Attribution ---------------------------------------------------- */

/* The mention (index) covering token i of field f, or -1. */
static int32_t mention_at(const enr_quotes_scratch_t *s, int f, size_t i,
                          const enr_text_t *t) {
        return i < t->ntoks ? s->tokmap[f][i] : -1;
}

/* The subject phrase right after a verb at v ("said Kenneth Matiba"). */
static void subject_after(const enr_quotes_scratch_t *s, const enr_text_t *t,
                          int f, size_t v, size_t lim, attrib_t *at) {
        size_t  i = v + 1, n = 0;
        int32_t m;

        at->s0 = at->s1 = (uint32_t)i;
        if (i >= lim)
                return;
        if (is_pronoun(t, i)) {
                at->s1 = (uint32_t)(i + 1);
                return;
        }
        while (i < lim && n < SUBJECT_MAX) {
                if (!is_word(t, i) && !tok_is_char(t, i, '.'))
                        break;
                if ((m = mention_at(s, f, i, t)) >= 0) {
                        while (i < lim && mention_at(s, f, i, t) == m)
                                i++, n++;
                        /* A modifier: "the UN humanitarian chief". */
                        if (n > 1 && i < lim && is_lower_word(t, i) &&
                            !enr_tok_in(t, i, subject_stops))
                                continue;
                        break;
                }
                if (n && enr_tok_in(t, i, subject_stops))
                        break;
                if (!is_word(t, i))
                        break;
                i++, n++;
        }
        at->s1 = (uint32_t)i;
}

/* The subject phrase ending right before the verb at v ("Smith said", "a
 * spokesman for the ministry said", "Smith, the minister, said"). */
static void subject_before(const enr_quotes_scratch_t *s, const enr_text_t *t,
                           int f, size_t v, size_t lim, attrib_t *at) {
        size_t  i = v, end, n = 0;
        int32_t m;
        bool    appos = false;

        at->s0 = at->s1 = (uint32_t)v;
        while (i > lim && enr_tok_in(t, i - 1, adverbs))
                i--;
again:
        end = i;
        if (i <= lim)
                return;
        if (is_pronoun(t, i - 1)) {
                at->s0 = (uint32_t)(i - 1);
                at->s1 = (uint32_t)i;
                return;
        }
        if (tok_is_char(t, i - 1, ',') && !appos && i - 1 > lim &&
            (m = mention_at(s, f, i - 2, t)) >= 0 &&
            s->ms->v[m].type == ENR_ENT_PERSON) {
                /* "Portugal's ambassador, Antonio Monteiro, said" */
                size_t k = i - 2;
                while (k > lim && mention_at(s, f, k - 1, t) == m)
                        k--;
                at->s0 = (uint32_t)k;
                at->s1 = (uint32_t)(i - 1);
                return;
        }
        if (tok_is_char(t, i - 1, ',') && !appos) {
                /* An apposition: "Smith, the minister, said". */
                size_t k = i - 1;
                while (k > lim && k + 12 > i && !tok_is_char(t, k - 1, ',') &&
                       !is_stop(t, k - 1))
                        k--;
                if (k > lim && tok_is_char(t, k - 1, ',')) {
                        appos = true;
                        i     = k - 1;
                        goto again;
                }
                return;
        }
        while (i > lim && n < SUBJECT_MAX) {
                size_t k = i - 1;
                if ((m = mention_at(s, f, k, t)) >= 0) {
                        while (k > lim && mention_at(s, f, k - 1, t) == m)
                                k--;
                        i = k;
                        n++;
                        /* "a spokesman for Hamas", "Hamas's spokesman" */
                        if (i > lim &&
                            (enr_tok_ieq(t, i - 1, "for") ||
                             enr_tok_ieq(t, i - 1, "of") ||
                             enr_tok_ieq(t, i - 1, "at")) &&
                            i - 1 > lim && is_lower_word(t, i - 2)) {
                                i--;
                                continue;
                        }
                        if (i > lim && enr_tok_in(t, i - 1, determiners))
                                i--;
                        break;
                }
                if (!is_word(t, k) && !(t->toks[k].flags & ENR_TOKF_CLITIC))
                        break;
                if (enr_tok_in(t, k, subject_stops))
                        break;
                i = k;
                n++;
                if (enr_tok_in(t, k, determiners))
                        break;
                if (k == lim || (t->toks[k].flags & ENR_TOKF_SENT_START))
                        break;
        }
        if (i == end)
                return;
        at->s0 = (uint32_t)i;
        at->s1 = (uint32_t)end;
}

/* The token of t that starts at or covers byte b (binary search). */
static size_t tok_index(const enr_text_t *t, uint32_t b) {
        size_t lo = 0, hi = t->ntoks;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (t->toks[mid].end <= b)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* The number of tokens of the mark starting at token i. */
static size_t mark_len(const enr_text_t *t, size_t i) {
        size_t len;

        if (i >= t->ntoks)
                return 0;
        mark_at(t, i, t->ntoks, &len);
        return len;
}

/* The first token of the clause holding token i: its sentence's start, not
 * before bound. */
static size_t clause_start(const enr_text_t *t, size_t i, size_t bound) {
        size_t st = t->sents[t->toks[i].sent].tok_start;

        return st > bound ? st : bound;
}

/* Whether the phrase ending before token i is followed by a lower-case
 * word that may be its verb ("the president vowed"), before v. */
static bool verb_ok_after(const enr_text_t *t, size_t i, size_t v) {
        const char *w = enr_tok_ptr(t, i);
        size_t      n = enr_tok_len(t, i);

        if (i >= v || !is_lower_word(t, i))
                return false;
        /* A past or present tense ("vowed", "says") or an adverb. */
        return enr_tok_in(t, i, adverbs) ||
               (n > 3 && (!memcmp(w + n - 2, "ed", 2) || w[n - 1] == 's'));
}

/* The subject of the clause [lim, v) when none is next to its verb ("He
 * appeared ... and said", "Wallace, who directed ``...'', said"): its first
 * pronoun or name not after a preposition. */
static void clause_subject(const enr_quotes_scratch_t *s, const enr_text_t *t,
                           int f, size_t lim, size_t v, attrib_t *at) {
        static const char *const preps[] = {
            "of",   "in",    "on",   "to",   "for",     "with", "by", "at",
            "from", "about", "than", "like", "against", "into", NULL};
        size_t  i, e;
        int32_t m;
        bool    found = false;

        /* The last candidate that begins a clause wins; else the first. */
        for (i = lim; i < v; i = e) {
                bool after_prep =
                    i > lim && (enr_tok_in(t, i - 1, preps) ||
                                (t->toks[i - 1].flags & ENR_TOKF_CLITIC));
                bool opens = i == lim || tok_is_char(t, i - 1, ',') ||
                             enr_tok_ieq(t, i - 1, "and") ||
                             enr_tok_ieq(t, i - 1, "but");
                e = i + 1;
                if ((m = mention_at(s, f, i, t)) >= 0)
                        while (e < v && mention_at(s, f, e, t) == m)
                                e++;
                if (after_prep || (found && !opens))
                        continue;
                if (is_pronoun(t, i) && !enr_tok_ieq(t, i, "it")) {
                        at->s0 = (uint32_t)i;
                        at->s1 = (uint32_t)(i + 1);
                        found  = true;
                } else if (m >= 0 &&
                           (s->ms->v[m].type == ENR_ENT_PERSON ||
                            (!found && s->ms->v[m].type == ENR_ENT_ORG))) {
                        at->s0 = (uint32_t)i;
                        at->s1 = (uint32_t)e;
                        found  = true;
                } else if (opens && enr_tok_ieq(t, i, "the") &&
                           !(i >= lim + 2 && tok_is_char(t, i - 1, ',') &&
                             mention_at(s, f, i - 2, t) >= 0) &&
                           is_lower_word(t, i + 1) && i + 2 <= v &&
                           verb_ok_after(t, i + 2, v)) {
                        at->s0 = (uint32_t)i;
                        at->s1 = (uint32_t)(i + 2);
                        found  = true;
                }
        }
}

/* Whether the subject tokens of at hold a name or a pronoun. */
static bool subject_named(const enr_quotes_scratch_t *s, const enr_text_t *t,
                          int f, const attrib_t *at) {
        for (size_t i = at->s0; i < at->s1; i++)
                if (mention_at(s, f, i, t) >= 0 || is_pronoun(t, i))
                        return true;
        return false;
}

/* Whether a name (after titles) follows the verb at v ("writes Smith"). */
static bool name_follows(const enr_quotes_scratch_t *s, const enr_text_t *t,
                         int f, size_t v) {
        size_t i = v + 1;

        while (i < t->ntoks && i < v + 3 && mention_at(s, f, i, t) < 0 &&
               is_upper(t, i))
                i++;
        return mention_at(s, f, i, t) >= 0;
}

/* Whether a verb at v introduces the next quotation rather than the one
 * before it ("...'' He added, ``..."). */
static bool introduces_next(const enr_text_t *t, const cand_t *c, size_t v,
                            size_t pend) {
        size_t i, len;

        if (tok_is_char(t, c->b - 1, ','))
                return false; /* "A," Gale said, "b": both his. */
        for (i = v + 1; i < pend && i < v + 6; i++) {
                int mk = mark_at(t, i, pend, &len);
                if (mk == MK_DOPEN ||
                    (mk == MK_DAMB &&
                     (t->toks[i].flags & ENR_TOKF_SPACE_BEFORE)))
                        return tok_is_char(t, i - 1, ',') ||
                               tok_is_char(t, i - 1, ':');
                if (is_stop(t, i))
                        return false;
        }
        return false;
}

/* Looks for a speech verb after the closing mark of c. */
static bool attrib_after(const enr_quotes_t *q, const enr_quotes_scratch_t *s,
                         const enr_text_t *t, int f, const cand_t *c,
                         size_t pend, attrib_t *at) {
        size_t j = c->close + mark_len(t, c->close), k;
        int    v;

        if (!c->closed)
                return false;
        while (j < pend && tok_is_char(t, j, ','))
                j++;
        if (j + 1 < pend && enr_tok_ieq(t, j, "according") &&
            enr_tok_ieq(t, j + 1, "to")) {
                at->verb     = -1;
                at->adjacent = true;
                subject_after(s, t, f, j + 1, pend, at);
                return at->s0 < at->s1;
        }
        for (k = j; k < pend && k < j + AFTER_WINDOW; k++) {
                if (is_stop(t, k))
                        return false;
                if ((v = verb_at(q, t, k)) < 0)
                        continue;
                if (introduces_next(t, c, k, pend))
                        return false;
                at->verb     = v;
                at->adjacent = true;
                if (k == j)
                        subject_after(s, t, f, k, pend, at);
                else
                        subject_before(s, t, f, k, j, at);
                if (at->s0 == at->s1 ||
                    (!subject_named(s, t, f, at) && name_follows(s, t, f, k)))
                        subject_after(s, t, f, k, pend, at);
                return true;
        }
        return false;
}

/* Whether the verb at k is a participle in -ing ("saying"), whose subject
 * is the clause's. */
static bool ing_form(const enr_text_t *t, size_t k) {
        size_t n = enr_tok_len(t, k);

        return n > 4 && !memcmp(enr_tok_ptr(t, k) + n - 3, "ing", 3);
}

/* Whether "according to" precedes token k (the subject's first). */
static bool according_to(const enr_text_t *t, size_t k, size_t lim) {
        return k >= lim + 2 && enr_tok_ieq(t, k - 1, "to") &&
               enr_tok_ieq(t, k - 2, "according");
}

/* Looks for a speech verb before the opening mark of c, next to it
 * (window) or anywhere earlier in its sentence. */
static bool attrib_before(const enr_quotes_t *q, const enr_quotes_scratch_t *s,
                          const enr_text_t *t, int f, const cand_t *c,
                          size_t pbeg, attrib_t *at) {
        size_t lim, k;
        int    v;

        if (c->open <= pbeg)
                return false;
        lim = clause_start(t, c->open - 1, pbeg);
        for (k = c->open; k > lim;) {
                k--;
                if (is_stop(t, k) && !tok_is_char(t, k, '.'))
                        return false;
                if (tok_is_char(t, k, '.'))
                        return false;
                if ((v = verb_at(q, t, k)) < 0) {
                        /* "according to Smith, "..."" */
                        if (mention_at(s, f, k, t) >= 0 &&
                            c->open - k <= BEFORE_WINDOW) {
                                size_t  a = k;
                                int32_t m = mention_at(s, f, k, t);
                                while (a > lim &&
                                       mention_at(s, f, a - 1, t) == m)
                                        a--;
                                if (according_to(t, a, lim)) {
                                        at->verb     = -1;
                                        at->s0       = (uint32_t)a;
                                        at->s1       = (uint32_t)(k + 1);
                                        at->adjacent = true;
                                        return true;
                                }
                        }
                        continue;
                }
                at->verb     = v;
                at->adjacent = c->open - k <= BEFORE_WINDOW;
                if (!ing_form(t, k))
                        subject_before(s, t, f, k, lim, at);
                if (at->s0 == at->s1 &&
                    (is_pronoun(t, k + 1) || mention_at(s, f, k + 1, t) >= 0))
                        subject_after(s, t, f, k, c->open, at);
                if (at->s0 == at->s1)
                        clause_subject(s, t, f, lim, k, at);
                return true;
        }
        return false;
}

/* ---- Speakers ------------------------------------------------------- */

/* The gender of PERSON entity ei: 'm', 'f' or '?'. */
static char entity_gender(const enr_quotes_t *q, enr_quotes_scratch_t *s,
                          const enr_fields_t *fs, const enr_mentions_t *ms,
                          const enr_entities_t *es, size_t ei) {
        const enr_entity_t *e = &es->v[ei];
        const enr_text_t   *t;
        gname_t             key, *hit;
        size_t              j, n = 0, i;
        char                g = '?';

        if (s->gender[ei])
                return s->gender[ei];
        for (j = 0; j < e->count && g == '?'; j++) {
                const enr_mention_t *m = &ms->v[es->order[e->first + j]];
                t                      = fs->text[m->field];
                i                      = tok_index(t, m->start);
                if (i == 0 || i >= t->ntoks)
                        continue;
                if (enr_tok_in(t, i - 1, male_titles))
                        g = 'm';
                else if (enr_tok_in(t, i - 1, female_titles))
                        g = 'f';
        }
        t = fs->text[e->field];
        if (g == '?' && e->end > e->start) {
                const char *p = t->s + e->start;
                while (n < e->end - e->start && n + 1 < MAX_NAME_BYTES &&
                       p[n] != ' ' && p[n] != '-' && p[n] != '.') {
                        key.name[n] = (char)tolower((unsigned char)p[n]);
                        n++;
                }
                key.name[n] = 0;
                if (n && n + 1 < MAX_NAME_BYTES &&
                    (n == e->end - e->start || p[n] == ' ' || p[n] == '-')) {
                        hit = bsearch(&key, q->names, q->nnames,
                                      sizeof(*q->names), cmp_gname);
                        if (hit)
                                g = hit->gender;
                }
        }
        s->gender[ei] = g;
        return g;
}

/* Whether person mention a comes before (field f, token i). */
static bool before_pos(const pmention_t *a, int f, size_t i) {
        return a->field < f || (a->field == f && a->tok < i);
}

/* The last person mentioned before (f, i) whose gender fits, or -1. */
static int32_t resolve_pronoun(const enr_quotes_t *q, enr_quotes_scratch_t *s,
                               const enr_fields_t *fs, const enr_mentions_t *ms,
                               const enr_entities_t *es, int f, size_t i,
                               char want) {
        size_t  k      = s->npersons;
        int32_t recent = -1;

        /* The last speaker or the last person who began a sentence, else
         * the last person mentioned (CoreNLP's speaker salience). */
        while (k > 0) {
                const pmention_t *p = &s->persons[--k];
                char              g;
                if (!before_pos(p, f, i))
                        continue;
                g = entity_gender(q, s, fs, ms, es, p->entity);
                if (g != '?' && g != want)
                        continue;
                if (p->subject || (int32_t)p->entity == s->last_speaker)
                        return (int32_t)p->entity;
                if (recent < 0)
                        recent = (int32_t)p->entity;
        }
        return recent;
}

/* Whether the title w ("sen.", "gov.") abbreviates the role ("senator"). */
static bool abbrev_of(const char *w, const char *role) {
        size_t n = strlen(w);

        return n >= 3 && w[n - 1] == '.' && !strncmp(w, role, n - 1);
}

/* Whether the person mention p is given the role word (token r of t):
 * "Foreign Minister Smith", "Smith, the foreign minister,". */
static bool has_role(const enr_fields_t *fs, const enr_quotes_scratch_t *s,
                     const pmention_t *p, const enr_text_t *rt, size_t r) {
        const enr_text_t *t = fs->text[p->field];
        size_t            i, n;
        char              role[32], w[32];

        enr_tok_lower(rt, r, role, sizeof(role));
        for (i = p->tok, n = 0; i > 0 && n < 4; n++) {
                i--;
                if (!is_word(t, i))
                        break;
                enr_tok_lower(t, i, w, sizeof(w));
                if (!strcmp(w, role) || abbrev_of(w, role))
                        return true;
        }
        i = p->tok;
        while (i < t->ntoks && s->tokmap[p->field][i] >= 0 &&
               (size_t)s->tokmap[p->field][i] ==
                   (size_t)s->tokmap[p->field][p->tok])
                i++;
        if (!tok_is_char(t, i, ','))
                return false;
        for (i++, n = 0; i < t->ntoks && n < 6 && is_word(t, i); i++, n++) {
                enr_tok_lower(t, i, w, sizeof(w));
                if (!strcmp(w, role))
                        return true;
        }
        return false;
}

/* The person the article gives the role at token r, nearest before (f, i),
 * else the first after; or -1. */
static int32_t resolve_role(const enr_fields_t         *fs,
                            const enr_quotes_scratch_t *s, int f, size_t i,
                            size_t r) {
        const enr_text_t *rt    = fs->text[f];
        int32_t           after = -1;
        size_t            k     = s->npersons;

        while (k > 0) {
                const pmention_t *p = &s->persons[--k];
                if (!has_role(fs, s, p, rt, r))
                        continue;
                if (before_pos(p, f, i))
                        return (int32_t)p->entity;
                after = (int32_t)p->entity;
        }
        return after;
}

static enr_speaker_kind_t kind_of(enr_ent_type_t type) {
        switch (type) {
        case ENR_ENT_PERSON:
                return ENR_SPEAKER_PERSON;
        case ENR_ENT_ORG:
        case ENR_ENT_GPE:
        case ENR_ENT_NORP:
        case ENR_ENT_FAC:
                return ENR_SPEAKER_ORG;
        default:
                return ENR_SPEAKER_NOMINAL;
        }
}

/* Honorifics left out of a speaker's name ("Ms. Cohn" is "Cohn"). */
static const char *const honorifics[] = {
    "mr",   "mr.", "mrs",  "mrs.",  "ms",   "ms.",   "miss",
    "dr",   "dr.", "prof", "prof.", "sir",  "dame",  "sen",
    "sen.", "rep", "rep.", "gov",   "gov.", "datuk", "dato",
    "tan",  "sri", "rev",  "rev.",  "mme",  "m.",    NULL};

/* The words of span [a, b) of t equal, ignoring case, a run of the words
 * of [c, d) of u ("Cohn" in "Cindy Cohn", "Abu Hassan" in "Abu Hassan
 * Omar"), and the latter is longer. */
static bool name_within(const char *a, size_t an, const char *c, size_t cn) {
        size_t k;

        if (!an || an >= cn)
                return false;
        for (k = 0; k + an <= cn; k++) {
                if ((k && c[k - 1] != ' ') || (k + an < cn && c[k + an] != ' '))
                        continue;
                if (enr_ascii_ieq(a, an, c + k, an))
                        return true;
        }
        return false;
}

/* A person entity whose name holds the whole name [a, b) of field f, the
 * longest (first of equals): "Cindy Cohn" for a "Ms. Cohn" the entity
 * table kept apart. */
static int32_t fuller_person(const enr_fields_t *fs, const enr_entities_t *es,
                             int32_t ei, const char *a, size_t an) {
        int32_t best = ei;
        size_t  bl   = an;

        for (size_t k = 0; k < es->n; k++) {
                const enr_entity_t *o = &es->v[k];
                const enr_text_t   *t = fs->text[o->field & 1];
                size_t              n = o->end - o->start;
                if (o->type != ENR_ENT_PERSON || (int32_t)k == ei || n <= bl)
                        continue;
                if (name_within(a, an, t->s + o->start, n)) {
                        best = (int32_t)k;
                        bl   = n;
                }
        }
        return best;
}

/* Sets out's speaker to entity ei, named by its fullest mention: the most
 * words after honorifics, in mixed case rather than capitals, earliest of
 * equals. */
static void set_entity_named(enr_quote_t *out, const enr_fields_t *fs,
                             const enr_mentions_t *ms, const enr_entities_t *es,
                             int32_t ei, bool upgraded) {
        const enr_entity_t *e    = &es->v[ei];
        int                 best = -1;
        uint32_t            bs   = e->start;

        out->entity    = ei;
        out->kind      = (uint8_t)kind_of((enr_ent_type_t)e->type);
        out->spk_field = e->field;
        out->spk_start = e->start;
        out->spk_end   = e->end;
        for (uint32_t j = 0; j < e->count; j++) {
                const enr_mention_t *m = &ms->v[es->order[e->first + j]];
                const enr_text_t    *t = fs->text[m->field & 1];
                size_t               i = tok_index(t, m->start), w = 0;
                bool                 caps = true;
                int                  score;
                while (i < t->ntoks && t->toks[i].start < m->end &&
                       enr_tok_in(t, i, honorifics))
                        i++;
                if (i >= t->ntoks || t->toks[i].start >= m->end)
                        continue;
                bs = t->toks[i].start;
                for (size_t k = i; k < t->ntoks && t->toks[k].start < m->end;
                     k++)
                        if (is_word(t, k)) {
                                w++;
                                caps = caps &&
                                       (t->toks[k].flags & ENR_TOKF_ALL_UPPER);
                        }
                score = (int)w * 2 + !caps;
                if (score > best) {
                        best           = score;
                        out->spk_field = m->field;
                        out->spk_start = bs;
                        out->spk_end   = m->end;
                }
        }
        if (e->type == ENR_ENT_PERSON && !upgraded) {
                const enr_text_t *t = fs->text[out->spk_field & 1];
                int32_t fe = fuller_person(fs, es, ei, t->s + out->spk_start,
                                           out->spk_end - out->spk_start);
                if (fe != ei)
                        set_entity_named(out, fs, ms, es, fe, true);
        }
}

static void set_entity(enr_quote_t *out, const enr_fields_t *fs,
                       const enr_mentions_t *ms, const enr_entities_t *es,
                       int32_t ei) {
        set_entity_named(out, fs, ms, es, ei, false);
}

/* Fills the speaker of out from the subject tokens of at. */
static void resolve_speaker(const enr_quotes_t *q, enr_quotes_scratch_t *s,
                            const enr_fields_t *fs, const enr_mentions_t *ms,
                            const enr_entities_t *es, int f, const attrib_t *at,
                            enr_quote_t *out) {
        const enr_text_t *t = fs->text[f];
        size_t            i, head = (size_t)-1;
        int32_t           m, ei;
        bool              definite = false;

        out->entity    = -1;
        out->kind      = ENR_SPEAKER_NONE;
        out->spk_field = (uint8_t)f;
        out->spk_start = out->spk_end = 0;
        if (at->s0 >= at->s1)
                return;
        out->spk_start = t->toks[at->s0].start;
        out->spk_end   = t->toks[at->s1 - 1].end;
        if (at->s1 - at->s0 == 1 && is_pronoun(t, at->s0)) {
                char want = enr_tok_ieq(t, at->s0, "he")    ? 'm'
                            : enr_tok_ieq(t, at->s0, "she") ? 'f'
                                                            : 0;
                if (!want)
                        return;
                ei = resolve_pronoun(q, s, fs, ms, es, f, at->s0, want);
                if (ei >= 0)
                        set_entity(out, fs, ms, es, ei);
                return;
        }
        for (i = at->s0; i < at->s1; i++) {
                /* The first name, or a person's after a role ("music
                 * director Charles Hazlewood said"). */
                if ((m = mention_at(s, f, i, t)) >= 0 &&
                    (head == (size_t)-1 || ms->v[m].type == ENR_ENT_PERSON)) {
                        size_t e = i;
                        while (e < at->s1 && mention_at(s, f, e, t) == m)
                                e++;
                        if (e < at->s1 && is_lower_word(t, e) && i > at->s0) {
                                i = e - 1; /* A modifier of the head. */
                                continue;
                        }
                        ei = ms->v[m].entity;
                        if (ei >= 0 && (size_t)ei < es->n) {
                                set_entity(out, fs, ms, es, ei);
                                return;
                        }
                }
                if (enr_tok_ieq(t, i, "the"))
                        definite = true;
                if (enr_tok_in(t, i, determiners) || is_upper(t, i) ||
                    tok_is_char(t, i, '.'))
                        continue;
                if (enr_tok_ieq(t, i, "of") || enr_tok_ieq(t, i, "for") ||
                    enr_tok_ieq(t, i, "at"))
                        break;
                if (is_lower_word(t, i))
                        head = i;
        }
        out->kind = ENR_SPEAKER_NOMINAL;
        if (head != (size_t)-1 && definite &&
            (ei = resolve_role(fs, s, f, at->s0, head)) >= 0)
                set_entity(out, fs, ms, es, ei);
}

/* ---- Extraction ----------------------------------------------------- */

/* Whether the field has any token that may be a quotation mark. */
static bool has_marks(const enr_text_t *t) {
        for (size_t i = 0; i < t->ntoks; i++) {
                const unsigned char *u;
                if (t->toks[i].kind != ENR_TOK_PUNCT)
                        continue;
                u = (const unsigned char *)enr_tok_ptr(t, i);
                if (*u == '"' || *u == '\'' || *u == '`' ||
                    (*u == 0xE2 && u[1] == 0x80 && u[2] >= 0x98 &&
                     u[2] <= 0x9E) ||
                    (*u == 0xC2 && (u[1] == 0xAB || u[1] == 0xBB)))
                        return true;
        }
        return false;
}

/* Whether token j begins its sentence, but for capitalised words before it
 * ("Foreign Minister Smith"). */
static bool sentence_initial(const enr_text_t *t, size_t j) {
        size_t st = t->sents[t->toks[j].sent].tok_start;

        for (; st < j; st++)
                if (!is_upper(t, st) && !tok_is_char(t, st, '.'))
                        return false;
        return true;
}

/* Maps tokens to name mentions and lists persons outside quotations. */
static enr_err_t index_mentions(enr_quotes_scratch_t *s, const enr_fields_t *fs,
                                const enr_mentions_t *ms,
                                const enr_entities_t *es) {
        enr_err_t err;
        size_t    i, k;

        for (int f = 0; f < 2; f++) {
                const enr_text_t *t = fs->text[f];
                size_t            n = t ? t->ntoks : 0;
                if ((err = enr_grow((void **)&s->tokmap[f], &s->tokmap_cap[f],
                                    n + 1, sizeof(int32_t), 256)) ||
                    (err = enr_grow((void **)&s->inq[f], &s->inq_cap[f], n + 1,
                                    1, 256)))
                        return err;
                for (i = 0; i < n; i++)
                        s->tokmap[f][i] = -1;
                memset(s->inq[f], 0, n + 1);
        }
        if ((err = enr_grow((void **)&s->gender, &s->gender_cap, es->n + 1, 1,
                            64)))
                return err;
        memset(s->gender, 0, es->n + 1);
        for (k = 0; k < s->ncands; k++) {
                const cand_t *c = &s->cands[k];
                /* cands of both fields: field kept in the high bit. */
                int f = (c->para >> 31) & 1;
                for (i = c->a; i < c->b; i++)
                        s->inq[f][i] = 1;
        }
        s->npersons = 0;
        for (i = 0; i < ms->n; i++) {
                const enr_mention_t *m = &ms->v[i];
                const enr_text_t    *t = fs->text[m->field & 1];
                size_t               j;
                if (!t || m->entity < 0 || (size_t)m->entity >= es->n ||
                    !enr_ent_type_is_name((enr_ent_type_t)m->type))
                        continue;
                j = tok_index(t, m->start);
                if (j >= t->ntoks)
                        continue;
                if (m->type == ENR_ENT_PERSON && !s->inq[m->field & 1][j]) {
                        pmention_t *p;
                        if ((err = enr_grow((void **)&s->persons,
                                            &s->persons_cap, s->npersons + 1,
                                            sizeof(*s->persons), 32)))
                                return err;
                        p          = &s->persons[s->npersons++];
                        p->field   = m->field & 1;
                        p->tok     = (uint32_t)j;
                        p->entity  = (uint32_t)m->entity;
                        p->subject = sentence_initial(t, j);
                }
                for (; j < t->ntoks && t->toks[j].start < m->end; j++)
                        s->tokmap[m->field & 1][j] = (int32_t)i;
        }
        return ENR_OK;
}

static int cmp_pmention(const void *a, const void *b) {
        const pmention_t *x = a, *y = b;
        if (x->field != y->field)
                return x->field < y->field ? -1 : 1;
        return x->tok < y->tok ? -1 : x->tok > y->tok;
}

/* Counts the words of c and tells whether it ends in punctuation and
 * looks like a title (every word capitalised but small ones). */
static size_t shape(const enr_text_t *t, const cand_t *c, bool *punct,
                    bool *titlecase) {
        size_t i, words = 0, upper = 0, lower = 0;
        size_t last = c->b - 1;

        for (i = c->a; i < c->b; i++) {
                if (t->toks[i].kind == ENR_TOK_NUMBER) {
                        words++;
                        continue;
                }
                if (t->toks[i].kind != ENR_TOK_WORD ||
                    (t->toks[i].flags & ENR_TOKF_CLITIC))
                        continue;
                words++;
                if (t->toks[i].flags & ENR_TOKF_UPPER_INITIAL)
                        upper++;
                else if (!enr_tok_in(t, i, title_small))
                        lower++;
        }
        *punct = t->toks[last].kind == ENR_TOK_PUNCT &&
                 (tok_is_char(t, last, ',') || tok_is_char(t, last, '.') ||
                  tok_is_char(t, last, '?') || tok_is_char(t, last, '!') ||
                  tok_is_char(t, last, ':') || enr_tok_len(t, last) > 1);
        *titlecase = upper && !lower;
        return words;
}

/* Whether the mark at token i starts a sentence (or follows a colon). */
static bool starts_sentence(const enr_text_t *t, size_t i) {
        return (t->toks[i].flags &
                (ENR_TOKF_SENT_START | ENR_TOKF_PARA_START)) ||
               (i > 0 &&
                (tok_is_char(t, i - 1, ':') || tok_is_char(t, i - 1, '-') ||
                 enr_tok_len(t, i - 1) == 3 /* — */));
}

/* Whether the closing mark of c ends its sentence. */
static bool ends_sentence(const enr_text_t *t, const cand_t *c, bool punct) {
        size_t j = c->close + mark_len(t, c->close);

        if (!c->closed || j >= t->ntoks)
                return true;
        return (punct && !tok_is_char(t, c->b - 1, ',')) ||
               tok_is_char(t, j, '.') || tok_is_char(t, j, ';') ||
               (t->toks[j].flags & ENR_TOKF_SENT_START);
}

enr_err_t enr_quotes_extract(const enr_quotes_t *q, enr_quotes_scratch_t *s,
                             const enr_fields_t *fs, const enr_mentions_t *ms,
                             const enr_entities_t *es, size_t max,
                             const enr_quote_t **out, size_t *nout) {
        enr_err_t   err = ENR_OK;
        size_t      k, p, nf[2] = {0, 0};
        bool        any = false;
        enr_quote_t prev;
        bool        have_prev  = false;
        uint32_t    prev_para  = 0;
        int         prev_field = -1;
        bool        prev_open  = false;

        s->n            = 0;
        s->ncands       = 0;
        s->ms           = ms;
        s->last_speaker = -1;
        *out            = s->v;
        *nout           = 0;
        for (int f = 0; f < 2; f++)
                any = any || (fs->text[f] && has_marks(fs->text[f]));
        if (!any)
                return ENR_OK;
        for (int f = 0; f < 2; f++) {
                const enr_text_t *t    = fs->text[f];
                size_t            from = s->ncands;
                if (!t)
                        continue;
                for (p = 0; p < t->nparas; p++)
                        if ((err = scan_paragraph(s, t, (uint32_t)p)))
                                goto fail;
                for (k = from; k < s->ncands; k++)
                        s->cands[k].para |= (uint32_t)f << 31;
                nf[f] = s->ncands - from;
        }
        if (!s->ncands)
                return ENR_OK;
        if ((err = index_mentions(s, fs, ms, es)))
                goto fail;
        if (s->npersons) /* NULL until an article has persons. */
                qsort(s->persons, s->npersons, sizeof(*s->persons),
                      cmp_pmention);
        memset(&prev, 0, sizeof(prev));
        for (k = 0; k < s->ncands; k++) {
                const cand_t     *c    = &s->cands[k];
                int               f    = (c->para >> 31) & 1;
                uint32_t          para = c->para & 0x7FFFFFFFu;
                const enr_text_t *t    = fs->text[f];
                size_t            pbeg = t->paras[para].tok_start;
                size_t            pend = t->paras[para].tok_end;
                attrib_t          at   = {-1, 0, 0, false};
                bool              found, punct, title, keep = false;
                bool              inherit = false, same_para, cont;
                size_t            words   = shape(t, c, &punct, &title);
                enr_quote_t       qt;

                same_para = have_prev && prev_field == f && prev_para == para;
                cont      = have_prev && prev_field == f && prev_open &&
                       prev_para + 1 == para && c->open == pbeg;
                found = attrib_after(q, s, t, f, c, pend, &at) ||
                        attrib_before(q, s, t, f, c, pbeg, &at);
                if (c->single && !found)
                        continue;
                if (found && at.verb < 0) {
                        keep = words >= 2 && !title;
                } else if (found) {
                        if (words >= 2 && title)
                                keep = at.adjacent && punct &&
                                       starts_sentence(t, c->open);
                        else if (words >= 2)
                                keep = at.adjacent || words >= 4 ||
                                       ends_sentence(t, c, punct);
                        else if (words == 1)
                                keep = at.adjacent && punct &&
                                       !tok_is_char(t, c->b - 1, ',') &&
                                       starts_sentence(t, c->open);
                } else if (cont) {
                        keep    = words >= 1;
                        inherit = true;
                } else if (starts_sentence(t, c->open) && !title &&
                           (words >= 4 || (same_para && punct && words >= 2))) {
                        keep    = true;
                        inherit = true;
                }
                if (!keep)
                        continue;
                memset(&qt, 0, sizeof(qt));
                qt.field    = (uint8_t)f;
                qt.start    = t->toks[c->a].start;
                qt.end      = t->toks[c->b - 1].end;
                qt.cp_start = t->toks[c->a].cp_start;
                qt.cp_end   = t->toks[c->b - 1].cp_end;
                qt.verb = at.verb >= 0 ? (uint8_t)at.verb : ENR_QUOTE_NO_VERB;
                if (inherit) {
                        qt.entity = -1;
                        if (have_prev && prev_field == f &&
                            para - prev_para <= 2) {
                                qt.kind      = prev.kind;
                                qt.entity    = prev.entity;
                                qt.spk_field = prev.spk_field;
                                qt.spk_start = prev.spk_start;
                                qt.spk_end   = prev.spk_end;
                                if (same_para || cont)
                                        qt.verb = prev.verb;
                        }
                } else {
                        resolve_speaker(q, s, fs, ms, es, f, &at, &qt);
                }
                if (max && s->n >= max)
                        break;
                if ((err = enr_grow((void **)&s->v, &s->cap, s->n + 1,
                                    sizeof(*s->v), 16)))
                        goto fail;
                s->v[s->n++] = qt;
                if (qt.kind == ENR_SPEAKER_PERSON)
                        s->last_speaker = qt.entity;
                prev       = qt;
                have_prev  = true;
                prev_field = f;
                prev_para  = para;
                prev_open  = !c->closed;
        }
        (void)nf;
        *out  = s->v;
        *nout = s->n;
        return ENR_OK;
fail:
        s->n = 0;
        return err;
}
