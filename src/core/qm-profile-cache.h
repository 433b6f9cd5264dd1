/* qm-profile-cache.h: the profile kept between runs, and kept fresh
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three small pieces the window puts together (peers.md §2.7, §3.5):
 *
 *  - the cache: the last GetProfile answer of each membership, as it came,
 *    in $XDG_CACHE_HOME/quartermaster/profiles/<membershipId>.json, shown
 *    at start-up until the live one arrives (qm_inventory_load_cached());
 *  - freshness: whether a fetched profile may replace the one shown. Bungie
 *    caches profiles for up to a minute, so a load can bring back an older
 *    one, or one minted before the item the player just moved: showing it
 *    would move the item back ("rubber-banding");
 *  - the refresh policy: when a quiet automatic refresh is due.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The cache file of @membership_id (a Destiny membership id: digits only),
 * under g_get_user_cache_dir(); NULL for an id that is not one. */
char              *qm_profile_cache_get_path    (const char  *membership_id);
/* The answer saved for @membership_id, or NULL with G_IO_ERROR_NOT_FOUND
 * (none saved) or another G_IO_ERROR (unreadable). Whether it decodes is
 * for qm_profile_parse_bytes() to say. */
GBytes            *qm_profile_cache_load        (const char  *membership_id,
                                                 GError     **error);
/* Save @answer (a GetProfile answer as qm_profile_parse_bytes() reads it,
 * minted at @minted, µs) for @membership_id, atomically: a reader sees the
 * old file or the new one. An answer minted before the one saved is not
 * saved (TRUE: nothing to do). */
gboolean           qm_profile_cache_save        (const char  *membership_id,
                                                 GBytes      *answer,
                                                 gint64       minted,
                                                 GError     **error);

typedef enum
{
  QM_PROFILE_FRESH,                /* newer: show it */
  QM_PROFILE_UNCHANGED,            /* minted when the one shown was: keep that */
  QM_PROFILE_OLDER,                /* minted before the one shown: keep that */
  QM_PROFILE_BEFORE_LOCAL_CHANGE,  /* minted before the app's last item action */
} QmProfileFreshness;

/* How long after an item action a profile minted before it is refused.
 * Bungie's profile cache lasts up to a minute; past this, a clock that
 * runs ahead of Bungie's cannot hold the data back any longer. */
#define QM_PROFILE_LOCAL_CHANGE_GUARD (2 * 60 * G_USEC_PER_SEC)

/* Pure: whether a profile minted at @fetched_minted may replace the one
 * shown, minted at @held_minted (0: none shown), when the app last changed
 * an item at @last_local_change (0: never), all µs since the epoch, at
 * @now. Only QM_PROFILE_FRESH replaces. A time of 0 (unknown) cannot make
 * a profile stale. */
QmProfileFreshness qm_profile_judge_freshness   (gint64       fetched_minted,
                                                 gint64       held_minted,
                                                 gint64       last_local_change,
                                                 gint64       now);

/* The quiet automatic refresh: only while the window is focused and no
 * item action runs, never while a load is in flight, and at least
 * QM_REFRESH_INTERVAL after the last load started (whatever started it).
 * A refresh the player asks for (Ctrl+R, the button) only waits for the
 * load in flight. Times are monotonic µs (g_get_monotonic_time()). */
#define QM_REFRESH_INTERVAL (30 * G_USEC_PER_SEC)

typedef struct
{
  gint64   last_started;   /* 0: no load yet */
  gboolean in_flight;
} QmRefreshPolicy;

void               qm_refresh_policy_init       (QmRefreshPolicy *policy);
/* A load started (any kind) / ended (any outcome). */
void               qm_refresh_policy_started    (QmRefreshPolicy *policy,
                                                 gint64           now);
void               qm_refresh_policy_finished   (QmRefreshPolicy *policy);
/* Whether an automatic refresh should start now. */
gboolean           qm_refresh_policy_auto_due   (const QmRefreshPolicy *policy,
                                                 gboolean         focused,
                                                 gboolean         actions_running,
                                                 gint64           now);
/* Whether a refresh the player asked for may start now. */
gboolean           qm_refresh_policy_manual_allowed (const QmRefreshPolicy *policy);
/* µs from @now until an automatic refresh can be due (0: it can be now;
 * G_MAXINT64 while a load is in flight): for the window's timer. */
gint64             qm_refresh_policy_next_due   (const QmRefreshPolicy *policy,
                                                 gint64           now);

G_END_DECLS
