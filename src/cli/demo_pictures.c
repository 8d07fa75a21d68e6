/* SPDX-License-Identifier: MIT */
/*
 * The demo's illustrated stories: at each center the journalist writes a
 * story in the center's first language with a picture the demo draws
 * itself (no third-party image: a scene computed here, encoded as JPEG by
 * libvips and taken through the media pipeline like any upload), with a
 * caption, alt text and a credit; the editor publishes it; the translator
 * translates it into the center's other languages (meta.translation, by
 * a person) with the caption and alt text in those languages, and the
 * editor publishes the translations; a second story of the journalist's
 * is left submitted, in the editor's review queue. Runs before serve,
 * in-process, on each center's store; the same on each run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "center/center.h"
#include "center/ingest.h"
#include "cli/cli.h"
#include "cli/demo_util.h"
#include "media/media.h"
#include "newsroom/items.h"
#include "store/store.h"

#define W 640
#define H 400

/* One language version of a center's story. */
struct version {
	const char	*lang, *headline, *body, *caption, *alt;
};

/* A story the journalist submitted: it waits in the editor's review queue. */
static const struct version waiting[3] = {
	{ "ru", "Итоги фотовыставки: сто снимков из двадцати стран",
	  "<p>За неделю выставку посетили гости из всех центров сети.</p>",
	  NULL, NULL },
	{ "ar", "حصيلة أسبوع التصوير على ضفاف النيل",
	  "<p>شارك في المشروع هذا الأسبوع اثنا عشر مصوراً شاباً.</p>",
	  NULL, NULL },
	{ "ar", "برنامج تبادل المصورين في أرقام",
	  "<p>استقبل مركز المنامة هذا العام ثمانية مصورين من مراكز الشبكة."
	  "</p>", NULL, NULL },
};

static const struct story {
	const char	*center, *local, *credit;
	struct version	 v[3];		/* v[0] the original */
} stories[3] = {
	{ "moscow", "demo-photo", "Фото: медиацентр «Москва» (демо)", {
	  { "ru", "Фотовыставка «Сеть в лицах» открылась в Москве",
	    "<p>В штаб-квартире сети открылась выставка работ фотографов "
	    "из медиацентров Африки, Ближнего Востока и Азии.</p><p>Снимки "
	    "можно увидеть на сайтах всех центров.</p>",
	    "Купола на закате: снимок с выставки «Сеть в лицах».",
	    "Три золотых купола на фоне оранжевого неба." },
	  { "en", "\"The network in faces\" photo exhibition opens in Moscow",
	    "<p>An exhibition of work by photographers from the media "
	    "centers of Africa, the Middle East and Asia opened at the "
	    "network's headquarters.</p><p>The pictures can be seen on "
	    "every center's site.</p>",
	    "Domes at sunset: a picture from \"The network in faces\".",
	    "Three golden domes against an orange sky." } } },
	{ "cairo", "demo-photo", "تصوير: مركز القاهرة الإعلامي (عرض توضيحي)", {
	  { "ar", "مصورو مركز القاهرة يوثقون الحياة على ضفاف النيل",
	    "<p>أطلق مركز القاهرة الإعلامي مشروعاً يوثق فيه المصورون "
	    "الشباب الحياة اليومية على ضفاف النيل.</p><p>تُنشر الصور "
	    "أسبوعياً على موقع المركز.</p>",
	    "الأهرامات عند الغروب: من مشروع مصوري مركز القاهرة.",
	    "ثلاثة أهرامات رملية تحت شمس حمراء منخفضة." },
	  { "en", "Cairo center's photographers document life on the Nile",
	    "<p>The Cairo media center launched a project in which young "
	    "photographers document everyday life on the banks of the "
	    "Nile.</p><p>The pictures are published weekly on the center's "
	    "site.</p>",
	    "The pyramids at sunset: from the Cairo photographers' project.",
	    "Three sand-coloured pyramids under a low red sun." },
	  { "fr", "Les photographes du centre du Caire racontent la vie au "
	    "bord du Nil",
	    "<p>Le centre médiatique du Caire a lancé un projet où de "
	    "jeunes photographes racontent la vie quotidienne au bord du "
	    "Nil.</p><p>Les photos paraissent chaque semaine sur le site du "
	    "centre.</p>",
	    "Les pyramides au coucher du soleil : projet des photographes "
	    "du Caire.",
	    "Trois pyramides couleur sable sous un soleil rouge et bas." } } },
	{ "manama", "demo-photo", "تصوير: مركز المنامة الإعلامي (عرض توضيحي)", {
	  { "ar", "معرض صور عن البحر في مركز المنامة",
	    "<p>يعرض مركز المنامة الإعلامي صوراً التقطها مشاركون في "
	    "برنامج تبادل المصورين الصحفيين عن البحر والموانئ.</p>",
	    "أبراج المنامة والبحر: من معرض برنامج التبادل.",
	    "برجان أزرقان على شاطئ بحر هادئ تحت سماء صافية." },
	  { "en", "A photo exhibition about the sea at the Manama center",
	    "<p>The Manama media center shows pictures of the sea and its "
	    "harbours taken by photographers of its exchange programme.</p>",
	    "Manama's towers and the sea: from the exchange programme's "
	    "exhibition.",
	    "Two blue towers by a calm sea under a clear sky." } } },
};

