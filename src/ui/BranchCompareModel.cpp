// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BranchCompareModel.h"

#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

namespace tb::ui {

namespace {

using Tokens = core::BranchComparison::Tokens;

QString money(double dollars)
{
    const double magnitude = std::abs(dollars);
    return QStringLiteral("$") + QString::number(magnitude, 'f', magnitude < 1 ? 4 : 2);
}

QString signedTokens(qint64 delta)
{
    const QString n = QLocale().toString(std::abs(delta));
    return delta > 0 ? QStringLiteral("+") + n : delta < 0 ? QStringLiteral("−") + n : n;
}

QString signedMoney(double delta)
{
    // Below a hundredth of a cent the sign would only show rounding.
    if (std::abs(delta) < 5e-7)
        return QStringLiteral("$0.0000");
    return (delta > 0 ? QStringLiteral("+") : QStringLiteral("−")) + money(delta);
}

QString costText(const Tokens& t)
{
    if (!t.hasUsage())
        return QStringLiteral("–");
    if (!t.cost)
        return QStringLiteral("?");
    // Rows without a price can only add: the priced part is a lower bound.
    return (t.costComplete() ? QString() : QStringLiteral("≥ ")) + money(*t.cost);
}

QString tokensTip(const Tokens& t, const QString& where)
{
    if (!t.hasUsage())
        return BranchCompareModel::tr("%1: no token usage recorded").arg(where);
    const QLocale l;
    return BranchCompareModel::tr(
               "%1: %2 input (%3 cached), %4 output (%5 reasoning), %6 total tokens in %7 request(s)")
        .arg(where, l.toString(t.input), l.toString(t.cached), l.toString(t.output), l.toString(t.reasoning),
             l.toString(t.total), l.toString(t.requests));
}

QString costTip(const Tokens& t, const QString& where, bool total)
{
    if (!t.hasUsage())
        return BranchCompareModel::tr("%1: no token usage recorded").arg(where);
    QString tip = t.cost ? BranchCompareModel::tr("%1: US$ %2").arg(where, QString::number(*t.cost, 'f', 8))
                         : BranchCompareModel::tr("%1: no price").arg(where);
    if (!total && !t.model.isEmpty())
        tip += BranchCompareModel::tr(" (model %1)").arg(t.model);
    if (!t.costComplete())
        tip += total ? BranchCompareModel::tr("; %n turn(s) without a known model or price", nullptr, t.unpricedRows)
               : t.model.isEmpty() ? BranchCompareModel::tr("; the model of this turn is unknown")
                                   : BranchCompareModel::tr("; the price table has no price for it");
    return tip;
}

} // namespace

BranchCompareModel::BranchCompareModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

BranchCompareModel::~BranchCompareModel() = default;

void BranchCompareModel::setComparison(const core::BranchComparison& comparison, const QString& leftName,
                                       const QString& rightName)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(comparison.turns().size());
    for (const core::BranchComparison::Turn& t : comparison.turns())
        m_rows.push_back({t.turn, t.onLeft, t.onRight, t.left, t.right, t.deltaCost()});
    m_total = Row{0, true, true, comparison.leftTotal(), comparison.rightTotal(), comparison.deltaCost()};
    m_hasTotal = true;
    m_leftName = leftName;
    m_rightName = rightName;
    endResetModel();
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

void BranchCompareModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_total = Row{};
    m_hasTotal = false;
    endResetModel();
}

std::optional<qint64> BranchCompareModel::turnAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return std::nullopt;
    return m_rows.at(row).turn;
}

int BranchCompareModel::rowOfTurn(qint64 turn) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).turn == turn)
            return i;
    }
    return -1;
}

int BranchCompareModel::sideOf(int column)
{
    switch (column) {
    case LeftInputColumn:
    case LeftOutputColumn:
    case LeftTotalColumn:
    case LeftCostColumn:
        return 0;
    case RightInputColumn:
    case RightOutputColumn:
    case RightTotalColumn:
    case RightCostColumn:
        return 1;
    default:
        return -1;
    }
}

int BranchCompareModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size()) + (m_hasTotal ? 1 : 0);
}

int BranchCompareModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BranchCompareModel::value(const Row& r, int column) const
{
    switch (column) {
    case LeftInputColumn:
        return r.left.hasUsage() ? QVariant(r.left.input) : QVariant();
    case LeftOutputColumn:
        return r.left.hasUsage() ? QVariant(r.left.output) : QVariant();
    case LeftTotalColumn:
        return r.left.hasUsage() ? QVariant(r.left.total) : QVariant();
    case RightInputColumn:
        return r.right.hasUsage() ? QVariant(r.right.input) : QVariant();
    case RightOutputColumn:
        return r.right.hasUsage() ? QVariant(r.right.output) : QVariant();
    case RightTotalColumn:
        return r.right.hasUsage() ? QVariant(r.right.total) : QVariant();
    case DeltaTotalColumn:
        return QVariant(r.right.total - r.left.total);
    case LeftCostColumn:
        return r.left.cost ? QVariant(*r.left.cost) : QVariant();
    case RightCostColumn:
        return r.right.cost ? QVariant(*r.right.cost) : QVariant();
    case DeltaCostColumn:
        return r.deltaCost ? QVariant(*r.deltaCost) : QVariant();
    default:
        return {};
    }
}

