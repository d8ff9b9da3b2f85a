// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/PriceTable.h"
#include "core/Result.h"

#include <QDialog>

#include <memory>

namespace Ui {
class PriceTableDialog;
}

class QSortFilterProxyModel;

namespace tb::ui {

class PriceTableModel;

/// Edits a price table: rows per model and effective date (versions), add, remove, a new version
/// of a price from today, a flat price per thousand tokens, import and export as JSON
/// (threadbench-prices/1), reset to PriceTable::defaults(), and the default model for turns with
/// no recorded or assigned model.
///
/// It returns values and saves nothing (house-style §2): the caller stores table() and
/// defaultModel() where it keeps its settings. accept() refuses a table with problems and selects
/// the cell at fault.
class PriceTableDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit PriceTableDialog(const core::PriceTable& table, const QString& defaultModel = {}, QWidget* parent = nullptr);
    ~PriceTableDialog() override;

    [[nodiscard]] core::PriceTable table() const;
    [[nodiscard]] QString defaultModel() const;
    [[nodiscard]] PriceTableModel* model() const { return m_model; }

    enum class ImportMode { Replace, Merge };
    /// Reads a JSON price table; Merge replaces rows of the same model and date and adds the rest.
    core::Result<void> importFile(const QString& path, ImportMode mode);
    /// Writes the edited table as JSON (refused while it has problems).
    core::Result<void> exportFile(const QString& path) const;
    void resetToDefaults();
    /// Adds (or replaces) a flat price: every kind of token at `perThousand` dollars per 1,000.
    void addFlatPrice(const QString& model, double perThousand);
    /// Adds a copy of a row in effect from `from` (today by default) and selects it.
    int addVersion(int row, const QDate& from = QDate::currentDate());

    void accept() override;

private:
    void addRow();
    void removeSelected();
    void newVersionOfSelected();
    void chooseFlatPrice();
    void chooseImport();
    void chooseExport();
    void confirmReset();
    void updateProblems();
    void updateModels();
    void selectSourceCell(int row, int column, bool edit);
    [[nodiscard]] QList<int> selectedRows() const;

    std::unique_ptr<Ui::PriceTableDialog> m_ui;
    PriceTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
};

} // namespace tb::ui
