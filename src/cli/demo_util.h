/* SPDX-License-Identifier: MIT */
/*
 * What the demo's steps share (demo_util.c): running a program or this
 * one, waiting, talking HTTP to the centers it started on 127.0.0.1, a
 * free port for a helper server, an API token made in a center's store.
 */
#ifndef MB_CLI_DEMO_UTIL_H
#define MB_CLI_DEMO_UTIL_H

#include "base/buf.h"
#include "base/err.h"
#include "newsroom/accounts.h"
#include "newsroom/items.h"

struct mb_center_node;

/* Sleeps ms milliseconds. */
void mb_demo_nap(int ms);

/*
 * Runs exe with args (NULL-terminated, at most 30) after it, in fed to
 * its standard input (NULL: none), its standard output and error into out
 * (NULL: dropped). Returns its exit status, or -1 when it could not run.
 */
int mb_demo_run(const char *exe, const char *const *args, const char *in,
    struct mb_buf *out);

/* mb_demo_run() of this program (/proc/self/exe), no input. */
int mb_demo_self(const char *const *args, struct mb_buf *out);

/* A port free on 127.0.0.1 now (the kernel's choice), or 0. */
int mb_demo_free_port(void);

/*
 * One request to 127.0.0.1:port, up to timeout_s seconds: with token,
 * an Authorization header; extra, more header lines ("Name: value\r\n"
 * each, may be NULL); body, a JSON body (may be NULL). Returns the
 * status (-1: no answer), the answer's body into out (may be NULL).
 */
int mb_demo_http(int port, const char *method, const char *path,
    const char *token, const char *extra, const char *body,
    struct mb_buf *out, int timeout_s);

/* A new API token for user at the center DIR/id, made in its store. */
int mb_demo_token(const char *dir, const char *id, const char *user,
    char tok[MB_SECRET_TEXT_LEN], struct mb_diag *d);

/*
 * The center DIR/id opened as the newsroom's services use it: its node,
 * and e with its store, its ingest and its id. On failure what was
 * opened waits for mb_demo_nr_close(), which closes whatever is open.
 */
int mb_demo_nr_open(const char *dir, const char *id,
    struct mb_center_node **n, struct mb_newsroom_env *e, struct mb_diag *d);
void mb_demo_nr_close(struct mb_center_node *n, struct mb_newsroom_env *e);

#endif
