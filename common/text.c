/*
 * Text analysis: UTF-8 validation, the tokenizer for English news and the
 * sentence and paragraph splitter.
 *
 * The input is one field (a title or a body) as UTF-8 bytes. It is first
 * validated as a whole (a fast 8-bytes-at-a-time path for ASCII), so the
 * tokenizer may then decode without re-checking; every read is still
 * bounded by the length. Tokens are recorded as byte and code-point offsets
 * into the caller's buffer; nothing is copied and nothing is allocated per
 * token: the token, sentence and paragraph arrays of enr_text_t grow
 * geometrically and are reused for the next article.
 *
 * The tokenizer is one left-to-right pass over code points. Each code point
 * falls into a class (space, newline, letter by case, digit, hyphen, dash,
 * apostrophe, quote, full stop, terminator, punctuation, symbol, other) and
 * the class of a token's first code point picks the scanner: URL, e-mail,
 * number, word, clitic, or a single punctuation or symbol. The rules are
 * listed in text.h. Sentence boundaries are decided as each token is
 * appended, from the tokens before it and the whitespace in between; the
 * state "a sentence may have ended here" (scan_t.term) stands in for the
 * one token of look-ahead the rules need.
 */
#include "enricher/text.h"

#include <stdlib.h>
#include <string.h>

/* Classes of code points. */
enum {
        CL_END = 0,  /* Past the end of the text. */
        CL_SPACE,    /* Spaces, tabs, controls, no-break spaces. */
        CL_NL,       /* \n, \r, NEL, LINE SEPARATOR. */
        CL_PARA,     /* PARAGRAPH SEPARATOR (a blank line). */
        CL_UPPER,    /* Upper-case letters. */
        CL_LOWER,    /* Lower-case letters. */
        CL_CASELESS, /* Letters of scripts without case (CJK, Arabic). */
        CL_DIGIT,    /* ASCII digits. */
        CL_MARK,     /* Combining marks, joiners, variation selectors. */
        CL_HYPHEN,   /* - and the Unicode hyphens. */
        CL_DASH,     /* En and em dashes, the minus sign. */
        CL_APOS,     /* ' and the right single quotation mark. */
        CL_QUOTE,    /* Double quotes, left single quote, guillemets. */
        CL_DOT,      /* The full stop. */
        CL_TERM,     /* ! ? and the ellipsis: they end sentences. */
        CL_PUNCT,    /* Other punctuation and brackets. */
        CL_SYMBOL,   /* Currency, math and other symbols. */
        CL_OTHER     /* Emoji, private use, the replacement character. */
};

/* Classes of the ASCII bytes. */
static const uint8_t ascii_cls[128] = {
    CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,
    CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_NL,     CL_SPACE,  CL_SPACE,  CL_NL,
    CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,
    CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,
    CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_SPACE,  CL_TERM,   CL_QUOTE,
    CL_SYMBOL, CL_SYMBOL, CL_SYMBOL, CL_SYMBOL, CL_APOS,   CL_PUNCT,  CL_PUNCT,
    CL_SYMBOL, CL_SYMBOL, CL_PUNCT,  CL_HYPHEN, CL_DOT,    CL_PUNCT,  CL_DIGIT,
    CL_DIGIT,  CL_DIGIT,  CL_DIGIT,  CL_DIGIT,  CL_DIGIT,  CL_DIGIT,  CL_DIGIT,
    CL_DIGIT,  CL_DIGIT,  CL_PUNCT,  CL_PUNCT,  CL_SYMBOL, CL_SYMBOL, CL_SYMBOL,
    CL_TERM,   CL_SYMBOL, CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,
    CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,
    CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,
    CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,  CL_UPPER,
    CL_PUNCT,  CL_PUNCT,  CL_PUNCT,  CL_SYMBOL, CL_PUNCT,  CL_QUOTE,  CL_LOWER,
    CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,
    CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,
    CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,
    CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_LOWER,  CL_PUNCT,  CL_SYMBOL, CL_PUNCT,
    CL_SYMBOL, CL_SPACE,
};

/* Sentence state after a token: whether a sentence may have ended. */
enum {
        TERM_NONE = 0,
        TERM_STOP,   /* After . ! ? … : ends unless lower case follows. */
        TERM_ABBREV, /* After "Inc." "U.S.": ends before "The", "He" … */
        TERM_ABBREV_NEVER /* After "Mr." "e.g.": never ends the sentence. */
};

/*
 * The state of one analysis. The text has been validated, so multi-byte
 * sequences are complete; reads are still bounded by len.
 */
typedef struct scan {
        const unsigned char *u;
        size_t               len;
        enr_text_t          *t;
        size_t               max_tokens;
        int                  term;      /* TERM_* after the last token. */
        int                  abbrev;    /* TERM_ABBREV* of the last scan. */
        bool                 para_seen; /* A blank line split the text. */
        bool                 line_seen; /* A single line break did. */
        bool                 dq_open;   /* A straight double quote is open. */
        bool prev_opener;               /* The last token opened a quotation. */
} scan_t;

/*
 * UTF-8.
 */

size_t enr_utf8_validate(const char *s, size_t len) {
        const unsigned char *u = (const unsigned char *)s;
        size_t               i = 0;

        if (!s)
                return 0;
        while (i < len) {
                unsigned c = u[i];

                if (c < 0x80) {
                        /* Skip ASCII eight bytes at a time. */
                        while (i + 8 <= len) {
                                uint64_t w;

                                memcpy(&w, u + i, 8);
                                if (w & UINT64_C(0x8080808080808080))
                                        break;
                                i += 8;
                        }
                        while (i < len && u[i] < 0x80)
                                i++;
                        continue;
                }
                if (c < 0xC2)
                        return i; /* Continuation byte or overlong. */
                if (c < 0xE0) {
                        if (i + 1 >= len || (u[i + 1] & 0xC0) != 0x80)
                                return i;
                        i += 2;
                        continue;
                }
                if (c < 0xF0) {
                        unsigned lo = 0x80, hi = 0xBF;

                        if (c == 0xE0)
                                lo = 0xA0; /* Overlong. */
                        else if (c == 0xED)
                                hi = 0x9F; /* Surrogates. */
                        if (i + 2 >= len || u[i + 1] < lo || u[i + 1] > hi ||
                            (u[i + 2] & 0xC0) != 0x80)
                                return i;
                        i += 3;
                        continue;
                }
                if (c < 0xF5) {
                        unsigned lo = 0x80, hi = 0xBF;

                        if (c == 0xF0)
                                lo = 0x90; /* Overlong. */
                        else if (c == 0xF4)
                                hi = 0x8F; /* Above U+10FFFF. */
                        if (i + 3 >= len || u[i + 1] < lo || u[i + 1] > hi ||
                            (u[i + 2] & 0xC0) != 0x80 ||
                            (u[i + 3] & 0xC0) != 0x80)
                                return i;
                        i += 4;
                        continue;
                }
                return i;
        }
        return len;
}

