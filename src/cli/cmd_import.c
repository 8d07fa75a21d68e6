/* SPDX-License-Identifier: MIT */
/* mediabridge import: ninjs items or signed envelopes in, every core busy. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "center/ingest.h"
#include "cli/cli.h"
#include "item/json.h"
#include "text/tokenizer.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_import = {
	"import", "import ninjs items (JSON or NDJSON) or signed envelopes",
	"usage: mediabridge import DIR [--audience public|network|internal]\n"
	"                          FILE...\n\n"
	"Reads each FILE (\"-\" for standard input; from a pipe, each value is\n"
	"stored as it comes): one JSON value, an array, or one value a line\n"
	"(NDJSON). A value is either a ninjs item of this\n"
	"center (an item without uri gets one minted, version \"1\") or a\n"
	"signed envelope from a center the store knows. Every version is\n"
	"checked, signed or verified, stored and indexed. One bad item does\n"
	"not stop the rest; importing the same file twice adds nothing. A\n"
	"stored version never changes: the same uri and version with other\n"
	"content is refused (give it the next version).\n"
	"Exit status 1 when anything was refused.\n",
	run
};

/* One unit of work crossing from the parsing thread to the writer. */
struct job {
	struct mb_prepared	*p;	/* NULL when refused */
	char			*why;	/* the refusal, malloc'd */
	const char		*file;
	long			 line;
	long			 index;	/* element of a top-level array, or -1 */
	size_t			 offset;/* bytes read of the file so far */
};

#define QUEUE_LEN	512
#define WORKERS_MAX	8
/*
 * Hand-offs in bulk: a thread that waited is woken when there is a run
 * of work for it, not for each item. Woken per item, the parser (full
 * ring) and the writer (the next item not ready) slept and woke ~50,000
 * times in a 20,000-item import, and each wake of an idle core costs
 * more than the item's share of the work (docs/benchmarks.md, "Import's
 * hand-offs").
 */
#define WAKE_PARSER	(QUEUE_LEN / 4)	/* free slots */
#define WAKE_WRITER	32		/* ready items at the head */

/*
 * The parsing thread reads values in order into a ring; every core's
 * worker takes the next parsed one and prepares it (checks, signs, the
 * text, the tokens: most of an item's cost, issue 23); the writer takes
 * them prepared, in the order they were read (later versions after
 * earlier ones, refusals reported in order).
 */
enum slot_state { SLOT_FREE = 0, SLOT_PARSED, SLOT_BUSY, SLOT_READY };

struct slot {
	enum slot_state	 state;
	json_t		*v;	/* SLOT_PARSED: the value to prepare */
	struct job	 j;
};

struct queue {
	pthread_mutex_t	lock;
	pthread_cond_t	not_empty;	/* the writer's: head became ready */
	pthread_cond_t	not_full;	/* the parser's: a slot came free */
	pthread_cond_t	parsed;		/* the workers': a value to prepare */
	struct slot	s[QUEUE_LEN];
	uint64_t	head;		/* the next the writer takes */
	uint64_t	claim;		/* the next a worker looks at */
	uint64_t	tail;		/* the next the parser fills */
	int		done;		/* the parser has read everything */
	int		busy;		/* values being prepared */
	bool		parser_waits;	/* on not_full */
	bool		writer_waits;	/* on not_empty */
};

struct producer {
	struct queue		*q;
	struct mb_ingest	*ig;
	struct mb_ingest_opts	 opts;
	char			**files;
	int			 nfiles;
	size_t			 total_bytes;
};

/*
 * Called with the lock held when an item became ready: wakes a waiting
 * writer once WAKE_WRITER items are ready at the head, or when nothing
 * else is being prepared (a slow input: what there is goes now).
 */
static void
wake_writer(struct queue *q)
{
	uint64_t i;

	if (!q->writer_waits)
		return;
	for (i = q->head; i < q->tail && i - q->head < WAKE_WRITER; i++)
		if (q->s[i % QUEUE_LEN].state != SLOT_READY)
			break;
	if (i - q->head >= WAKE_WRITER || i == q->tail || q->busy == 0)
		pthread_cond_signal(&q->not_empty);
}

