/* SPDX-License-Identifier: MIT */
/* Private to src/text: the word fold and the light stemmers shared by the
 * normalizer, the tokenizer and the query translator. */
#ifndef MB_TEXT_INTERNAL_H
#define MB_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Reusable memory for mb_text__fold(); zero it to start. */
struct mb_text__scratch {
	int32_t	*cp;
	size_t	 cap;
};

void mb_text__scratch_free(struct mb_text__scratch *sc);

/*
 * Appends the fold of s[0..len) (valid UTF-8) to out; with accents false
 * Latin diacritics are kept (the caller folds them after stemming).
 * MB_OK or MB_ERR_NOMEM.
 */
int mb_text__fold(const char *s, size_t len, bool accents,
    struct mb_text__scratch *sc, struct mb_buf *out);

/*
 * The Arabic light stemmer (Larkey's light10, as in Lucene) on a folded
 * word, in place; returns the new length.
 */
size_t mb_text__ar_stem(char *w, size_t len);

/* Portuguese -ções/-sões/-ões plurals to -ção/-são/-ão (folded: -coes ->
 * -cao) before Snowball, which keeps them apart; in place. */
size_t mb_text__pt_prestem(char *w, size_t len);

/* True when the language's stemmer needs the diacritics (tr, hu, fi...):
 * stem first, then fold accents. */
bool mb_text__stem_before_fold(const char *primary);

/* Word classes of a code point, for the tokenizer and the translator. */
enum mb_text__class {
	MB_TC_SEP,	/* ends a word */
	MB_TC_WORD,	/* letter, number, mark: part of a word */
	MB_TC_CJK	/* Han, Kana, Hangul: indexed as bigrams */
};

enum mb_text__class mb_text__classify(uint32_t cp);

/*
 * mb_text__classify() of U+0000-U+33FF (every alphabet before CJK) by
 * table, one byte (an enum mb_text__class) a code point: the tokenizer
 * looks up every code point of the text. Built on first use, once per
 * process; never NULL.
 */
#define MB_TEXT__CLASS_TABLE_END	0x3400
const uint8_t *mb_text__class_table(void);

#endif
