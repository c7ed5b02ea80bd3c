/*
 * Text analysis of one field (title or body): UTF-8 validation, tokens with
 * byte and code-point offsets, sentence and paragraph boundaries.
 *
 * The analysis never copies the text: tokens point into the caller's buffer
 * by offset. An enr_text_t is scratch space meant to be reused article after
 * article; its arrays grow to the largest article seen and stay allocated.
 */
#ifndef ENRICHER_TEXT_H
#define ENRICHER_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"

/*
 * Tokenization rules (English news; offsets are exact in bytes and code
 * points):
 *
 * - Whitespace (including no-break and other Unicode spaces, controls)
 *   separates tokens and is never part of one. \r\n is one line break; a
 *   blank line is two or more line breaks with only whitespace between;
 *   U+2029 PARAGRAPH SEPARATOR counts as a blank line.
 * - Words are runs of letters (any script), digits and combining marks,
 *   with inner hyphens ("decades-long", "Al-Aqsa", "COVID-19": one token,
 *   ENR_TOKF_HAS_HYPHEN), inner apostrophes before letters ("O'Brien"),
 *   and & between capitals ("AT&T").
 * - Clitics are split as in the Penn Treebank and spaCy: "Israel’s" is
 *   "Israel" + "’s", "don't" is "do" + "n't", "can't" is "ca" + "n't";
 *   clitic tokens ('s 're 've 'll 'd 'm n't, with ' or ’) are WORD tokens
 *   flagged ENR_TOKF_CLITIC. In already tokenised text (CoNLL, PTB) a
 *   clitic after a space is still one ("do n't", "Leicestershire 's"). A
 *   trailing apostrophe ("students'") is a separate PUNCT token.
 * - Abbreviations keep their full stop and get ENR_TOKF_ABBREV: dotted
 *   letter sequences ("U.S.", "U.K.", "e.g.", "i.e.", "a.m."), single
 *   capital initials ("J."), and a fixed list (Mr Mrs Ms Dr Prof St Gen
 *   Sen Gov Rev Capt … Jan Feb … Dec Inc Ltd Corp Co Jr Sr etc vs, "No."
 *   only before a number).
 * - Numbers (NUMBER) are digits with thousands separators (",ddd": 70,457
 *   and 1,000,000.25), decimals (1.5, and ".526" after a space), times
 *   (10:30), slashes (9/11) and hyphens between digits, as in CoNLL and
 *   spaCy: dates, ranges and scores ("1996-08-30", "2019-20", "16-18")
 *   are one NUMBER token with ENR_TOKF_HAS_HYPHEN.
 *   Ordinal and decade suffixes stay in the number ("3rd", "1990s").
 *   Unit and multiplier suffixes are split into a WORD token with no
 *   space before it: "600m" is "600" + "m", "1.5bn" is "1.5" + "bn",
 *   "10am" is "10" + "am", "5km" is "5" + "km". Other letters make the
 *   whole a WORD with ENR_TOKF_HAS_DIGIT ("3D", "5G", "18-year-old").
 * - Currency and other symbols are SYMBOL tokens of one character, split
 *   from the amount: "£600m" is "£" "600" "m"; "76%" is "76" "%";
 *   "US$5" is "US" "$" "5".
 * - Punctuation is one character per token (PUNCT), except "..." and
 *   "--"; en and em dashes always separate tokens; curly and straight
 *   quotes are PUNCT.
 * - URLs ("http://…", "https://…", "www.…", "bbc.co.uk/news") and e-mail
 *   addresses are single URL and EMAIL tokens; trailing punctuation is not
 *   part of them.
 * - Emoji with their modifiers and joined sequences are OTHER tokens.
 *
 * Sentence rules:
 * - A sentence ends after . ! ? … or "..." (and any closing quotes or
 *   brackets right after them) unless the next token begins with a
 *   lower-case letter or is , ; : or ). Straight double quotes alternate
 *   between opening and closing within a paragraph; a straight single
 *   quote closes when no space precedes it. A "." right after a number
 *   that begins a line is a list marker ("2. Smith") and ends nothing.
 * - After an abbreviation that may end a sentence ("U.S.", "Inc.",
 *   "etc.", an initial) the sentence ends only before a capitalised
 *   function word that typically starts one ("The", "He", "But" …); after
 *   titles ("Mr.", "Dr.", "St.") and "e.g." it never ends.
 * - A line break ends a sentence (a heading line without final
 *   punctuation is its own sentence) unless the next line begins with a
 *   lower-case letter or the line ends in , ( [ & a hyphen or an opening
 *   quote, or after a title abbreviation. A blank line always ends one.
 * - A sentence is cut after ENR_TEXT_MAX_SENT_TOKENS tokens.
 *
 * Paragraph rules: paragraphs split at blank lines. When the text has no
 * blank line but has single line breaks that end sentences, paragraphs are
 * the lines instead (each line break that starts a sentence starts a
 * paragraph). Paragraphs are always unions of whole sentences.
 */

