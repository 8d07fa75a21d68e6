/* SPDX-License-Identifier: MIT */
/* The reader's address: the connection's, or X-Forwarded-For's when a trusted proxy sent it. */
#include "impact.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROXIES_MAX 64
#define HOPS_MAX 32

struct net {
	int	family;		/* AF_INET or AF_INET6 */
	uint8_t	addr[16];
	int	prefix;
};

struct mb_impact_proxies {
	int		n;
	struct net	nets[PROXIES_MAX];
};

int
mb_impact_proxies_count(const struct mb_impact_proxies *p)
{
	return p != NULL ? p->n : 0;
}

static bool
parse_addr(const char *s, struct net *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->addr) == 1) {
		out->family = AF_INET;
		out->prefix = 32;
		return true;
	}
	if (inet_pton(AF_INET6, s, out->addr) == 1) {
		out->family = AF_INET6;
		out->prefix = 128;
		return true;
	}
	return false;
}

int
mb_impact_proxies_parse(const char *list, struct mb_impact_proxies **out,
    struct mb_diag *d)
{
	struct mb_impact_proxies	*p;
	const char			*s = list != NULL ? list : "";

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	while (*s != '\0') {
		char	 one[80], *slash, *end;
		size_t	 n;
		long	 bits;

		s += strspn(s, " \t,");
		if ((n = strcspn(s, " \t,")) == 0)
			break;
		if (n >= sizeof(one) || p->n == PROXIES_MAX) {
			free(p);
			return mb_diag_set(d, MB_ERR_INVAL, "trusted_proxies: "
			    "%s", n >= sizeof(one) ? "an entry is too long" :
			    "more than 64 entries");
		}
		memcpy(one, s, n);
		one[n] = '\0';
		s += n;
		if ((slash = strchr(one, '/')) != NULL)
			*slash = '\0';
		if (!parse_addr(one, &p->nets[p->n]))
			goto bad;
		if (slash != NULL) {
			bits = strtol(slash + 1, &end, 10);
			if (*end != '\0' || end == slash + 1 || bits < 0 ||
			    bits > p->nets[p->n].prefix)
				goto bad;
			p->nets[p->n].prefix = (int)bits;
			if (slash != NULL)
				*slash = '/';
		}
		p->n++;
		continue;
bad:
		if (slash != NULL)
			*slash = '/';
		mb_diag_set(d, MB_ERR_INVAL, "trusted_proxies: %s: not an "
		    "address or CIDR range", one);
		free(p);
		return MB_ERR_INVAL;
	}
	*out = p;
	return MB_OK;
}

void
mb_impact_proxies_free(struct mb_impact_proxies *p)
{
	free(p);
}

static bool
in_net(const struct net *n, const struct net *a)
{
	int full = n->prefix / 8, rest = n->prefix % 8;

	if (n->family != a->family)
		return false;
	if (memcmp(n->addr, a->addr, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((n->addr[full] ^ a->addr[full]) &
	    (uint8_t)(0xff << (8 - rest))) == 0;
}

static bool
trusted(const struct mb_impact_proxies *p, const struct net *a)
{
	for (int i = 0; p != NULL && i < p->n; i++)
		if (in_net(&p->nets[i], a))
			return true;
	return false;
}

/* An IPv4 address written as IPv6 (::ffff:a.b.c.d) is that IPv4 one. */
static void
unmap(struct net *a)
{
	static const uint8_t pre[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	if (a->family == AF_INET6 && memcmp(a->addr, pre, 12) == 0) {
		memmove(a->addr, a->addr + 12, 4);
		memset(a->addr + 4, 0, 12);
		a->family = AF_INET;
		a->prefix = 32;
	}
}

static void
write_addr(const struct net *a, char *out, size_t n)
{
	/* IPv4 by hand: glibc's inet_ntop prints it with sprintf, and
	 * this runs on every counted view. */
	if (a->family == AF_INET && n >= 16) {
		size_t o = 0;

		for (int i = 0; i < 4; i++) {
			unsigned v = a->addr[i];

			if (v >= 100)
				out[o++] = (char)('0' + v / 100);
			if (v >= 10)
				out[o++] = (char)('0' + v / 10 % 10);
			out[o++] = (char)('0' + v % 10);
			out[o++] = i < 3 ? '.' : '\0';
		}
		return;
	}
	if (inet_ntop(a->family, a->addr, out, (socklen_t)n) == NULL)
		snprintf(out, n, "-");
}

void
mb_impact_client(const struct mb_impact_proxies *p, const char *peer,
    const char *fwd, char *out, size_t n)
{
	struct net	 cur, hop;
	const char	*end;
	int		 hops = 0;

	if (peer == NULL || !parse_addr(peer, &cur)) {
		snprintf(out, n, "%s", peer != NULL ? peer : "-");
		return;
	}
	unmap(&cur);
	/* Right to left: each hop was added by the one after it. */
	end = fwd != NULL ? fwd + strlen(fwd) : NULL;
	while (end != NULL && trusted(p, &cur) && hops++ < HOPS_MAX) {
		const char	*start = end;
		char		 one[64];
		size_t		 len;

		while (start > fwd && start[-1] != ',')
			start--;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		len = (size_t)(end - start);
		while (len > 0 && (start[len - 1] == ' ' ||
		    start[len - 1] == '\t'))
			len--;
		if (len == 0 || len >= sizeof(one))
			break;
		memcpy(one, start, len);
		one[len] = '\0';
		if (!parse_addr(one, &hop))
			break;
		unmap(&hop);
		cur = hop;
		if (start == fwd)
			break;
		end = start;
		while (end > fwd && end[-1] != ',')
			end--;
		if (end == fwd)
			break;
		end--;		/* the comma */
	}
	write_addr(&cur, out, n);
}
