// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/BranchComparison.h"

#include <QAbstractTableModel>
#include <QList>

#include <optional>

namespace tb::ui {

/// Per-turn token and cost differences of a branch comparison: one row per turn from the fork,
/// then a Total row. Δ columns are right minus left, so a positive Δ means the right branch spent
/// more. A side without usage for a turn shows "–" and counts as zero in Δ and totals.
class BranchCompareModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BranchCompareModel)

public:
    /// Columns, in display order.
    enum Column {
        TurnColumn,
        LeftInputColumn,
        LeftOutputColumn,
        LeftTotalColumn,
        RightInputColumn,
        RightOutputColumn,
        RightTotalColumn,
        DeltaTotalColumn,
        LeftCostColumn,
        RightCostColumn,
        DeltaCostColumn,
        ColumnCount
    };
    /// Roles beyond Qt's.
    enum Role {
        TurnRole = Qt::UserRole + 1, // qint64 turn number; invalid QVariant on the Total row
        ValueRole,                   // the exact number of a cell: qint64 tokens or double US$; invalid when none
        SideRole,                    // 0 left, 1 right, -1 neither (turn and Δ columns)
    };

    explicit BranchCompareModel(QObject* parent = nullptr);
    ~BranchCompareModel() override;

    /// Takes the numbers of a comparison (not its texts) and names the sides in headers and tips.
    void setComparison(const core::BranchComparison& comparison, const QString& leftName, const QString& rightName);
    void clear();

    [[nodiscard]] bool isTotalRow(int row) const { return m_hasTotal && row == int(m_rows.size()); }
    /// The turn of a row; nullopt for the Total row and out-of-range rows.
    [[nodiscard]] std::optional<qint64> turnAt(int row) const;
    /// The row of a turn, or -1.
    [[nodiscard]] int rowOfTurn(qint64 turn) const;
    /// -1 for columns that belong to neither side.
    [[nodiscard]] static int sideOf(int column);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    struct Row
    {
        qint64 turn = 0;
        bool onLeft = false;
        bool onRight = false;
        core::BranchComparison::Tokens left;
        core::BranchComparison::Tokens right;
        std::optional<double> deltaCost;
    };

    [[nodiscard]] QVariant display(const Row& r, bool total, int column) const;
    [[nodiscard]] QVariant value(const Row& r, int column) const;
    [[nodiscard]] QString toolTip(const Row& r, bool total, int column) const;

    QList<Row> m_rows;
    Row m_total;
    bool m_hasTotal = false;
    QString m_leftName;
    QString m_rightName;
};

} // namespace tb::ui
