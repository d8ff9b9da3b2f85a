// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BranchLineage.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace tb::core {

namespace {

const QString kMain = QStringLiteral("main");

// Fork turn after `shared` copied rows: one past the highest shared turn. Turn-0 rows (system
// items) and NULL turns are copied too (§6.6 step 4) but do not make a turn of their own.
qint64 forkTurnAfter(const BranchRows& rows, qsizetype shared)
{
    qint64 maxTurn = 0;
    for (qsizetype i = 0; i < shared && i < rows.turns.size(); ++i) {
        if (rows.turns.at(i))
            maxTurn = std::max(maxTurn, *rows.turns.at(i));
    }
    return maxTurn + 1;
}

} // namespace

qsizetype BranchLineage::sharedPrefix(const BranchRows& a, const BranchRows& b)
{
    const qsizetype n = std::min(a.messageIds.size(), b.messageIds.size());
    qsizetype i = 0;
    while (i < n && a.messageIds.at(i) == b.messageIds.at(i))
        ++i;
    return i;
}

QList<BranchNode> BranchLineage::compute(const QList<BranchRows>& branches, const QList<BranchMeta>& recorded)
{
    QHash<QString, qsizetype> indexOf;
    for (qsizetype i = 0; i < branches.size(); ++i)
        indexOf.insert(branches.at(i).branchId, i);
    const qsizetype mainIndex = indexOf.value(kMain, -1);

    QHash<QString, BranchMeta> metaOf;
    for (const BranchMeta& m : recorded)
        metaOf.insert(m.branchId, m);

    QList<BranchNode> nodes(branches.size());
    for (qsizetype i = 0; i < branches.size(); ++i) {
        const BranchRows& b = branches.at(i);
        BranchNode& node = nodes[i];
        node.branchId = b.branchId;
        if (i == mainIndex)
            continue;

        // Inference: scan main first, then earlier branches; only a strictly longer prefix
        // replaces the current best, which gives the tie order main → earlier-created.
        qsizetype bestIndex = -1;
        qsizetype bestShared = 0;
        if (mainIndex >= 0) {
            bestIndex = mainIndex;
            bestShared = sharedPrefix(b, branches.at(mainIndex));
        }
        for (qsizetype j = 0; j < i; ++j) {
            if (j == mainIndex)
                continue;
            const qsizetype shared = sharedPrefix(b, branches.at(j));
            if (shared > bestShared) {
                bestShared = shared;
                bestIndex = j;
            }
        }
        if (bestIndex >= 0) {
            node.parent = branches.at(bestIndex).branchId;
            node.forkTurn = forkTurnAfter(b, bestShared);
        }
    }

    // Recorded lineage overrides, unless it names an unknown branch or closes a cycle (the side
    // table is ours, but a hand-edited or stale row must not hang the layout).
    for (qsizetype i = 0; i < branches.size(); ++i) {
        const auto meta = metaOf.constFind(branches.at(i).branchId);
        if (meta == metaOf.cend() || !meta->parentBranch || i == mainIndex)
            continue;
        const qsizetype p = indexOf.value(*meta->parentBranch, -1);
        if (p < 0 || p == i)
            continue;
        bool cycle = false;
        QSet<QString> seen{branches.at(i).branchId};
        for (std::optional<QString> up = branches.at(p).branchId; up && !cycle;) {
            if (seen.contains(*up)) {
                cycle = true;
                break;
            }
            seen.insert(*up);
            up = nodes.at(indexOf.value(*up)).parent;
        }
        if (cycle)
            continue;
        BranchNode& node = nodes[i];
        node.parent = branches.at(p).branchId;
        node.forkTurn = meta->forkTurn ? *meta->forkTurn
                                       : forkTurnAfter(branches.at(i), sharedPrefix(branches.at(i), branches.at(p)));
        node.recorded = true;
    }

    for (qsizetype i = 0; i < branches.size(); ++i) {
        BranchNode& node = nodes[i];
        const qint64 from = std::max<qint64>(node.forkTurn, 1);
        QList<qint64> own;
        for (const std::optional<qint64>& t : branches.at(i).turns) {
            if (t && *t >= from)
                own << *t;
        }
        std::sort(own.begin(), own.end());
        own.erase(std::unique(own.begin(), own.end()), own.end());
        node.ownTurns = own;
    }

    // Lanes: depth-first from the roots (main first), children in creation order, so a subtree
    // occupies adjacent lanes.
    QHash<QString, QList<qsizetype>> children;
    QList<qsizetype> roots;
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        if (nodes.at(i).parent)
            children[*nodes.at(i).parent] << i;
        else if (i == mainIndex)
            roots.prepend(i);
        else
            roots << i;
    }
    int lane = 0;
    QList<qsizetype> stack;
    for (auto r = roots.crbegin(); r != roots.crend(); ++r)
        stack << *r;
    while (!stack.isEmpty()) {
        const qsizetype i = stack.takeLast();
        nodes[i].lane = lane++;
        const QList<qsizetype> kids = children.value(nodes.at(i).branchId);
        for (auto k = kids.crbegin(); k != kids.crend(); ++k)
            stack << *k;
    }
    return nodes;
}

} // namespace tb::core
