// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SessionListModel.h"

#include <QLocale>

namespace tb::ui {

SessionListModel::SessionListModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_query.limit = kPageSize;
}

void SessionListModel::setStore(core::SessionStore* store)
{
    m_store = store;
    reload();
}

void SessionListModel::setFilter(const QString& filter)
{
    if (filter == m_query.filter)
        return;
    m_query.filter = filter;
    reload();
}

void SessionListModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_total = 0;
    m_lastError.clear();
    m_resolver.setDefaultModel(m_defaultModel);
    QList<core::ModelAssignment> assignments;
    if (m_store) {
        if (auto rows = m_store->modelAssignments())
            assignments = *rows;
    }
    m_resolver.setAssignments(assignments);
    if (m_store) {
        auto total = m_store->countSessions(m_query.filter);
        if (total) {
            m_total = *total;
        } else {
            m_lastError = total.error().message;
        }
    }
    endResetModel();
    if (!m_lastError.isEmpty())
        Q_EMIT loadFailed(m_lastError);
    else if (m_store)
        fetchMore({});
}

int SessionListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SessionListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool SessionListModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_store && m_rows.size() < m_total && m_lastError.isEmpty();
}

void SessionListModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    core::SessionQuery q = m_query;
    q.offset = m_rows.size();
    q.limit = kPageSize;
    auto page = m_store->listSessions(q);
    if (!page) {
        m_lastError = page.error().message;
        Q_EMIT loadFailed(m_lastError);
        return;
    }
    if (page->isEmpty()) {
        m_total = m_rows.size(); // the file changed under us; stop asking
        return;
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page->size() - 1));
    m_rows.append(*page);
    endInsertRows();
}

QVariant SessionListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::SessionSummary& s = m_rows.at(index.row());
    if (role == SessionIdRole)
        return s.sessionId;
    const int c = index.column();
    const bool numeric = c == ItemsColumn || c == TurnsColumn || c == BranchesColumn || c == TokensColumn || c == CostColumn;
    if (role == Qt::TextAlignmentRole && numeric)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && c == CostColumn) {
        core::ModelPrice used;
        if (!cost(s, &used))
            return tr("No price known for model %1").arg(m_resolver.resolveSession(s.sessionId, s.model).model);
        const core::ResolvedModel resolved = m_resolver.resolveSession(s.sessionId, s.model);
        return tr("Estimated at %1 list prices of %2 (%3 input, %4 cached, %5 output tokens); model from: %6")
            .arg(used.model, used.effective.toString(Qt::ISODate), QLocale().toString(s.inputTokens),
                 QLocale().toString(s.cachedTokens), QLocale().toString(s.outputTokens), core::modelSourceName(resolved.source));
    }
    if (role == Qt::ToolTipRole) {
        QString tip = tr("%1\nfirst activity %2 UTC\nlast activity %3 UTC").arg(s.sessionId, s.firstActivity, s.lastActivity);
        if (!s.meta.tags.isEmpty())
            tip += tr("\ntags: %1").arg(s.meta.tags.join(QStringLiteral(", ")));
        return tip;
    }
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case IdColumn: return s.sessionId;
    case TitleColumn: return s.meta.title;
    case CustomerColumn: return s.meta.customer;
    case StatusColumn: return statusName(s.meta.reviewStatus);
    case ItemsColumn: return locale.toString(s.itemCount);
    case TurnsColumn: return locale.toString(s.turnCount);
    case BranchesColumn: return locale.toString(s.branchCount);
    case LastActivityColumn: return s.lastActivity;
    case TokensColumn: return locale.toString(s.totalTokens);
    case CostColumn: {
        const auto dollars = cost(s);
        return dollars ? QStringLiteral("$") + QString::number(*dollars, 'f', *dollars < 1 ? 4 : 2) : QStringLiteral("–");
    }
    default: return {};
    }
}

void SessionListModel::setPricing(const core::PriceTable& prices, const QString& defaultModel)
{
    m_prices = prices;
    m_defaultModel = defaultModel;
    m_resolver.setDefaultModel(defaultModel);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, CostColumn), index(int(m_rows.size()) - 1, CostColumn));
}

std::optional<double> SessionListModel::cost(const core::SessionSummary& s, core::ModelPrice* used) const
{
    // Recorded model, else the analyst's session or file assignment, else the default.
    const auto price = m_prices.find(m_resolver.resolveSession(s.sessionId, s.model).model);
    if (!price)
        return std::nullopt;
    if (used)
        *used = *price;
    return core::PriceTable::cost(*price, s.inputTokens, s.cachedTokens, s.outputTokens);
}

QVariant SessionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn: return tr("Session");
    case TitleColumn: return tr("Title");
    case CustomerColumn: return tr("Customer");
    case StatusColumn: return tr("Review");
    case ItemsColumn: return tr("Items");
    case TurnsColumn: return tr("Turns");
    case BranchesColumn: return tr("Branches");
    case LastActivityColumn: return tr("Last activity (UTC)");
    case TokensColumn: return tr("Tokens");
    case CostColumn: return tr("Cost (est.)");
    default: return {};
    }
}

QString SessionListModel::statusName(core::ReviewStatus status)
{
    switch (status) {
    case core::ReviewStatus::New: return tr("New");
    case core::ReviewStatus::InReview: return tr("In review");
    case core::ReviewStatus::Resolved: return tr("Resolved");
    case core::ReviewStatus::Escalated: return tr("Escalated");
    }
    return {};
}

int SessionListModel::rowOf(const QString& sessionId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).sessionId == sessionId)
            return int(i);
    }
    return -1;
}

void SessionListModel::sort(int column, Qt::SortOrder order)
{
    static const core::SessionSortKey keys[ColumnCount] = {
        core::SessionSortKey::SessionId, core::SessionSortKey::Title,        core::SessionSortKey::Customer,
        core::SessionSortKey::ReviewStatus, core::SessionSortKey::Turns,     core::SessionSortKey::Branches,
        core::SessionSortKey::Items,     core::SessionSortKey::LastActivity, core::SessionSortKey::Tokens,
        core::SessionSortKey::Tokens}; // cost follows tokens; its price per session is not known to SQL
    if (column < 0 || column >= ColumnCount)
        return;
    m_query.sort = keys[column];
    m_query.descending = order == Qt::DescendingOrder;
    reload();
}

} // namespace tb::ui