/* Fills the next slot (v NULL: j is ready as it is, a refusal). */
static void
queue_push(struct queue *q, json_t *v, const struct job *j)
{
	struct slot *sl;

	pthread_mutex_lock(&q->lock);
	if (q->tail - q->head == QUEUE_LEN) {
		q->parser_waits = true;
		while (q->tail - q->head > QUEUE_LEN - WAKE_PARSER)
			pthread_cond_wait(&q->not_full, &q->lock);
		q->parser_waits = false;
	}
	sl = &q->s[q->tail % QUEUE_LEN];
	sl->j = *j;
	sl->v = v;
	sl->state = v != NULL ? SLOT_PARSED : SLOT_READY;
	q->tail++;
	if (v != NULL)
		pthread_cond_signal(&q->parsed);
	else
		wake_writer(q);
	pthread_mutex_unlock(&q->lock);
}

/*
 * 1 with a job, 0 when the producer is done and the queue empty, -1 when
 * none came within wait_ms (< 0: wait as long as it takes).
 */
static int
queue_pop(struct queue *q, struct job *j, int wait_ms)
{
	struct timespec	until;
	struct slot	*sl;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&q->lock);
	for (;;) {
		sl = &q->s[q->head % QUEUE_LEN];
		if (q->head < q->tail && sl->state == SLOT_READY)
			break;
		if (q->head == q->tail && q->done) {
			pthread_mutex_unlock(&q->lock);
			return 0;
		}
		q->writer_waits = true;
		if (wait_ms < 0) {
			pthread_cond_wait(&q->not_empty, &q->lock);
		} else if (pthread_cond_timedwait(&q->not_empty, &q->lock,
		    &until) == ETIMEDOUT) {
			q->writer_waits = false;
			pthread_mutex_unlock(&q->lock);
			return -1;
		}
		q->writer_waits = false;
	}
	*j = sl->j;
	sl->state = SLOT_FREE;
	q->head++;
	if (q->parser_waits && q->tail - q->head <= QUEUE_LEN - WAKE_PARSER)
		pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->lock);
	return 1;
}

static void
push_refusal(struct producer *pr, const char *file, long line, long index,
    size_t offset, const char *why)
{
	struct job j = { NULL, strdup(why), file, line, index, offset };

	queue_push(pr->q, NULL, &j);
}

static void
prepare_one(struct producer *pr, json_t *v, const char *file, long line,
    long index, size_t offset)
{
	struct job j = { NULL, NULL, file, line, index, offset };

	queue_push(pr->q, v, &j);
}

/* A worker: prepares parsed values until the parser is done. */
struct worker {
	struct producer		*pr;
	struct mb_ingest_opts	 opts;	/* with this thread's tokenizer */
	pthread_t		 th;
};

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	struct queue	*q = w->pr->q;
	struct slot	*sl;

	/*
	 * Tokenize for the index here rather than inside the writer's
	 * INSERT: the writer is the slower side. Without an instance, the
	 * writer tokenizes as usual.
	 */
	if (mb_text_tokenizer_new_bulk(&w->opts.pretokenize) != MB_OK)
		w->opts.pretokenize = NULL;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct mb_diag	d = { "" };
		json_t		*v;
		int		 rc;

		while (q->claim < q->tail &&
		    q->s[q->claim % QUEUE_LEN].state != SLOT_PARSED)
			q->claim++;
		if (q->claim == q->tail) {
			if (q->done)
				break;
			pthread_cond_wait(&q->parsed, &q->lock);
			continue;
		}
		sl = &q->s[q->claim++ % QUEUE_LEN];
		sl->state = SLOT_BUSY;
		q->busy++;
		v = sl->v;
		sl->v = NULL;
		pthread_mutex_unlock(&q->lock);
		/* The slot is this thread's until it is ready. */
		if ((rc = mb_ingest_prepare(w->pr->ig, v, &w->opts, &sl->j.p,
		    &d)) != MB_OK)
			sl->j.why = strdup(mb_diag_msg(&d, rc));
		pthread_mutex_lock(&q->lock);
		sl->state = SLOT_READY;
		q->busy--;
		wake_writer(q);
	}
	pthread_mutex_unlock(&q->lock);
	mb_text_tokenizer_free(w->opts.pretokenize);
	w->opts.pretokenize = NULL;
	return NULL;
}

