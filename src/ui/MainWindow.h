// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "WorkbenchServices.h"

#include "core/PriceTable.h"
#include "core/SessionStore.h"

#include <QMainWindow>
#include <QModelIndex>
#include <QPointer>

#include <functional>
#include <memory>

namespace Ui {
class MainWindow;
}

namespace tb::agent {
class Runner;
}

class QMenu;
class QUndoStack;

namespace tb::ui {

class BranchCompareDialog;
class BranchTreeView;
class UsageChartsDock;
class UsageDashboard;
class ComposerWidget;
class DialogAnalystPrompter;
class ConversationDelegate;
class ConversationModel;
class SearchDialog;
class SessionListModel;

/// The workbench window: the sessions of a database on the left, the selected conversation on
/// the right. It sees storage only through core::SessionStore, which the app's factory opens.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    using StoreFactory = std::function<core::Result<std::unique_ptr<core::SessionStore>>(const QString& path, bool readOnly)>;

    /// `create` makes a new, empty database with the SDK's schema (File → New).
    explicit MainWindow(StoreFactory factory, StoreFactory create = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Enables the composer: endpoints, model clients, agents and tasks from the application.
    void setServices(WorkbenchServices services);
    [[nodiscard]] ComposerWidget* composer() const { return m_composer; }
    [[nodiscard]] BranchTreeView* branchTree() const { return m_tree; }
    [[nodiscard]] bool isRunning() const;
    /// create_branch_from_turn(turn, name) on the shown branch, then shows the new branch with the
    /// composer ready for the what-if question. An empty name lets the SDK generate one.
    bool branchFromTurn(qint64 turn, const QString& name);
    /// Shows another branch of the shown session (what the branch selector does).
    bool switchBranch(const QString& branchId);
    /// Sends a message on the shown branch (what Ctrl+Enter in the composer does).
    bool sendMessage(const QString& text);
    /// "Edit and re-run": a new branch from `turn` of the shown branch, asking `text` instead of
    /// the original question. The original branch stays as it was.
    bool editAndRerun(qint64 turn, const QString& text, const QString& name = {});
    /// "Override tool output": a new branch from `turn` that replays the turn up to the output of
    /// `callId` with `output` instead, then lets the model continue.
    bool overrideToolOutput(qint64 turn, const QString& callId, const QString& output, const QString& name = {});

    /// Where a what-if branch goes when branching in place is risky (see core::SessionCopy).
    enum class WhatIfPlace { InPlace, CopyInFile, CopyInWorkbenchFile, Cancel };
    /// Replaces the question asked before branching a risky session (tests answer it directly).
    /// `canInPlace`/`canCopyInFile` say which answers are possible.
    using WhatIfChooser = std::function<WhatIfPlace(const QString& reason, bool canInPlace, bool canCopyInFile)>;
    void setWhatIfChooser(WhatIfChooser chooser) { m_whatIfChooser = std::move(chooser); }
    /// Folder of scratch workbench files (default: the application data folder's "scratch").
    void setScratchFolder(const QString& folder) { m_scratchFolder = folder; }

    // Branch management (side-table metadata is undoable through undoStack()).
    [[nodiscard]] QUndoStack* undoStack() const { return m_undo; }
    bool renameBranch(const QString& branchId, const QString& displayName);
    bool setBranchPreferred(const QString& branchId, bool preferred);
    bool setBranchNote(const QString& branchId, const QString& note);
    bool setBranchOutcome(const QString& branchId, const QString& outcome);
    /// delete_branch with the SDK's rules (never `main`); `confirm` asks the analyst first.
    bool deleteBranch(const QString& branchId, bool confirm = true);
    /// Makes `branchId` the session's main (the old main kept under a dated name); `confirm` asks
    /// first. Undoable (Ctrl+Z restores the exact previous state).
    bool promoteBranch(const QString& branchId, bool confirm = true);
    /// Appends the analyst's finding from `branchId` to main, linked to the branch; an empty `text`
    /// opens the dialog (type it, or let the model draft it). Undoable.
    bool carryFinding(const QString& branchId, const QString& text = {});

    /// Opens the side-by-side comparison of two branches of the shown session.
    bool compareBranches(const QString& left, const QString& right);
    [[nodiscard]] BranchCompareDialog* compareDialog() const;

    /// The usage charts of the shown session and branch (View in a dock, Ctrl+U).
    [[nodiscard]] UsageChartsDock* usageCharts() const { return m_usage; }
    /// Opens the workspace dashboard over every session of the open file or folder.
    UsageDashboard* openDashboard();
    /// Prices and the default model used for every cost shown (Edit → Price Table…, saved beside
    /// the settings as JSON).
    void setPricing(const core::PriceTable& prices, const QString& defaultModel);

    /// The menu of a branch (and of a turn when `turn` >= 1): the tree's context menu and the
    /// Branch menu of the menu bar are built by this.
    QMenu* createBranchMenu(const QString& branchId, qint64 turn, QWidget* parent);

    /// Fusion style with a fixed light or dark palette (screenshots, or a user's choice).
    static void applyPalette(bool dark);
    /// The palette and font size chosen in Settings → Appearance (QSettings).
    static AppearanceSettings appearance();
    /// Applies appearance() to the application and the conversation view.
    void applyAppearance();

    /// Opens every session database of a folder as one workspace, a file per event-loop step with
    /// a progress dialog that can cancel. Returns false when nothing could be opened.
    bool openFolder(const QString& folder, bool readOnly = false);

    /// Opens a database file; errors are shown to the user and returned.
    bool openDatabase(const QString& path, bool readOnly = false);
    [[nodiscard]] core::SessionStore* store() const { return m_store.get(); }
    [[nodiscard]] SessionListModel* sessionModel() const { return m_sessions; }
    [[nodiscard]] ConversationModel* conversationModel() const { return m_conversation; }
    [[nodiscard]] QString currentSessionId() const { return m_sessionId; }

    /// Finds `text` in the conversation after (or before) the current row; loads pages as needed.
    bool findInConversation(const QString& text, bool backwards = false);
    /// Selects a session in the list (loading pages until it appears).
    bool selectSession(const QString& sessionId);
    /// Shows a session, one of its branches, and scrolls to a turn.
    bool jumpTo(const QString& sessionId, const QString& branchId, qint64 turn);
    [[nodiscard]] class SearchDialog* searchDialog() const { return m_search; }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void chooseDatabase(bool readOnly);
    void useStore(std::unique_ptr<core::SessionStore> store, const QString& title);
    /// The file that holds the shown session (the store itself, or a workspace member).
    core::SessionStore* sessionFile() const;
    void newDatabase();
    void importJsonl();
    void exportConversation();
    void editProperties();
    void copySelection(bool markdown);
    void rememberRecent(const QString& path);
    void updateRecentMenu();
    void updateActions();
    void refreshComposer();
    void openSettings();
    void runFinished();
    void retryLastMessage();
    void reloadConversation(bool keepPending);
    void updateTotals();
    void updateBranchTree();
    void applyTurnModels();
    void showSession(const QString& sessionId);
    /// The session id inside its own file (a workspace's ids carry the file's label).
    QString localSessionId() const;
    /// The first row of `turn` in the conversation view that `matches` (invalid when none).
    QModelIndex rowInTurn(qint64 turn, const std::function<bool(const QModelIndex&)>& matches) const;
    core::BranchMeta branchMetaOf(const QString& branchId);
    bool changeBranchMeta(const core::BranchMeta& after, const QString& text);
    void branchMetaChanged(const QString& sessionId, const QString& error);
    /// Asks (or the chooser answers) where a what-if branch of the shown session goes, makes the
    /// scratch copy when that is the answer and shows it. False when cancelled or failed.
    bool prepareWhatIf();
    bool startRun(const QString& text, const QList<core::Json>& items);
    void showBranchMenu(const QString& branchId, qint64 turn, const QPoint& globalPos);
    void fillBranchMenu();
    void populateBranchMenu(QMenu* menu, const QString& fixedBranch, qint64 fixedTurn);
    core::Result<std::unique_ptr<core::BranchMerge>> openMerge();
    void mergeChanged(const QString& sessionId, const QString& error);
    void updateUsageCharts();
    void editPrices();
    void exportUsageReport();
    static QString pricesPath();
    void draftFinding(const QString& branchId, const std::function<void(core::Result<QString>)>& done);
    void showBranch(const QString& branchId);
    void fillBranches();
    void updateStatus();

    std::unique_ptr<Ui::MainWindow> m_ui;
    StoreFactory m_factory;
    StoreFactory m_create;
    std::unique_ptr<core::SessionStore> m_store;
    SessionListModel* m_sessions = nullptr;
    ConversationModel* m_conversation = nullptr;
    ConversationDelegate* m_delegate = nullptr;
    std::unique_ptr<core::BranchingSession> m_session;
    QString m_sessionId;
    SearchDialog* m_search = nullptr;
    ComposerWidget* m_composer = nullptr;
    BranchTreeView* m_tree = nullptr;
    class QDockWidget* m_treeDock = nullptr;
    WorkbenchServices m_services;
    std::unique_ptr<core::ModelClient> m_client;
    std::unique_ptr<core::TaskList> m_tasks;
    std::unique_ptr<DialogAnalystPrompter> m_prompter;
    std::unique_ptr<agent::Runner> m_runner;
    QString m_pendingText;
    QString m_lastInput;
    QString m_lastInputBranch;
    qint64 m_itemsBeforeRun = 0;
    QUndoStack* m_undo = nullptr;
    QMenu* m_branchMenu = nullptr;
    WhatIfChooser m_whatIfChooser;
    QString m_scratchFolder;
    QPointer<BranchCompareDialog> m_compare;
    UsageChartsDock* m_usage = nullptr;
    class QDockWidget* m_usageDock = nullptr;
    QPointer<class QDialog> m_dashboardWindow;
    UsageDashboard* m_dashboard = nullptr;
};

} // namespace tb::ui
