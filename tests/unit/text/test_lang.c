/* SPDX-License-Identifier: MIT */
/* Unit tests for src/text/lang: detection on paragraphs, RTL, stemmers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"
#include "text/lang.h"

static const struct {
	const char *want, *text;
} samples[] = {
	{ "en", "The regional council met on Tuesday evening to discuss the "
	    "new budget for public schools. Several members said that the "
	    "plan would not give teachers enough support, while the mayor "
	    "argued that the city could not afford to spend more this year." },
	{ "fr", "Le conseil régional s'est réuni mardi soir pour discuter du "
	    "nouveau budget des écoles publiques. Plusieurs membres ont "
	    "déclaré que le projet ne donnerait pas assez de moyens aux "
	    "enseignants, tandis que le maire a répondu que la ville ne "
	    "pouvait pas dépenser davantage cette année." },
	{ "es", "El consejo regional se reunió el martes por la noche para "
	    "debatir el nuevo presupuesto de las escuelas públicas. Varios "
	    "miembros dijeron que el plan no daría suficiente apoyo a los "
	    "maestros, mientras que el alcalde respondió que la ciudad no "
	    "podía gastar más este año." },
	{ "pt", "O conselho regional reuniu-se na terça-feira à noite para "
	    "discutir o novo orçamento das escolas públicas. Vários membros "
	    "disseram que o plano não daria apoio suficiente aos professores, "
	    "enquanto o prefeito respondeu que a cidade não podia gastar "
	    "mais neste ano." },
	{ "sw", "Baraza la mkoa lilikutana Jumanne jioni kujadili bajeti mpya "
	    "ya shule za umma. Wajumbe kadhaa walisema kwamba mpango huo "
	    "hautawapa walimu msaada wa kutosha, wakati meya alijibu kwamba "
	    "mji hauwezi kutumia pesa zaidi mwaka huu." },
	{ "ru", "Региональный совет собрался во вторник вечером, чтобы "
	    "обсудить новый бюджет государственных школ. Несколько членов "
	    "совета заявили, что план не даст учителям достаточной "
	    "поддержки, а мэр ответил, что город не может тратить больше в "
	    "этом году." },
	{ "ar", "اجتمع المجلس الإقليمي مساء الثلاثاء لمناقشة الميزانية "
	    "الجديدة للمدارس العامة. وقال عدد من الأعضاء إن الخطة لن تقدم "
	    "للمعلمين دعماً كافياً، بينما رد رئيس البلدية بأن المدينة لا "
	    "تستطيع أن تنفق أكثر هذا العام." },
	{ "hi", "क्षेत्रीय परिषद की बैठक मंगलवार शाम को सरकारी स्कूलों के नए "
	    "बजट पर चर्चा करने के लिए हुई। कई सदस्यों ने कहा कि योजना से "
	    "शिक्षकों को पर्याप्त सहायता नहीं मिलेगी, जबकि महापौर ने कहा कि "
	    "शहर इस साल अधिक खर्च नहीं कर सकता।" },
	{ "zh", "区域委员会周二晚上开会，讨论公立学校的新预算。几位委员表示，"
	    "该计划不会给教师足够的支持，而市长回应说，市政府今年无法"
	    "再增加开支。" },
	{ "fa", "شورای منطقه‌ای سه‌شنبه شب برای بررسی بودجه جدید مدرسه‌های "
	    "دولتی تشکیل جلسه داد. چند نفر از اعضا گفتند که این طرح به "
	    "معلمان کمک کافی نمی‌کند، اما شهردار پاسخ داد که شهر امسال "
	    "نمی‌تواند بیشتر هزینه کند." },
	{ "he", "המועצה האזורית התכנסה ביום שלישי בערב כדי לדון בתקציב החדש "
	    "של בתי הספר הציבוריים. כמה חברים אמרו שהתוכנית לא תיתן למורים "
	    "תמיכה מספקת, ואילו ראש העיר השיב שהעירייה אינה יכולה להוציא "
	    "יותר השנה." },
	{ "ur", "علاقائی کونسل نے منگل کی شام سرکاری اسکولوں کے نئے بجٹ پر "
	    "بات چیت کے لیے اجلاس کیا۔ کئی ارکان نے کہا کہ اس منصوبے سے "
	    "اساتذہ کو کافی مدد نہیں ملے گی، جبکہ میئر نے جواب دیا کہ شہر اس "
	    "سال زیادہ خرچ نہیں کر سکتا۔" },
};

static int
setup(void **state)
{
	struct mb_lang_detector	*det = NULL;

	if (mb_lang_detector_new(NULL, &det, NULL) != MB_OK)
		det = NULL;	/* no libexttextcat-data: Latin is skipped */
	*state = det;
	return 0;
}

