/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: the fault queue (private).
 *
 * Faults are kept in a GQueue of SymblFault copies; the server's lock
 * guards it, so nothing here locks.
 */
#pragma once

#include "symbllocalserver.h"

G_BEGIN_DECLS

SymblFault *symbl_fault_copy (const SymblFault * fault);
void symbl_fault_free (SymblFault * fault);

/* Parses the text form ("status=503,retry-after=2,count=3"); @count gets
 * how many times the fault is to be added. */
SymblFault *symbl_fault_parse (const gchar * text, guint * count,
    GError ** error);

/* Removes and returns the oldest fault that applies to a request for @path
 * (NULL if none). JOB_FAILS faults only apply to uploads, which are the
 * requests that create jobs. */
SymblFault *symbl_fault_queue_take (GQueue * faults, const gchar * path,
    gboolean is_upload);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SymblFault, symbl_fault_free);

G_END_DECLS
