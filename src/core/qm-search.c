/* qm-search.c: the item search language and its matcher
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hand-written recursive-descent parser over a tiny lexer. The query is
 * compiled to a tree whose leaves carry everything a match needs already
 * prepared (the needle normalised, the is: filter looked up), because the
 * search bar re-parses and re-filters on every keystroke.
 *
 *   query   := [ or ]
 *   or      := and { "or" and }
 *   and     := unary { [ "and" ] unary }
 *   unary   := ( "-" | "not" ) unary | primary
 *   primary := "(" or ")" | term
 */

#define G_LOG_DOMAIN "qm-search"

#include "config.h"

#include "qm-search.h"

#include <string.h>

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (qm-search-error-quark, qm_search_error)

/* DestinyItemSubType values of the weapon types. */
enum
{
  SUB_TYPE_AUTO_RIFLE = 6,
  SUB_TYPE_SHOTGUN = 7,
  SUB_TYPE_MACHINE_GUN = 8,
  SUB_TYPE_HAND_CANNON = 9,
  SUB_TYPE_ROCKET_LAUNCHER = 10,
  SUB_TYPE_FUSION_RIFLE = 11,
  SUB_TYPE_SNIPER_RIFLE = 12,
  SUB_TYPE_PULSE_RIFLE = 13,
  SUB_TYPE_SCOUT_RIFLE = 14,
  SUB_TYPE_SIDEARM = 17,
  SUB_TYPE_SWORD = 18,
  SUB_TYPE_LINEAR_FUSION_RIFLE = 22,
  SUB_TYPE_GRENADE_LAUNCHER = 23,
  SUB_TYPE_SUBMACHINE_GUN = 24,
  SUB_TYPE_TRACE_RIFLE = 25,
  SUB_TYPE_BOW = 31,
  SUB_TYPE_GLAIVE = 33,
};

/* Deep enough for any query a person types; shallow enough that the
 * recursive parser, matcher and destructor never run out of stack. */
#define MAX_DEPTH 64

typedef enum
{
  IS_ITEM_TYPE,
  IS_TIER,
  IS_EQUIPPED,
  IS_LOCKED,
  IS_UNLOCKED,
  IS_MASTERWORK,
  IS_LOCATION,
  IS_IN_CHARACTER,
  IS_CLASS,
  IS_DAMAGE,
  IS_SUB_TYPE,
  IS_SLOT,
  IS_STACKABLE,
} IsKind;

typedef struct
{
  const char *keyword;
  IsKind      kind;
  guint32     arg;
} IsFilter;

/* In the order completion proposes them: kinds, rarity, state, where,
 * class, damage, weapon types, slots. */
