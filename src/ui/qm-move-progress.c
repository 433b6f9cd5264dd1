/* qm-move-progress.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel follows the session's executor: its "steps" (the plan, made
 * again after a recovery), "current-step" and "step-done". A long plan
 * scrolls inside the panel.
 */

#define G_LOG_DOMAIN "qm-move-progress"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-move-progress.h"

#include "qm-move-describe.h"
#include "qm-move-executor.h"

#define MAX_LIST_HEIGHT 220

typedef struct
{
  GtkWidget *box;
  GtkImage  *icon;
  GtkLabel  *label;
  char      *text;
  gboolean   aside;
  QmMoveProgressStepState state;
} Row;

struct _QmMoveProgress
{
  GtkWidget         parent_instance;

  GtkWidget        *header;
  GtkSpinner       *spinner;
  GtkLabel         *title;
  GtkWidget        *cancel_button;
  GtkLabel         *note;
  GtkWidget        *scroller;
  GtkWidget        *list;

  QmMoveController *controller;
  QmMoveExecutor   *executor;     /* followed while a run goes */
  GPtrArray        *rows;         /* Row */
  gboolean          undo;
  guint             n_done;       /* of the plan shown */
};

G_DEFINE_FINAL_TYPE (QmMoveProgress, qm_move_progress, GTK_TYPE_WIDGET)

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->text);
  g_free (row);
}

