/*
 * test_report.c - run accounting (report.h): who offered what before the
 * budget, what each lost at ingress and at egress and why, the share of
 * the egress load, the windows and the CSV rows. Every expected value is
 * worked out by hand from the sequence fed in (comments), not taken from
 * the code's output.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "budget.h"
#include "json.h"
#include "report.h"

#define MS 1000000ULL
#define T0 1297612600000000000ULL

struct out {
	char *rates, *cs, *json;
	size_t nrates, ncs, njson;
};

/*
 * Two packets, three criteria, two agencies (interval 0.5 s):
 *  t0: 100 bytes, passes ingress; matches
 *      c1 (verint, 2 destinations): copy 128 B passes, copy 128 B
 *          dropped (packet bucket short);
 *      c2 (verint, 1 destination): copy 128 B passes;
 *      c3 (lea2, 1 destination): copy 128 B dropped (byte bucket short).
 *  t0 + 600 ms: 100 bytes, dropped at ingress (both buckets short);
 *      matches c1 and c3.
 */
static void
feed(struct out *o)
{
	struct ft_report r;
	struct ft_report_info in;
	struct ft_report_crit *c;
	struct ft_budget_cfg cfg;
	struct ft_budget ig, eg;
	struct ft_tasking_stats ts;
	FILE *fr, *fc, *fj;

	fr = open_memstream(&o->rates, &o->nrates);
	fc = open_memstream(&o->cs, &o->ncs);
	fj = open_memstream(&o->json, &o->njson);
	assert_non_null(fr);
	assert_non_null(fc);
	assert_non_null(fj);
	assert_int_equal(ft_report_init(&r, 500 * MS, fr, fc, NULL), 0);

	ft_report_packet(&r, T0);
	ft_report_ingress(&r, 100, 0);
	c = ft_report_offer(&r, 1, "verint", 2, 100, 1);
	ft_report_egress(&r, c, 128, 0);
	ft_report_egress(&r, c, 128, FT_BUDGET_SHORT_PKT);
	c = ft_report_offer(&r, 2, "verint", 1, 100, 1);
	ft_report_egress(&r, c, 128, 0);
	c = ft_report_offer(&r, 3, "lea2", 1, 100, 1);
	ft_report_egress(&r, c, 128, FT_BUDGET_SHORT_BYTE);

	ft_report_packet(&r, T0 + 600 * MS);
	ft_report_ingress(&r, 100, FT_BUDGET_SHORT_PKT | FT_BUDGET_SHORT_BYTE);
	(void)ft_report_offer(&r, 1, "verint", 2, 100, 0);
	(void)ft_report_offer(&r, 3, "lea2", 1, 100, 0);

	/* The budgets as they would stand after that sequence. */
	ft_budget_cfg_default(&cfg);
	memset(&ig, 0, sizeof(ig));
	ig.offered = 2;
	ig.passed = 1;
	ig.dropped = 1;
	ig.bytes_offered = 200;
	ig.bytes_passed = 100;
	ig.bytes_dropped = 100;
	ig.drop_both = 1;
	memset(&eg, 0, sizeof(eg));
	eg.offered = 4;
	eg.passed = 2;
	eg.dropped = 2;
	eg.bytes_offered = 512;
	eg.bytes_passed = 256;
	eg.bytes_dropped = 256;
	eg.drop_pkt = 1;
	eg.drop_byte = 1;
	memset(&ts, 0, sizeof(ts));
	memset(&in, 0, sizeof(in));
	in.trace = "t.pcap";
	in.script = "s.dtcp";
	in.profile = "flowtap";
	in.linktype = 1;
	in.budget = &cfg;
	in.ingress = &ig;
	in.egress = &eg;
	in.tasking = &ts;
	assert_int_equal(ft_report_finish(&r, &in, fj, NULL), 0);
	ft_report_release(&r);
	fclose(fr);
	fclose(fc);
	fclose(fj);
}