static const IsFilter is_filters[] = {
  { "weapon", IS_ITEM_TYPE, QM_ITEM_TYPE_WEAPON },
  { "armor", IS_ITEM_TYPE, QM_ITEM_TYPE_ARMOR },
  { "ghost", IS_ITEM_TYPE, QM_ITEM_TYPE_GHOST },
  { "exotic", IS_TIER, 6 },
  { "legendary", IS_TIER, 5 },
  { "rare", IS_TIER, 4 },
  { "uncommon", IS_TIER, 3 },
  { "common", IS_TIER, 2 },
  { "equipped", IS_EQUIPPED, 0 },
  { "locked", IS_LOCKED, 0 },
  { "unlocked", IS_UNLOCKED, 0 },
  { "masterwork", IS_MASTERWORK, 0 },
  { "invault", IS_LOCATION, QM_ITEM_LOCATION_VAULT },
  { "inpostmaster", IS_LOCATION, QM_ITEM_LOCATION_POSTMASTER },
  { "incharacter", IS_IN_CHARACTER, 0 },
  { "titan", IS_CLASS, 0 },
  { "hunter", IS_CLASS, 1 },
  { "warlock", IS_CLASS, 2 },
  { "kinetic", IS_DAMAGE, QM_DAMAGE_KINETIC },
  { "arc", IS_DAMAGE, QM_DAMAGE_ARC },
  { "solar", IS_DAMAGE, QM_DAMAGE_THERMAL },
  { "void", IS_DAMAGE, QM_DAMAGE_VOID },
  { "stasis", IS_DAMAGE, QM_DAMAGE_STASIS },
  { "strand", IS_DAMAGE, QM_DAMAGE_STRAND },
  { "handcannon", IS_SUB_TYPE, SUB_TYPE_HAND_CANNON },
  { "autorifle", IS_SUB_TYPE, SUB_TYPE_AUTO_RIFLE },
  { "pulserifle", IS_SUB_TYPE, SUB_TYPE_PULSE_RIFLE },
  { "scoutrifle", IS_SUB_TYPE, SUB_TYPE_SCOUT_RIFLE },
  { "sidearm", IS_SUB_TYPE, SUB_TYPE_SIDEARM },
  { "submachinegun", IS_SUB_TYPE, SUB_TYPE_SUBMACHINE_GUN },
  { "bow", IS_SUB_TYPE, SUB_TYPE_BOW },
  { "shotgun", IS_SUB_TYPE, SUB_TYPE_SHOTGUN },
  { "sniperrifle", IS_SUB_TYPE, SUB_TYPE_SNIPER_RIFLE },
  { "fusionrifle", IS_SUB_TYPE, SUB_TYPE_FUSION_RIFLE },
  { "linearfusionrifle", IS_SUB_TYPE, SUB_TYPE_LINEAR_FUSION_RIFLE },
  { "tracerifle", IS_SUB_TYPE, SUB_TYPE_TRACE_RIFLE },
  { "grenadelauncher", IS_SUB_TYPE, SUB_TYPE_GRENADE_LAUNCHER },
  { "rocketlauncher", IS_SUB_TYPE, SUB_TYPE_ROCKET_LAUNCHER },
  { "machinegun", IS_SUB_TYPE, SUB_TYPE_MACHINE_GUN },
  { "sword", IS_SUB_TYPE, SUB_TYPE_SWORD },
  { "glaive", IS_SUB_TYPE, SUB_TYPE_GLAIVE },
  { "kineticslot", IS_SLOT, QM_BUCKET_KINETIC },
  { "energyslot", IS_SLOT, QM_BUCKET_ENERGY },
  { "powerslot", IS_SLOT, QM_BUCKET_POWER },
  { "helmet", IS_SLOT, QM_BUCKET_HELMET },
  { "gauntlets", IS_SLOT, QM_BUCKET_GAUNTLETS },
  { "chest", IS_SLOT, QM_BUCKET_CHEST },
  { "leg", IS_SLOT, QM_BUCKET_LEGS },
  { "classitem", IS_SLOT, QM_BUCKET_CLASS_ARMOR },
  { "stackable", IS_STACKABLE, 0 },
};

/* The filter keys, canonical names first (completion proposes those). */
typedef enum
{
  KEY_IS,
  KEY_NOT,
  KEY_NAME,
  KEY_POWER,
  KEY_QUANTITY,
} Key;

static const struct
{
  const char *name;
  Key         key;
  gboolean    completed;
} keys[] = {
  { "is", KEY_IS, TRUE },
  { "not", KEY_NOT, TRUE },
  { "name", KEY_NAME, TRUE },
  { "power", KEY_POWER, TRUE },
  { "quantity", KEY_QUANTITY, TRUE },
  /* DIM's spellings of the same filters. */
  { "light", KEY_POWER, FALSE },
  { "stack", KEY_QUANTITY, FALSE },
};

typedef enum
{
  NODE_ALL,
  NODE_AND,
  NODE_OR,
  NODE_NOT,
  NODE_TEXT,
  NODE_NAME,
  NODE_IS,
  NODE_POWER,
  NODE_QUANTITY,
} NodeKind;

typedef enum
{
  CMP_EQ,
  CMP_LT,
  CMP_LE,
  CMP_GT,
  CMP_GE,
} CmpOp;

static const char * const cmp_names[] = { "=", "<", "<=", ">", ">=" };

typedef struct _Node Node;

struct _Node
{
  NodeKind        kind;
  const IsFilter *is;        /* NODE_IS */
  CmpOp           op;        /* NODE_POWER, NODE_QUANTITY */
  int             value;
  char           *needle;    /* NODE_TEXT, NODE_NAME: normalised */
  Node          **children;  /* NODE_AND, NODE_OR (n_children ≥ 2), NODE_NOT (1) */
  guint           n_children;
};

