// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "UsageDashboard.h"

#include "SessionListModel.h"
#include "UsageCharts.h"
#include "UsageSessionModel.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressDialog>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace tb::ui {

namespace {

constexpr int kProgressSteps = 1000;
constexpr int kTopSessions = 12;

QChartView* newView(const QString& name, QWidget* parent)
{
    auto* view = new QChartView(parent);
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    view->setFrameShape(QFrame::NoFrame);
    view->setMinimumSize(260, 200);
    return view;
}

QString statusLabel(const QString& name)
{
    const auto status = core::reviewStatusFromName(name);
    return status ? SessionListModel::statusName(*status) : name;
}

} // namespace

UsageDashboard::UsageDashboard(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("usageDashboard"));

    auto* bar = new QHBoxLayout;
    auto* periodLabel = new QLabel(tr("Period:"), this);
    m_period = new QComboBox(this);
    m_period->setObjectName(QStringLiteral("dashboardPeriod"));
    m_period->addItem(tr("All time"), 0);
    m_period->addItem(tr("Last 7 days"), 7);
    m_period->addItem(tr("Last 30 days"), 30);
    m_period->addItem(tr("Last 90 days"), 90);
    m_period->addItem(tr("Last 365 days"), 365);
    periodLabel->setBuddy(m_period);
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("dashboardRefresh"));
    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("dashboardTotals"));
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(periodLabel);
    bar->addWidget(m_period);
    bar->addWidget(m_refresh);
    bar->addSpacing(12);
    bar->addWidget(m_totals, 1);

    auto* charts = new QWidget(this);
    auto* grid = new QGridLayout(charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    m_daysView = newView(QStringLiteral("dashboardDaysView"), charts);
    m_topView = newView(QStringLiteral("dashboardTopView"), charts);
    m_customersView = newView(QStringLiteral("dashboardCustomersView"), charts);
    m_statusView = newView(QStringLiteral("dashboardStatusView"), charts);
    grid->addWidget(m_daysView, 0, 0);
    grid->addWidget(m_topView, 0, 1);
    grid->addWidget(m_customersView, 1, 0);
    grid->addWidget(m_statusView, 1, 1);

    auto* tableBox = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    auto* filterRow = new QHBoxLayout;
    m_filterLabel = new QLabel(this);
    m_filterLabel->setObjectName(QStringLiteral("dashboardFilter"));
    m_clearFilter = new QPushButton(tr("Show All Sessions"), this);
    m_clearFilter->setObjectName(QStringLiteral("dashboardClearFilter"));
    filterRow->addWidget(m_filterLabel, 1);
    filterRow->addWidget(m_clearFilter);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("dashboardSessions"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(true);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    m_table->setToolTip(tr("Double-click or Enter opens the session"));
    m_sessions = new UsageSessionModel(this);
    m_table->setModel(m_sessions);
    m_table->sortByColumn(UsageSessionModel::CostColumn, Qt::DescendingOrder); // the dearest first until a header is clicked
    tableLayout->addLayout(filterRow);
    tableLayout->addWidget(m_table);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(charts);
    split->addWidget(tableBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("dashboardEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(split);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);

    connect(m_refresh, &QPushButton::clicked, this, [this] { refresh(); });
    connect(m_period, &QComboBox::activated, this, &UsageDashboard::periodChanged);
    connect(m_clearFilter, &QPushButton::clicked, this, &UsageDashboard::showAllSessions);
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        const QString id = m_sessions->sessionId(index.row());
        if (!id.isEmpty())
            Q_EMIT sessionActivated(id);
    });
    showEmpty(tr("Open a database or a folder to see the usage of all its sessions."));
}

UsageDashboard::~UsageDashboard() = default;

void UsageDashboard::setStore(core::SessionStore* store)
{
    // A refresh holds the store until it returns; the progress dialog is window-modal, so the
    // window cannot switch files meanwhile. A caller that does anyway gets the scan cancelled.
    if (m_refreshing)
        cancel();
    m_store = store;
    m_report = {};
    showEmpty(store ? tr("Refresh to read the usage of every session of %1.").arg(store->path())
                    : tr("Open a database or a folder to see the usage of all its sessions."));
}

void UsageDashboard::setBuilder(Builder builder)
{
    m_builder = std::move(builder);
}

void UsageDashboard::setPricing(const core::UsagePricing& pricing)
{
    m_pricing = pricing;
}

void UsageDashboard::setRange(const QDate& from, const QDate& to)
{
    m_from = from;
    m_to = to;
}

void UsageDashboard::periodChanged()
{
    const int days = m_period->currentData().toInt();
    if (days <= 0)
        setRange({}, {});
    else
        setRange(QDate::currentDate().addDays(1 - days), QDate::currentDate());
    if (m_store || m_builder)
        refresh();
}

bool UsageDashboard::refresh()
{
    if (m_refreshing)
        return false;
    if (!m_builder && !m_store) {
        showEmpty(tr("Open a database or a folder to see the usage of all its sessions."));
        return false;
    }
    core::UsageScope scope;
    scope.from = m_from;
    scope.to = m_to;
    scope.pricing = m_pricing;
    scope.topCount = kTopSessions;
    core::SessionStore* store = m_store;
    const Builder build = m_builder ? m_builder : Builder([store](const core::UsageScope& s, const core::ReportProgress& p) {
        return core::UsageReportBuilder::build(*store, s, p);
    });

    m_refreshing = true;
    m_cancelRequested = false;
    m_refresh->setEnabled(false);
    m_period->setEnabled(false);
    QProgressDialog progress(tr("Reading the usage of every session…"), tr("Cancel"), 0, kProgressSteps, this);
    progress.setObjectName(QStringLiteral("dashboardProgress"));
    progress.setWindowTitle(tr("Usage Dashboard"));
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    progress.setAutoReset(false);
    progress.setAutoClose(false);
    progress.setValue(0);
    auto report = build(scope, [&](qint64 done, qint64 total) {
        if (total > 0)
            progress.setValue(int(std::clamp<qint64>(done * kProgressSteps / total, 0, kProgressSteps)));
        // Between slices: repaint, and let Cancel be clicked.
        QCoreApplication::processEvents();
        return !(m_cancelRequested || progress.wasCanceled());
    });
    const bool cancelled = m_cancelRequested || progress.wasCanceled()
        || (!report && report.error().code == core::Error::Code::Cancelled);
    progress.close();
    m_refreshing = false;
    m_refresh->setEnabled(true);
    m_period->setEnabled(true);
    if (cancelled || !report) {
        if (cancelled)
            m_totals->setText(tr("Refresh cancelled; the figures shown are from before."));
        else if (m_report.sessions.isEmpty())
            showEmpty(tr("The usage could not be read: %1").arg(report.error().message));
        else
            m_totals->setText(tr("The usage could not be read: %1").arg(report.error().message));
        return false;
    }
    setReport(*report);
    Q_EMIT refreshed();
    return true;
}

void UsageDashboard::cancel()
{
    if (m_refreshing)
        m_cancelRequested = true;
}

void UsageDashboard::setReport(const core::UsageReport& report)
{
    m_report = report;
    if (m_report.sessions.isEmpty()) {
        showEmpty(m_from.isValid() || m_to.isValid() ? tr("No usage recorded in this period.")
                                                      : tr("No usage recorded in %1.").arg(m_report.source));
        return;
    }
    m_emptyText.clear();
    m_stack->setCurrentIndex(1);
    const QLocale locale;
    const core::UsageTotals& t = m_report.totals;
    QString totals = tr("%1 sessions, %2 turns, %3 tokens, %4 estimated")
                         .arg(locale.toString(t.sessions), locale.toString(t.turns), locale.toString(t.totalTokens),
                              UsageCharts::formatCost(t.cost));
    if (t.whatIfCost)
        totals += tr(" (%1 on %2)").arg(UsageCharts::formatCost(t.whatIfCost), m_report.scope.pricing.whatIfModel);
    if (t.unpricedTurns > 0)
        totals += tr("; %1 turns without a price").arg(locale.toString(t.unpricedTurns));
    m_totals->setText(totals);
    rebuildCharts();
    m_sessions->setSessions(m_report.sessions, m_report.scope.pricing.whatIfModel);
    showAllSessions();
}

void UsageDashboard::showEmpty(const QString& text)
{
    m_emptyText = text;
    m_empty->setText(text);
    m_stack->setCurrentIndex(0);
    m_totals->clear();
    for (QChartView* view : {m_daysView, m_topView, m_customersView, m_statusView})
        setChart(view, nullptr);
    m_sessions->setSessions({}, {});
    fillTable({}, QString());
}

void UsageDashboard::setChart(QChartView* view, QChart* chart)
{
    // QChartView releases (does not delete) the chart it showed before.
    QChart* old = view->chart();
    view->setChart(chart ? chart : new QChart);
    delete old;
}

void UsageDashboard::rebuildCharts()
{
    QChart* days = UsageCharts::days(m_report.days);
    setChart(m_daysView, days);
    UsageCharts::onBarClicked(days, this, [this, days](int bar) {
        const QStringList keys = UsageCharts::barKeys(days);
        if (bar < 0 || bar >= keys.size())
            return;
        const QDate first = QDate::fromString(keys.at(bar), Qt::ISODate);
        const QDate last = bar + 1 < keys.size() ? QDate::fromString(keys.at(bar + 1), Qt::ISODate).addDays(-1)
                                                 : (m_report.days.isEmpty() ? first : m_report.days.last().day);
        showDays(first, last);
    });

    QChart* top = UsageCharts::groups(m_report.topSessions, tr("Most expensive sessions"));
    setChart(m_topView, top);
    UsageCharts::onBarClicked(top, this, [this, top](int bar) {
        const QStringList keys = UsageCharts::barKeys(top);
        if (bar >= 0 && bar < keys.size())
            Q_EMIT sessionActivated(keys.at(bar));
    });

    QChart* customers = UsageCharts::groups(m_report.customers, tr("Per customer"));
    setChart(m_customersView, customers);
    UsageCharts::onBarClicked(customers, this, [this, customers](int bar) {
        const QStringList keys = UsageCharts::barKeys(customers);
        if (bar >= 0 && bar < keys.size())
            showCustomer(keys.at(bar));
    });

    QList<core::GroupTotals> statuses = m_report.reviewStatuses;
    for (core::GroupTotals& g : statuses)
        g.label = statusLabel(g.key);
    QChart* status = UsageCharts::groups(statuses, tr("Per review status"));
    setChart(m_statusView, status);
    UsageCharts::onBarClicked(status, this, [this, status](int bar) {
        const QStringList keys = UsageCharts::barKeys(status);
        if (bar >= 0 && bar < keys.size())
            showReviewStatus(keys.at(bar));
    });
    applyPalette();
}

void UsageDashboard::fillTable(const std::function<bool(const core::SessionTokens&)>& keep, const QString& filter)
{
    m_filter = filter;
    m_filterLabel->setText(filter.isEmpty() ? tr("All sessions") : filter);
    m_clearFilter->setVisible(!filter.isEmpty());
    m_sessions->setFilter(keep);
    m_table->setColumnHidden(UsageSessionModel::WhatIfColumn, m_report.scope.pricing.whatIfModel.isEmpty());
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(UsageSessionModel::TitleColumn, QHeaderView::Stretch);
}

void UsageDashboard::showAllSessions()
{
    fillTable({}, QString());
}

void UsageDashboard::showCustomer(const QString& customer)
{
    fillTable([customer](const core::SessionTokens& s) { return s.customer == customer; },
              customer.isEmpty() ? tr("Sessions without a customer") : tr("Sessions of customer %1").arg(customer));
}

void UsageDashboard::showReviewStatus(const QString& statusName)
{
    fillTable([statusName](const core::SessionTokens& s) { return core::reviewStatusName(s.reviewStatus) == statusName; },
              tr("Sessions with review status %1").arg(statusLabel(statusName)));
}

void UsageDashboard::showDays(const QDate& first, const QDate& last)
{
    QSet<QString> ids;
    for (const core::TurnTokens& t : std::as_const(m_report.turns)) {
        if (t.day >= first && t.day <= last)
            ids.insert(t.sessionId);
    }
    fillTable([ids](const core::SessionTokens& s) { return ids.contains(s.sessionId); },
              first == last ? tr("Sessions with turns on %1").arg(first.toString(Qt::ISODate))
                            : tr("Sessions with turns from %1 to %2").arg(first.toString(Qt::ISODate), last.toString(Qt::ISODate)));
}

QChart* UsageDashboard::chart(Chart which) const
{
    QChartView* view = chartView(which);
    return view && m_stack->currentIndex() == 1 ? view->chart() : nullptr;
}

QChartView* UsageDashboard::chartView(Chart which) const
{
    switch (which) {
    case Chart::Days: return m_daysView;
    case Chart::TopSessions: return m_topView;
    case Chart::Customers: return m_customersView;
    case Chart::ReviewStatuses: return m_statusView;
    }
    return nullptr;
}

QString UsageDashboard::totalsText() const
{
    return m_totals->text();
}

QString UsageDashboard::filterText() const
{
    return m_filter;
}

QString UsageDashboard::emptyText() const
{
    return m_emptyText;
}

void UsageDashboard::applyPalette()
{
    for (QChartView* view : {m_daysView, m_topView, m_customersView, m_statusView}) {
        UsageCharts::applyPalette(view->chart(), palette());
        view->setBackgroundBrush(palette().color(QPalette::Base));
    }
}

void UsageDashboard::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

} // namespace tb::ui
