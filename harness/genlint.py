#!/usr/bin/env python3
# genlint.py - writes the fixtures of suites/lint/ (flowtap lint, issue 10):
# a failing and a passing fixture per rule of engine/rules.c, the seed
# guide's sample parameter file and the published vectors of
# ../shared/reference/dtcp-facts.md 5.4. Run from the repository root
# after `make all` (transcript fixtures are made with
# build/release/lintcheck log); the outputs are committed and checked by
# harness/check_lint.sh. Expected lines are computed here from the text
# written; the MACs of hand-made messages and tampered replies are
# computed here with Python's hmac, independently of the engine.
#   python3 harness/genlint.py
import hmac, hashlib, os, re, subprocess, sys

OUT = 'suites/lint'
LC = 'build/release/lintcheck'
CONF = 'suites/lint/router.conf'

def mac(b, key=b'Juniper'):
    return hmac.new(key, b, hashlib.sha1).hexdigest()

BASE = """ADD DTCP/0.7
Csource-ID: verint
Cdest-ID: cd1
Source-Address: 10.1.1.1
Protocol: 17
Flags: STATIC
X-JTap-Cdest-Dest-Address: 192.168.3.2
X-JTap-Cdest-Dest-Port: 1814
X-JTap-Cdest-Source-Address: 10.209.74.183
X-JTap-Cdest-Source-Port: 65534
X-JTap-Cdest-TTL: 255
Seq: auto
Authentication-Info: auto"""

def add(version='0.7', drop=(), extra=(), repl=None, cs='verint', seq='auto'):
    lines = BASE.split('\n')
    lines[0] = 'ADD DTCP/' + version
    out = []
    for l in lines:
        name = l.split(':')[0]
        if name in drop:
            continue
        if repl and name in repl:
            l = repl[name]
        if name == 'Csource-ID':
            l = 'Csource-ID: ' + cs
        if name == 'Seq':
            for x in extra:
                out.append(x)
            l = 'Seq: ' + seq
        out.append(l)
    return '\n'.join(out)

def msg(method, *params, version='0.7', cs='verint', seq='auto', mac_line='auto'):
    out = ['%s DTCP/%s' % (method, version)]
    if cs is not None:
        out.append('Csource-ID: ' + cs)
    out += list(params)
    if seq is not None:
        out.append('Seq: ' + seq)
    if mac_line is not None:
        out.append('Authentication-Info: ' + mac_line)
    return '\n'.join(out)

def write_script(name, kind, rule, purpose, body, lint='', extra_hdr=()):
    """body: text with '\t<<RULE' markers; writes NAME and expectations."""
    hdr = ['# %s' % purpose, '# fixture: %s %s' % (kind, rule)]
    if lint:
        hdr.append('# lint: ' + lint)
    hdr += list(extra_hdr)
    lines = body.split('\n')
    expects = []
    clean = []
    for i, l in enumerate(lines):
        m = re.search(r'\t<<([A-Z0-9-]+)$', l)
        if m:
            expects.append((m.group(1), i))
            l = l[:m.start()]
        clean.append(l)
    # header lines: hdr + expect lines + blank
    n_hdr = len(hdr) + len(expects) + 1
    exp_lines = ['# expect: %s %d' % (r, n_hdr + i + 1) for r, i in expects]
    text = '\n'.join(hdr + exp_lines + [''] + clean) + '\n'
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(text.encode('latin-1') if isinstance(text, str) else text)

def pair(rule, purpose_fail, fail_body, purpose_pass, pass_body, lint=''):
    base = rule
    write_script(base + '.fail.dtcp', 'fail', rule, purpose_fail, fail_body, lint)
    write_script(base + '.pass.dtcp', 'pass', rule, purpose_pass, pass_body, lint)

M = '\t<<'

def mark(text, rule, pattern=None):
    """Put a marker for rule on the first line starting with pattern
    (default: the first line)."""
    lines = text.split('\n')
    for i, l in enumerate(lines):
        if pattern is None or l.startswith(pattern):
            lines[i] = l + M + rule
            return '\n'.join(lines)
    raise Exception('no line ' + str(pattern))

def lst(*params, **kw):
    return msg('LIST', *params, **kw)

C = '--config ' + CONF

# --- framing -------------------------------------------------------------
pads = ['X-Pad-%d: %s' % (i, 'a' * 1000) for i in range(9)]
pair('DTCP-FRAME-MSG-CAP', 'a LIST of 9 lines of 1000 bytes: over 8192 bytes, dropped (SPEC 2)',
     mark(lst(*pads), 'DTCP-FRAME-MSG-CAP'),
     'the same LIST with 7 such lines fits the cap', lst(*pads[:7]))
pair('DTCP-FRAME-LINE-CAP', 'a line of 1100 bytes: over the 1 KiB line cap (SPEC 2: 400)',
     mark(lst('X-Pad: ' + 'a' * 1093), 'DTCP-FRAME-LINE-CAP', 'X-Pad'),
     'a line of 1007 bytes', lst('X-Pad: ' + 'a' * 1000))
many = ['X-P%d: 1' % i for i in range(64)]
t = lst(*many)
lines = t.split('\n')
lines[65] += M + 'DTCP-FRAME-PARAM-CAP'
pair('DTCP-FRAME-PARAM-CAP', '67 parameter lines, Authentication-Info included: over the cap of 64 (SPEC 2: 400)',
     '\n'.join(lines), '64 parameter lines, Authentication-Info included', lst(*many[:61]))
pair('DTCP-FRAME-BARE-CR', 'a CR inside a line (SPEC 2: a framing defect, 400 once authenticated)',
     lst('Cdest-ID: cd1\rcd2' + M + 'DTCP-FRAME-BARE-CR'),
     'the line without the CR', lst('Cdest-ID: cd1'))
pair('DTCP-FRAME-UTF8', 'a byte that is not UTF-8 in a value (SPEC 2: 400)',
     lst('X-Note: caf\xe9' + M + 'DTCP-FRAME-UTF8'), 'the same value in UTF-8', lst('X-Note: caf\xc3\xa9'))
# UTF-8 defect line: mark manually (latin-1 text)
pair('DTCP-FRAME-REQUEST-LINE', 'DTCP 0.7 without the slash (SPEC 2: METHOD DTCP/x.y)',
     mark(msg('LIST').replace('LIST DTCP/0.7', 'LIST DTCP 0.7'), 'DTCP-FRAME-REQUEST-LINE'),
     'LIST DTCP/0.7', msg('LIST'))
pair('DTCP-FRAME-PARAM-SYNTAX', 'a parameter line without its colon (SPEC 2: 400)',
     lst('Cdest-ID cd1' + M + 'DTCP-FRAME-PARAM-SYNTAX'), 'Cdest-ID: cd1', lst('Cdest-ID: cd1'))

# --- authentication --------------------------------------------------------
pair('DTCP-AUTH-MAC-MISSING', 'a LIST without Authentication-Info: dropped, 497 (SPEC 2)',
     mark(msg('LIST', mac_line=None), 'DTCP-AUTH-MAC-MISSING', 'Seq'),
     'the same LIST signed', msg('LIST'), lint='--form script')
pair('DTCP-AUTH-MAC-MALFORMED', 'Authentication-Info of 5 digits (SPEC 2: 40 lower-case hex digits)',
     mark(msg('LIST', mac_line='12345'), 'DTCP-AUTH-MAC-MALFORMED', 'Authentication-Info'),
     'the same LIST signed', msg('LIST'))
