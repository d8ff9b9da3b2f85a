// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SearchDialog.h"

#include "ui_SearchDialog.h"

#include <QHeaderView>
#include <QLocale>
#include <QPushButton>

namespace tb::ui {

namespace {
enum Column { SessionColumn, BranchColumn, TurnColumn, RoleColumn, MatchColumn };
}

SearchDialog::SearchDialog(core::SessionStore* store, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SearchDialog>())
    , m_store(store)
{
    m_ui->setupUi(this);
    m_ui->results->header()->setSectionResizeMode(MatchColumn, QHeaderView::Stretch);
    m_ui->results->header()->setStretchLastSection(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &SearchDialog::step);
    connect(m_ui->searchButton, &QPushButton::clicked, this, [this] { start(m_ui->queryEdit->text()); });
    connect(m_ui->queryEdit, &QLineEdit::returnPressed, this, [this] { start(m_ui->queryEdit->text()); });
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &SearchDialog::stop);
    connect(m_ui->results, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        Q_EMIT resultActivated(item->text(SessionColumn), item->text(BranchColumn),
                               item->data(TurnColumn, Qt::UserRole).toLongLong());
    });
}

SearchDialog::~SearchDialog() = default;

int SearchDialog::resultCount() const
{
    return m_ui->results->topLevelItemCount();
}

void SearchDialog::start(const QString& term)
{
    stop();
    m_ui->results->clear();
    m_term = term.trimmed();
    m_ui->queryEdit->setText(m_term);
    m_after = 0;
    m_hits = 0;
    m_ui->progress->setValue(0);
    if (m_term.isEmpty() || !m_store)
        return;
    m_ui->cancelButton->setEnabled(true);
    m_ui->searchButton->setEnabled(false);
    m_ui->statusLabel->setText(tr("Searching…"));
    m_timer.start();
}

void SearchDialog::stop()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    m_ui->cancelButton->setEnabled(false);
    m_ui->searchButton->setEnabled(true);
    m_ui->statusLabel->setText(tr("Stopped: %n match(es) so far", nullptr, m_hits));
    Q_EMIT finished(m_hits);
}

void SearchDialog::step()
{
    auto slice = m_store->searchMessages(m_term, m_after, m_sliceRows);
    if (!slice) {
        m_timer.stop();
        m_ui->cancelButton->setEnabled(false);
        m_ui->searchButton->setEnabled(true);
        m_ui->statusLabel->setText(tr("Search failed: %1").arg(slice.error().message));
        Q_EMIT finished(m_hits);
        return;
    }
    for (const core::SearchHit& hit : slice->hits) {
        if (m_hits >= kMaxHits)
            break;
        auto* item = new QTreeWidgetItem(m_ui->results);
        item->setText(SessionColumn, hit.sessionId);
        item->setText(BranchColumn, hit.branchId);
        item->setText(TurnColumn, hit.turn ? QString::number(*hit.turn) : QStringLiteral("–"));
        item->setData(TurnColumn, Qt::UserRole, hit.turn.value_or(-1));
        item->setText(RoleColumn, hit.role);
        item->setText(MatchColumn, hit.snippet);
        item->setToolTip(MatchColumn, hit.snippet);
        ++m_hits;
    }
    m_after = slice->lastId;
    if (slice->maxId > 0)
        m_ui->progress->setValue(int(100.0 * double(m_after) / double(slice->maxId)));
    const bool full = m_hits >= kMaxHits;
    if (slice->done || full) {
        m_timer.stop();
        m_ui->progress->setValue(100);
        m_ui->cancelButton->setEnabled(false);
        m_ui->searchButton->setEnabled(true);
        m_ui->statusLabel->setText(full ? tr("First %1 matches shown; refine the search for more.").arg(kMaxHits)
                                        : tr("%n match(es). Double-click one to open it.", nullptr, m_hits));
        Q_EMIT finished(m_hits);
    } else {
        m_ui->statusLabel->setText(tr("Searching… %n match(es) so far", nullptr, m_hits));
    }
}

} // namespace tb::ui