/** The most tokens in one sentence; longer runs are cut. */
#define ENR_TEXT_MAX_SENT_TOKENS 512

/**
 * @brief Checks that s[0..len) is well-formed UTF-8 (no overlongs, no
 *        surrogates, nothing above U+10FFFF).
 * @returns len when valid, else the byte offset of the first bad sequence.
 */
size_t enr_utf8_validate(const char *s, size_t len);

/**
 * @brief Decodes the code point at s[*pos], advancing *pos past it.
 * @returns The code point, or -1 on an invalid sequence, in which case
 *          *pos advances by one byte. Never reads at or past len.
 */
int32_t enr_utf8_next(const char *s, size_t len, size_t *pos);

/** @brief Number of code points in s[0..len) (invalid bytes count one each). */
size_t enr_utf8_count(const char *s, size_t len);

/** What a token is. */
typedef enum enr_tok_kind {
        ENR_TOK_WORD = 0, /**< Letters, possibly with inner ' - . (U.S.) */
        ENR_TOK_NUMBER,   /**< Digits with , . : / - inside: 70,457 1.5 3rd */
        ENR_TOK_PUNCT,    /**< . , ; : ! ? quotes, brackets, dashes */
        ENR_TOK_SYMBOL,   /**< Currency and other symbols: $ £ € % & */
        ENR_TOK_URL,      /**< http://…, www.… */
        ENR_TOK_EMAIL,    /**< user@example.com */
        ENR_TOK_OTHER     /**< Anything else (emoji, other scripts' marks) */
} enr_tok_kind_t;

/** Token flags (bits of enr_token_t.flags). */
#define ENR_TOKF_UPPER_INITIAL 0x0001 /**< First letter is upper case. */
#define ENR_TOKF_ALL_UPPER     0x0002 /**< Every letter is upper case. */
#define ENR_TOKF_HAS_DIGIT     0x0004 /**< Contains a digit. */
#define ENR_TOKF_HAS_HYPHEN    0x0008 /**< Contains an inner hyphen. */
#define ENR_TOKF_ABBREV        0x0010 /**< Ends in a '.' that is part of it. */
#define ENR_TOKF_SENT_START    0x0020 /**< First token of a sentence. */
#define ENR_TOKF_PARA_START    0x0040 /**< First token of a paragraph. */
#define ENR_TOKF_SPACE_BEFORE  0x0080 /**< Whitespace precedes the token. */
#define ENR_TOKF_CLITIC        0x0100 /**< 's n't 're 've 'll 'd 'm ’s … */
#define ENR_TOKF_NON_ASCII     0x0200 /**< Contains a non-ASCII byte. */
#define ENR_TOKF_LINE_START    0x0400 /**< First token of a line. */

