/* qm-xur.c: Xûr's stock for the week, or when he comes back
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-xur"

#include "config.h"

#include "qm-xur.h"

#include <glib/gi18n-lib.h>

#include "qm-error.h"
#include "qm-json.h"

#define SECONDS_PER_DAY (24 * 60 * 60)
/* Xûr comes on Fridays and leaves at the weekly reset on Tuesdays, 17:00 UTC. */
#define ARRIVAL_WEEKDAY 5
#define RESET_WEEKDAY   2
#define RESET_HOUR      17
/* A nextRefreshDate further away than this is a placeholder, not a date. */
#define MAX_REFRESH_DAYS 14

/* ---------------------------------------------------------------------- */
/* QmVendorSale                                                            */

struct _QmVendorSale
{
  GObject   parent_instance;

  guint32   vendor_hash;
  int       vendor_item_index;
  guint32   hash;
  int       quantity;
  char     *name;
  char     *item_type_name;
  char     *tier_name;
  int       tier_type;
  char     *icon;
  int       power;
  gboolean  owned;
  gboolean  affordable;
  int       sale_status;
  int       augments;
  GArray   *costs;  /* QmCost */
  GArray   *stats;  /* QmSaleStat */
  GArray   *plugs;  /* QmSalePlug */
};

G_DEFINE_FINAL_TYPE (QmVendorSale, qm_vendor_sale, G_TYPE_OBJECT)

enum {
  SALE_PROP_0,
  SALE_PROP_VENDOR_HASH,
  SALE_PROP_VENDOR_ITEM_INDEX,
  SALE_PROP_HASH,
  SALE_PROP_QUANTITY,
  SALE_PROP_NAME,
  SALE_PROP_ITEM_TYPE_NAME,
  SALE_PROP_TIER_NAME,
  SALE_PROP_TIER_TYPE,
  SALE_PROP_ICON,
  SALE_PROP_POWER,
  SALE_PROP_OWNED,
  SALE_PROP_AFFORDABLE,
  SALE_PROP_SALE_STATUS,
  SALE_PROP_AUGMENTS,
  SALE_PROP_N_COSTS,
  N_SALE_PROPS
};

static GParamSpec *sale_properties[N_SALE_PROPS];

static void
cost_clear (gpointer data)
{
  QmCost *cost = data;

  g_free (cost->name);
  g_free (cost->icon);
}

static void
stat_clear (gpointer data)
{
  QmSaleStat *stat = data;

  g_free (stat->name);
}

static void
plug_clear (gpointer data)
{
  QmSalePlug *plug = data;

  g_free (plug->name);
  g_free (plug->icon);
}

static void
qm_vendor_sale_finalize (GObject *object)
{
  QmVendorSale *self = QM_VENDOR_SALE (object);

  g_free (self->name);
  g_free (self->item_type_name);
  g_free (self->tier_name);
  g_free (self->icon);
  g_array_unref (self->costs);
  g_array_unref (self->stats);
  g_array_unref (self->plugs);

  G_OBJECT_CLASS (qm_vendor_sale_parent_class)->finalize (object);
}

