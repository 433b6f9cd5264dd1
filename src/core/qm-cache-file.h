/* qm-cache-file.h: reading the app's own files back, whatever lies there
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The caches under $XDG_CACHE_HOME are written by the app, but anything can
 * take their place: a FIFO (open would block forever), a link to /dev/zero
 * (a read without end), a file truncated by another process while mapped
 * (SIGBUS). Every cache file is read through here: opened without blocking,
 * refused unless a regular file, read whole into memory up to a limit.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Limits for the files read back (a real profile answer is a few MB, the
 * manifest cache of Bungie's full tables some tens). */
#define QM_CACHE_FILE_MAX_PROFILE  ((gsize) 64 << 20)
#define QM_CACHE_FILE_MAX_MANIFEST ((gsize) 512 << 20)
#define QM_CACHE_FILE_MAX_ICON     ((gsize) 4 << 20)

/* The whole content of the regular file at @path, at most @max_size bytes,
 * 8-byte aligned. Errors are G_FILE_ERROR: the open's or read's errno
 * (G_FILE_ERROR_NOENT when there is none), G_FILE_ERROR_INVAL for anything
 * but a regular file, G_FILE_ERROR_FAILED beyond @max_size. */
GBytes     *qm_cache_file_read         (const char  *path,
                                        gsize        max_size,
                                        GError     **error);

/* Create @dir (and what is missing above it) with mode 0700; an existing
 * one of the user's is set to 0700 too. */
gboolean    qm_cache_dir_ensure        (const char  *dir,
                                        GError     **error);

G_END_DECLS
