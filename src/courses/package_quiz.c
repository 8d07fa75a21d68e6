/* SPDX-License-Identifier: MIT */
/*
 * A quiz's page in an offline package, and the one script a package
 * holds: answers taken with no network are kept in the page's storage
 * (localStorage) and sent when the learner is back online.
 *
 * The package has no answer key (it stays with centers), so the page
 * cannot grade: it keeps the answers, each set with an id of its own
 * (the offline key), and once the browser says it is online it links
 * to the quiz's page at the center with the answers and the key in the
 * query. That page (signed in: a top-level navigation carries the
 * session's SameSite=Lax cookie, where a request from a file:// page
 * would carry none) shows them ticked, and sending them records the
 * attempt under its key: the same key again is answered with the
 * attempt it made, never a second one (mb_courses_quiz_submit).
 *
 * The script is inline and allowed by its SHA-256 in the page's
 * Content-Security-Policy, which still lets nothing load from outside:
 * leaving the page by a link is a navigation, not a request of the page.
 */
#include "courses_int.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "courses/quiz.h"

/*
 * The script. It reads the form's data-store (the storage key: the
 * course and step) and data-upload (the quiz at the center), keeps
 * {key, query, at, sent} there on "Save", puts the saved answers back
 * in the form when the page opens again, and shows the link to send
 * them only while navigator.onLine.
 */
static const char script[] =
"(function(){"
"var f=document.getElementById('quiz'),box=document.getElementById('saved'),"
"msg=document.getElementById('saved-msg'),a=document.getElementById('send'),"
"k=f.getAttribute('data-store');"
"function load(){try{return JSON.parse(localStorage.getItem(k)||'null')}"
"catch(e){return null}}"
"function keep(s){localStorage.setItem(k,JSON.stringify(s))}"
"function id(){var b=new Uint8Array(16),h='';crypto.getRandomValues(b);"
"for(var i=0;i<16;i++)h+=(b[i]+256).toString(16).slice(1);return h}"
"function show(){var s=load();if(!s){box.hidden=true;return}"
"box.hidden=false;box.setAttribute('data-state',s.sent?'sent':"
"navigator.onLine?'online':'offline');"
"msg.textContent=(s.sent?'Sent to the center ':'Saved on this device ')+"
"new Date(s.at).toLocaleString()+(s.sent?'.':navigator.onLine?"
"': not sent yet.':': you are offline; send them when you are back "
"online.');"
"a.href=f.getAttribute('data-upload')+'?'+s.query;"
"a.hidden=!navigator.onLine}"
"function restore(){var s=load();if(!s)return;"
"new URLSearchParams(s.query).forEach(function(v,n){"
"var e=f.querySelectorAll('[name=\"'+n+'\"]');"
"for(var i=0;i<e.length;i++){if(e[i].type==='radio'||"
"e[i].type==='checkbox'){if(e[i].value===v||e[i].type==='checkbox')"
"e[i].checked=true}else e[i].value=v}})}"
"f.addEventListener('submit',function(e){e.preventDefault();"
"var p=new URLSearchParams(new FormData(f)),q=new URLSearchParams();"
"q.set('offline',id());p.forEach(function(v,n){q.append(n,v)});"
"keep({key:q.get('offline'),query:q.toString(),at:Date.now(),"
"sent:false});show()});"
"a.addEventListener('click',function(){var s=load();"
"if(s){s.sent=true;keep(s)}});"
"window.addEventListener('online',show);"
"window.addEventListener('offline',show);"
"restore();show()})();";

void
mb_courses__package_csp_script(char out[MB_PACKAGE_SCRIPT_HASH_LEN])
{
	unsigned char	h[crypto_hash_sha256_BYTES];
	char		b64[sodium_base64_ENCODED_LEN(sizeof(h),
			    sodium_base64_VARIANT_ORIGINAL)];

	crypto_hash_sha256(h, (const unsigned char *)script,
	    sizeof(script) - 1);
	sodium_bin2base64(b64, sizeof(b64), h, sizeof(h),
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, MB_PACKAGE_SCRIPT_HASH_LEN, "sha256-%s", b64);
}

int
mb_courses__package_quiz(struct mb_buf *b, const struct mb_course *c,
    int i, const json_t *item, const char *center_url, struct mb_diag *d)
{
	const char	*lang = json_string_value(json_object_get(item,
			    "language"));
	struct mb_quiz	*q = NULL;
	struct mb_buf	 url = MB_BUF_INIT;
	int		 rc;

	if ((rc = mb_quiz_from_item(item, &q, d)) != MB_OK)
		return mb_diag_set(d, rc, "step %d: %s", i + 1, d->msg);
	/* The quiz's page at the center, in the quiz's language. */
	mb_buf_printf(&url, "%s/%s/courses/%s/%s/%d", center_url, lang !=
	    NULL && strlen(lang) == 2 ? lang : "en", c->center, c->local,
	    i + 1);
	mb_buf_printf(b, "<p>Pass mark %d%%, %d attempt%s. The center "
	    "grades the answers: answer here and save them on this device, "
	    "then send them when you are online, or answer online at "
	    "<a href=\"", q->pass_mark, q->attempts, q->attempts == 1 ?
	    "" : "s");
	mb_courses__esc(b, mb_buf_cstr(&url));
	mb_buf_puts(b, "\">");
	mb_courses__esc(b, center_url);
	mb_buf_puts(b, "</a>.</p>\n<form id=\"quiz\" data-store=\"");
	mb_buf_printf(b, "mediabridge-offline:%s/%d", c->info.uri, i + 1);
	mb_buf_puts(b, "\" data-upload=\"");
	mb_courses__esc(b, mb_buf_cstr(&url));
	mb_buf_puts(b, "\">");
	/* The names are the online form's: the query fills it in. */
	for (int n = 0; n < q->n; n++) {
		const struct mb_quiz_question *qq = &q->q[n];

		mb_buf_printf(b, "<fieldset><legend>%d. ", n + 1);
		mb_courses__esc(b, qq->text);
		mb_buf_puts(b, "</legend>");
		if (qq->kind == MB_QUIZ_SHORT)
			mb_buf_printf(b, "<input name=\"q_%s\" "
			    "aria-label=\"answer\" maxlength=\"200\">",
			    qq->id);
		for (int ch = 0; ch < qq->nchoices; ch++) {
			if (qq->kind == MB_QUIZ_SINGLE)
				mb_buf_printf(b, "<label><input type=\"radio\" "
				    "name=\"q_%s\" value=\"%d\"> ", qq->id,
				    ch);
			else
				mb_buf_printf(b, "<label><input type="
				    "\"checkbox\" name=\"q_%s_%d\" value="
				    "\"%d\"> ", qq->id, ch, ch);
			mb_courses__esc(b, qq->choices[ch]);
			mb_buf_puts(b, "</label><br>");
		}
		mb_buf_puts(b, "</fieldset>\n");
	}
	mb_buf_puts(b, "<p><button type=\"submit\">Save my answers on this "
	    "device</button></p></form>\n<div id=\"saved\" hidden><p id="
	    "\"saved-msg\" role=\"status\"></p><p><a id=\"send\" href=\"\" "
	    "hidden>Send them to the center</a> (signed in there: you will "
	    "see them before they are graded)</p></div>\n<script>");
	mb_buf_puts(b, script);
	mb_buf_puts(b, "</script>\n");
	mb_buf_free(&url);
	mb_quiz_free(q);
	return MB_OK;
}