QVariant BranchCompareModel::display(const Row& r, bool total, int column) const
{
    const QLocale l;
    const auto tokens = [&l](const Tokens& t, qint64 n) { return t.hasUsage() ? l.toString(n) : QStringLiteral("–"); };
    switch (column) {
    case TurnColumn:
        if (total)
            return tr("Total");
        if (!r.onRight && r.onLeft)
            return tr("%1 (left only)").arg(r.turn);
        if (!r.onLeft && r.onRight)
            return tr("%1 (right only)").arg(r.turn);
        return QString::number(r.turn);
    case LeftInputColumn:
        return tokens(r.left, r.left.input);
    case LeftOutputColumn:
        return tokens(r.left, r.left.output);
    case LeftTotalColumn:
        return tokens(r.left, r.left.total);
    case RightInputColumn:
        return tokens(r.right, r.right.input);
    case RightOutputColumn:
        return tokens(r.right, r.right.output);
    case RightTotalColumn:
        return tokens(r.right, r.right.total);
    case DeltaTotalColumn:
        return r.left.hasUsage() || r.right.hasUsage() ? signedTokens(r.right.total - r.left.total)
                                                       : QStringLiteral("–");
    case LeftCostColumn:
        return costText(r.left);
    case RightCostColumn:
        return costText(r.right);
    case DeltaCostColumn:
        if (!r.left.hasUsage() && !r.right.hasUsage())
            return QStringLiteral("–");
        return r.deltaCost ? signedMoney(*r.deltaCost) : QStringLiteral("?");
    default:
        return {};
    }
}

QString BranchCompareModel::toolTip(const Row& r, bool total, int column) const
{
    const QString scope = total ? tr("from the fork on") : tr("turn %1").arg(r.turn);
    const QString left = tr("%1, %2").arg(m_leftName, scope);
    const QString right = tr("%1, %2").arg(m_rightName, scope);
    switch (column) {
    case TurnColumn:
        if (total)
            return tr("Sums over the turns from the fork on; shared turns before it are left out");
        if (r.onLeft && r.onRight)
            return tr("Turn %1 on both branches").arg(r.turn);
        return tr("Turn %1 exists on %2 only").arg(r.turn).arg(r.onLeft ? m_leftName : m_rightName);
    case LeftInputColumn:
    case LeftOutputColumn:
    case LeftTotalColumn:
        return tokensTip(r.left, left);
    case RightInputColumn:
    case RightOutputColumn:
    case RightTotalColumn:
        return tokensTip(r.right, right);
    case DeltaTotalColumn: {
        const qint64 d = r.right.total - r.left.total;
        return tr("%1 − %2 = %3 tokens")
            .arg(QLocale().toString(r.right.total), QLocale().toString(r.left.total), signedTokens(d));
    }
    case LeftCostColumn:
        return costTip(r.left, left, total);
    case RightCostColumn:
        return costTip(r.right, right, total);
    case DeltaCostColumn:
        if (r.deltaCost)
            return tr("US$ %1 (right − left)").arg(QString::number(*r.deltaCost, 'f', 8));
        return tr("Unknown: a side has usage without a known model or price");
    default:
        return {};
    }
}

QVariant BranchCompareModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const bool total = isTotalRow(index.row());
    const Row& r = total ? m_total : m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(r, total, column);
    case Qt::ToolTipRole:
        return toolTip(r, total, column);
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(column == TurnColumn ? Qt::AlignLeft | Qt::AlignVCenter
                                                        : Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (total) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ForegroundRole: {
        double delta = 0;
        if (column == DeltaTotalColumn)
            delta = double(r.right.total - r.left.total);
        else if (column == DeltaCostColumn && r.deltaCost)
            delta = std::abs(*r.deltaCost) < 5e-7 ? 0.0 : *r.deltaCost;
        if (delta == 0)
            return {};
        // Right spent more: red; less: green. Hues chosen per palette so both stay readable.
        const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
        if (delta > 0)
            return dark ? QColor(0xff, 0x8e, 0x8e) : QColor(0xb4, 0x23, 0x18);
        return dark ? QColor(0x72, 0xd6, 0x8c) : QColor(0x1a, 0x7f, 0x37);
    }
    case TurnRole:
        return total ? QVariant() : QVariant(r.turn);
    case ValueRole:
        return column == TurnColumn ? (total ? QVariant() : QVariant(r.turn)) : value(r, column);
    case SideRole:
        return sideOf(column);
    default:
        return {};
    }
}

QVariant BranchCompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case TurnColumn:
            return tr("Turn");
        case LeftInputColumn:
            return tr("L input");
        case LeftOutputColumn:
            return tr("L output");
        case LeftTotalColumn:
            return tr("L total");
        case RightInputColumn:
            return tr("R input");
        case RightOutputColumn:
            return tr("R output");
        case RightTotalColumn:
            return tr("R total");
        case DeltaTotalColumn:
            return tr("Δ tokens");
        case LeftCostColumn:
            return tr("L cost");
        case RightCostColumn:
            return tr("R cost");
        case DeltaCostColumn:
            return tr("Δ cost");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        const int side = sideOf(section);
        const QString name = side == 0 ? m_leftName : m_rightName;
        switch (section) {
        case LeftInputColumn:
        case RightInputColumn:
            return tr("Input tokens on %1 (cached included)").arg(name);
        case LeftOutputColumn:
        case RightOutputColumn:
            return tr("Output tokens on %1 (reasoning included)").arg(name);
        case LeftTotalColumn:
        case RightTotalColumn:
            return tr("Total tokens on %1").arg(name);
        case LeftCostColumn:
        case RightCostColumn:
            return tr("Estimated cost on %1 (US$)").arg(name);
        case DeltaTotalColumn:
            return tr("Total tokens of %1 minus %2").arg(m_rightName, m_leftName);
        case DeltaCostColumn:
            return tr("Cost of %1 minus %2").arg(m_rightName, m_leftName);
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(section == TurnColumn ? Qt::AlignLeft | Qt::AlignVCenter
                                                         : Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

Qt::ItemFlags BranchCompareModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

} // namespace tb::ui
