// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "MainWindow.h"

#include "BranchCompareDialog.h"
#include "BranchMetaCommand.h"
#include "ExportReportDialog.h"
#include "PriceTableDialog.h"
#include "UsageChartsDock.h"
#include "UsageDashboard.h"
#include "BranchTreeView.h"
#include "CarryFindingDialog.h"
#include "MergeCommand.h"
#include "ComposerWidget.h"
#include "ConversationDelegate.h"
#include "DialogAnalystPrompter.h"
#include "ConversationModel.h"
#include "agent/Runner.h"
#include "core/BranchLineage.h"
#include "core/ConversationExport.h"
#include "core/FindingDraft.h"
#include "core/ModelResolver.h"
#include "core/UsageCollector.h"
#include "core/SessionCopy.h"
#include "core/WhatIfInput.h"
#include "core/WorkspaceStore.h"
#include "SessionListModel.h"
#include "SearchDialog.h"
#include "SettingsDialog.h"
#include "SessionPropertiesDialog.h"
#include "ui_MainWindow.h"

#include <QClipboard>
#include <QDragEnterEvent>
#include <QDirIterator>
#include <QDockWidget>
#include <QDropEvent>
#include <QProgressDialog>
#include <QFile>
#include <QFileDialog>
#include <QGuiApplication>
#include <QInputDialog>
#include <QKeyEvent>
#include <QMimeData>
#include <QSaveFile>
#include <QSettings>
#include <QFileInfo>
#include <QHeaderView>
#include <QIcon>
#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <QItemSelectionModel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QSignalBlocker>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

namespace tb::ui {

namespace {
// The palette the platform gave us, to go back to when the user picks "follow the system".
QPalette& systemPalette()
{
    static QPalette p = QGuiApplication::palette();
    return p;
}
} // namespace

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

// A branch name not used yet in the session: `base`, then `base-2`, `base-3` …
QString freeBranchName(core::BranchingSession* session, const QString& base)
{
    QStringList taken;
    if (session) {
        if (auto branches = session->listBranches()) {
            for (const core::BranchInfo& b : *branches)
                taken << b.branchId;
        }
    }
    QString name = base;
    for (int n = 2; taken.contains(name); ++n)
        name = base + QStringLiteral("-%1").arg(n);
    return name;
}

} // namespace