l5 = 'LIST DTCP/0.7\r\nCsource-ID: verint\r\nSeq: 1\r\n'
pair('DTCP-AUTH-MAC-CASE', 'the right MAC in upper case (SPEC 2: lower-case hex), computed independently',
     mark(msg('LIST', seq='1', mac_line=mac(l5.encode()).upper()), 'DTCP-AUTH-MAC-CASE', 'Authentication-Info'),
     'the same MAC in lower case', msg('LIST', seq='1', mac_line=mac(l5.encode())))
pair('DTCP-AUTH-CSOURCE-MISSING', 'a LIST on session lea1 without Csource-ID: dropped 499',
     '@session lea1 user=verint password=verint123\n' + mark(msg('LIST', cs=None, seq='1'), 'DTCP-AUTH-CSOURCE-MISSING'),
     'with its Csource-ID', '@session lea1 user=verint password=verint123\n' + msg('LIST', seq='1'))
pair('DTCP-AUTH-CSOURCE-USER', "Csource-ID verint on lea2's session (seed-66: the login user): dropped 499",
     '@session s2 user=lea2 password=lea2pass\n' + mark(msg('LIST', cs='verint', seq='1'), 'DTCP-AUTH-CSOURCE-USER', 'Csource-ID'),
     'Csource-ID lea2 on its own session', '@session s2 user=lea2 password=lea2pass\n' + msg('LIST', cs='lea2', seq='1'), lint=C)
pair('DTCP-AUTH-PERMISSION', 'user noc, whose class lacks flow-tap-operation (seed-50): dropped 499',
     '@session n user=noc password=noc12345\n' + mark(msg('LIST', cs='noc', seq='1'), 'DTCP-AUTH-PERMISSION'),
     'user verint, whose class has it', '@session v user=verint password=verint123\n' + msg('LIST', seq='1'), lint=C)

# --- Seq -----------------------------------------------------------------
pair('DTCP-SEQ-MISSING', 'a LIST without Seq (SPEC 2: 400)',
     mark(msg('LIST', seq=None), 'DTCP-SEQ-MISSING'), 'with Seq', msg('LIST'))
pair('DTCP-SEQ-SYNTAX', "Seq '12x' (SPEC 2: an unsigned 64-bit decimal; 400)",
     mark(msg('LIST', seq='12x'), 'DTCP-SEQ-SYNTAX', 'Seq'), 'Seq: 12', msg('LIST', seq='12'))
pair('DTCP-SEQ-STALE', 'Seq 5 twice (seed-77: an older sequence number is rejected; 498)',
     msg('LIST', seq='5') + '\n\n' + mark(msg('LIST', seq='5'), 'DTCP-SEQ-STALE', 'Seq'),
     'Seq 5 then 6', msg('LIST', seq='5') + '\n\n' + msg('LIST', seq='6'))
pair('DTCP-SEQ-STEP', 'profile draft: Seq 1 then 300, a step over 256 (SPEC 2: 498)',
     msg('LIST', seq='1') + '\n\n' + mark(msg('LIST', seq='300'), 'DTCP-SEQ-STEP', 'Seq'),
     'Seq 1 then 257', msg('LIST', seq='1') + '\n\n' + msg('LIST', seq='257'), lint='--profile draft')
pair('DTCP-SEQ-NOT-INCREASING', 'profile junos: Seq 5 then 3, accepted (Junos errata), dropped by profile flowtap',
     msg('LIST', seq='5') + '\n\n' + mark(msg('LIST', seq='3'), 'DTCP-SEQ-NOT-INCREASING', 'Seq'),
     'Seq 5 then 6', msg('LIST', seq='5') + '\n\n' + msg('LIST', seq='6'), lint='--profile junos')

# --- version, method, parameters -----------------------------------------
pair('DTCP-VERSION', 'DTCP/0.9 (seed-62, SPEC 2: 505)',
     mark(msg('LIST', version='0.9'), 'DTCP-VERSION'), 'DTCP/0.8', msg('LIST', version='0.8'))
pair('DTCP-METHOD-UNKNOWN', 'method FROB (SPEC 2: 501)',
     mark(msg('FROB'), 'DTCP-METHOD-UNKNOWN'), 'method LIST', msg('LIST'))
pair('DTCP-METHOD-PROFILE', 'NOOP on a flow-tap router (profile flowtap: 501)',
     mark(msg('NOOP'), 'DTCP-METHOD-PROFILE'), 'LIST instead', msg('LIST'))
pair('DTCP-PARAM-UNKNOWN', 'Frob-Level, not a DTCP/0.7 parameter (seed-63: rejected, 501)',
     lst('Frob-Level: 3' + M + 'DTCP-PARAM-UNKNOWN'), 'without it', lst())
pair('DTCP-PARAM-VERSION', 'X-JTap-Filter-Family in DTCP/0.7 (it needs 0.8: 501)',
     add(extra=['X-JTap-Filter-Family: ccc' + M + 'DTCP-PARAM-VERSION']), 'the ADD without it', add())
pair('DTCP-PARAM-X-NEAR', 'X-JTap-Cdest-TL: 64, a typo of X-JTap-Cdest-TTL: accepted, ignored, TTL stays 255',
     add(drop=('X-JTap-Cdest-TTL',), extra=['X-JTap-Cdest-TL: 64' + M + 'DTCP-PARAM-X-NEAR']),
     'X-JTap-Cdest-TTL: 64', add(drop=('X-JTap-Cdest-TTL',), extra=['X-JTap-Cdest-TTL: 64']))
pair('DTCP-PARAM-X-IGNORED', "X-Interface-Id (subscriber LI's trigger, J-EX sample): ignored by flow-tap",
     add(extra=['X-Interface-Id: demux0.30010002' + M + 'DTCP-PARAM-X-IGNORED']), 'without it', add())
pair('DTCP-PARAM-DUPLICATE', 'Cdest-ID twice in a LIST (SPEC 2: the first counts)',
     lst('Cdest-ID: cd1', 'Cdest-ID: cd2' + M + 'DTCP-PARAM-DUPLICATE'), 'once', lst('Cdest-ID: cd1'))
pair('DTCP-LINE-TRAILING-SPACE', 'a trailing space after a value (D03 5)',
     lst('Cdest-ID: cd1 ' + M + 'DTCP-LINE-TRAILING-SPACE'), 'without it', lst('Cdest-ID: cd1'))
pair('DTCP-AUTH-NOT-LAST', 'a parameter after Authentication-Info (SPEC 2: ignored)',
     msg('LIST') + '\nX-After: 1' + M + 'DTCP-AUTH-NOT-LAST', 'before it', lst('X-After: 1'))

# --- ADD -------------------------------------------------------------------
pair('DTCP-ADD-CSOURCE-SYNTAX', "control source 'a,b' (a login name): Csource-ID is a DSTRING without ',' (400)",
     mark(add(cs='a,b'), 'DTCP-ADD-CSOURCE-SYNTAX', 'Csource-ID'),
     'control source verint', add(), lint=C)
pair('DTCP-ADD-CDEST-ID-MISSING', 'an ADD without Cdest-ID (SPEC 3: 400)',
     mark(add(drop=('Cdest-ID',)), 'DTCP-ADD-CDEST-ID-MISSING'), 'with it', add())
