/* SPDX-License-Identifier: MIT */
/* bench/media: mb_media_make over picture files in memory; renditions/s and peak RSS. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "base/fs.h"
#include "media/media.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct mb_media_set	 s;
	struct mb_diag		 d = { "" };
	struct rusage		 ru;
	double			 t0, t = 0;
	size_t			 rends = 0, files = 0;
	int			 rounds = argc > 1 ? atoi(argv[1]) : 1;

	if (argc < 3) {
		fprintf(stderr, "usage: media_bench ROUNDS FILE...\n");
		return 2;
	}
	if (mb_media_init(&d) != MB_OK) {
		fprintf(stderr, "media_bench: %s\n", d.msg);
		return 1;
	}
	for (int k = 0; k < rounds; k++)
		for (int i = 2; i < argc; i++) {
			char	*buf;
			size_t	 len;
			int	 rc;

			if (mb_fs_read(argv[i], 64 << 20, &buf, &len, &d) !=
			    MB_OK) {
				fprintf(stderr, "media_bench: %s\n", d.msg);
				return 1;
			}
			t0 = now();
			rc = mb_media_make(buf, len, NULL, &s, &d);
			t += now() - t0;
			free(buf);
			if (rc != MB_OK) {
				fprintf(stderr, "media_bench: %s: %s\n",
				    argv[i], mb_diag_msg(&d, rc));
				return 1;
			}
			rends += s.n;
			files++;
			mb_media_set_free(&s);
		}
	getrusage(RUSAGE_SELF, &ru);
	printf("%zu %zu %.3f %ld\n", files, rends, t, ru.ru_maxrss);
	return 0;
}
