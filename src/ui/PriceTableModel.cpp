// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "PriceTableModel.h"

#include <QColor>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tb::ui {

namespace {

bool isPriceColumn(int column)
{
    return column == PriceTableModel::InputColumn || column == PriceTableModel::CachedColumn
        || column == PriceTableModel::OutputColumn || column == PriceTableModel::ReasoningColumn;
}

// An ordering key per column; ties fall back to model and date so versions stay together.
bool lessByColumn(const core::ModelPrice& a, const core::ModelPrice& b, int column)
{
    switch (column) {
    case PriceTableModel::InputColumn:
        if (a.inputPerMillion != b.inputPerMillion)
            return a.inputPerMillion < b.inputPerMillion;
        break;
    case PriceTableModel::CachedColumn:
        if (a.cachedInputPerMillion != b.cachedInputPerMillion)
            return a.cachedInputPerMillion < b.cachedInputPerMillion;
        break;
    case PriceTableModel::OutputColumn:
        if (a.outputPerMillion != b.outputPerMillion)
            return a.outputPerMillion < b.outputPerMillion;
        break;
    case PriceTableModel::ReasoningColumn: {
        const double ra = a.reasoningPerMillion.value_or(a.outputPerMillion);
        const double rb = b.reasoningPerMillion.value_or(b.outputPerMillion);
        if (ra != rb)
            return ra < rb;
        break;
    }
    case PriceTableModel::EffectiveColumn:
        if (a.effective != b.effective)
            return a.effective < b.effective; // "always" (invalid) first
        break;
    default: break;
    }
    if (a.model != b.model)
        return a.model < b.model;
    return a.effective < b.effective;
}

} // namespace

PriceTableModel::PriceTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void PriceTableModel::setTable(const core::PriceTable& table)
{
    beginResetModel();
    m_rows = table.prices();
    endResetModel();
}

core::PriceTable PriceTableModel::table() const
{
    core::PriceTable t;
    for (const core::ModelPrice& p : m_rows)
        t.add(p);
    return t;
}

int PriceTableModel::addPrice(const core::ModelPrice& price)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(price);
    endInsertRows();
    return row;
}

int PriceTableModel::setPrice(const core::ModelPrice& price)
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).model == price.model && m_rows.at(row).effective == price.effective) {
            m_rows[row] = price;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            return row;
        }
    }
    return addPrice(price);
}

std::optional<QString> PriceTableModel::cellProblem(int row, int column) const
{
    const core::ModelPrice& p = m_rows.at(row);
    if (column == ModelColumn && p.model.trimmed().isEmpty())
        return tr("A price needs a model name");
    if (column == EffectiveColumn) {
        for (int other = 0; other < row; ++other) {
            if (m_rows.at(other).model == p.model && m_rows.at(other).effective == p.effective && !p.model.isEmpty()) {
                return p.effective.isValid()
                    ? tr("%1 has two prices from %2: change the date of one or remove it").arg(p.model, p.effective.toString(Qt::ISODate))
                    : tr("%1 has two prices without a date: give one a date or remove it").arg(p.model);
            }
        }
    }
    return std::nullopt;
}

std::optional<PriceTableModel::Problem> PriceTableModel::firstProblem() const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        for (int column : {int(ModelColumn), int(EffectiveColumn)}) {
            if (auto message = cellProblem(row, column))
                return Problem{row, column, *message};
        }
    }
    return std::nullopt;
}

int PriceTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PriceTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PriceTableModel::priceText(double perMillion)
{
    // Up to six decimals without trailing zeros: 0.025 stays 0.025, 10.00 becomes 10.
    QString text = QString::number(perMillion, 'f', 6);
    while (text.contains(u'.') && (text.endsWith(u'0') || text.endsWith(u'.')))
        text.chop(1);
    return text;
}

std::optional<double> PriceTableModel::parsePrice(const QString& input)
{
    QString text = input.trimmed();
    if (text.startsWith(u'$'))
        text = text.mid(1).trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    double value = QLocale::c().toDouble(text, &ok);
    if (!ok)
        value = QLocale().toDouble(text, &ok);
    if (!ok || !std::isfinite(value) || value < 0)
        return std::nullopt;
    return value;
}

