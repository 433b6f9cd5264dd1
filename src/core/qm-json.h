/* qm-json.h: checked access to JSON from the network
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parse @bytes as JSON. Errors are QM_CLIENT_ERROR_MALFORMED. */
JsonNode   *qm_json_parse_bytes        (GBytes      *bytes,
                                        GError     **error);

/* Member access that tolerates absence and wrong types: the fallback is returned.
 * qm_json_get_int() truncates a non-integral number toward zero and gives the
 * nearest bound for one beyond gint64. */
JsonObject *qm_json_get_object         (JsonObject  *object,
                                        const char  *member);
JsonArray  *qm_json_get_array          (JsonObject  *object,
                                        const char  *member);
const char *qm_json_get_string         (JsonObject  *object,
                                        const char  *member);
gint64      qm_json_get_int            (JsonObject  *object,
                                        const char  *member,
                                        gint64       fallback);
gboolean    qm_json_get_bool           (JsonObject  *object,
                                        const char  *member,
                                        gboolean     fallback);
double      qm_json_get_double         (JsonObject  *object,
                                        const char  *member,
                                        double       fallback);
/* A uint32 hash (plain number; a string of digits is accepted too). 0 when absent. */
guint32     qm_json_get_hash           (JsonObject  *object,
                                        const char  *member);
/* An int64 id, sent by Bungie as a JSON string of digits or as a number.
 * Returns a newly allocated decimal string, or NULL when absent or not an id. */
char       *qm_json_dup_id             (JsonObject  *object,
                                        const char  *member);
/* The same for a bare node (array elements, dictionary values). */
char       *qm_json_node_dup_id        (JsonNode    *node);
gboolean    qm_json_node_get_id        (JsonNode    *node,
                                        gint64      *out);
/* Walk a path of object members: qm_json_path_object (root, "a", "b", NULL). */
JsonObject *qm_json_path_object        (JsonObject  *object,
                                        ...) G_GNUC_NULL_TERMINATED;
char       *qm_json_to_string          (JsonNode    *node,
                                        gboolean     pretty);
GBytes     *qm_json_to_bytes           (JsonNode    *node);
/* A copy sharing nothing with @node (json_node_copy() shares containers). */
JsonNode   *qm_json_node_deep_copy     (JsonNode    *node);
/* True when @text is a decimal integer that fits in gint64 (optionally signed). */
gboolean    qm_json_is_id_string       (const char  *text);

G_END_DECLS
