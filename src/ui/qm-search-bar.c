/* qm-search-bar.c: the search entry with inline errors and completion
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-search-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-search-bar.h"

/* Enough to show every is: filter after "is:" (the list scrolls). */
#define MAX_COMPLETIONS 64

struct _QmSearchBar
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkSearchEntry *entry;
  GtkLabel       *error_label;
  GtkPopover     *popover;
  GtkListView    *list_view;

  GtkStringList  *completions;
  GtkSingleSelection *selection;
  GtkCustomFilter *filter;
  QmSearchQuery  *query;       /* in force; NULL matches everything */
  char           *parsed_text; /* the text last parsed, good or bad */
  char           *error;
  guint           complete_idle;
  guint           apply_idle;
};

G_DEFINE_FINAL_TYPE (QmSearchBar, qm_search_bar, GTK_TYPE_WIDGET)

enum {
  QUERY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  QmSearchBar *self = user_data;

  return self->query == NULL || qm_search_query_matches (self->query, QM_ITEM (item));
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* The part of the entry the error is about, underlined. */
static void
show_error_range (QmSearchBar *self,
                  const char  *text,
                  int          start,
                  int          end)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (self->entry));
  PangoAttrList *attrs = NULL;

  if (!GTK_IS_TEXT (delegate))
    return;
  if (start >= 0 && end > start)
    {
      glong length = g_utf8_strlen (text, -1);
      PangoAttribute *attr;

      attrs = pango_attr_list_new ();
      attr = pango_attr_underline_new (PANGO_UNDERLINE_ERROR);
      attr->start_index = g_utf8_offset_to_pointer (text, MIN (start, length)) - text;
      attr->end_index = g_utf8_offset_to_pointer (text, MIN (end, length)) - text;
      pango_attr_list_insert (attrs, attr);
    }
  gtk_text_set_attributes (GTK_TEXT (delegate), attrs);
  g_clear_pointer (&attrs, pango_attr_list_unref);
}

static void
set_error (QmSearchBar *self,
           const char  *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* Parse @text and, when it is valid, put it in force. An invalid query
 * says why under the entry and leaves the previous one in force, so the
 * views do not flash empty while a filter is being typed. */
static void
apply_text (QmSearchBar *self,
            const char  *text)
{
  g_autoptr(GError) error = NULL;
  QmSearchQuery *query;
  GtkFilterChange change;
  int error_start = -1;
  int error_end = -1;

  if (g_strcmp0 (text, self->parsed_text) == 0)
    return;
  g_free (self->parsed_text);
  self->parsed_text = g_strdup (text);

  query = qm_search_query_parse (text, &error_start, &error_end, &error);
  if (query == NULL)
    {
      set_error (self, error->message);
      show_error_range (self, text, error_start, error_end);
      return;
    }
  set_error (self, NULL);
  show_error_range (self, text, -1, -1);

  if (is_blank (text))
    g_clear_pointer (&query, qm_search_query_free);

  if (self->query == NULL && query == NULL)
    return;
  if (self->query == NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (query == NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;
  g_clear_pointer (&self->query, qm_search_query_free);
  self->query = query;
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  g_signal_emit (self, signals[QUERY_CHANGED], 0);
}

static gboolean
apply_idle_cb (gpointer data)
{
  QmSearchBar *self = data;

  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  self->apply_idle = 0;
  /* Only a text that is still empty: the first keystroke of a replacement
   * is not a query of its own; the entry's "search-changed" brings the
   * typed text after its delay. */
  if (*text == '\0')
    apply_text (self, text);
  return G_SOURCE_REMOVE;
}

static void
on_search_changed_cb (QmSearchBar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  /* GtkSearchEntry reports an empty text at once, also in the middle of a
   * replacement (select all, then type or paste): wait for the edit to end
   * rather than drop the query in force for a moment. */
  if (*text == '\0')
    {
      if (self->apply_idle == 0)
        self->apply_idle = g_idle_add (apply_idle_cb, self);
      return;
    }
  apply_text (self, text);
}

/* Completion */

static gboolean
entry_has_focus (QmSearchBar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL
         && (focus == GTK_WIDGET (self->entry)
             || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->entry)));
}

static void
hide_completions (QmSearchBar *self)
{
  g_clear_handle_id (&self->complete_idle, g_source_remove);
  gtk_popover_popdown (self->popover);
}

/* Byte offsets of the word under the cursor, the one a completion replaces. */
static void
get_word (QmSearchBar *self,
          gsize       *start,
          gsize       *cursor)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  int position = gtk_editable_get_position (GTK_EDITABLE (self->entry));

  *cursor = g_utf8_offset_to_pointer (text, MIN (position, g_utf8_strlen (text, -1))) - text;
  *start = qm_search_word_start (text, *cursor);
}