int32_t enr_utf8_next(const char *s, size_t len, size_t *pos) {
        const unsigned char *u = (const unsigned char *)s;
        size_t               i = *pos;
        size_t               n;

        if (i >= len)
                return -1;
        if (u[i] < 0x80) {
                *pos = i + 1;
                return u[i];
        }
        /* Validate just this sequence with the same rules. */
        n = u[i] < 0xE0 ? 2 : u[i] < 0xF0 ? 3 : 4;
        if (i + n > len || enr_utf8_validate(s + i, n) != n) {
                *pos = i + 1;
                return -1;
        }
        *pos = i + n;
        if (n == 2)
                return (int32_t)(((u[i] & 0x1Fu) << 6) | (u[i + 1] & 0x3Fu));
        if (n == 3)
                return (int32_t)(((u[i] & 0x0Fu) << 12) |
                                 ((u[i + 1] & 0x3Fu) << 6) |
                                 (u[i + 2] & 0x3Fu));
        return (int32_t)(((u[i] & 0x07u) << 18) | ((u[i + 1] & 0x3Fu) << 12) |
                         ((u[i + 2] & 0x3Fu) << 6) | (u[i + 3] & 0x3Fu));
}

size_t enr_utf8_count(const char *s, size_t len) {
        size_t pos = 0, n = 0;

        while (pos < len) {
                (void)enr_utf8_next(s, len, &pos);
                n++;
        }
        return n;
}

/*
 * Decodes the (validated) sequence at u[pos]; *n gets its length. A
 * truncated sequence, impossible after validation, reads as U+FFFD.
 */
static uint32_t decode(const unsigned char *u, size_t len, size_t pos,
                       size_t *n) {
        unsigned c = u[pos];

        if (c < 0x80) {
                *n = 1;
                return c;
        }
        if (c < 0xE0 && pos + 1 < len) {
                *n = 2;
                return ((c & 0x1Fu) << 6) | (u[pos + 1] & 0x3Fu);
        }
        if (c >= 0xE0 && c < 0xF0 && pos + 2 < len) {
                *n = 3;
                return ((c & 0x0Fu) << 12) | ((u[pos + 1] & 0x3Fu) << 6) |
                       (u[pos + 2] & 0x3Fu);
        }
        if (c >= 0xF0 && pos + 3 < len) {
                *n = 4;
                return ((c & 0x07u) << 18) | ((u[pos + 1] & 0x3Fu) << 12) |
                       ((u[pos + 2] & 0x3Fu) << 6) | (u[pos + 3] & 0x3Fu);
        }
        *n = 1;
        return 0xFFFD;
}

/* The case class of a letter of the Latin Extended-A/B blocks. */
static int latin_ext_class(uint32_t c) {
        if (c <= 0x0137)
                return (c & 1) ? CL_LOWER : CL_UPPER;
        if (c >= 0x0139 && c <= 0x0148)
                return (c & 1) ? CL_UPPER : CL_LOWER;
        if (c >= 0x014A && c <= 0x0177)
                return (c & 1) ? CL_LOWER : CL_UPPER;
        if (c == 0x0178)
                return CL_UPPER;
        if (c >= 0x0179 && c <= 0x017E)
                return (c & 1) ? CL_UPPER : CL_LOWER;
        if (c == 0x01C4 || c == 0x01C7 || c == 0x01CA || c == 0x01F1)
                return CL_UPPER;
        if (c >= 0x01CD && c <= 0x01DC)
                return (c & 1) ? CL_UPPER : CL_LOWER;
        if ((c >= 0x01DE && c <= 0x01EF) || (c >= 0x01F8 && c <= 0x024F))
                return (c & 1) ? CL_LOWER : CL_UPPER;
        return CL_LOWER;
}

/* The class of a non-ASCII code point. */
static int cp_class(uint32_t c) {
        if (c < 0xA0)
                return c == 0x85 ? CL_NL : CL_SPACE; /* C1 controls. */
        if (c < 0x100) {
                switch (c) {
                case 0xA0:
                        return CL_SPACE;
                case 0xAA:
                case 0xB5:
                case 0xBA:
                        return CL_LOWER;
                case 0xAB:
                case 0xBB:
                        return CL_QUOTE;
                case 0xA1:
                case 0xA7:
                case 0xB6:
                case 0xB7:
                case 0xBF:
                        return CL_PUNCT;
                case 0xAD:
                        return CL_MARK; /* Soft hyphen. */
                case 0xD7:
                case 0xF7:
                        return CL_SYMBOL;
                default:
                        break;
                }
                if (c < 0xC0)
                        return CL_SYMBOL;
                return c < 0xDF ? CL_UPPER : CL_LOWER;
        }
        if (c < 0x0250)
                return latin_ext_class(c);
        if (c < 0x02B0)
                return CL_LOWER; /* IPA. */
        if (c < 0x0300)
                return (c == 0x02BC || c == 0x02BB) ? CL_APOS : CL_CASELESS;
        if (c < 0x0370)
                return CL_MARK;
        if (c < 0x0400) {
                if (c == 0x037E || c == 0x0387)
                        return CL_PUNCT;
                if (c == 0x0386 || (c >= 0x0388 && c <= 0x038F) ||
                    (c >= 0x0391 && c <= 0x03AB))
                        return CL_UPPER;
                return CL_LOWER;
        }
        if (c < 0x0500) {
                if (c < 0x0430)
                        return CL_UPPER;
                if (c < 0x0460)
                        return CL_LOWER;
                if (c >= 0x0483 && c <= 0x0489)
                        return CL_MARK;
                if (c >= 0x04C1 && c <= 0x04CE)
                        return (c & 1) ? CL_UPPER : CL_LOWER;
                if (c == 0x04C0)
                        return CL_UPPER;
                return (c & 1) ? CL_LOWER : CL_UPPER;
        }
        if ((c >= 0x0591 && c <= 0x05C7) || (c >= 0x0610 && c <= 0x061A) ||
            (c >= 0x064B && c <= 0x065F) || c == 0x0670)
                return CL_MARK;
        if (c == 0x060C)
                return CL_PUNCT;
        if (c == 0x061F || c == 0x06D4)
                return CL_TERM;
        if (c == 0x1680)
                return CL_SPACE;
        if ((c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF))
                return CL_MARK;
        if (c >= 0x1E00 && c <= 0x1EFF)
                return (c & 1) ? CL_LOWER : CL_UPPER;
        if (c >= 0x1F00 && c <= 0x1FFF)
                return CL_LOWER; /* Greek extended, approximately. */
        if (c >= 0x2000 && c <= 0x206F) {
                if (c <= 0x200B || c == 0x202F || c == 0x205F)
                        return CL_SPACE;
                if (c == 0x200C || c == 0x200D || c >= 0x2060)
                        return CL_MARK;
                if (c == 0x2010 || c == 0x2011)
                        return CL_HYPHEN;
                if (c >= 0x2012 && c <= 0x2015)
                        return CL_DASH;
                if (c == 0x2019)
                        return CL_APOS;
                if ((c >= 0x2018 && c <= 0x201F) || c == 0x2039 || c == 0x203A)
                        return CL_QUOTE;
                if (c == 0x2026 || c == 0x203C || c == 0x2047 || c == 0x2048 ||
                    c == 0x2049)
                        return CL_TERM;
                if (c == 0x2028)
                        return CL_NL;
                if (c == 0x2029)
                        return CL_PARA;
                if (c == 0x2030 || c == 0x2031 || c == 0x2044 || c == 0x2052)
                        return CL_SYMBOL;
                return CL_PUNCT;
        }
        if (c >= 0x20D0 && c <= 0x20FF)
                return CL_MARK;
        if (c == 0x2212)
                return CL_DASH;
        if (c >= 0x2070 && c < 0x2600)
                return CL_SYMBOL;
        if (c >= 0x2600 && c < 0x27C0)
                return CL_OTHER;
        if (c >= 0x27C0 && c < 0x2B00)
                return CL_SYMBOL;
        if (c >= 0x2B00 && c < 0x2C00)
                return CL_OTHER;
        if (c >= 0x2E00 && c < 0x2E80)
                return CL_PUNCT;
        if (c >= 0x3000 && c < 0x3040) {
                if (c == 0x3000)
                        return CL_SPACE;
                if (c == 0x3002)
                        return CL_TERM;
                return CL_PUNCT;
        }
        if (c >= 0xE000 && c < 0xF900)
                return CL_OTHER;
        if ((c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFE20 && c <= 0xFE2F))
                return CL_MARK;
        if (c == 0xFEFF)
                return CL_SPACE;
        if (c >= 0xFF00 && c <= 0xFF65) {
                if (c == 0xFF01 || c == 0xFF1F)
                        return CL_TERM;
                if (c >= 0xFF21 && c <= 0xFF3A)
                        return CL_UPPER;
                if (c >= 0xFF41 && c <= 0xFF5A)
                        return CL_LOWER;
                if (c >= 0xFF10 && c <= 0xFF19)
                        return CL_CASELESS;
                return CL_PUNCT;
        }
        if (c >= 0xFFF0 && c <= 0xFFFF)
                return CL_OTHER;
        if (c >= 0x1F3FB && c <= 0x1F3FF)
                return CL_MARK; /* Skin tone modifiers. */
        if (c >= 0x1F000 && c < 0x1FB00)
                return CL_OTHER;
        if (c >= 0xE0000 && c < 0xE0080)
                return CL_MARK; /* Tags. */
        if (c >= 0xF0000)
                return CL_OTHER;
        return CL_CASELESS;
}