static const struct ft_json_node *
row(const struct ft_json_node *root, const char *arr, size_t k)
{
	const struct ft_json_node *n = ft_json_get(root, arr);

	assert_non_null(n);
	for (n = n->child; n != NULL && k > 0; k--)
		n = n->next;
	assert_non_null(n);
	return n;
}

#define U(n, p) ft_json_u64(ft_json_get((n), (p)), 999999)

static void
test_report_attribution_before_and_after_budget(void **state)
{
	struct out o;
	struct ft_json *j;
	const struct ft_json_node *r, *c;

	(void)state;
	memset(&o, 0, sizeof(o));
	feed(&o);
	assert_int_equal(ft_json_parse(&j, o.json, o.njson, NULL), 0);
	r = ft_json_root(j);

	/* c1: offered both packets (200 B) asking 2 copies each = 4; the
	 * second was dropped at ingress with its 2 copies; the first's two
	 * copies: one passed, one dropped by the packet bucket. */
	c = row(r, "criteria", 0);
	assert_int_equal(U(c, "criteria_id"), 1);
	assert_int_equal(U(c, "offered.packets"), 2);
	assert_int_equal(U(c, "offered.bytes"), 200);
	assert_int_equal(U(c, "offered.copies"), 4);
	assert_int_equal(U(c, "ingress_dropped.packets"), 1);
	assert_int_equal(U(c, "ingress_dropped.bytes"), 100);
	assert_int_equal(U(c, "ingress_dropped.copies"), 2);
	assert_int_equal(U(c, "packets"), 1);
	assert_int_equal(U(c, "egress.offered"), 2);
	assert_int_equal(U(c, "egress.offered_bytes"), 256);
	assert_int_equal(U(c, "copies_passed"), 1);
	assert_int_equal(U(c, "copies_dropped"), 1);
	assert_int_equal(U(c, "egress.dropped_by_cause.packet_bucket"), 1);
	/* Its share of the 4 copies offered at egress: 2/4. */
	assert_string_equal(ft_json_get(c, "egress.share_pct")->text, "50.00");
	/* c2 matched only the first packet: 1 copy, passed: 25 %. */
	c = row(r, "criteria", 1);
	assert_int_equal(U(c, "offered.packets"), 1);
	assert_int_equal(U(c, "ingress_dropped.packets"), 0);
	assert_string_equal(ft_json_get(c, "egress.share_pct")->text, "25.00");

	/* Agencies, sorted by name: lea2, then verint. lea2: 2 packets
	 * offered, 1 dropped at ingress; its one copy offered at egress was
	 * dropped by the byte bucket: 1 of 4 = 25 %. */
	c = row(r, "csources", 0);
	assert_string_equal(ft_json_str(ft_json_get(c, "csource"), ""), "lea2");
	assert_int_equal(U(c, "offered.packets"), 2);
	assert_int_equal(U(c, "offered.copies"), 2);
	assert_int_equal(U(c, "ingress_dropped.packets"), 1);
	assert_int_equal(U(c, "ingress_dropped.copies"), 1);
	assert_int_equal(U(c, "egress.dropped_by_cause.byte_bucket"), 1);
	assert_string_equal(ft_json_get(c, "egress.share_pct")->text, "25.00");
	/* verint: the first packet matched c1 and c2 but counts once: 2
	 * packets offered, 200 bytes; copies asked: 4 (c1) + 1 (c2) = 5;
	 * 'packets' stays the old per-criterion sum: c1 1 + c2 1 = 2;
	 * egress: 3 offered (75 %), 2 passed, 1 dropped. */
	c = row(r, "csources", 1);
	assert_string_equal(ft_json_str(ft_json_get(c, "csource"), ""),
	    "verint");
	assert_int_equal(U(c, "offered.packets"), 2);
	assert_int_equal(U(c, "offered.bytes"), 200);
	assert_int_equal(U(c, "offered.copies"), 5);
	assert_int_equal(U(c, "ingress_dropped.packets"), 1);
	assert_int_equal(U(c, "ingress_dropped.copies"), 2);
	assert_int_equal(U(c, "packets"), 2);
	assert_int_equal(U(c, "egress.offered"), 3);
	assert_int_equal(U(c, "copies_passed"), 2);
	assert_int_equal(U(c, "copies_dropped"), 1);
	assert_string_equal(ft_json_get(c, "egress.share_pct")->text, "75.00");

	/* Windows: both packets in the first second [0, 1 s), each in a
	 * 100 ms window of its own. */
	assert_int_equal(U(r, "ingress.peak_1s.offered"), 2);
	assert_int_equal(U(r, "ingress.peak_100ms.offered"), 1);
	assert_int_equal(U(r, "egress.peak_100ms.offered"), 4);
	assert_int_equal(U(r, "egress.peak_100ms.offered_bytes"), 512);
	/* First drop: egress, at the first packet, packet bucket. */
	assert_string_equal(ft_json_str(ft_json_get(r,
	    "budget.first_drop.direction"), ""), "egress");
	assert_string_equal(ft_json_str(ft_json_get(r,
	    "budget.first_drop.cause"), ""), "packet_bucket");
	assert_string_equal(ft_json_get(r, "budget.first_drop.time_s")->text,
	    "0.000000000");
	assert_string_equal(ft_json_get(r, "run.duration_s")->text,
	    "0.600000000");
	/*
	 * Utilisation, packet bucket at ingress: 1 passed in 0.6 s against
	 * 20000/s = 1 / 12000 = 0.0083 % -> "0.01"; busiest 100 ms: 1 of
	 * 2000 = 0.05 %.
	 */
	assert_string_equal(ft_json_get(r,
	    "ingress.utilisation_pct.packet_bucket.mean")->text, "0.01");
	assert_string_equal(ft_json_get(r,
	    "ingress.utilisation_pct.packet_bucket.peak_100ms")->text, "0.05");
	ft_json_free(j);

	/* rates.csv: interval 0 (t0) and interval 1 (t0 + 0.6 s). */
	assert_non_null(strstr(o.rates, "\n0.000000000,1,1,1,0,4,2,2,100,100,0,"
	    "0,0,0,512,256,256,1,1,0\n"));
	assert_non_null(strstr(o.rates, "\n0.500000000,1,1,0,1,0,0,0,100,0,"
	    "100,0,0,1,0,0,0,0,0,0\n"));
	/* csources.csv in first-seen order: verint, then lea2. */
	assert_non_null(strstr(o.cs, "\n0.000000000,verint,1,100,0,3,384,2,1\n"
	    "0.000000000,lea2,1,100,0,1,128,0,1\n0.500000000,verint,1,100,1,0,0,"
	    "0,0\n0.500000000,lea2,1,100,1,0,0,0,0\n"));
	free(o.rates);
	free(o.cs);
	free(o.json);
}

