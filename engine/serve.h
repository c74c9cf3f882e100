/*
 * serve.h - `flowtap serve`, the live router's driver (SPEC 1, 5, 10):
 * the SSH service (sshd.h) feeds the services PIC (pic.h) the way a
 * script feeds it in replay, with the wall clock as the engine clock.
 *
 * Each SSH connection that starts the flow-tap-dtcp subsystem is one
 * tasking session named "ssh-<N>" (N: the connection's ordinal since the
 * start, as in the transcript's "ssh conn=N" lines), opened for the login
 * user from the peer's address, so connection-limit and rate-limit are
 * the same code as replay's @session. SIGHUP or --restart-after is a
 * restart (SPEC 5): every SSH connection is closed. SIGINT/SIGTERM stop
 * the server and write report.json.
 */
#ifndef FT_SERVE_H
#define FT_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "dataplane.h"
#include "err.h"
#include "tasking.h"

#define FT_SERVE_PORT_DEF	32001
#define FT_SERVE_LISTEN_DEF	"127.0.0.1"
#define FT_SERVE_STATE_DEF	"./flowtap-state"
#define FT_SERVE_GRACE_DEF	30		/* s, sshd's LoginGraceTime: 120 */
#define FT_SERVE_STARTUPS_DEF	10		/* sshd's MaxStartups: 10 */
#define FT_SERVE_QUEUE_DEF	(1024 * 1024)	/* reply bytes per connection */

struct ft_serve_opts {
	const char *config;	/* Junos configuration, NULL: the seed's */
	const char *listen;	/* numeric address */
	unsigned port;		/* 0: any free port */
	const char *hostkey;	/* NULL: the state folder's, generated */
	const char *state;	/* NULL: out, else FT_SERVE_STATE_DEF */
	const char *out;	/* NULL: the state folder */
	enum ft_profile profile;
	const char *key;	/* DTCP key, NULL: "Juniper" */
	uint64_t restart_after_ns;	/* 0: never */
	unsigned grace_s;
	unsigned max_startups;
	size_t max_queue;
	int status;		/* status line: -1 when stderr is a tty */
	FILE *info;		/* startup and stop lines (stderr), or NULL */
	/*
	 * The data plane (dataplane.h): capture or paced trace, delivery,
	 * copies file; and the PIC budget (SPEC 7 by default), judged on
	 * the packets' timestamps. SIGUSR1 starts a --trace-wait trace.
	 */
	struct ft_dataplane_opts data;
	struct ft_budget_cfg budget;
	/* Scope (SPEC 6): the output interface unit, NULL: unknown. */
	const char *output_interface;
	/*
	 * --explain-mac: a 497's dtcp.log line shows the expected MAC and
	 * the bytes it covers (a test bench's option; off by default).
	 */
	int explain_mac;
};

/*
 * The defaults above; profile flowtap, key Juniper, status -1, the SPEC 7
 * budget, no capture or trace, delivery auto.
 */
void ft_serve_opts_default(struct ft_serve_opts *o);

/*
 * Run until SIGINT or SIGTERM. Returns 0 (report.json written), or a
 * negative FT_E* with e set: unreadable configuration or host key,
 * cannot listen, cannot write the outputs.
 */
int ft_serve_run(const struct ft_serve_opts *o, struct ft_err *e);

#endif