static void
qm_vendor_sale_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  QmVendorSale *self = QM_VENDOR_SALE (object);

  switch (prop_id)
    {
    case SALE_PROP_VENDOR_HASH:
      g_value_set_uint (value, self->vendor_hash);
      break;
    case SALE_PROP_VENDOR_ITEM_INDEX:
      g_value_set_int (value, self->vendor_item_index);
      break;
    case SALE_PROP_HASH:
      g_value_set_uint (value, self->hash);
      break;
    case SALE_PROP_QUANTITY:
      g_value_set_int (value, self->quantity);
      break;
    case SALE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case SALE_PROP_ITEM_TYPE_NAME:
      g_value_set_string (value, self->item_type_name);
      break;
    case SALE_PROP_TIER_NAME:
      g_value_set_string (value, self->tier_name);
      break;
    case SALE_PROP_TIER_TYPE:
      g_value_set_int (value, self->tier_type);
      break;
    case SALE_PROP_ICON:
      g_value_set_string (value, self->icon);
      break;
    case SALE_PROP_POWER:
      g_value_set_int (value, self->power);
      break;
    case SALE_PROP_OWNED:
      g_value_set_boolean (value, self->owned);
      break;
    case SALE_PROP_AFFORDABLE:
      g_value_set_boolean (value, self->affordable);
      break;
    case SALE_PROP_SALE_STATUS:
      g_value_set_int (value, self->sale_status);
      break;
    case SALE_PROP_AUGMENTS:
      g_value_set_int (value, self->augments);
      break;
    case SALE_PROP_N_COSTS:
      g_value_set_uint (value, self->costs->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
readable_int (const char *name,
              int         minimum,
              int         fallback)
{
  return g_param_spec_int (name, NULL, NULL, minimum, G_MAXINT, fallback,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
readable_uint (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT32, 0,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
readable_string (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
readable_boolean (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
qm_vendor_sale_class_init (QmVendorSaleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_vendor_sale_finalize;
  object_class->get_property = qm_vendor_sale_get_property;

  sale_properties[SALE_PROP_VENDOR_HASH] = readable_uint ("vendor-hash");
  sale_properties[SALE_PROP_VENDOR_ITEM_INDEX] = readable_int ("vendor-item-index", G_MININT, 0);
  sale_properties[SALE_PROP_HASH] = readable_uint ("hash");
  sale_properties[SALE_PROP_QUANTITY] = readable_int ("quantity", 0, 1);
  sale_properties[SALE_PROP_NAME] = readable_string ("name");
  sale_properties[SALE_PROP_ITEM_TYPE_NAME] = readable_string ("item-type-name");
  sale_properties[SALE_PROP_TIER_NAME] = readable_string ("tier-name");
  sale_properties[SALE_PROP_TIER_TYPE] = readable_int ("tier-type", G_MININT, 0);
  sale_properties[SALE_PROP_ICON] = readable_string ("icon");
  sale_properties[SALE_PROP_POWER] = readable_int ("power", -1, -1);
  sale_properties[SALE_PROP_OWNED] = readable_boolean ("owned");
  sale_properties[SALE_PROP_AFFORDABLE] = readable_boolean ("affordable");
  sale_properties[SALE_PROP_SALE_STATUS] = readable_int ("sale-status", G_MININT, 0);
  sale_properties[SALE_PROP_AUGMENTS] = readable_int ("augments", G_MININT, 0);
  sale_properties[SALE_PROP_N_COSTS] = readable_uint ("n-costs");

  g_object_class_install_properties (object_class, N_SALE_PROPS, sale_properties);
}

static void
qm_vendor_sale_init (QmVendorSale *self)
{
  self->quantity = 1;
  self->power = -1;
  self->affordable = TRUE;
  self->costs = g_array_new (FALSE, TRUE, sizeof (QmCost));
  g_array_set_clear_func (self->costs, cost_clear);
  self->stats = g_array_new (FALSE, TRUE, sizeof (QmSaleStat));
  g_array_set_clear_func (self->stats, stat_clear);
  self->plugs = g_array_new (FALSE, TRUE, sizeof (QmSalePlug));
  g_array_set_clear_func (self->plugs, plug_clear);
}

guint32
qm_vendor_sale_get_vendor_hash (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), 0);
  return self->vendor_hash;
}

const char *
qm_xur_vendor_title (guint32 vendor_hash)
{
  if (vendor_hash == QM_XUR_STRANGE_GEAR_VENDOR_HASH)
    return _("Strange Gear Offers");
  return _("Xûr’s Wares");
}

int
qm_vendor_sale_get_vendor_item_index (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), 0);
  return self->vendor_item_index;
}

guint32
qm_vendor_sale_get_hash (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), 0);
  return self->hash;
}

int
qm_vendor_sale_get_quantity (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), 0);
  return self->quantity;
}

const char *
qm_vendor_sale_get_name (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), NULL);
  return self->name;
}

const char *
qm_vendor_sale_get_item_type_name (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), NULL);
  return self->item_type_name;
}

const char *
qm_vendor_sale_get_tier_name (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), NULL);
  return self->tier_name;
}

int
qm_vendor_sale_get_tier_type (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), 0);
  return self->tier_type;
}

const char *
qm_vendor_sale_get_icon (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), NULL);
  return self->icon;
}

int
qm_vendor_sale_get_power (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), -1);
  return self->power;
}

gboolean
qm_vendor_sale_get_owned (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), FALSE);
  return self->owned;
}

gboolean
qm_vendor_sale_get_affordable (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), FALSE);
  return self->affordable;
}

int
qm_vendor_sale_get_sale_status (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), 0);
  return self->sale_status;
}

int
qm_vendor_sale_get_augments (QmVendorSale *self)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), 0);
  return self->augments;
}

static gconstpointer
array_data (GArray *array,
            guint  *n_out)
{
  if (n_out != NULL)
    *n_out = array->len;
  return array->len > 0 ? array->data : NULL;
}

/**
 * qm_vendor_sale_get_costs:
 * @n_costs: (out) (optional): the number of costs
 *
 * Returns: (transfer none) (array length=n_costs) (nullable): the costs
 */
const QmCost *
qm_vendor_sale_get_costs (QmVendorSale *self,
                          guint        *n_costs)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), NULL);
  return array_data (self->costs, n_costs);
}

const QmSaleStat *
qm_vendor_sale_get_stats (QmVendorSale *self,
                          guint        *n_stats)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), NULL);
  return array_data (self->stats, n_stats);
}

const QmSalePlug *
qm_vendor_sale_get_plugs (QmVendorSale *self,
                          guint        *n_plugs)
{
  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), NULL);
  return array_data (self->plugs, n_plugs);
}

/**
 * qm_vendor_sale_dup_costs_text:
 *
 * Returns: (transfer full): the costs in words, "" when the sale is free
 */