static size_t
count_lines(const char *p, size_t n)
{
	size_t c = 0;
	const char *e = p + n;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		c++;
		p++;
	}
	return c;
}

/*
 * Reads values from data[0..len) (line counts the lines before it, base
 * the bytes before it) until the end, or, when more may come (!eof),
 * until one that is not whole yet. Returns the bytes used; *short_value
 * tells that what stopped it was a value over several lines (not a line
 * not finished yet).
 */
static size_t
produce_values(struct producer *pr, const char *file, const char *data,
    size_t len, bool eof, long *line, size_t base, bool *short_value)
{
	const char	*p = data, *end = data + len;

	*short_value = false;
	/* A UTF-8 BOM, as some editors write, starts no value. */
	if (base == 0 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		json_error_t	 err;
		json_t		*v;
		const char	*start, *nl;

		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n')) {
			if (*p == '\n')
				(*line)++;
			p++;
		}
		if (p >= end)
			break;
		start = p;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL && !eof)
			break;		/* the rest of this line is to come */
		/*
		 * NDJSON first: a line that is one whole value goes to the
		 * fast parser (yajl's lexer, the same trees and verdicts;
		 * jansson alone was a fifth of an import's instructions).
		 * Anything else (a value over several lines, two on one, a
		 * bad line) is read from here by jansson as before, so that
		 * errors keep its message.
		 */
		v = mb_json_loadb(p, (size_t)((nl != NULL ? nl : end) - p),
		    JSON_REJECT_DUPLICATES, &err);
		if (v != NULL)
			err.position = (size_t)((nl != NULL ? nl : end) - p);
		else
			v = json_loadb(p, (size_t)(end - p),
			    JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES,
			    &err);
		/*
		 * More to come: a value cut by the end of what was read so
		 * far waits for the rest. jansson says "premature end" only
		 * between tokens; cut in an escape or a UTF-8 sequence it
		 * gives another error, at the end: near it counts too (a
		 * real error there is found again once more has come).
		 */
		if (v == NULL && !eof && (json_error_code(&err) ==
		    json_error_premature_end_of_input ||
		    (size_t)err.position + 16 >= (size_t)(end - p))) {
			*short_value = true;	/* a value still coming */
			break;
		}
		if (v == NULL) {
			char		 why[300];

			snprintf(why, sizeof(why), "not JSON: %s", err.text);
			push_refusal(pr, file, *line, -1,
			    base + (size_t)(p - data), why);
			/* Resynchronise at the next line: NDJSON goes on. */
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
				p = end;
				break;
			}
			p = nl + 1;
			(*line)++;
			continue;
		}
		p += err.position;
		if ((size_t)(p - start) > MB_ENVELOPE_MAX && !json_is_array(v)) {
			json_decref(v);
			push_refusal(pr, file, *line, -1,
			    base + (size_t)(p - data), "larger than 4 MiB");
		} else if (json_is_array(v)) {
			size_t	 i;
			json_t	*e;

			json_array_foreach(v, i, e)
				prepare_one(pr, json_incref(e), file, *line,
				    (long)i, base + (size_t)(p - data));
			json_decref(v);
		} else {
			prepare_one(pr, v, file, *line, -1,
			    base + (size_t)(p - data));
		}
		*line += (long)count_lines(start, (size_t)(p - start));
	}
	return (size_t)(p - data);
}

/*
 * Standard input, a pipe, a FIFO: read as it comes, each value imported
 * as soon as it is whole, so that a slow producer's items are stored
 * while it runs (the writer commits what it has after IDLE_MS without
 * more) and memory holds what is not read yet, not the whole input. A
 * value over several lines that is not whole yet is parsed again only
 * when what waits has doubled, or a line starts with '}' or ']' (where
 * a pretty-printer ends one), or at the end: a large array fed slowly is
 * not parsed over and over.
 */
