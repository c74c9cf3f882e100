/*
 * rules.c - the rule catalogue (rules.h). One row per rule; the order is
 * enum ft_rules_id's. References: the project's docs where the behaviour
 * is described for users (docs/dtcp.md, docs/parameters.md,
 * docs/scripts.md, docs/config.md), the Juniper guide's normative
 * sentences by their ids in suites/normative.txt (seed-NN, as
 * docs/coverage.md lists them), draft-cavuto-dtcp-03 by section.
 */
#include "rules.h"

#include <string.h>

#define MUST FT_RULES_MUST
#define SHOULD FT_RULES_SHOULD
#define INFO FT_RULES_INFO
#define REPLY FT_RULES_REPLY
#define DROP FT_RULES_DROP
#define ACCEPT FT_RULES_ACCEPT
#define NOT_SENT FT_RULES_NOT_SENT
#define ROUTER FT_RULES_ROUTER

/* What the spec says of every framing defect (docs/dtcp.md). */
#define FRAMING_SRC "Over a cap, NUL bytes, bare CR/LF, invalid UTF-8, a " \
	"bad request line or a line without a colon are framing defects: " \
	"answered 400 only when the request authenticates"

static const struct ft_rules_entry table[FT_RULES_COUNT] = {
	[FT_RULES_NONE] = { "NONE", INFO, ACCEPT, 0, "", "", "" },

	[FT_RULES_FRAME_MSG_CAP] = { "DTCP-FRAME-MSG-CAP", MUST, DROP, 400,
	    "docs/dtcp.md", "A message over the size cap is dropped and logged "
	    "with code 400, never answered",
	    "a message is at most 8192 bytes, CRLFs and the empty line "
	    "included: a longer one is dropped unanswered" },
	[FT_RULES_FRAME_LINE_CAP] = { "DTCP-FRAME-LINE-CAP", MUST, REPLY, 400,
	    "docs/dtcp.md", FRAMING_SRC,
	    "a line is at most 1024 bytes without its CRLF" },
	[FT_RULES_FRAME_PARAM_CAP] = { "DTCP-FRAME-PARAM-CAP", MUST, REPLY,
	    400, "docs/dtcp.md", FRAMING_SRC,
	    "a message has at most 64 parameter lines, Authentication-Info "
	    "included" },
	[FT_RULES_FRAME_NUL] = { "DTCP-FRAME-NUL", MUST, REPLY, 400,
	    "docs/dtcp.md", FRAMING_SRC, "a message holds no NUL byte" },
	[FT_RULES_FRAME_BARE_CR] = { "DTCP-FRAME-BARE-CR", MUST, REPLY, 400,
	    "docs/dtcp.md", FRAMING_SRC,
	    "lines end with CR LF: a CR anywhere else is a framing defect" },
	[FT_RULES_FRAME_BARE_LF] = { "DTCP-FRAME-BARE-LF", MUST, REPLY, 400,
	    "docs/dtcp.md", FRAMING_SRC,
	    "lines end with CR LF: an LF without its CR is a framing defect" },
	[FT_RULES_FRAME_UTF8] = { "DTCP-FRAME-UTF8", MUST, REPLY, 400,
	    "docs/dtcp.md", FRAMING_SRC, "DTCP text is valid UTF-8" },
	[FT_RULES_FRAME_REQLINE] = { "DTCP-FRAME-REQUEST-LINE", MUST, REPLY,
	    400, "docs/dtcp.md", "Request line `METHOD DTCP/x.y`",
	    "the first line is METHOD, one space, DTCP/x.y" },
	[FT_RULES_FRAME_PARAM] = { "DTCP-FRAME-PARAM-SYNTAX", MUST, REPLY, 400,
	    "docs/dtcp.md", "`Name: value` parameters",
	    "a parameter line is Name: value, the name of letters, digits, "
	    "'-' and '_'" },
	[FT_RULES_FRAME_AFTER_END] = { "DTCP-FRAME-AFTER-END", MUST, REPLY,
	    400, "docs/dtcp.md", "a message ends with an empty line",
	    "nothing may follow the empty line that ends a message (an "
	    "Authentication-Info after it is never read)" },

	[FT_RULES_AUTH_NO_SESSION] = { "DTCP-AUTH-NO-SESSION", MUST, DROP, 499,
	    "docs/dtcp.md", "unknown control source: the request is dropped, "
	    "never answered", "a request needs an open session" },
	[FT_RULES_AUTH_MAC_MISSING] = { "DTCP-AUTH-MAC-MISSING", MUST, DROP,
	    497, "docs/dtcp.md; seed-79", "Missing or wrong MAC ...: the request "
	    "is dropped, never answered, and logged with code 497",
	    "every request ends with Authentication-Info: the HMAC-SHA1 of "
	    "its lines" },
	[FT_RULES_AUTH_MAC_MALFORMED] = { "DTCP-AUTH-MAC-MALFORMED", MUST, DROP,
	    497, "docs/dtcp.md; seed-79", "`Authentication-Info` = 40 lowercase "
	    "hex digits of HMAC-SHA1",
	    "Authentication-Info is exactly 40 lower-case hex digits" },
	[FT_RULES_AUTH_MAC_CASE] = { "DTCP-AUTH-MAC-CASE", MUST, DROP, 497,
	    "docs/dtcp.md; seed-79", "`Authentication-Info` = 40 lowercase hex "
	    "digits of HMAC-SHA1",
	    "the MAC is right but in upper case: it must be lower-case hex" },
	[FT_RULES_AUTH_MAC_WRONG] = { "DTCP-AUTH-MAC-WRONG", MUST, DROP, 497,
	    "docs/dtcp.md; seed-79", "HMAC-SHA1 (key, bytes from the first byte "
	    "of the request line through the CRLF ending the line before "
	    "`Authentication-Info`)",
	    "the MAC does not verify over the request line .. the line "
	    "before Authentication-Info with the key" },
	[FT_RULES_AUTH_CSOURCE_MISSING] = { "DTCP-AUTH-CSOURCE-MISSING", MUST,
	    DROP, 499, "docs/dtcp.md", "Csource-ID different from the SSH "
	    "login user ...: dropped, logged with code 499",
	    "every request names its control source in Csource-ID" },
	[FT_RULES_AUTH_CSOURCE_USER] = { "DTCP-AUTH-CSOURCE-USER", MUST, DROP,
	    499, "docs/dtcp.md; seed-66", "This should be the same username "
	    "specified under the system login",
	    "Csource-ID must be the SSH login user of the session" },
	[FT_RULES_AUTH_PERMISSION] = { "DTCP-AUTH-PERMISSION", MUST, DROP, 499,
	    "docs/dtcp.md; seed-50", "The flow-tap-dtcp service can be used only "
	    "by those who have the flow-tap operation permission bit set",
	    "the login user's class needs the flow-tap-operation "
	    "permission" },

	[FT_RULES_SEQ_MISSING] = { "DTCP-SEQ-MISSING", MUST, REPLY, 400,
	    "docs/dtcp.md; seed-75", "Seq is an unsigned 64-bit decimal, kept per "
	    "control source", "every request carries Seq" },
	[FT_RULES_SEQ_SYNTAX] = { "DTCP-SEQ-SYNTAX", MUST, REPLY, 400,
	    "docs/dtcp.md", "Seq is an unsigned 64-bit decimal",
	    "Seq is a decimal number of 1 to 20 digits, at most "
	    "18446744073709551615" },
	[FT_RULES_SEQ_STALE] = { "DTCP-SEQ-STALE", MUST, DROP, 498,
	    "docs/dtcp.md; seed-76, seed-77", "Any configuration attempt with an "
	    "older sequence number is rejected",
	    "Seq must be greater than the control source's last accepted "
	    "Seq" },
	[FT_RULES_SEQ_STEP] = { "DTCP-SEQ-STEP", MUST, DROP, 498, "docs/dtcp.md",
	    "Profile draft: additionally the step must be 1..256",
	    "profile draft: Seq may exceed the last accepted one by 1 to 256" },
	[FT_RULES_SEQ_JUNOS] = { "DTCP-SEQ-NOT-INCREASING", INFO, ACCEPT, 0,
	    "docs/dtcp.md; seed-77", "Profile junos: Seq is not checked (Junos "
	    "release-note errata)",
	    "Seq does not increase: profile junos accepts it, a router of "
	    "profile flowtap or draft drops it (498)" },

	[FT_RULES_VERSION] = { "DTCP-VERSION", MUST, REPLY, 505,
	    "docs/dtcp.md; seed-62", "Versions 0.6, 0.7, 0.8 are accepted; any "
	    "other gets 505",
	    "the version is DTCP/0.6, DTCP/0.7 or DTCP/0.8" },
	[FT_RULES_METHOD_UNKNOWN] = { "DTCP-METHOD-UNKNOWN", MUST, REPLY, 501,
	    "docs/dtcp.md", "Methods: ADD, DELETE, LIST always ... Unknown method: "
	    "501", "methods are ADD, DELETE and LIST (upper case)" },
	[FT_RULES_METHOD_PROFILE] = { "DTCP-METHOD-PROFILE", MUST, REPLY, 501,
	    "docs/dtcp.md", "REFRESH, NOOP in profile draft only (else 501)",
	    "REFRESH and NOOP are the draft's: a flow-tap router answers 501" },
	[FT_RULES_PARAM_UNKNOWN] = { "DTCP-PARAM-UNKNOWN", MUST, REPLY, 501,
	    "docs/dtcp.md; seed-63", "If any unsupported parameters are received "
	    "for a particular DTCP version, the request is rejected",
	    "a parameter the version does not define (and not X-) is "
	    "rejected" },
	[FT_RULES_PARAM_VERSION] = { "DTCP-PARAM-VERSION", MUST, REPLY, 501,
	    "docs/dtcp.md; seed-63", "If any unsupported parameters are received "
	    "for a particular DTCP version, the request is rejected",
	    "X-JTap-Filter-Family needs DTCP/0.8" },
	[FT_RULES_PARAM_X_NEAR] = { "DTCP-PARAM-X-NEAR", SHOULD, ACCEPT, 0,
	    "docs/dtcp.md", "Unknown `X-` parameters are ignored",
	    "an unknown X-JTap-/X-MD- name close to a known one is a typo: "
	    "it is ignored, its value has no effect" },
	[FT_RULES_PARAM_X_IGNORED] = { "DTCP-PARAM-X-IGNORED", INFO, ACCEPT, 0,
	    "docs/dtcp.md", "Unknown `X-` parameters are ignored",
	    "an X- parameter flow-tap does not know is ignored" },
	[FT_RULES_PARAM_DUPLICATE] = { "DTCP-PARAM-DUPLICATE", SHOULD, ACCEPT,
	    0, "docs/dtcp.md", "For a duplicate name the first occurrence counts",
	    "a parameter given twice: only the first counts" },
	[FT_RULES_LINE_TRAILING_SPACE] = { "DTCP-LINE-TRAILING-SPACE", SHOULD,
	    ACCEPT, 0, "draft-cavuto-dtcp-03 5; docs/dtcp.md", "Trailing whitespace before CRLF: "
	    "servers SHOULD ignore it",
	    "a line ends in spaces or tabs: values ignore them but the MAC "
	    "covers them" },
	[FT_RULES_AUTH_NOT_LAST] = { "DTCP-AUTH-NOT-LAST", SHOULD, ACCEPT, 0,
	    "docs/dtcp.md", "`Authentication-Info` must be the last parameter; "
	    "lines after it are ignored entirely",
	    "lines after Authentication-Info are ignored" },

	[FT_RULES_ADD_CSOURCE_SYNTAX] = { "DTCP-ADD-CSOURCE-SYNTAX", MUST,
	    REPLY, 400, "docs/parameters.md", "Required: `Csource-ID` ...",
	    "Csource-ID is 1 to 64 visible bytes without ','" },
	[FT_RULES_ADD_CDEST_ID_MISSING] = { "DTCP-ADD-CDEST-ID-MISSING", MUST,
	    REPLY, 400, "docs/parameters.md; seed-67", "Required: `Csource-ID`, "
	    "`Cdest-ID` ...", "ADD requires Cdest-ID" },
	[FT_RULES_ADD_CDEST_ID_SYNTAX] = { "DTCP-ADD-CDEST-ID-SYNTAX", MUST,
	    REPLY, 400, "docs/parameters.md; seed-67", "Cdest-ID: cd1. This line "
	    "identifies the mediation device",
	    "each Cdest-ID is 1 to 64 visible bytes without ','" },
	[FT_RULES_ADD_JTAP_REQUIRED] = { "DTCP-ADD-JTAP-REQUIRED", MUST, REPLY,
	    901, "docs/dtcp.md; docs/parameters.md; seed-70", "901 JTap-Failure (any X-JTap "
	    "problem, a missing required `X-JTap-Cdest-*` parameter "
	    "included)", "ADD requires X-JTap-Cdest-Dest-Address, "
	    "-Dest-Port, -Source-Address and -Source-Port" },
	[FT_RULES_ADD_PRIORITY] = { "DTCP-ADD-PRIORITY", MUST, REPLY, 400,
	    "docs/parameters.md", "`Priority` is accepted and ignored",
	    "Priority is a number from 0 to 255" },
	[FT_RULES_ADD_ACTION] = { "DTCP-ADD-ACTION", MUST, REPLY, 501,
	    "docs/dtcp.md; docs/parameters.md", "The original traffic is never altered or delayed",
	    "Action: only Copy (flow-tap never blocks or redirects)" },
	[FT_RULES_ADD_FLAGS] = { "DTCP-ADD-FLAGS", MUST, REPLY, 501,
	    "docs/parameters.md", "`STATIC` is the only ADD/DELETE flag supported",
	    "ADD Flags: only STATIC (profile draft: also SendAsync)" },
	[FT_RULES_ADD_STATIC] = { "DTCP-ADD-STATIC", MUST, REPLY, 433,
	    "docs/parameters.md; seed-69", "Profile `flowtap`/`junos`: `Flags: STATIC` "
	    "is required (no timeouts on flow-tap) - without it `433`",
	    "flow-tap criteria must carry Flags: STATIC" },
	[FT_RULES_ADD_TIMEOUT] = { "DTCP-ADD-TIMEOUT", MUST, REPLY, 433,
	    "docs/parameters.md", "no timeouts on flow-tap; profile draft: timeouts "
	    "`Timeout-Idle/-Total/-Packets/-Bytes`",
	    "flow-tap has no timeouts (profile draft: idle and total 0..86400 "
	    "s, packets 32-bit, bytes 64-bit)" },
	[FT_RULES_ADD_TIMEOUT_NONE] = { "DTCP-ADD-TIMEOUT-NONE", MUST, REPLY,
	    433, "docs/parameters.md", "Profile `draft`: timeouts (at least one, or "
	    "STATIC)", "profile draft: a non-zero timeout or Flags: STATIC" },
	[FT_RULES_ADD_ADDRESS] = { "DTCP-ADD-ADDRESS", MUST, REPLY, 432,
	    "docs/parameters.md; seed-68", "`Source-Address`, `Dest-Address` (`*`, "
	    "address, `addr/len`, `a-b`, `a-*`, `*-b` ranges) ... a comma "
	    "list whose entries may be negated with `!`",
	    "an address filter is *, an address, addr/len, a-b, a-* or *-b, "
	    "or a comma list of them (! negates), of one family" },
	[FT_RULES_ADD_PORT] = { "DTCP-ADD-PORT", MUST, REPLY, 432,
	    "docs/parameters.md; seed-68", "`Source-Port`, `Dest-Port` (`*`, N, N-M)",
	    "a port filter is *, N or N-M (0..65535), or a comma list of "
	    "them (! negates)" },
	[FT_RULES_ADD_PROTOCOL] = { "DTCP-ADD-PROTOCOL", MUST, REPLY, 432,
	    "docs/parameters.md; seed-68", "`Protocol` (`*`, N, N-M)",
	    "Protocol is *, N or N-M (0..255), or a comma list of them "
	    "(! negates)" },
	[FT_RULES_ADD_ICMP] = { "DTCP-ADD-ICMP", MUST, REPLY, 432, "docs/parameters.md",
	    "`ICMP-Type`, `ICMP-Code` (as ports)",
	    "ICMP-Type and ICMP-Code are *, N or N-M (0..255), or comma "
	    "lists (! negates)" },
	[FT_RULES_ADD_IP_VERSION] = { "DTCP-ADD-IP-VERSION", MUST, REPLY, 901,
	    "docs/parameters.md; seed-73", "IP family: `X-JTap-IP-Version: ipv4|ipv6`",
	    "X-JTap-IP-Version is ipv4 or ipv6" },
	[FT_RULES_ADD_FAMILY] = { "DTCP-ADD-FAMILY", MUST, REPLY, 432,
	    "docs/parameters.md; seed-74", "Match addresses of the other family: `432`",
	    "match addresses are of one family, the one X-JTap-IP-Version "
	    "names" },
	[FT_RULES_ADD_IPV6_V06] = { "DTCP-ADD-IPV6-V06", MUST, REPLY, 432,
	    "docs/parameters.md", "IPv6 needs DTCP/0.7 or later: IPv6 match addresses "
	    "in 0.6 get `432`", "IPv6 match addresses need DTCP/0.7" },
	[FT_RULES_ADD_IPV6_V06_JTAP] = { "DTCP-ADD-IPV6-V06-JTAP", MUST, REPLY,
	    901, "docs/parameters.md", "an IPv6 content-destination or source address, "
	    "or `X-JTap-IP-Version: ipv6`, in 0.6 gets `901`",
	    "IPv6 content destinations, source address or X-JTap-IP-Version: "
	    "ipv6 need DTCP/0.7" },
	[FT_RULES_ADD_PORT_PROTOCOL] = { "DTCP-ADD-PORT-PROTOCOL", MUST, REPLY,
	    432, "docs/parameters.md", "Port conditions need a protocol set that "
	    "includes 6, 17 or 132 (a wildcard protocol does)",
	    "a port condition needs a Protocol that includes 6, 17 or 132" },
	[FT_RULES_ADD_ICMP_PROTOCOL] = { "DTCP-ADD-ICMP-PROTOCOL", MUST, REPLY,
	    432, "docs/parameters.md", "ICMP conditions one that includes 1 or 58, else "
	    "`432`", "an ICMP condition needs a Protocol that includes 1 or "
	    "58" },
	[FT_RULES_ADD_CDEST_MAX] = { "DTCP-ADD-CDEST-MAX", MUST, REPLY, 551,
	    "docs/dtcp.md; docs/parameters.md", "content destinations (1 or 2) ... more than 2: "
	    "`551`", "at most 2 content destinations" },
	[FT_RULES_ADD_CDEST_COUNT] = { "DTCP-ADD-CDEST-COUNT", MUST, REPLY, 432,
	    "docs/parameters.md", "the comma-list counts of `Cdest-ID`, "
	    "`X-JTap-Cdest-Dest-Address` and `X-JTap-Cdest-Dest-Port` must "
	    "be equal (`432`)", "Cdest-ID, X-JTap-Cdest-Dest-Address and "
	    "X-JTap-Cdest-Dest-Port list as many entries" },
	[FT_RULES_ADD_CDEST_ADDRESS] = { "DTCP-ADD-CDEST-ADDRESS", MUST, REPLY,
	    901, "docs/parameters.md; seed-70", "X-JTap-Cdest-Dest-Address ... define the "
	    "LEA IP header fields",
	    "X-JTap-Cdest-Dest-Address is an IPv4 or IPv6 address per "
	    "destination" },
	[FT_RULES_ADD_CDEST_PORT] = { "DTCP-ADD-CDEST-PORT", MUST, REPLY, 901,
	    "docs/parameters.md; seed-70", "X-JTap-Cdest-Dest-Port ... define the LEA IP "
	    "header fields",
	    "X-JTap-Cdest-Dest-Port is a UDP port 1..65535 per destination" },
	[FT_RULES_ADD_SOURCE_ADDRESS] = { "DTCP-ADD-SOURCE-ADDRESS", MUST,
	    REPLY, 901, "docs/parameters.md; seed-70, seed-71", "The source address is "
	    "the operational IP address",
	    "X-JTap-Cdest-Source-Address is one IPv4 or IPv6 address" },
	[FT_RULES_ADD_SOURCE_FAMILY] = { "DTCP-ADD-SOURCE-FAMILY", MUST, REPLY,
	    901, "docs/parameters.md", "`X-JTap-Cdest-Source-Address` must be of each "
	    "destination's family, else `901`",
	    "X-JTap-Cdest-Source-Address is of each content destination's "
	    "family" },
	[FT_RULES_ADD_SOURCE_PORT] = { "DTCP-ADD-SOURCE-PORT", MUST, REPLY,
	    901, "docs/parameters.md; seed-70", "X-JTap-Cdest-Source-Port ... define the "
	    "LEA IP header fields",
	    "X-JTap-Cdest-Source-Port is a UDP port 1..65535" },
	[FT_RULES_ADD_TTL] = { "DTCP-ADD-TTL", MUST, REPLY, 901,
	    "docs/parameters.md; seed-72", "`X-JTap-Cdest-TTL` 0..255, default 255",
	    "X-JTap-Cdest-TTL is a number from 0 to 255" },
	[FT_RULES_ADD_INTERCEPT_ID] = { "DTCP-ADD-INTERCEPT-ID", MUST, REPLY,
	    901, "docs/parameters.md", "`X-MD-Intercept-Id` (hex, optional `0x`, 4 "
	    "or 8 bytes)",
	    "X-MD-Intercept-Id is 8 or 16 hex digits (4 or 8 bytes), "
	    "optionally after 0x" },
	[FT_RULES_ADD_INTERCEPT_ID_TOP] = { "DTCP-ADD-INTERCEPT-ID-TOP", MUST,
	    REPLY, 901, "docs/parameters.md", "its top two bits must be zero, else `901`",
	    "the intercept ID is 30 bits: the top two bits of X-MD-Intercept-Id "
	    "are zero" },
	[FT_RULES_ADD_VRF_INTERFACE] = { "DTCP-ADD-VRF-INTERFACE", MUST, REPLY,
	    432, "docs/parameters.md; draft-cavuto-dtcp-03 A.3", "Combining VRF-Name with "
	    "Input/Output-Interface -> `432`",
	    "X-JTap-VRF-Name and X-JTap-Input/Output-Interface do not go "
	    "together" },
	[FT_RULES_ADD_FILTER_FAMILY] = { "DTCP-ADD-FILTER-FAMILY", MUST, REPLY,
	    901, "README.md", "`X-JTap-Filter-Family` (ccc) is not "
	    "emulated: `901`", "X-JTap-Filter-Family (ccc tapping) is not "
	    "emulated" },
	[FT_RULES_ADD_INTERFACE] = { "DTCP-ADD-INTERFACE", MUST, REPLY, 901,
	    "docs/parameters.md", "`X-JTap-Input-Interface`, `X-JTap-Output-Interface` "
	    "... `901` unless the router configuration declares that "
	    "interface", "interfaces are units the router configuration "
	    "declares, at most 8" },
	[FT_RULES_ADD_VRF] = { "DTCP-ADD-VRF", MUST, REPLY, 901, "docs/parameters.md",
	    "`X-JTap-VRF-Name`: `901` unless the router configuration "
	    "declares that ... VRF",
	    "X-JTap-VRF-Name is a routing-instance the configuration "
	    "declares" },
	[FT_RULES_ADD_TOO_LONG] = { "DTCP-ADD-TOO-LONG", MUST, REPLY, 400,
	    "docs/parameters.md", "LIST ... filter fields, X-JTap fields",
	    "the ADD's filter and X-JTap lines must fit the 2 KiB a "
	    "criterion keeps for LIST" },
	[FT_RULES_ADD_LIMIT] = { "DTCP-ADD-LIMIT", MUST, REPLY, 550,
	    "docs/parameters.md; seed-14, seed-15", "Flow-tap supports up to 100 "
	    "filters per chassis", "100 criteria per chassis, IPv4 and IPv6 "
	    "together: the 101st gets 550 (500 in DTCP/0.6)" },
	[FT_RULES_ADD_NEVER_MATCHES] = { "DTCP-ADD-NEVER-MATCHES", SHOULD,
	    ACCEPT, 0, "docs/parameters.md; seed-20", "Target packets are those that "
	    "match the LEA filters",
	    "the criterion can never match a packet" },
	[FT_RULES_ADD_IPV4_ONLY] = { "DTCP-ADD-IPV4-ONLY", INFO, ACCEPT, 0,
	    "docs/parameters.md; seed-74", "In the absence of X-JTap-IP-Version, "
	    "Source-IP address or Destination-IP address is used to deduce "
	    "the IP version", "without an address or X-JTap-IP-Version the "
	    "criterion taps IPv4 packets only" },
	[FT_RULES_ADD_CDEST_LIST_V06] = { "DTCP-ADD-CDEST-LIST-V06", SHOULD,
	    ACCEPT, 0, "draft-cavuto-dtcp-03 8", "Cdest-ID ... 0.7 allows comma list "
	    "(`ID-List`)", "a list of content destinations is DTCP/0.7's: "
	    "send it as DTCP/0.7" },

	[FT_RULES_SELECTOR_BOTH] = { "DTCP-SELECTOR-BOTH", MUST, REPLY, 400,
	    "docs/dtcp.md", "Exactly one of `Criteria-ID` ... or `Cdest-ID`; both "
	    "or neither: `400`", "DELETE and REFRESH take Criteria-ID or "
	    "Cdest-ID, not both" },
	[FT_RULES_SELECTOR_NONE] = { "DTCP-SELECTOR-NONE", MUST, REPLY, 400,
	    "docs/dtcp.md", "Exactly one of `Criteria-ID` ... or `Cdest-ID`; both "
	    "or neither: `400`", "DELETE and REFRESH need Criteria-ID or "
	    "Cdest-ID" },
	[FT_RULES_CRITERIA_ID_SYNTAX] = { "DTCP-CRITERIA-ID-SYNTAX", MUST,
	    REPLY, 400, "docs/dtcp.md", "`Criteria-ID` (single, list, ranges, and "
	    "the draft's `N-*`, `*-N`, `*`, `!N`)",
	    "Criteria-ID is ids, N-M, N-*, *-N, * or !N, comma separated" },
	[FT_RULES_CRITERIA_ID_UNKNOWN] = { "DTCP-CRITERIA-ID-UNKNOWN", MUST,
	    REPLY, 431, "docs/dtcp.md; seed-02", "A Criteria-ID that does not exist "
	    "or belongs to another control source is unknown: the whole "
	    "request fails with `431`", "a Criteria-ID must be one of the "
	    "control source's own criteria" },
	[FT_RULES_CRITERIA_ID_RESTART] = { "DTCP-CRITERIA-ID-RESTART", MUST,
	    REPLY, 431, "docs/dtcp.md; seed-18", "upon switchover ... all LEA "
	    "filters are lost", "a Criteria-ID from before a restart is "
	    "gone: the restart deleted every criterion" },
	[FT_RULES_CDEST_ID_ONE] = { "DTCP-CDEST-ID-ONE", MUST, REPLY, 400,
	    "docs/dtcp.md", "Optional `Cdest-ID` (one; more: `400`)",
	    "DELETE, LIST and REFRESH take one Cdest-ID, not a list" },
	[FT_RULES_CDEST_ID_UNKNOWN] = { "DTCP-CDEST-ID-UNKNOWN", MUST, REPLY,
	    430, "docs/dtcp.md", "430 Unknown Content Destination",
	    "DELETE by Cdest-ID: no criterion of the control source names "
	    "that content destination" },
	[FT_RULES_FLAGS_SYNTAX] = { "DTCP-FLAGS-SYNTAX", MUST, REPLY, 400,
	    "docs/dtcp.md", "Flags ... a comma list of tokens",
	    "Flags is a comma list of tokens, none empty" },
	[FT_RULES_DELETE_FLAGS] = { "DTCP-DELETE-FLAGS", MUST, REPLY, 501,
	    "docs/dtcp.md", "`STATIC` is the only ADD/DELETE flag supported",
	    "DELETE Flags: only STATIC" },
	[FT_RULES_DELETE_STATIC_KEPT] = { "DTCP-DELETE-STATIC-KEPT", SHOULD,
	    ACCEPT, 0, "docs/dtcp.md", "STATIC criteria are deleted only when the "
	    "request carries `Flags: STATIC`",
	    "STATIC criteria are deleted only with Flags: STATIC: this "
	    "DELETE keeps them" },
	[FT_RULES_LIST_FLAGS] = { "DTCP-LIST-FLAGS", MUST, REPLY, 501,
	    "docs/dtcp.md", "`Flags: BOTH` (default)", "LIST Flags: only BOTH" },
	[FT_RULES_REFRESH_FLAGS] = { "DTCP-REFRESH-FLAGS", MUST, REPLY, 501,
	    "docs/dtcp.md", "REFRESH ... timeouts", "REFRESH Flags: none but "
	    "STATIC, which is 433" },
	[FT_RULES_REFRESH_STATIC] = { "DTCP-REFRESH-STATIC", MUST, REPLY, 433,
	    "docs/dtcp.md; draft-cavuto-dtcp-03 5.8", "REFRESH cannot make a criterion STATIC",
	    "REFRESH cannot make a criterion STATIC" },
	[FT_RULES_REFRESH_TIMEOUT_SYNTAX] = { "DTCP-REFRESH-TIMEOUT-SYNTAX",
	    MUST, REPLY, 400, "docs/dtcp.md", "timeouts `Timeout-Idle/-Total/"
	    "-Packets/-Bytes`", "a REFRESH timeout is a decimal number" },
	[FT_RULES_REFRESH_TIMEOUT_RANGE] = { "DTCP-REFRESH-TIMEOUT-RANGE",
	    MUST, REPLY, 433, "docs/dtcp.md", "timeouts `Timeout-Idle/-Total/"
	    "-Packets/-Bytes`", "Timeout-Idle and -Total are at most 86400 "
	    "s, -Packets and -Bytes 64-bit" },
	[FT_RULES_REFRESH_TIMEOUT_NONE] = { "DTCP-REFRESH-TIMEOUT-NONE", MUST,
	    REPLY, 433, "docs/dtcp.md", "timeouts ... (at least one)",
	    "REFRESH needs a non-zero timeout" },
	[FT_RULES_NOOP_FLAGS] = { "DTCP-NOOP-FLAGS", MUST, REPLY, 501,
	    "docs/dtcp.md", "flowtap sends no notifications",
	    "NOOP takes no Flags: flowtap sends no notifications" },
	[FT_RULES_SERVER_ERROR] = { "DTCP-SERVER-ERROR", MUST, REPLY, 500,
	    "docs/dtcp.md", "500 Server Internal Error",
	    "the router could not complete the request" },

	[FT_RULES_RESTART_READD] = { "DTCP-RESTART-READD", SHOULD, ACCEPT, 0,
	    "docs/dtcp.md; seed-19", "If this occurs, the mediation device is "
	    "expected to replay the LEA filters to the router",
	    "after a restart a mediation device re-sends its ADDs" },
	[FT_RULES_FILE_SYNTAX] = { "DTCP-FILE-SYNTAX", MUST, NOT_SENT, 0,
	    "docs/scripts.md", "A script is DTCP messages exactly as a mediation "
	    "device sends them ... plus directive lines beginning with `@` "
	    "and comment lines beginning with `#`",
	    "the file does not parse as a script, parameter file or "
	    "transcript: nothing of it reaches the router" },
	[FT_RULES_SCRIPT_NO_SESSION] = { "DTCP-SCRIPT-NO-SESSION", MUST,
	    NOT_SENT, 0, "docs/scripts.md", "`@session NAME user=U password=P` - open "
	    "(or switch to) an SSH session", "the message is sent while no "
	    "session is open: it never reaches the router" },
	[FT_RULES_SESSION_REFUSED] = { "DTCP-SESSION-REFUSED", MUST, NOT_SENT,
	    0, "docs/config.md; docs/scripts.md; seed-52", "subject to authentication, "
	    "permissions, connection-limit and rate-limit",
	    "the router refuses the SSH session" },
	[FT_RULES_DFCCLIENT_LAST] = { "DTCP-DFCCLIENT-LAST", SHOULD, NOT_SENT,
	    0, "seed-79", "dfcclient.pl sends a message when it reads the "
	    "empty line after it", "the file's last message has no empty "
	    "line after it: dfcclient.pl never sends it" },
	[FT_RULES_DFCCLIENT_CRLF] = { "DTCP-DFCCLIENT-CRLF", SHOULD, ACCEPT, 0,
	    "seed-79", "dfcclient.pl: chomp removes the LF only",
	    "CRLF line ends in a parameter file: dfcclient.pl keeps each CR "
	    "(CR CR LF on the wire)" },

	[FT_RULES_REPLY_MAC] = { "DTCP-REPLY-MAC", MUST, ROUTER, 0,
	    "docs/dtcp.md", "Replies carry their own `AUTHENTICATION-INFO`, "
	    "computed the same way with the same key",
	    "the reply's AUTHENTICATION-INFO does not verify with the key" },
	[FT_RULES_REPLY_SEQ] = { "DTCP-REPLY-SEQ", MUST, ROUTER, 0, "docs/dtcp.md",
	    "Every answered error carries `SEQ` when the request's Seq was "
	    "readable", "the reply's SEQ is the request's Seq" },
	[FT_RULES_REPLY_VERSION] = { "DTCP-REPLY-VERSION", MUST, ROUTER, 0,
	    "docs/dtcp.md; seed-64", "Replies use the request's version",
	    "the reply is in the request's version (505: the highest)" },
	[FT_RULES_REPLY_CODE] = { "DTCP-REPLY-CODE", MUST, ROUTER, 0,
	    "docs/dtcp.md", "Codes used: 400 ... 901",
	    "the router's answer is not the one flowtap's engine gives" },
	[FT_RULES_REPLY_TO_DROP] = { "DTCP-REPLY-TO-DROP", MUST, ROUTER, 0,
	    "docs/dtcp.md", "the request is dropped, never answered",
	    "a request that fails authentication, control source or Seq is "
	    "never answered" },
	[FT_RULES_REPLY_MISSING] = { "DTCP-REPLY-MISSING", MUST, ROUTER, 0,
	    "docs/dtcp.md", "Every answered error carries `SEQ`",
	    "an authenticated request is answered" },
	[FT_RULES_REPLY_LAYOUT] = { "DTCP-REPLY-LAYOUT", SHOULD, ROUTER, 0,
	    "docs/dtcp.md", "Replies (Junos layout: upper-case names, this order)",
	    "the reply is in the Junos layout: status line, SEQ, ..., "
	    "TIMESTAMP, AUTHENTICATION-INFO last, names in upper case" },
};