char *
qm_vendor_sale_dup_costs_text (QmVendorSale *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (QM_IS_VENDOR_SALE (self), NULL);

  for (guint i = 0; i < self->costs->len; i++)
    {
      const QmCost *cost = &g_array_index (self->costs, QmCost, i);

      if (i > 0)
        g_string_append (text, ", ");
      if (cost->name != NULL)
        /* Translators: a price, e.g. "23 Strange Coin". */
        g_string_append_printf (text, _("%d %s"), cost->quantity, cost->name);
      else
        /* Translators: a price in a currency whose name is not known. */
        g_string_append_printf (text, _("%d × item %u"), cost->quantity, cost->hash);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---------------------------------------------------------------------- */
/* QmXur                                                                   */

struct _QmXur
{
  GObject     parent_instance;

  gboolean    present;
  GDateTime  *arrives;
  GDateTime  *departs;
  GDateTime  *next_arrival;
  char       *location;
  GListStore *sales;
};

G_DEFINE_FINAL_TYPE (QmXur, qm_xur, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PRESENT,
  PROP_ARRIVES,
  PROP_DEPARTS,
  PROP_NEXT_ARRIVAL,
  PROP_LOCATION,
  PROP_SALES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
qm_xur_finalize (GObject *object)
{
  QmXur *self = QM_XUR (object);

  g_clear_pointer (&self->arrives, g_date_time_unref);
  g_clear_pointer (&self->departs, g_date_time_unref);
  g_clear_pointer (&self->next_arrival, g_date_time_unref);
  g_free (self->location);
  g_object_unref (self->sales);

  G_OBJECT_CLASS (qm_xur_parent_class)->finalize (object);
}

static void
qm_xur_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  QmXur *self = QM_XUR (object);

  switch (prop_id)
    {
    case PROP_PRESENT:
      g_value_set_boolean (value, self->present);
      break;
    case PROP_ARRIVES:
      g_value_set_boxed (value, self->arrives);
      break;
    case PROP_DEPARTS:
      g_value_set_boxed (value, self->departs);
      break;
    case PROP_NEXT_ARRIVAL:
      g_value_set_boxed (value, self->next_arrival);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_SALES:
      g_value_set_object (value, self->sales);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
readable_date_time (const char *name)
{
  return g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE_TIME,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
qm_xur_class_init (QmXurClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_xur_finalize;
  object_class->get_property = qm_xur_get_property;

  properties[PROP_PRESENT] = readable_boolean ("present");
  properties[PROP_ARRIVES] = readable_date_time ("arrives");
  properties[PROP_DEPARTS] = readable_date_time ("departs");
  properties[PROP_NEXT_ARRIVAL] = readable_date_time ("next-arrival");
  properties[PROP_LOCATION] = readable_string ("location");
  properties[PROP_SALES] = g_param_spec_object ("sales", NULL, NULL, G_TYPE_LIST_MODEL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qm_xur_init (QmXur *self)
{
  self->sales = g_list_store_new (QM_TYPE_VENDOR_SALE);
}

gboolean
qm_xur_get_present (QmXur *self)
{
  g_return_val_if_fail (QM_IS_XUR (self), FALSE);
  return self->present;
}

/**
 * qm_xur_get_arrives:
 *
 * Returns: (transfer none) (nullable): when this stay began (UTC)
 */
GDateTime *
qm_xur_get_arrives (QmXur *self)
{
  g_return_val_if_fail (QM_IS_XUR (self), NULL);
  return self->arrives;
}

/**
 * qm_xur_get_departs:
 *
 * Returns: (transfer none) (nullable): when he leaves (UTC)
 */
GDateTime *
qm_xur_get_departs (QmXur *self)
{
  g_return_val_if_fail (QM_IS_XUR (self), NULL);
  return self->departs;
}

/**
 * qm_xur_get_next_arrival:
 *
 * Returns: (transfer none) (nullable): when an absent Xûr returns (UTC)
 */
GDateTime *
qm_xur_get_next_arrival (QmXur *self)
{
  g_return_val_if_fail (QM_IS_XUR (self), NULL);
  return self->next_arrival;
}

const char *
qm_xur_get_location (QmXur *self)
{
  g_return_val_if_fail (QM_IS_XUR (self), NULL);
  return self->location;
}

/**
 * qm_xur_get_sales:
 *
 * Returns: (transfer none): a #GListModel of #QmVendorSale
 */
GListModel *
qm_xur_get_sales (QmXur *self)
{
  g_return_val_if_fail (QM_IS_XUR (self), NULL);
  return G_LIST_MODEL (self->sales);
}

/* ---------------------------------------------------------------------- */
/* Time                                                                    */

/* @day's date at @hour:00 UTC. */
static GDateTime *
utc_day_at (GDateTime *day,
            int        hour)
{
  return g_date_time_new_utc (g_date_time_get_year (day),
                              g_date_time_get_month (day),
                              g_date_time_get_day_of_month (day),
                              hour, 0, 0);
}

/* The first @weekday at RESET_HOUR UTC strictly after @instant. */
static GDateTime *
next_weekday_after (GDateTime *instant,
                    int        weekday)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (instant);
  g_autoptr(GDateTime) day = utc_day_at (utc, RESET_HOUR);
  int days = (weekday - g_date_time_get_day_of_week (day) + 7) % 7;
  g_autoptr(GDateTime) candidate = g_date_time_add_days (day, days);

  if (g_date_time_compare (candidate, utc) <= 0)
    return g_date_time_add_days (candidate, 7);
  return g_steal_pointer (&candidate);
}

/**
 * qm_xur_next_arrival:
 * @now: the current instant, in any zone
 * @next_refresh: (nullable): the vendor's nextRefreshDate
 *
 * Returns: (transfer full): when Xûr comes back, in UTC
 */
GDateTime *
qm_xur_next_arrival (GDateTime *now,
                     GDateTime *next_refresh)
{
  g_autoptr(GDateTime) limit = NULL;

  g_return_val_if_fail (now != NULL, NULL);

  limit = g_date_time_add_days (now, MAX_REFRESH_DAYS);
  if (next_refresh != NULL && g_date_time_compare (next_refresh, now) > 0 &&
      g_date_time_compare (next_refresh, limit) <= 0)
    return g_date_time_to_utc (next_refresh);
  return next_weekday_after (now, ARRIVAL_WEEKDAY);
}

/**
 * qm_xur_arrival_before:
 *
 * Returns: (transfer full): the last Friday 17:00 UTC at or before @departs
 */
GDateTime *
qm_xur_arrival_before (GDateTime *departs)
{
  g_autoptr(GDateTime) week_before = NULL;

  g_return_val_if_fail (departs != NULL, NULL);

  week_before = g_date_time_add_days (departs, -7);
  return next_weekday_after (week_before, ARRIVAL_WEEKDAY);
}

void
qm_xur_split_countdown (GDateTime *now,
                        GDateTime *target,
                        int       *days,
                        int       *hours,
                        int       *minutes,
                        int       *seconds)
{
  gint64 left = 0;

  if (now != NULL && target != NULL)
    left = MAX (g_date_time_difference (target, now) / G_TIME_SPAN_SECOND, 0);
  if (days != NULL)
    *days = (int) (left / SECONDS_PER_DAY);
  if (hours != NULL)
    *hours = (int) (left % SECONDS_PER_DAY / 3600);
  if (minutes != NULL)
    *minutes = (int) (left % 3600 / 60);
  if (seconds != NULL)
    *seconds = (int) (left % 60);
}

/* ---------------------------------------------------------------------- */
/* Parsing                                                                 */

static const struct
{
  guint32     hash;
  const char *name;
} known_stats[] = {
  { 2996146975u, N_("Mobility") },
  { 392767087u, N_("Resilience") },
  { 1943323491u, N_("Recovery") },
  { 1735777505u, N_("Discipline") },
  { 144602215u, N_("Intellect") },
  { 4244567218u, N_("Strength") },
  { 4043523819u, N_("Impact") },
  { 1240592695u, N_("Range") },
  { 155624089u, N_("Stability") },
  { 943549884u, N_("Handling") },
  { 4188031367u, N_("Reload Speed") },
  { 3871231066u, N_("Magazine") },
  { 4284893193u, N_("Rounds Per Minute") },
  { QM_STAT_POWER, N_("Power") },
};

/**
 * qm_stat_get_name:
 *
 * Returns: (nullable): the English name (marked with N_(): translate it with
 *   _()), or %NULL for a stat not known here
 */
const char *
qm_stat_get_name (guint32 stat_hash)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_stats); i++)
    if (known_stats[i].hash == stat_hash)
      return known_stats[i].name;
  return NULL;
}

static guint
stat_rank (guint32 stat_hash)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_stats); i++)
    if (known_stats[i].hash == stat_hash)
      return i;
  return G_N_ELEMENTS (known_stats);
}