static void
test_report_pct_rounding(void **state)
{
	char b[48];

	(void)state;
	ft_report_pct(b, sizeof(b), 1, 1, 3, 1);	/* 33.333 */
	assert_string_equal(b, "33.33");
	ft_report_pct(b, sizeof(b), 2, 1, 3, 1);	/* 66.666 */
	assert_string_equal(b, "66.67");
	ft_report_pct(b, sizeof(b), 1, 1, 8, 1);	/* 12.5 */
	assert_string_equal(b, "12.50");
	ft_report_pct(b, sizeof(b), 3, 1, 2, 1);	/* 150 */
	assert_string_equal(b, "150.00");
	ft_report_pct(b, sizeof(b), 5, 1, 0, 1);
	assert_string_equal(b, "null");
	/* 128-bit products: 10^12 x 10^9 over 10^12 x 10^9 = 100 %. */
	ft_report_pct(b, sizeof(b), 1000000000000ULL, 1000000000ULL,
	    1000000000000ULL, 1000000000ULL);
	assert_string_equal(b, "100.00");
}

/*
 * Warnings: counted per kind, the first occurrence kept in words, only
 * the kinds that occurred listed, in the enum's order; the DTCP layer's
 * unknown X- parameters join them; the version is the first key, on its
 * own line; the summary lists the losses; no report.json at all when
 * json is NULL.
 */
