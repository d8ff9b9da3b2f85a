// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "SessionStore.h"

#include <QList>
#include <QString>

#include <optional>

namespace tb::core {

/// The structure rows of one branch in sequence order, as `branchItems()` reads them. Only the
/// message ids and turn numbers matter for lineage; `createdAt` is kept for callers that sort.
struct BranchRows
{
    QString branchId;
    QList<qint64> messageIds;
    QList<std::optional<qint64>> turns; // parallel to messageIds (user_turn_number)
    QString createdAt;
};

/// Where a branch came from and what it draws.
struct BranchNode
{
    QString branchId;
    std::optional<QString> parent; // none for `main` and for roots when `main` is absent
    qint64 forkTurn = 1;           // first turn that belongs to this branch rather than the parent
    int lane = 0;                  // 0 = main, then children depth-first in creation order
    QList<qint64> ownTurns;        // distinct turns >= max(forkTurn, 1), ascending
    bool recorded = false;         // parent/fork came from BranchMeta, not from inference
};

/// Branch lineage of one session. The SDK stores no parent pointers (spec sdk-sessions.md §6.6):
/// a branch made with create_branch_from_turn(N) starts with copies of the source's rows of turns
/// < N that keep the source's message ids, so the source is the earlier branch sharing the longest
/// message-id prefix, and the fork turn is the turn after the last shared one. Workbench-recorded
/// lineage (BranchMeta.parentBranch/forkTurn) wins whenever it names a known branch without a cycle.
class BranchLineage final
{
public:
    /// `branches` must be in list_branches order (creation order); the result keeps that order.
    /// Only branches created before B (earlier in the list, or `main`) are candidate parents of B:
    /// a copy source exists before its copy, and this keeps the result a tree even when one
    /// branch's rows are a prefix of a later branch's rows.
    static QList<BranchNode> compute(const QList<BranchRows>& branches, const QList<BranchMeta>& recorded);

    /// Length of the common message-id prefix of two branches.
    static qsizetype sharedPrefix(const BranchRows& a, const BranchRows& b);
};

} // namespace tb::core
