/*
 * testutil.h - what every cmocka unit test includes (cmocka 1.1.5 API).
 */
#ifndef FT_TESTUTIL_H
#define FT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#endif
