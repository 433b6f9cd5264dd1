#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Quartermaster contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Each translation is complete for the strings of the sources as they are:
# a template made afresh from po/POTFILES.in (with the keywords meson's
# "glib" preset gives xgettext), merged into each po/LANG.po, must show
# 0 untranslated and 0 fuzzy messages in msgfmt --statistics.
set -u
srcdir=${1:?usage: check-translations.sh SOURCE_ROOT}
cd "$srcdir" || exit 1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
xgettext --package-name=quartermaster --files-from=po/POTFILES.in --directory=. \
  --output="$T/quartermaster.pot" --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_set_error:4:c-format --flag=g_error_new:3:c-format 2>"$T/xgettext.log" || {
  echo "1..1"; echo "not ok 1 - xgettext failed"; sed 's/^/# /' "$T/xgettext.log"; exit 1; }
langs=$(cat po/LINGUAS)
echo "1..$(echo $langs | wc -w)"
n=0 fail=0
for lang in $langs; do
  n=$((n + 1))
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$T/quartermaster.pot" -o "$T/$lang.po"
  stats=$(msgfmt --check --statistics -o /dev/null "$T/$lang.po" 2>&1)
  missing=$(msgattrib --untranslated --no-obsolete "$T/$lang.po" | grep -c '^msgid ' || true)
  if echo "$stats" | grep -qE 'untranslated|fuzzy' || [ "$missing" -gt 1 ]; then
    echo "not ok $n - $lang: $stats"
    msgattrib --untranslated --no-obsolete --no-location "$T/$lang.po" | grep '^msgid ' | sed 's/^/#   /'
    fail=1
  else
    echo "ok $n - $lang: $stats"
  fi
done
exit $fail
