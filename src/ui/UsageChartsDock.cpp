// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "UsageChartsDock.h"

#include "UsageCharts.h"

#include "core/ModelCatalog.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSet>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

namespace tb::ui {

namespace {

QChartView* newView(const QString& name, QWidget* parent)
{
    auto* view = new QChartView(parent);
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    view->setFrameShape(QFrame::NoFrame);
    view->setMinimumSize(240, 160);
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    return view;
}

QString costText(std::optional<double> cost)
{
    return UsageCharts::formatCost(cost);
}

} // namespace

UsageChartsDock::UsageChartsDock(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("usageChartsDock"));
    m_pricing.defaultModel = QStringLiteral("gpt-4.1-mini");

    auto* bar = new QHBoxLayout;
    auto* priceLabel = new QLabel(tr("Price on:"), this);
    m_priceOn = new QComboBox(this);
    m_priceOn->setObjectName(QStringLiteral("usagePriceOn"));
    m_priceOn->setToolTip(tr("Prices the same tokens on another model, beside the cost on the recorded model"));
    m_priceOn->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    priceLabel->setBuddy(m_priceOn);
    m_assign = new QPushButton(tr("Assign Model…"), this);
    m_assign->setObjectName(QStringLiteral("usageAssignModel"));
    m_assign->setToolTip(tr("The model this branch, session or file ran on, for turns the workbench has no request rows for"));
    m_export = new QPushButton(tr("Export Chart…"), this);
    m_export->setObjectName(QStringLiteral("usageExportChart"));
    bar->addWidget(priceLabel);
    bar->addWidget(m_priceOn);
    bar->addStretch(1);
    bar->addWidget(m_assign);
    bar->addWidget(m_export);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("usageTabs"));
    m_tabs->setDocumentMode(true);
    m_turnsView = newView(QStringLiteral("usageTurnsView"), this);
    m_branchesView = newView(QStringLiteral("usageBranchesView"), this);
    auto* tools = new QSplitter(Qt::Horizontal, this);
    m_toolsView = newView(QStringLiteral("usageToolsView"), tools);
    m_toolTotalsView = newView(QStringLiteral("usageToolTotalsView"), tools);
    tools->addWidget(m_toolsView);
    tools->addWidget(m_toolTotalsView);
    tools->setStretchFactor(0, 3);
    tools->setStretchFactor(1, 2);
    m_contextView = newView(QStringLiteral("usageContextView"), this);
    m_tabs->addTab(m_turnsView, tr("Turns"));
    m_tabs->addTab(m_branchesView, tr("Branches"));
    m_tabs->addTab(tools, tr("Tools"));
    m_tabs->addTab(m_contextView, tr("Context"));

    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("usageEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_tabs);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("usageSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_summary);

    for (QChartView* view : {m_turnsView, m_branchesView, m_toolsView, m_toolTotalsView, m_contextView}) {
        connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint& pos) {
            QMenu menu(this);
            QAction* exportAction = menu.addAction(tr("Export Chart…"));
            if (menu.exec(view->mapToGlobal(pos)) == exportAction) {
                const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"), QStringLiteral("chart.png"),
                                                                  tr("PNG image (*.png);;SVG image (*.svg)"));
                if (path.isEmpty())
                    return;
                if (auto r = UsageCharts::saveChart(view->chart(), path, view->size()); !r)
                    QMessageBox::warning(this, tr("Export Chart"), r.error().message);
            }
        });
    }
    connect(m_export, &QPushButton::clicked, this, &UsageChartsDock::chooseExport);
    connect(m_assign, &QPushButton::clicked, this, &UsageChartsDock::chooseAssignment);
    connect(m_priceOn, &QComboBox::activated, this, [this](int index) {
        setWhatIfModel(m_priceOn->itemData(index).toString());
    });

    fillModels();
    clear();
}

UsageChartsDock::~UsageChartsDock() = default;

void UsageChartsDock::setPricing(const core::UsagePricing& pricing)
{
    const QString whatIf = m_pricing.whatIfModel;
    m_pricing = pricing;
    m_pricing.whatIfModel = whatIf;
    fillModels();
    if (m_store)
        (void)collect();
}

core::UsagePricing UsageChartsDock::pricing() const
{
    return m_pricing;
}

core::Result<void> UsageChartsDock::showSession(core::SessionStore* store, const QString& sessionId,
                                                core::BranchingSession* session, const QString& branchId)
{
    m_store = store;
    m_session = session;
    m_sessionId = sessionId;
    m_branchId = branchId;
    if (!store || sessionId.isEmpty()) {
        clear();
        return {};
    }
    return collect();
}