const struct ft_rules_entry *
ft_rules_get(enum ft_rules_id id)
{
	if ((unsigned)id >= FT_RULES_COUNT || table[id].id == NULL)
		return &table[FT_RULES_NONE];
	return &table[id];
}

static int
ieq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
		char y = *b >= 'a' && *b <= 'z' ? (char)(*b - 32) : *b;

		if (x != y)
			return 0;
	}
	return *a == *b;
}

enum ft_rules_id
ft_rules_find(const char *id)
{
	unsigned i;

	if (id == NULL)
		return FT_RULES_NONE;
	for (i = 1; i < FT_RULES_COUNT; i++)
		if (table[i].id != NULL && ieq(table[i].id, id))
			return (enum ft_rules_id)i;
	return FT_RULES_NONE;
}

const char *
ft_rules_severity_name(enum ft_rules_severity s)
{
	switch (s) {
	case FT_RULES_MUST:
		return "MUST";
	case FT_RULES_SHOULD:
		return "SHOULD";
	case FT_RULES_INFO:
		return "INFO";
	}
	return "INFO";
}

/* The defect texts of ft_dtcp_parse (dtcp.c), each with its rule. */
static const struct {
	const char *defect;
	enum ft_rules_id rule;
} defects[] = {
	{ "message too long", FT_RULES_FRAME_MSG_CAP },
	{ "line too long", FT_RULES_FRAME_LINE_CAP },
	{ "too many parameters", FT_RULES_FRAME_PARAM_CAP },
	{ "NUL byte", FT_RULES_FRAME_NUL },
	{ "bare CR", FT_RULES_FRAME_BARE_CR },
	{ "bare LF", FT_RULES_FRAME_BARE_LF },
	{ "invalid UTF-8", FT_RULES_FRAME_UTF8 },
	{ "request line", FT_RULES_FRAME_REQLINE },
	{ "line without ':'", FT_RULES_FRAME_PARAM },
	{ "data after end of message", FT_RULES_FRAME_AFTER_END },
};

enum ft_rules_id
ft_rules_for_defect(const char *defect)
{
	size_t i;

	if (defect == NULL)
		return FT_RULES_NONE;
	for (i = 0; i < sizeof(defects) / sizeof(defects[0]); i++)
		if (strcmp(defects[i].defect, defect) == 0)
			return defects[i].rule;
	return FT_RULES_NONE;
}
