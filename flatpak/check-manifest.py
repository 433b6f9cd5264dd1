#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 Quartermaster contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""What can be checked of a Flatpak manifest without the GNOME runtime.

  check-manifest.py show MANIFEST
      flatpak-builder --show-manifest accepts it and warns about nothing
      (skipped, exit 77, when flatpak-builder is not installed).
  check-manifest.py files MANIFEST BASE_APP_ID PROGRAM
      every file it names exists, the app id fits the profile it builds,
      and the command is the program the build installs.
  check-manifest.py configure MANIFEST SOURCE_ROOT
      the project configures with the module's config-opts, as
      flatpak-builder would, and config.h carries the app id and the
      Bungie credentials the manifest gives.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

MODULE = "quartermaster"
SKIP = 77


def fail(message):
    print(f"{sys.argv[2]}: {message}", file=sys.stderr)
    sys.exit(1)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read: {e}")


def modules(manifest, base):
    """Every module, following modules kept in files of their own."""
    for module in manifest.get("modules", []):
        if isinstance(module, str):
            path = os.path.join(base, module)
            if not os.path.isfile(path):
                fail(f"module file {module} does not exist")
            yield from modules({"modules": [load(path)]}, os.path.dirname(path))
            continue
        yield module, base
        yield from modules(module, base)


def project_module(manifest, base):
    for module, _ in modules(manifest, base):
        if module.get("name") == MODULE:
            return module
    fail(f"no module named {MODULE}")


def config_opts(module):
    """-Dname=value options as a dict, plus the others as a list."""
    options, others = {}, []
    for opt in module.get("config-opts", []):
        if opt.startswith("-D") and "=" in opt:
            name, value = opt[2:].split("=", 1)
            options[name] = value
        else:
            others.append(opt)
    return options, others


def check_show(path):
    builder = shutil.which("flatpak-builder")
    if builder is None:
        print("flatpak-builder is not installed", file=sys.stderr)
        sys.exit(SKIP)
    # flatpak-builder makes its state directory in the working directory.
    with tempfile.TemporaryDirectory() as state:
        run = subprocess.run([builder, "--show-manifest", os.path.abspath(path)], cwd=state,
                             capture_output=True, text=True, check=False)
    if run.returncode != 0 or run.stderr.strip():
        fail(f"flatpak-builder --show-manifest exited {run.returncode}:\n{run.stderr}")
    shown = json.loads(run.stdout)
    if shown.get("id") != load(path).get("id"):
        fail("flatpak-builder read a different id")
    print(f"{path}: flatpak-builder reads it without warnings")


def check_files(path, base_app_id, program):
    manifest = load(path)
    base = os.path.dirname(os.path.abspath(path))
    sources = 0
    for module, module_base in modules(manifest, base):
        for source in module.get("sources", []):
            if isinstance(source, str):
                source = load(os.path.join(module_base, source))
            named = [source["path"]] if "path" in source else []
            named += source.get("paths", [])
            for name in named:
                target = os.path.join(module_base, name)
                kind = source.get("type")
                exists = os.path.isdir(target) if kind == "dir" else os.path.isfile(target)
                if not exists:
                    fail(f"module {module.get('name')}: {kind} {name} does not exist")
                sources += 1
    if sources == 0:
        fail("names no local source")

    options, _ = config_opts(project_module(manifest, base))
    profile = options.get("profile", "default")
    want = base_app_id + (".Devel" if profile == "development" else "")
    if manifest.get("id") != want:
        fail(f"id {manifest.get('id')} but profile {profile} installs {want}")
    if manifest.get("command") != program:
        fail(f"command {manifest.get('command')} but the build installs {program}")
    print(f"{path}: {sources} local sources exist; id and command match the build")


def config_h_string(config_h, name):
    prefix = f"#define {name} "
    for line in config_h.splitlines():
        if line.startswith(prefix):
            return json.loads(line[len(prefix):])
    return None


def check_configure(path, source_root):
    manifest = load(path)
    module = project_module(manifest, os.path.dirname(os.path.abspath(path)))
    if module.get("buildsystem") != "meson":
        fail("the module is not built with meson")
    options, others = config_opts(module)
    with tempfile.TemporaryDirectory() as build:
        # The arguments flatpak-builder gives meson, then the manifest's.
        args = ["meson", "setup", build, source_root, "--prefix=/app", "--libdir=lib",
                "--buildtype=release", "--wrap-mode=nodownload"]
        args += module.get("config-opts", [])
        run = subprocess.run(args, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            fail(f"meson setup failed:\n{run.stdout}\n{run.stderr}")
        if "WARNING" in run.stdout or run.stderr.strip():
            fail(f"meson setup warned:\n{run.stdout}\n{run.stderr}")
        with open(os.path.join(build, "config.h"), encoding="utf-8") as f:
            config_h = f.read()
    expected = {
        "APP_ID": manifest.get("id"),
        "QM_DEFAULT_API_KEY": options.get("api_key", ""),
        "QM_DEFAULT_CLIENT_ID": options.get("oauth_client_id", ""),
        "QM_DEFAULT_CLIENT_SECRET": options.get("oauth_client_secret", ""),
    }
    for name, value in expected.items():
        got = config_h_string(config_h, name)
        if got != value:
            fail(f"config.h has {name} {got!r}, the manifest asks for {value!r}")
    print(f"{path}: configures with {' '.join(module.get('config-opts', []))}"
          f"{' (and ' + ' '.join(others) + ')' if others else ''}")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    mode = sys.argv[1]
    if mode == "show" and len(sys.argv) == 3:
        check_show(sys.argv[2])
    elif mode == "files" and len(sys.argv) == 5:
        check_files(sys.argv[2], sys.argv[3], sys.argv[4])
    elif mode == "configure" and len(sys.argv) == 4:
        check_configure(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