static void
update_completions (QmSearchBar *self)
{
  g_auto(GStrv) candidates = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  gsize start;
  gsize cursor;

  if (!entry_has_focus (self))
    {
      hide_completions (self);
      return;
    }
  get_word (self, &start, &cursor);
  candidates = qm_search_complete (text, cursor, MAX_COMPLETIONS);
  gtk_string_list_splice (self->completions, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->completions)),
                          (const char * const *) candidates);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  if (candidates[0] == NULL)
    gtk_popover_popdown (self->popover);
  else
    gtk_popover_popup (self->popover);
}

static gboolean
complete_idle_cb (gpointer data)
{
  QmSearchBar *self = data;

  self->complete_idle = 0;
  update_completions (self);
  return G_SOURCE_REMOVE;
}

/* The cursor has not always moved yet when "changed" is emitted: look at
 * the word once the edit is over. */
static void
on_changed_cb (QmSearchBar *self)
{
  if (self->complete_idle == 0)
    self->complete_idle = g_idle_add (complete_idle_cb, self);
}

static void
accept_completion (QmSearchBar *self,
                   guint        position)
{
  GtkEditable *editable = GTK_EDITABLE (self->entry);
  const char *candidate = gtk_string_list_get_string (self->completions, position);
  g_autofree char *replacement = NULL;
  const char *text;
  gsize start;
  gsize cursor;
  int start_pos;
  int end_pos;

  if (candidate == NULL)
    return;
  text = gtk_editable_get_text (editable);
  get_word (self, &start, &cursor);
  /* A finished filter is followed by a space, ready for the next one; a
   * key ("power:") waits for its value. */
  if (g_str_has_suffix (candidate, ":") || g_ascii_isspace (text[cursor]))
    replacement = g_strdup (candidate);
  else
    replacement = g_strconcat (candidate, " ", NULL);

  start_pos = g_utf8_pointer_to_offset (text, text + start);
  end_pos = g_utf8_pointer_to_offset (text, text + cursor);
  hide_completions (self);
  gtk_editable_delete_text (editable, start_pos, end_pos);
  gtk_editable_insert_text (editable, replacement, -1, &start_pos);
  gtk_editable_set_position (editable, start_pos);
  if (g_str_has_suffix (replacement, " "))
    hide_completions (self);
}

static void
move_selection (QmSearchBar *self,
                int          delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->completions));
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (n == 0)
    return;
  if (selected == GTK_INVALID_LIST_POSITION)
    selected = delta > 0 ? 0 : n - 1;
  else
    selected = (selected + n + delta) % n;
  gtk_single_selection_set_selected (self->selection, selected);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", selected);
}