static void
produce_stream(struct producer *pr, const char *file, int fd)
{
	struct mb_buf	 b = MB_BUF_INIT;
	char		 chunk[65536];
	size_t		 base = 0, waiting = 0;
	long		 line = 1;
	bool		 short_value = false, eof = false;

	while (!eof) {
		ssize_t	 r = read(fd, chunk, sizeof(chunk));
		size_t	 used;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			push_refusal(pr, file, line, -1, base, strerror(errno));
			break;
		}
		if (r == 0)
			eof = true;
		else if (mb_buf_append(&b, chunk, (size_t)r) != MB_OK) {
			push_refusal(pr, file, line, -1, base,
			    "out of memory");
			break;
		}
		if (!eof && (r == 0 || memchr(chunk, '\n', (size_t)r) == NULL))
			continue;	/* no new line: nothing new is whole */
		if (!eof && short_value && b.len < 2 * waiting &&
		    memmem(chunk, (size_t)r, "\n}", 2) == NULL &&
		    memmem(chunk, (size_t)r, "\n]", 2) == NULL)
			continue;
		used = produce_values(pr, file, b.data != NULL ? b.data : "",
		    b.len, eof, &line, base, &short_value);
		base += used;
		if (used > 0) {
			memmove(b.data, b.data + used, b.len - used);
			b.len -= used;
		}
		waiting = b.len;
	}
	mb_buf_free(&b);
}

static void
produce_file(struct producer *pr, const char *file)
{
	struct stat	 st;
	const char	*data;
	size_t		 len = 0;
	long		 line = 1;
	bool		 short_value;
	int		 fd = -1;

	if (strcmp(file, "-") == 0) {
		produce_stream(pr, file, STDIN_FILENO);
		return;
	}
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) != 0) {
		push_refusal(pr, file, 0, -1, 0, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		produce_stream(pr, file, fd);
		close(fd);
		return;
	}
	len = (size_t)st.st_size;
	if (len == 0) {
		close(fd);
		return;
	}
	data = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (data == MAP_FAILED) {
		push_refusal(pr, file, 0, -1, 0, strerror(errno));
		return;
	}
	madvise((void *)data, len, MADV_SEQUENTIAL);
	(void)produce_values(pr, file, data, len, true, &line, 0,
	    &short_value);
	munmap((void *)data, len);
}

static void *
producer_main(void *arg)
{
	struct producer *pr = arg;

	for (int i = 0; i < pr->nfiles; i++)
		produce_file(pr, pr->files[i]);
	pthread_mutex_lock(&pr->q->lock);
	pr->q->done = 1;
	pthread_cond_broadcast(&pr->q->parsed);
	pthread_cond_broadcast(&pr->q->not_empty);
	pthread_mutex_unlock(&pr->q->lock);
	return NULL;
}

struct tally {
	long	accepted, duplicates, refused;
};

static void
progress(const struct tally *t, size_t done_bytes, size_t total,
    int64_t start_ms, int final)
{
	double	secs = (double)(mb_time_mono_ms() - start_ms) / 1000.0;
	long	n = t->accepted + t->duplicates + t->refused;
	int	pct = total ? (int)(100.0 * (double)done_bytes / (double)total) :
	    100;
	char	bar[31];

	if (pct > 100)
		pct = 100;
	memset(bar, ' ', 30);
	memset(bar, '#', (size_t)(pct * 30 / 100));
	bar[30] = '\0';
	fprintf(stderr, "\rimport [%s] %3d%% %ld items, %.0f/s%s", bar, pct, n,
	    secs > 0 ? (double)n / secs : 0.0, final ? "\n" : "");
}

static void
report_refusal(const struct job *j)
{
	if (j->index >= 0)
		fprintf(stderr, "mediabridge: import: %s:%ld: item %ld: %s\n",
		    j->file, j->line, j->index, j->why);
	else if (j->line > 0)
		fprintf(stderr, "mediabridge: import: %s:%ld: %s\n", j->file,
		    j->line, j->why);
	else
		fprintf(stderr, "mediabridge: import: %s: %s\n", j->file,
		    j->why);
}

/*
 * When the writer commits. Every commit makes FTS5 write the terms it
 * holds as a new index segment that later inserts must merge, so small
 * transactions cost far more than their share: commit after BATCH items
 * (about what fills FTS5's 8 MB of pending terms, see sqlite.c), or after
 * BATCH_MS so that other writers of the store (the server) never wait
 * long, or when the parsing thread has had nothing for IDLE_MS (a slow
 * pipe: make what came visible).
 */
