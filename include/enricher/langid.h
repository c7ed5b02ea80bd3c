/*
 * Language identification: guesses the language (ISO 639-1, else 639-3),
 * the dominant script (ISO 15924) and a confidence for an article's title
 * and body. Scripts used by one language decide alone (Greek, Hebrew, Thai,
 * Hangul, kana ...); Latin, Cyrillic, Arabic and Devanagari text is scored
 * with character 1- to 5-gram log-probabilities derived from Lingua's
 * models (resources/lang/PROVENANCE.md); word tables beside the model
 * then separate close pairs (ms/id, bs/hr, nb/nn). The model is loaded
 * once and is read-only afterwards, so one model serves every thread.
 */
#ifndef ENRICHER_LANGID_H
#define ENRICHER_LANGID_H

#include <stddef.h>

/** A loaded language model; opaque, read-only after enr_langid_new(). */
typedef struct enr_langid enr_langid_t;

/** One guess. */
typedef struct enr_lang_guess {
        char code[8];      /**< ISO 639-1 ("en"), else ISO 639-3; "und" when
                                undetermined (no letters). */
        char script[8];    /**< ISO 15924 of the dominant script: "Latn",
                                "Cyrl", "Arab", "Deva", "Hani", "Jpan" (text
                                with kana), "Hang" (Hangul alone) or "Kore"
                                (Hangul with Han), "Grek", "Hebr", "Thai" ...;
                                "Zyyy" when there are no letters. */
        double confidence; /**< 0..1: the winner's posterior (softmax of the
                                scores of the script's languages, calibrated
                                on dev data); for a script of one language
                                the share of letters in it; 0 for "und". */
} enr_lang_guess_t;

/** The model file read when enr_langid_new() is given no path. */
#define ENR_LANGID_DEFAULT_FILE "lang/langid.bin"

/** Bytes of the body looked at, at most (the title is read whole up to
 *  the same limit). */
#define ENR_LANGID_MAX_BYTES 4096

/**
 * @brief Loads a language model.
 *
 * @param resources_dir The resources directory, used when @p path is NULL
 *                      (then <resources_dir>/lang/langid.bin is read); NULL
 *                      means the built-in default (ENR_RESOURCE_DIR).
 * @param path          The model file, or NULL. Borrowed.
 * @param errstr        Receives a message on failure (may be NULL).
 * @param errstr_size   Size of @p errstr.
 * @returns A model the caller frees with enr_langid_destroy(), or NULL on
 *          failure (unreadable file, or a corrupt one: "model: ..." in
 *          @p errstr, as for ENR_ERR_MODEL).
 * @remark The file is mapped read-only (mmap) and used in place, with a
 *         1 MB index beside it; it is checked whole (CRC, every entry)
 *         here. The pair tables pair-*.txt in the model file's directory
 *         are read too (a corrupt one fails the load, naming it; none is
 *         required). Replace it by rename(), never rewrite it in place while a
 *         model is loaded.
 */
enr_langid_t *enr_langid_new(const char *resources_dir, const char *path,
                             char *errstr, size_t errstr_size);

/**
 * @brief Frees a model; NULL is a no-op.
 */
void enr_langid_destroy(enr_langid_t *l);

/**
 * @brief Guesses the language of a title and a body.
 *
 * Thread-safe, allocates nothing and reads at most ENR_LANGID_MAX_BYTES of
 * each of @p title and @p body; it stops earlier once one language leads
 * clearly. Any bytes are accepted (invalid UTF-8 counts as non-letters).
 *
 * @param l         The model. Borrowed.
 * @param title     The title, or NULL. Borrowed for the call.
 * @param title_len Its length in bytes.
 * @param body      The body, or NULL. Borrowed for the call.
 * @param body_len  Its length in bytes.
 * @param out       Receives the guess (always filled in).
 */
void enr_langid_detect(const enr_langid_t *l, const char *title,
                       size_t title_len, const char *body, size_t body_len,
                       enr_lang_guess_t *out);

/**
 * @brief Whether @p code is a language the model can answer.
 * @returns 1 if it is, 0 if not (or @p code is NULL).
 */
int enr_langid_knows(const enr_langid_t *l, const char *code);

/**
 * @brief The number of languages the model can answer.
 */
size_t enr_langid_count(const enr_langid_t *l);

/**
 * @brief The code of language @p i (0 <= i < enr_langid_count()).
 * @returns A code borrowed from the model (valid until
 *          enr_langid_destroy()), or NULL when @p i is out of range.
 */
const char *enr_langid_code(const enr_langid_t *l, size_t i);

/**
 * @brief The ISO 15924 script of language @p i, or NULL when out of range.
 * @returns A string borrowed from the model.
 */
const char *enr_langid_script(const enr_langid_t *l, size_t i);

#endif /* ENRICHER_LANGID_H */
