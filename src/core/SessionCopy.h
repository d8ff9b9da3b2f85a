// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Result.h"
#include "SessionStore.h"

#include <QString>

namespace tb::core {

/// Scratch copies for what-if work on conversations that must stay untouched: a session a plain
/// SQLiteSession reads (it would see every branch's rows as its memory), a production-flagged or a
/// read-only file. The copy is a new AdvancedSQLiteSession holding the conversation's items, written
/// through add_items so its numbering is the SDK's own.
class SessionCopy final
{
public:
    /// Copies what `from` shows for `sessionId` (the rows of `branchId` for a branch-aware session,
    /// else every item, as a plain SQLiteSession reads them) into the new session `newId` of `to`.
    /// Usage rows stay with the original (turn_usage has no call to write a past turn). Fails if
    /// `newId` already has items. Returns the number of items copied.
    static Result<qint64> copy(SessionStore& from, const QString& sessionId, const QString& branchId, SessionStore& to,
                               const QString& newId);

    /// `base` + "-whatif", or with "-2", "-3" … appended: the first id with no session in `store`.
    static Result<QString> freeSessionId(SessionStore& store, const QString& base);

    /// Whether branching `sessionId` in place could change what a production reader sees: the file
    /// is read-only, flagged production, has no branch tables, or the session has items a plain
    /// SQLiteSession wrote. A scratch copy (tagged "what-if") is safe in a production file. The
    /// reason is for the analyst; empty when branching in place is safe.
    static Result<QString> inPlaceRisk(SessionStore& store, const QString& sessionId);
};

} // namespace tb::core
