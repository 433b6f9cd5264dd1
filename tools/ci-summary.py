#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 Quartermaster contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print one closing line 'N passed, N failed' from meson test logs.

Each TAP test case counts once; a test program that printed no TAP counts
as one case judged by its result. Usage: ci-summary.py BUILDDIR/meson-logs/testlog*.json ...
"""
import json
import re
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).readlines()
    except OSError:
        print(f"ci-summary: {path} is missing", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        r = json.loads(line)
        out = r.get("stdout") or ""
        ok = len(re.findall(r"^ok \d+(?! # SKIP)", out, re.M))
        skip = len(re.findall(r"^ok \d+.*# SKIP", out, re.M))
        nok = len(re.findall(r"^not ok \d+", out, re.M))
        if ok + nok + skip == 0:
            if r["result"] in ("OK", "EXPECTEDFAIL"):
                ok = 1
            elif r["result"] == "SKIP":
                skip = 1
            else:
                nok = 1
        elif r["result"] not in ("OK", "EXPECTEDFAIL", "SKIP") and nok == 0:
            nok = 1  # crashed or timed out after its last TAP line
        passed += ok
        failed += nok
        skipped += skip
print(f"{passed} passed, {failed} failed, {skipped} skipped")
