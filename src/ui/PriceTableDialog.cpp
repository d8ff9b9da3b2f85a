// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "PriceTableDialog.h"

#include "PriceTableModel.h"

#include "ui_PriceTableDialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>

#include <algorithm>

namespace tb::ui {

PriceTableDialog::PriceTableDialog(const core::PriceTable& table, const QString& defaultModel, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::PriceTableDialog>())
{
    m_ui->setupUi(this);
    m_model = new PriceTableModel(this);
    m_model->setTable(table);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(PriceTableModel::SortRole);
    m_proxy->setFilterKeyColumn(PriceTableModel::ModelColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    // Rows stay where they are while being edited; sorting happens when a header is clicked.
    m_proxy->setDynamicSortFilter(false);
    m_ui->priceView->setModel(m_proxy);
    m_ui->priceView->sortByColumn(PriceTableModel::ModelColumn, Qt::AscendingOrder);
    m_ui->priceView->horizontalHeader()->setSectionResizeMode(PriceTableModel::ModelColumn, QHeaderView::Stretch);
    m_ui->priceView->verticalHeader()->setVisible(false);
    m_ui->priceView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_ui->priceView->setWordWrap(false);
    m_ui->priceView->resizeColumnsToContents();
    QPalette warning = m_ui->problemLabel->palette();
    warning.setColor(QPalette::WindowText, QColor(0xD5, 0x5E, 0x00));
    m_ui->problemLabel->setPalette(warning);

    m_ui->defaultModelCombo->setCurrentText(defaultModel);
    updateModels();
    m_ui->defaultModelCombo->setCurrentText(defaultModel);

    connect(m_ui->filterEdit, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_ui->addButton, &QPushButton::clicked, this, &PriceTableDialog::addRow);
    connect(m_ui->versionButton, &QPushButton::clicked, this, &PriceTableDialog::newVersionOfSelected);
    connect(m_ui->flatButton, &QPushButton::clicked, this, &PriceTableDialog::chooseFlatPrice);
    connect(m_ui->removeButton, &QPushButton::clicked, this, &PriceTableDialog::removeSelected);
    connect(m_ui->importButton, &QPushButton::clicked, this, &PriceTableDialog::chooseImport);
    connect(m_ui->exportButton, &QPushButton::clicked, this, &PriceTableDialog::chooseExport);
    connect(m_ui->resetButton, &QPushButton::clicked, this, &PriceTableDialog::confirmReset);
    const auto changed = [this] {
        updateProblems();
        updateModels();
    };
    connect(m_model, &QAbstractItemModel::modelReset, this, changed);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, changed);
    connect(m_model, &QAbstractItemModel::dataChanged, this, changed);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, changed);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, changed);
    const auto updateButtons = [this] {
        const bool any = !selectedRows().isEmpty();
        m_ui->removeButton->setEnabled(any);
        m_ui->versionButton->setEnabled(any);
    };
    connect(m_ui->priceView->selectionModel(), &QItemSelectionModel::selectionChanged, this, updateButtons);
    updateButtons();
    updateProblems();
}

PriceTableDialog::~PriceTableDialog() = default;

core::PriceTable PriceTableDialog::table() const
{
    return m_model->table();
}

QString PriceTableDialog::defaultModel() const
{
    return m_ui->defaultModelCombo->currentText().trimmed();
}

core::Result<void> PriceTableDialog::importFile(const QString& path, ImportMode mode)
{
    auto loaded = core::PriceTable::load(path);
    if (!loaded)
        return loaded.error();
    if (mode == ImportMode::Replace) {
        m_model->setTable(*loaded);
    } else {
        for (const core::ModelPrice& p : loaded->prices())
            m_model->setPrice(p);
    }
    return {};
}

core::Result<void> PriceTableDialog::exportFile(const QString& path) const
{
    if (auto problem = m_model->firstProblem())
        return core::Error::make(core::Error::Code::Argument, problem->message);
    return m_model->table().save(path);
}

void PriceTableDialog::resetToDefaults()
{
    m_model->setTable(core::PriceTable::defaults());
}

void PriceTableDialog::addFlatPrice(const QString& model, double perThousand)
{
    const int row = m_model->setPrice(core::PriceTable::flat(model.trimmed(), perThousand));
    selectSourceCell(row, PriceTableModel::ModelColumn, false);
}

int PriceTableDialog::addVersion(int row, const QDate& from)
{
    if (row < 0 || row >= m_model->rowCount())
        return -1;
    core::ModelPrice copy = m_model->price(row);
    copy.effective = from;
    const int added = m_model->setPrice(copy);
    selectSourceCell(added, PriceTableModel::InputColumn, false);
    return added;
}