#define BATCH		8000
#define BATCH_MS	2000
#define IDLE_MS		200

/*
 * After a commit that more will follow (a batch, not the last one), from
 * the third batch on: the index merged a page for each item committed,
 * in steps other writers can come between (mb_store_index_keep_up).
 * FTS5 writes a segment each time its 8 MB of pending terms fills, two
 * or three a batch of news text, so without this a large import reaches
 * its crisis bound (16 segments a level) every ~6 batches and merges
 * them inside that commit: 1.4-2.0 s holding the write lock at 300,000
 * items, and at the next level (~700,000) about ten times that, past the
 * 10 s a newsroom save waits. An import of two or three batches ends
 * below the bound; what it leaves, serve's indexer merges when idle, off
 * the user's wait (docs/benchmarks.md, "An import's merges"). A store
 * another writer holds is merged later the same way; an error is the
 * store failing, and stops the import.
 */
#define KEEP_UP_AFTER	2

static int
run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "audience", required_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_ingest	*ig = NULL;
	struct queue		 q;
	struct producer		 pr;
	struct tally		 t = { 0, 0, 0 };
	struct mb_diag		 d = { "" };
	struct job		 j;
	struct worker		 w[WORKERS_MAX];
	pthread_t		 th;
	pthread_condattr_t	 ca;
	long			 ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int			 nw = 0;
	const char		*audience = "public";
	int64_t			 start, last_draw = 0, txn_start = 0;
	size_t			 done_bytes = 0, base_bytes = 0;
	const char		*cur_file = NULL;
	int			 ch, rc, in_txn = 0, pending = 0, quiet = 0;
	int			 batches = 0;
	int			 tty = isatty(STDERR_FILENO);

