/* SPDX-License-Identifier: MIT */
/* Private to src/mt: the segmented document that segment.c makes and
 * answer.c checks answers against and puts back together. */
#ifndef MB_MT_DOC_H
#define MB_MT_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "mt/mt_int.h"

/* Inline tags open at once in a segment, at most; more end it. */
#define STACK_MAX 64

enum item_kind { IT_TEXT, IT_OPEN, IT_CLOSE, IT_VOID, IT_HOLD };

/* One piece of a segment. */
struct item {
	enum item_kind	kind;
	char		*text;		/* IT_TEXT: decoded, NFC; owned */
	size_t		 tlen;
	size_t		 roff, rend;	/* IT_TEXT: its source bytes */
	int		 n;		/* tag or placeholder number */
	char		 name[16];	/* tags: the name the engine sees */
};

/* An inline tag of the document (or a comment inside a segment). */
struct tag {
	size_t	off, len;	/* the original open tag, as written */
	size_t	coff, clen;	/* its original closing tag; clen 0: none */
	char	name[16];	/* the name the engine sees */
	bool	isvoid;
};

/* What a placeholder stands for. */
struct hold {
	size_t	 off, len;	/* original HTML (code, translate="no") */
	char	*repl;		/* or a glossary term's replacement text */
	bool	 glue_l;	/* a digit before it: sent with a space */
	bool	 glue_r;	/* a digit after it: sent with a space */
};

struct seg {
	struct item	*items;
	size_t		 n, cap;
	size_t		 start;		/* where it starts in the source */
	size_t		 lead_off, lead_len;	/* white space kept as is */
	size_t		 trail_off, trail_len;
	int		 tag_lo, tag_hi;	/* its tags' numbers */
	bool		 nested;	/* its inline tags nest properly */
};

struct part {
	bool	seg;
	size_t	off, len;	/* verbatim source bytes */
	size_t	k;		/* or a segment */
};

struct mb_mt__doc {
	const char	*src;
	size_t		 len;
	bool		 plain;
	struct part	*parts;
	size_t		 nparts, capparts;
	struct seg	*segs;
	size_t		 nsegs, capsegs;
	struct tag	*tags;
	size_t		 ntags, captags;
	struct hold	*holds;
	size_t		 nholds, capholds;
	long		 base;		/* placeholders: base + n ... */
	int		 width;		/* ... written in width digits */
};

/*
 * The next placeholder in t[from..len): a run of exactly doc->width
 * digits from doc->base on. Its offset (len when none), its number and
 * its length.
 */
size_t mb_mt__find_hold(const struct mb_mt__doc *doc, const char *t,
    size_t len, size_t from, int *n, size_t *plen);

#endif
