/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: an offline course package (courses/package.h), the zip a
 * learner copies from anyone and checks before opening. The first byte
 * picks the shape:
 *
 *   even: the rest is the zip, checked as it came (libarchive's reader,
 *         the path rules, the manifest's proof);
 *   odd:  the rest is entries "name\0data\0name\0data...", packed here
 *         with a manifest that lists them and is signed with the key the
 *         check trusts, so the fuzzer reaches what a good signature lets
 *         through: the listing and the extraction. The second byte's bit
 *         0 extracts into a fresh directory, bit 1 changes the last
 *         file's bytes after signing.
 *
 * For the odd shape the verdict is known beforehand, from the rules as
 * docs/courses.md states them (not from package.c's code): a path is
 * one to 200 bytes of segments of [A-Za-z0-9._-], none empty, "." or
 * ".."; no name twice (the manifest's own included), none also the
 * directory of another; a file changed after signing is refused. An
 * extracted package holds exactly its files, byte for byte; a refused
 * one leaves nothing, and nothing is written beside the directory.
 */
#include <dirent.h>
#include <ftw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <sodium.h>

#include "base/buf.h"
#include "base/err.h"
#include "courses/package.h"
#include "item/key.h"
#include "signed/proof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ENTRIES	12

static struct mb_key	*key;
static uint8_t		 pk[MB_PUBKEY_LEN];

struct ent {
	const char	*name;
	const char	*data;
	size_t		 len;
};

static la_ssize_t
write_cb(struct archive *a, void *arg, const void *buf, size_t n)
{
	(void)a;
	return mb_buf_append(arg, buf, n) == MB_OK ? (la_ssize_t)n : -1;
}

/* false: libarchive will not write it: no zip holds it. */
static bool
add(struct archive *a, const char *name, const void *p, size_t len)
{
	struct archive_entry	*ae;
	bool			 ok;

	if ((ae = archive_entry_new()) == NULL)
		abort();
	archive_entry_set_pathname(ae, name);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0644);
	archive_entry_set_size(ae, (la_int64_t)len);
	ok = archive_write_header(a, ae) == ARCHIVE_OK && (len == 0 ||
	    archive_write_data(a, p, len) == (la_ssize_t)len);
	archive_entry_free(ae);
	return ok;
}

/* The rule as docs/courses.md states it. */
static bool
path_allowed(const char *s)
{
	size_t	 n = strlen(s);
	char	 seg[256];
	size_t	 k = 0;

	if (n == 0 || n > 200)
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			seg[k] = '\0';
			if (k == 0 || strcmp(seg, ".") == 0 ||
			    strcmp(seg, "..") == 0)
				return false;
			k = 0;
			continue;
		}
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", s[i]) == NULL || s[i] == '\0')
			return false;
		seg[k++] = s[i];
	}
	return true;
}

static int
rm_cb(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

/* Whether path holds exactly data. */
static bool
holds(const char *path, const char *data, size_t len)
{
	FILE	*f;
	char	*got;
	size_t	 n;
	bool	 same;

	if ((f = fopen(path, "rb")) == NULL)
		return false;
	if ((got = malloc(len + 1)) == NULL)
		abort();
	n = fread(got, 1, len + 1, f);
	fclose(f);
	same = n == len && memcmp(got, data, len) == 0;
	free(got);
	return same;
}

/* Counts the files under dir (directories not counted). */
static int	counted;
static int
count_cb(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)p;
	(void)st;
	(void)f;
	if (flag == FTW_F)
		counted++;
	else if (flag != FTW_D && flag != FTW_DP)
		abort();	/* a link or something unreadable */
	return 0;
}

