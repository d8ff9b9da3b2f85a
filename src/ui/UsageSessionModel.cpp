// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "UsageSessionModel.h"

#include "SessionListModel.h"
#include "UsageCharts.h"

#include <QLocale>

#include <numeric>

#include <algorithm>

namespace tb::ui {

namespace {

// -1 sorts unpriced sessions below every priced one.
double costKey(const std::optional<double>& cost)
{
    return cost.value_or(-1.0);
}

} // namespace

UsageSessionModel::UsageSessionModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void UsageSessionModel::setSessions(const QList<core::SessionTokens>& sessions, const QString& whatIfModel)
{
    beginResetModel();
    m_all = sessions;
    m_whatIfModel = whatIfModel;
    m_rows.resize(m_all.size());
    std::iota(m_rows.begin(), m_rows.end(), 0);
    applySort();
    endResetModel();
    Q_EMIT headerDataChanged(Qt::Horizontal, WhatIfColumn, WhatIfColumn);
}

void UsageSessionModel::setFilter(const std::function<bool(const core::SessionTokens&)>& keep)
{
    beginResetModel();
    m_rows.clear();
    for (int i = 0; i < m_all.size(); ++i) {
        if (!keep || keep(m_all.at(i)))
            m_rows << i;
    }
    applySort();
    endResetModel();
}

int UsageSessionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int UsageSessionModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UsageSessionModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::SessionTokens& s = session(index.row());
    if (role == SessionIdRole)
        return s.sessionId;
    if (role == Qt::TextAlignmentRole && index.column() >= TurnsColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == CostColumn && !s.cost)
        return tr("No turn of this session has a price: assign a model or add a price");
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case SessionColumn: return s.sessionId;
    case TitleColumn: return s.title;
    case CustomerColumn: return s.customer;
    case StatusColumn: return SessionListModel::statusName(s.reviewStatus);
    case TurnsColumn: return locale.toString(s.turns);
    case TokensColumn: return locale.toString(s.totalTokens);
    case CostColumn: return UsageCharts::formatCost(s.cost);
    case WhatIfColumn: return UsageCharts::formatCost(s.whatIfCost);
    default: return {};
    }
}

QVariant UsageSessionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SessionColumn: return tr("Session");
    case TitleColumn: return tr("Title");
    case CustomerColumn: return tr("Customer");
    case StatusColumn: return tr("Status");
    case TurnsColumn: return tr("Turns");
    case TokensColumn: return tr("Tokens");
    case CostColumn: return tr("Cost (est.)");
    case WhatIfColumn: return m_whatIfModel.isEmpty() ? tr("What-if") : tr("On %1").arg(m_whatIfModel);
    default: return {};
    }
}

void UsageSessionModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QList<int> sources;
    sources.reserve(before.size());
    for (const QModelIndex& i : before)
        sources << m_rows.at(i.row());
    applySort();
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype k = 0; k < before.size(); ++k)
        after << index(int(m_rows.indexOf(sources.at(k))), before.at(k).column());
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void UsageSessionModel::applySort()
{
    const int column = m_sortColumn;
    const auto less = [this, column](int ia, int ib) {
        const core::SessionTokens& a = m_all.at(ia);
        const core::SessionTokens& b = m_all.at(ib);
        switch (column) {
        case TitleColumn:
            if (a.title != b.title)
                return a.title.localeAwareCompare(b.title) < 0;
            break;
        case CustomerColumn:
            if (a.customer != b.customer)
                return a.customer.localeAwareCompare(b.customer) < 0;
            break;
        case StatusColumn:
            if (a.reviewStatus != b.reviewStatus)
                return a.reviewStatus < b.reviewStatus;
            break;
        case TurnsColumn:
            if (a.turns != b.turns)
                return a.turns < b.turns;
            break;
        case TokensColumn:
            if (a.totalTokens != b.totalTokens)
                return a.totalTokens < b.totalTokens;
            break;
        case CostColumn:
            if (costKey(a.cost) != costKey(b.cost))
                return costKey(a.cost) < costKey(b.cost);
            break;
        case WhatIfColumn:
            if (costKey(a.whatIfCost) != costKey(b.whatIfCost))
                return costKey(a.whatIfCost) < costKey(b.whatIfCost);
            break;
        default: break;
        }
        return a.sessionId < b.sessionId;
    };
    if (m_sortOrder == Qt::AscendingOrder)
        std::stable_sort(m_rows.begin(), m_rows.end(), less);
    else
        std::stable_sort(m_rows.begin(), m_rows.end(), [&less](int a, int b) { return less(b, a); });
}

} // namespace tb::ui
