// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BranchCompareDialog.h"

#include "BranchCompareHtml.h"
#include "BranchCompareModel.h"
#include "ui_BranchCompareDialog.h"

#include <QAction>
#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QUrl>

#include <algorithm>
#include <utility>

namespace tb::ui {

namespace {

QString money(double dollars)
{
    const double magnitude = std::abs(dollars);
    return (dollars < 0 ? QStringLiteral("−$") : QStringLiteral("+$"))
           + QString::number(magnitude, 'f', magnitude < 1 ? 4 : 2);
}

QString signedTokens(qint64 delta)
{
    const QString n = QLocale().toString(std::abs(delta));
    return delta > 0 ? QStringLiteral("+") + n : delta < 0 ? QStringLiteral("−") + n : n;
}

} // namespace

BranchCompareDialog::BranchCompareDialog(QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::BranchCompareDialog>())
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("branchCompareDialog"));
    m_model = new BranchCompareModel(this);
    QTableView* table = m_ui->turnTable;
    table->setModel(m_model);
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table->horizontalHeader()->setStretchLastSection(false);

    m_openLeftAction = new QAction(tr("Open &Left Branch at This Turn"), this);
    m_openRightAction = new QAction(tr("Open &Right Branch at This Turn"), this);
    table->addAction(m_openLeftAction);
    table->addAction(m_openRightAction);
    connect(m_openLeftAction, &QAction::triggered, this, [this] { openRow(m_ui->turnTable->currentIndex().row(), 0); });
    connect(m_openRightAction, &QAction::triggered, this,
            [this] { openRow(m_ui->turnTable->currentIndex().row(), 1); });
    connect(table, &QTableView::doubleClicked, this,
            [this](const QModelIndex& index) { openRow(index.row(), BranchCompareModel::sideOf(index.column())); });
    connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (const auto turn = m_model->turnAt(current.row()))
            showTurn(*turn);
    });

    // Ctrl+W as in the main window's documents, besides Esc (QDialog's own).
    auto* closeAction = new QAction(tr("Close"), this);
    closeAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_W), QKeySequence(QKeySequence::Close)});
    closeAction->setShortcutContext(Qt::WindowShortcut);
    addAction(closeAction);
    connect(closeAction, &QAction::triggered, this, &QDialog::reject);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_ui->leftCombo, &QComboBox::currentIndexChanged, this, &BranchCompareDialog::comboChanged);
    connect(m_ui->rightCombo, &QComboBox::currentIndexChanged, this, &BranchCompareDialog::comboChanged);
    connect(m_ui->swapButton, &QPushButton::clicked, this, &BranchCompareDialog::swapSides);
    connect(m_ui->sideBySide, &QTextBrowser::anchorClicked, this, &BranchCompareDialog::linkClicked);
    connect(m_ui->prevPageButton, &QToolButton::clicked, this, [this] { showPage(m_page - 1); });
    connect(m_ui->nextPageButton, &QToolButton::clicked, this, [this] { showPage(m_page + 1); });
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 1);
    setModal(false);
    m_ready = true;
    render();
}

BranchCompareDialog::~BranchCompareDialog() = default;

void BranchCompareDialog::setSession(core::BranchingSession* session, const BranchList& branches,
                                     const core::PriceTable& prices, ModelForTurn modelForTurn)
{
    m_session = session;
    m_branches = session ? branches : BranchList{};
    m_prices = prices;
    m_modelForTurn = std::move(modelForTurn);
    m_left = {};
    m_right = {};
    m_comparison = {};
    m_error.clear();
    m_model->clear();
    m_page = 0;
    fillCombos();
    render();
}

void BranchCompareDialog::fillCombos()
{
    m_filling = true;
    for (QComboBox* combo : {m_ui->leftCombo, m_ui->rightCombo}) {
        combo->clear();
        for (const auto& [id, name] : std::as_const(m_branches)) {
            combo->addItem(name.isEmpty() ? id : name, id);
            if (!name.isEmpty() && name != id)
                combo->setItemData(combo->count() - 1, tr("Branch id: %1").arg(id), Qt::ToolTipRole);
        }
        combo->setCurrentIndex(-1);
    }
    m_filling = false;
}

QString BranchCompareDialog::displayName(const QString& branchId) const
{
    for (const auto& [id, name] : m_branches) {
        if (id == branchId)
            return name.isEmpty() ? id : name;
    }
    return branchId;
}

