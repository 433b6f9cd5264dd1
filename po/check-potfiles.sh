#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Quartermaster contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# POTFILES.in lists, sorted, every source file with translatable strings.
set -u
srcdir=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$srcdir" || exit 1
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
marked=$( { grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext) *\(' src --include='*.c';
            grep -rl 'translatable="yes"' src data --include='*.ui';
            ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null; } | sort -u)
fail=0
echo "1..3"
missing=$(comm -13 <(echo "$listed" | sort) <(echo "$marked"))
if [ -n "$missing" ]; then
  echo "not ok 1 - files with translatable strings missing from po/POTFILES.in:"
  echo "$missing" | sed 's/^/#   /'
  fail=1
else
  echo "ok 1 - every file with translatable strings is listed"
fi
gone=$(echo "$listed" | while read -r f; do [ -e "$f" ] || echo "$f"; done)
if [ -n "$gone" ]; then
  echo "not ok 2 - po/POTFILES.in lists files that do not exist:"
  echo "$gone" | sed 's/^/#   /'
  fail=1
else
  echo "ok 2 - every listed file exists"
fi
if [ "$listed" != "$(echo "$listed" | LC_ALL=C sort)" ]; then
  echo "not ok 3 - po/POTFILES.in is not sorted"
  fail=1
else
  echo "ok 3 - po/POTFILES.in is sorted"
fi
exit $fail
