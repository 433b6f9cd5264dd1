/* qm-search-bar.h: the search entry with inline errors and completion
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-search.h"

G_BEGIN_DECLS

#define QM_TYPE_SEARCH_BAR (qm_search_bar_get_type ())
G_DECLARE_FINAL_TYPE (QmSearchBar, qm_search_bar, QM, SEARCH_BAR, GtkWidget)

/* A GtkSearchEntry, a line under it that says why a query is invalid (the
 * last good query stays in force), and a completion popover for filters.
 * Signal "query-changed" (no arguments) when the query in force changes;
 * the GtkFilter from qm_search_bar_get_filter() changes with it. */
GtkWidget     *qm_search_bar_new          (void);
/* A GtkFilter matching QmItems against the query in force (owned by the bar). */
GtkFilter     *qm_search_bar_get_filter   (QmSearchBar *self);
/* NULL when the text is empty (everything matches). */
QmSearchQuery *qm_search_bar_get_query    (QmSearchBar *self);
/* The entry's text; setting it runs the query as if typed (for tests). */
const char    *qm_search_bar_get_text     (QmSearchBar *self);
void           qm_search_bar_set_text     (QmSearchBar *self,
                                           const char  *text);
/* The current error message, or NULL when the text parses. */
const char    *qm_search_bar_get_error    (QmSearchBar *self);
/* Focus the entry (Ctrl+F). */
void           qm_search_bar_focus        (QmSearchBar *self);

G_END_DECLS
