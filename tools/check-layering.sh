#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Quartermaster contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The layers: src/core knows nothing above it; src/sandbox builds on core
# only; neither may touch GTK. The build already keeps GTK off their include
# paths; this also catches includes of a higher layer's headers.
set -u
src=${1:?usage: check-layering.sh SRCDIR}
fail=0
check () {
  local dir=$1 pattern=$2 what=$3
  local hits
  hits=$(grep -rnE "$pattern" "$src/$dir" --include='*.c' --include='*.h' || true)
  if [ -n "$hits" ]; then
    echo "not ok - $dir includes $what:"
    echo "$hits" | sed 's/^/#   /'
    fail=1
  else
    echo "ok - $dir does not include $what"
  fi
}
echo "1..4"
check core '#include *[<"](gtk|adwaita|gdk)' "GTK or libadwaita"
check core '#include *"qm-(sandbox|window|application|cli)' "sandbox, UI or CLI headers"
check sandbox '#include *[<"](gtk|adwaita|gdk)' "GTK or libadwaita"
check sandbox '#include *"qm-(window|application|cli)' "UI or CLI headers"
exit $fail