/** One token: offsets into the analysed field. */
typedef struct enr_token {
        uint32_t start;    /**< Byte offset of the first byte. */
        uint32_t end;      /**< Byte offset one past the last byte. */
        uint32_t cp_start; /**< Code-point offset of the first character. */
        uint32_t cp_end;   /**< Code-point offset one past the last one. */
        uint16_t kind;     /**< An enr_tok_kind_t. */
        uint16_t flags;    /**< ENR_TOKF_* bits. */
        uint32_t sent;     /**< Index of the sentence holding the token. */
} enr_token_t;

/** A range of tokens: a sentence or a paragraph. */
typedef struct enr_range {
        uint32_t tok_start; /**< First token index. */
        uint32_t tok_end;   /**< One past the last token index. */
} enr_range_t;

/** The analysis of one field. Caller-owned: enr_text_init/enr_text_clear. */
typedef struct enr_text {
        const char  *s;     /**< Borrowed: the analysed bytes. */
        size_t       len;   /**< Their length. */
        size_t       ncp;   /**< Number of code points. */
        enr_token_t *toks;  /**< Tokens in text order. */
        size_t       ntoks; /**< Number of tokens. */
        size_t       toks_cap;
        enr_range_t *sents;  /**< Sentences, in order, covering all tokens. */
        size_t       nsents; /**< Number of sentences. */
        size_t       sents_cap;
        enr_range_t *paras;  /**< Paragraphs (split at blank lines). */
        size_t       nparas; /**< Number of paragraphs. */
        size_t       paras_cap;
} enr_text_t;

/** @brief Prepares an empty enr_text_t (no allocation). */
void enr_text_init(enr_text_t *t);

/** @brief Frees the arrays of t; t may be initialised again afterwards. */
void enr_text_clear(enr_text_t *t);

/**
 * @brief Tokenises s[0..len) and finds its sentences and paragraphs.
 *
 * @param t          Reused scratch; previous results are overwritten.
 * @param s          Borrowed: must stay valid while t's results are used.
 * @param max_tokens Limit on the number of tokens (0: no limit).
 * @returns ENR_OK; ENR_ERR_INVALID_UTF8 when s is not valid UTF-8 (errstr
 *          says "invalid UTF-8 at byte offset N"); ENR_ERR_LIMIT over
 *          max_tokens; ENR_ERR_TOO_LARGE when len does not fit the 32-bit
 *          offsets; ENR_ERR_INVALID_ARG for a NULL t, or a NULL s with a
 *          non-zero len; ENR_ERR_NOMEM. On error t holds no tokens.
 * @remark Allocates only when t's arrays must grow; never per token.
 */
enr_err_t enr_text_analyze(enr_text_t *t, const char *s, size_t len,
                           size_t max_tokens, char *errstr, size_t errstr_size);

/** @brief The byte length of token i. */
static inline uint32_t enr_tok_len(const enr_text_t *t, size_t i) {
        return t->toks[i].end - t->toks[i].start;
}

/** @brief A pointer to the first byte of token i (not terminated). */
static inline const char *enr_tok_ptr(const enr_text_t *t, size_t i) {
        return t->s + t->toks[i].start;
}

/**
 * @brief Whether token i has the letters of word, comparing ASCII case-
 *        insensitively (word must be lower case).
 */
bool enr_tok_ieq(const enr_text_t *t, size_t i, const char *word);

/**
 * @brief Whether token i of t (false past the last) is one of words, a
 *        NULL-terminated list of lower-case words, ignoring ASCII case.
 */
bool enr_tok_in(const enr_text_t *t, size_t i, const char *const *words);

/**
 * @brief Whether a[0..alen) and b[0..blen) are equal ignoring ASCII case
 *        ("IRAN" and "Iran").
 */
bool enr_ascii_ieq(const char *a, size_t alen, const char *b, size_t blen);

/**
 * @brief Writes the lower-cased form of token i into buf (ASCII letters and
 *        the Latin-1 supplement lower-cased; curly apostrophes become ').
 * @returns The length written (truncated to size-1), buf terminated.
 */
size_t enr_tok_lower(const enr_text_t *t, size_t i, char *buf, size_t size);

#endif