static gboolean
on_key_pressed_cb (QmSearchBar     *self,
                   guint            keyval,
                   guint            keycode,
                   GdkModifierType  state)
{
  guint selected;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return GDK_EVENT_PROPAGATE;
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  selected = gtk_single_selection_get_selected (self->selection);
  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_selection (self, 1);
      return GDK_EVENT_STOP;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_selection (self, -1);
      return GDK_EVENT_STOP;
    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
      accept_completion (self, selected != GTK_INVALID_LIST_POSITION ? selected : 0);
      return GDK_EVENT_STOP;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      /* Enter only takes a completion picked with the arrows; otherwise it
       * is the entry's own "activate". */
      if (selected == GTK_INVALID_LIST_POSITION)
        return GDK_EVENT_PROPAGATE;
      accept_completion (self, selected);
      return GDK_EVENT_STOP;
    case GDK_KEY_Escape:
      hide_completions (self);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
on_list_activate_cb (QmSearchBar *self,
                     guint        position)
{
  accept_completion (self, position);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
on_activate_cb (QmSearchBar *self)
{
  /* Enter applies the query at once, without the search delay. */
  hide_completions (self);
  apply_text (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

static void
on_stop_search_cb (QmSearchBar *self)
{
  hide_completions (self);
}

static void
on_focus_leave_cb (QmSearchBar *self)
{
  hide_completions (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)),
                      gtk_string_object_get_string (string));
}

/* GtkWidget */

static void
qm_search_bar_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  QmSearchBar *self = QM_SEARCH_BAR (widget);

  gtk_widget_measure (self->box, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
qm_search_bar_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  QmSearchBar *self = QM_SEARCH_BAR (widget);
  graphene_rect_t bounds;

  gtk_widget_allocate (self->box, width, height, baseline, NULL);

  /* The popover hangs under the entry, not under the error line. */
  if (gtk_widget_compute_bounds (GTK_WIDGET (self->entry), widget, &bounds))
    gtk_popover_set_pointing_to (self->popover,
                                 &(GdkRectangle) {
                                   (int) bounds.origin.x, (int) bounds.origin.y,
                                   (int) bounds.size.width, (int) bounds.size.height,
                                 });
  gtk_popover_present (self->popover);
}

static gboolean
qm_search_bar_grab_focus (GtkWidget *widget)
{
  QmSearchBar *self = QM_SEARCH_BAR (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
qm_search_bar_dispose (GObject *object)
{
  QmSearchBar *self = QM_SEARCH_BAR (object);
  GtkWidget *child;

  g_clear_handle_id (&self->complete_idle, g_source_remove);
  g_clear_handle_id (&self->apply_idle, g_source_remove);
  /* The filter may outlive the bar in a filter model: it then matches
   * everything instead of reaching into a freed bar. */
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  g_clear_object (&self->filter);
  g_clear_object (&self->selection);
  self->completions = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_SEARCH_BAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (qm_search_bar_parent_class)->dispose (object);
}

static void
qm_search_bar_finalize (GObject *object)
{
  QmSearchBar *self = QM_SEARCH_BAR (object);

  g_clear_pointer (&self->query, qm_search_query_free);
  g_free (self->parsed_text);
  g_free (self->error);

  G_OBJECT_CLASS (qm_search_bar_parent_class)->finalize (object);
}

static void
qm_search_bar_class_init (QmSearchBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_search_bar_dispose;
  object_class->finalize = qm_search_bar_finalize;

  widget_class->measure = qm_search_bar_measure;
  widget_class->size_allocate = qm_search_bar_size_allocate;
  widget_class->grab_focus = qm_search_bar_grab_focus;

  signals[QUERY_CHANGED] =
    g_signal_new ("query-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-search-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, QmSearchBar, box);
  gtk_widget_class_bind_template_child (widget_class, QmSearchBar, entry);
  gtk_widget_class_bind_template_child (widget_class, QmSearchBar, error_label);
  gtk_widget_class_bind_template_child (widget_class, QmSearchBar, popover);
  gtk_widget_class_bind_template_child (widget_class, QmSearchBar, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_focus_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_set_css_name (widget_class, "qmsearchbar");
}

static void
qm_search_bar_init (QmSearchBar *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);

  self->completions = gtk_string_list_new (NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->completions));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search items"),
                                  -1);
}

GtkWidget *
qm_search_bar_new (void)
{
  return g_object_new (QM_TYPE_SEARCH_BAR, NULL);
}

GtkFilter *
qm_search_bar_get_filter (QmSearchBar *self)
{
  g_return_val_if_fail (QM_IS_SEARCH_BAR (self), NULL);

  return GTK_FILTER (self->filter);
}

QmSearchQuery *
qm_search_bar_get_query (QmSearchBar *self)
{
  g_return_val_if_fail (QM_IS_SEARCH_BAR (self), NULL);

  return self->query;
}

const char *
qm_search_bar_get_text (QmSearchBar *self)
{
  g_return_val_if_fail (QM_IS_SEARCH_BAR (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

void
qm_search_bar_set_text (QmSearchBar *self,
                        const char  *text)
{
  g_return_if_fail (QM_IS_SEARCH_BAR (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  apply_text (self, text);
}

const char *
qm_search_bar_get_error (QmSearchBar *self)
{
  g_return_val_if_fail (QM_IS_SEARCH_BAR (self), NULL);

  return self->error;
}

void
qm_search_bar_focus (QmSearchBar *self)
{
  g_return_if_fail (QM_IS_SEARCH_BAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}