MainWindow::MainWindow(StoreFactory factory, StoreFactory create, QWidget* parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_factory(std::move(factory))
    , m_create(std::move(create))
    , m_sessions(new SessionListModel(this))
    , m_conversation(new ConversationModel(this))
    , m_delegate(new ConversationDelegate(this))
{
    m_ui->setupUi(this);
    setWindowIcon(QIcon(QStringLiteral(":/icons/threadbench.svg")));
    (void)systemPalette(); // remember the platform's palette before anything changes it
    m_composer = new ComposerWidget(m_ui->conversationPane);
    m_composer->setObjectName(QStringLiteral("composer"));
    m_ui->conversationLayout->addWidget(m_composer);
    // The conversation takes the height; the composer keeps its own.
    m_composer->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_ui->conversationLayout->setStretchFactor(m_ui->conversationView, 1);
    m_prompter = std::make_unique<DialogAnalystPrompter>(this);
    // The branch tree: every branch of the session as a lane, turns as nodes; a click shows the turn.
    m_tree = new BranchTreeView(this);
    m_treeDock = new QDockWidget(tr("Branch Tree"), this);
    m_treeDock->setObjectName(QStringLiteral("branchTreeDock"));
    m_treeDock->setWidget(m_tree);
    addDockWidget(Qt::BottomDockWidgetArea, m_treeDock);
    m_tree->setMinimumHeight(170); // room for three lanes before scrolling
    resizeDocks({m_treeDock}, {240}, Qt::Vertical);
    // Opened from the Session menu (Ctrl+T); drawing costs a read of every branch, so it starts
    // hidden until the analyst asks for it, and is remembered.
    m_treeDock->setVisible(QSettings().value(QStringLiteral("window/branchTree"), false).toBool());
    QAction* treeAction = m_treeDock->toggleViewAction();
    treeAction->setText(tr("Branch &Tree"));
    treeAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+T")));
    m_ui->menuSession->addAction(treeAction);
    connect(treeAction, &QAction::triggered, this, [](bool on) { QSettings().setValue(QStringLiteral("window/branchTree"), on); });
    connect(m_treeDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            updateBranchTree();
    });
    // Queued: showing another branch redraws the tree, which must not happen inside the tree's
    // own mouse or key handler (the clicked item would be deleted under it).
    connect(m_tree, &BranchTreeView::turnActivated, this, [this](const QString& branch, qint64 turn) {
        if (!m_session)
            return;
        if (branch != m_conversation->branchId())
            showBranch(branch);
        const int row = m_conversation->rowForTurn(turn);
        if (row >= 0) {
            const QModelIndex i = m_conversation->index(row);
            m_ui->conversationView->setCurrentIndex(i);
            m_ui->conversationView->scrollTo(i, QAbstractItemView::PositionAtTop);
        }
    }, Qt::QueuedConnection);
    connect(m_tree, &BranchTreeView::contextMenuRequested, this, &MainWindow::showBranchMenu);
    connect(m_tree, &BranchTreeView::deleteRequested, this, [this](const QString& branch) { deleteBranch(branch); });
    connect(m_tree, &BranchTreeView::renameRequested, this, [this](const QString& branch) {
        bool ok = false;
        const core::BranchMeta meta = branchMetaOf(branch);
        const QString name = QInputDialog::getText(this, tr("Rename Branch"),
                                                   tr("Display name of %1 (the SDK's branch id stays):").arg(branch),
                                                   QLineEdit::Normal, meta.displayName.isEmpty() ? branch : meta.displayName, &ok);
        if (ok)
            renameBranch(branch, name.trimmed());
    });
    // Usage charts of the shown session/branch, in a dock of their own (Ctrl+U), hidden until asked
    // for like the tree: collecting a long session's usage is not free.
    m_usage = new UsageChartsDock(this);
    m_usageDock = new QDockWidget(tr("Usage"), this);
    m_usageDock->setObjectName(QStringLiteral("usageDock"));
    m_usageDock->setWidget(m_usage);
    addDockWidget(Qt::RightDockWidgetArea, m_usageDock);
    m_usageDock->setVisible(QSettings().value(QStringLiteral("window/usageCharts"), false).toBool());
    QAction* usageAction = m_usageDock->toggleViewAction();
    usageAction->setText(tr("&Usage Charts"));
    usageAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+U")));
    m_ui->menuSession->addAction(usageAction);
    connect(usageAction, &QAction::triggered, this, [](bool on) { QSettings().setValue(QStringLiteral("window/usageCharts"), on); });
    connect(m_usageDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            updateUsageCharts();
    });
    connect(m_usage, &UsageChartsDock::turnActivated, this,
            [this](const QString& branch, qint64 turn) { QTimer::singleShot(0, this, [this, branch, turn] { jumpTo(m_sessionId, branch, turn); }); });
    connect(m_usage, &UsageChartsDock::branchActivated, this,
            [this](const QString& branch) { QTimer::singleShot(0, this, [this, branch] { switchBranch(branch); }); });
    connect(m_usage, &UsageChartsDock::modelAssigned, this, [this] { m_sessions->reload(); });
    auto* dashboardAction = new QAction(tr("Usage &Dashboard…"), this);
    dashboardAction->setObjectName(QStringLiteral("actionDashboard"));
    dashboardAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+U")));
    connect(dashboardAction, &QAction::triggered, this, [this] { openDashboard(); });
    m_ui->menuSession->addAction(dashboardAction);
    auto* reportAction = new QAction(tr("Export &Usage Report…"), this);
    reportAction->setObjectName(QStringLiteral("actionUsageReport"));
    reportAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+R")));
    connect(reportAction, &QAction::triggered, this, &MainWindow::exportUsageReport);
    m_ui->menuFile->insertAction(m_ui->actionRefresh, reportAction);
    m_ui->menuFile->insertSeparator(m_ui->actionRefresh);
    auto* productionAction = new QAction(tr("&Production File"), this);
    productionAction->setObjectName(QStringLiteral("actionProductionFile"));
    productionAction->setCheckable(true);
    productionAction->setToolTip(tr("Production agents use this file: what-if branches go to scratch copies and promoting is refused"));
    connect(productionAction, &QAction::toggled, this, [this](bool on) {
        if (!m_store)
            return;
        if (auto r = m_store->setProductionFile(on); !r)
            QMessageBox::warning(this, tr("Production File"), r.error().message);
        updateActions();
    });
    m_ui->menuFile->insertAction(m_ui->actionRefresh, productionAction);
    auto* pricesAction = new QAction(tr("&Price Table…"), this);
    pricesAction->setObjectName(QStringLiteral("actionPrices"));
    connect(pricesAction, &QAction::triggered, this, &MainWindow::editPrices);
    m_ui->menuEdit->insertAction(m_ui->actionSettings, pricesAction);
    {
        // The analyst's prices, if saved; the dated defaults otherwise.
        core::PriceTable prices = core::PriceTable::defaults();
        if (QFileInfo::exists(pricesPath())) {
            if (auto loaded = core::PriceTable::load(pricesPath()))
                prices = *loaded;
        }
        setPricing(prices, QSettings().value(QStringLiteral("pricing/defaultModel"), QStringLiteral("gpt-4.1-mini")).toString());
    }

    // Undo covers what is cheap to take back: branch names, marks, notes and outcomes.
    m_undo = new QUndoStack(this);
    QAction* undoAction = m_undo->createUndoAction(this, tr("&Undo"));
    undoAction->setShortcut(QKeySequence::Undo);
    QAction* redoAction = m_undo->createRedoAction(this, tr("&Redo"));
    redoAction->setShortcut(QKeySequence::Redo);
    QAction* firstEdit = m_ui->menuEdit->actions().value(0);
    m_ui->menuEdit->insertActions(firstEdit, {undoAction, redoAction});
    m_ui->menuEdit->insertSeparator(firstEdit);
    // The Branch menu follows the shown branch and the selected turn.
    m_branchMenu = new QMenu(tr("&Branch"), this);
    m_branchMenu->setObjectName(QStringLiteral("menuBranch"));
    menuBar()->insertMenu(m_ui->menuHelp->menuAction(), m_branchMenu);
    connect(m_branchMenu, &QMenu::aboutToShow, this, &MainWindow::fillBranchMenu);
    fillBranchMenu(); // shortcuts work before the menu was ever opened
        connect(m_composer, &ComposerWidget::sendRequested, this, &MainWindow::sendMessage);
    connect(m_composer, &ComposerWidget::stopRequested, this, [this] {
        if (m_runner)
            m_runner->cancel();
    });
    connect(m_composer, &ComposerWidget::retryRequested, this, &MainWindow::retryLastMessage);
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
    connect(m_ui->actionNew, &QAction::triggered, this, &MainWindow::newDatabase);
    connect(m_ui->actionSettings, &QAction::triggered, this, &MainWindow::openSettings);
    connect(m_ui->actionOpenFolder, &QAction::triggered, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Folder as Workspace"));
        if (!folder.isEmpty())
            openFolder(folder);
    });
    connect(m_ui->actionImport, &QAction::triggered, this, &MainWindow::importJsonl);
    connect(m_ui->actionExport, &QAction::triggered, this, &MainWindow::exportConversation);
    connect(m_ui->actionProperties, &QAction::triggered, this, &MainWindow::editProperties);
    connect(m_ui->actionCopy, &QAction::triggered, this, [this] { copySelection(false); });
    connect(m_ui->actionCopyMarkdown, &QAction::triggered, this, [this] { copySelection(true); });
    connect(m_ui->actionSearchAll, &QAction::triggered, this, [this] {
        if (!m_store)
            return;
        if (!m_search) {
            m_search = new SearchDialog(m_store.get(), this);
            connect(m_search, &SearchDialog::resultActivated, this, &MainWindow::jumpTo);
        }
        m_search->show();
        m_search->raise();
        m_search->activateWindow();
    });
    connect(m_ui->actionFilter, &QAction::triggered, this, [this] {
        m_ui->filterEdit->setFocus();
        m_ui->filterEdit->selectAll();
    });
    connect(m_ui->actionFind, &QAction::triggered, this, [this] {
        m_ui->findBar->show();
        m_ui->findEdit->setFocus();
        m_ui->findEdit->selectAll();
    });
    connect(m_ui->findEdit, &QLineEdit::returnPressed, this, [this] {
        findInConversation(m_ui->findEdit->text(), QGuiApplication::keyboardModifiers() & Qt::ShiftModifier);
    });
    connect(m_ui->actionAbout, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Threadbench"),
                           tr("<h3>Threadbench %1</h3><p>A conversation workbench for OpenAI Agents SDK sessions: "
                              "browse, read, branch and measure the memory of your support agents.</p>"
                              "<p>Files stay compatible with the SDK's SQLiteSession and AdvancedSQLiteSession.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
    m_ui->findBar->hide();
    m_ui->findEdit->installEventFilter(this);
    m_ui->conversationView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_ui->conversationView->addActions({m_ui->actionBranchHere, m_ui->actionCopy, m_ui->actionCopyMarkdown, m_ui->actionFind});
    connect(m_ui->actionBranchHere, &QAction::triggered, this, [this] {
        const QModelIndex current = m_ui->conversationView->currentIndex();
        const QVariant turn = current.data(ConversationModel::TurnRole);
        if (!turn.isValid() || m_sessionId.isEmpty()) {
            statusBar()->showMessage(tr("Select a turn to branch from."), 5000);
            return;
        }
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Branch from Turn %1").arg(turn.toLongLong()),
                                                   tr("Name of the new branch (empty: generated). It starts with the turns "
                                                      "before %1; ask the what-if question in the composer.")
                                                       .arg(turn.toLongLong()),
                                                   QLineEdit::Normal, tr("what-if-%1").arg(turn.toLongLong()), &ok);
        if (ok)
            branchFromTurn(turn.toLongLong(), name.trimmed());
    });
    auto* editRerun = new QAction(tr("&Edit and Re-run Turn…"), this);
    editRerun->setObjectName(QStringLiteral("actionEditRerun"));
    editRerun->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    editRerun->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(editRerun, &QAction::triggered, this, [this] {
        const QModelIndex current = m_ui->conversationView->currentIndex();
        const QVariant turn = current.data(ConversationModel::TurnRole);
        if (!turn.isValid()) {
            statusBar()->showMessage(tr("Select a turn to edit and re-run."), 5000);
            return;
        }
        // The question of that turn: the first user message row of the turn.
        QString question;
        const QModelIndex user = rowInTurn(turn.toLongLong(), [](const QModelIndex& i) {
            return i.data(ConversationModel::RoleNameRole).toString() == u"user";
        });
        question = user.data(ConversationModel::TextRole).toString();
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(this, tr("Edit and Re-run Turn %1").arg(turn.toLongLong()),
                                                            tr("The question of turn %1, as the customer could have asked it. "
                                                               "It runs on a new branch; this branch stays as it is.")
                                                                .arg(turn.toLongLong()),
                                                            question, &ok);
        if (ok && !text.trimmed().isEmpty())
            editAndRerun(turn.toLongLong(), text);
    });
    auto* overrideOutput = new QAction(tr("&Override Tool Output…"), this);
    overrideOutput->setObjectName(QStringLiteral("actionOverrideOutput"));
    connect(overrideOutput, &QAction::triggered, this, [this] {
        const QModelIndex current = m_ui->conversationView->currentIndex();
        const QVariant turn = current.data(ConversationModel::TurnRole);
        const QString callId = current.data(ConversationModel::CallIdRole).toString();
        const auto kind = current.data(ConversationModel::KindRole).value<ConversationModel::Kind>();
        if (!turn.isValid() || callId.isEmpty() || (kind != ConversationModel::Kind::ToolOutput && kind != ConversationModel::Kind::ToolCall)) {
            statusBar()->showMessage(tr("Select a tool call or its output to override it."), 5000);
            return;
        }
        // The current output: the output row with this call id.
        QString output;
        const QModelIndex shown = rowInTurn(turn.toLongLong(), [&callId](const QModelIndex& i) {
            return i.data(ConversationModel::KindRole).value<ConversationModel::Kind>() == ConversationModel::Kind::ToolOutput
                && i.data(ConversationModel::CallIdRole).toString() == callId;
        });
        output = shown.data(ConversationModel::TextRole).toString();
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(
            this, tr("Override Tool Output"),
            tr("What the tool (call %1) should have returned. The rest of turn %2 runs again on a new branch.")
                .arg(callId)
                .arg(turn.toLongLong()),
            output, &ok);
        if (ok)
            overrideToolOutput(turn.toLongLong(), callId, text);
    });
    m_ui->conversationView->insertActions(m_ui->actionCopy, {editRerun, overrideOutput});
    m_ui->sessionView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_ui->sessionView->addAction(m_ui->actionProperties);
    connect(m_ui->sessionView, &QAbstractItemView::doubleClicked, this, &MainWindow::editProperties);
    setAcceptDrops(true);
    updateRecentMenu();
    connect(m_ui->filterEdit, &QLineEdit::textChanged, m_sessions, &SessionListModel::setFilter);
    connect(m_sessions, &SessionListModel::loadFailed, this,
            [this](const QString& message) { statusBar()->showMessage(tr("Could not list sessions: %1").arg(message)); });
    connect(m_sessions, &QAbstractItemModel::modelReset, this, &MainWindow::updateStatus);
    connect(m_ui->sessionView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid())
                    return;
                const QString id = current.data(SessionListModel::SessionIdRole).toString();
                // A list refresh that re-selects the shown session keeps the conversation as it is.
                if (id == m_sessionId && (m_session || m_store->schemaKind() != core::SchemaKind::Advanced))
                    return;
                showSession(id);
            });
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::applyPalette(bool dark)
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    if (dark) {
        p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
        p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
        p.setColor(QPalette::AlternateBase, QColor(0x2f, 0x32, 0x36));
        p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9d, 0xa3));
        p.setColor(QPalette::Button, QColor(0x35, 0x38, 0x3d));
        p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd8));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x38, 0x3d));
        p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Mid, QColor(0x45, 0x48, 0x4e));
        p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf5));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    } else {
        p = QApplication::style()->standardPalette();
    }
    QApplication::setPalette(p);
}

