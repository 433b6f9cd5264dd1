/* fuzz-target.h: the entry point every fuzz target defines
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built with -Dfuzzing=true (clang), a target links libFuzzer; otherwise it
 * links replay.c, which runs it over its seeds and the inputs that once
 * crashed it (tests/fuzz/corpus/TARGET, tests/fuzz/regressions/TARGET).
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Abort (a finding) when a property of the code under test does not hold. */
#define FUZZ_CHECK(cond) \
  G_STMT_START { if (!(cond)) { g_printerr ("fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); abort (); } } G_STMT_END
