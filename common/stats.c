/*
 * Text statistics of an article: counts, syllables, readability formulas,
 * reading time, lexical density and keywords.
 *
 * Input is the token analysis of the body (and of the title, for keywords
 * only) made by text.c; tokens at or after body_end_tok (trailing
 * boilerplate) are ignored. Nothing is allocated per article once the
 * per-thread scratch's hash table has grown to the largest article.
 *
 * Counting rules (also in tests/data/STATS_RULES.md):
 * - characters: code points of the body up to the boilerplate.
 * - words: WORD, NUMBER, URL and EMAIL tokens except clitics ('s, n't …),
 *   so "Israel’s" and "don't" are one word each. Punctuation, symbols and
 *   emoji are not words.
 * - letters: letters and digits (code points) of WORD and NUMBER tokens,
 *   clitics included.
 * - unique_words: distinct words after lower-casing (enr_tok_lower; words
 *   compare on their first 255 bytes).
 * - sentences, paragraphs: those of text.c holding at least one word.
 * - syllables: per word, by the heuristic of enr_stats_syllables() on the
 *   lower-cased word with Latin-1 accented vowels folded to a e i o u y;
 *   numbers, URLs and e-mail addresses count one syllable. ALL-CAPITAL
 *   words of two or three letters that are not stopwords are read letter
 *   by letter ("UK": 2, "IBM": 3).
 * - The heuristic splits the word at hyphens and other non-letters
 *   (apostrophes are dropped) and, for each part:
 *   1. takes the count from a small exception table when listed;
 *   2. drops a silent final "e" (not in consonant + "le", not after a
 *      vowel), a silent "-es" (kept after s x z ch sh c g) and a silent
 *      "-ed" (kept after t d and consonant + l);
 *   3. counts groups of vowels a e i o u, y being a vowel except at the
 *      start and between two vowels;
 *   4. adds one for vowel pairs that are two syllables ("ia" not after
 *      c t g s l, "io" not after t s c x g l n, "eo" not after g p, "ua"
 *      not after q g, "iu", "uo" not after q), for consonant + "yi", vowel
 *      + "ing", "creat-", "ciat" and a final "ism";
 *   5. subtracts one for "-ically" and for the silent inner e of the
 *      suffixes -ely -eful -efully -eless -ement -ements -eness -ety after
 *      a consonant (not after consonant + l);
 *   6. reads a part without any vowel letter by letter ("bbc": 3, "w"
 *      counting 3); otherwise never returns less than one.
 *   On the 17,082 distinct words of the BBC news sample found in CMUdict,
 *   the count equals one of CMUdict's pronunciations for 95% of the words
 *   and 99% of the word occurrences.
 * - polysyllables: words of three or more syllables (also the "complex
 *   words" of the Gunning fog index); long_words: seven letters or more.
 * - content_words: words that are not function words (the SW_FUNC entries
 *   of the stopword table: articles, pronouns, prepositions, conjunctions,
 *   auxiliaries, quantifiers); lexical_density = content_words / words.
 * - keywords: from title and body, lower-cased words made of letters only
 *   (inner hyphens and apostrophes allowed), at least two letters, fewer
 *   than 64 bytes, not a stopword (function words plus news fillers such
 *   as "said", "says", "mr", "year"); possessive clitics are separate
 *   tokens so "Israel’s" counts for "israel". Ordered by count descending,
 *   then by word (bytewise) ascending.
 *
 * Formulas (as textstat): with ASL = words / sentences and ASW = syllables
 * / words,
 *   Flesch reading ease   = 206.835 - 1.015 ASL - 84.6 ASW
 *   Flesch-Kincaid grade  = 0.39 ASL + 11.8 ASW - 15.59
 *   Gunning fog           = 0.4 (ASL + 100 polysyllables / words)
 *   SMOG                  = 1.0430 sqrt(polysyllables * 30 / sentences)
 *                           + 3.1291
 *   Coleman-Liau          = 0.0588 L - 0.296 S - 15.8, L = letters per 100
 *                           words, S = sentences per 100 words
 *   ARI                   = 4.71 letters / words + 0.5 ASL - 21.43
 *   reading time          = words / wpm * 60 seconds
 * Every formula is 0 when there are no words or no sentences.
 */
#include "enricher/stats.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The longest lower-cased word compared, in bytes. */
#define MAX_WORD 256

