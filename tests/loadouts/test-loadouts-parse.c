/* test-loadouts-parse.c: component 206 into loadouts, and an equip's move requests
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qm-destiny.h"
#include "qm-error.h"
#include "qm-loadouts.h"
#include "qm-test-utils.h"

#define TITAN  "2305843009300000001"
#define HUNTER "2305843009300000002"

static const char profile_206[] =
  "{\"characterLoadouts\":{\"privacy\":2,\"data\":{"
  "\"" TITAN "\":{\"loadouts\":["
  "{\"colorHash\":6001,\"iconHash\":5001,\"nameHash\":4001,\"items\":["
  "{\"itemInstanceId\":\"6917529000000000101\",\"plugItemHashes\":[2166136261]},"
  "{\"itemInstanceId\":\"0\",\"plugItemHashes\":[]},"
  "{\"itemInstanceId\":\"6917529000000000102\",\"plugItemHashes\":[3001]}]},"
  "{\"colorHash\":6002,\"iconHash\":5002,\"nameHash\":4002,\"items\":["
  "{\"itemInstanceId\":\"0\"},{\"itemInstanceId\":\"0\"}]},"
  "{\"colorHash\":-1,\"items\":[{\"itemInstanceId\":\"not an id\"},7,{\"itemInstanceId\":null}]}]},"
  "\"" HUNTER "\":{\"loadouts\":[]},"
  "\"junk\":{\"loadouts\":[{}]}}}}";

static QmLoadouts *
parse (const char  *text,
       GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return qm_loadouts_parse_bytes (bytes, error);
}

static void
test_parse_component (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmLoadouts) loadouts = parse (profile_206, &error);
  GListModel *titan;
  QmLoadout *first;
  const char * const *ids;

  g_assert_no_error (error);
  ids = qm_loadouts_get_character_ids (loadouts);
  g_assert_cmpstr (ids[0], ==, TITAN);
  g_assert_cmpstr (ids[1], ==, HUNTER);
  g_assert_null (ids[2]);   /* "junk" is not a character id */

  titan = qm_loadouts_get_for_character (loadouts, TITAN);
  g_assert_cmpuint (g_list_model_get_n_items (titan), ==, 3);
  first = qm_loadouts_get_loadout (loadouts, TITAN, 0);
  g_assert_cmpint (qm_loadout_get_index (first), ==, 0);
  g_assert_cmpstr (qm_loadout_get_character_id (first), ==, TITAN);
  g_assert_cmpuint (qm_loadout_get_name_hash (first), ==, 4001);
  g_assert_cmpuint (qm_loadout_get_color_hash (first), ==, 6001);
  g_assert_cmpuint (qm_loadout_get_icon_hash (first), ==, 5001);
  ids = qm_loadout_get_item_ids (first);
  g_assert_cmpuint (g_strv_length ((char **) ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, "6917529000000000101");
  g_assert_cmpstr (ids[1], ==, "6917529000000000102");
  g_assert_false (qm_loadout_is_empty (first));

  /* All "0": an empty slot; a broken one is empty too, its hash folded. */
  g_assert_true (qm_loadout_is_empty (qm_loadouts_get_loadout (loadouts, TITAN, 1)));
  g_assert_true (qm_loadout_is_empty (qm_loadouts_get_loadout (loadouts, TITAN, 2)));
  g_assert_cmpuint (qm_loadout_get_color_hash (qm_loadouts_get_loadout (loadouts, TITAN, 2)), ==, G_MAXUINT32);
  g_assert_cmpint (qm_loadouts_first_empty (loadouts, TITAN), ==, 1);
  g_assert_cmpint (qm_loadouts_first_empty (loadouts, HUNTER), ==, -1);
  g_assert_null (qm_loadouts_get_loadout (loadouts, TITAN, 3));
  g_assert_null (qm_loadouts_get_loadout (loadouts, TITAN, -1));
  g_assert_cmpuint (g_list_model_get_n_items (qm_loadouts_get_for_character (loadouts, "123")), ==, 0);
}

static void
test_parse_envelope (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("{\"Response\":%s,\"ErrorCode\":1,\"ThrottleSeconds\":0,"
                                           "\"ErrorStatus\":\"Success\",\"Message\":\"Ok\",\"MessageData\":{}}",
                                           profile_206);
  g_autoptr(QmLoadouts) loadouts = parse (text, &error);
  g_autoptr(QmLoadouts) maintenance = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (qm_loadouts_get_for_character (loadouts, TITAN)), ==, 3);

  maintenance = parse ("{\"Response\":null,\"ErrorCode\":5,\"ThrottleSeconds\":0,\"ErrorStatus\":\"SystemDisabled\","
                       "\"Message\":\"Down\",\"MessageData\":{}}", &error);
  g_assert_null (maintenance);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED);
}