/* What the parser consults: the player's holdings and the definitions. */
typedef struct
{
  QmManifest *manifest;     /* nullable */
  GHashTable *held;         /* item hash -> total quantity usable for payment */
  GHashTable *owned;        /* item hash set: anywhere in the profile */
  gboolean    has_profile;
} Context;

static void
context_clear (Context *ctx)
{
  g_clear_pointer (&ctx->held, g_hash_table_unref);
  g_clear_pointer (&ctx->owned, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Context, context_clear)

static void
context_add_item (Context *ctx,
                  QmItem  *item)
{
  gpointer key = GUINT_TO_POINTER (qm_item_get_hash (item));
  gint64 total;

  g_hash_table_add (ctx->owned, key);
  /* Items waiting at the postmaster cannot pay for anything. */
  if (qm_item_get_location (item) == QM_ITEM_LOCATION_POSTMASTER)
    return;
  total = GPOINTER_TO_SIZE (g_hash_table_lookup (ctx->held, key));
  total = MIN (total + qm_item_get_quantity (item), G_MAXINT32);
  g_hash_table_insert (ctx->held, key, GSIZE_TO_POINTER ((gsize) total));
}

static void
context_init (Context    *ctx,
              QmProfile  *profile,
              QmManifest *manifest)
{
  GListModel *items;

  ctx->manifest = manifest;
  ctx->held = g_hash_table_new (g_direct_hash, g_direct_equal);
  ctx->owned = g_hash_table_new (g_direct_hash, g_direct_equal);
  ctx->has_profile = profile != NULL;
  if (profile == NULL)
    return;
  items = qm_profile_get_items (profile);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      context_add_item (ctx, item);
    }
}

/* The definition of @hash; NULL when unknown (the sale then shows as such). */
static const QmItemDefinition *
context_lookup (Context          *ctx,
                guint32           hash,
                QmItemDefinition *def)
{
  if (ctx->manifest == NULL)
    return NULL;
  *def = qm_manifest_get_item (ctx->manifest, hash);
  return def->known ? def : NULL;
}

