// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "MainWindow.h"

#include "ConversationDelegate.h"
#include "ConversationModel.h"
#include "SessionListModel.h"
#include "ui_MainWindow.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QIcon>
#include <QItemSelectionModel>
#include <QLocale>
#include <QMessageBox>
#include <QShortcut>

namespace tb::ui {

using core::Json;

namespace {

constexpr qint64 kMaxPlainItems = 100000;

// Plain SQLiteSession files have no turns stored: a user item starts the next one, as the SDK
// would number them.
QList<core::StoredItem> plainItems(const QList<Json>& items)
{
    QList<core::StoredItem> out;
    qint64 turn = 0;
    qint64 seq = 0;
    for (const Json& item : items) {
        core::StoredItem it;
        if (item[u"role"].toString() == u"user")
            ++turn;
        it.turn = turn;
        it.sequenceNumber = ++seq;
        it.item = item;
        it.messageType = item[u"role"].isString() ? item[u"role"].toString() : item[u"type"].toString(QStringLiteral("other"));
        out.push_back(std::move(it));
    }
    return out;
}

} // namespace

MainWindow::MainWindow(StoreFactory factory, QWidget* parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_factory(std::move(factory))
    , m_sessions(new SessionListModel(this))
    , m_conversation(new ConversationModel(this))
    , m_delegate(new ConversationDelegate(this))
{
    m_ui->setupUi(this);
    setWindowIcon(QIcon(QStringLiteral(":/icons/threadbench.svg")));
    m_ui->sessionView->setModel(m_sessions);
    m_ui->sessionView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->sessionView->horizontalHeader()->setSectionResizeMode(SessionListModel::IdColumn, QHeaderView::Stretch);
    m_ui->sessionView->verticalHeader()->setDefaultSectionSize(m_ui->sessionView->fontMetrics().height() + 8);
    m_ui->sessionView->horizontalHeader()->setSortIndicator(SessionListModel::LastActivityColumn, Qt::DescendingOrder);
    m_ui->sessionView->verticalHeader()->hide();
    m_ui->splitter->setStretchFactor(0, 2);
    m_ui->splitter->setStretchFactor(1, 3);
    m_ui->splitter->setSizes({560, 720});
    m_ui->conversationView->setModel(m_conversation);
    m_ui->conversationView->setItemDelegate(m_delegate);
    m_ui->conversationView->setUniformItemSizes(false);
    connect(m_ui->branchCombo, &QComboBox::activated, this,
            [this](int index) {
                const QString branch = m_ui->branchCombo->itemData(index).toString();
                if (branch == m_conversation->branchId())
                    return;
                showBranch(branch);
                // Remembered only on an explicit switch: merely browsing never writes to the file.
                if (m_store && !m_store->isReadOnly())
                    (void)m_store->setLastViewedBranch(m_sessionId, branch);
            });
    connect(m_conversation, &ConversationModel::loadFailed, this,
            [this](const QString& message) { statusBar()->showMessage(tr("Could not read the conversation: %1").arg(message)); });

    connect(m_ui->actionOpen, &QAction::triggered, this, [this] { chooseDatabase(false); });
    connect(m_ui->actionOpenReadOnly, &QAction::triggered, this, [this] { chooseDatabase(true); });
    connect(m_ui->actionRefresh, &QAction::triggered, m_sessions, &SessionListModel::reload);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->filterEdit, &QLineEdit::textChanged, m_sessions, &SessionListModel::setFilter);
    auto* focusFilter = new QShortcut(QKeySequence(QStringLiteral("Ctrl+L")), this);
    connect(focusFilter, &QShortcut::activated, m_ui->filterEdit, qOverload<>(&QWidget::setFocus));
    connect(m_sessions, &SessionListModel::loadFailed, this,
            [this](const QString& message) { statusBar()->showMessage(tr("Could not list sessions: %1").arg(message)); });
    connect(m_sessions, &QAbstractItemModel::modelReset, this, &MainWindow::updateStatus);
    connect(m_ui->sessionView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    showSession(current.data(SessionListModel::SessionIdRole).toString());
            });
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::chooseDatabase(bool readOnly)
{
    const QString path = QFileDialog::getOpenFileName(this, readOnly ? tr("Open Database Read-Only") : tr("Open Database"), {},
                                                      tr("Session databases (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (!path.isEmpty())
        openDatabase(path, readOnly);
}

bool MainWindow::openDatabase(const QString& path, bool readOnly)
{
    auto store = m_factory(path, readOnly);
    if (!store) {
        QMessageBox::warning(this, tr("Cannot open database"), store.error().message);
        return false;
    }
    m_sessions->setStore(nullptr);
    m_conversation->setSession(nullptr, {}, {});
    m_session.reset();
    m_store = std::move(store).value();
    m_sessions->setStore(m_store.get());
    m_conversation->setSession(nullptr, {}, {});
    m_session.reset();
    m_ui->branchCombo->clear();
    m_ui->sessionTotals->clear();
    setWindowFilePath(path);
    if (m_sessions->rowCount() > 0)
        m_ui->sessionView->selectRow(0);
    updateStatus();
    return true;
}

void MainWindow::showSession(const QString& sessionId)
{
    if (!m_store)
        return;
    m_conversation->setSession(nullptr, {}, {});
    m_session.reset();
    m_sessionId = sessionId;
    if (m_store->schemaKind() != core::SchemaKind::Advanced) {
        auto session = m_store->openPlainSession(sessionId, {});
        auto items = session ? (*session)->getItems(kMaxPlainItems) : core::Result<QList<Json>>(session.error());
        if (!items) {
            statusBar()->showMessage(tr("Cannot read session %1: %2").arg(sessionId, items.error().message));
            return;
        }
        m_conversation->setItems(plainItems(*items));
        m_ui->branchCombo->clear();
        m_ui->branchCombo->addItem(tr("(no branches: plain SQLiteSession)"));
        m_ui->branchCombo->setEnabled(false);
        m_ui->sessionTotals->setText(tr("%n item(s)", nullptr, int(items->size())));
        return;
    }
    auto session = m_store->openSession(sessionId, {});
    if (!session) {
        statusBar()->showMessage(tr("Cannot open session %1: %2").arg(sessionId, session.error().message));
        return;
    }
    m_session = std::move(session).value();
    fillBranches();
    // Reopen the branch the analyst looked at last (kept in a side table, not in SDK tables).
    auto last = m_store->lastViewedBranch(sessionId);
    QString branch = QStringLiteral("main");
    if (last && *last && m_ui->branchCombo->findData(**last) >= 0)
        branch = **last;
    showBranch(branch);
}

void MainWindow::fillBranches()
{
    m_ui->branchCombo->clear();
    m_ui->branchCombo->setEnabled(true);
    if (!m_session)
        return;
    auto branches = m_session->listBranches();
    if (!branches)
        return;
    QHash<QString, QString> names;
    if (auto meta = m_store->branchMeta(m_sessionId)) {
        for (const auto& m : *meta)
            names.insert(m.branchId, m.displayName);
    }
    const QLocale locale;
    for (const auto& b : *branches) {
        QString label = b.branchId;
        if (!names.value(b.branchId).isEmpty())
            label = names.value(b.branchId) + QStringLiteral(" (") + b.branchId + u')';
        label += tr(" — %n turn(s)", nullptr, int(b.userTurns));
        m_ui->branchCombo->addItem(label, b.branchId);
    }
}

void MainWindow::showBranch(const QString& branchId)
{
    if (!m_session)
        return;
    auto usage = m_session->getTurnUsages(branchId);
    m_conversation->setSession(m_session.get(), branchId, usage ? *usage : QList<core::TurnUsage>{});
    m_delegate->clearCache();
    const int comboIndex = m_ui->branchCombo->findData(branchId);
    if (comboIndex >= 0)
        m_ui->branchCombo->setCurrentIndex(comboIndex);
    auto totals = m_session->getSessionUsage(branchId);
    const QLocale locale;
    if (totals && *totals) {
        m_ui->sessionTotals->setText(tr("%1 items · %2 tokens on this branch (%3 in, %4 out)")
                                         .arg(locale.toString(m_conversation->itemCount()), locale.toString((*totals)->totalTokens),
                                              locale.toString((*totals)->inputTokens), locale.toString((*totals)->outputTokens)));
    } else {
        m_ui->sessionTotals->setText(tr("%1 items · no usage stored").arg(locale.toString(m_conversation->itemCount())));
    }
    m_ui->conversationView->scrollToTop();
}

void MainWindow::updateStatus()
{
    if (!m_store) {
        statusBar()->showMessage(tr("No database open"));
        return;
    }
    statusBar()->showMessage(tr("%1%2 — %n session(s)", nullptr, int(m_sessions->totalCount()))
                                 .arg(QFileInfo(m_store->path()).fileName(),
                                      m_store->isReadOnly() ? tr(" (read-only)") : QString()));
}

} // namespace tb::ui