core::Result<void> UsageChartsDock::collect()
{
    if (!m_store)
        return core::Error::make(core::Error::Code::Argument, tr("No database is open"));
    core::UsageCollector collector(*m_store, m_pricing);
    auto series = m_session ? collector.collect(*m_session, m_sessionId, m_branchId)
                            : collector.collect(m_sessionId, m_branchId);
    if (!series) {
        m_series = {};
        showEmpty(tr("Could not read the usage of %1: %2").arg(m_sessionId, series.error().message));
        return series.error();
    }
    m_series = std::move(*series);
    rebuild();
    return {};
}

void UsageChartsDock::setSeries(const core::SessionUsageSeries& series)
{
    m_store = nullptr;
    m_session = nullptr;
    m_sessionId = series.sessionId;
    m_branchId = series.branchId;
    m_series = series;
    rebuild();
}

void UsageChartsDock::clear()
{
    m_store = nullptr;
    m_session = nullptr;
    m_sessionId.clear();
    m_branchId.clear();
    m_series = {};
    showEmpty(tr("Select a session to see its token usage and cost."));
}

bool UsageChartsDock::hasUsage() const
{
    if (!m_series.turns.isEmpty())
        return true;
    for (const core::BranchTokens& b : m_series.branches) {
        if (b.totalTokens > 0)
            return true;
    }
    return false;
}

void UsageChartsDock::showEmpty(const QString& text)
{
    m_emptyText = text;
    m_empty->setText(text);
    m_stack->setCurrentWidget(m_empty);
    for (QChartView* view : {m_turnsView, m_branchesView, m_toolsView, m_toolTotalsView, m_contextView})
        setChart(view, nullptr);
    m_summary->clear();
    m_summary->setVisible(false);
    m_assign->setEnabled(m_store != nullptr && !m_store->isReadOnly());
    m_export->setEnabled(false);
}

void UsageChartsDock::setChart(QChartView* view, QChart* chart)
{
    // QChartView releases (does not delete) the chart it showed before.
    QChart* old = view->chart();
    view->setChart(chart ? chart : new QChart);
    delete old;
}

void UsageChartsDock::rebuild()
{
    if (!hasUsage()) {
        showEmpty(m_series.branchId.isEmpty()
                      ? tr("No usage recorded for %1.").arg(m_sessionId)
                      : tr("No usage recorded for %1 on branch %2. The SDK writes turn_usage when a run's usage is "
                           "stored (store_run_usage).")
                            .arg(m_sessionId, m_series.branchId));
        return;
    }
    m_emptyText.clear();
    m_stack->setCurrentWidget(m_tabs);
    m_assign->setEnabled(m_store != nullptr && !m_store->isReadOnly());
    m_export->setEnabled(true);

    QChart* turns = UsageCharts::turns(m_series.turns);
    if (m_series.turns.isEmpty())
        turns->setTitle(tr("No usage on branch %1 (see Branches)").arg(m_series.branchId));
    setChart(m_turnsView, turns);
    UsageCharts::onBarClicked(turns, this, [this, turns](int bar) {
        const QList<qint64> firsts = UsageCharts::barTurns(turns);
        if (bar >= 0 && bar < firsts.size())
            Q_EMIT turnActivated(m_series.branchId, firsts.at(bar));
    });

    QChart* branches = UsageCharts::branches(m_series.branches);
    setChart(m_branchesView, branches);
    UsageCharts::onBarClicked(branches, this, [this, branches](int bar) {
        const QStringList keys = UsageCharts::barKeys(branches);
        if (bar >= 0 && bar < keys.size())
            Q_EMIT branchActivated(keys.at(bar));
    });

    QChart* tools = UsageCharts::toolsPerTurn(m_series.toolTurns);
    if (m_series.toolTurns.isEmpty())
        tools->setTitle(tr("No tool calls on this branch"));
    setChart(m_toolsView, tools);
    UsageCharts::onBarClicked(tools, this, [this, tools](int bar) {
        const QList<qint64> firsts = UsageCharts::barTurns(tools);
        if (bar >= 0 && bar < firsts.size())
            Q_EMIT turnActivated(m_series.branchId, firsts.at(bar));
    });
    setChart(m_toolTotalsView, UsageCharts::toolTotals(m_series.toolTotals.isEmpty() ? m_series.toolTurns : m_series.toolTotals));

    // The window of the model the requests ran on, else the model the turns are priced on.
    QString model;
    for (const core::ContextPoint& p : m_series.context) {
        if (!p.model.isEmpty())
            model = p.model;
    }
    for (qsizetype i = m_series.turns.size() - 1; model.isEmpty() && i >= 0; --i)
        model = m_series.turns.at(i).model;
    QChart* context = UsageCharts::contextGrowth(m_series.context, core::ModelCatalog::contextWindow(model), model);
    if (m_series.context.isEmpty())
        context->setTitle(tr("No requests recorded on this branch"));
    setChart(m_contextView, context);

    applyPalette();
    updateSummary();
}

