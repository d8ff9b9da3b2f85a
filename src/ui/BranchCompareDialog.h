// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/BranchComparison.h"
#include "core/PriceTable.h"
#include "core/Session.h"

#include <QDialog>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>

class QAction;
class QUrl;

namespace Ui {
class BranchCompareDialog;
}

namespace tb::ui {

class BranchCompareModel;

/// Two branches of a session side by side: aligned at the fork point (the shared turns before it
/// collapsed to one line), turn by turn, with differing words highlighted, and below a table of
/// per-turn and total token and cost differences. Non-modal; Esc and Ctrl+W close it.
///
/// The dialog reads the two branches through the core session interface when the choice changes
/// (`branchItems` and `getTurnUsages`); text diffs are computed a page of turns at a time, so a
/// thousand-turn comparison opens at once. Double-clicking a turn in the table, the table's
/// context menu, or a turn's "Open" link emit showBranch().
class BranchCompareDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BranchCompareDialog)

public:
    using ModelForTurn = core::BranchComparison::ModelForTurn;
    /// (branch id, display name), in the order the choosers list them.
    using BranchList = QList<QPair<QString, QString>>;

    explicit BranchCompareDialog(QWidget* parent = nullptr);
    ~BranchCompareDialog() override;

    /// The session to compare branches of (not owned: call setSession(nullptr, {}, …) before it
    /// is destroyed), its branches, the prices, and the model of a branch's turn (may be empty or
    /// return "" for unknown: such turns get no cost). Clears the shown comparison.
    void setSession(core::BranchingSession* session, const BranchList& branches, const core::PriceTable& prices,
                    ModelForTurn modelForTurn);
    /// Reads both branches and shows them. False, with the reason in the dialog, when a branch is
    /// not in the list given to setSession() or cannot be read.
    bool compare(const QString& leftBranchId, const QString& rightBranchId);
    /// Exchanges the sides (no reading: the comparison is recomputed from the rows already read).
    void swapSides();

    [[nodiscard]] QString leftBranch() const;
    [[nodiscard]] QString rightBranch() const;
    [[nodiscard]] const core::BranchComparison& comparison() const { return m_comparison; }
    [[nodiscard]] BranchCompareModel* model() const { return m_model; }
    /// The last failure of compare(), or empty.
    [[nodiscard]] QString errorText() const { return m_error; }

    /// Turns per page of the side-by-side view (default 50).
    void setPageSize(int turns);
    [[nodiscard]] int pageSize() const { return m_pageSize; }
    [[nodiscard]] int pageCount() const;
    [[nodiscard]] int currentPage() const { return m_page; }
    void showPage(int page);
    /// Shows the page holding a compared turn and scrolls to it; false when the turn is not compared.
    bool showTurn(qint64 turn);
    /// Shows or hides the shared turns before the fork (collapsed to one line by default).
    void setSharedExpanded(bool expanded);
    [[nodiscard]] bool isSharedExpanded() const { return m_sharedExpanded; }

Q_SIGNALS:
    /// "Open in conversation": show this branch at this turn in the main window.
    void showBranch(const QString& branchId, qint64 turn);

protected:
    void changeEvent(QEvent* event) override;

private:
    void fillCombos();
    void comboChanged();
    void recompute();
    void render();
    void linkClicked(const QUrl& url);
    void openRow(int row, int side);
    [[nodiscard]] QString displayName(const QString& branchId) const;
    void showError(const QString& message);

    std::unique_ptr<Ui::BranchCompareDialog> m_ui;
    BranchCompareModel* m_model = nullptr;
    QAction* m_openLeftAction = nullptr;
    QAction* m_openRightAction = nullptr;
    core::BranchingSession* m_session = nullptr;
    BranchList m_branches;
    core::PriceTable m_prices;
    ModelForTurn m_modelForTurn;
    core::BranchComparison::Side m_left;
    core::BranchComparison::Side m_right;
    core::BranchComparison m_comparison;
    QString m_error;
    int m_pageSize = 50;
    int m_page = 0;
    bool m_sharedExpanded = false;
    bool m_filling = false;
    bool m_ready = false; // setupUi done: palette changes during it must not render
};

} // namespace tb::ui