/* ---- The pictures: a scene per center, drawn pixel by pixel ------- */

struct rgb {
	unsigned char r, g, b;
};

static void
put(unsigned char *px, int x, int y, struct rgb c)
{
	if (x < 0 || y < 0 || x >= W || y >= H)
		return;
	px[(y * W + x) * 3] = c.r;
	px[(y * W + x) * 3 + 1] = c.g;
	px[(y * W + x) * 3 + 2] = c.b;
}

static void
rect(unsigned char *px, int x0, int y0, int x1, int y1, struct rgb c)
{
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			put(px, x, y, c);
}

static void
disc(unsigned char *px, int cx, int cy, int r, struct rgb c)
{
	for (int y = cy - r; y <= cy + r; y++)
		for (int x = cx - r; x <= cx + r; x++)
			if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
				put(px, x, y, c);
}

/* A triangle standing on base y with its apex at (ax, ay). */
static void
peak(unsigned char *px, int ax, int ay, int half, int base, struct rgb lit,
    struct rgb shade)
{
	for (int y = ay; y < base; y++) {
		int w = half * (y - ay) / (base - ay);

		for (int x = ax - w; x <= ax + w; x++)
			put(px, x, y, x < ax ? lit : shade);
	}
}

/* Sky from top to horizon, then the ground: the backdrop of each scene. */
static void
backdrop(unsigned char *px, struct rgb top, struct rgb low, int horizon,
    struct rgb ground)
{
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			double t = (double)y / horizon;
			struct rgb c = ground;

			if (y < horizon) {
				c.r = (unsigned char)(top.r + (low.r - top.r) * t);
				c.g = (unsigned char)(top.g + (low.g - top.g) * t);
				c.b = (unsigned char)(top.b + (low.b - top.b) * t);
			} else if (((x / 8) + (y / 6)) % 7 == 0)
				c.r = (unsigned char)(c.r * 9 / 10),
				c.g = (unsigned char)(c.g * 9 / 10);
			put(px, x, y, c);
		}
}

static void
draw(int scene, unsigned char *px)
{
	static const struct rgb gold = { 222, 176, 52 }, white = { 240, 236,
	    228 }, sand = { 214, 178, 110 }, shade = { 168, 128, 72 };

	switch (scene) {
	case 0:		/* Moscow: three domes at sunset */
		backdrop(px, (struct rgb){ 64, 72, 140 },
		    (struct rgb){ 250, 150, 70 }, 300,
		    (struct rgb){ 225, 228, 235 });
		disc(px, 520, 110, 40, (struct rgb){ 255, 220, 120 });
		for (int i = 0; i < 3; i++) {
			int cx = 180 + i * 130, top = i == 1 ? 120 : 170;

			rect(px, cx - 45, top + 40, cx + 45, 300, white);
			disc(px, cx, top + 30, 40, gold);
			peak(px, cx, top - 30, 8, top, gold, gold);
			for (int k = 0; k < 3; k++)
				rect(px, cx - 30 + k * 22, top + 90, cx - 22 +
				    k * 22, top + 120,
				    (struct rgb){ 70, 70, 90 });
		}
		break;
	case 1:		/* Cairo: pyramids under a low red sun */
		backdrop(px, (struct rgb){ 40, 40, 100 },
		    (struct rgb){ 245, 120, 60 }, 280, sand);
		disc(px, 470, 230, 50, (struct rgb){ 230, 60, 40 });
		peak(px, 200, 100, 190, 300, sand, shade);
		peak(px, 420, 160, 130, 300, sand, shade);
		peak(px, 560, 210, 80, 300, sand, shade);
		break;
	default:	/* Manama: two towers by the sea */
		backdrop(px, (struct rgb){ 70, 140, 220 },
		    (struct rgb){ 190, 225, 245 }, 250,
		    (struct rgb){ 30, 110, 160 });
		disc(px, 110, 80, 35, (struct rgb){ 255, 245, 200 });
		peak(px, 330, 40, 55, 250, (struct rgb){ 120, 170, 210 },
		    (struct rgb){ 80, 120, 170 });
		peak(px, 470, 40, 55, 250, (struct rgb){ 120, 170, 210 },
		    (struct rgb){ 80, 120, 170 });
		rect(px, 300, 150, 500, 162, white);
		rect(px, 0, 250, W, 262, (struct rgb){ 236, 220, 170 });
		for (int x = 0; x < W; x += 40)
			rect(px, x, 300 + (x / 40) % 3 * 20, x + 24,
			    303 + (x / 40) % 3 * 20,
			    (struct rgb){ 180, 220, 240 });
		break;
	}
}