QVariant PriceTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::ModelPrice& p = m_rows.at(index.row());
    const int column = index.column();
    if (role == Qt::TextAlignmentRole && column != ModelColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    const std::optional<QString> problem = cellProblem(index.row(), column);
    if (role == Qt::ToolTipRole) {
        if (problem)
            return *problem;
        if (column == ReasoningColumn && !p.reasoningPerMillion)
            return tr("Reasoning tokens are output tokens: they cost the output price unless a reasoning price is set");
        if (column == EffectiveColumn)
            return p.effective.isValid() ? tr("In effect from %1 until a later version of %2").arg(p.effective.toString(Qt::ISODate), p.model)
                                         : tr("In effect at any date, unless a dated version of %1 applies").arg(p.model);
        if (isPriceColumn(column))
            return tr("US$ per million tokens");
        return {};
    }
    if (role == Qt::ForegroundRole) {
        if (problem)
            return QColor(0xD5, 0x5E, 0x00);
        if ((column == ReasoningColumn && !p.reasoningPerMillion) || (column == EffectiveColumn && !p.effective.isValid()))
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        return {};
    }
    if (role == SortRole) {
        switch (column) {
        case ModelColumn: return p.model;
        case InputColumn: return p.inputPerMillion;
        case CachedColumn: return p.cachedInputPerMillion;
        case OutputColumn: return p.outputPerMillion;
        case ReasoningColumn: return p.reasoningPerMillion.value_or(p.outputPerMillion);
        case EffectiveColumn: return p.effective.isValid() ? p.effective.toString(Qt::ISODate) : QString();
        default: return {};
        }
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    const bool edit = role == Qt::EditRole;
    switch (column) {
    case ModelColumn: return p.model;
    case InputColumn: return priceText(p.inputPerMillion);
    case CachedColumn: return priceText(p.cachedInputPerMillion);
    case OutputColumn: return priceText(p.outputPerMillion);
    case ReasoningColumn:
        if (p.reasoningPerMillion)
            return priceText(*p.reasoningPerMillion);
        return edit ? QString() : tr("as output");
    case EffectiveColumn:
        if (p.effective.isValid())
            return p.effective.toString(Qt::ISODate);
        return edit ? QString() : tr("always");
    default: return {};
    }
}

bool PriceTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    core::ModelPrice p = m_rows.at(index.row());
    const QString text = value.metaType().id() == QMetaType::QDate ? value.toDate().toString(Qt::ISODate)
                                                                   : value.toString().trimmed();
    switch (index.column()) {
    case ModelColumn: p.model = text; break;
    case InputColumn:
    case CachedColumn:
    case OutputColumn: {
        const auto price = parsePrice(text);
        if (!price)
            return false;
        (index.column() == InputColumn ? p.inputPerMillion
                                       : index.column() == CachedColumn ? p.cachedInputPerMillion : p.outputPerMillion) = *price;
        break;
    }
    case ReasoningColumn: {
        if (text.isEmpty()) {
            p.reasoningPerMillion.reset();
            break;
        }
        const auto price = parsePrice(text);
        if (!price)
            return false;
        p.reasoningPerMillion = *price;
        break;
    }
    case EffectiveColumn: {
        if (text.isEmpty()) {
            p.effective = QDate();
            break;
        }
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            return false;
        p.effective = date;
        break;
    }
    default: return false;
    }
    m_rows[index.row()] = p;
    // A model or date change can make or clear a duplicate in any later row.
    if (index.column() == ModelColumn || index.column() == EffectiveColumn)
        Q_EMIT dataChanged(this->index(0, 0), this->index(int(m_rows.size()) - 1, ColumnCount - 1));
    else
        Q_EMIT dataChanged(index, index);
    return true;
}

QVariant PriceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ModelColumn: return tr("Model");
    case InputColumn: return tr("Input $/M");
    case CachedColumn: return tr("Cached input $/M");
    case OutputColumn: return tr("Output $/M");
    case ReasoningColumn: return tr("Reasoning $/M");
    case EffectiveColumn: return tr("Effective from");
    default: return {};
    }
}

Qt::ItemFlags PriceTableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

bool PriceTableModel::insertRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || row > m_rows.size() || count <= 0)
        return false;
    beginInsertRows(parent, row, row + count - 1);
    for (int i = 0; i < count; ++i)
        m_rows.insert(row, core::ModelPrice{});
    endInsertRows();
    return true;
}

bool PriceTableModel::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_rows.size())
        return false;
    beginRemoveRows(parent, row, row + count - 1);
    m_rows.remove(row, count);
    endRemoveRows();
    return true;
}

void PriceTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    QList<int> permutation(m_rows.size());
    std::iota(permutation.begin(), permutation.end(), 0);
    std::stable_sort(permutation.begin(), permutation.end(), [this, column, order](int a, int b) {
        return order == Qt::AscendingOrder ? lessByColumn(m_rows.at(a), m_rows.at(b), column)
                                           : lessByColumn(m_rows.at(b), m_rows.at(a), column);
    });
    QList<core::ModelPrice> sorted;
    sorted.reserve(m_rows.size());
    QList<int> newRowOf(m_rows.size());
    for (int i = 0; i < permutation.size(); ++i) {
        sorted << m_rows.at(permutation.at(i));
        newRowOf[permutation.at(i)] = i;
    }
    m_rows = std::move(sorted);
    const QModelIndexList persistent = persistentIndexList();
    QModelIndexList moved;
    moved.reserve(persistent.size());
    for (const QModelIndex& i : persistent)
        moved << index(newRowOf.at(i.row()), i.column());
    changePersistentIndexList(persistent, moved);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

} // namespace tb::ui
