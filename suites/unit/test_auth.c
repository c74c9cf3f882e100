/*
 * test_auth.c - HMAC-SHA1 Authentication-Info against the published
 * DTCP examples (dtcp-facts.md 5.4: draft-cavuto-dtcp-00/03 with key
 * "secret", Junos documentation samples with key "Juniper").
 */
#include "testutil.h"

#include "auth.h"

/* Vectors 1-4 (draft, Word export): a space before every CRLF. */
#define SP " \r\n"
#define NL "\r\n"

struct vec {
	const char *key;
	const char *msg;
	const char *mac;
};

static const struct vec vecs[] = {
	{ "secret",
	    "ADD DTCP/0.6" SP
	    "Source-Address: 192.168.10.4" SP
	    "Dest-Address: 10.1.1.1-10.1.1.10" SP
	    "Protocol: 6,17" SP
	    "Dest-Port: 53" SP
	    "Timeout-Idle: 600" SP
	    "Action: Copy" SP
	    "Priority: 2" SP
	    "Flags: SendAsync" SP
	    "Cdest-ID: cdst_b" SP
	    "Csource-ID: csrc_a" SP
	    "Seq: 3827443" SP,
	    "28eb606458ba46160d7a59da48763020f5aef9f5" },
	{ "secret",
	    "DTCP/0.6 200 OK" SP
	    "Criteria-ID: 38224" SP
	    "Timestamp: 2005-01-01 12:01:01.111" SP
	    "Seq: 3827443" SP,
	    "38099d03fcb5b12a849b36f9bdccc757303fafd0" },
	{ "secret",
	    "DELETE DTCP/0.6" SP
	    "Criteria-ID: 55331" SP
	    "Flags: Static" SP
	    "Csource-ID: csrc_d" SP
	    "Seq: 2655371" SP,
	    "6af62247a2b59a2a06e0ca08ec5a80a644e2cd67" },
	{ "secret",
	    "DTCP/0.6 431 Unknown Criteria ID" SP
	    "Criteria-ID: 55331" SP
	    "Timestamp: 2005-02-02 12:02:02.222" SP
	    "Seq: 2655371" SP,
	    "5de4552e98832c2d2c3a9ffa8a2958c967b4e1e8" },
	{ "Juniper",
	    "LIST DTCP/0.7" NL
	    "Csource-ID: dtcp1" NL
	    "Cdest-ID: cd1" NL
	    "Seq: 9" NL,
	    "f6dd64643021debb167ce2fb2d3c7b6622a87e09" },
	{ "Juniper",
	    "DELETE DTCP/0.7" NL
	    "Csource-ID: dtcp1" NL
	    "CRITERIA-ID: 2" NL
	    "Flags: STATIC" NL
	    "Seq: 10" NL,
	    "7e84ae871b12f2da023b038774115bb8d955f17e" },
	{ "Juniper",
	    "DTCP/0.7 200 OK" NL
	    "SEQ: 10" NL
	    "CRITERIA-COUNT: 1" NL
	    "TIMESTAMP: 2011-02-13 16:00:02.802" NL,
	    "2834ff32ec07d84753a046cfb552e072cc27d50b" },
	{ "Juniper",
	    "DTCP/0.7 200 OK" NL
	    "SEQ: 7" NL
	    "CRITERIA-ID: 2" NL
	    "TIMESTAMP: 2011-02-13 15:56:49.609" NL,
	    "4880de4b8cead98c95813fd9b95e240b107d4693" },
	{ "Juniper",
	    "DISABLE DTCP/0.8" NL
	    "Csource-ID: ft-user" NL
	    "Criteria-ID: 8" NL
	    "X-Drop-Policy: drop_pol" NL
	    "Flags: STATIC" NL
	    "Seq: 1" NL,
	    "963aa01c38c531f63fb410afd058c018be4d0230" },
};

#define NVECS (sizeof(vecs) / sizeof(vecs[0]))

static void
test_auth_vectors_hex(void **state)
{
	char out[FT_AUTH_HEX_LEN + 1];
	size_t i;

	(void)state;
	assert_int_equal(NVECS, 9);
	for (i = 0; i < NVECS; i++) {
		memset(out, 'x', sizeof(out));
		assert_int_equal(ft_auth_hex(vecs[i].key, strlen(vecs[i].key),
		    vecs[i].msg, strlen(vecs[i].msg), out), 0);
		assert_string_equal(out, vecs[i].mac);
	}
}

static void
test_auth_vector1_length(void **state)
{
	(void)state;
	assert_int_equal(strlen(vecs[0].msg), 237);
}