struct _QmSearchQuery
{
  Node *root;
};

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  for (guint i = 0; i < node->n_children; i++)
    node_free (node->children[i]);
  g_free (node->children);
  g_free (node->needle);
  g_free (node);
}

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  return node;
}

static Node *
node_new_not (Node *child)
{
  Node *node = node_new (NODE_NOT);

  node->children = g_new (Node *, 1);
  node->children[0] = child;
  node->n_children = 1;
  return node;
}

/* @left and @right under one and/or node; nested nodes of the same kind are
 * flattened ("a b c" is one "and" of three). */
static Node *
node_join (NodeKind kind,
           Node    *left,
           Node    *right)
{
  Node *node;

  if (left->kind == kind)
    node = left;
  else
    {
      node = node_new (kind);
      node->children = g_new (Node *, 1);
      node->children[node->n_children++] = left;
    }
  if (right->kind == kind)
    {
      node->children = g_renew (Node *, node->children, node->n_children + right->n_children);
      memcpy (node->children + node->n_children, right->children,
              right->n_children * sizeof (Node *));
      node->n_children += right->n_children;
      right->n_children = 0;
      node_free (right);
    }
  else
    {
      node->children = g_renew (Node *, node->children, node->n_children + 1);
      node->children[node->n_children++] = right;
    }
  return node;
}

/* Case- and accent-insensitive form of @text: compatibility decomposition,
 * combining marks dropped, then case folded ("Ætheon’s Épée" and "aetheon's
 * epee" compare equal once both are normalised). */
static char *
normalize (const char *text,
           gssize      len)
{
  g_autofree char *decomposed = g_utf8_normalize (text, len, G_NORMALIZE_NFKD);
  g_autoptr(GString) stripped = NULL;

  if (decomposed == NULL)
    return g_strdup ("");
  stripped = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (g_unichar_type (c))
        {
        case G_UNICODE_NON_SPACING_MARK:
        case G_UNICODE_SPACING_MARK:
        case G_UNICODE_ENCLOSING_MARK:
          break;
        default:
          g_string_append_unichar (stripped, c);
        }
    }
  return g_utf8_casefold (stripped->str, stripped->len);
}

/* The normalised name is kept on the item, so a keystroke does not
 * normalise every name again; it is redone when the name changes. */
typedef struct
{
  char *name;
  char *folded;
} FoldedName;

static void
folded_name_free (gpointer data)
{
  FoldedName *cache = data;

  g_free (cache->name);
  g_free (cache->folded);
  g_free (cache);
}

static GQuark
folded_name_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("qm-search-folded-name");
  return quark;
}

static const char *
item_folded_name (QmItem *item)
{
  const char *name = qm_item_get_name (item);
  FoldedName *cache;

  if (name == NULL)
    return NULL;
  cache = g_object_get_qdata (G_OBJECT (item), folded_name_quark ());
  if (cache != NULL && strcmp (cache->name, name) == 0)
    return cache->folded;
  cache = g_new (FoldedName, 1);
  cache->name = g_strdup (name);
  cache->folded = normalize (name, -1);
  g_object_set_qdata_full (G_OBJECT (item), folded_name_quark (), cache, folded_name_free);
  return cache->folded;
}

/* Lexer */

typedef enum
{
  TOKEN_EOF,
  TOKEN_LPAREN,
  TOKEN_RPAREN,
  TOKEN_MINUS,
  TOKEN_OR,
  TOKEN_AND,
  TOKEN_NOT,
  TOKEN_WORD,
} TokenKind;

typedef struct
{
  TokenKind  kind;
  gsize      start;        /* byte range of the whole token */
  gsize      end;
  /* TOKEN_WORD: "key:value" when has_key, free text otherwise. */
  gboolean   has_key;
  char      *key;          /* lower case */
  gsize      value_start;  /* byte offset where the value begins */
  GString   *value;        /* unquoted */
} Token;

typedef struct
{
  const char *text;
  gsize       pos;
  Token       token;
  guint       depth;
  GError     *error;
  gsize       error_start;
  gsize       error_end;
} Parser;

