/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Writes an element's reference page with its factory details, pad
 * templates and properties (its own and its pads') read from the plugin
 * itself, so that the page cannot drift from the code. Only the part of
 * PAGE between the markers is replaced; the hand-written text around them
 * is kept.
 *
 *   gen-element-docs PLUGIN-FILE ELEMENT PAGE OUTPUT
 *   gen-element-docs --list PLUGIN-FILE     (the plugin's elements)
 *
 * tools/update-element-docs.sh runs it on docs/elements/; tests/docs
 * checks that the committed pages match what it writes. */
#include <string.h>
#include <gst/gst.h>

#define BEGIN_MARKER "<!-- generated: do not edit below -->"
#define END_MARKER "<!-- end of generated -->"

/* Table cells and text stay on one line, without stray column breaks. */
static gchar *
cell (const gchar * text)
{
  GString *out = g_string_new (NULL);

  for (; text && *text; text++) {
    if (*text == '|')
      g_string_append (out, "\\|");
    else if (*text == '\n')
      g_string_append_c (out, ' ');
    else
      g_string_append_c (out, *text);
  }
  return g_string_free (out, FALSE);
}

static const gchar *
rank_name (guint rank)
{
  switch (rank) {
    case GST_RANK_NONE:
      return "none";
    case GST_RANK_MARGINAL:
      return "marginal";
    case GST_RANK_SECONDARY:
      return "secondary";
    case GST_RANK_PRIMARY:
      return "primary";
    default:
      return "custom";
  }
}

static void
write_factory (GString * out, GstElementFactory * factory, GType type)
{
  static const gchar *keys[][2] = {
    {GST_ELEMENT_METADATA_LONGNAME, "Long name"},
    {GST_ELEMENT_METADATA_KLASS, "Class"},
    {GST_ELEMENT_METADATA_DESCRIPTION, "Description"},
    {GST_ELEMENT_METADATA_AUTHOR, "Author"},
  };
  GstPlugin *plugin = gst_plugin_feature_get_plugin (GST_PLUGIN_FEATURE
      (factory));
  g_autoptr (GString) chain = g_string_new (NULL);
  GType *interfaces;
  guint i, n, rank;

  g_string_append (out, "## Factory\n\n| | |\n|---|---|\n");
  for (i = 0; i < G_N_ELEMENTS (keys); i++) {
    g_autofree gchar *text = cell (gst_element_factory_get_metadata (factory,
            keys[i][0]));
    g_string_append_printf (out, "| %s | %s |\n", keys[i][1], text);
  }
  rank = gst_plugin_feature_get_rank (GST_PLUGIN_FEATURE (factory));
  g_string_append_printf (out, "| Rank | %s (%u) |\n", rank_name (rank), rank);
  g_string_append_printf (out, "| Plugin | `%s`, %s, license %s |\n",
      gst_plugin_get_name (plugin), gst_plugin_get_package (plugin),
      gst_plugin_get_license (plugin));

  for (; type; type = g_type_parent (type)) {
    if (chain->len)
      g_string_prepend (chain, " → ");
    g_string_prepend (chain, "`");
    g_string_prepend (chain, g_type_name (type));
    g_string_prepend (chain, "`");
  }
  g_string_append_printf (out, "| Hierarchy | %s |\n", chain->str);

  interfaces = g_type_interfaces (gst_element_factory_get_element_type
      (factory), &n);
  if (n > 0) {
    g_string_append (out, "| Interfaces |");
    for (i = 0; i < n; i++)
      g_string_append_printf (out, "%s `%s`", i ? "," : "",
          g_type_name (interfaces[i]));
    g_string_append (out, " |\n");
  }
  g_free (interfaces);
  gst_object_unref (plugin);
}

/* From the class rather than the factory: its templates carry the type
 * of their pads, which may have properties of their own. */
static void
write_pad_templates (GString * out, GType type, GPtrArray * pad_types)
{
  static const gchar *directions[] = { "unknown", "source", "sink" };
  static const gchar *presences[] = { "always", "sometimes", "request" };
  GstElementClass *klass = g_type_class_ref (type);
  GList *l;

  g_string_append (out, "\n## Pad templates\n");
  for (l = gst_element_class_get_pad_template_list (klass); l; l = l->next) {
    GstPadTemplate *templ = l->data;
    g_autoptr (GstCaps) caps = gst_pad_template_get_caps (templ);
    GType pad_type = G_TYPE_NONE;
    guint i;

    g_object_get (templ, "gtype", &pad_type, NULL);
    g_string_append_printf (out, "\n### `%s`: %s, %s\n\n",
        GST_PAD_TEMPLATE_NAME_TEMPLATE (templ),
        directions[GST_PAD_TEMPLATE_DIRECTION (templ)],
        presences[GST_PAD_TEMPLATE_PRESENCE (templ)]);
    if (pad_type != G_TYPE_NONE && pad_type != GST_TYPE_PAD) {
      g_string_append_printf (out,
          "Pads of type `%s` (see Pad properties).\n\n",
          g_type_name (pad_type));
      if (!g_ptr_array_find (pad_types, GSIZE_TO_POINTER (pad_type), NULL))
        g_ptr_array_add (pad_types, GSIZE_TO_POINTER (pad_type));
    }
    /* One structure per line, as gst-inspect-1.0 shows them. */
    g_string_append (out, "```\n");
    for (i = 0; i < gst_caps_get_size (caps); i++) {
      g_autofree gchar *text =
          gst_structure_to_string (gst_caps_get_structure (caps, i));
      gsize len = strlen (text);

      /* GStreamer 1.22 ends each structure's text with ';' */
      if (len > 0 && text[len - 1] == ';')
        text[len - 1] = '\0';
      g_string_append_printf (out, "%s\n", text);
    }
    g_string_append (out, "```\n");
  }
  g_type_class_unref (klass);
}

static gchar *
value_text (const GValue * value, GParamSpec * pspec)
{
  if (G_IS_PARAM_SPEC_STRING (pspec)) {
    const gchar *text = g_value_get_string (value);
    return text ? g_strdup_printf ("`\"%s\"`", text) : g_strdup ("unset");
  }
  if (G_IS_PARAM_SPEC_ENUM (pspec)) {
    GEnumValue *v = g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class,
        g_value_get_enum (value));
    return g_strdup_printf ("`%s`", v ? v->value_nick : "?");
  }
  if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    return g_strdup_printf ("`%g`", g_value_get_double (value));
  {
    g_autofree gchar *text = gst_value_serialize (value);
    return g_strdup_printf ("`%s`", text);
  }
}

static void
write_type (GString * out, GParamSpec * pspec)
{
  if (G_IS_PARAM_SPEC_STRING (pspec)) {
    g_string_append (out, "- Type: string\n");
  } else if (G_IS_PARAM_SPEC_BOOLEAN (pspec)) {
    g_string_append (out, "- Type: boolean\n");
  } else if (G_IS_PARAM_SPEC_INT (pspec)) {
    GParamSpecInt *p = G_PARAM_SPEC_INT (pspec);
    g_string_append_printf (out, "- Type: int, from %d to %d\n", p->minimum,
        p->maximum);
  } else if (G_IS_PARAM_SPEC_UINT (pspec)) {
    GParamSpecUInt *p = G_PARAM_SPEC_UINT (pspec);
    g_string_append_printf (out, "- Type: unsigned int, from %u to %u\n",
        p->minimum, p->maximum);
  } else if (G_IS_PARAM_SPEC_DOUBLE (pspec)) {
    GParamSpecDouble *p = G_PARAM_SPEC_DOUBLE (pspec);
    g_string_append_printf (out, "- Type: double, from %g to %g\n",
        p->minimum, p->maximum);
  } else if (G_IS_PARAM_SPEC_ENUM (pspec)) {
    GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
    guint i;

    g_string_append_printf (out, "- Type: enum `%s`, one of:\n",
        g_type_name (pspec->value_type));
    for (i = 0; i < klass->n_values; i++)
      g_string_append_printf (out, "  - `%s` (%d): %s\n",
          klass->values[i].value_nick, klass->values[i].value,
          klass->values[i].value_name);
  } else {
    g_string_append_printf (out, "- Type: `%s`\n",
        g_type_name (pspec->value_type));
  }
}

static void
write_flags (GString * out, GParamSpec * pspec)
{
  g_autoptr (GPtrArray) flags = g_ptr_array_new ();
  guint i;

  if (!(pspec->flags & G_PARAM_READABLE))
    g_ptr_array_add (flags, "write-only: it can be set but never read back");
  else if (!(pspec->flags & G_PARAM_WRITABLE))
    g_ptr_array_add (flags, "read-only");
  else
    g_ptr_array_add (flags, "readable, writable");
  if (pspec->flags & G_PARAM_CONSTRUCT_ONLY)
    g_ptr_array_add (flags, "construct-only");
  if (pspec->flags & GST_PARAM_CONTROLLABLE)
    g_ptr_array_add (flags, "controllable");
  if (pspec->flags & GST_PARAM_MUTABLE_PLAYING)
    g_ptr_array_add (flags, "changeable in any state");
  else if (pspec->flags & GST_PARAM_MUTABLE_PAUSED)
    g_ptr_array_add (flags, "changeable up to the PAUSED state");
  else if (pspec->flags & GST_PARAM_MUTABLE_READY)
    g_ptr_array_add (flags, "changeable only in the NULL or READY state");
  if (pspec->flags & G_PARAM_DEPRECATED)
    g_ptr_array_add (flags, "deprecated");

  g_string_append (out, "- Flags: ");
  for (i = 0; i < flags->len; i++)
    g_string_append_printf (out, "%s%s", i ? "; " : "",
        (gchar *) g_ptr_array_index (flags, i));
  g_string_append (out, "\n");
}

static gint
compare_param_id (gconstpointer a, gconstpointer b)
{
  GParamSpec *pa = *(GParamSpec **) a, *pb = *(GParamSpec **) b;

  return (gint) pa->param_id - (gint) pb->param_id;
}

/* The type's own properties, in the order it installs them; the ones
 * every GstElement or GstBaseSink has are GStreamer's to document. */
static void
write_properties (GString * out, GType type, const gchar * heading)
{
  GObjectClass *klass = g_type_class_ref (type);
  GParamSpec **all;
  g_autoptr (GPtrArray) own = g_ptr_array_new ();
  guint i, n;

  all = g_object_class_list_properties (klass, &n);
  for (i = 0; i < n; i++)
    if (all[i]->owner_type == type)
      g_ptr_array_add (own, all[i]);
  g_ptr_array_sort (own, compare_param_id);

  if (own->len > 0)
    g_string_append_printf (out, "\n## %s\n", heading);
  for (i = 0; i < own->len; i++) {
    GParamSpec *pspec = g_ptr_array_index (own, i);
    g_autofree gchar *blurb = cell (g_param_spec_get_blurb (pspec));
    g_autofree gchar *value = value_text (g_param_spec_get_default_value
        (pspec), pspec);

    g_string_append_printf (out, "\n### `%s`\n\n%s%s\n\n", pspec->name, blurb,
        g_str_has_suffix (blurb, ".") ? "" : ".");
    write_type (out, pspec);
    g_string_append_printf (out, "- Default: %s\n", value);
    write_flags (out, pspec);
  }
  g_free (all);
  g_type_class_unref (klass);
}

static gchar *
generate (GstElementFactory * factory)
{
  GString *out = g_string_new (NULL);
  GType type = gst_element_factory_get_element_type (factory);
  g_autoptr (GPtrArray) pad_types = g_ptr_array_new ();
  guint i;

  write_factory (out, factory, type);
  write_pad_templates (out, type, pad_types);
  write_properties (out, type, "Properties");
  for (i = 0; i < pad_types->len; i++) {
    GType pad_type = GPOINTER_TO_SIZE (g_ptr_array_index (pad_types, i));
    g_autofree gchar *heading = g_strdup_printf ("Pad properties (`%s`)",
        g_type_name (pad_type));
    write_properties (out, pad_type, heading);
  }
  return g_string_free (out, FALSE);
}

/* Every element of the plugin, for a check that each has its page. */
static int
list_elements (GstPlugin * plugin)
{
  GList *features = gst_registry_get_feature_list_by_plugin (gst_registry_get
      (), gst_plugin_get_name (plugin));
  GList *l;

  for (l = features; l; l = l->next)
    if (GST_IS_ELEMENT_FACTORY (l->data))
      g_print ("%s\n", gst_plugin_feature_get_name (l->data));
  gst_plugin_feature_list_free (features);
  gst_object_unref (plugin);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree gchar *page = NULL, *before = NULL, *generated = NULL;
  g_autofree gchar *result = NULL;
  GstElementFactory *factory;
  GstPlugin *plugin;
  GError *error = NULL;
  gchar *begin, *end;

  if (argc != 5 && !(argc == 3 && g_str_equal (argv[1], "--list"))) {
    g_printerr ("usage: %s PLUGIN-FILE ELEMENT PAGE OUTPUT\n"
        "       %s --list PLUGIN-FILE\n", argv[0], argv[0]);
    return 2;
  }
  /* Only the plugin given: never an installed copy found by a scan. */
  g_setenv ("GST_REGISTRY_DISABLE", "yes", TRUE);
  gst_init (NULL, NULL);

  plugin = gst_plugin_load_file (argc == 3 ? argv[2] : argv[1], &error);
  if (!plugin) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  if (argc == 3)
    return list_elements (plugin);
  factory = gst_element_factory_find (argv[2]);
  if (!factory) {
    g_printerr ("%s has no element %s\n", argv[1], argv[2]);
    return 1;
  }
  if (!g_file_get_contents (argv[3], &page, NULL, &error)) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  begin = strstr (page, BEGIN_MARKER "\n");
  end = begin ? strstr (begin, END_MARKER) : NULL;
  if (!end) {
    g_printerr ("%s lacks the lines %s and %s\n", argv[3], BEGIN_MARKER,
        END_MARKER);
    return 1;
  }
  before = g_strndup (page, begin + strlen (BEGIN_MARKER "\n") - page);
  generated = generate (factory);
  result = g_strconcat (before, "\n", generated, "\n", end, NULL);
  if (!g_file_set_contents (argv[4], result, -1, &error)) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  gst_object_unref (factory);
  gst_object_unref (plugin);
  return 0;
}