/* The class of the code point at pos (CL_END past the end); *n its size. */
static inline int cls_at(const scan_t *sc, size_t pos, size_t *n) {
        if (pos >= sc->len) {
                *n = 0;
                return CL_END;
        }
        if (sc->u[pos] < 0x80) {
                *n = 1;
                return ascii_cls[sc->u[pos]];
        }
        return cp_class(decode(sc->u, sc->len, pos, n));
}

static inline bool is_alpha_cl(int cl) {
        return cl == CL_UPPER || cl == CL_LOWER || cl == CL_CASELESS;
}

static inline bool is_alnum_cl(int cl) {
        return is_alpha_cl(cl) || cl == CL_DIGIT;
}

static inline bool alnum_at(const scan_t *sc, size_t pos) {
        size_t n;

        return is_alnum_cl(cls_at(sc, pos, &n));
}

static inline bool alpha_at(const scan_t *sc, size_t pos) {
        size_t n;

        return is_alpha_cl(cls_at(sc, pos, &n));
}

static inline bool ascii_alpha(unsigned c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static inline bool ascii_digit(unsigned c) {
        return c >= '0' && c <= '9';
}

static inline bool ascii_alnum(unsigned c) {
        return ascii_alpha(c) || ascii_digit(c);
}

/* Whether u[a..b) equals the lower-case word w, ASCII case-insensitively. */
static bool span_ieq(const unsigned char *u, size_t a, size_t b,
                     const char *w) {
        size_t i;

        for (i = 0; a + i < b; i++) {
                if (!w[i] || (u[a + i] | 0x20) != (unsigned char)w[i] ||
                    !ascii_alpha(u[a + i]))
                        return false;
        }
        return w[i] == '\0';
}

/* Whether u[a..b) is one of the lower-case words of list (NULL-ended). */
static bool span_in(const unsigned char *u, size_t a, size_t b,
                    const char *const *list) {
        for (; *list; list++) {
                if (span_ieq(u, a, b, *list))
                        return true;
        }
        return false;
}

/* Whether u[a..b) is exactly w (case-sensitive). */
static bool span_eq(const unsigned char *u, size_t a, size_t b, const char *w) {
        size_t n = strlen(w);

        return b - a == n && memcmp(u + a, w, n) == 0;
}

/*
 * Word lists of the tokenizer and the sentence splitter.
 */

/* Clitics split from their word after an apostrophe (PTB, spaCy). */
static const char *const clitics[] = {"s", "re", "ve", "ll", "d", "m", NULL};

/*
 * Abbreviations that keep their full stop, with whether they may end a
 * sentence (TERM_ABBREV) or never do (TERM_ABBREV_NEVER: titles before a
 * name). Matched case-sensitively.
 */
static const struct abbrev {
        const char *w;
        int         term;
} abbrevs[] = {
    {"Mr", TERM_ABBREV_NEVER},     {"Mrs", TERM_ABBREV_NEVER},
    {"Ms", TERM_ABBREV_NEVER},     {"Dr", TERM_ABBREV_NEVER},
    {"Prof", TERM_ABBREV_NEVER},   {"St", TERM_ABBREV_NEVER},
    {"Gen", TERM_ABBREV_NEVER},    {"Col", TERM_ABBREV_NEVER},
    {"Lt", TERM_ABBREV_NEVER},     {"Sgt", TERM_ABBREV_NEVER},
    {"Capt", TERM_ABBREV_NEVER},   {"Gov", TERM_ABBREV_NEVER},
    {"Sen", TERM_ABBREV_NEVER},    {"Rep", TERM_ABBREV_NEVER},
    {"Rev", TERM_ABBREV_NEVER},    {"Hon", TERM_ABBREV_NEVER},
    {"Mt", TERM_ABBREV_NEVER},     {"Ft", TERM_ABBREV_NEVER},
    {"Adm", TERM_ABBREV_NEVER},    {"Brig", TERM_ABBREV_NEVER},
    {"Cmdr", TERM_ABBREV_NEVER},   {"Maj", TERM_ABBREV_NEVER},
    {"Cpl", TERM_ABBREV_NEVER},    {"Pte", TERM_ABBREV_NEVER},
    {"Supt", TERM_ABBREV_NEVER},   {"Insp", TERM_ABBREV_NEVER},
    {"Det", TERM_ABBREV_NEVER},    {"Messrs", TERM_ABBREV_NEVER},
    {"Mme", TERM_ABBREV_NEVER},    {"Fig", TERM_ABBREV_NEVER},
    {"No", TERM_ABBREV_NEVER},     {"Nos", TERM_ABBREV_NEVER},
    {"vs", TERM_ABBREV_NEVER},     {"v", TERM_ABBREV_NEVER},
    {"approx", TERM_ABBREV_NEVER}, {"Jan", TERM_ABBREV},
    {"Feb", TERM_ABBREV},          {"Mar", TERM_ABBREV},
    {"Apr", TERM_ABBREV},          {"Jun", TERM_ABBREV},
    {"Jul", TERM_ABBREV},          {"Aug", TERM_ABBREV},
    {"Sep", TERM_ABBREV},          {"Sept", TERM_ABBREV},
    {"Oct", TERM_ABBREV},          {"Nov", TERM_ABBREV},
    {"Dec", TERM_ABBREV},          {"Inc", TERM_ABBREV},
    {"Ltd", TERM_ABBREV},          {"Corp", TERM_ABBREV},
    {"Co", TERM_ABBREV},           {"Bros", TERM_ABBREV},
    {"Jr", TERM_ABBREV},           {"Sr", TERM_ABBREV},
    {"etc", TERM_ABBREV},          {"al", TERM_ABBREV},
    {"Ave", TERM_ABBREV},          {"Blvd", TERM_ABBREV},
    {"Rd", TERM_ABBREV},           {"plc", TERM_ABBREV},
    {"Plc", TERM_ABBREV},          {"LLC", TERM_ABBREV},
};

/*
 * Words that start a new sentence after an abbreviation that may end one
 * ("… in the U.S. The …"); a capitalised name after it does not.
 */
static const char *const starters[] = {
    "The",   "A",     "An",      "He",        "She",   "It",    "They",
    "We",    "I",     "You",     "But",       "And",   "In",    "On",
    "At",    "This",  "That",    "These",     "Those", "There", "His",
    "Her",   "Their", "Its",     "Our",       "As",    "If",    "When",
    "While", "After", "Before",  "However",   "So",    "Yet",   "Some",
    "Many",  "Most",  "Now",     "Then",      "What",  "Who",   "Why",
    "How",   "For",   "With",    "Meanwhile", "Also",  "Not",   "No",
    "Other", "Last",  "Earlier", "Later",     "Since", NULL};

/* Number suffixes split off as their own word: "600m" is "600" "m". */
static const char *const units[] = {
    "m",   "bn",   "b",   "k",    "tn",  "trn", "mn",   "km",   "kg", "cm",
    "mm",  "ml",   "mph", "kph",  "kmh", "am",  "pm",   "ft",   "lb", "lbs",
    "oz",  "mw",   "gw",  "kw",   "kwh", "mwh", "gwh",  "gb",   "mb", "tb",
    "ghz", "mhz",  "hz",  "yr",   "yrs", "mg",  "mi",   "h",    "hr", "hrs",
    "min", "mins", "sec", "secs", "ms",  "bps", "kbps", "mbps", NULL};

/* Number suffixes kept in the number: ordinals and decades. */
static const char *const num_suffixes[] = {"st", "nd", "rd", "th", "s", NULL};

/* Top-level domains that make "bbc.co.uk" one URL token. */
static const char *const tlds[] = {
    "com", "org", "net", "gov", "edu", "int", "io", "co", "uk", "info", "biz",
    "eu",  "us",  "de",  "fr",  "au",  "ca",  "in", "tv", "ly", "me",   NULL};

/*
 * Scanners: each returns the end of the token starting at start.
 */

/* The end of a URL at start, or start when there is none. */
static size_t scan_url(const scan_t *sc, size_t start) {
        const unsigned char *u = sc->u;
        size_t               p = start, n = sc->len, body;
        int                  open = 0, close = 0;

        if (n - start >= 8 && span_ieq(u, start, start + 4, "http") &&
            (memcmp(u + start + 4, "://", 3) == 0 ||
             ((u[start + 4] | 0x20) == 's' &&
              memcmp(u + start + 5, "://", 3) == 0)))
                p = start + (u[start + 4] == ':' ? 7 : 8);
        else if (n - start >= 5 && span_ieq(u, start, start + 3, "www") &&
                 u[start + 3] == '.')
                p = start + 4;
        else if (n - start >= 7 && span_ieq(u, start, start + 3, "ftp") &&
                 memcmp(u + start + 3, "://", 3) == 0)
                p = start + 6;
        else
                return start;
        body = p;
        while (p < n && u[p] > 0x20 && u[p] < 0x7F && u[p] != '"' &&
               u[p] != '<' && u[p] != '>' && u[p] != '`' && u[p] != '{' &&
               u[p] != '}' && u[p] != '|' && u[p] != '\\' && u[p] != '^') {
                open += u[p] == '(';
                close += u[p] == ')';
                p++;
        }
        /* Trailing punctuation belongs to the sentence, not the URL. */
        while (p > body) {
                unsigned c = u[p - 1];

                if (c == ')' && close > open) {
                        close--;
                        p--;
                } else if (strchr(".,;:!?'\"]*", (int)c)) {
                        p--;
                } else {
                        break;
                }
        }
        return p > body ? p : start;
}

/* The end of an e-mail address at start, or start when there is none. */
static size_t scan_email(const scan_t *sc, size_t start) {
        const unsigned char *u = sc->u;
        size_t               p = start, n = sc->len, dom, lastdot = 0, i;

        while (p < n && (ascii_alnum(u[p]) || u[p] == '.' || u[p] == '_' ||
                         u[p] == '%' || u[p] == '+' || u[p] == '-'))
                p++;
        if (p == start || p >= n || u[p] != '@')
                return start;
        dom = ++p;
        while (p < n && (ascii_alnum(u[p]) || u[p] == '.' || u[p] == '-'))
                p++;
        while (p > dom && (u[p - 1] == '.' || u[p - 1] == '-'))
                p--;
        for (i = dom; i < p; i++) {
                if (u[i] == '.')
                        lastdot = i;
        }
        if (lastdot <= dom || lastdot + 1 >= p)
                return start;
        return p;
}

/*
 * The end of "name.tld[/path]" where the word ends at dot, or 0 when the
 * text there is not a domain.
 */
static size_t scan_domain(const scan_t *sc, size_t start, size_t dot) {
        const unsigned char *u = sc->u;
        size_t               p = dot, n = sc->len, label = 0, i;

        for (i = start; i < dot; i++) {
                if (!ascii_alnum(u[i]) && u[i] != '-')
                        return 0;
        }
        while (p + 1 < n && u[p] == '.' && ascii_alnum(u[p + 1])) {
                label = ++p;
                while (p < n && (ascii_alnum(u[p]) || u[p] == '-'))
                        p++;
        }
        if (!label || !span_in(u, label, p, tlds))
                return 0;
        /* "bbc.co.uk" but not "end.The": a domain is lower case. */
        for (i = label; i < p; i++) {
                if (u[i] < 'a' && !ascii_digit(u[i]))
                        return 0;
        }
        if (p < n && u[p] == '/') {
                while (p < n && u[p] > 0x20 && u[p] < 0x7F && u[p] != '"')
                        p++;
                while (strchr(".,;:!?')\"", (int)u[p - 1]))
                        p--;
        }
        return p;
}

/* Whether an apostrophe, letter or digit is at pos. */
static bool apos_or_alnum_at(const scan_t *sc, size_t pos) {
        size_t n;
        int    cl = cls_at(sc, pos, &n);

        return cl == CL_APOS || is_alnum_cl(cl);
}

/* The length of a clitic ('s, ’ll …) whose apostrophe is at p, or 0. */
static size_t clitic_at(const scan_t *sc, size_t p) {
        size_t n, q, r;

        if (cls_at(sc, p, &n) != CL_APOS)
                return 0;
        q = p + n;
        r = q;
        while (r < sc->len && ascii_alpha(sc->u[r]))
                r++;
        if (r == q || alnum_at(sc, r) || !span_in(sc->u, q, r, clitics))
                return 0;
        return r - p;
}

/* The length of "n't" (or "n’t") at p, or 0. */
static size_t nt_at(const scan_t *sc, size_t p) {
        size_t n;

        if (p + 1 >= sc->len || (sc->u[p] | 0x20) != 'n' ||
            cls_at(sc, p + 1, &n) != CL_APOS)
                return 0;
        if (p + 1 + n >= sc->len || (sc->u[p + 1 + n] | 0x20) != 't' ||
            alnum_at(sc, p + 2 + n))
                return 0;
        return 2 + n;
}

/*
 * The end of the word from start, resuming at p (past a number prefix).
 * Sets sc->abbrev and *kind for abbreviations and domains.
 */
static size_t scan_word(scan_t *sc, size_t start, size_t p, int *kind) {
        const unsigned char *u = sc->u;
        size_t               n, end, i;
        int                  cl;

        for (;;) {
                cl = cls_at(sc, p, &n);
                if (is_alnum_cl(cl) || cl == CL_MARK) {
                        p += n;
                        continue;
                }
                if (cl == CL_HYPHEN && alnum_at(sc, p + n)) {
                        p += n;
                        continue;
                }
                if (cl == CL_APOS) {
                        if (clitic_at(sc, p))
                                break;
                        if (p - 1 > start && nt_at(sc, p - 1)) {
                                p--; /* "do" + "n't". */
                                break;
                        }
                        if (alpha_at(sc, p + n)) {
                                p += n; /* O'Brien, rock'n'roll. */
                                continue;
                        }
                        break;
                }
                if (cl == CL_SYMBOL && u[p] == '&' && p > start &&
                    u[p - 1] >= 'A' && u[p - 1] <= 'Z' && p + 1 < sc->len &&
                    u[p + 1] >= 'A' && u[p + 1] <= 'Z') {
                        p++; /* AT&T, R&D. */
                        continue;
                }
                break;
        }
        end = p;
        if (end >= sc->len || u[end] != '.')
                return end;

        /* Dotted abbreviations (U.S., e.g., a.m.) and initials (J.). */
        if (end - start == 1 && ascii_alpha(u[start])) {
                size_t q = end + 1;

                while (q + 1 < sc->len && ascii_alpha(u[q]) && u[q + 1] == '.')
                        q += 2;
                if (q > end + 1) {
                        sc->abbrev = (span_eq(u, start, q, "e.g.") ||
                                      span_eq(u, start, q, "i.e."))
                                         ? TERM_ABBREV_NEVER
                                         : TERM_ABBREV;
                        return q;
                }
                if (u[start] >= 'A' && u[start] <= 'Z') {
                        sc->abbrev = TERM_ABBREV;
                        return end + 1;
                }
        }
        if (end - start <= 6) {
                for (i = 0; i < sizeof(abbrevs) / sizeof(abbrevs[0]); i++) {
                        if (!span_eq(u, start, end, abbrevs[i].w))
                                continue;
                        if (span_eq(u, start, end, "No") ||
                            span_eq(u, start, end, "Nos")) {
                                /* "No. 10", but "said no." */
                                size_t q = end + 1;

                                while (q < sc->len && u[q] == ' ')
                                        q++;
                                if (q >= sc->len || !ascii_digit(u[q]))
                                        break;
                        }
                        sc->abbrev = abbrevs[i].term;
                        return end + 1;
                }
        }
        if (end + 1 < sc->len && u[end + 1] >= 'a' && u[end + 1] <= 'z') {
                size_t q = scan_domain(sc, start, end);

                if (q) {
                        *kind = ENR_TOK_URL;
                        return q;
                }
        }
        return end;
}

/* The end of a number from start (a digit), or of a word it begins. */
static size_t scan_number(scan_t *sc, size_t start, int *kind) {
        const unsigned char *u = sc->u;
        size_t               p = start, n = sc->len, q;
        bool                 frac = false;

        while (p < n && ascii_digit(u[p]))
                p++;
        for (;;) {
                if (p + 3 < n && u[p] == ',' && !frac &&
                    ascii_digit(u[p + 1]) && ascii_digit(u[p + 2]) &&
                    ascii_digit(u[p + 3]) &&
                    (p + 4 >= n || !ascii_digit(u[p + 4]))) {
                        p += 4; /* Thousands: 70,457. */
                        continue;
                }
                if (p + 1 < n &&
                    (u[p] == '.' || u[p] == ':' || u[p] == '/' ||
                     u[p] == '-') &&
                    ascii_digit(u[p + 1])) {
                        /* 1.5, 10:30, 9/11, 12.03.2020, 1996-08-30, 16-18. */
                        frac |= u[p] == '.';
                        p++;
                        while (p < n && ascii_digit(u[p]))
                                p++;
                        continue;
                }
                break;
        }
        *kind = ENR_TOK_NUMBER;
        if (p < n && ascii_alpha(u[p])) {
                q = p;
                while (q < n && ascii_alpha(u[q]))
                        q++;
                if (!alnum_at(sc, q) && !(q < n && u[q] == '-')) {
                        if (span_in(u, p, q, units))
                                return p;
                        if (span_in(u, p, q, num_suffixes))
                                return q;
                }
        } else if (!alpha_at(sc, p) &&
                   !(p < n && u[p] == '-' && alpha_at(sc, p + 1))) {
                return p;
        }
        /* "18-year-old", "3D", "1990s-era": a word with digits. */
        *kind = ENR_TOK_WORD;
        return scan_word(sc, start, p, kind);
}

/* The end of an emoji or other symbol sequence, with its marks. */
static size_t scan_other(const scan_t *sc, size_t p) {
        size_t n, n2;
        int    cl;

        cls_at(sc, p, &n);
        p += n;
        for (;;) {
                cl = cls_at(sc, p, &n);
                if (cl != CL_MARK)
                        break;
                p += n;
                /* A zero-width joiner glues the next emoji on. */
                if (n == 3 && sc->u[p - 3] == 0xE2 && sc->u[p - 2] == 0x80 &&
                    sc->u[p - 1] == 0x8D && cls_at(sc, p, &n2) == CL_OTHER)
                        p += n2;
        }
        return p;
}

/*
 * Token list and sentence logic.
 */

/* Whether token i is the one-character token c (ASCII). */
static inline bool tok_is(const scan_t *sc, size_t i, char c) {
        const enr_token_t *tk = &sc->t->toks[i];

        return tk->end - tk->start == 1 && sc->u[tk->start] == (unsigned char)c;
}

/* Whether token i is a . ! ? … or ... token. */
static bool tok_is_term(const scan_t *sc, size_t i) {
        const enr_token_t *tk = &sc->t->toks[i];
        size_t             n;
        int                cl;

        if (tk->kind != ENR_TOK_PUNCT)
                return false;
        cl = cls_at(sc, tk->start, &n);
        return cl == CL_TERM || cl == CL_DOT;
}

/* Whether token i closes a quotation or bracket. */
static bool tok_is_closer(const scan_t *sc, size_t i) {
        const enr_token_t   *tk = &sc->t->toks[i];
        const unsigned char *u  = sc->u + tk->start;
        size_t               n  = tk->end - tk->start;

        if (tk->kind != ENR_TOK_PUNCT)
                return false;
        if (n == 1 && *u == '"')
                return sc->dq_open; /* Straight quotes alternate. */
        if (n == 1)
                return *u == ')' || *u == ']' || *u == '}' ||
                       (*u == '\'' && !(tk->flags & ENR_TOKF_SPACE_BEFORE));
        if (n == 2)
                return u[0] == 0xC2 && u[1] == 0xBB; /* » */
        /* ’ ” › */
        return n == 3 && u[0] == 0xE2 &&
               ((u[1] == 0x80 &&
                 (u[2] == 0x99 || u[2] == 0x9D || u[2] == 0xBA)));
}

/* Whether token i begins with a lower-case letter. */
static bool tok_lower_initial(const scan_t *sc, size_t i) {
        size_t n;

        return cls_at(sc, sc->t->toks[i].start, &n) == CL_LOWER;
}

/* Whether a line break after token i may continue the sentence. */
static bool tok_continues_line(const scan_t *sc, size_t i) {
        const enr_token_t *tk = &sc->t->toks[i];
        size_t             n;
        int                cl = cls_at(sc, tk->start, &n);

        if (tk->end - tk->start == n &&
            (cl == CL_HYPHEN || tok_is(sc, i, ',') || tok_is(sc, i, '(') ||
             tok_is(sc, i, '[') || tok_is(sc, i, '&')))
                return true;
        return cl == CL_QUOTE && sc->prev_opener; /* An opening quote. */
}

/* Whether token i is one of the sentence starters. */
static bool tok_is_starter(const scan_t *sc, size_t i) {
        const enr_token_t *tk = &sc->t->toks[i];
        size_t             k;

        for (k = 0; starters[k]; k++) {
                if (span_eq(sc->u, tk->start, tk->end, starters[k]))
                        return true;
        }
        return false;
}

/* Computes the flags and code-point length of u[start..end). */
static unsigned tok_flags(const scan_t *sc, size_t start, size_t end, int kind,
                          uint32_t *ncp) {
        const unsigned char *u     = sc->u;
        unsigned             flags = 0, nup = 0, nlow = 0, ncont = 0;
        bool                 first = true;
        size_t               p     = start, n;

        while (p < end) {
                int cl;

                if (u[p] < 0x80) {
                        cl = ascii_cls[u[p]];
                        n  = 1;
                } else {
                        cl = cp_class(decode(u, sc->len, p, &n));
                        flags |= ENR_TOKF_NON_ASCII;
                        ncont += (unsigned)n - 1;
                }
                if (cl == CL_UPPER) {
                        nup++;
                        if (first)
                                flags |= ENR_TOKF_UPPER_INITIAL;
                        first = false;
                } else if (cl == CL_LOWER || cl == CL_CASELESS) {
                        nlow += cl == CL_LOWER;
                        first = false;
                } else if (cl == CL_DIGIT) {
                        flags |= ENR_TOKF_HAS_DIGIT;
                } else if (cl == CL_HYPHEN && p > start && p + n < end &&
                           (kind == ENR_TOK_WORD || kind == ENR_TOK_NUMBER)) {
                        flags |= ENR_TOKF_HAS_HYPHEN;
                }
                p += n;
        }
        if (nup && !nlow)
                flags |= ENR_TOKF_ALL_UPPER;
        *ncp = (uint32_t)(end - start - ncont);
        return flags;
}

/* Starts a new range (sentence or paragraph) at token i. */
static bool range_open(enr_range_t **arr, size_t *n, size_t *cap, size_t i) {
        if (*n)
                (*arr)[*n - 1].tok_end = (uint32_t)i;
        if (enr_grow((void **)arr, cap, *n + 1, sizeof(**arr), 64))
                return false;
        (*arr)[*n].tok_start = (uint32_t)i;
        (*arr)[*n].tok_end   = (uint32_t)i + 1;
        (*n)++;
        return true;
}

/*
 * Appends the token u[start..end) that followed nl line breaks (2 for a
 * blank line) and decides whether it starts a sentence or a paragraph.
 */
static enr_err_t push_token(scan_t *sc, size_t start, size_t end, int kind,
                            unsigned flags, size_t cp_start, unsigned nl,
                            uint32_t *ncp) {
        enr_text_t  *t = sc->t;
        enr_token_t *tk;
        size_t       i    = t->ntoks;
        bool         sent = false, para = false, closer;
        int          term = sc->term;
        size_t       n;

        if (sc->max_tokens && i >= sc->max_tokens)
                return ENR_ERR_LIMIT;
        if (i >= t->toks_cap &&
            enr_grow((void **)&t->toks, &t->toks_cap, i + 1, sizeof(*tk), 64))
                return ENR_ERR_NOMEM;
        tk           = &t->toks[i];
        tk->start    = (uint32_t)start;
        tk->end      = (uint32_t)end;
        tk->cp_start = (uint32_t)cp_start;
        tk->kind     = (uint16_t)kind;
        tk->flags    = (uint16_t)(flags | tok_flags(sc, start, end, kind, ncp));
        tk->cp_end   = (uint32_t)cp_start + *ncp;
        if (nl || i == 0)
                tk->flags |= ENR_TOKF_LINE_START;
        t->ntoks = i + 1;

        if (nl >= 2)
                sc->dq_open = false; /* Quotes do not span paragraphs. */
        closer = tok_is_closer(sc, i);
        if (i == 0 || nl >= 2) {
                sent = para = true;
                sc->para_seen |= i > 0;
        } else {
                if (term != TERM_NONE && !closer && !tok_is_term(sc, i)) {
                        if (term == TERM_STOP)
                                sent = !tok_lower_initial(sc, i) &&
                                       tk->kind != ENR_TOK_PUNCT;
                        else if (term == TERM_ABBREV)
                                sent = tok_is_starter(sc, i);
                        if (term == TERM_STOP && !sent &&
                            tk->kind == ENR_TOK_PUNCT && !tok_is(sc, i, ',') &&
                            !tok_is(sc, i, ';') && !tok_is(sc, i, ':') &&
                            !tok_is(sc, i, ')'))
                                sent = true; /* An opening quote or dash. */
                }
                if (!sent && nl == 1 && term != TERM_ABBREV_NEVER &&
                    !tok_lower_initial(sc, i) && !tok_continues_line(sc, i - 1))
                        sent = true;
                if (!sent && i - t->sents[t->nsents - 1].tok_start >=
                                 ENR_TEXT_MAX_SENT_TOKENS)
                        sent = true;
                if (sent && nl == 1)
                        sc->line_seen = true;
        }
        if (sent) {
                tk->flags |= ENR_TOKF_SENT_START;
                if (!range_open(&t->sents, &t->nsents, &t->sents_cap, i))
                        return ENR_ERR_NOMEM;
                term = TERM_NONE;
        }
        if (para) {
                tk->flags |= ENR_TOKF_PARA_START;
                if (!range_open(&t->paras, &t->nparas, &t->paras_cap, i))
                        return ENR_ERR_NOMEM;
        }
        tk->sent = (uint32_t)(t->nsents - 1);

        /* Whether this token may end its sentence. */
        if (tok_is(sc, i, '.') && i > 0 && !sent &&
            t->toks[i - 1].kind == ENR_TOK_NUMBER &&
            (t->toks[i - 1].flags & ENR_TOKF_LINE_START) &&
            t->toks[i - 1].end == tk->start)
                sc->term = TERM_NONE; /* A list number: "2. Smith". */
        else if (tok_is_term(sc, i))
                sc->term = TERM_STOP;
        else if (tk->flags & ENR_TOKF_ABBREV)
                sc->term = sc->abbrev;
        else if (term != TERM_NONE && closer)
                sc->term = term;
        else
                sc->term = TERM_NONE;
        sc->prev_opener = tk->kind == ENR_TOK_PUNCT && !closer &&
                          cls_at(sc, tk->start, &n) == CL_QUOTE;
        if (tok_is(sc, i, '"'))
                sc->dq_open = !closer;
        return ENR_OK;
}

/*
 * For text without blank lines, paragraphs are its lines (those that
 * start a sentence, so paragraphs stay unions of sentences).
 */
static enr_err_t split_lines_into_paras(scan_t *sc) {
        enr_text_t *t = sc->t;
        size_t      i;

        t->nparas = 0;
        for (i = 0; i < t->ntoks; i++) {
                uint16_t f = t->toks[i].flags;

                if (i == 0 ||
                    ((f & ENR_TOKF_LINE_START) && (f & ENR_TOKF_SENT_START))) {
                        t->toks[i].flags |= ENR_TOKF_PARA_START;
                        if (!range_open(&t->paras, &t->nparas, &t->paras_cap,
                                        i))
                                return ENR_ERR_NOMEM;
                }
        }
        return ENR_OK;
}

/* Scans the token at pos (not whitespace); *kind and *flags set. */
static size_t scan_token(scan_t *sc, size_t pos, int cl, size_t n, int *kind,
                         unsigned *flags) {
        const unsigned char *u = sc->u;
        const enr_text_t    *t = sc->t;
        /*
         * A clitic follows a word directly, or after a space in tokenised
         * text ("do n't", "Leicestershire 's").
         */
        bool after_word =
            t->ntoks > 0 && (t->toks[t->ntoks - 1].kind == ENR_TOK_WORD ||
                             t->toks[t->ntoks - 1].kind == ENR_TOK_NUMBER);
        bool   glued = after_word && t->toks[t->ntoks - 1].end == pos;
        size_t end;

        *kind      = ENR_TOK_PUNCT;
        *flags     = 0;
        sc->abbrev = TERM_NONE;
        switch (cl) {
        case CL_UPPER:
        case CL_LOWER:
        case CL_DIGIT:
                if (u[pos] < 0x80) {
                        unsigned c = u[pos] | 0x20;

                        if (c == 'h' || c == 'w' || c == 'f') {
                                end = scan_url(sc, pos);
                                if (end > pos) {
                                        *kind = ENR_TOK_URL;
                                        return end;
                                }
                        }
                        end = scan_email(sc, pos);
                        if (end > pos) {
                                *kind = ENR_TOK_EMAIL;
                                return end;
                        }
                        if (after_word && c == 'n' && (end = nt_at(sc, pos))) {
                                *kind  = ENR_TOK_WORD;
                                *flags = ENR_TOKF_CLITIC;
                                return pos + end;
                        }
                }
                if (cl == CL_DIGIT)
                        return scan_number(sc, pos, kind);
                /* Fall through. */
        case CL_CASELESS:
                *kind = ENR_TOK_WORD;
                end   = scan_word(sc, pos, pos, kind);
                if (sc->abbrev != TERM_NONE)
                        *flags = ENR_TOKF_ABBREV;
                return end;
        case CL_APOS:
                if (after_word && (end = clitic_at(sc, pos)) &&
                    (glued || !apos_or_alnum_at(sc, pos + end))) {
                        *kind  = ENR_TOK_WORD;
                        *flags = ENR_TOKF_CLITIC;
                        return pos + end;
                }
                return pos + n;
        case CL_DOT:
                if (pos + 1 < sc->len && ascii_digit(u[pos + 1]) &&
                    !(t->ntoks > 0 && t->toks[t->ntoks - 1].end == pos)) {
                        /* A decimal without its 0: ".526". */
                        end = pos + 1;
                        while (end < sc->len && ascii_digit(u[end]))
                                end++;
                        *kind = ENR_TOK_NUMBER;
                        return end;
                }
                end = pos + 1;
                while (end < sc->len && u[end] == '.')
                        end++;
                return end - pos == 2 ? pos + 1 : end; /* "..." */
        case CL_HYPHEN:
                end = pos + n;
                if (u[pos] == '-')
                        while (end < sc->len && u[end] == '-')
                                end++; /* "--" */
                return end;
        case CL_SYMBOL:
                *kind = ENR_TOK_SYMBOL;
                return pos + n;
        case CL_OTHER:
        case CL_MARK:
                *kind = ENR_TOK_OTHER;
                return scan_other(sc, pos);
        default:
                return pos + n;
        }
}

void enr_text_init(enr_text_t *t) {
        memset(t, 0, sizeof(*t));
}

void enr_text_clear(enr_text_t *t) {
        if (!t)
                return;
        free(t->toks);
        free(t->sents);
        free(t->paras);
        memset(t, 0, sizeof(*t));
}

enr_err_t enr_text_analyze(enr_text_t *t, const char *s, size_t len,
                           size_t max_tokens, char *errstr,
                           size_t errstr_size) {
        scan_t    sc;
        size_t    pos = 0, cp = 0, bad;
        unsigned  nl    = 0;
        bool      space = false;
        enr_err_t err   = ENR_OK;

        if (!t || (!s && len)) {
                enr_set_errstr(errstr, errstr_size, "no text to analyse");
                return ENR_ERR_INVALID_ARG;
        }
        t->s      = s ? s : "";
        t->len    = 0;
        t->ncp    = 0;
        t->ntoks  = 0;
        t->nsents = 0;
        t->nparas = 0;
        if (len >= UINT32_MAX) {
                enr_set_errstr(errstr, errstr_size,
                               "text of %zu bytes is too large to analyse",
                               len);
                return ENR_ERR_TOO_LARGE;
        }
        bad = enr_utf8_validate(s, len);
        if (bad != len) {
                enr_set_errstr(errstr, errstr_size,
                               "invalid UTF-8 at byte offset %zu", bad);
                return ENR_ERR_INVALID_UTF8;
        }
        t->len = len;

        memset(&sc, 0, sizeof(sc));
        sc.u          = (const unsigned char *)t->s;
        sc.len        = len;
        sc.t          = t;
        sc.max_tokens = max_tokens;

        while (pos < len) {
                size_t   n, end;
                int      cl, kind;
                unsigned flags;
                uint32_t ncp;

                if (sc.u[pos] < 0x80) {
                        n  = 1;
                        cl = ascii_cls[sc.u[pos]];
                } else {
                        cl = cp_class(decode(sc.u, len, pos, &n));
                }
                if (cl == CL_SPACE || cl == CL_NL || cl == CL_PARA) {
                        /* A \r\n pair is one line break. */
                        if (cl == CL_NL &&
                            !(sc.u[pos] == '\r' && pos + 1 < len &&
                              sc.u[pos + 1] == '\n'))
                                nl++;
                        else if (cl == CL_PARA)
                                nl += 2;
                        space = true;
                        pos += n;
                        cp++;
                        continue;
                }
                end = scan_token(&sc, pos, cl, n, &kind, &flags);
                if (space)
                        flags |= ENR_TOKF_SPACE_BEFORE;
                err = push_token(&sc, pos, end, kind, flags, cp,
                                 nl > 2 ? 2 : nl, &ncp);
                if (err == ENR_ERR_LIMIT) {
                        enr_set_errstr(errstr, errstr_size,
                                       "more than %zu tokens", max_tokens);
                        goto out;
                }
                if (err) {
                        enr_set_errstr(errstr, errstr_size,
                                       "out of memory for %zu tokens",
                                       t->ntoks);
                        goto out;
                }
                cp += ncp;
                pos   = end;
                nl    = 0;
                space = false;
        }
        t->ncp = cp;
        if (t->nsents)
                t->sents[t->nsents - 1].tok_end = (uint32_t)t->ntoks;
        if (!sc.para_seen && sc.line_seen)
                err = split_lines_into_paras(&sc);
        if (t->nparas)
                t->paras[t->nparas - 1].tok_end = (uint32_t)t->ntoks;
out:
        if (err) {
                t->ntoks  = 0;
                t->nsents = 0;
                t->nparas = 0;
        }
        return err;
}

bool enr_tok_in(const enr_text_t *t, size_t i, const char *const *words) {
        unsigned c;
        size_t   k;

        if (i >= t->ntoks)
                return false;
        c = (unsigned char)*enr_tok_ptr(t, i);
        /* Most tokens differ from every word in the first letter. */
        if (c >= 'A' && c <= 'Z')
                c |= 0x20;
        for (k = 0; words[k]; k++)
                if ((unsigned char)words[k][0] == c &&
                    enr_tok_ieq(t, i, words[k]))
                        return true;
        return false;
}

bool enr_ascii_ieq(const char *a, size_t alen, const char *b, size_t blen) {
        size_t i;

        if (alen != blen)
                return false;
        for (i = 0; i < alen; i++) {
                unsigned x = (unsigned char)a[i], y = (unsigned char)b[i];
                if (x >= 'A' && x <= 'Z')
                        x |= 0x20;
                if (y >= 'A' && y <= 'Z')
                        y |= 0x20;
                if (x != y)
                        return false;
        }
        return true;
}

bool enr_tok_ieq(const enr_text_t *t, size_t i, const char *word) {
        const unsigned char *u = (const unsigned char *)enr_tok_ptr(t, i);
        size_t               n = enr_tok_len(t, i), k;

        for (k = 0; k < n; k++) {
                unsigned c = u[k];

                if (c >= 'A' && c <= 'Z')
                        c |= 0x20;
                if (c != (unsigned char)word[k] || !word[k])
                        return false;
        }
        return word[n] == '\0';
}

size_t enr_tok_lower(const enr_text_t *t, size_t i, char *buf, size_t size) {
        const unsigned char *u = (const unsigned char *)enr_tok_ptr(t, i);
        size_t               n = enr_tok_len(t, i), k = 0, o = 0;

        if (!size)
                return 0;
        while (k < n) {
                unsigned c = u[k];

                if (c < 0x80) {
                        if (o + 1 >= size)
                                break;
                        buf[o++] =
                            (char)((c >= 'A' && c <= 'Z') ? c | 0x20 : c);
                        k++;
                } else if (c == 0xE2 && k + 2 < n && u[k + 1] == 0x80 &&
                           (u[k + 2] == 0x98 || u[k + 2] == 0x99)) {
                        if (o + 1 >= size)
                                break;
                        buf[o++] = '\''; /* ‘ ’ */
                        k += 3;
                } else {
                        size_t   m;
                        uint32_t cp = decode(u, n, k, &m);

                        if (o + m >= size)
                                break;
                        /* Latin-1 and Latin Extended-A capitals. */
                        if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
                            (cp >= 0x100 && cp <= 0x17F &&
                             latin_ext_class(cp) == CL_UPPER && cp != 0x178)) {
                                cp += cp < 0x100 ? 0x20 : 1;
                                buf[o++] = (char)(0xC0 | (cp >> 6));
                                buf[o++] = (char)(0x80 | (cp & 0x3F));
                        } else {
                                memcpy(buf + o, u + k, m);
                                o += m;
                        }
                        k += m;
                }
        }
        buf[o] = '\0';
        return o;
}