static void
test_parse_bad_input (void)
{
  const char *inputs[] = { "", "{", "[1,2]", "<html><body>502</body></html>", "null", "\"text\"" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QmLoadouts) loadouts = parse (inputs[i], &error);

      g_assert_null (loadouts);
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
    }
}

/* Withheld or absent 206: no loadouts, no error. */
static void
test_parse_no_component (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmLoadouts) loadouts = parse ("{\"characterLoadouts\":{\"privacy\":2}}", &error);

  g_assert_no_error (error);
  g_assert_null (qm_loadouts_get_character_ids (loadouts)[0]);
}

static void
add_item (QmMoveState *state,
          guint64      id,
          guint32      slot,
          int          place,
          int          owner)
{
  QmMoveItem item = {
    .instance_id = id, .hash = 1000 + (guint32) id, .slot = slot, .place = place, .owner = owner,
    .quantity = 1, .max_stack = 1, .class_type = QM_MOVE_CLASS_ANY, .tier_type = 5, .power = 10,
    .flags = QM_MOVE_ITEM_EQUIPPABLE,
  };

  qm_move_state_add_item (state, &item);
}

/* Other characters first, then the vault, then what the character holds;
 * what it wears needs nothing; what is gone is counted. */
static void
test_equip_requests_order (void)
{
  g_autoptr(QmMoveState) state = qm_move_state_new ();
  g_autoptr(GArray) requests = NULL;
  const char *ids[] = { "1", "2", "3", "4", "5", "99", NULL };
  guint missing = 0;

  qm_move_state_add_character (state, 11, 0, 3);
  qm_move_state_add_character (state, 12, 1, 2);
  qm_move_state_add_character (state, 13, 2, 1);
  add_item (state, 1, QM_BUCKET_KINETIC, QM_MOVE_PLACE_EQUIPPED, 0);
  add_item (state, 2, QM_BUCKET_ENERGY, QM_MOVE_PLACE_VAULT, QM_MOVE_VAULT);
  add_item (state, 3, QM_BUCKET_POWER, QM_MOVE_PLACE_INVENTORY, 0);
  add_item (state, 4, QM_BUCKET_HELMET, QM_MOVE_PLACE_EQUIPPED, 1);
  add_item (state, 5, QM_BUCKET_CHEST, QM_MOVE_PLACE_INVENTORY, 2);

  requests = qm_loadout_equip_requests (state, ids, 0, &missing);
  g_assert_cmpuint (missing, ==, 1);
  g_assert_cmpuint (requests->len, ==, 5);
  g_assert_cmpuint (g_array_index (requests, QmMoveRequest, 0).instance_id, ==, 4);
  g_assert_cmpuint (g_array_index (requests, QmMoveRequest, 1).instance_id, ==, 5);
  g_assert_cmpuint (g_array_index (requests, QmMoveRequest, 2).instance_id, ==, 2);
  g_assert_cmpuint (g_array_index (requests, QmMoveRequest, 3).instance_id, ==, 1);
  g_assert_cmpuint (g_array_index (requests, QmMoveRequest, 4).instance_id, ==, 3);
  for (guint i = 0; i < requests->len; i++)
    {
      const QmMoveRequest *request = &g_array_index (requests, QmMoveRequest, i);

      /* What the Titan wears: an equip (it stays worn); the rest: moves. */
      g_assert_cmpint (request->kind, ==, request->instance_id == 1 ? QM_MOVE_REQUEST_EQUIP : QM_MOVE_REQUEST_MOVE);
      g_assert_cmpint (request->target, ==, 0);
      g_assert_false (request->equip);
    }

  /* Planned: the Hunter wears its only helmet, and nothing can take its
   * place, so the plan is refused with that reason before any call. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) steps = qm_move_plan (state, (const QmMoveRequest *) (gconstpointer) requests->data,
                                            requests->len, NULL, &error);

    g_assert_null (steps);
    g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_REPLACEMENT);
  }
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/loadouts/parse/component", test_parse_component);
  g_test_add_func ("/loadouts/parse/envelope", test_parse_envelope);
  g_test_add_func ("/loadouts/parse/bad-input", test_parse_bad_input);
  g_test_add_func ("/loadouts/parse/no-component", test_parse_no_component);
  g_test_add_func ("/loadouts/equip-requests/order", test_equip_requests_order);
  return g_test_run ();
}