static gint64
context_held (Context *ctx,
              guint32  hash)
{
  return GPOINTER_TO_SIZE (g_hash_table_lookup (ctx->held, GUINT_TO_POINTER (hash)));
}

static JsonObject *
component_data (JsonObject *response,
                const char *component)
{
  return qm_json_path_object (response, component, "data", NULL);
}

/* An item component of the sale at @key, e.g. itemComponents.stats.data[key]. */
static JsonObject *
item_component (JsonObject *response,
                const char *component,
                const char *key)
{
  return qm_json_path_object (response, "itemComponents", component, "data", key, NULL);
}

static int
clamp_int (gint64 value,
           int    minimum)
{
  return (int) CLAMP (value, minimum, G_MAXINT32);
}

static void
sale_add_costs (QmVendorSale *sale,
                JsonArray    *costs,
                Context      *ctx)
{
  guint n = costs != NULL ? json_array_get_length (costs) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (costs, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const QmItemDefinition *def;
      QmItemDefinition storage;
      QmCost cost = { 0 };

      if (object == NULL || (cost.hash = qm_json_get_hash (object, "itemHash")) == 0)
        continue;
      cost.quantity = clamp_int (qm_json_get_int (object, "quantity", 0), 0);
      def = context_lookup (ctx, cost.hash, &storage);
      if (def != NULL)
        {
          cost.name = g_strdup (def->name);
          cost.icon = g_strdup (def->icon);
        }
      g_array_append_val (sale->costs, cost);
    }
}

static void
sale_add_stats (QmVendorSale *sale,
                JsonObject   *stats_entry)
{
  JsonObject *stats = qm_json_get_object (stats_entry, "stats");
  JsonObjectIter iter;
  JsonNode *node;

  if (stats == NULL)
    return;
  json_object_iter_init (&iter, stats);
  while (json_object_iter_next (&iter, NULL, &node))
    {
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      QmSaleStat stat = { 0 };

      if (object == NULL || (stat.stat_hash = qm_json_get_hash (object, "statHash")) == 0)
        continue;
      stat.value = clamp_int (qm_json_get_int (object, "value", 0), G_MININT32);
      stat.name = g_strdup (qm_stat_get_name (stat.stat_hash));
      g_array_append_val (sale->stats, stat);
    }
}

static int
compare_stats (gconstpointer a,
               gconstpointer b)
{
  const QmSaleStat *stat_a = a;
  const QmSaleStat *stat_b = b;
  guint rank_a = stat_rank (stat_a->stat_hash);
  guint rank_b = stat_rank (stat_b->stat_hash);

  if (rank_a != rank_b)
    return rank_a < rank_b ? -1 : 1;
  return (stat_a->stat_hash > stat_b->stat_hash) - (stat_a->stat_hash < stat_b->stat_hash);
}

static void
sale_add_plugs (QmVendorSale *sale,
                JsonObject   *sockets_entry,
                Context      *ctx)
{
  JsonArray *sockets = qm_json_get_array (sockets_entry, "sockets");
  guint n = sockets != NULL ? json_array_get_length (sockets) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (sockets, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const QmItemDefinition *def;
      QmItemDefinition storage;
      QmSalePlug plug = { 0 };

      if (object == NULL || (plug.hash = qm_json_get_hash (object, "plugHash")) == 0 ||
          !qm_json_get_bool (object, "isVisible", TRUE))
        continue;
      def = context_lookup (ctx, plug.hash, &storage);
      if (def != NULL)
        {
          plug.name = g_strdup (def->name);
          plug.icon = g_strdup (def->icon);
        }
      g_array_append_val (sale->plugs, plug);
    }
}

static void
sale_apply_definition (QmVendorSale *sale,
                       Context      *ctx)
{
  QmItemDefinition storage;
  const QmItemDefinition *def = context_lookup (ctx, sale->hash, &storage);

  if (def == NULL)
    return;
  sale->name = g_strdup (def->name);
  sale->item_type_name = g_strdup (def->item_type_name);
  sale->tier_name = g_strdup (def->tier_name);
  sale->tier_type = def->tier_type;
  sale->icon = g_strdup (def->icon);
}

static gboolean
sale_is_affordable (QmVendorSale *sale,
                    Context      *ctx)
{
  if ((sale->sale_status & QM_VENDOR_ITEM_STATUS_NO_FUNDS) != 0)
    return FALSE;
  if (!ctx->has_profile)
    return TRUE;
  for (guint i = 0; i < sale->costs->len; i++)
    {
      const QmCost *cost = &g_array_index (sale->costs, QmCost, i);

      if (context_held (ctx, cost->hash) < cost->quantity)
        return FALSE;
    }
  return TRUE;
}

static void
sale_add_instance (QmVendorSale *sale,
                   JsonObject   *response,
                   const char   *key,
                   Context      *ctx)
{
  JsonObject *instance = item_component (response, "instances", key);
  JsonObject *primary = qm_json_get_object (instance, "primaryStat");
  JsonObject *stats = item_component (response, "stats", key);

  if (primary != NULL)
    sale->power = clamp_int (qm_json_get_int (primary, "value", -1), -1);
  sale_add_stats (sale, stats);
  g_array_sort (sale->stats, compare_stats);
  sale_add_plugs (sale, item_component (response, "sockets", key), ctx);
}