static void
test_auth_vectors_check(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NVECS; i++)
		assert_int_equal(ft_auth_check(vecs[i].key,
		    strlen(vecs[i].key), vecs[i].msg, strlen(vecs[i].msg),
		    vecs[i].mac, strlen(vecs[i].mac)), 1);
}

static void
test_auth_check_wrong_key(void **state)
{
	(void)state;
	/* Vector 5 was made with "Juniper", not "secret". */
	assert_int_equal(ft_auth_check("secret", 6, vecs[4].msg,
	    strlen(vecs[4].msg), vecs[4].mac, 40), 0);
}

static void
test_auth_check_rejects_uppercase(void **state)
{
	char up[41];
	size_t i;

	(void)state;
	memcpy(up, vecs[6].mac, 41);
	for (i = 0; i < 40; i++)
		if (up[i] >= 'a' && up[i] <= 'f')
			up[i] = (char)(up[i] - 'a' + 'A');
	assert_string_not_equal(up, vecs[6].mac);
	assert_int_equal(ft_auth_check("Juniper", 7, vecs[6].msg,
	    strlen(vecs[6].msg), up, 40), 0);
}

static void
test_auth_check_rejects_length(void **state)
{
	char longer[42];

	(void)state;
	/* 39 digits: the right prefix, one short. */
	assert_int_equal(ft_auth_check("Juniper", 7, vecs[6].msg,
	    strlen(vecs[6].msg), vecs[6].mac, 39), 0);
	/* 41 digits: the right MAC and one more. */
	memcpy(longer, vecs[6].mac, 40);
	longer[40] = '0';
	longer[41] = '\0';
	assert_int_equal(ft_auth_check("Juniper", 7, vecs[6].msg,
	    strlen(vecs[6].msg), longer, 41), 0);
	assert_int_equal(ft_auth_check("Juniper", 7, vecs[6].msg,
	    strlen(vecs[6].msg), "", 0), 0);
}

/* Flip the lowest bit of the 4-bit value of hex digit d. */
static char
flip_low_bit(char d)
{
	static const char digits[] = "0123456789abcdef";
	int v = d >= 'a' ? d - 'a' + 10 : d - '0';

	return digits[v ^ 1];
}

static void
test_auth_check_rejects_one_bit(void **state)
{
	char bad[41], msg[128];
	size_t pos, n;

	(void)state;
	/* One bit of the MAC off: in the first and in the last digit. */
	for (pos = 0; pos < 40; pos += 39) {
		memcpy(bad, vecs[6].mac, 41);
		bad[pos] = flip_low_bit(bad[pos]);
		assert_string_not_equal(bad, vecs[6].mac);
		assert_int_equal(ft_auth_check("Juniper", 7, vecs[6].msg,
		    strlen(vecs[6].msg), bad, 40), 0);
	}
	/* One bit of the message off ("SEQ: 10" -> "SEQ: 11"). */
	n = strlen(vecs[6].msg);
	assert_true(n < sizeof(msg));
	memcpy(msg, vecs[6].msg, n);
	assert_int_equal(msg[23], '0');
	msg[23] ^= 1;
	assert_int_equal(ft_auth_check("Juniper", 7, msg, n, vecs[6].mac,
	    40), 0);
	/* One bit of the key off. */
	assert_int_equal(ft_auth_check("Juniqer", 7, vecs[6].msg, n,
	    vecs[6].mac, 40), 0);
}

static void
test_auth_check_rejects_non_hex(void **state)
{
	char bad[41];

	(void)state;
	memcpy(bad, vecs[6].mac, 41);
	bad[10] = 'g';
	assert_int_equal(ft_auth_check("Juniper", 7, vecs[6].msg,
	    strlen(vecs[6].msg), bad, 40), 0);
	assert_int_equal(ft_auth_check("Juniper", 7, vecs[6].msg,
	    strlen(vecs[6].msg), NULL, 40), 0);
}

static void
test_auth_wipe_zeroes(void **state)
{
	char key[8];
	size_t i;

	(void)state;
	memcpy(key, "Juniper", 8);
	ft_auth_wipe(key, sizeof(key));
	for (i = 0; i < sizeof(key); i++)
		assert_int_equal(key[i], 0);
	ft_auth_wipe(NULL, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth_vectors_hex),
		cmocka_unit_test(test_auth_vector1_length),
		cmocka_unit_test(test_auth_vectors_check),
		cmocka_unit_test(test_auth_check_wrong_key),
		cmocka_unit_test(test_auth_check_rejects_uppercase),
		cmocka_unit_test(test_auth_check_rejects_length),
		cmocka_unit_test(test_auth_check_rejects_one_bit),
		cmocka_unit_test(test_auth_check_rejects_non_hex),
		cmocka_unit_test(test_auth_wipe_zeroes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