G_GNUC_PRINTF (5, 6)
static void
parser_fail (Parser     *parser,
             int         code,
             gsize       start,
             gsize       end,
             const char *format,
             ...)
{
  va_list args;

  if (parser->error != NULL)
    return;
  va_start (args, format);
  parser->error = g_error_new_valist (QM_SEARCH_ERROR, code, format, args);
  va_end (args);
  parser->error_start = start;
  parser->error_end = end;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static gboolean
ends_word (char c)
{
  return c == '\0' || is_space (c) || c == '(' || c == ')';
}

/* Read the next token into parser->token. FALSE on an unclosed quote. */
static gboolean
lexer_next (Parser *parser)
{
  const char *text = parser->text;
  Token *token = &parser->token;
  gsize pos = parser->pos;
  gsize key_end = 0;
  gboolean quoted = FALSE;

  while (is_space (text[pos]))
    pos++;

  token->start = pos;
  token->has_key = FALSE;
  g_clear_pointer (&token->key, g_free);
  g_string_truncate (token->value, 0);

  switch (text[pos])
    {
    case '\0':
      token->kind = TOKEN_EOF;
      token->end = pos;
      parser->pos = pos;
      return TRUE;
    case '(':
      token->kind = TOKEN_LPAREN;
      token->end = parser->pos = pos + 1;
      return TRUE;
    case ')':
      token->kind = TOKEN_RPAREN;
      token->end = parser->pos = pos + 1;
      return TRUE;
    case '-':
      token->kind = TOKEN_MINUS;
      token->end = parser->pos = pos + 1;
      return TRUE;
    default:
      break;
    }

  /* A word: bare characters and "quoted sections" up to a space or a
   * parenthesis outside quotes. A key is the letters before the first
   * colon, when nothing is quoted before it. */
  token->kind = TOKEN_WORD;
  token->value_start = pos;
  while (!ends_word (text[pos]))
    {
      if (text[pos] == '"')
        {
          const char *close = strchr (text + pos + 1, '"');

          if (close == NULL)
            {
              parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, pos, strlen (text),
                           _("Missing closing quote"));
              return FALSE;
            }
          quoted = TRUE;
          g_string_append_len (token->value, text + pos + 1, close - (text + pos + 1));
          pos = close - text + 1;
        }
      else if (text[pos] == ':' && !quoted && !token->has_key && pos > token->start)
        {
          gboolean letters = TRUE;

          for (gsize i = token->start; i < pos && letters; i++)
            letters = g_ascii_isalpha (text[i]);
          if (letters)
            {
              token->has_key = TRUE;
              key_end = pos;
              g_string_truncate (token->value, 0);
              token->value_start = pos + 1;
            }
          else
            g_string_append_c (token->value, ':');
          pos++;
        }
      else
        g_string_append_c (token->value, text[pos++]);
    }
  token->end = parser->pos = pos;

  if (token->has_key)
    token->key = g_ascii_strdown (text + token->start, key_end - token->start);
  else if (!quoted)
    {
      /* Operators are bare words in any case; quoted they are text. */
      if (g_ascii_strcasecmp (token->value->str, "or") == 0)
        token->kind = TOKEN_OR;
      else if (g_ascii_strcasecmp (token->value->str, "and") == 0)
        token->kind = TOKEN_AND;
      else if (g_ascii_strcasecmp (token->value->str, "not") == 0)
        token->kind = TOKEN_NOT;
    }
  return TRUE;
}

/* Parser */

static Node *parse_or (Parser *parser);

static gboolean
ends_operand (TokenKind kind)
{
  return kind == TOKEN_EOF || kind == TOKEN_RPAREN || kind == TOKEN_OR || kind == TOKEN_AND;
}

static char *
token_text (Parser *parser)
{
  return g_strndup (parser->text + parser->token.start,
                    parser->token.end - parser->token.start);
}

static gboolean
parse_number (Parser *parser,
              Node   *node)
{
  const char *value = parser->token.value->str;
  gsize value_start = parser->token.value_start;
  gsize value_end = parser->token.end;
  static const struct { const char *text; CmpOp op; } ops[] = {
    { "<=", CMP_LE }, { ">=", CMP_GE }, { "<", CMP_LT }, { ">", CMP_GT }, { "=", CMP_EQ },
  };
  gint64 number = 0;

  node->op = CMP_EQ;
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (g_str_has_prefix (value, ops[i].text))
      {
        node->op = ops[i].op;
        value += strlen (ops[i].text);
        value_start += strlen (ops[i].text);
        break;
      }

  if (*value == '\0')
    {
      g_autofree char *word = token_text (parser);

      parser_fail (parser, QM_SEARCH_ERROR_BAD_VALUE, parser->token.start, parser->token.end,
                   _("Missing number after “%s”"), word);
      return FALSE;
    }
  for (const char *p = value; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          parser_fail (parser, QM_SEARCH_ERROR_BAD_VALUE, value_start, value_end,
                       _("“%s” is not a number"), value);
          return FALSE;
        }
      number = number * 10 + (*p - '0');
      if (number > G_MAXINT)
        {
          parser_fail (parser, QM_SEARCH_ERROR_BAD_VALUE, value_start, value_end,
                       _("“%s” is too large"), value);
          return FALSE;
        }
    }
  node->value = (int) number;
  return TRUE;
}