void PriceTableDialog::accept()
{
    if (auto problem = m_model->firstProblem()) {
        updateProblems();
        selectSourceCell(problem->row, problem->column, false);
        m_ui->priceView->setFocus();
        return;
    }
    QDialog::accept();
}

void PriceTableDialog::addRow()
{
    const int row = m_model->addPrice({});
    selectSourceCell(row, PriceTableModel::ModelColumn, true);
}

QList<int> PriceTableDialog::selectedRows() const
{
    QList<int> rows;
    const QModelIndexList selected = m_ui->priceView->selectionModel()->selectedRows();
    for (const QModelIndex& i : selected)
        rows << m_proxy->mapToSource(i).row();
    std::sort(rows.begin(), rows.end(), std::greater<>());
    return rows;
}

void PriceTableDialog::removeSelected()
{
    for (int row : selectedRows())
        m_model->removeRows(row, 1);
}

void PriceTableDialog::newVersionOfSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    const int added = addVersion(rows.last());
    selectSourceCell(added, PriceTableModel::InputColumn, true);
}

void PriceTableDialog::chooseFlatPrice()
{
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("flatPriceDialog"));
    dialog.setWindowTitle(tr("Flat Price"));
    auto* name = new QLineEdit(QStringLiteral("flat"), &dialog);
    name->setObjectName(QStringLiteral("flatPriceName"));
    auto* price = new QDoubleSpinBox(&dialog);
    price->setObjectName(QStringLiteral("flatPricePerThousand"));
    price->setDecimals(6);
    price->setRange(0, 1000);
    price->setValue(0.01);
    price->setPrefix(QStringLiteral("$"));
    price->setSuffix(tr(" per 1,000 tokens"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* form = new QFormLayout(&dialog);
    form->addRow(tr("Model name:"), name);
    form->addRow(tr("Price:"), price);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted || name->text().trimmed().isEmpty())
        return;
    addFlatPrice(name->text(), price->value());
}

void PriceTableDialog::chooseImport()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Prices"), {}, tr("Price tables (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QMessageBox ask(QMessageBox::Question, tr("Import Prices"),
                    tr("Replace the whole table with the imported prices, or merge them in (a price of the same model "
                       "and date is replaced, others are added)?"),
                    QMessageBox::Cancel, this);
    QPushButton* replace = ask.addButton(tr("Replace"), QMessageBox::DestructiveRole);
    QPushButton* merge = ask.addButton(tr("Merge"), QMessageBox::AcceptRole);
    ask.setDefaultButton(merge);
    ask.exec();
    if (ask.clickedButton() != replace && ask.clickedButton() != merge)
        return;
    if (auto r = importFile(path, ask.clickedButton() == replace ? ImportMode::Replace : ImportMode::Merge); !r)
        QMessageBox::warning(this, tr("Import Prices"), r.error().message);
}

void PriceTableDialog::chooseExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Prices"), QStringLiteral("prices.json"),
                                                      tr("Price tables (*.json)"));
    if (path.isEmpty())
        return;
    if (auto r = exportFile(path); !r)
        QMessageBox::warning(this, tr("Export Prices"), r.error().message);
}

void PriceTableDialog::confirmReset()
{
    if (QMessageBox::question(this, tr("Reset Prices"),
                              tr("Replace every price with the built-in list prices? Your own prices and versions are "
                                 "removed (export them first to keep them)."))
        == QMessageBox::Yes)
        resetToDefaults();
}

void PriceTableDialog::updateProblems()
{
    if (auto problem = m_model->firstProblem()) {
        m_ui->problemLabel->setText(problem->message);
        m_ui->problemLabel->setVisible(true);
        return;
    }
    m_ui->problemLabel->clear();
    m_ui->problemLabel->setVisible(false);
}

void PriceTableDialog::updateModels()
{
    const QString current = m_ui->defaultModelCombo->currentText();
    const QSignalBlocker block(m_ui->defaultModelCombo);
    m_ui->defaultModelCombo->clear();
    m_ui->defaultModelCombo->addItems(m_model->table().models());
    m_ui->defaultModelCombo->setCurrentText(current);
}

void PriceTableDialog::selectSourceCell(int row, int column, bool edit)
{
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row, column));
    if (!index.isValid()) {
        // Hidden by the filter: show everything rather than a selection the user cannot see.
        m_ui->filterEdit->clear();
        index = m_proxy->mapFromSource(m_model->index(row, column));
    }
    if (!index.isValid())
        return;
    m_ui->priceView->setCurrentIndex(index);
    m_ui->priceView->scrollTo(index);
    if (edit)
        m_ui->priceView->edit(index);
}

} // namespace tb::ui
