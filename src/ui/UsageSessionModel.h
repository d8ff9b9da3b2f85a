// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/UsageReport.h"

#include <QAbstractTableModel>

#include <functional>

namespace tb::ui {

/// The sessions of a usage report as a table for the dashboard: shown through a filter (a
/// customer, a review status, the sessions of some days) and sorted by any column, without copying
/// rows — 10,000 sessions refill and sort in milliseconds (a QStandardItemModel of the same rows
/// takes seconds to destroy).
class UsageSessionModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { SessionColumn, TitleColumn, CustomerColumn, StatusColumn, TurnsColumn, TokensColumn, CostColumn, WhatIfColumn, ColumnCount };
    enum Role { SessionIdRole = Qt::UserRole + 1 };

    explicit UsageSessionModel(QObject* parent = nullptr);

    /// The report's sessions; `whatIfModel` names the what-if column ("" when there is none).
    void setSessions(const QList<core::SessionTokens>& sessions, const QString& whatIfModel);
    /// Shows only the sessions `keep` accepts (an empty function shows all), in the current order.
    void setFilter(const std::function<bool(const core::SessionTokens&)>& keep);
    [[nodiscard]] const core::SessionTokens& session(int row) const { return m_all.at(m_rows.at(row)); }
    [[nodiscard]] QString sessionId(int row) const { return row >= 0 && row < m_rows.size() ? session(row).sessionId : QString(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    void applySort();

    QList<core::SessionTokens> m_all;
    QList<int> m_rows; // indices into m_all, filtered and sorted
    QString m_whatIfModel;
    int m_sortColumn = CostColumn;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
};

} // namespace tb::ui
