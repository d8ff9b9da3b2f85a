// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BranchComparison.h"

#include "BranchLineage.h"
#include "ConversationExport.h"

#include <QDate>
#include <QHash>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <vector>

namespace tb::core {

namespace {

// Turn numbers with NULLs (foreign writers only) read as the turn of the row before them, so
// every row belongs to exactly one turn.
QList<qint64> normalizedTurns(const QList<StoredItem>& items)
{
    QList<qint64> turns;
    turns.reserve(items.size());
    qint64 last = 0;
    for (const StoredItem& it : items) {
        if (it.turn)
            last = *it.turn;
        turns << last;
    }
    return turns;
}

BranchRows rowsOf(const BranchComparison::Side& side)
{
    BranchRows rows;
    rows.branchId = side.branchId;
    rows.messageIds.reserve(side.items.size());
    for (const StoredItem& it : side.items)
        rows.messageIds << it.messageId;
    return rows;
}

bool sameKind(const BranchComparison::Item& a, const BranchComparison::Item& b)
{
    return a.kind == b.kind && (a.kind != BranchComparison::ItemKind::Other || a.label == b.label);
}

// Pairs the items of one turn: a longest common subsequence of item kinds keeps the user item
// with the user item and the answer with the answer even when one side made extra tool calls.
QList<BranchComparison::ItemPair> pairItems(const QList<BranchComparison::Item>& left,
                                            const QList<BranchComparison::Item>& right)
{
    QList<BranchComparison::ItemPair> pairs;
    const qsizetype n = left.size();
    const qsizetype m = right.size();
    const auto pair = [&pairs](const BranchComparison::Item* l, const BranchComparison::Item* r) {
        BranchComparison::ItemPair p;
        if (l)
            p.left = *l;
        if (r)
            p.right = *r;
        p.shared = l && r && l->messageId == r->messageId;
        pairs << p;
    };
    // A turn with thousands of items (a runaway tool loop) is paired by position instead.
    constexpr qsizetype kMaxCells = 1'000'000;
    if (n * m > kMaxCells) {
        for (qsizetype i = 0; i < std::max(n, m); ++i)
            pair(i < n ? &left.at(i) : nullptr, i < m ? &right.at(i) : nullptr);
        return pairs;
    }
    // lcs[i][j]: LCS length of left[i..] and right[j..].
    std::vector<int> lcs(size_t((n + 1) * (m + 1)), 0);
    const auto at = [m](qsizetype i, qsizetype j) { return size_t(i * (m + 1) + j); };
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j) {
            lcs[at(i, j)] = sameKind(left.at(i), right.at(j)) ? lcs[at(i + 1, j + 1)] + 1
                                                              : std::max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
        }
    }
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && sameKind(left.at(i), right.at(j)) && lcs[at(i, j)] == lcs[at(i + 1, j + 1)] + 1) {
            pair(&left.at(i++), &right.at(j++));
        } else if (i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)])) {
            pair(&left.at(i++), nullptr);
        } else {
            pair(nullptr, &right.at(j++));
        }
    }
    return pairs;
}

QDate dateOf(const QString& timestamp)
{
    const QDate d = QDate::fromString(timestamp.left(10), Qt::ISODate);
    return d.isValid() ? d : QDate::currentDate();
}

BranchComparison::Tokens tokensOf(const TurnUsage* usage, const QString& model, const QDate& on,
                                  const PriceTable& prices)
{
    BranchComparison::Tokens t;
    t.model = model;
    if (!usage)
        return t;
    t.usageRows = 1;
    t.requests = usage->requests.toInt();
    t.input = usage->inputTokens.toInt();
    t.cached = usage->inputTokensDetails[u"cached_tokens"].toInt();
    t.output = usage->outputTokens.toInt();
    t.reasoning = usage->outputTokensDetails[u"reasoning_tokens"].toInt();
    t.total = usage->totalTokens.toInt();
    const auto price = model.isEmpty() ? std::nullopt : prices.find(model, on);
    if (price)
        t.cost = PriceTable::cost(*price, t.input, t.cached, t.output);
    else
        t.unpricedRows = 1;
    return t;
}

} // namespace

