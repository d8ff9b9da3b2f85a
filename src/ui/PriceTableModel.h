// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/PriceTable.h"

#include <QAbstractTableModel>

#include <optional>

namespace tb::ui {

/// The rows of a price table for editing: one row per model and effective date (several versions
/// of a model are several rows). Edits are typed as text and parsed (prices in US$ per million
/// tokens with any number of decimals, dates as YYYY-MM-DD); reasoning and the date may be empty
/// ("as output", "always"). Rows that cannot be saved are reported by firstProblem().
class PriceTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ModelColumn, InputColumn, CachedColumn, OutputColumn, ReasoningColumn, EffectiveColumn, ColumnCount };
    /// Numbers and dates as values (not text), for sorting in a proxy.
    enum Role { SortRole = Qt::UserRole + 1 };

    /// A row that cannot be saved: which cell and why.
    struct Problem
    {
        int row = -1;
        int column = 0;
        QString message;
    };

    explicit PriceTableModel(QObject* parent = nullptr);

    void setTable(const core::PriceTable& table);
    /// The rows as a table (in row order).
    [[nodiscard]] core::PriceTable table() const;
    [[nodiscard]] const QList<core::ModelPrice>& rows() const { return m_rows; }
    [[nodiscard]] core::ModelPrice price(int row) const { return m_rows.value(row); }

    /// Appends a row and returns its number.
    int addPrice(const core::ModelPrice& price);
    /// Replaces the row of the same model and date, or appends; returns the row.
    int setPrice(const core::ModelPrice& price);

    /// The first row that is not valid: no model name, a negative price, or a model and date that
    /// another row has too.
    [[nodiscard]] std::optional<Problem> firstProblem() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool insertRows(int row, int count, const QModelIndex& parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    /// Text of a price for display and editing: as many decimals as it has (0.025, 1.25, 10).
    static QString priceText(double perMillion);
    /// Parses a typed price ("0.025", "$2", "1,5" in a comma locale); nullopt when not a number
    /// or negative.
    static std::optional<double> parsePrice(const QString& text);

private:
    [[nodiscard]] std::optional<QString> cellProblem(int row, int column) const;

    QList<core::ModelPrice> m_rows;
};

} // namespace tb::ui