static void
test_report_warnings_and_version(void **state)
{
	struct ft_report r;
	struct ft_report_info in;
	struct ft_budget_cfg cfg;
	struct ft_budget ig, eg;
	struct ft_tasking_stats ts;
	const char *const agencies[] = { "lea2", "verint" };
	char *json = NULL, *sum = NULL;
	size_t njson = 0, nsum = 0;
	struct ft_json *j;
	const struct ft_json_node *w, *x;
	FILE *fj, *fs;

	(void)state;
	assert_int_equal(ft_report_init(&r, 1000 * MS, NULL, NULL, NULL), 0);
	ft_report_packet(&r, T0);
	ft_report_warn(&r, FT_REPORT_W_UNDELIVERED, "script line %u", 7);
	ft_report_warn(&r, FT_REPORT_W_UNDELIVERED, "script line %u", 9);
	ft_report_warn(&r, FT_REPORT_W_TRACE_CUT, "cut at \"%s\"", "x");
	ft_report_ingress(&r, 100, 0);
	(void)ft_report_offer(&r, 1, "verint", 1, 100, 1);
	ft_budget_cfg_default(&cfg);
	memset(&ig, 0, sizeof(ig));
	memset(&eg, 0, sizeof(eg));
	memset(&ts, 0, sizeof(ts));
	ts.unknown_x = 2;
	snprintf(ts.unknown_x_first, sizeof(ts.unknown_x_first), "X-A");
	memset(&in, 0, sizeof(in));
	in.profile = "flowtap";
	in.budget = &cfg;
	in.ingress = &ig;
	in.egress = &eg;
	in.tasking = &ts;
	in.agencies = agencies;
	in.nagencies = 2;
	fj = open_memstream(&json, &njson);
	fs = open_memstream(&sum, &nsum);
	assert_int_equal(ft_report_finish(&r, &in, fj, fs), 0);
	fclose(fj);
	fclose(fs);
	assert_true(strncmp(json, "{\n  \"flowtap_version\": \"", 22) == 0);
	assert_int_equal(ft_json_parse(&j, json, njson, NULL), 0);
	w = ft_json_get(ft_json_root(j), "warnings");
	assert_non_null(w);
	x = w->child;		/* trace_cut_short comes before undelivered */
	assert_string_equal(ft_json_str(ft_json_get(x, "kind"), ""),
	    "trace_cut_short");
	assert_int_equal(U(x, "count"), 1);
	assert_string_equal(ft_json_str(ft_json_get(x, "first"), ""),
	    "cut at \"x\"");
	x = x->next;
	assert_string_equal(ft_json_str(ft_json_get(x, "kind"), ""),
	    "undelivered_messages");
	assert_int_equal(U(x, "count"), 2);
	assert_string_equal(ft_json_str(ft_json_get(x, "first"), ""),
	    "script line 7");
	x = x->next;
	assert_string_equal(ft_json_str(ft_json_get(x, "kind"), ""),
	    "unknown_x_parameters");
	assert_int_equal(U(x, "count"), 2);
	assert_null(x->next);
	ft_json_free(j);
	/* The summary: lea2 sent messages but matched nothing. */
	assert_non_null(strstr(sum, "\nagencies without a match: lea2\n"));
	assert_non_null(strstr(sum, "\nwarning: undelivered_messages x2: "
	    "script line 7\n"));
	free(json);
	free(sum);
	/* No report.json: only the summary. */
	sum = NULL;
	fs = open_memstream(&sum, &nsum);
	assert_int_equal(ft_report_finish(&r, &in, NULL, fs), 0);
	fclose(fs);
	assert_non_null(strstr(sum, "packets: 1 read"));
	free(sum);
	ft_report_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_attribution_before_and_after_budget),
		cmocka_unit_test(test_report_pct_rounding),
		cmocka_unit_test(test_report_warnings_and_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