/* The longest word part the syllable counter looks at. */
#define MAX_PART 64

/* The most table slots (2^26: 32 million words per article). */
#define MAX_SLOTS ((size_t)1 << 26)

/* Kinds of stopwords. */
enum {
        SW_FUNC = 1, /* A function word: not a content word. */
        SW_NEWS = 2  /* A content word too common in news to be a keyword. */
};

/* The stopword table, sorted bytewise for binary search. */
static const struct stopword {
        const char *w;
        int         kind;
} stopwords[] = {
    {"a", SW_FUNC},          {"about", SW_FUNC},      {"above", SW_FUNC},
    {"according", SW_NEWS},  {"across", SW_FUNC},     {"after", SW_FUNC},
    {"again", SW_FUNC},      {"against", SW_FUNC},    {"all", SW_FUNC},
    {"along", SW_FUNC},      {"also", SW_FUNC},       {"although", SW_FUNC},
    {"am", SW_FUNC},         {"amid", SW_FUNC},       {"among", SW_FUNC},
    {"an", SW_FUNC},         {"and", SW_FUNC},        {"another", SW_FUNC},
    {"any", SW_FUNC},        {"are", SW_FUNC},        {"around", SW_FUNC},
    {"as", SW_FUNC},         {"at", SW_FUNC},         {"be", SW_FUNC},
    {"because", SW_FUNC},    {"been", SW_FUNC},       {"before", SW_FUNC},
    {"behind", SW_FUNC},     {"being", SW_FUNC},      {"below", SW_FUNC},
    {"beside", SW_FUNC},     {"besides", SW_FUNC},    {"between", SW_FUNC},
    {"beyond", SW_FUNC},     {"both", SW_FUNC},       {"but", SW_FUNC},
    {"by", SW_FUNC},         {"ca", SW_FUNC},         {"can", SW_FUNC},
    {"cannot", SW_FUNC},     {"could", SW_FUNC},      {"despite", SW_FUNC},
    {"did", SW_FUNC},        {"do", SW_FUNC},         {"does", SW_FUNC},
    {"doing", SW_FUNC},      {"down", SW_FUNC},       {"dr", SW_NEWS},
    {"during", SW_FUNC},     {"each", SW_FUNC},       {"either", SW_FUNC},
    {"every", SW_FUNC},      {"except", SW_FUNC},     {"few", SW_FUNC},
    {"for", SW_FUNC},        {"from", SW_FUNC},       {"further", SW_FUNC},
    {"get", SW_NEWS},        {"got", SW_NEWS},        {"had", SW_FUNC},
    {"has", SW_FUNC},        {"have", SW_FUNC},       {"having", SW_FUNC},
    {"he", SW_FUNC},         {"hence", SW_FUNC},      {"her", SW_FUNC},
    {"here", SW_FUNC},       {"hers", SW_FUNC},       {"herself", SW_FUNC},
    {"him", SW_FUNC},        {"himself", SW_FUNC},    {"his", SW_FUNC},
    {"how", SW_FUNC},        {"however", SW_FUNC},    {"i", SW_FUNC},
    {"if", SW_FUNC},         {"in", SW_FUNC},         {"inside", SW_FUNC},
    {"into", SW_FUNC},       {"is", SW_FUNC},         {"it", SW_FUNC},
    {"its", SW_FUNC},        {"itself", SW_FUNC},     {"just", SW_FUNC},
    {"let", SW_FUNC},        {"like", SW_NEWS},       {"made", SW_NEWS},
    {"make", SW_NEWS},       {"many", SW_FUNC},       {"may", SW_FUNC},
    {"me", SW_FUNC},         {"might", SW_FUNC},      {"more", SW_FUNC},
    {"most", SW_FUNC},       {"mr", SW_NEWS},         {"mrs", SW_NEWS},
    {"ms", SW_NEWS},         {"much", SW_FUNC},       {"must", SW_FUNC},
    {"my", SW_FUNC},         {"myself", SW_FUNC},     {"near", SW_FUNC},
    {"neither", SW_FUNC},    {"new", SW_NEWS},        {"no", SW_FUNC},
    {"nor", SW_FUNC},        {"not", SW_FUNC},        {"now", SW_FUNC},
    {"of", SW_FUNC},         {"off", SW_FUNC},        {"on", SW_FUNC},
    {"once", SW_FUNC},       {"one", SW_NEWS},        {"only", SW_FUNC},
    {"onto", SW_FUNC},       {"or", SW_FUNC},         {"other", SW_FUNC},
    {"ought", SW_FUNC},      {"our", SW_FUNC},        {"ours", SW_FUNC},
    {"ourselves", SW_FUNC},  {"out", SW_FUNC},        {"outside", SW_FUNC},
    {"over", SW_FUNC},       {"own", SW_FUNC},        {"per", SW_FUNC},
    {"said", SW_NEWS},       {"same", SW_FUNC},       {"say", SW_NEWS},
    {"says", SW_NEWS},       {"several", SW_FUNC},    {"sha", SW_FUNC},
    {"shall", SW_FUNC},      {"she", SW_FUNC},        {"should", SW_FUNC},
    {"since", SW_FUNC},      {"so", SW_FUNC},         {"some", SW_FUNC},
    {"such", SW_FUNC},       {"than", SW_FUNC},       {"that", SW_FUNC},
    {"the", SW_FUNC},        {"their", SW_FUNC},      {"theirs", SW_FUNC},
    {"them", SW_FUNC},       {"themselves", SW_FUNC}, {"then", SW_FUNC},
    {"there", SW_FUNC},      {"therefore", SW_FUNC},  {"these", SW_FUNC},
    {"they", SW_FUNC},       {"this", SW_FUNC},       {"those", SW_FUNC},
    {"though", SW_FUNC},     {"through", SW_FUNC},    {"thus", SW_FUNC},
    {"to", SW_FUNC},         {"told", SW_NEWS},       {"too", SW_FUNC},
    {"toward", SW_FUNC},     {"towards", SW_FUNC},    {"two", SW_NEWS},
    {"under", SW_FUNC},      {"unless", SW_FUNC},     {"until", SW_FUNC},
    {"up", SW_FUNC},         {"upon", SW_FUNC},       {"us", SW_FUNC},
    {"very", SW_FUNC},       {"via", SW_FUNC},        {"was", SW_FUNC},
    {"we", SW_FUNC},         {"were", SW_FUNC},       {"what", SW_FUNC},
    {"whatever", SW_FUNC},   {"when", SW_FUNC},       {"whenever", SW_FUNC},
    {"where", SW_FUNC},      {"wherever", SW_FUNC},   {"whether", SW_FUNC},
    {"which", SW_FUNC},      {"whichever", SW_FUNC},  {"while", SW_FUNC},
    {"who", SW_FUNC},        {"whoever", SW_FUNC},    {"whom", SW_FUNC},
    {"whose", SW_FUNC},      {"why", SW_FUNC},        {"will", SW_FUNC},
    {"with", SW_FUNC},       {"within", SW_FUNC},     {"without", SW_FUNC},
    {"wo", SW_FUNC},         {"would", SW_FUNC},      {"year", SW_NEWS},
    {"years", SW_NEWS},      {"yet", SW_FUNC},        {"you", SW_FUNC},
    {"your", SW_FUNC},       {"yours", SW_FUNC},      {"yourself", SW_FUNC},
    {"yourselves", SW_FUNC},
};