void UsageChartsDock::updateSummary()
{
    const QLocale locale;
    qint64 tokens = 0;
    double cost = 0;
    double whatIf = 0;
    qint64 priced = 0;
    qint64 whatIfPriced = 0;
    QStringList models;
    QSet<QString> sources;
    for (const core::TurnTokens& t : m_series.turns) {
        tokens += t.totalTokens;
        if (t.cost) {
            cost += *t.cost;
            ++priced;
        }
        if (t.whatIfCost) {
            whatIf += *t.whatIfCost;
            ++whatIfPriced;
        }
        if (!t.model.isEmpty() && !models.contains(t.model))
            models << t.model;
        if (!t.modelSource.isEmpty())
            sources.insert(t.modelSource);
    }
    const QString branch = m_series.branchId.isEmpty() ? QStringLiteral("main") : m_series.branchId;
    QString text = tr("%1 on %2: %3 turns, %4 tokens, %5")
                       .arg(m_sessionId, branch, locale.toString(qint64(m_series.turns.size())), locale.toString(tokens),
                            costText(priced > 0 ? std::optional<double>(cost) : std::nullopt));
    if (models.size() == 1) {
        QStringList sourceList = sources.values();
        sourceList.sort();
        text += tr(" on %1 (%2)").arg(models.first(), sourceList.join(QStringLiteral(", ")));
    } else if (models.size() > 1) {
        text += tr(" on %1 models (%2)").arg(models.size()).arg(models.join(QStringLiteral(", ")));
    }
    if (priced < m_series.turns.size() && priced > 0)
        text += tr("; %1 turns unpriced").arg(m_series.turns.size() - priced);
    if (!m_pricing.whatIfModel.isEmpty()) {
        text += u'\n' + tr("Priced on %1: %2").arg(m_pricing.whatIfModel, costText(whatIfPriced > 0 ? std::optional<double>(whatIf) : std::nullopt));
        if (whatIfPriced > 0 && priced > 0 && cost > 0) {
            const double change = 100.0 * (whatIf - cost) / cost;
            text += tr(" (%1%2% against the recorded cost)")
                        .arg(change >= 0 ? QStringLiteral("+") : QString(), locale.toString(change, 'f', 0));
        } else if (whatIfPriced == 0) {
            text += tr(" — no price for %1 in the price table").arg(m_pricing.whatIfModel);
        }
    }
    if (!m_series.unpricedModels.isEmpty()) {
        QStringList names = m_series.unpricedModels;
        for (QString& n : names) {
            if (n.isEmpty())
                n = tr("(no model)");
        }
        text += u'\n' + tr("No price for %1: assign a model or add a price.").arg(names.join(QStringLiteral(", ")));
    }
    m_summary->setText(text);
    m_summary->setVisible(true);
}

void UsageChartsDock::fillModels()
{
    const QString current = m_pricing.whatIfModel;
    const QSignalBlocker block(m_priceOn);
    m_priceOn->clear();
    m_priceOn->addItem(tr("Recorded model only"), QString());
    const QStringList models = m_pricing.prices.models();
    for (const QString& m : models)
        m_priceOn->addItem(m, m);
    if (!current.isEmpty() && m_priceOn->findData(current) < 0)
        m_priceOn->addItem(current, current);
    m_priceOn->setCurrentIndex(std::max(0, m_priceOn->findData(current)));
}

void UsageChartsDock::setWhatIfModel(const QString& model)
{
    if (model == m_pricing.whatIfModel)
        return;
    m_pricing.whatIfModel = model;
    fillModels();
    if (m_store) {
        (void)collect();
        return;
    }
    // Series handed in from outside: re-price the turns here (branch totals keep what they had).
    for (core::TurnTokens& t : m_series.turns)
        core::UsageCollector::price(t, m_pricing);
    if (hasUsage())
        rebuild();
}

QString UsageChartsDock::whatIfModel() const
{
    return m_pricing.whatIfModel;
}