/* The scene as a JPEG; *out malloc'd. */
static int
jpeg(int scene, void **out, size_t *len, struct mb_diag *d)
{
	unsigned char	*px = calloc(W * H, 3);
	int		 rc;

	if (px == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	draw(scene, px);
	rc = mb_media_jpeg_rgb(px, W, H, 85, out, len, d);
	free(px);
	return rc;
}

/* ---- The stories ---------------------------------------------------- */

struct env {
	struct mb_center_node	*n;
	struct mb_newsroom_env	 e;
	struct mb_actor		 who[3];	/* journalist, editor, translator */
};

static int
open_env(const char *dir, const char *id, struct env *v, struct mb_diag *d)
{
	static const char *const names[3] = { "journalist", "editor",
	    "translator" };
	static const enum mb_role roles[3] = { MB_ROLE_JOURNALIST,
	    MB_ROLE_EDITOR, MB_ROLE_TRANSLATOR };
	int	 rc;

	memset(v, 0, sizeof(*v));
	if ((rc = mb_demo_nr_open(dir, id, &v->n, &v->e, d)) != MB_OK)
		return rc;
	for (int i = 0; i < 3; i++) {
		struct mb_user u;

		if ((rc = mb_store_user_get(v->e.st, names[i], 0, &u, NULL, 0,
		    d)) != MB_OK)
			return rc;
		v->who[i].user_id = u.id;
		v->who[i].name = names[i];
		v->who[i].role = roles[i];
	}
	return MB_OK;
}

static void
close_env(struct env *v)
{
	mb_demo_nr_close(v->n, &v->e);
}

/* The picture as the item's main picture, described in lang's words. */
static json_t *
association(const json_t *rends, const struct story *s,
    const struct version *v)
{
	return json_pack("[{s:s, s:O, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}], "
	    "s:s, s:O}]", "name", "picture-1", "uri",
	    json_object_get(json_array_get(rends, 0), "href"), "type",
	    "picture", "rel", "main", "descriptions", "role", "caption",
	    "value", v->caption, "role", "alt", "value", v->alt, "by",
	    s->credit, "renditions", rends);
}

/* Creates one version of the story as who, then the editor publishes it. */
static int
publish(struct env *v, const struct story *s, const struct version *ver,
    const json_t *rends, const char *of, struct mb_diag *d)
{
	struct mb_nr_saved	 sv;
	char			 uri[MB_URI_MAX];
	json_t			*item, *meta;
	const struct mb_actor	*who = &v->who[of == NULL ? 0 : 2];
	int			 rc;

	snprintf(uri, sizeof(uri), "urn:mediabridge:%s:%s-%s", s->center,
	    s->local, ver->lang);
	item = json_pack("{s:s, s:s, s:s, s:[{s:s}], s:[{s:s}], s:o}", "uri",
	    uri, "type", "text", "language", ver->lang, "headlines", "value",
	    ver->headline, "bodies", "value", ver->body, "associations",
	    association(rends, s, ver));
	meta = of == NULL ? json_pack("{s:s}", "audience", "public") :
	    json_pack("{s:s, s:{s:s, s:s}}", "audience", "public",
	    "translation", "of", of, "by", "human");
	memset(&sv, 0, sizeof(sv));
	rc = mb_newsroom_create(&v->e, who, item, meta, &sv, d);
	json_decref(meta);
	mb_nr_saved_free(&sv);
	if (rc != MB_OK)
		return rc;
	if ((rc = mb_newsroom_act(&v->e, who, uri, MB_NR_SUBMIT, NULL, 0, &sv,
	    d)) == MB_OK) {
		mb_nr_saved_free(&sv);
		rc = mb_newsroom_act(&v->e, &v->who[1], uri, MB_NR_PUBLISH,
		    NULL, 0, &sv, d);
	}
	mb_nr_saved_free(&sv);
	return rc;
}

/* The journalist's story left submitted, for the editor to try. */
static int
submit(struct env *v, const char *center, const struct version *ver,
    struct mb_diag *d)
{
	struct mb_nr_saved	 sv;
	char			 uri[MB_URI_MAX];
	json_t			*item, *meta;
	int			 rc;

	snprintf(uri, sizeof(uri), "urn:mediabridge:%s:demo-review-%s",
	    center, ver->lang);
	item = json_pack("{s:s, s:s, s:s, s:[{s:s}], s:[{s:s}]}", "uri", uri,
	    "type", "text", "language", ver->lang, "headlines", "value",
	    ver->headline, "bodies", "value", ver->body);
	meta = json_pack("{s:s}", "audience", "public");
	memset(&sv, 0, sizeof(sv));
	rc = mb_newsroom_create(&v->e, &v->who[0], item, meta, &sv, d);
	json_decref(meta);
	mb_nr_saved_free(&sv);
	if (rc == MB_OK)
		rc = mb_newsroom_act(&v->e, &v->who[0], uri, MB_NR_SUBMIT,
		    NULL, 0, &sv, d);
	mb_nr_saved_free(&sv);
	return rc;
}

static int
center_story(const char *dir, int i, struct mb_diag *d)
{
	const struct story	*s = &stories[i];
	struct mb_media_limits	 l;
	struct mb_media_set	 set;
	struct env		 v;
	char			 of[MB_URI_MAX];
	void			*data = NULL;
	size_t			 len = 0;
	json_t			*rends = NULL;
	int			 rc;

	memset(&set, 0, sizeof(set));
	if ((rc = open_env(dir, s->center, &v, d)) != MB_OK)
		goto out;
	if ((rc = jpeg(i, &data, &len, d)) != MB_OK)
		goto out;
	mb_media_limits_default(&l);
	if ((rc = mb_media_ingest(v.n->conf.dir, v.e.st, data, len, &l, &set,
	    d)) != MB_OK)
		goto out;
	if ((rends = mb_media_set_json(&set)) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	snprintf(of, sizeof(of), "urn:mediabridge:%s:%s-%s", s->center,
	    s->local, s->v[0].lang);
	for (int k = 0; k < 3 && s->v[k].lang != NULL && rc == MB_OK; k++)
		rc = publish(&v, s, &s->v[k], rends, k == 0 ? NULL : of, d);
	if (rc == MB_OK)
		rc = submit(&v, s->center, &waiting[i], d);
out:
	json_decref(rends);
	mb_media_set_free(&set);
	free(data);
	close_env(&v);
	return rc;
}

int
mb_demo_pictures(const char *dir, long port)
{
	struct mb_diag	d = { "" };
	int		rc;

	if ((rc = mb_media_init(&d)) != MB_OK) {
		printf("  pictures: FAILED: %s\n", mb_diag_msg(&d, rc));
		return rc;
	}
	for (int i = 0; i < 3; i++)
		if ((rc = center_story(dir, i, &d)) != MB_OK) {
			printf("  pictures: FAILED at %s: %s\n",
			    stories[i].center, mb_diag_msg(&d, rc));
			return rc;
		}
	printf("  pictures: at each center the journalist wrote a story with "
	    "a picture (caption,\n  alt text, credit), the translator "
	    "translated it, the editor published them (another\n  story of the "
	    "journalist's waits in each editor's review queue):\n");
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 3 && stories[i].v[k].lang != NULL; k++)
			printf("    %-8s %s  http://127.0.0.1:%ld/%s/items/%s/"
			    "%s-%s%s\n", stories[i].center, stories[i].v[k].lang,
			    port + i, stories[i].v[k].lang, stories[i].center,
			    stories[i].local, stories[i].v[k].lang, k == 0 ?
			    "" : "  (translation)");
	return MB_OK;
}