void MainWindow::chooseDatabase(bool readOnly)
{
    const QString path = QFileDialog::getOpenFileName(this, readOnly ? tr("Open Database Read-Only") : tr("Open Database"), {},
                                                      tr("Session databases (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (!path.isEmpty())
        openDatabase(path, readOnly);
}

bool MainWindow::openDatabase(const QString& path, bool readOnly)
{
    if (QFileInfo(path).isDir())
        return openFolder(path, readOnly);
    auto store = m_factory(path, readOnly);
    if (!store) {
        QMessageBox::warning(this, tr("Cannot open database"), store.error().message);
        return false;
    }
    useStore(std::move(store).value(), path);
    rememberRecent(path);
    return true;
}

bool MainWindow::openFolder(const QString& folder, bool readOnly)
{
    QStringList files;
    QDirIterator it(folder, {QStringLiteral("*.db"), QStringLiteral("*.sqlite"), QStringLiteral("*.sqlite3")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    if (files.isEmpty()) {
        QMessageBox::information(this, tr("Open Folder"), tr("%1 holds no session databases (*.db, *.sqlite).").arg(folder));
        return false;
    }
    auto workspace = std::make_unique<core::WorkspaceStore>(folder);
    QProgressDialog progress(tr("Opening %n database(s)…", nullptr, int(files.size())), tr("Cancel"), 0, int(files.size()), this);
    progress.setObjectName(QStringLiteral("folderProgress"));
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    QStringList skipped;
    const QDir base(folder);
    for (int i = 0; i < files.size(); ++i) {
        progress.setValue(i);
        QCoreApplication::processEvents(); // keeps the window painting and Cancel clickable
        if (progress.wasCanceled())
            break;
        auto store = m_factory(files.at(i), readOnly);
        // Labels are paths inside the folder with "/" replaced, since "/" separates label and id.
        QString label = base.relativeFilePath(files.at(i));
        label.replace(u'/', u'\\');
        if (store && (*store)->schemaKind() != core::SchemaKind::Empty)
            workspace->addStore(label, std::move(store).value());
        else
            skipped << (label + QStringLiteral(": ") + (store ? tr("no sessions") : store.error().message));
    }
    progress.setValue(int(files.size()));
    if (workspace->storeCount() == 0) {
        QMessageBox::warning(this, tr("Open Folder"), tr("None of the files could be opened:\n%1").arg(skipped.join(u'\n')));
        return false;
    }
    if (!skipped.isEmpty()) {
        statusBar()->showMessage(tr("%n file(s) skipped: ", nullptr, int(skipped.size())) + skipped.mid(0, 3).join(QStringLiteral("; ")),
                                 15000);
    }
    useStore(std::move(workspace), folder);
    rememberRecent(folder);
    return true;
}

void MainWindow::useStore(std::unique_ptr<core::SessionStore> store, const QString& title)
{
    m_sessions->setStore(nullptr);
    m_conversation->setSession(nullptr, {});
    m_session.reset();
    m_sessionId.clear();
    delete m_search; // it searches the previous store
    m_search = nullptr;
    if (m_compare)
        m_compare->close();
    if (m_dashboard)
        m_dashboard->setStore(nullptr);
    if (m_dashboardWindow)
        m_dashboardWindow->close();
    if (m_usage)
        m_usage->clear();
    if (m_undo)
        m_undo->clear(); // its commands point into the previous store
    m_tasks.reset();
    m_store = std::move(store);
    m_sessions->setStore(m_store.get());
    m_ui->branchCombo->clear();
    m_ui->sessionTotals->clear();
    setWindowFilePath(title);
    updateActions();
    refreshComposer();
    if (m_sessions->rowCount() > 0)
        m_ui->sessionView->selectRow(0);
    updateStatus();
}

core::SessionStore* MainWindow::sessionFile() const
{
    if (auto* workspace = dynamic_cast<core::WorkspaceStore*>(m_store.get()))
        return workspace->storeFor(m_sessionId);
    return m_store.get();
}

void MainWindow::showSession(const QString& sessionId)
{
    if (!m_store)
        return;
    if (m_compare)
        m_compare->close(); // it reads the session object that is about to go
    m_conversation->setSession(nullptr, {});
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

bool MainWindow::switchBranch(const QString& branchId)
{
    if (!m_session || m_ui->branchCombo->findData(branchId) < 0)
        return false;
    showBranch(branchId);
    return true;
}

void MainWindow::showBranch(const QString& branchId)
{
    if (!m_session)
        return;
    m_conversation->setSession(m_session.get(), branchId);
    applyTurnModels();
    m_delegate->clearCache();
    const int comboIndex = m_ui->branchCombo->findData(branchId);
    if (comboIndex >= 0)
        m_ui->branchCombo->setCurrentIndex(comboIndex);
    updateTotals();
    m_ui->conversationView->scrollToTop();
    refreshComposer();
    updateBranchTree();
    updateUsageCharts();
}

void MainWindow::newDatabase()
{
    if (!m_create)
        return;
    QString path = QFileDialog::getSaveFileName(this, tr("New Session Database"), {}, tr("Session databases (*.db)"));
    if (path.isEmpty())
        return;
    if (!path.contains(u'.'))
        path += QStringLiteral(".db");
    if (QFileInfo::exists(path)) {
        QMessageBox::warning(this, tr("New Session Database"), tr("%1 already exists; open it instead.").arg(path));
        return;
    }
    auto store = m_create(path, false);
    if (!store) {
        QMessageBox::warning(this, tr("Cannot create database"), store.error().message);
        return;
    }
    store->reset();
    openDatabase(path);
}

void MainWindow::importJsonl()
{
    if (!m_store || m_store->isReadOnly()) {
        QMessageBox::information(this, tr("Import"), tr("Open a writable database first."));
        return;
    }
    const QString file = QFileDialog::getOpenFileName(this, tr("Import JSONL"), {}, tr("JSON Lines (*.jsonl *.ndjson);;All files (*)"));
    if (file.isEmpty())
        return;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        QMessageBox::warning(this, tr("Import"), tr("Cannot read %1: %2").arg(file, f.errorString()));
        return;
    }
    auto items = core::ConversationExport::parseJsonl(f.readAll());
    if (!items || items->isEmpty()) {
        QMessageBox::warning(this, tr("Import"), items ? tr("%1 holds no items.").arg(file) : tr("%1: %2").arg(file, items.error().message));
        return;
    }
    bool ok = false;
    const QString id = QInputDialog::getText(this, tr("Import JSONL"), tr("Id of the new session:"), QLineEdit::Normal,
                                             QFileInfo(file).completeBaseName(), &ok)
                           .trimmed();
    if (!ok || id.isEmpty())
        return;
    core::SessionOpenOptions o;
    o.createTables = m_store->schemaKind() != core::SchemaKind::Advanced;
    auto session = m_store->openSession(id, o);
    if (!session) {
        QMessageBox::warning(this, tr("Import"), session.error().message);
        return;
    }
    if (auto n = (*session)->branchItemCount(QStringLiteral("main")); n && *n > 0) {
        QMessageBox::warning(this, tr("Import"), tr("Session %1 already exists. Choose another id.").arg(id));
        return;
    }
    // One add_items call: the import is stored whole or not at all.
    if (auto r = (*session)->addItems(*items); !r) {
        QMessageBox::warning(this, tr("Import"), r.error().message);
        return;
    }
    m_sessions->reload();
    selectSession(id);
    statusBar()->showMessage(tr("Imported %n item(s) as session %1", nullptr, int(items->size())).arg(id), 8000);
}

void MainWindow::exportConversation()
{
    if (m_sessionId.isEmpty())
        return;
    QString selected;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Conversation"), m_sessionId + QStringLiteral(".md"),
                                                      tr("Markdown (*.md);;JSON (*.json);;JSON Lines (*.jsonl)"), &selected);
    if (path.isEmpty())
        return;
    m_conversation->fetchAll();
    QList<core::StoredItem> items;
    if (m_session) {
        auto all = m_session->branchItems(m_conversation->branchId(), 0, -1);
        if (!all) {
            QMessageBox::warning(this, tr("Export"), all.error().message);
            return;
        }
        items = *all;
    }
    const QString branch = m_conversation->branchId().isEmpty() ? QStringLiteral("main") : m_conversation->branchId();
    auto meta = m_store->sessionMeta(m_sessionId);
    const core::ConversationExport::Header header{m_sessionId, branch, meta ? meta->title : QString()};
    QByteArray bytes;
    if (path.endsWith(u".jsonl"))
        bytes = core::ConversationExport::toJsonl(items);
    else if (path.endsWith(u".json"))
        bytes = core::ConversationExport::toJson(header, items);
    else {
        auto usage = m_session ? m_session->getTurnUsages(branch) : core::Result<QList<core::TurnUsage>>(QList<core::TurnUsage>{});
        bytes = core::ConversationExport::toMarkdown(header, items, usage ? *usage : QList<core::TurnUsage>{}).toUtf8();
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        QMessageBox::warning(this, tr("Export"), tr("Cannot write %1: %2").arg(path, f.errorString()));
        return;
    }
    statusBar()->showMessage(tr("Exported %n item(s) to %1", nullptr, int(items.size())).arg(path), 8000);
}

void MainWindow::editProperties()
{
    if (!m_store || m_sessionId.isEmpty())
        return;
    auto meta = m_store->sessionMeta(m_sessionId);
    if (!meta) {
        QMessageBox::warning(this, tr("Session Properties"), meta.error().message);
        return;
    }
    SessionPropertiesDialog dialog(m_sessionId, *meta, m_store->isReadOnly(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (auto r = m_store->setSessionMeta(m_sessionId, dialog.meta()); !r) {
        QMessageBox::warning(this, tr("Session Properties"), r.error().message);
        return;
    }
    const QString id = m_sessionId;
    m_sessions->reload();
    selectSession(id);
}

void MainWindow::copySelection(bool markdown)
{
    QModelIndexList rows = m_ui->conversationView->selectionModel()->selectedRows();
    if (rows.isEmpty() && m_ui->conversationView->currentIndex().isValid())
        rows << m_ui->conversationView->currentIndex();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QStringList parts;
    for (const QModelIndex& i : rows)
        parts << i.data(markdown ? ConversationModel::MarkdownRole : ConversationModel::TextRole).toString();
    if (!parts.isEmpty())
        QGuiApplication::clipboard()->setText(parts.join(markdown ? QStringLiteral("\n") : QStringLiteral("\n\n")));
}

bool MainWindow::findInConversation(const QString& text, bool backwards)
{
    if (text.isEmpty())
        return false;
    auto matches = [&](int row) {
        const QModelIndex i = m_conversation->index(row);
        for (int role : {int(ConversationModel::TextRole), int(ConversationModel::ArgumentsRole)}) {
            if (i.data(role).toString().contains(text, Qt::CaseInsensitive))
                return true;
        }
        return false;
    };
    int row = m_ui->conversationView->currentIndex().isValid() ? m_ui->conversationView->currentIndex().row() : -1;
    while (true) {
        row += backwards ? -1 : 1;
        if (row < 0)
            break;
        if (row >= m_conversation->rowCount()) {
            if (!m_conversation->canFetchMore({}))
                break;
            m_conversation->fetchMore({}); // a long session is searched page by page
        }
        if (row < m_conversation->rowCount() && matches(row)) {
            const QModelIndex i = m_conversation->index(row);
            m_conversation->setData(i, true, ConversationModel::ExpandedRole);
            m_ui->conversationView->setCurrentIndex(i);
            m_ui->conversationView->scrollTo(i, QAbstractItemView::PositionAtCenter);
            m_ui->findStatus->clear();
            return true;
        }
    }
    m_ui->findStatus->setText(tr("Not found"));
    return false;
}

bool MainWindow::jumpTo(const QString& sessionId, const QString& branchId, qint64 turn)
{
    if (!selectSession(sessionId)) {
        // The filter may hide it: clear the filter and try again.
        m_ui->filterEdit->clear();
        if (!selectSession(sessionId))
            return false;
    }
    if (m_session && branchId != m_conversation->branchId() && m_ui->branchCombo->findData(branchId) >= 0)
        showBranch(branchId);
    if (turn < 0)
        return true;
    const int row = m_conversation->rowForTurn(turn);
    if (row < 0)
        return false;
    const QModelIndex i = m_conversation->index(row);
    m_ui->conversationView->setCurrentIndex(i);
    m_ui->conversationView->scrollTo(i, QAbstractItemView::PositionAtTop);
    return true;
}

bool MainWindow::selectSession(const QString& sessionId)
{
    int row = m_sessions->rowOf(sessionId);
    while (row < 0 && m_sessions->canFetchMore({})) {
        m_sessions->fetchMore({});
        row = m_sessions->rowOf(sessionId);
    }
    if (row < 0)
        return false;
    m_ui->sessionView->selectRow(row);
    m_ui->sessionView->scrollTo(m_sessions->index(row, 0));
    return true;
}

void MainWindow::rememberRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > 10)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_ui->menuRecent->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& path : recent) {
        QAction* a = m_ui->menuRecent->addAction(QFileInfo(path).fileName() + QStringLiteral("  —  ") + QFileInfo(path).absolutePath());
        connect(a, &QAction::triggered, this, [this, path] { openDatabase(path); });
    }
    m_ui->menuRecent->setEnabled(!recent.isEmpty());
}

void MainWindow::updateActions()
{
    const bool writable = m_store && !m_store->isReadOnly();
    m_ui->actionImport->setEnabled(writable);
    m_ui->actionExport->setEnabled(m_store != nullptr);
    m_ui->actionProperties->setEnabled(m_store != nullptr);
    // Read-only and plain files branch into scratch copies, so branching is always offered.
    m_ui->actionBranchHere->setEnabled(m_store != nullptr);
    if (auto* production = findChild<QAction*>(QStringLiteral("actionProductionFile"))) {
        const QSignalBlocker block(production);
        auto flagged = m_store ? m_store->isProductionFile() : core::Result<bool>(false);
        production->setChecked(flagged && *flagged);
        production->setEnabled(writable);
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().value(0).isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString path = event->mimeData()->urls().value(0).toLocalFile();
    if (!path.isEmpty()) {
        event->acceptProposedAction();
        openDatabase(path);
    }
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_ui->findEdit && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
        m_ui->findBar->hide();
        m_ui->conversationView->setFocus();
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}


AppearanceSettings MainWindow::appearance()
{
    QSettings settings;
    AppearanceSettings a;
    const QString palette = settings.value(QStringLiteral("appearance/palette")).toString();
    a.palette = palette == u"dark" ? PaletteChoice::Dark : palette == u"light" ? PaletteChoice::Light : PaletteChoice::System;
    a.conversationFontSize = settings.value(QStringLiteral("appearance/conversationFontSize"), 0).toInt();
    return a;
}

void MainWindow::applyAppearance()
{
    const AppearanceSettings a = appearance();
    if (a.palette == PaletteChoice::System)
        QApplication::setPalette(systemPalette());
    else
        applyPalette(a.palette == PaletteChoice::Dark);
    QFont font = QApplication::font();
    if (a.conversationFontSize > 0)
        font.setPointSize(a.conversationFontSize);
    m_ui->conversationView->setFont(font);
    m_delegate->clearCache();
    m_ui->conversationView->doItemsLayout();
}

void MainWindow::openSettings()
{
    SettingsValues values;
    if (m_services.endpointEntries)
        values.endpoints = m_services.endpointEntries();
    core::SessionStore* file = sessionFile() ? sessionFile() : m_store.get();
    const bool agentsWritable = file && !file->isReadOnly() && !dynamic_cast<core::WorkspaceStore*>(file) && m_services.agents;
    if (file && m_services.agents) {
        if (auto repo = m_services.agents(file->path(), true)) {
            if (auto names = (*repo)->list()) {
                for (const QString& n : *names) {
                    if (auto a = (*repo)->load(n); a && *a)
                        values.agents << **a;
                }
            }
        }
    }
    values.appearance = appearance();
    SettingsDialog dialog(values, agentsWritable, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const SettingsValues out = dialog.values();
    QStringList problems;
    if (m_services.saveEndpoints) {
        if (auto r = m_services.saveEndpoints(out.endpoints, dialog.keysToStore()); !r)
            problems << r.error().message;
    }
    if (agentsWritable && out.agents != values.agents) {
        auto repo = m_services.agents(file->path(), false);
        if (!repo) {
            problems << repo.error().message;
        } else {
            for (const QString& name : dialog.removedAgents()) {
                if (auto r = (*repo)->remove(name); !r)
                    problems << r.error().message;
            }
            for (const core::AgentDefinition& agent : out.agents) {
                if (auto r = (*repo)->save(agent); !r)
                    problems << r.error().message;
            }
        }
    }
    QSettings settings;
    settings.setValue(QStringLiteral("appearance/palette"), out.appearance.palette == PaletteChoice::Dark    ? QStringLiteral("dark")
                                                            : out.appearance.palette == PaletteChoice::Light ? QStringLiteral("light")
                                                                                                             : QStringLiteral("system"));
    settings.setValue(QStringLiteral("appearance/conversationFontSize"), out.appearance.conversationFontSize);
    applyAppearance();
    setServices(m_services); // endpoint and agent lists changed
    if (!problems.isEmpty())
        QMessageBox::warning(this, tr("Settings"), tr("Some settings could not be saved:\n%1").arg(problems.join(u'\n')));
}

void MainWindow::setServices(WorkbenchServices services)
{
    m_services = std::move(services);
    QList<ComposerWidget::Choice> endpoints;
    if (m_services.endpoints) {
        for (const EndpointChoice& e : m_services.endpoints())
            endpoints << ComposerWidget::Choice{e.name, e.label};
    }
    m_composer->setEndpoints(endpoints);
    refreshComposer();
}

bool MainWindow::isRunning() const
{
    return m_runner && m_runner->isRunning();
}

void MainWindow::refreshComposer()
{
    if (isRunning())
        return;
    // Agents: the default support agent and the ones stored in this database.
    QList<ComposerWidget::Choice> agents{{QString(), tr("Support agent (default)")}};
    if (sessionFile() && m_services.agents) {
        if (auto repo = m_services.agents(sessionFile()->path(), true)) {
            if (auto names = (*repo)->list()) {
                for (const QString& n : *names)
                    agents << ComposerWidget::Choice{n, n};
            }
        }
    }
    m_composer->setAgents(agents);
    QString reason;
    if (!m_services.client)
        reason = tr("Running agents is not available in this build.");
    else if (!m_store)
        reason = tr("Open a session database to continue a conversation.");
    else if (m_store->isReadOnly())
        reason = tr("Read-only file: branch from a turn (Ctrl+B) to continue in a scratch copy.");
    else if (m_store->schemaKind() != core::SchemaKind::Advanced)
        reason = tr("Plain SQLiteSession file: branch from a turn (Ctrl+B) to continue in a scratch copy.");
    else if (!m_session)
        reason = tr("Pick a session to continue it.");
    m_composer->setUnavailable(reason);
}

bool MainWindow::branchFromTurn(qint64 turn, const QString& name)
{
    if (!m_store || m_sessionId.isEmpty() || isRunning())
        return false;
    // A session a production reader uses is never branched silently: a scratch copy, or an
    // explicit "branch here anyway".
    if (!prepareWhatIf())
        return false;
    core::SessionStore* file = sessionFile();
    if (!m_session || !file || file->isReadOnly())
        return false;
    // The SDK's call branches from the session object's current branch: make that the shown one.
    const QString source = m_conversation->branchId();
    if (m_session->currentBranch() != source) {
        if (auto r = m_session->switchToBranch(source); !r) {
            QMessageBox::warning(this, tr("Branch"), r.error().message);
            return false;
        }
    }
    auto created = m_session->createBranchFromTurn(turn, name.isEmpty() ? std::nullopt : std::optional<QString>(name));
    if (!created) {
        QMessageBox::warning(this, tr("Branch"), created.error().message);
        return false;
    }
    // Lineage goes into the side table: the SDK keeps none.
    core::BranchMeta meta;
    meta.branchId = *created;
    meta.parentBranch = source;
    meta.forkTurn = turn;
    (void)m_store->setBranchMeta(m_sessionId, meta);
    fillBranches();
    showBranch(*created);
    (void)m_store->setLastViewedBranch(m_sessionId, *created);
    statusBar()->showMessage(tr("Created branch %1 from turn %2 of %3. Ask the what-if question below.").arg(*created).arg(turn).arg(source),
                             10000);
    m_composer->setFocus();
    m_composer->findChild<QWidget*>(QStringLiteral("messageEdit"))->setFocus();
    return true;
}

QModelIndex MainWindow::rowInTurn(qint64 turn, const std::function<bool(const QModelIndex&)>& matches) const
{
    for (int row = m_conversation->rowForTurn(turn); row >= 0 && row < m_conversation->rowCount(); ++row) {
        const QModelIndex i = m_conversation->index(row);
        if (i.data(ConversationModel::TurnRole).toLongLong() != turn)
            break;
        if (matches(i))
            return i;
    }
    return {};
}

QString MainWindow::localSessionId() const
{
    if (dynamic_cast<core::WorkspaceStore*>(m_store.get()))
        return core::WorkspaceStore::split(m_sessionId).second;
    return m_sessionId;
}

bool MainWindow::prepareWhatIf()
{
    core::SessionStore* file = sessionFile();
    if (!file)
        return false;
    const QString local = localSessionId();
    auto risk = core::SessionCopy::inPlaceRisk(*file, local);
    if (!risk) {
        QMessageBox::warning(this, tr("Branch"), risk.error().message);
        return false;
    }
    if (risk->isEmpty())
        return m_session != nullptr;

    const bool advanced = file->schemaKind() == core::SchemaKind::Advanced;
    const bool canInPlace = advanced && !file->isReadOnly() && m_session;
    const bool canCopyInFile = advanced && !file->isReadOnly();
    WhatIfPlace place = WhatIfPlace::Cancel;
    if (m_whatIfChooser) {
        place = m_whatIfChooser(*risk, canInPlace, canCopyInFile);
    } else {
        QMessageBox box(QMessageBox::Warning, tr("Branch into a Scratch Copy?"),
                        tr("Branching this conversation in place could change what the production agent reads."), QMessageBox::Cancel,
                        this);
        box.setInformativeText(*risk + u"\n\n"
                               + tr("A scratch copy holds the same conversation under a new session id; the what-if branch "
                                    "goes there and the customer's session stays exactly as it is."));
        QPushButton* inFile = canCopyInFile ? box.addButton(tr("Scratch Copy in This File"), QMessageBox::AcceptRole) : nullptr;
        QPushButton* workbench = box.addButton(tr("Scratch Copy in a Workbench File"), QMessageBox::AcceptRole);
        QPushButton* inPlace = canInPlace ? box.addButton(tr("Branch Here Anyway"), QMessageBox::DestructiveRole) : nullptr;
        box.setDefaultButton(inFile ? inFile : workbench);
        box.exec();
        if (box.clickedButton() == inFile && inFile)
            place = WhatIfPlace::CopyInFile;
        else if (box.clickedButton() == workbench)
            place = WhatIfPlace::CopyInWorkbenchFile;
        else if (inPlace && box.clickedButton() == inPlace)
            place = WhatIfPlace::InPlace;
    }
    switch (place) {
    case WhatIfPlace::Cancel:
        return false;
    case WhatIfPlace::InPlace:
        return canInPlace;
    case WhatIfPlace::CopyInFile: {
        if (!canCopyInFile)
            return false;
        auto id = core::SessionCopy::freeSessionId(*file, local);
        auto copied = id ? core::SessionCopy::copy(*file, local, m_conversation->branchId(), *file, *id) : core::Result<qint64>(id.error());
        if (!copied) {
            QMessageBox::warning(this, tr("Scratch Copy"), copied.error().message);
            return false;
        }
        QString shown = *id;
        if (dynamic_cast<core::WorkspaceStore*>(m_store.get()))
            shown = core::WorkspaceStore::compose(core::WorkspaceStore::split(m_sessionId).first, *id);
        m_sessions->reload();
        if (!selectSession(shown))
            showSession(shown);
        statusBar()->showMessage(tr("Working in scratch copy %1 (%n item(s)); %2 stays untouched.", nullptr, int(*copied)).arg(*id, local),
                                 10000);
        return m_session != nullptr;
    }
    case WhatIfPlace::CopyInWorkbenchFile: {
        if (!m_create) {
            QMessageBox::warning(this, tr("Scratch Copy"), tr("This window cannot create files."));
            return false;
        }
        QString folder = m_scratchFolder;
        if (folder.isEmpty())
            folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/scratch");
        QDir().mkpath(folder);
        const QString path = folder + u'/' + QFileInfo(file->path()).completeBaseName() + QStringLiteral("-whatif.db");
        QString id;
        {
            auto target = m_create(path, false);
            auto free = target ? core::SessionCopy::freeSessionId(**target, local) : core::Result<QString>(target.error());
            auto copied = free ? core::SessionCopy::copy(*file, local, m_conversation->branchId(), **target, *free)
                               : core::Result<qint64>(free.error());
            if (!copied) {
                QMessageBox::warning(this, tr("Scratch Copy"), tr("Could not copy the session to %1: %2").arg(path, copied.error().message));
                return false;
            }
            id = *free;
        }
        if (!openDatabase(path))
            return false;
        if (!selectSession(id))
            showSession(id);
        statusBar()->showMessage(tr("Working in scratch copy %1 in %2; the original file stays untouched.").arg(id, path), 10000);
        return m_session != nullptr;
    }
    }
    return false;
}

bool MainWindow::editAndRerun(qint64 turn, const QString& text, const QString& name)
{
    if (text.trimmed().isEmpty() || !m_store || isRunning())
        return false;
    if (!branchFromTurn(turn, name.isEmpty() ? freeBranchName(m_session.get(), QStringLiteral("edit-turn-%1").arg(turn)) : name))
        return false;
    return startRun(text, {});
}

bool MainWindow::overrideToolOutput(qint64 turn, const QString& callId, const QString& output, const QString& name)
{
    if (!m_session || !m_store || isRunning())
        return false;
    // The turn as the shown branch has it, read before branching (the branch gets turns < turn).
    auto rows = m_session->branchItems(m_conversation->branchId(), 0, -1);
    if (!rows) {
        QMessageBox::warning(this, tr("Override Tool Output"), rows.error().message);
        return false;
    }
    QList<core::StoredItem> turnRows;
    for (const core::StoredItem& r : *rows) {
        if (r.turn == turn)
            turnRows << r;
    }
    auto input = core::WhatIfInput::overrideToolOutput(turnRows, callId, output);
    if (!input) {
        QMessageBox::warning(this, tr("Override Tool Output"), input.error().message);
        return false;
    }
    if (!branchFromTurn(turn, name.isEmpty() ? freeBranchName(m_session.get(), QStringLiteral("tool-output-turn-%1").arg(turn)) : name))
        return false;
    return startRun({}, *input);
}

core::BranchMeta MainWindow::branchMetaOf(const QString& branchId)
{
    core::BranchMeta meta;
    meta.branchId = branchId;
    if (auto all = m_store ? m_store->branchMeta(m_sessionId) : core::Result<QList<core::BranchMeta>>(QList<core::BranchMeta>{})) {
        for (const core::BranchMeta& m : *all) {
            if (m.branchId == branchId)
                return m;
        }
    }
    return meta;
}

bool MainWindow::changeBranchMeta(const core::BranchMeta& after, const QString& text)
{
    core::SessionStore* file = sessionFile();
    if (!m_store || !file || file->isReadOnly() || m_sessionId.isEmpty()) {
        statusBar()->showMessage(tr("Branch names, marks and notes need a writable file."), 5000);
        return false;
    }
    const core::BranchMeta before = branchMetaOf(after.branchId);
    // The first redo runs inside push(): a failed write marks the command obsolete so push()
    // drops it and Undo never "undoes" what did not happen. Later undo/redo only report.
    struct FirstRun
    {
        bool pending = true;
        QString failure;
        QUndoCommand* command = nullptr;
    };
    auto first = std::make_shared<FirstRun>();
    const QString sessionId = m_sessionId;
    auto* command = new BranchMetaCommand(m_store.get(), sessionId, before, after, text, [this, sessionId, first](const QString& error) {
        if (first->pending) {
            first->pending = false;
            first->failure = error;
            if (!error.isEmpty())
                first->command->setObsolete(true);
        }
        branchMetaChanged(sessionId, error);
    });
    first->command = command;
    m_undo->push(command);
    return first->failure.isEmpty();
}

void MainWindow::branchMetaChanged(const QString& sessionId, const QString& error)
{
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Branch"), error);
        return;
    }
    if (sessionId != m_sessionId)
        return;
    const QString shown = m_conversation->branchId();
    fillBranches();
    const int i = m_ui->branchCombo->findData(shown);
    if (i >= 0)
        m_ui->branchCombo->setCurrentIndex(i);
    updateBranchTree();
}

bool MainWindow::renameBranch(const QString& branchId, const QString& displayName)
{
    core::BranchMeta meta = branchMetaOf(branchId);
    meta.displayName = displayName == branchId ? QString() : displayName;
    return changeBranchMeta(meta, tr("Rename %1").arg(branchId));
}

bool MainWindow::setBranchPreferred(const QString& branchId, bool preferred)
{
    core::BranchMeta meta = branchMetaOf(branchId);
    meta.preferred = preferred;
    return changeBranchMeta(meta, preferred ? tr("Mark %1 preferred").arg(branchId) : tr("Unmark %1").arg(branchId));
}

bool MainWindow::setBranchNote(const QString& branchId, const QString& note)
{
    core::BranchMeta meta = branchMetaOf(branchId);
    meta.note = note;
    return changeBranchMeta(meta, tr("Note on %1").arg(branchId));
}

bool MainWindow::setBranchOutcome(const QString& branchId, const QString& outcome)
{
    core::BranchMeta meta = branchMetaOf(branchId);
    meta.outcome = outcome;
    return changeBranchMeta(meta, tr("Outcome of %1").arg(branchId));
}

bool MainWindow::deleteBranch(const QString& branchId, bool confirm)
{
    core::SessionStore* file = sessionFile();
    if (!m_session || !file || file->isReadOnly() || isRunning())
        return false;
    if (branchId == u"main") {
        statusBar()->showMessage(tr("The main branch cannot be deleted: it is the conversation a production agent continues."), 8000);
        return false;
    }
    if (confirm) {
        qint64 items = 0;
        if (auto branches = m_session->listBranches()) {
            for (const core::BranchInfo& b : *branches) {
                if (b.branchId == branchId)
                    items = b.messageCount;
            }
        }
        if (QMessageBox::question(this, tr("Delete Branch"),
                                  tr("Delete branch %1 (%n item(s))? Items it shares with other branches stay. This cannot be undone.",
                                     nullptr, int(items))
                                      .arg(branchId),
                                  QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            != QMessageBox::Yes)
            return false;
    }
    const QString shown = m_conversation->branchId();
    // The SDK refuses to delete the session's current branch without force; the analyst asked for
    // this branch, so the session object moves to main first, as force would.
    if (m_session->currentBranch() == branchId) {
        if (auto r = m_session->switchToBranch(QStringLiteral("main")); !r) {
            QMessageBox::warning(this, tr("Delete Branch"), r.error().message);
            return false;
        }
    }
    if (auto r = m_session->deleteBranch(branchId, false); !r) {
        QMessageBox::warning(this, tr("Delete Branch"), r.error().message);
        return false;
    }
    // Names and notes of a deleted branch would attach to a new branch of the same id.
    const core::BranchMeta meta = branchMetaOf(branchId);
    if (!meta.displayName.isEmpty() || meta.preferred || !meta.note.isEmpty() || !meta.outcome.isEmpty() || meta.parentBranch) {
        core::BranchMeta cleared;
        cleared.branchId = branchId;
        (void)m_store->setBranchMeta(m_sessionId, cleared);
    }
    fillBranches();
    showBranch(shown == branchId ? QStringLiteral("main") : shown);
    if (shown == branchId && !m_store->isReadOnly())
        (void)m_store->setLastViewedBranch(m_sessionId, QStringLiteral("main"));
    statusBar()->showMessage(tr("Deleted branch %1.").arg(branchId), 8000);
    return true;
}

void MainWindow::showBranchMenu(const QString& branchId, qint64 turn, const QPoint& globalPos)
{
    QMenu* menu = createBranchMenu(branchId, turn, this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(globalPos);
}

void MainWindow::fillBranchMenu()
{
    m_branchMenu->clear();
    populateBranchMenu(m_branchMenu, QString(), -1);
}

QMenu* MainWindow::createBranchMenu(const QString& branchId, qint64 turn, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("branchContextMenu"));
    populateBranchMenu(menu, branchId, turn);
    return menu;
}

void MainWindow::populateBranchMenu(QMenu* menu, const QString& fixedBranch, qint64 fixedTurn)
{
    // Empty branch / negative turn: resolved when the action runs (the menu bar's shortcuts act on
    // whatever is shown then); the tree's context menu fixes both.
    const auto branchOf = [this, fixedBranch]() -> QString { return fixedBranch.isEmpty() ? m_conversation->branchId() : fixedBranch; };
    const auto turnOf = [this, fixedTurn]() -> qint64 {
        if (fixedTurn >= 0)
            return fixedTurn;
        const QVariant t = m_ui->conversationView->currentIndex().data(ConversationModel::TurnRole);
        return t.isValid() ? t.toLongLong() : 0;
    };
    core::SessionStore* file = sessionFile();
    const bool writable = file && !file->isReadOnly() && m_session;
    const QString branch = branchOf();
    const core::BranchMeta meta = branch.isEmpty() || !m_store ? core::BranchMeta{} : branchMetaOf(branch);

    if (!fixedBranch.isEmpty() && fixedBranch != m_conversation->branchId()) {
        QAction* show = menu->addAction(tr("&Show This Branch"));
        connect(show, &QAction::triggered, this, [this, fixedBranch] { showBranch(fixedBranch); });
    }
    const qint64 turnNow = turnOf();
    if (fixedBranch.isEmpty()) {
        menu->addAction(m_ui->actionBranchHere);
    } else if (turnNow >= 1) {
        QAction* from = menu->addAction(tr("&Branch from Turn %1…").arg(turnNow));
        from->setEnabled(m_store && !m_sessionId.isEmpty());
        connect(from, &QAction::triggered, this, [this, fixedBranch, turnNow] {
            if (fixedBranch != m_conversation->branchId())
                showBranch(fixedBranch);
            bool ok = false;
            const QString name = QInputDialog::getText(this, tr("Branch from Turn %1").arg(turnNow), tr("Name of the new branch:"),
                                                       QLineEdit::Normal, freeBranchName(m_session.get(), tr("what-if-%1").arg(turnNow)), &ok);
            if (ok)
                branchFromTurn(turnNow, name.trimmed());
        });
    }
    // The key is the conversation view's own action; "\t" shows it here without a second binding.
    QAction* edit = menu->addAction(tr("&Edit and Re-run Turn…") + QStringLiteral("\tCtrl+Shift+E"));
    edit->setEnabled(m_store && !m_sessionId.isEmpty() && (fixedTurn != 0));
    connect(edit, &QAction::triggered, this, [this, branchOf, turnOf] {
        if (branchOf() != m_conversation->branchId())
            showBranch(branchOf());
        const qint64 t = turnOf();
        if (t < 1)
            return;
        const int row = m_conversation->rowForTurn(t);
        if (row >= 0)
            m_ui->conversationView->setCurrentIndex(m_conversation->index(row));
        if (QAction* a = findChild<QAction*>(QStringLiteral("actionEditRerun")))
            a->trigger();
    });
    menu->addSeparator();

    QAction* rename = menu->addAction(tr("&Rename…"));
    rename->setShortcut(QKeySequence(Qt::Key_F2));
    rename->setEnabled(writable);
    connect(rename, &QAction::triggered, this, [this, branchOf] {
        const QString b = branchOf();
        if (b.isEmpty())
            return;
        const core::BranchMeta m = branchMetaOf(b);
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Rename Branch"), tr("Display name of %1 (the SDK's branch id stays):").arg(b),
                                                   QLineEdit::Normal, m.displayName.isEmpty() ? b : m.displayName, &ok);
        if (ok)
            renameBranch(b, name.trimmed());
    });
    QAction* preferred = menu->addAction(tr("&Preferred"));
    preferred->setCheckable(true);
    preferred->setChecked(meta.preferred);
    preferred->setEnabled(writable);
    connect(preferred, &QAction::triggered, this, [this, branchOf](bool on) { setBranchPreferred(branchOf(), on); });
    QAction* note = menu->addAction(tr("&Note…"));
    note->setEnabled(writable);
    connect(note, &QAction::triggered, this, [this, branchOf] {
        const QString b = branchOf();
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(this, tr("Note on %1").arg(b), tr("What this branch showed:"),
                                                            branchMetaOf(b).note, &ok);
        if (ok)
            setBranchNote(b, text.trimmed());
    });
    QMenu* outcome = menu->addMenu(tr("&Outcome"));
    outcome->setEnabled(writable);
    for (const QString& label : {tr("resolved"), tr("not resolved"), tr("escalated"), tr("inconclusive")}) {
        QAction* a = outcome->addAction(label);
        a->setCheckable(true);
        a->setChecked(meta.outcome == label);
        connect(a, &QAction::triggered, this, [this, branchOf, label] { setBranchOutcome(branchOf(), label); });
    }
    outcome->addSeparator();
    QAction* custom = outcome->addAction(tr("Other…"));
    connect(custom, &QAction::triggered, this, [this, branchOf] {
        bool ok = false;
        const QString label = QInputDialog::getText(this, tr("Outcome"), tr("Outcome label:"), QLineEdit::Normal, branchMetaOf(branchOf()).outcome, &ok);
        if (ok)
            setBranchOutcome(branchOf(), label.trimmed());
    });
    QAction* clearOutcome = outcome->addAction(tr("Clear"));
    connect(clearOutcome, &QAction::triggered, this, [this, branchOf] { setBranchOutcome(branchOf(), QString()); });
    menu->addSeparator();

    QMenu* compareWith = menu->addMenu(tr("Compare &With"));
    compareWith->setEnabled(m_session != nullptr);
    if (m_session) {
        if (auto branches = m_session->listBranches()) {
            for (const core::BranchInfo& b : *branches) {
                if (b.branchId == branch)
                    continue;
                QAction* a = compareWith->addAction(b.branchId);
                connect(a, &QAction::triggered, this, [this, branchOf, other = b.branchId] { compareBranches(branchOf(), other); });
            }
        }
    }
    const QStringList picked = m_tree ? m_tree->selectedBranches() : QStringList();
    QAction* compareSelected = menu->addAction(tr("Compare &Selected Branches"));
    compareSelected->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+B")));
    compareSelected->setToolTip(tr("Ctrl+click a node of a second branch in the tree, then compare"));
    connect(compareSelected, &QAction::triggered, this, [this, branchOf] {
        const QStringList now = m_tree->selectedBranches();
        if (now.size() >= 2)
            compareBranches(now.at(0), now.at(1));
        else if (m_session) {
            // Without a second pick: the shown branch against main (or main against the first branch).
            const QString b = branchOf();
            QString other = QStringLiteral("main");
            if (b == other) {
                if (auto branches = m_session->listBranches(); branches && branches->size() > 1)
                    other = branches->at(1).branchId;
            }
            compareBranches(other, b);
        }
    });
    compareSelected->setEnabled(m_session != nullptr);
    if (picked.size() >= 2)
        compareSelected->setText(tr("Compare &Selected Branches (%1, %2)").arg(picked.at(0), picked.at(1)));
    menu->addSeparator();

    QAction* promote = menu->addAction(tr("Pro&mote to Main…"));
    promote->setEnabled(writable && branch != u"main" && m_services.merge);
    connect(promote, &QAction::triggered, this, [this, branchOf] { promoteBranch(branchOf()); });
    QAction* carry = menu->addAction(tr("&Carry Finding to Main…"));
    carry->setEnabled(writable && branch != u"main" && m_services.merge);
    connect(carry, &QAction::triggered, this, [this, branchOf] { carryFinding(branchOf()); });
    menu->addSeparator();

    QAction* remove = menu->addAction(tr("&Delete Branch…"));
    remove->setEnabled(writable && branch != u"main");
    connect(remove, &QAction::triggered, this, [this, branchOf] { deleteBranch(branchOf()); });
}

bool MainWindow::sendMessage(const QString& text)
{
    return startRun(text, {});
}

bool MainWindow::startRun(const QString& text, const QList<Json>& items)
{
    if (!m_session || !m_store || isRunning() || (items.isEmpty() && text.trimmed().isEmpty()) || !m_services.client)
        return false;
    if (!sessionFile() || sessionFile()->isReadOnly())
        return false;
    m_composer->clearError();
    core::AgentDefinition agentDef = core::AgentDefinition::defaultSupportAgent();
    const QString agentName = m_composer->agent();
    core::SessionStore* file = sessionFile();
    if (!file)
        return false;
    if (!agentName.isEmpty() && m_services.agents) {
        auto repo = m_services.agents(file->path(), true);
        auto loaded = repo ? (*repo)->load(agentName) : core::Result<std::optional<core::AgentDefinition>>(repo.error());
        if (!loaded || !*loaded) {
            m_composer->showError(tr("Agent %1 could not be loaded%2").arg(agentName, loaded ? QString() : QStringLiteral(": ") + loaded.error().message), false);
            return false;
        }
        agentDef = **loaded;
    }
    auto client = m_services.client(m_composer->endpoint(), agentDef);
    if (!client) {
        m_composer->showError(client.error().message, false);
        return false;
    }
    m_client = std::move(client).value();
    m_tasks.reset(); // tasks live in the session's own file (a workspace has many)
    if (m_services.tasks) {
        if (auto tasks = m_services.tasks(file->path()))
            m_tasks = std::move(tasks).value();
    }
    m_runner = std::make_unique<agent::Runner>(*m_client);
    m_runner->setSessionStore(file);
    m_runner->setToolServices({m_tasks.get(), m_prompter.get()});
    m_pendingText.clear();
    m_lastInput = items.isEmpty() ? text : QString(); // Retry re-sends typed text only
    m_lastInputBranch = m_conversation->branchId();
    m_itemsBeforeRun = m_conversation->itemCount();
    connect(m_runner.get(), &agent::Runner::textDelta, this, [this](const QString&, const QString& delta) {
        m_pendingText += delta;
        m_conversation->setPendingText(m_pendingText);
        m_ui->conversationView->scrollToBottom();
    });
    connect(m_runner.get(), &agent::Runner::toolCallStarted, this, [this](const QString&, const QString& name, const QString&) {
        m_composer->setStatus(tr("Calling tool %1…").arg(name));
    });
    connect(m_runner.get(), &agent::Runner::turnStarted, this, [this](int turn) {
        m_composer->setStatus(turn == 1 ? tr("Waiting for the model…") : tr("Waiting for the model (call %1)…").arg(turn));
    });
    connect(m_runner.get(), &agent::Runner::retrying, this, [this](int attempt, qint64 delayMs, const QString& reason) {
        m_composer->setStatus(tr("Retrying in %1 s (attempt %2): %3").arg(double(delayMs) / 1000.0, 0, 'f', 1).arg(attempt).arg(reason));
    });
    connect(m_runner.get(), &agent::Runner::itemsStored, this, [this] {
        // Stored items replace the streamed text: show the store's view, keep streaming after it.
        m_pendingText.clear();
        reloadConversation(true);
    });
    connect(m_runner.get(), &agent::Runner::finished, this, &MainWindow::runFinished);
    agent::RunOptions options;
    options.branch = m_conversation->branchId();
    m_composer->setBusy(true);
    m_composer->setStatus(tr("Sending…"));
    const bool started = items.isEmpty() ? m_runner->run(agentDef, text, *m_session, options)
                                         : m_runner->run(agentDef, items, *m_session, options);
    if (!started) {
        m_composer->setBusy(false);
        m_composer->showError(tr("The run could not start."), false);
        return false;
    }
    return true;
}

void MainWindow::applyTurnModels()
{
    QHash<qint64, QString> models;
    if (auto rows = m_store->requestUsage(m_sessionId, m_conversation->branchId())) {
        for (const core::RequestUsage& r : *rows) {
            if (!r.model.isEmpty())
                models.insert(r.userTurnNumber, r.model);
        }
    }
    m_conversation->setTurnModels(models);
}

void MainWindow::updateBranchTree()
{
    if (!m_tree || !m_treeDock->isVisible())
        return;
    if (!m_session) {
        m_tree->clear();
        return;
    }
    auto branches = m_session->listBranches();
    if (!branches) {
        m_tree->clear();
        return;
    }
    qint64 rowsTotal = 0;
    for (const core::BranchInfo& b : *branches)
        rowsTotal += b.messageCount;
    // Drawing reads every row of every branch: very long sessions are left to the conversation view.
    constexpr qint64 kMaxRows = 60000;
    if (rowsTotal > kMaxRows) {
        m_tree->clear();
        m_treeDock->setWindowTitle(tr("Branch Tree — %1 items, too many to draw").arg(QLocale().toString(rowsTotal)));
        return;
    }
    m_treeDock->setWindowTitle(tr("Branch Tree — %n branch(es)", nullptr, int(branches->size())));
    QList<core::BranchRows> rows;
    QHash<QString, QList<core::ConversationTurn>> turns;
    QHash<QString, QHash<qint64, qint64>> tokens;
    for (const core::BranchInfo& b : *branches) {
        core::BranchRows r;
        r.branchId = b.branchId;
        r.createdAt = b.createdAt;
        if (auto items = m_session->branchItems(b.branchId, 0, -1)) {
            for (const core::StoredItem& it : *items) {
                r.messageIds << it.messageId;
                r.turns << it.turn;
            }
        }
        rows << r;
        if (auto t = m_session->getConversationTurns(b.branchId))
            turns.insert(b.branchId, *t);
        if (auto usage = m_session->getTurnUsages(b.branchId)) {
            for (const core::TurnUsage& u : *usage) {
                if (u.userTurnNumber)
                    tokens[b.branchId].insert(*u.userTurnNumber, u.totalTokens.toInt());
            }
        }
    }
    auto recorded = m_store->branchMeta(m_sessionId);
    const QList<core::BranchMeta> meta = recorded ? *recorded : QList<core::BranchMeta>{};
    m_tree->setTree(core::BranchLineage::compute(rows, meta), turns, tokens, m_conversation->branchId(), meta);
    // Findings carried into main from what-if branches (a side table the merge service keeps).
    if (auto merge = m_services.merge ? openMerge() : core::Result<std::unique_ptr<core::BranchMerge>>(core::Error::make(core::Error::Code::Argument, QString()))) {
        if (auto findings = (*merge)->carriedFindings(localSessionId())) {
            QHash<qint64, qint64> mainTurnOf;
            for (const core::BranchRows& r : rows) {
                if (r.branchId != u"main")
                    continue;
                for (qsizetype i = 0; i < r.messageIds.size(); ++i)
                    mainTurnOf.insert(r.messageIds.at(i), r.turns.at(i).value_or(0));
            }
            QList<BranchTreeView::CarriedLink> links;
            for (const core::CarriedFinding& f : *findings) {
                if (mainTurnOf.contains(f.messageId))
                    links.push_back({f.sourceBranch, mainTurnOf.value(f.messageId), f.text});
            }
            m_tree->setCarriedLinks(links);
        }
    }
}

void MainWindow::updateTotals()
{
    if (!m_session)
        return;
    auto totals = m_session->getSessionUsage(m_conversation->branchId());
    const QLocale locale;
    if (totals && *totals) {
        m_ui->sessionTotals->setText(tr("%1 items · %2 tokens on this branch (%3 in, %4 out)")
                                         .arg(locale.toString(m_conversation->itemCount()), locale.toString((*totals)->totalTokens),
                                              locale.toString((*totals)->inputTokens), locale.toString((*totals)->outputTokens)));
    } else {
        m_ui->sessionTotals->setText(tr("%1 items · no usage stored").arg(locale.toString(m_conversation->itemCount())));
    }
}

void MainWindow::reloadConversation(bool keepPending)
{
    const QString branch = m_conversation->branchId();
    m_conversation->setSession(m_session.get(), branch);
    applyTurnModels();
    m_conversation->fetchAll(); // the new items are at the end
    updateTotals();
    if (keepPending && !m_pendingText.isEmpty())
        m_conversation->setPendingText(m_pendingText);
    m_ui->conversationView->scrollToBottom();
}

void MainWindow::runFinished()
{
    m_composer->setBusy(false);
    m_pendingText.clear();
    reloadConversation(false);
    const auto& result = m_runner->result();
    if (result) {
        m_composer->setMessage(QString());
        const core::RunUsage& u = result->usage;
        m_composer->setStatus(tr("Done: %1 tokens, %n request(s)", nullptr, int(u.requests)).arg(QLocale().toString(u.totalTokens)));
        const QString id = m_sessionId;
        const QString branch = m_conversation->branchId();
        fillBranches();
        const int i = m_ui->branchCombo->findData(branch);
        if (i >= 0)
            m_ui->branchCombo->setCurrentIndex(i);
        m_sessions->reload();
        selectSession(id);
        updateBranchTree();
    } else {
        // The reason goes in a banner, never into the conversation; the message stays typed.
        const bool cancelled = result.error().code == core::Error::Code::Cancelled;
        m_composer->setStatus(cancelled ? tr("Stopped.") : QString());
        m_composer->showError(cancelled ? tr("The run was stopped. Your message was stored; Retry sends it again.")
                                        : tr("The run failed: %1").arg(result.error().message),
                              true);
    }
}

void MainWindow::retryLastMessage()
{
    if (isRunning() || m_lastInput.isEmpty() || !m_session)
        return;
    // The failed run stored the user item (as the SDK does). Sending again would store it twice,
    // so the unanswered copy is taken back first when it is still the branch's last item.
    auto items = m_session->branchItems(m_lastInputBranch, std::max<qint64>(0, m_conversation->itemCount() - 1), 1);
    if (items && items->size() == 1 && !items->first().corrupt && items->first().item[u"role"].toString() == u"user"
        && items->first().item[u"content"].toString() == m_lastInput && m_session->currentBranch() == m_lastInputBranch)
        (void)m_session->popItem();
    m_composer->setMessage(m_lastInput);
    sendMessage(m_lastInput);
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

core::Result<std::unique_ptr<core::BranchMerge>> MainWindow::openMerge()
{
    core::SessionStore* file = sessionFile();
    if (!file || !m_services.merge)
        return core::Error::make(core::Error::Code::Argument, tr("Merging branches is not available here."));
    return m_services.merge(file->path(), file->isReadOnly());
}

bool MainWindow::promoteBranch(const QString& branchId, bool confirm)
{
    if (!m_session || isRunning())
        return false;
    auto merge = openMerge();
    if (!merge) {
        QMessageBox::warning(this, tr("Promote to Main"), merge.error().message);
        return false;
    }
    const QString local = localSessionId();
    // The plan checks everything (read-only, production flag, plain readers, names) and writes nothing.
    auto plan = (*merge)->planPromote(local, branchId);
    if (!plan) {
        if (confirm)
            QMessageBox::warning(this, tr("Promote to Main"), plan.error().message);
        else
            statusBar()->showMessage(plan.error().message, 8000);
        return false;
    }
    if (confirm
        && QMessageBox::question(this, tr("Promote to Main"),
                                 tr("Make %1 (%2 items, %3 turns) the main branch of %4?\n\nA production agent continues from "
                                    "main. The current main (%5 items, %6 turns) is kept as the branch %7; nothing is deleted, "
                                    "and Undo (Ctrl+Z) restores the exact previous state.")
                                     .arg(branchId)
                                     .arg(plan->branchItems)
                                     .arg(plan->branchTurns)
                                     .arg(local)
                                     .arg(plan->mainItems)
                                     .arg(plan->mainTurns)
                                     .arg(plan->oldMainName),
                                 QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
               != QMessageBox::Yes)
        return false;
    auto done = (*merge)->promote(local, branchId, plan->oldMainName);
    if (!done) {
        QMessageBox::warning(this, tr("Promote to Main"), done.error().message);
        return false;
    }
    const QString sessionId = m_sessionId;
    m_undo->push(MergeCommand::promoted(m_services.merge, sessionFile()->path(), *done,
                                        [this, sessionId](const QString& error) { mergeChanged(sessionId, error); }));
    mergeChanged(sessionId, QString());
    switchBranch(QStringLiteral("main"));
    statusBar()->showMessage(tr("%1 is now main; the previous main is kept as %2.").arg(branchId, plan->oldMainName), 10000);
    return true;
}

bool MainWindow::carryFinding(const QString& branchId, const QString& text)
{
    if (!m_session || isRunning())
        return false;
    auto merge = openMerge();
    if (!merge) {
        QMessageBox::warning(this, tr("Carry Finding"), merge.error().message);
        return false;
    }
    const QString local = localSessionId();
    if (auto ok = (*merge)->checkCarry(local, branchId); !ok) {
        if (text.isEmpty())
            QMessageBox::warning(this, tr("Carry Finding"), ok.error().message);
        else
            statusBar()->showMessage(ok.error().message, 8000);
        return false;
    }
    QString finding = text;
    if (finding.isEmpty()) {
        const core::BranchMeta meta = branchMetaOf(branchId);
        CarryFindingDialog::Drafter drafter;
        if (m_services.client)
            drafter = [this, branchId](const std::function<void(core::Result<QString>)>& done) { draftFinding(branchId, done); };
        CarryFindingDialog dialog(meta.displayName.isEmpty() ? branchId : meta.displayName, meta.note, drafter, this);
        if (dialog.exec() != QDialog::Accepted || dialog.text().isEmpty())
            return false;
        finding = dialog.text();
    }
    auto done = (*merge)->carry(local, branchId, finding);
    if (!done) {
        QMessageBox::warning(this, tr("Carry Finding"), done.error().message);
        return false;
    }
    const QString sessionId = m_sessionId;
    m_undo->push(MergeCommand::carried(m_services.merge, sessionFile()->path(), *done, finding,
                                       [this, sessionId](const QString& error) { mergeChanged(sessionId, error); }));
    mergeChanged(sessionId, QString());
    statusBar()->showMessage(tr("The finding of %1 was added to main.").arg(branchId), 10000);
    return true;
}

void MainWindow::draftFinding(const QString& branchId, const std::function<void(core::Result<QString>)>& done)
{
    core::AgentDefinition agent = core::AgentDefinition::defaultSupportAgent();
    auto client = m_services.client(m_composer->endpoint(), agent);
    if (!client) {
        done(client.error());
        return;
    }
    core::FindingDraft::Input input;
    input.branchId = branchId;
    if (auto rows = m_session->branchItems(branchId, 0, -1))
        input.branchItems = *rows;
    if (auto rows = m_session->branchItems(QStringLiteral("main"), 0, -1))
        input.mainItems = *rows;
    // The client lives as long as its call; both go when the reply is in.
    std::shared_ptr<core::ModelClient> owner(std::move(client).value());
    core::ModelCall* call = owner->start(core::FindingDraft::request(input, agent.modelSettings), this);
    connect(call, &core::ModelCall::finished, this, [call, owner, done] {
        auto draft = call->result() ? core::FindingDraft::extract(*call->result()) : core::Result<core::FindingDraft::Draft>(call->result().error());
        call->deleteLater();
        if (!draft)
            done(draft.error());
        else
            done(draft->text);
    });
}

void MainWindow::mergeChanged(const QString& sessionId, const QString& error)
{
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Branch"), error);
    if (sessionId != m_sessionId)
        return;
    // Promote renames branches under every open session object: read the session afresh.
    const QString shown = m_conversation->branchId();
    auto session = m_store->openSession(m_sessionId, {});
    if (!session)
        return;
    m_session = std::move(session).value();
    fillBranches();
    showBranch(m_ui->branchCombo->findData(shown) >= 0 ? shown : QStringLiteral("main"));
    m_sessions->reload();
}

BranchCompareDialog* MainWindow::compareDialog() const
{
    return m_compare.data();
}

bool MainWindow::compareBranches(const QString& left, const QString& right)
{
    if (!m_session || left.isEmpty() || right.isEmpty() || left == right)
        return false;
    if (!m_compare) {
        m_compare = new BranchCompareDialog(this);
        m_compare->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_compare, &BranchCompareDialog::showBranch, this, [this](const QString& branch, qint64 turn) { jumpTo(m_sessionId, branch, turn); });
    }
    BranchCompareDialog::BranchList branches;
    QHash<QString, QString> names;
    if (auto meta = m_store->branchMeta(m_sessionId)) {
        for (const core::BranchMeta& m : *meta)
            names.insert(m.branchId, m.displayName);
    }
    if (auto list = m_session->listBranches()) {
        for (const core::BranchInfo& b : *list)
            branches.push_back({b.branchId, names.value(b.branchId).isEmpty() ? b.branchId : names.value(b.branchId)});
    }
    // Models for pricing: the workbench's request rows, then the analyst's assignments, then the
    // listing's default, as everywhere else costs are shown.
    auto resolver = std::make_shared<core::ModelResolver>();
    resolver->setDefaultModel(m_sessions->defaultModel());
    if (auto assignments = m_store->modelAssignments())
        resolver->setAssignments(*assignments);
    if (auto rows = m_store->requestUsage(m_sessionId, std::nullopt))
        resolver->addRequestModels(*rows);
    const QString sessionId = m_sessionId;
    m_compare->setSession(m_session.get(), branches, m_sessions->prices(),
                          [resolver, sessionId](const QString& branch, qint64 turn) { return resolver->resolve(sessionId, branch, turn).model; });
    const bool ok = m_compare->compare(left, right);
    m_compare->show();
    m_compare->raise();
    m_compare->activateWindow();
    return ok;
}

QString MainWindow::pricesPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/prices.json");
}

void MainWindow::setPricing(const core::PriceTable& prices, const QString& defaultModel)
{
    m_sessions->setPricing(prices, defaultModel);
    core::UsagePricing pricing = m_usage->pricing();
    pricing.prices = prices;
    pricing.defaultModel = defaultModel;
    m_usage->setPricing(pricing);
    if (m_dashboard)
        m_dashboard->setPricing(pricing);
}

void MainWindow::updateUsageCharts()
{
    if (!m_usage || !m_usageDock->isVisible())
        return;
    if (!m_session || !m_store) {
        m_usage->clear();
        return;
    }
    (void)m_usage->showSession(m_store.get(), m_sessionId, m_session.get(), m_conversation->branchId());
}

UsageDashboard* MainWindow::openDashboard()
{
    if (!m_store)
        return nullptr;
    if (!m_dashboardWindow) {
        auto* window = new QDialog(this);
        window->setObjectName(QStringLiteral("dashboardWindow"));
        window->setWindowTitle(tr("Usage Dashboard — %1").arg(QFileInfo(m_store->path()).fileName()));
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->resize(1100, 760);
        auto* layout = new QVBoxLayout(window);
        m_dashboard = new UsageDashboard(window);
        layout->addWidget(m_dashboard);
        connect(window, &QObject::destroyed, this, [this] { m_dashboard = nullptr; });
        connect(m_dashboard, &UsageDashboard::sessionActivated, this, [this](const QString& id) {
            QTimer::singleShot(0, this, [this, id] {
                selectSession(id);
                raise();
                activateWindow();
            });
        });
        m_dashboardWindow = window;
    }
    m_dashboard->setPricing(m_usage->pricing());
    m_dashboard->setStore(m_store.get());
    m_dashboardWindow->show();
    m_dashboardWindow->raise();
    m_dashboard->refresh();
    return m_dashboard;
}

void MainWindow::exportUsageReport()
{
    if (!m_store)
        return;
    ExportReportDialog::Context context;
    context.sessionId = m_sessionId;
    context.branchId = m_conversation->branchId();
    for (const QModelIndex& i : m_ui->sessionView->selectionModel()->selectedRows())
        context.selectedSessions << i.data(SessionListModel::SessionIdRole).toString();
    context.directory = QFileInfo(m_store->path()).absolutePath();
    context.prices = m_sessions->prices();
    context.defaultModel = m_sessions->defaultModel();
    // Modal: the exporter reads the store, which must not change under it.
    ExportReportDialog dialog(context, ExportReportDialog::reportExporter(*m_store), this);
    connect(&dialog, &ExportReportDialog::reportWritten, this,
            [this](const QString& path) { statusBar()->showMessage(tr("Usage report written to %1").arg(path), 10000); });
    dialog.exec();
}

void MainWindow::editPrices()
{
    PriceTableDialog dialog(m_sessions->prices(), m_sessions->defaultModel(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const core::PriceTable prices = dialog.table();
    QDir().mkpath(QFileInfo(pricesPath()).absolutePath());
    if (auto saved = prices.save(pricesPath()); !saved)
        QMessageBox::warning(this, tr("Price Table"), tr("The prices apply now but could not be saved: %1").arg(saved.error().message));
    QSettings().setValue(QStringLiteral("pricing/defaultModel"), dialog.defaultModel());
    setPricing(prices, dialog.defaultModel());
    updateUsageCharts();
}

} // namespace tb::ui
