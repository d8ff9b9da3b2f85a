// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "MainWindow.h"

#include "SessionListModel.h"
#include "ui_MainWindow.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QShortcut>

namespace tb::ui {

using core::Json;

namespace {

constexpr qint64 kMaxItemsShown = 2000;

QString escaped(const QString& s)
{
    return s.toHtmlEscaped().replace(u'\n', QStringLiteral("<br/>"));
}

QString contentText(const Json& content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    for (const Json& part : content.asArray()) {
        if (part[u"text"].isString())
            parts << part[u"text"].toString();
        else if (part[u"refusal"].isString())
            parts << QObject::tr("[refused] %1").arg(part[u"refusal"].toString());
        else
            parts << QStringLiteral("[%1]").arg(part[u"type"].toString());
    }
    return parts.join(u'\n');
}

QString itemHtml(const Json& item)
{
    const QString role = item[u"role"].toString();
    const QString type = item[u"type"].toString();
    if (role == u"user" || role == u"assistant" || role == u"system" || role == u"developer") {
        return QStringLiteral("<p><b>%1</b><br/>%2</p>").arg(escaped(role), escaped(contentText(item[u"content"])));
    }
    if (type == u"function_call") {
        return QStringLiteral("<p><i>%1</i> <code>%2(%3)</code></p>")
            .arg(QObject::tr("tool call"), escaped(item[u"name"].toString()), escaped(item[u"arguments"].toString()));
    }
    if (type == u"function_call_output") {
        const Json& out = item[u"output"];
        return QStringLiteral("<p><i>%1</i> <code>%2</code></p>")
            .arg(QObject::tr("tool output"), escaped(out.isString() ? out.toString() : out.dumpUnicode()));
    }
    if (type == u"reasoning") {
        QStringList s;
        for (const Json& part : item[u"summary"].asArray())
            s << part[u"text"].toString();
        return QStringLiteral("<p><i>%1</i> %2</p>").arg(QObject::tr("reasoning"), escaped(s.join(u' ')));
    }
    return QStringLiteral("<p><i>%1</i> <code>%2</code></p>").arg(escaped(type.isEmpty() ? QObject::tr("item") : type),
                                                               escaped(item.dumpUnicode()));
}

} // namespace

MainWindow::MainWindow(StoreFactory factory, QWidget* parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_factory(std::move(factory))
    , m_sessions(new SessionListModel(this))
{
    m_ui->setupUi(this);
    m_ui->sessionView->setModel(m_sessions);
    m_ui->sessionView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->sessionView->horizontalHeader()->setSectionResizeMode(SessionListModel::IdColumn, QHeaderView::Stretch);
    m_ui->sessionView->verticalHeader()->setDefaultSectionSize(m_ui->sessionView->fontMetrics().height() + 8);
    m_ui->sessionView->horizontalHeader()->setSortIndicator(SessionListModel::LastActivityColumn, Qt::DescendingOrder);
    m_ui->sessionView->verticalHeader()->hide();
    m_ui->splitter->setStretchFactor(0, 2);
    m_ui->splitter->setStretchFactor(1, 3);
    m_ui->splitter->setSizes({560, 720});
    m_ui->conversationView->setPlaceholderText(tr("Open a session database (Ctrl+O), then pick a session."));

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
    m_store = std::move(store).value();
    m_sessions->setStore(m_store.get());
    m_ui->conversationView->clear();
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
    QString html;
    if (m_store->schemaKind() == core::SchemaKind::Advanced) {
        auto session = m_store->openSession(sessionId, {});
        if (!session) {
            m_ui->conversationView->setPlainText(tr("Cannot open session: %1").arg(session.error().message));
            return;
        }
        auto items = (*session)->branchItems(QStringLiteral("main"), 0, kMaxItemsShown);
        if (!items) {
            m_ui->conversationView->setPlainText(tr("Cannot read session: %1").arg(items.error().message));
            return;
        }
        std::optional<qint64> turn;
        bool first = true;
        for (const auto& it : *items) {
            if (first || it.turn != turn) {
                turn = it.turn;
                first = false;
                html += QStringLiteral("<h3>%1</h3>").arg(tr("Turn %1").arg(turn ? QString::number(*turn) : QStringLiteral("?")));
            }
            html += it.corrupt ? QStringLiteral("<p><i>%1</i></p>").arg(tr("unreadable row")) : itemHtml(it.item);
        }
    } else {
        auto session = m_store->openPlainSession(sessionId, {});
        if (!session) {
            m_ui->conversationView->setPlainText(tr("Cannot open session: %1").arg(session.error().message));
            return;
        }
        auto items = (*session)->getItems(kMaxItemsShown);
        if (!items) {
            m_ui->conversationView->setPlainText(tr("Cannot read session: %1").arg(items.error().message));
            return;
        }
        for (const Json& item : *items)
            html += itemHtml(item);
    }
    m_ui->conversationView->setHtml(html);
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