pair('DTCP-ADD-CDEST-ID-SYNTAX', "Cdest-ID 'cd 1' (a space: 400)",
     add(repl={'Cdest-ID': 'Cdest-ID: cd 1' + M + 'DTCP-ADD-CDEST-ID-SYNTAX'}), 'cd1', add())
pair('DTCP-ADD-JTAP-REQUIRED', 'an ADD without X-JTap-Cdest-Source-Port (SPEC 2: 901)',
     mark(add(drop=('X-JTap-Cdest-Source-Port',)), 'DTCP-ADD-JTAP-REQUIRED'), 'with it', add())
pair('DTCP-ADD-PRIORITY', 'Priority: 256 (N8: 400)',
     add(extra=['Priority: 256' + M + 'DTCP-ADD-PRIORITY']), 'Priority: 2 (accepted, ignored)', add(extra=['Priority: 2']))
pair('DTCP-ADD-ACTION', 'Action: Block (flow-tap only copies: 501)',
     add(extra=['Action: Block' + M + 'DTCP-ADD-ACTION']), 'Action: Copy', add(extra=['Action: Copy']))
pair('DTCP-ADD-FLAGS', 'Flags: STATIC,SendAsync on a flow-tap router (501)',
     add(repl={'Flags': 'Flags: STATIC,SendAsync' + M + 'DTCP-ADD-FLAGS'}), 'Flags: STATIC', add())
pair('DTCP-ADD-STATIC', 'the seed ADD without Flags: STATIC (SPEC 3, seed-69: 433)',
     mark(add(drop=('Flags',)), 'DTCP-ADD-STATIC'), 'with Flags: STATIC', add())
pair('DTCP-ADD-TIMEOUT', 'Timeout-Idle on a flow-tap router (no timeouts: 433)',
     add(extra=['Timeout-Idle: 30' + M + 'DTCP-ADD-TIMEOUT']), 'without', add())
pair('DTCP-ADD-TIMEOUT-NONE', 'profile draft: an ADD with Timeout-Idle: 0 and no STATIC (433)',
     add(drop=('Flags',), extra=['Timeout-Idle: 0' + M + 'DTCP-ADD-TIMEOUT-NONE']),
     'Timeout-Idle: 30', add(drop=('Flags',), extra=['Timeout-Idle: 30']), lint='--profile draft')
pair('DTCP-ADD-ADDRESS', 'Source-Address: 10.1.1.1/33 (432)',
     add(repl={'Source-Address': 'Source-Address: 10.1.1.1/33' + M + 'DTCP-ADD-ADDRESS'}), '/32', add(repl={'Source-Address': 'Source-Address: 10.1.1.1/32'}))
pair('DTCP-ADD-PORT', 'Dest-Port: 70000 (432)',
     add(extra=['Dest-Port: 70000' + M + 'DTCP-ADD-PORT']), 'Dest-Port: 53', add(extra=['Dest-Port: 53']))
pair('DTCP-ADD-PROTOCOL', 'Protocol: 256 (432)',
     add(repl={'Protocol': 'Protocol: 256' + M + 'DTCP-ADD-PROTOCOL'}), 'Protocol: 17', add())
pair('DTCP-ADD-ICMP', 'ICMP-Type: x (432)',
     add(repl={'Protocol': 'Protocol: 1'}, extra=['ICMP-Type: x' + M + 'DTCP-ADD-ICMP']), 'ICMP-Type: 8', add(repl={'Protocol': 'Protocol: 1'}, extra=['ICMP-Type: 8']))
pair('DTCP-ADD-IP-VERSION', 'X-JTap-IP-Version: ipv5 (901)',
     add(extra=['X-JTap-IP-Version: ipv5' + M + 'DTCP-ADD-IP-VERSION']), 'ipv4', add(extra=['X-JTap-IP-Version: ipv4']))
pair('DTCP-ADD-FAMILY', 'an IPv4 source and an IPv6 destination address (432)',
     add(extra=['Dest-Address: 2001:db8::1' + M + 'DTCP-ADD-FAMILY']), 'both IPv4', add(extra=['Dest-Address: 10.2.2.2']))
pair('DTCP-ADD-IPV6-V06', 'an IPv6 match address in DTCP/0.6 (432)',
     add(version='0.6', repl={'Source-Address': 'Source-Address: 2001:db8::1' + M + 'DTCP-ADD-IPV6-V06'}),
     'the same in DTCP/0.7', add(repl={'Source-Address': 'Source-Address: 2001:db8::1'}))
pair('DTCP-ADD-IPV6-V06-JTAP', 'X-JTap-IP-Version: ipv6 in DTCP/0.6 (901)',
     add(version='0.6', drop=('Source-Address',), extra=['X-JTap-IP-Version: ipv6' + M + 'DTCP-ADD-IPV6-V06-JTAP']),
     'the same in DTCP/0.7', add(drop=('Source-Address',), extra=['X-JTap-IP-Version: ipv6']))
pair('DTCP-ADD-PORT-PROTOCOL', 'Dest-Port with Protocol: 1 (ports need 6, 17 or 132: 432)',
     add(repl={'Protocol': 'Protocol: 1'}, extra=['Dest-Port: 53' + M + 'DTCP-ADD-PORT-PROTOCOL']),
     'with Protocol: 17', add(extra=['Dest-Port: 53']))
pair('DTCP-ADD-ICMP-PROTOCOL', 'ICMP-Type with Protocol: 17 (ICMP needs 1 or 58: 432)',
     add(extra=['ICMP-Type: 8' + M + 'DTCP-ADD-ICMP-PROTOCOL']), 'with Protocol: 1',
     add(repl={'Protocol': 'Protocol: 1'}, extra=['ICMP-Type: 8']))
pair('DTCP-ADD-CDEST-MAX', 'three content destinations (551)',
     add(repl={'Cdest-ID': 'Cdest-ID: cd1,cd2,cd3' + M + 'DTCP-ADD-CDEST-MAX',
               'X-JTap-Cdest-Dest-Address': 'X-JTap-Cdest-Dest-Address: 192.168.3.2,192.168.3.3,192.168.3.4',
               'X-JTap-Cdest-Dest-Port': 'X-JTap-Cdest-Dest-Port: 1814,1815,1816'}),
     'two', add(repl={'Cdest-ID': 'Cdest-ID: cd1,cd2',
               'X-JTap-Cdest-Dest-Address': 'X-JTap-Cdest-Dest-Address: 192.168.3.2,192.168.3.3',
               'X-JTap-Cdest-Dest-Port': 'X-JTap-Cdest-Dest-Port: 1814,1815'}))
pair('DTCP-ADD-CDEST-COUNT', 'two Cdest-IDs and one address and port (432)',
     add(repl={'Cdest-ID': 'Cdest-ID: cd1,cd2',
               'X-JTap-Cdest-Dest-Address': 'X-JTap-Cdest-Dest-Address: 192.168.3.2' + M + 'DTCP-ADD-CDEST-COUNT'}),
     'two of each', add(repl={'Cdest-ID': 'Cdest-ID: cd1,cd2',
               'X-JTap-Cdest-Dest-Address': 'X-JTap-Cdest-Dest-Address: 192.168.3.2,192.168.3.3',
               'X-JTap-Cdest-Dest-Port': 'X-JTap-Cdest-Dest-Port: 1814,1815'}))