core::Result<void> UsageChartsDock::assignModel(AssignScope scope, const QString& model)
{
    if (!m_store || m_sessionId.isEmpty())
        return core::Error::make(core::Error::Code::Argument, tr("No session is shown"));
    core::ModelAssignment a;
    a.model = model.trimmed();
    if (scope != AssignScope::File)
        a.sessionId = m_sessionId;
    if (scope == AssignScope::Branch)
        a.branchId = m_series.branchId.isEmpty() ? (m_branchId.isEmpty() ? QStringLiteral("main") : m_branchId) : m_series.branchId;
    if (auto r = m_store->setModelAssignment(a); !r)
        return r;
    Q_EMIT modelAssigned(a);
    return collect();
}

QChart* UsageChartsDock::chart(Tab tab) const
{
    QChartView* view = chartView(tab);
    return view && m_stack->currentWidget() == m_tabs ? view->chart() : nullptr;
}

QChart* UsageChartsDock::toolTotalsChart() const
{
    return m_stack->currentWidget() == m_tabs ? m_toolTotalsView->chart() : nullptr;
}

QChartView* UsageChartsDock::chartView(Tab tab) const
{
    switch (tab) {
    case Tab::Turns: return m_turnsView;
    case Tab::Branches: return m_branchesView;
    case Tab::Tools: return m_toolsView;
    case Tab::Context: return m_contextView;
    }
    return nullptr;
}

UsageChartsDock::Tab UsageChartsDock::currentTab() const
{
    return Tab(m_tabs->currentIndex());
}

void UsageChartsDock::setCurrentTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

QString UsageChartsDock::summaryText() const
{
    return m_summary->text();
}

QString UsageChartsDock::emptyText() const
{
    return m_emptyText;
}

core::Result<void> UsageChartsDock::exportChart(Tab tab, const QString& path) const
{
    QChart* c = chart(tab);
    if (!c)
        return core::Error::make(core::Error::Code::Argument, tr("There is no chart to export"));
    QChartView* view = chartView(tab);
    const QSize size = view->isVisible() && view->width() >= 320 ? view->size() : QSize(960, 540);
    return UsageCharts::saveChart(c, path, size);
}

void UsageChartsDock::chooseExport()
{
    static const QStringList names{QStringLiteral("turns"), QStringLiteral("branches"), QStringLiteral("tools"),
                                   QStringLiteral("context")};
    QString selected;
    QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"),
                                                m_sessionId + u'-' + names.value(int(currentTab())) + QStringLiteral(".png"),
                                                tr("PNG image (*.png);;SVG image (*.svg)"), &selected);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += selected.contains(QStringLiteral("svg")) ? QStringLiteral(".svg") : QStringLiteral(".png");
    if (auto r = exportChart(currentTab(), path); !r)
        QMessageBox::warning(this, tr("Export Chart"), r.error().message);
}

void UsageChartsDock::chooseAssignment()
{
    if (!m_store || m_sessionId.isEmpty())
        return;
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("assignModelDialog"));
    dialog.setWindowTitle(tr("Assign Model"));
    auto* model = new QComboBox(&dialog);
    model->setObjectName(QStringLiteral("assignModelName"));
    model->setEditable(true);
    model->addItems(m_pricing.prices.models());
    auto* branch = new QRadioButton(tr("This branch (%1)").arg(m_series.branchId.isEmpty() ? QStringLiteral("main") : m_series.branchId), &dialog);
    auto* session = new QRadioButton(tr("This session (%1)").arg(m_sessionId), &dialog);
    auto* file = new QRadioButton(tr("Every session of the file or folder"), &dialog);
    session->setChecked(true);
    // Preselect the current assignment of the narrowest scope that has one.
    if (auto current = m_store->modelAssignments()) {
        for (const core::ModelAssignment& a : *current) {
            if (a.sessionId == m_sessionId && a.branchId.isEmpty())
                model->setCurrentText(a.model);
        }
    }
    auto* note = new QLabel(tr("Turns with request rows keep the model recorded with them. Leave the model empty to "
                               "remove the assignment."),
                            &dialog);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* form = new QFormLayout(&dialog);
    form->addRow(tr("Model:"), model);
    form->addRow(tr("For:"), branch);
    form->addRow(QString(), session);
    form->addRow(QString(), file);
    form->addRow(note);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const AssignScope scope = branch->isChecked() ? AssignScope::Branch : file->isChecked() ? AssignScope::File : AssignScope::Session;
    if (auto r = assignModel(scope, model->currentText()); !r)
        QMessageBox::warning(this, tr("Assign Model"), r.error().message);
}

void UsageChartsDock::applyPalette()
{
    for (QChartView* view : {m_turnsView, m_branchesView, m_toolsView, m_toolTotalsView, m_contextView}) {
        UsageCharts::applyPalette(view->chart(), palette());
        view->setBackgroundBrush(palette().color(QPalette::Base));
    }
}

void UsageChartsDock::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

} // namespace tb::ui