static int
teardown(void **state)
{
	mb_lang_detector_free(*state);
	return 0;
}

static void
test_detect_paragraphs(void **state)
{
	struct mb_lang_detector	*det = *state;

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const char *got = mb_lang_detect(det, samples[i].text,
		    strlen(samples[i].text));
		if (det == NULL && strcmp(mb_lang_detect_script(
		    samples[i].text, strlen(samples[i].text)), "und") == 0)
			continue;
		if (strcmp(got, samples[i].want) != 0)
			fail_msg("want %s, got %s", samples[i].want, got);
	}
	if (det == NULL)
		skip();
}

static void
test_detect_unsure(void **state)
{
	struct mb_lang_detector	*det = *state;

	assert_string_equal(mb_lang_detect(det, "", 0), "und");
	assert_string_equal(mb_lang_detect(det, NULL, 0), "und");
	assert_string_equal(mb_lang_detect(det, "12345 !!! ...", 13), "und");
	assert_string_equal(mb_lang_detect(det, "ok", 2), "und");
	/* Invalid UTF-8 does not crash and is skipped. */
	assert_string_equal(mb_lang_detect(det, "\xff\xfe\x80", 3), "und");
	/* Script shortcuts work on short text and without a detector. */
	assert_string_equal(mb_lang_detect(NULL, "北京大学", 12), "zh");
	assert_string_equal(mb_lang_detect(NULL, "東京でラーメンを食べた",
	    strlen("東京でラーメンを食べた")), "ja");
	assert_string_equal(mb_lang_detect(NULL, "الكتاب", 12), "ar");
	assert_string_equal(mb_lang_detect_script("выборы", 12), "ru");
	assert_string_equal(mb_lang_detect_script("election", 8), "und");
	assert_string_equal(mb_lang_detect_script("चुनाव", 15), "hi");
}

static void
test_rtl(void **state)
{
	const char *rtl[] = { "ar", "fa", "ur", "he", "ps", "sd", "ug", "yi",
	    "dv", "ckb", "ar-EG", "AR", "he-IL", "fa_IR", "pa-Arab", "iw" };
	const char *ltr[] = { "en", "ru", "zh", "hi", "sw", "fr", "", "und",
	    "arx", "a", "az-Latn", "ku-Latn-TR", "en-US" };

	(void)state;
	for (size_t i = 0; i < sizeof(rtl) / sizeof(rtl[0]); i++)
		if (!mb_lang_is_rtl(rtl[i]))
			fail_msg("%s should be RTL", rtl[i]);
	for (size_t i = 0; i < sizeof(ltr) / sizeof(ltr[0]); i++)
		if (mb_lang_is_rtl(ltr[i]))
			fail_msg("%s should not be RTL", ltr[i]);
	assert_false(mb_lang_is_rtl(NULL));
}

static void
test_stemmer_name(void **state)
{
	char	p[MB_LANG_TAG_MAX + 1];

	(void)state;
	assert_string_equal(mb_lang_stemmer_name("en"), "english");
	assert_string_equal(mb_lang_stemmer_name("ru-RU"), "russian");
	assert_string_equal(mb_lang_stemmer_name("FR"), "french");
	assert_string_equal(mb_lang_stemmer_name("hi"), "hindi");
	assert_string_equal(mb_lang_stemmer_name("ar"), "arabic");
	assert_null(mb_lang_stemmer_name("sw"));
	assert_null(mb_lang_stemmer_name("zh"));
	assert_null(mb_lang_stemmer_name("und"));
	assert_null(mb_lang_stemmer_name(NULL));
	assert_int_equal(mb_lang_primary("ar-EG", p), 2);
	assert_string_equal(p, "ar");
	assert_int_equal(mb_lang_primary("und", p), 0);
	assert_int_equal(mb_lang_primary("e1", p), 0);
	assert_int_equal(mb_lang_primary("en;drop", p), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_paragraphs),
		cmocka_unit_test(test_detect_unsure),
		cmocka_unit_test(test_rtl),
		cmocka_unit_test(test_stemmer_name),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