BranchComparison::Tokens& BranchComparison::Tokens::operator+=(const Tokens& o)
{
    requests += o.requests;
    input += o.input;
    cached += o.cached;
    output += o.output;
    reasoning += o.reasoning;
    total += o.total;
    usageRows += o.usageRows;
    unpricedRows += o.unpricedRows;
    if (o.cost)
        cost = cost.value_or(0.0) + *o.cost;
    return *this;
}

TextDiff BranchComparison::ItemPair::diff(const TextDiff::Limits& limits) const
{
    const QString l = left ? left->text : QString();
    const QString r = right ? right->text : QString();
    return TextDiff::compute(l, r, limits);
}

std::optional<double> BranchComparison::Turn::deltaCost() const
{
    if (!left.costComplete() || !right.costComplete())
        return std::nullopt;
    return right.cost.value_or(0.0) - left.cost.value_or(0.0);
}

std::optional<double> BranchComparison::deltaCost() const
{
    if (!m_leftTotal.costComplete() || !m_rightTotal.costComplete())
        return std::nullopt;
    return m_rightTotal.cost.value_or(0.0) - m_leftTotal.cost.value_or(0.0);
}

qsizetype BranchComparison::indexOfTurn(qint64 turn) const
{
    const auto it =
        std::lower_bound(m_turns.cbegin(), m_turns.cend(), turn, [](const Turn& t, qint64 n) { return t.turn < n; });
    return it != m_turns.cend() && it->turn == turn ? it - m_turns.cbegin() : -1;
}

BranchComparison::Item BranchComparison::describe(const StoredItem& stored)
{
    Item out;
    out.messageId = stored.messageId;
    if (stored.corrupt) {
        out.kind = ItemKind::Corrupt;
        out.label = QStringLiteral("Unreadable row");
        out.text = stored.rawText;
        return out;
    }
    const Json& item = stored.item;
    const QString type = item[u"type"].toString();
    const QString role = item[u"role"].toString();
    if (!role.isEmpty() && item.contains(u"content")) {
        out.kind = role == u"user" ? ItemKind::User : role == u"assistant" ? ItemKind::Assistant : ItemKind::Other;
        out.label = role.left(1).toUpper() + role.mid(1);
        out.text = ConversationExport::contentText(item[u"content"]);
        return out;
    }
    if (type.endsWith(u"_call_output") || type == u"tool_search_output" || type == u"mcp_approval_response") {
        out.kind = ItemKind::ToolOutput;
        out.label = QStringLiteral("Tool output");
        const Json& output = item[u"output"];
        out.text = output.isString()  ? Json::prettyText(output.toString())
                   : output.isArray() ? ConversationExport::contentText(output)
                                      : item.pretty();
        return out;
    }
    if (type.endsWith(u"_call") || type == u"mcp_approval_request") {
        out.kind = ItemKind::ToolCall;
        out.label = QStringLiteral("Tool call");
        const QString name = stored.toolName.value_or(item[u"name"].toString(type));
        const Json& args = item[u"arguments"];
        out.text = name + u'\n'
                   + (args.isString() ? Json::prettyText(args.toString())
                      : args.isNull() ? item.pretty()
                                      : args.pretty());
        return out;
    }
    if (type == u"reasoning") {
        out.kind = ItemKind::Reasoning;
        out.label = QStringLiteral("Reasoning");
        QStringList summary;
        for (const Json& part : item[u"summary"].asArray())
            summary << part[u"text"].toString();
        out.text = summary.join(u'\n');
        return out;
    }
    out.kind = ItemKind::Other;
    out.label = type.isEmpty() ? QStringLiteral("Item") : type;
    out.text = item.pretty();
    return out;
}