/* Words whose syllables the rules get wrong, sorted bytewise. */
static const struct syl_exception {
        const char *w;
        unsigned    n;
} syl_exceptions[] = {
    {"alliance", 3},     {"angeles", 3},
    {"anxiety", 4},      {"anyone", 3},
    {"area", 3},         {"areas", 3},
    {"audience", 3},     {"audiences", 4},
    {"behaviour", 3},    {"business", 2},
    {"businesses", 3},   {"california", 4},
    {"centre", 2},       {"centres", 2},
    {"client", 2},       {"clients", 2},
    {"colleague", 2},    {"colleagues", 2},
    {"comeback", 2},     {"desire", 3},
    {"diet", 2},         {"earlier", 3},
    {"easier", 3},       {"edinburgh", 4},
    {"element", 3},      {"elements", 3},
    {"elsewhere", 2},    {"entire", 3},
    {"european", 4},     {"europeans", 4},
    {"evening", 2},      {"everybody", 4},
    {"everyone", 3},     {"everything", 3},
    {"experience", 4},   {"forecast", 2},
    {"forecasts", 2},    {"genre", 2},
    {"genuine", 3},      {"giant", 2},
    {"giants", 2},       {"hopefully", 3},
    {"household", 2},    {"households", 2},
    {"idea", 3},         {"ideas", 3},
    {"influence", 3},    {"jose", 2},
    {"league", 1},       {"leagues", 1},
    {"leicester", 2},    {"lion", 2},
    {"lions", 2},        {"maybe", 2},
    {"mrs", 2},          {"ms", 1},
    {"naive", 2},        {"negotiation", 5},
    {"negotiations", 5}, {"nuclear", 3},
    {"parliament", 3},   {"parliamentary", 5},
    {"poem", 2},         {"poems", 2},
    {"poet", 2},         {"poetry", 3},
    {"quiet", 2},        {"reality", 4},
    {"recipe", 3},       {"science", 2},
    {"sciences", 3},     {"shareholder", 3},
    {"shareholders", 3}, {"sideways", 2},
    {"society", 4},      {"somehow", 2},
    {"someone", 2},      {"something", 2},
    {"sometimes", 2},    {"somewhere", 2},
    {"spokesman", 2},    {"spokesmen", 2},
    {"spokeswoman", 3},  {"spokeswomen", 3},
    {"st", 1},           {"takeover", 3},
    {"takeovers", 3},    {"theatre", 3},
    {"therefore", 2},    {"usa", 3},
    {"variety", 4},      {"wednesday", 2},
    {"william", 2},      {"williams", 2},
};