static void
structured(const uint8_t *data, size_t size)
{
	struct ent		 en[MAX_ENTRIES];
	struct mb_package_report rep;
	struct mb_buf		 zip = MB_BUF_INIT, man = MB_BUF_INIT;
	struct mb_diag		 d = { 0 };
	struct archive		*a;
	json_t			*doc, *files;
	char			*copy, *p, *end;
	char			 base[] = "/tmp/fuzz-package-XXXXXX", dir[64];
	uint8_t			 flags;
	bool			 expect_ok = true, extract, tamper;
	int			 n = 0, rc;

	if (size < 1)
		return;
	flags = data[0];
	extract = flags & 1;
	tamper = flags & 2;
	/* A NUL after the last byte: every name and datum ends. */
	if ((copy = malloc(size)) == NULL)
		abort();
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	p = copy;
	end = copy + size - 1;
	while (p < end && n < MAX_ENTRIES) {
		char *nul = memchr(p, '\0', (size_t)(end - p));
		char *dnul;

		if (nul == NULL)
			break;
		en[n].name = p;
		p = nul + 1;
		dnul = memchr(p, '\0', (size_t)(end - p));
		if (dnul == NULL)
			dnul = end;
		en[n].data = p;
		en[n].len = (size_t)(dnul - p);
		p = dnul + 1;
		n++;
	}
	/*
	 * An empty name no zip writer makes (libarchive refuses it, and
	 * leaks its block buffer once refused): only raw zips carry one.
	 */
	for (int i = 0; i < n; i++)
		if (en[i].name[0] == '\0')
			n = 0;
	if (n == 0) {
		free(copy);
		return;
	}

	if ((files = json_array()) == NULL)
		abort();
	for (int i = 0; i < n; i++) {
		uint8_t	h[crypto_hash_sha256_BYTES];
		char	hex[2 * sizeof(h) + 1];

		if (!path_allowed(en[i].name) ||
		    strcmp(en[i].name, MB_PACKAGE_MANIFEST) == 0)
			expect_ok = false;
		for (int k = 0; k < n; k++) {
			size_t l = strlen(en[i].name);

			if (k < i && strcmp(en[k].name, en[i].name) == 0)
				expect_ok = false;
			/* "a" and "a/b": no disk holds both. */
			if (strncmp(en[k].name, en[i].name, l) == 0 &&
			    en[k].name[l] == '/')
				expect_ok = false;
		}
		crypto_hash_sha256(h, (const uint8_t *)en[i].data,
		    en[i].len);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		/* A name that is not UTF-8 cannot be listed: JCS refuses it. */
		json_array_append_new(files, json_pack("{s:s, s:I, s:s}",
		    "path", en[i].name, "size", (json_int_t)en[i].len,
		    "sha256", hex));
	}
	if ((doc = json_pack("{s:s, s:s, s:s, s:o}", "type", MB_PACKAGE_TYPE,
	    "course", "https://hq.example/items/hq/course-1", "packager",
	    "hq", "files", files)) == NULL)
		abort();
	if (json_array_size(files) != (size_t)n || mb_proof_sign_text(doc,
	    key, NULL, &man, &d) != MB_OK) {
		/* Not listable: the packer could not have made it. */
		json_decref(doc);
		mb_buf_free(&man);
		free(copy);
		return;
	}
	if (tamper) {
		/* The last file changes after signing: same length, or one more. */
		char *t = (char *)en[n - 1].data;

		if (en[n - 1].len > 0)
			t[0] ^= 0x01;
		else
			en[n - 1].len = 1;	/* its NUL, now a byte of it */
		expect_ok = false;
	}

	if ((a = archive_write_new()) == NULL ||
	    archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_open(a, &zip, NULL, write_cb, NULL) != ARCHIVE_OK)
		abort();
	for (int i = 0; i < n; i++)
		if (!add(a, en[i].name, en[i].data, en[i].len))
			goto out;
	if (!add(a, MB_PACKAGE_MANIFEST, man.data, man.len) ||
	    archive_write_close(a) != ARCHIVE_OK)
		abort();
	archive_write_free(a);
	a = NULL;

	if (extract) {
		if (mkdtemp(base) == NULL)
			abort();
		snprintf(dir, sizeof(dir), "%s/x", base);
	}
	rc = mb_courses_package_check(zip.data, zip.len, pk, extract ? dir :
	    NULL, &rep, &d);
	if (expect_ok != (rc == MB_OK))
		abort();
	if (rc == MB_OK) {
		if (rep.files != n + 1 || strcmp(rep.packager, "hq") != 0)
			abort();
		if (extract) {
			char path[4096];

			for (int i = 0; i < n; i++) {
				snprintf(path, sizeof(path), "%s/%s", dir,
				    en[i].name);
				if (!holds(path, en[i].data, en[i].len))
					abort();
			}
			counted = 0;
			if (nftw(base, count_cb, 16, FTW_PHYS) != 0 ||
			    counted != n + 1)
				abort();
		}
	}
	if (extract) {
		/*
		 * Nothing beside dir (nothing escaped it), and dir only
		 * for a package that holds: a refused one leaves nothing.
		 */
		DIR		*dp = opendir(base);
		struct dirent	*de;

		if (dp == NULL)
			abort();
		while ((de = readdir(dp)) != NULL)
			if (strcmp(de->d_name, ".") != 0 &&
			    strcmp(de->d_name, "..") != 0 &&
			    (strcmp(de->d_name, "x") != 0 || rc != MB_OK))
				abort();
		closedir(dp);
		nftw(base, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	}
out:
	if (a != NULL)
		archive_write_free(a);
	json_decref(doc);
	mb_buf_free(&man);
	mb_buf_free(&zip);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_package_report rep;
	struct mb_diag		 d = { 0 };

	if (key == NULL) {
		if (sodium_init() < 0 || mb_key_generate(&key) != MB_OK)
			abort();
		mb_key_public(key, pk);
	}
	if (size < 1)
		return 0;
	if ((data[0] & 1) == 0) {
		(void)mb_courses_package_check(data + 1, size - 1, pk, NULL,
		    &rep, &d);
		return 0;
	}
	structured(data + 1, size - 1);
	return 0;
}
