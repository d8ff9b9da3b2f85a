// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Json.h"
#include "Result.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <optional>

namespace tb::core {

/// Rows of one table of a session as they were before a BranchMerge operation changed them: what
/// undo writes back. Only the BranchMerge that made it interprets it.
struct RowSnapshot
{
    QString table;
    QString scopeColumn; // empty: every row of the session; else rows whose column is in scopeValues
    QVariantList scopeValues;
    bool tableExisted = true;  // false: the operation created the table, undo drops it again when empty
    QStringList columns;       // "rowid" first, then every column
    QList<QByteArray> classes; // per row one SQLite storage class letter per column: n, i, r, t, b
    QList<QVariantList> rows;  // text as its stored bytes, so undo writes back byte-identical rows
};

/// One sqlite_sequence entry around an operation (nullopt: no entry).
struct SequenceSnapshot
{
    QString table;
    std::optional<qint64> before;
    std::optional<qint64> after;
};

/// Everything needed to put a session back exactly as it was before a promote or a carry. The
/// window keeps it in its undo stack; BranchMerge::undo() refuses it once the session changed.
struct MergeUndo
{
    enum class Kind {
        None,
        Promote,
        Carry
    };
    Kind kind = Kind::None;
    QString sessionId;
    QString description; // for humans ("Promote 'alt-1' to main")
    QList<RowSnapshot> rows;
    QList<SequenceSnapshot> sequences;
    QByteArray stateAfter; // digest of the session's rows right after the operation

    [[nodiscard]] bool isValid() const { return kind != Kind::None; }
};

/// What promote() would do, checked against the file without writing: for the confirmation.
struct PromotePlan
{
    QString sessionId;
    QString branchId;    // the branch that becomes main
    QString oldMainName; // the id the current main will carry
    qint64 branchItems = 0;
    qint64 branchTurns = 0;
    qint64 mainItems = 0;
    qint64 mainTurns = 0;
};

struct PromoteOutcome
{
    PromotePlan plan;
    qint64 movedUsageRows = 0; // turn_usage rows that went with their turns (both lines)
    MergeUndo undo;
};

struct CarryOutcome
{
    QString sessionId;
    QString sourceBranch;
    qint64 messageId = 0;
    qint64 sequenceNumber = 0;
    std::optional<qint64> turn; // user_turn_number on main: the turn the finding closes
    Json item;                  // exactly what was stored
    MergeUndo undo;
};

/// A finding carried from a branch, as the branch tree shows it.
struct CarriedFinding
{
    qint64 messageId = 0;
    QString sourceBranch;
    QString createdAt;    // when it was carried (UTC text, as SQLite writes it)
    QString text;         // the analyst's text (without the provenance line)
    QStringList branches; // branches whose rows hold the item today (main, or more after a later branch)
};

/// Promote a what-if branch to `main` and carry a finding from a branch back to `main`, with
/// exact undo (issue 7). "main" is what a production agent continues: every new SDK session
/// object starts there (spec sdk-sessions.md §1). Both operations leave a file whose SDK answers
/// are what the SDK would give for a file in that state, and both refuse files a production agent
/// or a plain SQLiteSession reader depends on.
class BranchMerge
{
public:
    virtual ~BranchMerge() = default;

    /// Checks a promote (the file may be written, is not flagged production, the session is only
    /// read through message_structure, the branch exists and is not main, the old main's name is
    /// free) without writing. `oldMainName` empty: `main-before-<date>` with a suffix if taken.
    virtual Result<PromotePlan> planPromote(const QString& sessionId, const QString& branchId,
                                            const std::optional<QString>& oldMainName = std::nullopt) = 0;
    /// Makes `branchId` the session's main; the old main becomes the branch PromotePlan::oldMainName.
    /// Nothing is deleted: structure rows, turn usage and the workbench's side-table rows move with
    /// their branch, sequence numbers and message rows stay, the new name is reserved, and the
    /// clear generation is bumped so live SDK objects on the promoted branch go back to main.
    virtual Result<PromoteOutcome> promote(const QString& sessionId, const QString& branchId,
                                           const std::optional<QString>& oldMainName = std::nullopt) = 0;

    /// Checks a carry from `branchId` without writing.
    virtual Result<void> checkCarry(const QString& sessionId, const QString& branchId) = 0;
    /// Appends findingItem(branchId, text) to main through the SDK's add_items and links it to the
    /// branch in tb_carried_finding.
    virtual Result<CarryOutcome> carry(const QString& sessionId, const QString& branchId, const QString& text) = 0;
    virtual Result<QList<CarriedFinding>> carriedFindings(const QString& sessionId) = 0;

    /// Restores the state before the operation that returned `undo`, row for row. Refused when the
    /// session changed since (an item added, a branch made, usage stored …).
    virtual Result<void> undo(const MergeUndo& undo) = 0;

    /// The item a carry stores: a developer message, which the model reads as guidance from the
    /// operator side. A user item would open a new customer turn (and be answered as one), an
    /// assistant item would claim the agent told the customer; a developer item gets no turn of
    /// its own (it closes main's last turn) and `message_type` "message" (spec §4.2).
    static Json findingItem(const QString& branchId, const QString& text);
    /// The analyst's text in a carried item, or nullopt when the item is not one.
    static std::optional<QString> findingText(const Json& item);
    /// The default name of the old main on `date`.
    static QString defaultOldMainName(const QDate& date);
};

} // namespace tb::core