static Node *
parse_term (Parser *parser)
{
  Token *token = &parser->token;
  Node *node = NULL;
  const char *key_name;
  int key = -1;

  if (!token->has_key)
    {
      if (token->value->len == 0)
        {
          parser_fail (parser, QM_SEARCH_ERROR_BAD_VALUE, token->start, token->end,
                       _("Nothing between the quotes"));
          return NULL;
        }
      node = node_new (NODE_TEXT);
      node->needle = normalize (token->value->str, token->value->len);
      return node;
    }

  key_name = token->key;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (key_name, keys[i].name))
      key = keys[i].key;
  if (key < 0)
    {
      parser_fail (parser, QM_SEARCH_ERROR_UNKNOWN_FILTER,
                   token->start, token->value_start,
                   _("Unknown filter “%s:”"), key_name);
      return NULL;
    }
  if (token->value->len == 0)
    {
      parser_fail (parser, QM_SEARCH_ERROR_BAD_VALUE, token->start, token->end,
                   _("Missing value after “%s:”"), key_name);
      return NULL;
    }

  switch ((Key) key)
    {
    case KEY_IS:
    case KEY_NOT:
      {
        g_autofree char *lower = g_ascii_strdown (token->value->str, token->value->len);

        for (guint i = 0; i < G_N_ELEMENTS (is_filters); i++)
          if (g_str_equal (lower, is_filters[i].keyword))
            {
              node = node_new (NODE_IS);
              node->is = &is_filters[i];
              break;
            }
        if (node == NULL)
          {
            g_autofree char *word = token_text (parser);

            parser_fail (parser, QM_SEARCH_ERROR_UNKNOWN_FILTER, token->start, token->end,
                         _("Unknown filter “%s”"), word);
            return NULL;
          }
        if (key == KEY_NOT)
          node = node_new_not (node);
        return node;
      }

    case KEY_NAME:
      {
        g_autofree char *needle = normalize (token->value->str, token->value->len);

        g_strstrip (needle);
        if (*needle == '\0')
          {
            parser_fail (parser, QM_SEARCH_ERROR_BAD_VALUE, token->start, token->end,
                         _("Missing value after “%s:”"), key_name);
            return NULL;
          }
        node = node_new (NODE_NAME);
        node->needle = g_steal_pointer (&needle);
        return node;
      }

    case KEY_POWER:
    case KEY_QUANTITY:
      node = node_new (key == KEY_POWER ? NODE_POWER : NODE_QUANTITY);
      if (!parse_number (parser, node))
        g_clear_pointer (&node, node_free);
      return node;

    default:
      g_assert_not_reached ();
    }
}