pair('DTCP-ADD-CDEST-ADDRESS', 'X-JTap-Cdest-Dest-Address: 192.168.3 (901)',
     add(repl={'X-JTap-Cdest-Dest-Address': 'X-JTap-Cdest-Dest-Address: 192.168.3' + M + 'DTCP-ADD-CDEST-ADDRESS'}), '192.168.3.2', add())
pair('DTCP-ADD-CDEST-PORT', 'X-JTap-Cdest-Dest-Port: 0 (901)',
     add(repl={'X-JTap-Cdest-Dest-Port': 'X-JTap-Cdest-Dest-Port: 0' + M + 'DTCP-ADD-CDEST-PORT'}), '1814', add())
pair('DTCP-ADD-SOURCE-ADDRESS', 'X-JTap-Cdest-Source-Address: router (901)',
     add(repl={'X-JTap-Cdest-Source-Address': 'X-JTap-Cdest-Source-Address: router' + M + 'DTCP-ADD-SOURCE-ADDRESS'}), 'an address', add())
pair('DTCP-ADD-SOURCE-FAMILY', 'an IPv6 source address for an IPv4 content destination (901)',
     add(repl={'X-JTap-Cdest-Source-Address': 'X-JTap-Cdest-Source-Address: 2001:db8::9' + M + 'DTCP-ADD-SOURCE-FAMILY'}), 'IPv4', add())
pair('DTCP-ADD-SOURCE-PORT', 'X-JTap-Cdest-Source-Port: 65536 (901)',
     add(repl={'X-JTap-Cdest-Source-Port': 'X-JTap-Cdest-Source-Port: 65536' + M + 'DTCP-ADD-SOURCE-PORT'}), '65534', add())
pair('DTCP-ADD-TTL', 'X-JTap-Cdest-TTL: 256 (901)',
     add(repl={'X-JTap-Cdest-TTL': 'X-JTap-Cdest-TTL: 256' + M + 'DTCP-ADD-TTL'}), '64', add(repl={'X-JTap-Cdest-TTL': 'X-JTap-Cdest-TTL: 64'}))
pair('DTCP-ADD-INTERCEPT-ID', 'X-MD-Intercept-Id: 0x1234 (4 or 8 bytes of hex: 901)',
     add(extra=['X-MD-Intercept-Id: 0x1234' + M + 'DTCP-ADD-INTERCEPT-ID']), '0x00001234', add(extra=['X-MD-Intercept-Id: 0x00001234']))
pair('DTCP-ADD-INTERCEPT-ID-TOP', 'X-MD-Intercept-Id: 0xc0000001, top bits set (30-bit ID: 901)',
     add(extra=['X-MD-Intercept-Id: 0xc0000001' + M + 'DTCP-ADD-INTERCEPT-ID-TOP']), '0x00000001', add(extra=['X-MD-Intercept-Id: 0x00000001']))
pair('DTCP-ADD-VRF-INTERFACE', 'X-JTap-VRF-Name with X-JTap-Input-Interface (D03 A.3: 432)',
     add(extra=['X-JTap-Input-Interface: ge-0/0/0.0', 'X-JTap-VRF-Name: red' + M + 'DTCP-ADD-VRF-INTERFACE']),
     'the VRF alone', add(extra=['X-JTap-VRF-Name: red']), lint=C)
pair('DTCP-ADD-FILTER-FAMILY', 'X-JTap-Filter-Family: ccc in DTCP/0.8 (not emulated: 901)',
     add(version='0.8', extra=['X-JTap-Filter-Family: ccc' + M + 'DTCP-ADD-FILTER-FAMILY']), 'without it', add(version='0.8'))
pair('DTCP-ADD-INTERFACE', 'X-JTap-Input-Interface: ge-9/9/9.0, not declared (901)',
     add(extra=['X-JTap-Input-Interface: ge-9/9/9.0' + M + 'DTCP-ADD-INTERFACE']),
     'ge-0/0/0.0, declared', add(extra=['X-JTap-Input-Interface: ge-0/0/0.0']), lint=C)
pair('DTCP-ADD-VRF', 'X-JTap-VRF-Name: blue, not declared (901)',
     add(extra=['X-JTap-VRF-Name: blue' + M + 'DTCP-ADD-VRF']), 'red, declared', add(extra=['X-JTap-VRF-Name: red']), lint=C)
v6 = ','.join('2001:0db8:0000:0000:0000:0000:0000:%04x' % i for i in range(24))
pair('DTCP-ADD-TOO-LONG', 'two lists of 24 IPv6 addresses: over the 2 KiB LIST keeps (400)',
     add(repl={'Source-Address': 'Source-Address: ' + v6}, extra=['Dest-Address: ' + v6 + M + 'DTCP-ADD-TOO-LONG']),
     'one such list', add(repl={'Source-Address': 'Source-Address: ' + v6}))