static void
set_row_state (Row                     *row,
               QmMoveProgressStepState  state)
{
  row->state = state;
  switch (state)
    {
    case QM_MOVE_PROGRESS_STEP_DONE:
      gtk_image_set_from_icon_name (row->icon, "object-select-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (row->label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (row->label), "heading");
      break;
    case QM_MOVE_PROGRESS_STEP_CURRENT:
      gtk_image_set_from_icon_name (row->icon, "go-next-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (row->label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (row->label), "heading");
      break;
    case QM_MOVE_PROGRESS_STEP_PENDING:
    default:
      gtk_image_clear (row->icon);
      gtk_widget_add_css_class (GTK_WIDGET (row->label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (row->label), "heading");
      break;
    }
}

static void
update_title (QmMoveProgress *self)
{
  int current = self->executor != NULL ? qm_move_executor_get_current_step (self->executor) : -1;
  g_autofree char *title = NULL;

  if (self->rows->len == 0 || current < 0)
    title = g_strdup (self->undo ? _("Undoing the last move…") : _("Planning the move…"));
  else if (self->undo)
    /* Translators: the step being sent, then how many there are */
    title = g_strdup_printf (_("Undoing: step %d of %u"), current + 1, self->rows->len);
  else
    /* Translators: the step being sent, then how many there are */
    title = g_strdup_printf (_("Moving: step %d of %u"), current + 1, self->rows->len);
  gtk_label_set_text (self->title, title);
}

static void
update_states (QmMoveProgress *self)
{
  int current = self->executor != NULL ? qm_move_executor_get_current_step (self->executor) : -1;

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (i < self->n_done)
        set_row_state (row, QM_MOVE_PROGRESS_STEP_DONE);
      else if ((int) i == current)
        set_row_state (row, QM_MOVE_PROGRESS_STEP_CURRENT);
      else
        set_row_state (row, QM_MOVE_PROGRESS_STEP_PENDING);
    }
  update_title (self);
}

static void
clear_rows (QmMoveProgress *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_box_remove (GTK_BOX (self->list), child);
  g_ptr_array_set_size (self->rows, 0);
}

/* The plan, made or made again. */
static void
on_steps_cb (QmMoveProgress *self)
{
  GArray *steps = qm_move_executor_get_steps (self->executor);
  g_autoptr(QmMoveState) state = NULL;
  guint n_aside = 0;

  clear_rows (self);
  self->n_done = 0;
  if (steps == NULL)
    {
      update_states (self);
      return;
    }
  state = qm_move_executor_dup_state (self->executor);
  for (guint i = 0; i < steps->len; i++)
    {
      const QmMoveStep *step = &g_array_index (steps, QmMoveStep, i);
      Row *row = g_new0 (Row, 1);
      GtkWidget *text_box;

      row->text = qm_move_step_describe (state, step);
      row->aside = step->aside;
      n_aside += step->aside;
      row->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      row->icon = GTK_IMAGE (gtk_image_new ());
      gtk_image_set_pixel_size (row->icon, 16);
      gtk_widget_set_valign (GTK_WIDGET (row->icon), GTK_ALIGN_START);
      gtk_widget_set_size_request (GTK_WIDGET (row->icon), 16, 16);
      row->label = GTK_LABEL (gtk_label_new (row->text));
      gtk_label_set_xalign (row->label, 0);
      gtk_label_set_wrap (row->label, TRUE);
      gtk_label_set_wrap_mode (row->label, PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (row->label, 48);
      gtk_widget_set_hexpand (GTK_WIDGET (row->label), TRUE);
      text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_box_append (GTK_BOX (text_box), GTK_WIDGET (row->label));
      if (row->aside)
        {
          /* Not asked for: said on the row, before it runs. */
          GtkWidget *mark = gtk_label_new (_("not chosen by you"));

          gtk_label_set_xalign (GTK_LABEL (mark), 0);
          gtk_widget_add_css_class (mark, "caption");
          gtk_widget_add_css_class (mark, "move-aside");
          gtk_box_append (GTK_BOX (text_box), mark);
        }
      gtk_box_append (GTK_BOX (row->box), GTK_WIDGET (row->icon));
      gtk_box_append (GTK_BOX (row->box), text_box);
      gtk_box_append (GTK_BOX (self->list), row->box);
      g_ptr_array_add (self->rows, row);
    }

  if (n_aside > 0)
    {
      g_autofree char *note = g_strdup_printf (ngettext ("This also moves %u item you did not choose, to make the move possible.",
                                                         "This also moves %u items you did not choose, to make the move possible.",
                                                         n_aside), n_aside);

      gtk_label_set_text (self->note, note);
    }
  else
    gtk_label_set_text (self->note, "");
  gtk_widget_set_visible (GTK_WIDGET (self->note), n_aside > 0);
  update_states (self);
}

static void
on_step_done_cb (QmMoveProgress *self,
                 guint           index)
{
  /* The index counts the run's steps; the plan shown may be a later one. */
  self->n_done = MIN (self->n_done + 1, self->rows->len);
  update_states (self);
}

static void
follow_executor (QmMoveProgress *self,
                 QmMoveExecutor *executor)
{
  if (self->executor == executor)
    return;
  if (self->executor != NULL)
    g_signal_handlers_disconnect_by_data (self->executor, self);
  g_set_object (&self->executor, executor);
  if (executor != NULL)
    {
      g_signal_connect_swapped (executor, "notify::steps", G_CALLBACK (on_steps_cb), self);
      g_signal_connect_swapped (executor, "notify::current-step", G_CALLBACK (update_states), self);
      g_signal_connect_swapped (executor, "step-done", G_CALLBACK (on_step_done_cb), self);
    }
}

static void
on_started_cb (QmMoveController *controller,
               gboolean          undo,
               QmMoveProgress   *self)
{
  QmMoveExecutor *executor = qm_session_get_executor (qm_move_controller_get_session (controller));
  gboolean shown = gtk_widget_get_visible (GTK_WIDGET (self));

  follow_executor (self, executor);
  /* Runs queue: the panel shows the one going. */
  if (shown && self->executor != NULL && qm_move_executor_get_running (self->executor))
    return;
  self->undo = undo;
  clear_rows (self);
  self->n_done = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->note), FALSE);
  update_title (self);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_spinner_start (self->spinner);
  if (self->executor != NULL && qm_move_executor_get_running (self->executor))
    on_steps_cb (self);
}

static void
on_busy_cb (QmMoveProgress *self)
{
  if (qm_move_controller_get_busy (self->controller))
    return;
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  follow_executor (self, NULL);
}

static void
on_cancel_clicked_cb (QmMoveProgress *self)
{
  qm_move_controller_cancel (self->controller);
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
}

static void
on_visible_cb (QmMoveProgress *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_widget_set_sensitive (self->cancel_button, TRUE);
}

static void
qm_move_progress_dispose (GObject *object)
{
  QmMoveProgress *self = QM_MOVE_PROGRESS (object);
  GtkWidget *child;

  follow_executor (self, NULL);
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_clear_object (&self->controller);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (qm_move_progress_parent_class)->dispose (object);
}

static void
qm_move_progress_finalize (GObject *object)
{
  QmMoveProgress *self = QM_MOVE_PROGRESS (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (qm_move_progress_parent_class)->finalize (object);
}

static void
qm_move_progress_class_init (QmMoveProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_move_progress_dispose;
  object_class->finalize = qm_move_progress_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "qmmoveprogress");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
qm_move_progress_init (QmMoveProgress *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  self->rows = g_ptr_array_new_with_free_func (row_free);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self), "move-progress");

  self->header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_wrap (self->title, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "heading");
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_valign (self->cancel_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->cancel_button,
                               _("Stop after the step being sent; the inventory then shows what was done"));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->header), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (self->header), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (self->header), self->cancel_button);
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  self->note = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->note, 0);
  gtk_label_set_wrap (self->note, TRUE);
  gtk_label_set_max_width_chars (self->note, 56);
  gtk_widget_add_css_class (GTK_WIDGET (self->note), "move-aside-note");
  gtk_widget_set_visible (GTK_WIDGET (self->note), FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->note), GTK_WIDGET (self));

  self->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->scroller), MAX_LIST_HEIGHT);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->list);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Move in progress"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_signal_connect (self, "notify::visible", G_CALLBACK (on_visible_cb), NULL);
}