static Node *
parse_unary (Parser *parser)
{
  Token *token = &parser->token;
  Node *node = NULL;

  if (++parser->depth > MAX_DEPTH)
    {
      parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, token->start, token->end,
                   _("The query is nested too deeply"));
      return NULL;
    }

  switch (token->kind)
    {
    case TOKEN_MINUS:
    case TOKEN_NOT:
      {
        gsize start = token->start;
        gsize end = token->end;
        gboolean minus = token->kind == TOKEN_MINUS;
        Node *child;

        if (!lexer_next (parser))
          break;
        if (ends_operand (token->kind))
          {
            if (minus)
              parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, start, end,
                           _("“-” must be followed by a filter"));
            else
              parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, start, end,
                           _("“not” must be followed by a filter"));
            break;
          }
        child = parse_unary (parser);
        if (child != NULL)
          node = node_new_not (child);
        break;
      }

    case TOKEN_LPAREN:
      {
        gsize open = token->start;

        if (!lexer_next (parser))
          break;
        if (token->kind == TOKEN_RPAREN)
          {
            parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, open, token->end,
                         _("Nothing between the parentheses"));
            break;
          }
        if (token->kind == TOKEN_EOF)
          {
            parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, open, open + 1,
                         _("Missing “)”"));
            break;
          }
        node = parse_or (parser);
        if (node == NULL)
          break;
        if (token->kind != TOKEN_RPAREN)
          {
            parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, open, open + 1,
                         _("Missing “)”"));
            g_clear_pointer (&node, node_free);
            break;
          }
        if (!lexer_next (parser))
          g_clear_pointer (&node, node_free);
        break;
      }

    case TOKEN_RPAREN:
      parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, token->start, token->end,
                   _("Unexpected “)”"));
      break;

    case TOKEN_OR:
      parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, token->start, token->end,
                   _("“or” needs a filter on each side"));
      break;

    case TOKEN_AND:
      parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, token->start, token->end,
                   _("“and” needs a filter on each side"));
      break;

    case TOKEN_WORD:
      node = parse_term (parser);
      if (node != NULL && !lexer_next (parser))
        g_clear_pointer (&node, node_free);
      break;

    case TOKEN_EOF:
    default:
      g_assert_not_reached ();
    }

  parser->depth--;
  return node;
}

static Node *
parse_and (Parser *parser)
{
  Token *token = &parser->token;
  Node *node = parse_unary (parser);

  while (node != NULL && token->kind != TOKEN_EOF && token->kind != TOKEN_RPAREN
         && token->kind != TOKEN_OR)
    {
      Node *right;

      if (token->kind == TOKEN_AND)
        {
          gsize start = token->start;
          gsize end = token->end;

          if (!lexer_next (parser))
            {
              g_clear_pointer (&node, node_free);
              break;
            }
          if (ends_operand (token->kind))
            {
              parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, start, end,
                           _("“and” needs a filter on each side"));
              g_clear_pointer (&node, node_free);
              break;
            }
        }
      right = parse_unary (parser);
      if (right == NULL)
        g_clear_pointer (&node, node_free);
      else
        node = node_join (NODE_AND, node, right);
    }
  return node;
}

static Node *
parse_or (Parser *parser)
{
  Token *token = &parser->token;
  Node *node = parse_and (parser);

  while (node != NULL && token->kind == TOKEN_OR)
    {
      gsize start = token->start;
      gsize end = token->end;
      Node *right;

      if (!lexer_next (parser))
        {
          g_clear_pointer (&node, node_free);
          break;
        }
      if (ends_operand (token->kind))
        {
          parser_fail (parser, QM_SEARCH_ERROR_SYNTAX, start, end,
                       _("“or” needs a filter on each side"));
          g_clear_pointer (&node, node_free);
          break;
        }
      right = parse_and (parser);
      if (right == NULL)
        g_clear_pointer (&node, node_free);
      else
        node = node_join (NODE_OR, node, right);
    }
  return node;
}

QmSearchQuery *
qm_search_query_parse (const char  *text,
                       int         *error_start,
                       int         *error_end,
                       GError     **error)
{
  Parser parser = { 0 };
  const char *invalid = NULL;
  Node *root = NULL;
  QmSearchQuery *query;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser.text = text;
  parser.token.value = g_string_new (NULL);

  if (!g_utf8_validate (text, -1, &invalid))
    parser_fail (&parser, QM_SEARCH_ERROR_SYNTAX, invalid - text, invalid - text + 1,
                 _("The query is not valid UTF-8 text"));
  else if (lexer_next (&parser))
    {
      if (parser.token.kind == TOKEN_EOF)
        root = node_new (NODE_ALL);
      else
        {
          root = parse_or (&parser);
          if (root != NULL && parser.token.kind != TOKEN_EOF)
            {
              /* parse_or stops at EOF, at an error or at a ")" with no "(". */
              parser_fail (&parser, QM_SEARCH_ERROR_SYNTAX,
                           parser.token.start, parser.token.end,
                           _("Unexpected “)”"));
              g_clear_pointer (&root, node_free);
            }
        }
    }

  g_free (parser.token.key);
  g_string_free (parser.token.value, TRUE);
  /* g_utf8_validate() points at the end of valid text too. */
  if (*invalid == '\0')
    invalid = NULL;

  if (root == NULL)
    {
      g_assert (parser.error != NULL);
      /* Offsets for people and for GtkEditable are in characters. An
       * invalid byte is reported at the character offset of the valid
       * prefix before it. */
      if (invalid != NULL)
        {
          glong offset = g_utf8_strlen (text, invalid - text);

          if (error_start != NULL)
            *error_start = offset;
          if (error_end != NULL)
            *error_end = offset + 1;
        }
      else
        {
          if (error_start != NULL)
            *error_start = g_utf8_strlen (text, parser.error_start);
          if (error_end != NULL)
            *error_end = g_utf8_strlen (text, parser.error_end);
        }
      g_propagate_error (error, parser.error);
      return NULL;
    }

  query = g_new0 (QmSearchQuery, 1);
  query->root = root;
  return query;
}