/*
 * One slot of the open-addressing table of distinct words. What depends on
 * the lower-cased word alone is computed once, when the word is added.
 */
typedef struct slot {
        uint32_t gen;     /* The computation that filled it (else empty). */
        uint32_t hash;    /* FNV-1a of the lower-cased word. */
        uint32_t tok;     /* A token holding the word. */
        uint32_t kw;      /* Occurrences counted for keywords. */
        uint16_t letters; /* Letters and digits (capped). */
        uint8_t  syl;     /* Syllables (capped at 255). */
        uint8_t  sw;      /* SW_* kind, or 0. */
        uint8_t  field;   /* 0: title, 1: body. */
        uint8_t  in_body; /* The word occurs in the counted body. */
        uint8_t  keyword; /* The word may be a keyword. */
} slot_t;

struct enr_stats_scratch {
        slot_t   *slots;
        size_t    cap;  /* A power of two, or 0. */
        uint32_t *used; /* Slots filled by this computation, cap / 2. */
        size_t    nused;
        uint32_t  gen; /* Stamp of the current computation. */
        char      a[MAX_WORD];
};

enr_stats_scratch_t *enr_stats_scratch_new(void) {
        return calloc(1, sizeof(enr_stats_scratch_t));
}

void enr_stats_scratch_destroy(enr_stats_scratch_t *s) {
        if (!s)
                return;
        free(s->slots);
        free(s->used);
        free(s);
}

/* Compares w[0..len) with the string key, bytewise. */
static int cmp_str_n(const char *w, size_t len, const char *key) {
        size_t i;

        for (i = 0; i < len && key[i]; i++) {
                if (w[i] != key[i])
                        return (unsigned char)w[i] - (unsigned char)key[i];
        }
        if (i < len)
                return 1;
        return key[i] ? -1 : 0;
}