BranchComparison BranchComparison::compute(const Side& left, const Side& right, const PriceTable& prices,
                                           const ModelForTurn& modelForTurn)
{
    BranchComparison c;
    c.m_leftBranch = left.branchId;
    c.m_rightBranch = right.branchId;
    c.m_sharedItems = BranchLineage::sharedPrefix(rowsOf(left), rowsOf(right));
    const QList<qint64> leftTurns = normalizedTurns(left.items);
    const QList<qint64> rightTurns = normalizedTurns(right.items);

    // The fork is the earliest turn holding a row that is not shared; with SDK-written branches
    // (monotonic turns) that is the turn of the first row after the shared prefix.
    std::optional<qint64> fork;
    const auto consider = [&fork](const QList<qint64>& turns, qsizetype from) {
        for (qsizetype i = from; i < turns.size(); ++i)
            fork = fork ? std::min(*fork, turns.at(i)) : turns.at(i);
    };
    consider(leftTurns, c.m_sharedItems);
    consider(rightTurns, c.m_sharedItems);
    c.m_forkTurn = fork;

    QSet<qint64> sharedTurns;
    for (qsizetype i = 0; i < c.m_sharedItems; ++i) {
        if (fork && leftTurns.at(i) >= *fork)
            break; // a fork in mid-turn: the shared rows of that turn are shown in its row
        sharedTurns.insert(leftTurns.at(i));
        c.m_shared << describe(left.items.at(i));
    }
    c.m_sharedTurns = QList<qint64>(sharedTurns.cbegin(), sharedTurns.cend());
    std::sort(c.m_sharedTurns.begin(), c.m_sharedTurns.end());
    if (!fork)
        return c;

    // Items and usage of each turn from the fork on, per side.
    QMap<qint64, QPair<QList<Item>, QList<Item>>> items;
    QHash<qint64, QString> leftFirstTime;
    QHash<qint64, QString> rightFirstTime;
    for (qsizetype i = 0; i < left.items.size(); ++i) {
        if (leftTurns.at(i) >= *fork) {
            items[leftTurns.at(i)].first << describe(left.items.at(i));
            if (!leftFirstTime.contains(leftTurns.at(i)))
                leftFirstTime.insert(leftTurns.at(i), left.items.at(i).createdAt);
        }
    }
    for (qsizetype i = 0; i < right.items.size(); ++i) {
        if (rightTurns.at(i) >= *fork) {
            items[rightTurns.at(i)].second << describe(right.items.at(i));
            if (!rightFirstTime.contains(rightTurns.at(i)))
                rightFirstTime.insert(rightTurns.at(i), right.items.at(i).createdAt);
        }
    }
    QHash<qint64, const TurnUsage*> leftUsage;
    QHash<qint64, const TurnUsage*> rightUsage;
    for (const TurnUsage& u : left.usage) {
        if (u.userTurnNumber && *u.userTurnNumber >= *fork) {
            leftUsage.insert(*u.userTurnNumber, &u);
            items[*u.userTurnNumber];
        }
    }
    for (const TurnUsage& u : right.usage) {
        if (u.userTurnNumber && *u.userTurnNumber >= *fork) {
            rightUsage.insert(*u.userTurnNumber, &u);
            items[*u.userTurnNumber];
        }
    }

    c.m_turns.reserve(items.size());
    for (auto it = items.cbegin(); it != items.cend(); ++it) {
        Turn t;
        t.turn = it.key();
        t.onLeft = !it->first.isEmpty();
        t.onRight = !it->second.isEmpty();
        t.pairs = pairItems(it->first, it->second);
        const auto model = [&](const QString& branch) {
            return modelForTurn ? modelForTurn(branch, t.turn) : QString();
        };
        t.left = tokensOf(leftUsage.value(t.turn), model(left.branchId), dateOf(leftFirstTime.value(t.turn)), prices);
        t.right =
            tokensOf(rightUsage.value(t.turn), model(right.branchId), dateOf(rightFirstTime.value(t.turn)), prices);
        c.m_leftTotal += t.left;
        c.m_rightTotal += t.right;
        c.m_turns << std::move(t);
    }
    return c;
}

} // namespace tb::core
