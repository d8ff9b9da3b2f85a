// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/SessionStore.h"
#include "core/UsageReport.h"

#include <QDate>
#include <QWidget>

#include <functional>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace tb::ui {

class UsageSessionModel;

/// The workspace dashboard: every session of the open file or folder at once — tokens and cost
/// per day, the most expensive sessions, cost per customer and per review status — over a table of
/// the sessions. Clicking a top-session bar or activating a table row emits sessionActivated();
/// clicking a day, customer or status bar narrows the table to those sessions.
///
/// refresh() builds a UsageReport (one scan of the store) behind a window-modal progress dialog
/// with Cancel, handing the event loop control between slices: the window repaints, and nothing
/// can close the store while the scan runs.
class UsageDashboard final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsageDashboard)

public:
    using Builder = std::function<core::Result<core::UsageReport>(const core::UsageScope& scope, const core::ReportProgress& progress)>;
    enum class Chart { Days, TopSessions, Customers, ReviewStatuses };

    explicit UsageDashboard(QWidget* parent = nullptr);
    ~UsageDashboard() override;

    /// Reports on this store (not owned; nullptr: the empty state). Does not refresh by itself.
    void setStore(core::SessionStore* store);
    /// Replaces how reports are built (UsageReportBuilder::build on the store by default).
    void setBuilder(Builder builder);
    void setPricing(const core::UsagePricing& pricing);
    [[nodiscard]] core::UsagePricing pricing() const { return m_pricing; }
    /// Limits the report to turns of these UTC days (invalid: open ends); refresh() applies it.
    void setRange(const QDate& from, const QDate& to);

    /// Builds the report and shows it; false when cancelled or failed (the error shows).
    bool refresh();
    /// Asks a running refresh() to stop.
    void cancel();
    [[nodiscard]] bool isRefreshing() const { return m_refreshing; }
    /// Shows a report built elsewhere.
    void setReport(const core::UsageReport& report);
    [[nodiscard]] const core::UsageReport& report() const { return m_report; }

    [[nodiscard]] QChart* chart(Chart which) const;
    [[nodiscard]] QChartView* chartView(Chart which) const;
    /// The table's rows (UsageSessionModel's columns).
    [[nodiscard]] UsageSessionModel* sessionModel() const { return m_sessions; }
    [[nodiscard]] QTableView* sessionView() const { return m_table; }
    [[nodiscard]] QString totalsText() const;
    /// What the table is narrowed to ("" when it lists every session).
    [[nodiscard]] QString filterText() const;
    [[nodiscard]] QString emptyText() const;

    void showCustomer(const QString& customer);
    void showReviewStatus(const QString& statusName);
    void showDays(const QDate& first, const QDate& last);
    void showAllSessions();

Q_SIGNALS:
    void sessionActivated(const QString& sessionId);
    void refreshed();

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuildCharts();
    void fillTable(const std::function<bool(const core::SessionTokens&)>& keep, const QString& filter);
    void showEmpty(const QString& text);
    void setChart(QChartView* view, QChart* chart);
    void applyPalette();
    void periodChanged();

    core::SessionStore* m_store = nullptr;
    Builder m_builder;
    core::UsagePricing m_pricing;
    QDate m_from;
    QDate m_to;
    core::UsageReport m_report;
    bool m_refreshing = false;
    bool m_cancelRequested = false;
    QString m_filter;
    QString m_emptyText;

    QComboBox* m_period = nullptr;
    QPushButton* m_refresh = nullptr;
    QLabel* m_totals = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QChartView* m_daysView = nullptr;
    QChartView* m_topView = nullptr;
    QChartView* m_customersView = nullptr;
    QChartView* m_statusView = nullptr;
    QLabel* m_filterLabel = nullptr;
    QPushButton* m_clearFilter = nullptr;
    QTableView* m_table = nullptr;
    UsageSessionModel* m_sessions = nullptr;
};

} // namespace tb::ui
