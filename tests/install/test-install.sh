#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Quartermaster contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the build into a temporary DESTDIR and checks, speaking TAP, that
# the desktop file, icons, metainfo, schema, D-Bus service and translations
# land where GNOME looks for them, and that the installed program starts and
# finds its settings schema from that prefix.
#
# Usage: test-install.sh BUILD_ROOT APP_ID PREFIX BINDIR DATADIR LOCALEDIR VERSION
set -uo pipefail

build=$1 app_id=$2 prefix=$3 bindir=$4 datadir=$5 localedir=$6 version=$7
schema_id=io.github.quartermaster.Quartermaster

# Meson gives bindir and friends relative to the prefix, or absolute.
under_prefix () { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
bindir=$(under_prefix "$bindir")
datadir=$(under_prefix "$datadir")
localedir=$(under_prefix "$localedir")

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
dest=$T/dest
root=$dest$datadir

n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check_file () {
  if [ -s "$2" ]; then ok "$1"; else not_ok "$1" "missing: ${2#"$dest"}"; fi
}

if DESTDIR=$dest meson install -C "$build" --no-rebuild --quiet >"$T/install.log" 2>&1; then
  ok "meson install into DESTDIR"
else
  not_ok "meson install into DESTDIR" "$(tail -n 20 "$T/install.log")"
  echo "1..$n"
  exit 1
fi

program=$dest$bindir/quartermaster
desktop=$root/applications/$app_id.desktop
service=$root/dbus-1/services/$app_id.service
metainfo=$root/metainfo/$app_id.metainfo.xml
schemas=$root/glib-2.0/schemas

if [ -x "$program" ]; then ok "program in bindir"; else not_ok "program in bindir" "missing: $bindir/quartermaster"; fi
check_file "desktop file in applications/" "$desktop"
check_file "scalable icon in the hicolor theme" "$root/icons/hicolor/scalable/apps/$app_id.svg"
check_file "symbolic icon in the hicolor theme" "$root/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
check_file "metainfo in metainfo/" "$metainfo"
check_file "schema in glib-2.0/schemas/" "$schemas/$schema_id.gschema.xml"
check_file "D-Bus service in dbus-1/services/" "$service"
for po in "$(dirname "$0")"/../../po/*.po; do
  lang=$(basename "$po" .po)
  check_file "$lang translation in the locale dir" \
    "$dest$localedir/$lang/LC_MESSAGES/quartermaster.mo"
done

# The desktop file, its icon, the metainfo and the D-Bus service agree on one
# name, and the service starts the installed program.
desktop_key () { sed -n "s/^$1=//p" "$desktop" 2>/dev/null | head -n 1; }
icon=$(desktop_key Icon)
if [ "$icon" = "$app_id" ] && [ -s "$root/icons/hicolor/scalable/apps/$icon.svg" ]; then
  ok "desktop file names the installed icon"
else
  not_ok "desktop file names the installed icon" "Icon=$icon"
fi
if [ "$(desktop_key DBusActivatable)" = "true" ]; then
  ok "desktop file is D-Bus activatable"
else
  not_ok "desktop file is D-Bus activatable" "DBusActivatable=$(desktop_key DBusActivatable)"
fi
service_name=$(sed -n 's/^Name=//p' "$service" 2>/dev/null)
service_exec=$(sed -n 's/^Exec=//p' "$service" 2>/dev/null)
if [ "$service_name" = "$app_id" ] && [ "$service_exec" = "$bindir/quartermaster --gapplication-service" ]; then
  ok "D-Bus service starts the installed program under the app id"
else
  not_ok "D-Bus service starts the installed program under the app id" \
    "Name=$service_name" "Exec=$service_exec"
fi
if grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" 2>/dev/null; then
  ok "metainfo launches the installed desktop file"
else
  not_ok "metainfo launches the installed desktop file"
fi

# gnome.post_install skips compiling schemas under DESTDIR: compile them here,
# as the package's trigger would.
if glib-compile-schemas --strict "$schemas" >"$T/schemas.log" 2>&1 && [ -s "$schemas/gschemas.compiled" ]; then
  ok "installed schemas compile"
else
  not_ok "installed schemas compile" "$(cat "$T/schemas.log")"
fi

out=$("$program" --version 2>"$T/version.err")
status=$?
if [ $status -eq 0 ] && [ "$out" = "quartermaster $version" ]; then
  ok "installed program starts: --version"
else
  not_ok "installed program starts: --version" "exit $status" "stdout: $out" "$(cat "$T/version.err")"
fi

# The installed program reads and writes its settings from the installed
# schema: `--xur-check` records the week it announced Xûr, through a keyfile
# backend in a private config dir. With no schema there it remembers nothing,
# which shows that the check can fail.
xur_check () {
  local schema_dir=$1 config=$2
  mkdir -p "$config"
  env GSETTINGS_SCHEMA_DIR="$schema_dir" GSETTINGS_BACKEND=keyfile \
      XDG_CONFIG_HOME="$config" QM_TEST_QUIT_AFTER_LOAD_MS=1 \
      G_MESSAGES_DEBUG=qm-ui-util \
      timeout 60 "$program" --sandbox --xur-check >"$config/out" 2>"$config/err"
}
keyfile () { echo "$1/glib-2.0/settings/keyfile"; }
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  skip "installed program finds its schema" "no display"
else
  mkdir -p "$T/no-schemas"
  xur_check "$schemas" "$T/with"; s1=$?
  xur_check "$T/no-schemas" "$T/without"; s2=$?
  if [ $s1 -eq 0 ] && grep -q '^QM-XUR present=1' "$T/with/out" \
     && ! cat "$T/with/out" "$T/with/err" | grep -q "$schema_id is not installed" \
     && grep -q '^xur-last-notified=' "$(keyfile "$T/with")" 2>/dev/null \
     && [ $s2 -eq 0 ] && cat "$T/without/out" "$T/without/err" | grep -q "$schema_id is not installed" \
     && ! [ -e "$(keyfile "$T/without")" ]; then
    ok "installed program finds its schema"
  else
    not_ok "installed program finds its schema" \
      "with the schema: exit $s1, $(cat "$T/with/out")" "$(grep -v '^$' "$T/with/err" | tail -n 5)" \
      "keyfile: $(cat "$(keyfile "$T/with")" 2>&1)" \
      "without: exit $s2, $(cat "$T/without/out")" "$(tail -n 5 "$T/without/err")"
  fi
fi

# D-Bus activation, as when a notification is clicked after `--xur-check`
# has quit: on a private session bus that knows only the installed service
# (its Exec moved under DESTDIR), calling the app's action starts the
# installed program as a service, which then answers under its app id and
# quits on app.quit.
activate () {
  local services=$T/activation/dbus-1/services
  mkdir -p "$services" "$T/activation/home"
  sed "s|^Exec=|Exec=$dest|" "$service" >"$services/$app_id.service"
  cp "$desktop" "$T/activation/"
  env XDG_DATA_DIRS="$T/activation:/usr/local/share:/usr/share" HOME="$T/activation/home" \
      XDG_CONFIG_HOME="$T/activation/home" XDG_DATA_HOME="$T/activation/home" \
      GSETTINGS_SCHEMA_DIR="$schemas" GSETTINGS_BACKEND=memory \
      timeout 90 dbus-run-session -- bash -c '
        app=$1
        has_owner () {
          gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.NameHasOwner "$app" | grep -q true
        }
        has_owner && { echo "the app id is owned before activation"; exit 1; }
        gapplication action "$app" show-xur || { echo "activation failed"; exit 1; }
        has_owner || { echo "nobody owns the app id after activation"; exit 1; }
        actions=$(gdbus call --session --dest "$app" --object-path "/${app//./\/}" \
          --method org.gtk.Actions.List) || { echo "no actions exported"; exit 1; }
        case $actions in *show-xur*) ;; *) echo "show-xur is not exported: $actions"; exit 1 ;; esac
        gapplication action "$app" quit || { echo "app.quit failed"; exit 1; }
        for _ in $(seq 100); do has_owner || exit 0; sleep 0.1; done
        echo "still running after app.quit"; exit 1
      ' _ "$app_id" >"$T/activation.log" 2>&1
}
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  skip "D-Bus activation starts the installed program" "no display"
elif ! command -v dbus-run-session >/dev/null || ! command -v gapplication >/dev/null; then
  skip "D-Bus activation starts the installed program" "no dbus-run-session or gapplication"
elif activate; then
  ok "D-Bus activation starts the installed program"
else
  not_ok "D-Bus activation starts the installed program" "$(grep -v '^dbus-daemon\|^$' "$T/activation.log" | tail -n 15)"
fi

echo "1..$n"
exit $failed