QString BranchCompareDialog::leftBranch() const
{
    return m_left.branchId;
}

QString BranchCompareDialog::rightBranch() const
{
    return m_right.branchId;
}

void BranchCompareDialog::comboChanged()
{
    if (m_filling)
        return;
    const QString left = m_ui->leftCombo->currentData().toString();
    const QString right = m_ui->rightCombo->currentData().toString();
    if (left.isEmpty() || right.isEmpty())
        return;
    compare(left, right);
}

void BranchCompareDialog::showError(const QString& message)
{
    m_error = message;
    m_left = {};
    m_right = {};
    m_comparison = {};
    m_model->clear();
    render();
}

bool BranchCompareDialog::compare(const QString& leftBranchId, const QString& rightBranchId)
{
    m_error.clear();
    if (!m_session) {
        showError(tr("No session is open."));
        return false;
    }
    const auto known = [this](const QString& id) {
        return std::any_of(m_branches.cbegin(), m_branches.cend(), [&id](const auto& b) { return b.first == id; });
    };
    for (const QString& id : {leftBranchId, rightBranchId}) {
        if (!known(id)) {
            showError(tr("The session has no branch “%1”.").arg(id));
            return false;
        }
    }
    const auto read = [this](const QString& id, core::BranchComparison::Side& side) {
        auto items = m_session->branchItems(id, 0, -1);
        if (!items) {
            showError(tr("Cannot read branch “%1”: %2").arg(displayName(id), items.error().message));
            return false;
        }
        auto usage = m_session->getTurnUsages(id);
        if (!usage) {
            showError(tr("Cannot read the token usage of “%1”: %2").arg(displayName(id), usage.error().message));
            return false;
        }
        side = core::BranchComparison::Side{id, std::move(items).value(), std::move(usage).value()};
        return true;
    };
    core::BranchComparison::Side left;
    core::BranchComparison::Side right;
    if (!read(leftBranchId, left))
        return false;
    if (leftBranchId == rightBranchId)
        right = left;
    else if (!read(rightBranchId, right))
        return false;
    m_left = std::move(left);
    m_right = std::move(right);
    recompute();
    return true;
}

void BranchCompareDialog::swapSides()
{
    if (m_left.branchId.isEmpty() && m_right.branchId.isEmpty())
        return;
    std::swap(m_left, m_right);
    recompute();
}

void BranchCompareDialog::recompute()
{
    m_filling = true;
    m_ui->leftCombo->setCurrentIndex(m_ui->leftCombo->findData(m_left.branchId));
    m_ui->rightCombo->setCurrentIndex(m_ui->rightCombo->findData(m_right.branchId));
    m_filling = false;
    m_comparison = core::BranchComparison::compute(m_left, m_right, m_prices, m_modelForTurn);
    m_model->setComparison(m_comparison, displayName(m_left.branchId), displayName(m_right.branchId));
    m_ui->turnTable->resizeColumnsToContents();
    m_page = 0;
    render();
}

int BranchCompareDialog::pageCount() const
{
    const qsizetype turns = m_comparison.turns().size();
    return std::max(1, int((turns + m_pageSize - 1) / m_pageSize));
}

void BranchCompareDialog::setPageSize(int turns)
{
    m_pageSize = std::max(1, turns);
    m_page = 0;
    render();
}

void BranchCompareDialog::showPage(int page)
{
    const int clamped = std::clamp(page, 0, pageCount() - 1);
    if (clamped == m_page)
        return;
    m_page = clamped;
    render();
}

bool BranchCompareDialog::showTurn(qint64 turn)
{
    const qsizetype index = m_comparison.indexOfTurn(turn);
    if (index < 0)
        return false;
    showPage(int(index / m_pageSize));
    m_ui->sideBySide->scrollToAnchor(QStringLiteral("turn-%1").arg(turn));
    return true;
}

void BranchCompareDialog::setSharedExpanded(bool expanded)
{
    if (expanded == m_sharedExpanded)
        return;
    m_sharedExpanded = expanded;
    render();
}