/* The SW_* kind of a lower-cased word, or 0. */
static int stopword_kind(const char *w, size_t len) {
        size_t lo = 0, hi = sizeof(stopwords) / sizeof(stopwords[0]);

        if (len > 10 || len == 0 || w[0] < 'a' || w[0] > 'y')
                return 0; /* No stopword is longer. */
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int    c   = cmp_str_n(w, len, stopwords[mid].w);

                if (!c)
                        return stopwords[mid].kind;
                if (c < 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return 0;
}

int enr_stats_is_stopword(const char *word, size_t len) {
        return stopword_kind(word, len) != 0;
}

static unsigned syl_exception(const char *w, size_t len) {
        size_t lo = 0, hi = sizeof(syl_exceptions) / sizeof(syl_exceptions[0]);

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int    c   = cmp_str_n(w, len, syl_exceptions[mid].w);

                if (!c)
                        return syl_exceptions[mid].n;
                if (c < 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return 0;
}

static inline bool is_vowel(char c) {
        return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static inline bool is_cons(char c) {
        return c >= 'a' && c <= 'z' && !is_vowel(c) && c != 'y';
}

static bool ends_with(const char *w, size_t n, const char *suf) {
        size_t k = strlen(suf);

        return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/* Whether c is one of the letters of set (c is never '\0' here). */
static inline bool in_set(char c, const char *set) {
        return c && strchr(set, c) != NULL;
}

/*
 * Vowel pairs and other spellings of w[0..m) that are one syllable more
 * than their vowel groups say.
 */
static unsigned extra_syllables(const char *w, size_t m) {
        unsigned adj = 0;
        size_t   i;

        for (i = 0; i + 1 < m; i++) {
                char a = w[i], b = w[i + 1], p = i ? w[i - 1] : '\0';

                if (a == 'i') {
                        if (b == 'a' && !in_set(p, "ctgsl"))
                                adj++; /* "media" */
                        else if (b == 'o' && !in_set(p, "tscxgln"))
                                adj++; /* "radio" */
                        else if (b == 'u')
                                adj++; /* "premium" */
                } else if (a == 'e' && b == 'o') {
                        adj += !in_set(p, "gp"); /* "video" */
                } else if (a == 'u' && b == 'a') {
                        adj += !in_set(p, "qg"); /* "actual" */
                } else if (a == 'u' && b == 'o') {
                        adj += p != 'q'; /* "continuous" */
                } else if (a == 'y' && b == 'i') {
                        adj += is_cons(p); /* "trying" */
                } else if (a == 'c' && b == 'i' && i + 3 < m &&
                           w[i + 2] == 'a' && w[i + 3] == 't') {
                        adj++; /* "associate" */
                }
        }
        return adj;
}

/* The syllables of one part of a word: lower-case ASCII letters only. */
static unsigned part_syllables(const char *w, size_t n) {
        static const char *const silent_sfx[] = {"ely",   "eful",  "efully",
                                                 "eless", "ement", "ements",
                                                 "eness", "ety",   NULL};
        unsigned                 groups = 0, adj = 0, k;
        size_t                   m          = n, i;
        bool                     prev_vowel = false;

        if (n == 0)
                return 0;
        if ((k = syl_exception(w, n)))
                return k;
        if (n > 3 && ends_with(w, n, "es")) {
                char c = w[n - 3];

                if (!(c == 's' || c == 'x' || c == 'z' || c == 'c' ||
                      c == 'g' ||
                      (c == 'h' && (w[n - 4] == 'c' || w[n - 4] == 's')))) {
                        if (c == 'l' && is_cons(w[n - 4]))
                                m = n - 1; /* "tables": like "table". */
                        else
                                m = n - 2;
                }
        } else if (n > 3 && ends_with(w, n, "ed")) {
                if (w[n - 3] != 't' && w[n - 3] != 'd' &&
                    !(w[n - 3] == 'l' && is_cons(w[n - 4])))
                        m = n - 2;
        } else if (n > 2 && w[n - 1] == 'e') {
                char c = w[n - 2];

                if (!(c == 'l' && is_cons(w[n - 3])) && !is_vowel(c))
                        m = n - 1;
        }
        for (i = 0; i < m; i++) {
                char c = w[i];
                bool v = is_vowel(c);

                if (c == 'y')
                        v = i > 0 &&
                            !(prev_vowel && i + 1 < m && is_vowel(w[i + 1]));
                if (v && !prev_vowel)
                        groups++;
                prev_vowel = v;
        }
        adj += extra_syllables(w, m);
        if (n > 4 && ends_with(w, n, "ing") && is_vowel(w[n - 4]))
                adj++;
        if (n > 5 && memcmp(w, "creat", 5) == 0)
                adj++;
        if (n > 4 && ends_with(w, n, "ism"))
                adj++;
        if (!groups) {
                /* No vowel at all: an acronym read letter by letter. */
                for (i = 0; i < n && !is_vowel(w[i]) && w[i] != 'y'; i++)
                        groups += w[i] == 'w' ? 3 : 1;
                return i == n ? groups : 1;
        }
        groups += adj;
        if (n > 6 && ends_with(w, n, "ically"))
                groups--; /* "basically": -cal-ly. */
        for (k = 0; silent_sfx[k]; k++) {
                size_t sl = strlen(silent_sfx[k]);

                if (n >= sl + 2 && ends_with(w, n, silent_sfx[k]) &&
                    is_cons(w[n - sl - 1]) &&
                    !(w[n - sl - 1] == 'l' && is_cons(w[n - sl - 2]))) {
                        if (groups > 1)
                                groups--;
                        break;
                }
        }
        return groups ? groups : 1;
}

unsigned enr_stats_syllables(const char *word, size_t len) {
        char     part[MAX_PART];
        size_t   n     = 0, i;
        unsigned total = 0;

        for (i = 0; i <= len; i++) {
                char c = i < len ? word[i] : '\0';

                if (c >= 'A' && c <= 'Z')
                        c = (char)(c | 0x20);
                if (c >= 'a' && c <= 'z') {
                        if (n < MAX_PART)
                                part[n++] = c;
                        continue;
                }
                if (c == '\'')
                        continue;
                total += part_syllables(part, n);
                n = 0;
        }
        return total ? total : 1;
}

/*
 * Folds a lower-cased UTF-8 word to the ASCII letters the syllable counter
 * reads: Latin-1 vowels to their base letter, other letters to 'x'.
 */
static size_t fold_ascii(const char *w, size_t n, char *out, size_t size) {
        static const char    latin1[] = "aaaaaaaceeeeiiii"
                                        "dnooooo/ouuuuyty";
        const unsigned char *u        = (const unsigned char *)w;
        size_t               i = 0, o = 0;

        while (i < n && o + 1 < size) {
                unsigned c = u[i];

                if (c < 0x80) {
                        out[o++] = (char)c;
                        i++;
                } else if (c == 0xC3 && i + 1 < n && u[i + 1] >= 0xA0 &&
                           u[i + 1] <= 0xBF) {
                        out[o++] = latin1[u[i + 1] - 0xA0];
                        i += 2;
                } else {
                        out[o++] = 'x';
                        i++;
                        while (i < n && (u[i] & 0xC0) == 0x80)
                                i++;
                }
        }
        return o;
}

/* FNV-1a. */
static uint32_t hash_bytes(const char *s, size_t n) {
        uint32_t h = 2166136261u;
        size_t   i;

        for (i = 0; i < n; i++) {
                h ^= (unsigned char)s[i];
                h *= 16777619u;
        }
        return h;
}

/* Makes room for at least n distinct words; clears the table. */
static enr_err_t table_prepare(enr_stats_scratch_t *s, size_t n) {
        size_t cap = 64;

        while (cap < 2 * n && cap < MAX_SLOTS)
                cap *= 2;
        if (n > cap / 2)
                return ENR_ERR_LIMIT;
        if (cap > s->cap) {
                slot_t   *p = calloc(cap, sizeof(*p));
                uint32_t *u = malloc(cap / 2 * sizeof(*u));

                if (!p || !u) {
                        free(p);
                        free(u);
                        return ENR_ERR_NOMEM;
                }
                free(s->slots);
                free(s->used);
                s->slots = p;
                s->used  = u;
                s->cap   = cap;
                s->gen   = 0;
        }
        if (++s->gen == 0) {
                memset(s->slots, 0, s->cap * sizeof(*s->slots));
                s->gen = 1;
        }
        s->nused = 0;
        return ENR_OK;
}

/*
 * Whether token i of t lower-cases to w[0..n): ASCII tokens compare in
 * place, others through enr_tok_lower().
 */
static bool tok_lower_eq(const enr_text_t *t, size_t i, const char *w,
                         size_t n) {
        const unsigned char *u   = (const unsigned char *)enr_tok_ptr(t, i);
        size_t               len = enr_tok_len(t, i), k;
        char                 buf[MAX_WORD];

        if (!(t->toks[i].flags & ENR_TOKF_NON_ASCII)) {
                if (len != n && !(len >= MAX_WORD && n == MAX_WORD - 1))
                        return false;
                for (k = 0; k < n; k++) {
                        unsigned c = u[k];

                        if (c >= 'A' && c <= 'Z')
                                c |= 0x20;
                        if (c != (unsigned char)w[k])
                                return false;
                }
                return true;
        }
        return enr_tok_lower(t, i, buf, sizeof(buf)) == n &&
               memcmp(buf, w, n) == 0;
}

/* Whether a lower-cased word may be a keyword (see the rules above). */
static bool   keyword_shape(const char *w, size_t n);
static size_t count_letters(const char *w, size_t n);

/*
 * Finds or adds the word w (lower-cased, n bytes) of token i of field f.
 * Returns its slot.
 */
static slot_t *table_add(enr_stats_scratch_t *s, const enr_text_t *const *tx,
                         int f, size_t i, const char *w, size_t n) {
        uint32_t h    = hash_bytes(w, n);
        size_t   mask = s->cap - 1, k = h & mask;
        int      kind = tx[f]->toks[i].kind;

        for (;; k = (k + 1) & mask) {
                slot_t *sl = &s->slots[k];

                if (sl->gen != s->gen) {
                        size_t letters = count_letters(w, n);

                        sl->gen     = s->gen;
                        sl->hash    = h;
                        sl->tok     = (uint32_t)i;
                        sl->field   = (uint8_t)f;
                        sl->in_body = 0;
                        sl->kw      = 0;
                        sl->sw      = (uint8_t)stopword_kind(w, n);
                        sl->keyword = kind == ENR_TOK_WORD && !sl->sw &&
                                      keyword_shape(w, n);
                        sl->letters =
                            (uint16_t)(letters > 65535 ? 65535 : letters);
                        sl->syl = 1;
                        if (kind == ENR_TOK_WORD) {
                                char   ascii[MAX_WORD];
                                size_t an =
                                    fold_ascii(w, n, ascii, sizeof(ascii));
                                unsigned syl = enr_stats_syllables(ascii, an);

                                sl->syl = (uint8_t)(syl > 255 ? 255 : syl);
                        }
                        s->used[s->nused++] = (uint32_t)k;
                        return sl;
                }
                if (sl->hash == h && tok_lower_eq(tx[sl->field], sl->tok, w, n))
                        return sl;
        }
}

/* Whether a lower-cased word may be a keyword (see the rules above). */
static bool keyword_shape(const char *w, size_t n) {
        size_t i, letters = 0;

        if (n >= sizeof(((enr_keyword_t *)0)->word))
                return false;
        for (i = 0; i < n; i++) {
                unsigned char c = (unsigned char)w[i];

                if (c >= 0x80) {
                        letters += (c & 0xC0) != 0x80;
                } else if (c >= 'a' && c <= 'z') {
                        letters++;
                } else if ((c == '-' || c == '\'') && i > 0 && i + 1 < n) {
                        continue;
                } else {
                        return false;
                }
        }
        return letters >= 2;
}

/* Whether keyword a ranks before keyword b. */
static bool kw_before(const enr_keyword_t *a, const enr_keyword_t *b) {
        if (a->count != b->count)
                return a->count > b->count;
        return strcmp(a->word, b->word) < 0;
}

/* Offers a candidate to the top-nkw list kw[0..*nk), kept sorted. */
static void kw_offer(enr_keyword_t *kw, size_t nkw, size_t *nk,
                     const enr_keyword_t *cand) {
        size_t i;

        if (*nk == nkw && !kw_before(cand, &kw[nkw - 1]))
                return;
        i = *nk < nkw ? (*nk)++ : nkw - 1;
        while (i > 0 && kw_before(cand, &kw[i - 1])) {
                kw[i] = kw[i - 1];
                i--;
        }
        kw[i] = *cand;
}

/* The letters and digits of a lower-cased word, in code points. */
static size_t count_letters(const char *w, size_t n) {
        size_t i, k = 0;

        for (i = 0; i < n; i++) {
                unsigned char c = (unsigned char)w[i];

                if (c >= 0x80)
                        k += (c & 0xC0) != 0x80;
                else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                        k++;
        }
        return k;
}


enr_err_t enr_stats_compute(enr_stats_scratch_t *s, const enr_text_t *title,
                            const enr_text_t *body, size_t body_end_tok,
                            double wpm, enr_stats_t *out, enr_keyword_t *kw,
                            size_t nkw, size_t *nkw_out) {
        const enr_text_t *tx[2] = {title, body};
        size_t nk = 0, i, f, last_sent = SIZE_MAX, last_para = SIZE_MAX, pi = 0;
        enr_err_t err;
        double    words, sents;

        if (nkw_out)
                *nkw_out = 0;
        if (!s || !body || !out || (nkw && !kw))
                return ENR_ERR_INVALID_ARG;
        memset(out, 0, sizeof(*out));
        if (body_end_tok > body->ntoks)
                body_end_tok = body->ntoks;
        err = table_prepare(s, body_end_tok + (title ? title->ntoks : 0));
        if (err)
                return err;

        out->characters = body_end_tok < body->ntoks
                              ? body->toks[body_end_tok].cp_start
                              : body->ncp;
        for (f = 0; f < 2; f++) {
                const enr_text_t *t = tx[f];
                size_t            end;

                if (!t)
                        continue;
                end = f == 1 ? body_end_tok : t->ntoks;
                for (i = 0; i < end; i++) {
                        const enr_token_t *tk = &t->toks[i];
                        size_t             n;
                        slot_t            *sl;
                        unsigned           syl;

                        if (tk->kind != ENR_TOK_WORD &&
                            tk->kind != ENR_TOK_NUMBER &&
                            tk->kind != ENR_TOK_URL &&
                            tk->kind != ENR_TOK_EMAIL)
                                continue;
                        if (tk->flags & ENR_TOKF_CLITIC) {
                                /* Not a word, but its letters count. */
                                if (f == 1) {
                                        n = enr_tok_lower(t, i, s->a,
                                                          sizeof(s->a));
                                        out->letters += count_letters(s->a, n);
                                }
                                continue;
                        }
                        n  = enr_tok_lower(t, i, s->a, sizeof(s->a));
                        sl = table_add(s, tx, (int)f, i, s->a, n);
                        if (sl->keyword)
                                sl->kw++;
                        if (f == 0)
                                continue;
                        if (!sl->in_body) {
                                sl->in_body = 1;
                                out->unique_words++;
                        }
                        out->words++;
                        if (tk->kind == ENR_TOK_WORD ||
                            tk->kind == ENR_TOK_NUMBER)
                                out->letters += sl->letters;
                        if (tk->sent != last_sent) {
                                last_sent = tk->sent;
                                out->sentences++;
                        }
                        while (pi + 1 < body->nparas &&
                               body->paras[pi + 1].tok_start <= i)
                                pi++;
                        if (body->nparas && pi != last_para) {
                                last_para = pi;
                                out->paragraphs++;
                        }
                        syl = sl->syl;
                        if ((tk->flags & ENR_TOKF_ALL_UPPER) && n >= 2 &&
                            n <= 3 && sl->letters == n && !sl->sw) {
                                /* "BBC", "UK": read letter by letter. */
                                size_t k;

                                for (syl = 0, k = 0; k < n; k++)
                                        syl += s->a[k] == 'w' ? 3 : 1;
                        }
                        out->syllables += syl;
                        out->polysyllables += syl >= 3;
                        out->long_words += sl->letters >= 7;
                        out->content_words += sl->sw != SW_FUNC;
                }
        }

        for (i = 0; nkw && i < s->nused; i++) {
                const slot_t *sl = &s->slots[s->used[i]];
                enr_keyword_t cand;

                if (!sl->keyword || !sl->kw)
                        continue;
                cand.count = sl->kw;
                if (nk == nkw && cand.count < kw[nkw - 1].count)
                        continue;
                (void)enr_tok_lower(tx[sl->field], sl->tok, cand.word,
                                    sizeof(cand.word));
                kw_offer(kw, nkw, &nk, &cand);
        }
        if (nkw_out)
                *nkw_out = nk;

        words                     = (double)out->words;
        sents                     = (double)out->sentences;
        out->reading_time_seconds = wpm > 0 ? words / wpm * 60.0 : 0.0;
        if (out->words == 0 || out->sentences == 0)
                return ENR_OK;
        out->avg_sentence_length    = words / sents;
        out->avg_syllables_per_word = (double)out->syllables / words;
        out->flesch_reading_ease = 206.835 - 1.015 * out->avg_sentence_length -
                                   84.6 * out->avg_syllables_per_word;
        out->flesch_kincaid_grade = 0.39 * out->avg_sentence_length +
                                    11.8 * out->avg_syllables_per_word - 15.59;
        out->gunning_fog = 0.4 * (out->avg_sentence_length +
                                  100.0 * (double)out->polysyllables / words);
        out->smog_index =
            1.0430 * sqrt((double)out->polysyllables * 30.0 / sents) + 3.1291;
        out->coleman_liau_index =
            0.0588 * ((double)out->letters / words * 100.0) -
            0.296 * (sents / words * 100.0) - 15.8;
        out->automated_readability_index = 4.71 * (double)out->letters / words +
                                           0.5 * out->avg_sentence_length -
                                           21.43;
        out->lexical_density = (double)out->content_words / words;
        return ENR_OK;
}