static QmVendorSale *
parse_sale (guint32     vendor_hash,
            JsonObject *response,
            const char *key,
            JsonObject *component,
            Context    *ctx)
{
  QmVendorSale *sale = g_object_new (QM_TYPE_VENDOR_SALE, NULL);

  sale->vendor_hash = vendor_hash;
  sale->vendor_item_index = clamp_int (qm_json_get_int (component, "vendorItemIndex",
                                                        g_ascii_strtoll (key, NULL, 10)),
                                       G_MININT32);
  sale->hash = qm_json_get_hash (component, "itemHash");
  sale->quantity = clamp_int (qm_json_get_int (component, "quantity", 1), 0);
  sale->sale_status = clamp_int (qm_json_get_int (component, "saleStatus", 0), G_MININT32);
  sale->augments = clamp_int (qm_json_get_int (component, "augments", 0), G_MININT32);
  sale_apply_definition (sale, ctx);
  sale_add_costs (sale, qm_json_get_array (component, "costs"), ctx);
  sale_add_instance (sale, response, key, ctx);
  sale->owned = (sale->augments & QM_VENDOR_ITEM_STATE_OWNED) != 0 ||
                g_hash_table_contains (ctx->owned, GUINT_TO_POINTER (sale->hash));
  sale->affordable = sale_is_affordable (sale, ctx);
  return sale;
}

static int
compare_sales (gconstpointer a,
               gconstpointer b)
{
  const QmVendorSale *sale_a = *(QmVendorSale * const *) a;
  const QmVendorSale *sale_b = *(QmVendorSale * const *) b;

  return (sale_a->vendor_item_index > sale_b->vendor_item_index) -
         (sale_a->vendor_item_index < sale_b->vendor_item_index);
}

/* Appends @response's sales to @self, by vendor item index. */
static void
add_sales (QmXur      *self,
           guint32     vendor_hash,
           JsonObject *response,
           Context    *ctx)
{
  JsonObject *sales = component_data (response, "sales");
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (sales == NULL)
    return;
  json_object_iter_init (&iter, sales);
  while (json_object_iter_next (&iter, &key, &node))
    {
      JsonObject *component = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (component == NULL || qm_json_get_hash (component, "itemHash") == 0)
        continue;
      g_ptr_array_add (parsed, parse_sale (vendor_hash, response, key, component, ctx));
    }
  g_ptr_array_sort (parsed, compare_sales);
  g_list_store_splice (self->sales, g_list_model_get_n_items (G_LIST_MODEL (self->sales)), 0,
                       parsed->pdata, parsed->len);
}

static GDateTime *
parse_date (JsonObject *object,
            const char *member)
{
  const char *text = qm_json_get_string (object, member);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = NULL;

  if (text == NULL)
    return NULL;
  date = g_date_time_new_from_iso8601 (text, utc);
  return date != NULL ? g_date_time_to_utc (date) : NULL;
}

static gboolean
vendor_is_enabled (JsonObject *response)
{
  JsonObject *vendor = component_data (response, "vendor");

  return vendor == NULL || qm_json_get_bool (vendor, "enabled", TRUE);
}

static void
set_absent (QmXur     *self,
            GDateTime *now,
            GDateTime *next_refresh)
{
  self->present = FALSE;
  self->next_arrival = qm_xur_next_arrival (now, next_refresh);
}

/* His stay: until nextRefreshDate (else the coming reset), from the Friday before. */
static void
set_present (QmXur     *self,
             GDateTime *now,
             GDateTime *next_refresh)
{
  g_autoptr(GDateTime) limit = g_date_time_add_days (now, MAX_REFRESH_DAYS);

  self->present = TRUE;
  if (next_refresh != NULL && g_date_time_compare (next_refresh, limit) <= 0)
    self->departs = g_date_time_ref (next_refresh);
  else
    self->departs = next_weekday_after (now, RESET_WEEKDAY);
  self->arrives = qm_xur_arrival_before (self->departs);
}

static JsonObject *
response_object (JsonNode    *node,
                 const char  *what,
                 GError     **error)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
               "The %s answer is not a DestinyVendorResponse", what);
  return NULL;
}

/**
 * qm_xur_parse:
 * @vendor_response: (nullable): Xûr's GetVendor Response; %NULL when absent
 * @strange_gear_response: (nullable): his Strange Gear Offers' Response
 * @profile: (nullable): the player's profile (owned and affordable marks)
 * @manifest: (nullable): item definitions (names, icons)
 * @now: the current instant
 *
 * Returns: (transfer full): Xûr's week, or %NULL with @error set
 */
/* His destination's name from the vendor component's vendorLocationIndex
 * and his definition's locations; NULL when any part is unknown. */