adds = '\n\n'.join(add(repl={'Source-Address': 'Source-Address: 10.1.%d.%d' % (i // 200, i % 200 + 1)}) for i in range(100))
pair('DTCP-ADD-LIMIT', 'the 101st criterion (seed-15: 100 filters per chassis; 550)',
     adds + '\n\n' + mark(add(repl={'Source-Address': 'Source-Address: 10.9.9.9'}), 'DTCP-ADD-LIMIT'),
     '100 criteria', adds)
pair('DTCP-ADD-NEVER-MATCHES', 'Protocol: 1 with an IPv6 address; ICMP-Type with protocol 58 and no IPv6 address',
     add(repl={'Source-Address': 'Source-Address: 2001:db8::1', 'Protocol': 'Protocol: 1' + M + 'DTCP-ADD-NEVER-MATCHES'}) + '\n\n' +
     add(repl={'Protocol': 'Protocol: 58' + M + 'DTCP-ADD-NEVER-MATCHES'}, extra=['ICMP-Type: 128']),
     'Protocol: 58 with the IPv6 address; ICMP-Type 8 with protocol 1',
     add(repl={'Source-Address': 'Source-Address: 2001:db8::1', 'Protocol': 'Protocol: 58'}) + '\n\n' +
     add(repl={'Protocol': 'Protocol: 1'}, extra=['ICMP-Type: 8']))
pair('DTCP-ADD-IPV4-ONLY', 'no address and no X-JTap-IP-Version: IPv4 only (seed-74)',
     mark(add(drop=('Source-Address',)), 'DTCP-ADD-IPV4-ONLY'), 'X-JTap-IP-Version: ipv4 says so',
     add(drop=('Source-Address',), extra=['X-JTap-IP-Version: ipv4']))
pair('DTCP-ADD-CDEST-LIST-V06', 'two content destinations in DTCP/0.6 (the list form is 0.7)',
     add(version='0.6', repl={'Cdest-ID': 'Cdest-ID: cd1,cd2' + M + 'DTCP-ADD-CDEST-LIST-V06',
               'X-JTap-Cdest-Dest-Address': 'X-JTap-Cdest-Dest-Address: 192.168.3.2,192.168.3.3',
               'X-JTap-Cdest-Dest-Port': 'X-JTap-Cdest-Dest-Port: 1814,1815'}),
     'the same in DTCP/0.7', add(repl={'Cdest-ID': 'Cdest-ID: cd1,cd2',
               'X-JTap-Cdest-Dest-Address': 'X-JTap-Cdest-Dest-Address: 192.168.3.2,192.168.3.3',
               'X-JTap-Cdest-Dest-Port': 'X-JTap-Cdest-Dest-Port: 1814,1815'}))

# --- DELETE, LIST, REFRESH, NOOP -------------------------------------------
A = add()
def dele(*p, **kw):
    return msg('DELETE', *p, **kw)
pair('DTCP-SELECTOR-BOTH', 'a DELETE with Criteria-ID and Cdest-ID (SPEC 3: 400)',
     A + '\n\n' + mark(dele('Criteria-ID: 1', 'Cdest-ID: cd1', 'Flags: STATIC'), 'DTCP-SELECTOR-BOTH', 'Criteria-ID'),
     'Criteria-ID alone', A + '\n\n' + dele('Criteria-ID: 1', 'Flags: STATIC'))
pair('DTCP-SELECTOR-NONE', 'a DELETE with neither (SPEC 3: 400)',
     A + '\n\n' + mark(dele('Flags: STATIC'), 'DTCP-SELECTOR-NONE'),
     'Cdest-ID: cd1', A + '\n\n' + dele('Cdest-ID: cd1', 'Flags: STATIC'))
pair('DTCP-CRITERIA-ID-SYNTAX', "Criteria-ID: 1-x (400)",
     A + '\n\n' + dele('Criteria-ID: 1-x' + M + 'DTCP-CRITERIA-ID-SYNTAX', 'Flags: STATIC'),
     'Criteria-ID: 1-*', A + '\n\n' + dele('Criteria-ID: 1-*', 'Flags: STATIC'))
pair('DTCP-CRITERIA-ID-UNKNOWN', "a DELETE of lea2's criterion by verint (SPEC 3, seed-02: 431)",
     add(cs='lea2') + '\n\n' + dele('Criteria-ID: 1' + M + 'DTCP-CRITERIA-ID-UNKNOWN', 'Flags: STATIC'),
     "lea2 deletes its own", add(cs='lea2') + '\n\n' + dele('Criteria-ID: 1', 'Flags: STATIC', cs='lea2'), lint=C)
pair('DTCP-CRITERIA-ID-RESTART', 'a DELETE of a Criteria-ID from before a restart (seed-18: the restart deleted it; 431)',
     A + '\n\n@restart\n\n' + A + '\n\n' + dele('Criteria-ID: 1' + M + 'DTCP-CRITERIA-ID-RESTART', 'Flags: STATIC'),
     'the ADD replayed after the restart and its new Criteria-ID deleted',
     A + '\n\n@restart\n\n' + A + '\n\n' + dele('Criteria-ID: 2', 'Flags: STATIC'))
pair('DTCP-CDEST-ID-ONE', 'LIST Cdest-ID: cd1,cd2 (SPEC 3: one; 400)',
     lst('Cdest-ID: cd1,cd2' + M + 'DTCP-CDEST-ID-ONE'), 'Cdest-ID: cd1', lst('Cdest-ID: cd1'))
pair('DTCP-CDEST-ID-UNKNOWN', 'DELETE Cdest-ID: cd9, named by no criterion (430)',
     A + '\n\n' + dele('Cdest-ID: cd9' + M + 'DTCP-CDEST-ID-UNKNOWN', 'Flags: STATIC'),
     'Cdest-ID: cd1', A + '\n\n' + dele('Cdest-ID: cd1', 'Flags: STATIC'))
pair('DTCP-FLAGS-SYNTAX', 'Flags: STATIC,, (an empty token: 400)',
     A + '\n\n' + dele('Criteria-ID: 1', 'Flags: STATIC,,' + M + 'DTCP-FLAGS-SYNTAX'),
     'Flags: STATIC', A + '\n\n' + dele('Criteria-ID: 1', 'Flags: STATIC'))
pair('DTCP-DELETE-FLAGS', 'DELETE Flags: BOTH (only STATIC: 501)',
     A + '\n\n' + dele('Criteria-ID: 1', 'Flags: BOTH' + M + 'DTCP-DELETE-FLAGS'),
     'Flags: STATIC', A + '\n\n' + dele('Criteria-ID: 1', 'Flags: STATIC'))
pair('DTCP-DELETE-STATIC-KEPT', 'a DELETE of a STATIC criterion without Flags: STATIC (SPEC 3: 200, nothing deleted)',
     A + '\n\n' + dele('Criteria-ID: 1' + M + 'DTCP-DELETE-STATIC-KEPT'),
     'with Flags: STATIC', A + '\n\n' + dele('Criteria-ID: 1', 'Flags: STATIC'))
pair('DTCP-LIST-FLAGS', 'LIST Flags: STATS (only BOTH: 501)',
     lst('Flags: STATS' + M + 'DTCP-LIST-FLAGS'), 'Flags: BOTH', lst('Flags: BOTH'))
T = add(drop=('Flags',), extra=['Timeout-Idle: 30'])
def refresh(*p):
    return msg('REFRESH', *p)
D = '--profile draft'
pair('DTCP-REFRESH-FLAGS', 'profile draft: REFRESH Flags: SendAsync (501)',
     T + '\n\n' + refresh('Criteria-ID: 1', 'Timeout-Idle: 60', 'Flags: SendAsync' + M + 'DTCP-REFRESH-FLAGS'),
     'without Flags', T + '\n\n' + refresh('Criteria-ID: 1', 'Timeout-Idle: 60'), lint=D)
pair('DTCP-REFRESH-STATIC', 'profile draft: REFRESH Flags: STATIC (D03 5.8: 433)',
     T + '\n\n' + refresh('Criteria-ID: 1', 'Timeout-Idle: 60', 'Flags: STATIC' + M + 'DTCP-REFRESH-STATIC'),
     'without Flags', T + '\n\n' + refresh('Criteria-ID: 1', 'Timeout-Idle: 60'), lint=D)
pair('DTCP-REFRESH-TIMEOUT-SYNTAX', 'profile draft: Timeout-Idle: x (400)',
     T + '\n\n' + refresh('Criteria-ID: 1', 'Timeout-Idle: x' + M + 'DTCP-REFRESH-TIMEOUT-SYNTAX'),
     'Timeout-Idle: 60', T + '\n\n' + refresh('Criteria-ID: 1', 'Timeout-Idle: 60'), lint=D)
pair('DTCP-REFRESH-TIMEOUT-RANGE', 'profile draft: Timeout-Idle: 90000, over a day (433)',
     T + '\n\n' + refresh('Criteria-ID: 1', 'Timeout-Idle: 90000' + M + 'DTCP-REFRESH-TIMEOUT-RANGE'),
     'Timeout-Idle: 86400', T + '\n\n' + refresh('Criteria-ID: 1', 'Timeout-Idle: 86400'), lint=D)
pair('DTCP-REFRESH-TIMEOUT-NONE', 'profile draft: a REFRESH without a timeout (433)',
     T + '\n\n' + mark(refresh('Criteria-ID: 1'), 'DTCP-REFRESH-TIMEOUT-NONE'),
     'Timeout-Total: 600', T + '\n\n' + refresh('Criteria-ID: 1', 'Timeout-Total: 600'), lint=D)
pair('DTCP-NOOP-FLAGS', 'profile draft: NOOP Flags: SendAsync (no notifications: 501)',
     msg('NOOP', 'Flags: SendAsync' + M + 'DTCP-NOOP-FLAGS'), 'NOOP alone', msg('NOOP'), lint=D)

# --- restart, sessions, files ---------------------------------------------
pair('DTCP-RESTART-READD', 'a restart and no ADD after it (seed-19: replay the filters)',
     A + '\n\n@restart switchover' + M + 'DTCP-RESTART-READD' + '\n\n' + lst(),
     'the ADD replayed after it', A + '\n\n@restart switchover\n\n' + A)
pair('DTCP-FILE-SYNTAX', 'an unknown directive (SPEC 9)',
     '@frob 1' + M + 'DTCP-FILE-SYNTAX' + '\n' + lst(), '@at 1', '@at 1\n' + lst())
pair('DTCP-SCRIPT-NO-SESSION', 'a LIST after @close (SPEC 9: not sent)',
     '@session s user=verint password=verint123\n@close s\n' + mark(lst(), 'DTCP-SCRIPT-NO-SESSION'),
     'before @close', '@session s user=verint password=verint123\n' + lst() + '\n\n@close s')
pair('DTCP-SESSION-REFUSED', 'a wrong password (SPEC 4, 9)',
     '@session s user=verint password=wrong' + M + 'DTCP-SESSION-REFUSED' + '\n' + mark(lst(), 'DTCP-SCRIPT-NO-SESSION'),
     'the right one', '@session s user=verint password=verint123\n' + lst())

# dfcclient parameter files (no Authentication-Info, literal Seq).
P = add(seq='1').replace('\nAuthentication-Info: auto', '')
write_script('DTCP-DFCCLIENT-LAST.fail.dtcp', 'fail', 'DTCP-DFCCLIENT-LAST',
             'a parameter file whose last message has no empty line after it: dfcclient.pl never sends it',
             mark(P, 'DTCP-DFCCLIENT-LAST'))
with open(os.path.join(OUT, 'DTCP-DFCCLIENT-LAST.fail.dtcp'), 'rb') as f:
    t = f.read()
with open(os.path.join(OUT, 'DTCP-DFCCLIENT-LAST.fail.dtcp'), 'wb') as f:
    f.write(t.rstrip(b'\n'))   # no line end after the last line
write_script('DTCP-DFCCLIENT-LAST.pass.dtcp', 'pass', 'DTCP-DFCCLIENT-LAST',
             'the same file with the empty line after its last message', P + '\n')
write_script('DTCP-DFCCLIENT-CRLF.fail.dtcp', 'fail', 'DTCP-DFCCLIENT-CRLF',
             'a parameter file with CRLF line ends (dfcclient.pl chomps the LF only)',
             mark(P, 'DTCP-DFCCLIENT-CRLF', 'ADD') + '\n')
fn = os.path.join(OUT, 'DTCP-DFCCLIENT-CRLF.fail.dtcp')
with open(fn, 'rb') as f:
    t = f.read()
hdr, body = t.split(b'\n\n', 1)
with open(fn, 'wb') as f:
    f.write(hdr + b'\n\n' + body.replace(b'\n', b'\r\n'))
# the expect line points at line 1 (a file finding)
with open(fn, 'rb') as f:
    t = f.read()
t = re.sub(rb'# expect: DTCP-DFCCLIENT-CRLF \d+', b'# expect: DTCP-DFCCLIENT-CRLF 1', t)
with open(fn, 'wb') as f:
    f.write(t)
write_script('DTCP-DFCCLIENT-CRLF.pass.dtcp', 'pass', 'DTCP-DFCCLIENT-CRLF',
             'the same file with LF line ends', P + '\n')
# (scripts written)

# --- transcripts ------------------------------------------------------------
def sign(b, key=b'Juniper'):
    """b: message lines with CRLF, without MAC; returns the signed message."""
    return b + b'Authentication-Info: ' + mac(b, key).encode() + b'\r\n\r\n'

def crlf(text):
    return (text.replace('\n', '\r\n') + '\r\n').encode('latin-1')

def make_log(raw, lint_opts=(), profile=None, conf=None):
    fn = os.path.join(OUT, '.genlint-raw')
    with open(fn, 'wb') as f:
        f.write(raw)
    cmd = [LC, 'log']
    if profile:
        cmd += ['-p', profile]
    if conf:
        cmd += ['-c', conf]
    cmd.append(fn)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout
    os.unlink(fn)
    return out

def header_lines(log, kind):
    out = []
    for i, l in enumerate(log.split(b'\n')):
        if l.startswith(b'[') and (b'] ' + kind + b' ') in l or l.endswith(b'] ' + kind):
            out.append(i + 1)
    return out

def write_log(name, log, keys):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(log)
    with open(os.path.join(OUT, name + '.expect'), 'w') as f:
        f.write('\n'.join(keys) + '\n')

SEP = b'=====\n'
LIST1 = crlf('LIST DTCP/0.7\nCsource-ID: verint\nSeq: 1')
good = sign(LIST1)

# NUL, bare LF, data after the end: bytes a script cannot hold.
nul = sign(crlf('LIST DTCP/0.7\nCsource-ID: verint\nCdest-ID: cd\x001\nSeq: 1'))
log = make_log(nul + SEP)
r = header_lines(log, b'request')[0]
write_log('DTCP-FRAME-NUL.fail.log', log, ['# a NUL byte in a value (SPEC 2: 400 once authenticated)',
          'fixture: fail DTCP-FRAME-NUL', 'expect: DTCP-FRAME-NUL %d' % (r + 3)])
log = make_log(good + SEP)
write_log('DTCP-FRAME-NUL.pass.log', log, ['# the same LIST without it', 'fixture: pass DTCP-FRAME-NUL',
          'fixture: pass DTCP-FRAME-BARE-LF', 'fixture: pass DTCP-FRAME-AFTER-END',
          'fixture: pass DTCP-AUTH-NO-SESSION', 'fixture: pass DTCP-REPLY-MAC', 'fixture: pass DTCP-REPLY-SEQ',
          'fixture: pass DTCP-REPLY-VERSION', 'fixture: pass DTCP-REPLY-CODE', 'fixture: pass DTCP-REPLY-MISSING',
          'fixture: pass DTCP-REPLY-LAYOUT'])
lf = sign(b'LIST DTCP/0.7\r\nCsource-ID: verint\nSeq: 1\r\n')
log = make_log(lf + SEP)
r = header_lines(log, b'request')[0]
write_log('DTCP-FRAME-BARE-LF.fail.log', log, ['# an LF without its CR (SPEC 2: 400 once authenticated)',
          'fixture: fail DTCP-FRAME-BARE-LF', 'expect: DTCP-FRAME-BARE-LF %d' % (r + 2)])
after = LIST1 + b'\r\nAuthentication-Info: ' + mac(LIST1).encode() + b'\r\n\r\n'
log = make_log(after + SEP)
r = header_lines(log, b'request')[0]
write_log('DTCP-FRAME-AFTER-END.fail.log', log, ['# an empty line before Authentication-Info: the message ends there, the',
          '# MAC line after it is data after the end (not found: dropped 497)',
          'fixture: fail DTCP-FRAME-AFTER-END', 'expect: DTCP-FRAME-AFTER-END %d' % (r + 5),
          'expect: DTCP-AUTH-MAC-MISSING %d' % (r + 3)])
log = make_log(good + b'=====close\n' + sign(crlf('LIST DTCP/0.7\nCsource-ID: verint\nSeq: 2')) + SEP)
r = header_lines(log, b'request')[1]
write_log('DTCP-AUTH-NO-SESSION.fail.log', log, ['# a request on a closed session (dropped 499)',
          'fixture: fail DTCP-AUTH-NO-SESSION', 'expect: DTCP-AUTH-NO-SESSION %d' % (r + 1)])

# The router's side: a correct transcript, then one defect each.
ADDM = sign(crlf(add(seq='1').replace('\nAuthentication-Info: auto', '')))
L2 = sign(crlf('LIST DTCP/0.7\nCsource-ID: verint\nSeq: 2'))
BAD = crlf('LIST DTCP/0.7\nCsource-ID: verint\nSeq: 3') + b'Authentication-Info: ' + b'0' * 40 + b'\r\n\r\n'
base = make_log(ADDM + SEP + L2 + SEP + BAD + SEP)
lines = base.split(b'\n')

def reply_block(lines, n):
    """(header index, [text line indexes]) of the n-th reply."""
    k = 0
    for i, l in enumerate(lines):
        if l.startswith(b'[') and b'] reply ' in l:
            if k == n:
                j = i + 1
                idx = []
                while j < len(lines) and lines[j].startswith(b'  '):
                    idx.append(j)
                    j += 1
                return i, idx
            k += 1
    raise Exception('no reply')

def resign(lines, idx):
    """Recompute the AUTHENTICATION-INFO of the reply text lines idx."""
    body = b''
    for j in idx:
        t = lines[j][2:]
        if t.upper().startswith(b'AUTHENTICATION-INFO:'):
            lines[j] = b'  AUTHENTICATION-INFO: ' + mac(body).encode()
            return
        body += t + b'\r\n'

def bad_line(log):
    # the third request's Authentication-Info line (its 4th text line)
    return 'expect: DTCP-AUTH-MAC-WRONG %d' % (header_lines(log, b'request')[2] + 4)

def tampered(fn, purpose, rule, edit, where):
    ls = list(lines)
    h, idx = reply_block(ls, 0)
    line = edit(ls, h, idx)
    log = b'\n'.join(ls)
    write_log(fn, log, ['# ' + purpose, 'fixture: fail ' + rule, 'expect: %s %d' % (rule, line), bad_line(log)])

def e_mac(ls, h, idx):
    j = idx[-2]
    ls[j] = ls[j][:-1] + (b'0' if ls[j][-1:] != b'0' else b'1')
    return h + 1
tampered('DTCP-REPLY-MAC.fail.log', "a reply whose AUTHENTICATION-INFO is one digit off", 'DTCP-REPLY-MAC', e_mac, 0)
def e_seq(ls, h, idx):
    ls[idx[1]] = b'  SEQ: 9'
    resign(ls, idx)
    return h + 1
tampered('DTCP-REPLY-SEQ.fail.log', "a reply whose SEQ is not the request's (MAC recomputed)", 'DTCP-REPLY-SEQ', e_seq, 0)
def e_ver(ls, h, idx):
    ls[idx[0]] = ls[idx[0]].replace(b'DTCP/0.7', b'DTCP/0.6')
    resign(ls, idx)
    return h + 1
tampered('DTCP-REPLY-VERSION.fail.log', "a 0.7 request answered in DTCP/0.6 (seed-64; MAC recomputed)", 'DTCP-REPLY-VERSION', e_ver, 0)
def e_code(ls, h, idx):
    ls[idx[0]] = b'  DTCP/0.7 433 Improper Timeout Specification'
    ls[h] = ls[h].replace(b'code=200', b'code=433')
    resign(ls, idx)
    return h + 1
tampered('DTCP-REPLY-CODE.fail.log', "a good ADD answered 433 (MAC recomputed)", 'DTCP-REPLY-CODE', e_code, 0)
def e_layout(ls, h, idx):
    ls[idx[2]] = ls[idx[2]].replace(b'CRITERIA-ID', b'Criteria-ID')
    resign(ls, idx)
    return h + 1
tampered('DTCP-REPLY-LAYOUT.fail.log', "a reply with a mixed-case name (Junos layout: upper case; MAC recomputed)", 'DTCP-REPLY-LAYOUT', e_layout, 0)
# A reply to the unauthenticated request; and a missing reply.
ls = list(lines)
for i, l in enumerate(ls):
    if l.startswith(b'[') and b'] drop ' in l:
        d = i
ls[d] = ls[d].split(b']')[0] + b'] reply session=md user=verint code=400'
rep = crlf('DTCP/0.7 400 Bad Request\nSEQ: 3') + b''
ls[d + 1:d + 1] = [b'  DTCP/0.7 400 Bad Request', b'  SEQ: 3', b'  AUTHENTICATION-INFO: ' + mac(rep).encode(), b'  ']
write_log('DTCP-REPLY-TO-DROP.fail.log', b'\n'.join(ls), ['# a request with a wrong MAC answered (SPEC 2: never answered)',
          'fixture: fail DTCP-REPLY-TO-DROP', 'expect: DTCP-REPLY-TO-DROP %d' % (d + 1), bad_line(b'\n'.join(ls))])
ls = list(lines)
h, idx = reply_block(ls, 1)
del ls[h:idx[-1] + 1]
req2 = header_lines(b'\n'.join(ls), b'request')[1]
write_log('DTCP-REPLY-MISSING.fail.log', b'\n'.join(ls), ['# a good LIST with no reply recorded',
          'fixture: fail DTCP-REPLY-MISSING', 'expect: DTCP-REPLY-MISSING %d' % (req2 + 1), bad_line(b'\n'.join(ls))])
write_log('DTCP-REPLY.pass.log', base, ['# the untouched transcript the DTCP-REPLY-* fixtures were made from: an ADD, a LIST, a LIST with a wrong MAC (dropped)',
          'fixture: pass DTCP-REPLY-TO-DROP', 'expect: DTCP-AUTH-MAC-WRONG %d' % (header_lines(base, b'request')[2] + 4)])
# (transcripts written)

# --- the seed guide's sample and the published vectors ---------------------
SEED = """ADD DTCP/0.6
Csource-ID: verint
Cdest-ID: cd1
Source-Address: *
Dest-Address: *
Source-Port: *
Dest-Port: *
Protocol: 17
Flags: STATIC
X-JTap-Cdest-Dest-Address: 192.168.3.2
X-JTap-Cdest-Dest-Port: 1814
X-JTap-Cdest-Source-Address: 10.209.74.183
X-JTap-Cdest-Source-Port: 65534
X-JTap-Cdest-TTL: 255
Seq: 1"""
covered = len(crlf(SEED))
with open(os.path.join(OUT, 'seed-parameter-file.dtcp'), 'w') as f:
    f.write("""# The seed guide's sample parameter file, as 'show log dfcd' prints it
# (Troubleshooting Flow-Tap; OCR fixed: Cdest-1D -> Cdest-ID, cdl -> cd1),
# without its Authentication-Info line: dfcclient.pl appends the MAC with
# the key Juniper (seed-79). Lints clean (no MUST, no SHOULD).
# fixture: pass DTCP-AUTH-MAC-WRONG
# clean
# expect: DTCP-ADD-IPV4-ONLY 9

""" + SEED + "\n\n")
with open(os.path.join(OUT, 'seed-printed-mac.dtcp'), 'w') as f:
    f.write("""# The same sample with the Authentication-Info the guide prints,
# 3db78d10...: it does not verify over the text (nor over its LF, trailing
# space or cdl variants, with key Juniper); lint says so precisely: the
# bytes covered (%d: lines 1-15 with CRLF) and the expected MAC.
# fixture: fail DTCP-AUTH-MAC-WRONG
# expect-text: DTCP-AUTH-MAC-WRONG 23 over the %d bytes of lines 8-22
# expect: DTCP-ADD-IPV6-V06 0

""" % (covered, covered) + SEED + "\nAuthentication-Info: 3db78d10deb83f8934f021e40dc2b49f45bc6dc7\n")
# the placeholder expect above is replaced below once the lines are known
fn = os.path.join(OUT, 'seed-printed-mac.dtcp')
t = open(fn).read().replace('# expect: DTCP-ADD-IPV6-V06 0\n', '')
open(fn, 'w').write(t)

JADD = lambda seq, src: add(cs='dtcp1', seq=seq, repl={'Source-Address': 'Source-Address: ' + src})
with open(os.path.join(OUT, 'facts-juniper.dtcp'), 'w') as f:
    f.write("""# The Juniper samples of dtcp-facts.md 5.4 with their published MACs
# (key Juniper), in the order of the Junos example (J-EX): two ADDs of
# dtcp1 (ours: the printed ADD does not reproduce), the second getting
# Criteria-ID 2 as in the sample's reply; vector 5, LIST (Seq 9); vector
# 6, DELETE Criteria-ID 2 with Flags: STATIC (Seq 10). No finding on
# authentication, and nothing else: clean.
# fixture: pass DTCP-AUTH-MAC-CASE
# lint: --config suites/lint/router.conf
# clean
# forbid: DTCP-AUTH-

""" + JADD('6', '10.1.1.1') + "\n\n" + JADD('7', '10.1.1.2') + """

LIST DTCP/0.7
Csource-ID: dtcp1
Cdest-ID: cd1
Seq: 9
Authentication-Info: f6dd64643021debb167ce2fb2d3c7b6622a87e09

DELETE DTCP/0.7
Csource-ID: dtcp1
CRITERIA-ID: 2
Flags: STATIC
Seq: 10
Authentication-Info: 7e84ae871b12f2da023b038774115bb8d955f17e
""")
with open(os.path.join(OUT, 'facts-juniper-disable.dtcp'), 'w') as f:
    f.write("""# Vector 9 of dtcp-facts.md 5.4: DISABLE DTCP/0.8 of ft-user (key
# Juniper). Its MAC verifies; DISABLE is radius-flow-tap's (J-EN), not
# flow-tap's: 501.
# lint: --config suites/lint/router.conf
# forbid: DTCP-AUTH-
# expect: DTCP-METHOD-UNKNOWN 8

DISABLE DTCP/0.8
Csource-ID: ft-user
Criteria-ID: 8
X-Drop-Policy: drop_pol
Flags: STATIC
Seq: 1
Authentication-Info: 963aa01c38c531f63fb410afd058c018be4d0230
""")
V1 = ['ADD DTCP/0.6 ', 'Source-Address: 192.168.10.4 ', 'Dest-Address: 10.1.1.1-10.1.1.10 ',
      'Protocol: 6,17 ', 'Dest-Port: 53 ', 'Timeout-Idle: 600 ', 'Action: Copy ', 'Priority: 2 ',
      'Flags: SendAsync ', 'Cdest-ID: cdst_b ', 'Csource-ID: csrc_a ', 'Seq: 3827443 ']
V3 = ['DELETE DTCP/0.6 ', 'Criteria-ID: 55331 ', 'Flags: Static ', 'Csource-ID: csrc_d ', 'Seq: 2655371 ']
hdr = """# The draft's request vectors of dtcp-facts.md 5.4 (key secret, every
# line with its trailing space, as hashed): vector 1, a DFC-style ADD of
# csrc_a, and vector 3, a DELETE of csrc_d. Their MACs verify with key
# secret (no authentication finding). What else a flow-tap router says:
# vector 1 has no X-JTap-Cdest-* fields (901); vector 3 names criterion
# 55331, which does not exist here: profile draft answers a DELETE that
# selects nothing 200, count 0 (SPEC 3); both end lines in spaces.
# lint: --config suites/lint/router.conf --profile draft --key secret
# forbid: DTCP-AUTH-
"""
n0 = hdr.count('\n') + 3   # + 2 expect lines + blank
body = '\n'.join(V1) + '\nAuthentication-Info: 28eb606458ba46160d7a59da48763020f5aef9f5\n\n' + \
       '\n'.join(V3) + '\nAuthentication-Info: 6af62247a2b59a2a06e0ca08ec5a80a644e2cd67\n'
l1 = n0 + 1
l3 = n0 + len(V1) + 3
with open(os.path.join(OUT, 'facts-draft.dtcp'), 'w') as f:
    f.write(hdr + '# expect: DTCP-ADD-JTAP-REQUIRED %d\n# expect: DTCP-LINE-TRAILING-SPACE %d\n\n' % (l1, l1) + body)

# A transcript with Juniper's published replies (vectors 7, 8): the
# router's side verifies.
raw = b'=====open dtcp1\n'
raw += sign(crlf(JADD('6', '10.1.1.1').replace('\nAuthentication-Info: auto', ''))) + SEP
raw += sign(crlf(JADD('7', '10.1.1.2').replace('\nAuthentication-Info: auto', ''))) + SEP
raw += crlf('LIST DTCP/0.7\nCsource-ID: dtcp1\nCdest-ID: cd1\nSeq: 9') + b'Authentication-Info: f6dd64643021debb167ce2fb2d3c7b6622a87e09\r\n\r\n' + SEP
raw += crlf('DELETE DTCP/0.7\nCsource-ID: dtcp1\nCRITERIA-ID: 2\nFlags: STATIC\nSeq: 10') + b'Authentication-Info: 7e84ae871b12f2da023b038774115bb8d955f17e\r\n\r\n' + SEP
log = make_log(raw, conf=CONF)
ls = log.split(b'\n')
def put_reply(ls, n, text):
    h, idx = reply_block(ls, n)
    ls[idx[0]:idx[-1] + 1] = [b'  ' + x.encode() for x in text] + [b'  ']
put_reply(ls, 3, ['DTCP/0.7 200 OK', 'SEQ: 10', 'CRITERIA-COUNT: 1', 'TIMESTAMP: 2011-02-13 16:00:02.802',
                  'AUTHENTICATION-INFO: 2834ff32ec07d84753a046cfb552e072cc27d50b'])
put_reply(ls, 1, ['DTCP/0.7 200 OK', 'SEQ: 7', 'CRITERIA-ID: 2', 'TIMESTAMP: 2011-02-13 15:56:49.609',
                  'AUTHENTICATION-INFO: 4880de4b8cead98c95813fd9b95e240b107d4693'])
write_log('facts-juniper.log', b'\n'.join(ls), [
    "# dtcp1's session with Juniper's published replies in place of the engine's:",
    '# vector 8 (ADD reply, SEQ 7, CRITERIA-ID 2) and vector 7 (DELETE reply,',
    '# SEQ 10, CRITERIA-COUNT 1); requests: two ADDs, vectors 5 and 6. The',
    "# router's side verifies: a real router's replies judged.",
    'fixture: pass DTCP-REPLY-MAC', 'lint: --config suites/lint/router.conf', 'clean', 'forbid: DTCP-REPLY-', 'forbid: DTCP-AUTH-'])
print('suites/lint: fixtures written')
