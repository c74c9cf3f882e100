/*
 * version.h - the flowtap version: printed by 'flowtap version', written
 * into report.json ("flowtap_version") and report.html. The conformance
 * harness ignores report.json's version when it compares goldens, so a
 * version bump changes no golden (docs/harness.md).
 */
#ifndef FT_VERSION_H
#define FT_VERSION_H

#define FT_VERSION "0.1.0"

#endif
