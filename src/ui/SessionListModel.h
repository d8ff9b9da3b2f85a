// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/ModelResolver.h"
#include "core/PriceTable.h"
#include "core/SessionStore.h"

#include <QAbstractTableModel>

namespace tb::ui {

/// The sessions of one database, fetched a page at a time (fetchMore), so files with tens of
/// thousands of sessions open at once. Sorting and filtering are done by the store (SQL), not by
/// a proxy, because a proxy would need every row loaded.
class SessionListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        TitleColumn,
        CustomerColumn,
        StatusColumn,
        TurnsColumn,
        BranchesColumn,
        ItemsColumn,
        LastActivityColumn,
        TokensColumn,
        CostColumn,
        ColumnCount
    };
    enum Role { SessionIdRole = Qt::UserRole + 1 };

    /// Display name of a review status.
    static QString statusName(core::ReviewStatus status);

    explicit SessionListModel(QObject* parent = nullptr);

    /// The store is not owned; nullptr clears the model.
    void setStore(core::SessionStore* store);
    void setFilter(const QString& filter);
    void reload();
    [[nodiscard]] qint64 totalCount() const { return m_total; }
    [[nodiscard]] QString lastError() const { return m_lastError; }
    /// Prices for the cost column, and the model assumed where a session recorded none.
    void setPricing(const core::PriceTable& prices, const QString& defaultModel);
    [[nodiscard]] const core::PriceTable& prices() const { return m_prices; }
    [[nodiscard]] const QString& defaultModel() const { return m_defaultModel; }
    /// Estimated US$ cost of a row and the price it used (nullopt when the model has no price).
    [[nodiscard]] std::optional<double> cost(const core::SessionSummary& s, core::ModelPrice* used = nullptr) const;
    /// Row of a session among the loaded rows, or -1.
    [[nodiscard]] int rowOf(const QString& sessionId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void loadFailed(const QString& message);

private:
    static constexpr qint64 kPageSize = 200;

    core::SessionStore* m_store = nullptr;
    core::PriceTable m_prices = core::PriceTable::defaults();
    QString m_defaultModel = QStringLiteral("gpt-4.1-mini");
    core::ModelResolver m_resolver;
    core::SessionQuery m_query;
    QList<core::SessionSummary> m_rows;
    qint64 m_total = 0;
    QString m_lastError;
};

} // namespace tb::ui