static char *
dup_location (JsonObject *vendor,
              QmManifest *manifest)
{
  int index = (int) qm_json_get_int (vendor, "vendorLocationIndex", -1);
  guint32 destination = qm_manifest_lookup_vendor_location (manifest, QM_XUR_VENDOR_HASH, index);
  QmDefinition place;

  if (destination == 0)
    return NULL;
  place = qm_manifest_get_definition (manifest, QM_TABLE_DESTINATION, destination);
  return place.known && *place.name != '\0' ? g_strdup (place.name) : NULL;
}

QmXur *
qm_xur_parse (JsonNode    *vendor_response,
              JsonNode    *strange_gear_response,
              QmProfile   *profile,
              QmManifest  *manifest,
              GDateTime   *now,
              GError     **error)
{
  g_autoptr(QmXur) self = NULL;
  g_auto(Context) ctx = { 0 };
  g_autoptr(GDateTime) next_refresh = NULL;
  JsonObject *xur = NULL;
  JsonObject *strange = NULL;

  g_return_val_if_fail (profile == NULL || QM_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (manifest == NULL || QM_IS_MANIFEST (manifest), NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (vendor_response != NULL && (xur = response_object (vendor_response, "Xûr", error)) == NULL)
    return NULL;
  if (strange_gear_response != NULL &&
      (strange = response_object (strange_gear_response, "Strange Gear Offers", error)) == NULL)
    return NULL;

  self = g_object_new (QM_TYPE_XUR, NULL);
  if (xur != NULL)
    next_refresh = parse_date (component_data (xur, "vendor"), "nextRefreshDate");
  if (xur == NULL || !vendor_is_enabled (xur))
    {
      set_absent (self, now, next_refresh);
      return g_steal_pointer (&self);
    }

  set_present (self, now, next_refresh);
  if (manifest != NULL)
    self->location = dup_location (component_data (xur, "vendor"), manifest);
  context_init (&ctx, profile, manifest);
  add_sales (self, QM_XUR_VENDOR_HASH, xur, &ctx);
  if (strange != NULL && vendor_is_enabled (strange))
    add_sales (self, QM_XUR_STRANGE_GEAR_VENDOR_HASH, strange, &ctx);
  return g_steal_pointer (&self);
}

/* ---------------------------------------------------------------------- */
/* JSON                                                                    */

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_date (JsonBuilder *builder,
          const char  *member,
          GDateTime   *date)
{
  g_autofree char *text = NULL;

  if (date != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (date);

      text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
    }
  add_nullable_string (builder, member, text);
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
add_sale (JsonBuilder  *builder,
          QmVendorSale *sale)
{
  json_builder_begin_object (builder);
  add_int (builder, "hash", sale->hash);
  add_nullable_string (builder, "name", sale->name);
  add_int (builder, "quantity", sale->quantity);
  /* Whose stock: Xûr's wares or his Strange Gear Offers. */
  add_int (builder, "vendor", sale->vendor_hash);
  json_builder_set_member_name (builder, "owned");
  json_builder_add_boolean_value (builder, sale->owned);
  json_builder_set_member_name (builder, "affordable");
  json_builder_add_boolean_value (builder, sale->affordable);
  json_builder_set_member_name (builder, "costs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sale->costs->len; i++)
    {
      const QmCost *cost = &g_array_index (sale->costs, QmCost, i);

      json_builder_begin_object (builder);
      add_int (builder, "hash", cost->hash);
      add_nullable_string (builder, "name", cost->name);
      add_int (builder, "quantity", cost->quantity);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/**
 * qm_xur_to_json:
 *
 * When he is absent, "arrives" is his next arrival and "departs" null.
 *
 * Returns: (transfer full): the CLI's `xur --json` document
 */
JsonNode *
qm_xur_to_json (QmXur *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GListModel *sales;

  g_return_val_if_fail (QM_IS_XUR (self), NULL);

  sales = G_LIST_MODEL (self->sales);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "present");
  json_builder_add_boolean_value (builder, self->present);
  add_date (builder, "arrives", self->present ? self->arrives : self->next_arrival);
  add_date (builder, "departs", self->departs);
  json_builder_set_member_name (builder, "sales");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);

      add_sale (builder, sale);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---------------------------------------------------------------------- */
/* Loading                                                                 */

typedef struct
{
  QmBungieClient *client;
  QmInventory    *inventory;
  JsonNode       *xur_response;
  char           *character_id;
  int             membership_type;
  char           *membership_id;   /* nullable until the vendor calls */
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->client);
  g_clear_object (&load->inventory);
  g_clear_pointer (&load->xur_response, json_node_unref);
  g_free (load->character_id);
  g_free (load->membership_id);
  g_free (load);
}

static gboolean
is_vendor_not_found (const GError *error)
{
  return g_error_matches (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_VENDOR_NOT_FOUND);
}

static void
return_xur (GTask    *task,
            JsonNode *xur_response,
            JsonNode *strange_response)
{
  LoadData *load = g_task_get_task_data (task);
  QmProfile *profile = qm_inventory_get_profile (load->inventory);
  QmManifest *manifest = qm_inventory_get_manifest (load->inventory);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GError *error = NULL;
  QmXur *xur;

  xur = qm_xur_parse (xur_response, strange_response, profile, manifest, now, &error);
  if (xur == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, xur, g_object_unref);
}

static void
on_strange_gear_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;

  response = qm_bungie_client_get_vendor_finish (QM_BUNGIE_CLIENT (source), result, &error);
  if (response == NULL && !is_vendor_not_found (error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  return_xur (task, load->xur_response, response);
}

static void
get_vendor (GTask               *task,
            guint32              vendor_hash,
            GAsyncReadyCallback  callback)
{
  LoadData *load = g_task_get_task_data (task);

  qm_bungie_client_get_vendor_async (load->client,
                                     load->membership_type, load->membership_id,
                                     load->character_id, vendor_hash,
                                     QM_XUR_VENDOR_COMPONENTS,
                                     g_task_get_cancellable (task),
                                     callback, g_object_ref (task));
}

static void
on_xur_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  load->xur_response = qm_bungie_client_get_vendor_finish (QM_BUNGIE_CLIENT (source),
                                                           result, &error);
  if (load->xur_response == NULL && !is_vendor_not_found (error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (load->xur_response == NULL ||
      !JSON_NODE_HOLDS_OBJECT (load->xur_response) ||
      !vendor_is_enabled (json_node_get_object (load->xur_response)))
    {
      /* Absent (or not a vendor answer: the parser says so). */
      return_xur (task, load->xur_response, NULL);
      return;
    }
  get_vendor (task, QM_XUR_STRANGE_GEAR_VENDOR_HASH, on_strange_gear_cb);
}

static void
start_vendor_calls (GTask *task)
{
  LoadData *load = g_task_get_task_data (task);
  QmProfile *profile = qm_inventory_get_profile (load->inventory);

  if (qm_profile_get_n_characters (profile) == 0)
    {
      g_task_return_new_error (task, QM_PLATFORM_ERROR,
                               QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_FOUND,
                               _("The account has no character to visit Xûr with"));
      return;
    }
  if (load->membership_id == NULL)
    {
      load->membership_id = g_strdup (qm_profile_get_membership_id (profile));
      load->membership_type = qm_profile_get_membership_type (profile);
    }
  if (load->membership_id == NULL)
    {
      g_task_return_new_error (task, QM_PLATFORM_ERROR,
                               QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND,
                               _("The profile names no Destiny membership to visit Xûr with"));
      return;
    }
  load->character_id = g_strdup (qm_profile_get_character (profile, 0)->id);
  get_vendor (task, QM_XUR_VENDOR_HASH, on_xur_cb);
}

static void
on_inventory_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  GError *error = NULL;

  load->inventory = qm_inventory_load_finish (result, &error);
  if (load->inventory == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  start_vendor_calls (task);
}

/**
 * qm_xur_load_async:
 * @inventory: (nullable): the account's inventory; loaded first when %NULL
 *
 * Reads Xûr's stock (and his Strange Gear Offers) for the account's first
 * character. His absence is a result, not an error.
 */
void
qm_xur_load_async (QmBungieClient      *client,
                   QmInventory         *inventory,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_return_if_fail (QM_IS_BUNGIE_CLIENT (client));
  g_return_if_fail (inventory == NULL || QM_IS_INVENTORY (inventory));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  qm_xur_load_for_membership_async (client, 0, NULL, inventory, cancellable, callback, user_data);
}

/**
 * qm_xur_load_for_membership_async:
 * @membership_type: the BungieMembershipType of @membership_id
 * @membership_id: (nullable): the Destiny membership to visit him as (the
 *   session's chosen one); %NULL: the one the profile names
 * @inventory: (nullable): the membership's inventory; loaded first when %NULL
 *
 * Reads Xûr's stock as qm_xur_load_async() does, for @membership_id: a
 * recorded profile may lack the userInfo of component 100.
 */
void
qm_xur_load_for_membership_async (QmBungieClient      *client,
                                  int                  membership_type,
                                  const char          *membership_id,
                                  QmInventory         *inventory,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (QM_IS_BUNGIE_CLIENT (client));
  g_return_if_fail (inventory == NULL || QM_IS_INVENTORY (inventory));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_xur_load_async);
  load = g_new0 (LoadData, 1);
  load->client = g_object_ref (client);
  load->inventory = inventory != NULL ? g_object_ref (inventory) : NULL;
  load->membership_type = membership_type;
  load->membership_id = g_strdup (membership_id);
  g_task_set_task_data (task, load, load_data_free);

  if (inventory == NULL)
    qm_inventory_load_for_membership_async (client, NULL, membership_id, cancellable,
                                            on_inventory_cb, g_steal_pointer (&task));
  else
    start_vendor_calls (task);
}

/**
 * qm_xur_load_finish:
 *
 * Returns: (transfer full): Xûr's week, or %NULL with the error of a call
 */
QmXur *
qm_xur_load_finish (GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_xur_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * qm_xur_load_dup_inventory:
 *
 * Returns: (transfer full) (nullable): the inventory the load used
 */
QmInventory *
qm_xur_load_dup_inventory (GAsyncResult *result)
{
  LoadData *load;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_xur_load_async, NULL);

  load = g_task_get_task_data (G_TASK (result));
  if (load == NULL || load->inventory == NULL || g_task_had_error (G_TASK (result)))
    return NULL;
  return g_object_ref (load->inventory);
}