void BranchCompareDialog::render()
{
    const bool compared = !m_left.branchId.isEmpty();
    QString summary;
    if (!m_error.isEmpty()) {
        summary = m_error;
    } else if (!m_session) {
        summary = tr("No session is open.");
    } else if (!compared) {
        summary = tr("Choose two branches to compare.");
    } else if (!m_comparison.forkTurn()) {
        summary = BranchCompareHtml::forkLine(m_comparison) + u'.';
    } else {
        const QString left = displayName(m_left.branchId);
        const QString right = displayName(m_right.branchId);
        summary = tr("Fork at turn %1, %n turn(s) compared. From the fork on, %2 used %3 tokens", nullptr,
                     int(m_comparison.turns().size()))
                      .arg(*m_comparison.forkTurn())
                      .arg(right, signedTokens(m_comparison.deltaTotal()));
        summary += m_comparison.deltaCost() ? tr(" (%1)").arg(money(*m_comparison.deltaCost())) : QString();
        summary += tr(" compared with %1.").arg(left);
    }
    m_ui->summaryLabel->setText(summary);
    setWindowTitle(
        compared ? tr("Compare Branches — %1 ⇄ %2").arg(displayName(m_left.branchId), displayName(m_right.branchId))
                 : tr("Compare Branches"));
    m_ui->swapButton->setEnabled(compared);
    m_openLeftAction->setEnabled(compared);
    m_openRightAction->setEnabled(compared);

    const int pages = pageCount();
    m_page = std::clamp(m_page, 0, pages - 1);
    const bool paged = compared && pages > 1;
    m_ui->prevPageButton->setVisible(paged);
    m_ui->nextPageButton->setVisible(paged);
    m_ui->pageLabel->setVisible(paged);
    if (paged) {
        const QList<core::BranchComparison::Turn>& turns = m_comparison.turns();
        const qsizetype first = qsizetype(m_page) * m_pageSize;
        const qsizetype last = std::min(turns.size(), first + m_pageSize) - 1;
        m_ui->pageLabel->setText(tr("Turns %1–%2 of %3 compared")
                                     .arg(turns.at(first).turn)
                                     .arg(turns.at(last).turn)
                                     .arg(QLocale().toString(turns.size())));
        m_ui->prevPageButton->setEnabled(m_page > 0);
        m_ui->nextPageButton->setEnabled(m_page < pages - 1);
    }

    if (!compared) {
        m_ui->sideBySide->clear();
        return;
    }
    BranchCompareHtml::Options options;
    options.sharedExpanded = m_sharedExpanded;
    options.monospaceFamily = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    m_ui->sideBySide->setHtml(BranchCompareHtml::page(m_comparison, displayName(m_left.branchId),
                                                      displayName(m_right.branchId), qsizetype(m_page) * m_pageSize,
                                                      m_pageSize, BranchCompareHtml::colorsFor(palette()), options));
}

void BranchCompareDialog::linkClicked(const QUrl& url)
{
    if (url.scheme() == u"shared") {
        setSharedExpanded(!m_sharedExpanded);
        return;
    }
    if (url.scheme() != u"open")
        return;
    const QStringList parts = url.path().split(u'/');
    bool ok = false;
    const qint64 turn = parts.value(1).toLongLong(&ok);
    if (!ok)
        return;
    if (parts.value(0) == u"left")
        Q_EMIT showBranch(m_left.branchId, turn);
    else if (parts.value(0) == u"right")
        Q_EMIT showBranch(m_right.branchId, turn);
}

void BranchCompareDialog::openRow(int row, int side)
{
    const auto turn = m_model->turnAt(row);
    if (!turn)
        return;
    const qsizetype index = m_comparison.indexOfTurn(*turn);
    if (index < 0)
        return;
    const core::BranchComparison::Turn& t = m_comparison.turns().at(index);
    // Columns of neither side open the left branch; a side that lacks the turn has nothing to
    // open there, so the side that has it is taken.
    bool right = side == 1;
    if (right && !t.onRight && t.onLeft)
        right = false;
    else if (!right && !t.onLeft && t.onRight)
        right = true;
    Q_EMIT showBranch(right ? m_right.branchId : m_left.branchId, *turn);
}

void BranchCompareDialog::changeEvent(QEvent* event)
{
    QDialog::changeEvent(event);
    // The highlight tints are chosen for the palette: a light/dark switch re-renders the page.
    if (event->type() == QEvent::PaletteChange && m_ready)
        render();
}

} // namespace tb::ui