GtkWidget *
qm_move_progress_new (QmMoveController *controller)
{
  QmMoveProgress *self;

  g_return_val_if_fail (QM_IS_MOVE_CONTROLLER (controller), NULL);

  self = g_object_new (QM_TYPE_MOVE_PROGRESS, NULL);
  self->controller = g_object_ref (controller);
  g_signal_connect (controller, "started", G_CALLBACK (on_started_cb), self);
  g_signal_connect_swapped (controller, "notify::busy", G_CALLBACK (on_busy_cb), self);
  return GTK_WIDGET (self);
}

static Row *
get_row (QmMoveProgress *self,
         guint           index)
{
  g_return_val_if_fail (index < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, index);
}

guint
qm_move_progress_get_n_steps (QmMoveProgress *self)
{
  g_return_val_if_fail (QM_IS_MOVE_PROGRESS (self), 0);
  return self->rows->len;
}

const char *
qm_move_progress_get_step_text (QmMoveProgress *self,
                                guint           index)
{
  Row *row;

  g_return_val_if_fail (QM_IS_MOVE_PROGRESS (self), NULL);
  row = get_row (self, index);
  return row != NULL ? row->text : NULL;
}

gboolean
qm_move_progress_get_step_aside (QmMoveProgress *self,
                                 guint           index)
{
  Row *row;

  g_return_val_if_fail (QM_IS_MOVE_PROGRESS (self), FALSE);
  row = get_row (self, index);
  return row != NULL && row->aside;
}

QmMoveProgressStepState
qm_move_progress_get_step_state (QmMoveProgress *self,
                                 guint           index)
{
  Row *row;

  g_return_val_if_fail (QM_IS_MOVE_PROGRESS (self), QM_MOVE_PROGRESS_STEP_PENDING);
  row = get_row (self, index);
  return row != NULL ? row->state : QM_MOVE_PROGRESS_STEP_PENDING;
}

const char *
qm_move_progress_get_title (QmMoveProgress *self)
{
  g_return_val_if_fail (QM_IS_MOVE_PROGRESS (self), NULL);
  return gtk_label_get_text (self->title);
}

const char *
qm_move_progress_get_note (QmMoveProgress *self)
{
  g_return_val_if_fail (QM_IS_MOVE_PROGRESS (self), NULL);
  return gtk_label_get_text (self->note);
}

GtkWidget *
qm_move_progress_get_cancel_button (QmMoveProgress *self)
{
  g_return_val_if_fail (QM_IS_MOVE_PROGRESS (self), NULL);
  return self->cancel_button;
}