static gboolean
compare (int   value,
         CmpOp op,
         int   reference)
{
  switch (op)
    {
    case CMP_EQ: return value == reference;
    case CMP_LT: return value < reference;
    case CMP_LE: return value <= reference;
    case CMP_GT: return value > reference;
    case CMP_GE: return value >= reference;
    default: g_assert_not_reached ();
    }
}

static gboolean
is_matches (const IsFilter *filter,
            QmItem         *item)
{
  switch (filter->kind)
    {
    case IS_ITEM_TYPE:
      return qm_item_get_item_type (item) == (int) filter->arg;
    case IS_TIER:
      return qm_item_get_tier_type (item) == (int) filter->arg;
    case IS_EQUIPPED:
      return qm_item_get_equipped (item);
    case IS_LOCKED:
      return qm_item_get_locked (item);
    case IS_UNLOCKED:
      return !qm_item_get_locked (item);
    case IS_MASTERWORK:
      return qm_item_get_masterwork (item);
    case IS_LOCATION:
      return qm_item_get_location (item) == (QmItemLocation) filter->arg;
    case IS_IN_CHARACTER:
      {
        QmItemLocation location = qm_item_get_location (item);

        return qm_item_get_character_id (item) != NULL
               && (location == QM_ITEM_LOCATION_EQUIPPED || location == QM_ITEM_LOCATION_INVENTORY);
      }
    case IS_CLASS:
      return qm_item_get_class_type (item) == (int) filter->arg;
    case IS_DAMAGE:
      return qm_item_get_damage_type (item) == (int) filter->arg;
    case IS_SUB_TYPE:
      return qm_item_get_item_sub_type (item) == (int) filter->arg;
    case IS_SLOT:
      return qm_item_get_slot_hash (item) == filter->arg;
    case IS_STACKABLE:
      /* The game gives an instance to every item that cannot stack. */
      return qm_item_get_instance_id (item) == NULL;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
node_matches (const Node *node,
              QmItem     *item)
{
  switch (node->kind)
    {
    case NODE_ALL:
      return TRUE;
    case NODE_AND:
      for (guint i = 0; i < node->n_children; i++)
        if (!node_matches (node->children[i], item))
          return FALSE;
      return TRUE;
    case NODE_OR:
      for (guint i = 0; i < node->n_children; i++)
        if (node_matches (node->children[i], item))
          return TRUE;
      return FALSE;
    case NODE_NOT:
      return !node_matches (node->children[0], item);
    case NODE_TEXT:
      {
        const char *name = item_folded_name (item);

        return name != NULL && strstr (name, node->needle) != NULL;
      }
    case NODE_NAME:
      {
        const char *name = item_folded_name (item);

        return name != NULL && g_str_equal (name, node->needle);
      }
    case NODE_IS:
      return is_matches (node->is, item);
    case NODE_POWER:
      {
        int power = qm_item_get_power (item);

        return power >= 0 && compare (power, node->op, node->value);
      }
    case NODE_QUANTITY:
      return compare (qm_item_get_quantity (item), node->op, node->value);
    default:
      g_assert_not_reached ();
    }
}

gboolean
qm_search_query_matches (QmSearchQuery *query,
                         QmItem        *item)
{
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (QM_IS_ITEM (item), FALSE);

  return node_matches (query->root, item);
}

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
node_to_string (const Node *node,
                GString    *out)
{
  switch (node->kind)
    {
    case NODE_ALL:
      g_string_append (out, "(all)");
      break;
    case NODE_AND:
    case NODE_OR:
    case NODE_NOT:
      g_string_append (out, node->kind == NODE_AND ? "(and" : node->kind == NODE_OR ? "(or" : "(not");
      for (guint i = 0; i < node->n_children; i++)
        {
          g_string_append_c (out, ' ');
          node_to_string (node->children[i], out);
        }
      g_string_append_c (out, ')');
      break;
    case NODE_TEXT:
    case NODE_NAME:
      g_string_append (out, node->kind == NODE_TEXT ? "(text " : "(name ");
      append_quoted (out, node->needle);
      g_string_append_c (out, ')');
      break;
    case NODE_IS:
      g_string_append_printf (out, "(is %s)", node->is->keyword);
      break;
    case NODE_POWER:
    case NODE_QUANTITY:
      g_string_append_printf (out, "(%s %s %d)",
                              node->kind == NODE_POWER ? "power" : "quantity",
                              cmp_names[node->op], node->value);
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
qm_search_query_to_string (QmSearchQuery *query)
{
  GString *out;

  g_return_val_if_fail (query != NULL, NULL);

  out = g_string_new (NULL);
  node_to_string (query->root, out);
  return g_string_free (out, FALSE);
}

void
qm_search_query_free (QmSearchQuery *query)
{
  if (query == NULL)
    return;
  node_free (query->root);
  g_free (query);
}

gsize
qm_search_word_start (const char *text,
                      gsize       cursor)
{
  gsize start;

  g_return_val_if_fail (text != NULL, 0);

  cursor = MIN (cursor, strlen (text));
  start = cursor;
  while (start > 0 && !ends_word (text[start - 1]))
    start--;
  /* A leading "-" negates the word; it is not part of it. */
  while (start < cursor && text[start] == '-')
    start++;
  return start;
}

static gboolean
add_completion (GPtrArray  *out,
                guint       max,
                const char *word,
                char       *candidate)
{
  if (out->len >= max || g_str_equal (candidate, word))
    {
      g_free (candidate);
      return out->len < max;
    }
  g_ptr_array_add (out, candidate);
  return out->len < max;
}

GStrv
qm_search_complete (const char *text,
                    gsize       cursor,
                    guint       max)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *word = NULL;
  const char *colon;
  gsize start;

  g_return_val_if_fail (text != NULL, NULL);

  cursor = MIN (cursor, strlen (text));
  start = qm_search_word_start (text, cursor);
  word = g_ascii_strdown (text + start, cursor - start);
  colon = strchr (word, ':');

  if (*word == '\0' || strchr (word, '"') != NULL)
    ;
  else if (colon != NULL)
    {
      g_autofree char *key = g_strndup (word, colon - word);
      const char *prefix = colon + 1;

      /* Values of is: and not:, those starting with what was typed first,
       * then those containing it ("is:rifle" → "is:autorifle", …); not
       * for one or two letters, which are in too many words. */
      if (g_str_equal (key, "is") || g_str_equal (key, "not"))
        {
          for (guint i = 0; i < G_N_ELEMENTS (is_filters); i++)
            if (g_str_has_prefix (is_filters[i].keyword, prefix)
                && !add_completion (out, max, word,
                                    g_strconcat (key, ":", is_filters[i].keyword, NULL)))
              break;
          for (guint i = 0; i < G_N_ELEMENTS (is_filters) && strlen (prefix) >= 3; i++)
            if (!g_str_has_prefix (is_filters[i].keyword, prefix)
                && strstr (is_filters[i].keyword, prefix) != NULL
                && !add_completion (out, max, word,
                                    g_strconcat (key, ":", is_filters[i].keyword, NULL)))
              break;
        }
    }
  else
    {
      /* Filter keys, then is: filters by their keyword ("exo" →
       * "is:exotic"). */
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        if (keys[i].completed && g_str_has_prefix (keys[i].name, word)
            && !add_completion (out, max, word, g_strconcat (keys[i].name, ":", NULL)))
          break;
      for (guint i = 0; i < G_N_ELEMENTS (is_filters); i++)
        if (g_str_has_prefix (is_filters[i].keyword, word)
            && !add_completion (out, max, word, g_strconcat ("is:", is_filters[i].keyword, NULL)))
          break;
    }

  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_steal (out, NULL);
}
