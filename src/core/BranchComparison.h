// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "PriceTable.h"
#include "SessionTypes.h"
#include "TextDiff.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace tb::core {

/// Two branches of one session lined up turn by turn from the point where they fork.
///
/// The SDK copies a branch's history as structure rows that keep the source's message ids
/// (spec sdk-sessions.md §6.6), so the rows both branches share are their common message-id prefix
/// (BranchLineage::sharedPrefix); the fork turn is the turn of the first row after it. Turns before
/// the fork are the same rows on both sides and are only listed. From the fork on every turn is a
/// row: the items of both sides paired by kind (a longest common subsequence of item kinds, so a
/// tool call the other side did not make stands against an empty side), their texts, and each
/// side's tokens and cost from `turn_usage`. turn_usage is not copied by the SDK, so usage of the
/// shared turns lives on the source branch only and is left out of the totals, which run from the
/// fork on. Text diffs are computed on demand (ItemPair::diff), so comparing 1,000 turns stays cheap
/// until somebody looks at them.
class BranchComparison final
{
public:
    /// The model that answered a turn (from the workbench's request rows or an assignment); an
    /// empty string means unknown, and that turn gets no cost.
    using ModelForTurn = std::function<QString(const QString& branchId, qint64 turn)>;

    struct Side
    {
        QString branchId;
        QList<StoredItem> items; // BranchingSession::branchItems(branchId, 0, -1)
        QList<TurnUsage> usage;  // BranchingSession::getTurnUsages(branchId)
    };

    enum class ItemKind {
        User,
        Assistant,
        ToolCall,
        ToolOutput,
        Reasoning,
        Other,
        Corrupt
    };

    /// One item reduced to what is compared and shown.
    struct Item
    {
        ItemKind kind = ItemKind::Other;
        QString label; // "User", "Assistant", "Tool call", "Tool output", "Reasoning", the item type …
        QString text;  // message text, tool name with pretty arguments, output, summary, raw row
        qint64 messageId = 0;
    };

    /// Corresponding items of a turn; a side is absent when the other branch has no counterpart.
    struct ItemPair
    {
        std::optional<Item> left;
        std::optional<Item> right;
        bool shared = false; // the very same stored row on both sides (a fork in mid-turn)

        /// Word diff of the two texts (an absent side is empty text).
        [[nodiscard]] TextDiff diff(const TextDiff::Limits& limits = {}) const;
    };

    /// One side's usage of a turn, or of all turns from the fork (totals).
    struct Tokens
    {
        qint64 requests = 0;
        qint64 input = 0;
        qint64 cached = 0;
        qint64 output = 0;
        qint64 reasoning = 0;
        qint64 total = 0;
        int usageRows = 0;          // turn_usage rows summed (0: the turn has no recorded usage)
        std::optional<double> cost; // US$ of the priced rows; none when no row could be priced
        int unpricedRows = 0;       // rows with usage but no model or no price for it
        QString model;              // for a turn: the model priced (may be empty)

        [[nodiscard]] bool hasUsage() const { return usageRows > 0; }
        /// A cost that covers every usage row.
        [[nodiscard]] bool costComplete() const { return unpricedRows == 0; }
        Tokens& operator+=(const Tokens& o);
    };

    struct Turn
    {
        qint64 turn = 0;
        bool onLeft = false; // the left branch has items in this turn
        bool onRight = false;
        QList<ItemPair> pairs;
        Tokens left;
        Tokens right;

        [[nodiscard]] qint64 deltaTotal() const { return right.total - left.total; }
        /// Right minus left; none unless both sides' costs are complete.
        [[nodiscard]] std::optional<double> deltaCost() const;
    };

    /// Needs the full rows of both branches (they are read once, paired without text diffs).
    static BranchComparison compute(const Side& left, const Side& right, const PriceTable& prices,
                                    const ModelForTurn& modelForTurn);

    [[nodiscard]] const QString& leftBranch() const { return m_leftBranch; }
    [[nodiscard]] const QString& rightBranch() const { return m_rightBranch; }
    /// Rows (items) both branches share at the start.
    [[nodiscard]] qsizetype sharedItems() const { return m_sharedItems; }
    /// Turns before the fork, ascending (turn 0 holds items stored before the first user item).
    [[nodiscard]] const QList<qint64>& sharedTurns() const { return m_sharedTurns; }
    /// The first turn compared; nullopt when the branches hold the same rows.
    [[nodiscard]] std::optional<qint64> forkTurn() const { return m_forkTurn; }
    /// The shared items, for showing them once.
    [[nodiscard]] const QList<Item>& sharedItemList() const { return m_shared; }
    [[nodiscard]] const QList<Turn>& turns() const { return m_turns; }
    [[nodiscard]] const Tokens& leftTotal() const { return m_leftTotal; }
    [[nodiscard]] const Tokens& rightTotal() const { return m_rightTotal; }
    [[nodiscard]] qint64 deltaTotal() const { return m_rightTotal.total - m_leftTotal.total; }
    [[nodiscard]] std::optional<double> deltaCost() const;
    /// Index in turns() of a turn number, or -1.
    [[nodiscard]] qsizetype indexOfTurn(qint64 turn) const;

    /// What is compared and shown of a stored item (tool arguments and JSON outputs pretty-printed).
    static Item describe(const StoredItem& item);

private:
    QString m_leftBranch;
    QString m_rightBranch;
    qsizetype m_sharedItems = 0;
    QList<qint64> m_sharedTurns;
    std::optional<qint64> m_forkTurn;
    QList<Item> m_shared;
    QList<Turn> m_turns;
    Tokens m_leftTotal;
    Tokens m_rightTotal;
};

} // namespace tb::core