#ifdef __GLIBC__
	/*
	 * FTS5 frees megabytes of pending terms at every flush and glibc
	 * gave them back to the kernel each time (brk), to fault them in
	 * again at once; with two threads every shrink also cost a TLB
	 * shootdown. Keep up to 64 MB of freed heap instead.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
#endif
	optind = 1;
	while ((ch = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			audience = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			return mb_cli_usage(&mb_cmd_import, "bad option");
		}
	}
	if (strcmp(audience, "public") != 0 &&
	    strcmp(audience, "network") != 0 &&
	    strcmp(audience, "internal") != 0)
		return mb_cli_usage(&mb_cmd_import,
		    "--audience: public, network or internal");
	if (argc - optind < 2)
		return mb_cli_usage(&mb_cmd_import, "give DIR and a FILE");
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK ||
	    (rc = mb_ingest_new(n, st, &ig, &d)) != MB_OK) {
		mb_store_close(st);
		mb_center_close(n);
		return mb_cli_fail("import", &d, rc);
	}

	memset(&q, 0, sizeof(q));
	pthread_mutex_init(&q.lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q.not_empty, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&q.not_full, NULL);
	pthread_cond_init(&q.parsed, NULL);
	memset(&pr, 0, sizeof(pr));
	pr.q = &q;
	pr.ig = ig;
	pr.opts.audience = audience;
	pr.files = argv + optind + 1;
	pr.nfiles = argc - optind - 1;
	for (int i = 0; i < pr.nfiles; i++) {
		struct stat sb;

		if (strcmp(pr.files[i], "-") != 0 &&
		    stat(pr.files[i], &sb) == 0)
			pr.total_bytes += (size_t)sb.st_size;
	}
	start = mb_time_mono_ms();
	/* A worker per core: the parser and the writer take less. */
	for (long k = 0; k < (ncpu > 0 ? ncpu : 1) && k < WORKERS_MAX; k++) {
		w[nw].pr = &pr;
		w[nw].opts = pr.opts;
		if (pthread_create(&w[nw].th, NULL, worker_main, &w[nw]) == 0)
			nw++;
	}
	if (nw == 0 || pthread_create(&th, NULL, producer_main, &pr) != 0) {
		pthread_mutex_lock(&q.lock);
		q.done = 1;
		pthread_cond_broadcast(&q.parsed);
		pthread_mutex_unlock(&q.lock);
		for (int k = 0; k < nw; k++)
			pthread_join(w[k].th, NULL);
		rc = mb_diag_set(&d, MB_ERR_NOMEM, "cannot start a thread");
		goto out;
	}
	rc = MB_OK;
	for (;;) {
		struct mb_ingest_result r;
		int			got;

		got = queue_pop(&q, &j, in_txn ? IDLE_MS : -1);
		if (got == 0)
			break;
		if (got < 0) {
			if (rc == MB_OK)
				rc = mb_store_commit(st, &d);
			else
				mb_store_rollback(st);
			in_txn = 0;
			pending = 0;
			continue;
		}

		if (j.file != cur_file) {
			if (cur_file != NULL)
				base_bytes = done_bytes;
			cur_file = j.file;
		}
		done_bytes = base_bytes + j.offset;
		if (j.p == NULL) {
			t.refused++;
			report_refusal(&j);
			free(j.why);
			continue;
		}
		if (rc == MB_OK && !in_txn) {
			if ((rc = mb_store_begin(st, &d)) == MB_OK) {
				in_txn = 1;
				txn_start = mb_time_mono_ms();
			}
		}
		if (rc == MB_OK) {
			struct mb_diag d1 = { "" };
			int rc1;

			rc1 = mb_ingest_commit(ig, st, j.p, true, &r, &d1);
			/* A version never changes: one changed is refused. */
			if (rc1 == MB_OK && r.duplicate &&
			    (rc1 = mb_ingest_duplicate_check(st, j.p, &d1)) ==
			    MB_OK) {
				t.duplicates++;
			} else if (rc1 == MB_OK) {
				t.accepted++;
				pending++;
			} else if (rc1 == MB_ERR_STORE || rc1 == MB_ERR_NOMEM ||
			    rc1 == MB_ERR_CORRUPT || rc1 == MB_ERR_AGAIN) {
				/* The store failed: stop, keep what committed. */
				rc = rc1;
				d = d1;
			} else {
				j.why = strdup(mb_diag_msg(&d1, rc1));
				t.refused++;
				report_refusal(&j);
				free(j.why);
			}
		}
		mb_prepared_free(j.p);
		if (rc == MB_OK && in_txn && (pending >= BATCH ||
		    mb_time_mono_ms() - txn_start >= BATCH_MS)) {
			int64_t c0 = mb_time_mono_ms(), c1;

			rc = mb_store_commit(st, &d);
			c1 = mb_time_mono_ms();
			if (rc == MB_OK && ++batches > KEEP_UP_AFTER)
				rc = mb_store_index_keep_up(st, pending, &d);
			log_debug("import: committed items=%d commit_ms=%lld "
			    "merge_ms=%lld txn_ms=%lld", pending,
			    (long long)(c1 - c0), (long long)(mb_time_mono_ms() -
			    c1), (long long)(c1 - txn_start));
			in_txn = 0;
			pending = 0;
		}
		if (tty && !quiet && mb_time_mono_ms() - last_draw > 200) {
			last_draw = mb_time_mono_ms();
			progress(&t, done_bytes, pr.total_bytes, start, 0);
		}
	}
	pthread_join(th, NULL);
	for (int k = 0; k < nw; k++)
		pthread_join(w[k].th, NULL);
	if (in_txn) {
		if (rc == MB_OK)
			rc = mb_store_commit(st, &d);
		else
			mb_store_rollback(st);
	}
	if (tty && !quiet)
		progress(&t, pr.total_bytes, pr.total_bytes, start, 1);
out:
	mb_ingest_free(ig);
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("import", &d, rc);
	printf("import: %ld accepted, %ld already there, %ld refused "
	    "(%.1f s)\n", t.accepted, t.duplicates, t.refused,
	    (double)(mb_time_mono_ms() - start) / 1000.0);
	/* The index is written in the items' own transactions (issue 23). */
	printf("searchable: every accepted item, from its batch's commit "
	    "(indexed in the same transaction: no lag), %.1f s from the "
	    "start\n", (double)(mb_time_mono_ms() - start) / 1000.0);
	return t.refused ? MB_EXIT_FAIL : MB_EXIT_OK;
}
