// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/SessionStore.h"
#include "core/UsageCollector.h"

#include <QWidget>

#include <optional>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;

namespace tb::ui {

/// The usage charts of the selected session and branch, a tab per chart: tokens per turn, totals
/// per branch, tool calls (per turn and in total) and context growth. A widget for a dock: the
/// window puts it in a QDockWidget and calls showSession() whenever the selection changes.
///
/// "Price on:" prices the same usage on another model (what-if) beside the recorded cost; "Assign
/// model…" stores the model of the branch, session or file (SessionStore::setModelAssignment) for
/// usage the workbench has no request rows for. Clicking a turn bar emits turnActivated().
class UsageChartsDock final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsageChartsDock)

public:
    enum class Tab { Turns, Branches, Tools, Context };
    enum class AssignScope { Branch, Session, File };

    explicit UsageChartsDock(QWidget* parent = nullptr);
    ~UsageChartsDock() override;

    /// Prices and default model (the what-if model is the dock's own choice, see setWhatIfModel).
    void setPricing(const core::UsagePricing& pricing);
    [[nodiscard]] core::UsagePricing pricing() const;

    /// Collects and shows one branch (empty: main) of a session. `session` may be null (the dock
    /// then opens the session itself); store and session must stay alive until the next
    /// showSession() or clear(), since changing the what-if model collects again. Errors show in
    /// the dock and are returned.
    core::Result<void> showSession(core::SessionStore* store, const QString& sessionId, core::BranchingSession* session,
                                   const QString& branchId);
    /// Shows series collected elsewhere (nothing to collect again: the what-if model stays as priced).
    void setSeries(const core::SessionUsageSeries& series);
    /// No session: the empty state.
    void clear();

    /// "" = no what-if pricing. Collects again when a session is shown.
    void setWhatIfModel(const QString& model);
    [[nodiscard]] QString whatIfModel() const;

    /// Stores the model for pricing (empty model: removes the assignment) and collects again.
    core::Result<void> assignModel(AssignScope scope, const QString& model);

    [[nodiscard]] const core::SessionUsageSeries& series() const { return m_series; }
    [[nodiscard]] bool hasUsage() const;
    [[nodiscard]] QChart* chart(Tab tab) const;
    /// Tools has two charts: the per-turn one (chart(Tab::Tools)) and the totals.
    [[nodiscard]] QChart* toolTotalsChart() const;
    [[nodiscard]] QChartView* chartView(Tab tab) const;
    [[nodiscard]] Tab currentTab() const;
    void setCurrentTab(Tab tab);
    /// The recorded vs what-if numbers under the charts.
    [[nodiscard]] QString summaryText() const;
    /// What the empty state says (no session, no usage, or an error).
    [[nodiscard]] QString emptyText() const;

    /// Writes the chart of a tab as PNG or SVG (by suffix) at its shown size.
    core::Result<void> exportChart(Tab tab, const QString& path) const;

Q_SIGNALS:
    void turnActivated(const QString& branchId, qint64 turn);
    void branchActivated(const QString& branchId);
    /// After an assignment was stored: costs shown elsewhere (the session list) may change.
    void modelAssigned(const core::ModelAssignment& assignment);

protected:
    void changeEvent(QEvent* event) override;

private:
    core::Result<void> collect();
    void rebuild();
    void showEmpty(const QString& text);
    void updateSummary();
    void fillModels();
    void chooseExport();
    void chooseAssignment();
    void setChart(QChartView* view, QChart* chart);
    void applyPalette();

    core::UsagePricing m_pricing;
    core::SessionUsageSeries m_series;
    core::SessionStore* m_store = nullptr;
    core::BranchingSession* m_session = nullptr;
    QString m_sessionId;
    QString m_branchId;
    QString m_emptyText;

    QTabWidget* m_tabs = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QLabel* m_summary = nullptr;
    QComboBox* m_priceOn = nullptr;
    QPushButton* m_assign = nullptr;
    QPushButton* m_export = nullptr;
    QChartView* m_turnsView = nullptr;
    QChartView* m_branchesView = nullptr;
    QChartView* m_toolsView = nullptr;
    QChartView* m_toolTotalsView = nullptr;
    QChartView* m_contextView = nullptr;
};

} // namespace tb::ui
