// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SettingsDialog.h"

#include "ui_SettingsDialog.h"

#include <QAction>
#include <QColor>
#include <QHeaderView>
#include <QMenu>
#include <QPalette>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QScrollBar>
#include <QUrl>

#include <algorithm>

namespace tb::ui {

namespace {

using core::ToolImplementation;

enum ToolColumn {
    ToolNameColumn,
    ToolKindColumn,
    ToolSummaryColumn
};

// Mirrors net::isLoopbackHost (QHostAddress lives in QtNetwork, which the ui layer does not link).
// QUrl has already normalised the host: "127.1" and "0x7f000001" arrive as "127.0.0.1",
// "[0:0:0:0:0:0:0:1]" as "::1".
bool isLoopbackHost(const QString& host)
{
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0 || host == u"::1")
        return true;
    QStringView v4(host);
    if (host.startsWith(u"::ffff:", Qt::CaseInsensitive)) // IPv4-mapped IPv6
        v4 = v4.mid(7);
    const QList<QStringView> parts = v4.split(u'.');
    if (parts.size() != 4)
        return false;
    for (QStringView part : parts) {
        bool ok = false;
        if (part.toUInt(&ok) > 255 || !ok)
            return false;
    }
    return parts.first().toUInt() == 127;
}

bool isValidToolName(const QString& name)
{
    // The OpenAI function-name rule (core::AgentDefinition::validate checks the same).
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return re.match(name).hasMatch();
}

bool containsName(const QStringList& names, const QString& name)
{
    return names.contains(name, Qt::CaseInsensitive);
}

/// base, or base + separator + 2, 3 … if the name is taken (case-insensitively).
QString uniqueName(const QString& base, const QStringList& taken, const QString& separator)
{
    if (!containsName(taken, base))
        return base;
    for (int n = 2;; ++n) {
        QString candidate = base + separator + QString::number(n);
        if (!containsName(taken, candidate))
            return candidate;
    }
}

QString schemaText(const core::Json& schema)
{
    return schema.pretty();
}

/// Why a parameters text is not a schema object; empty when it is one.
QString schemaProblem(const QString& text, core::Json* parsed = nullptr)
{
    auto json = core::Json::parse(text);
    if (!json)
        return SettingsDialog::tr("The parameters are not valid JSON: %1").arg(json.error().message);
    if (!json->isObject())
        return SettingsDialog::tr(
            "The parameters must be a JSON object, e.g. {\"type\": \"object\", \"properties\": {}}.");
    if (parsed)
        *parsed = std::move(json).value();
    return {};
}

QString kindLabel(ToolImplementation::Kind kind)
{
    switch (kind) {
    case ToolImplementation::Kind::Builtin:
        return SettingsDialog::tr("Built-in");
    case ToolImplementation::Kind::Canned:
        return SettingsDialog::tr("Canned");
    case ToolImplementation::Kind::Command:
        return SettingsDialog::tr("Command");
    case ToolImplementation::Kind::AskAnalyst:
        return SettingsDialog::tr("Ask analyst");
    case ToolImplementation::Kind::Replay:
        return SettingsDialog::tr("Replay");
    }
    return {};
}

QString firstLine(const QString& text)
{
    QString line = text.section(u'\n', 0, 0).trimmed();
    if (line.size() > 60) {
        line.truncate(59);
        line += QChar(0x2026);
    }
    return line;
}

QString toolSummary(const core::ToolBinding& tool)
{
    const ToolImplementation& impl = tool.implementation;
    switch (impl.kind) {
    case ToolImplementation::Kind::Builtin:
        return firstLine(tool.definition.description);
    case ToolImplementation::Kind::Canned:
        return impl.cannedOutput.isEmpty() ? SettingsDialog::tr("returns nothing")
                                           : SettingsDialog::tr("returns “%1”").arg(firstLine(impl.cannedOutput));
    case ToolImplementation::Kind::Command: {
        if (impl.program.isEmpty())
            return SettingsDialog::tr("no program yet");
        QStringList command = impl.arguments;
        command.prepend(impl.program);
        return firstLine(command.join(u' '));
    }
    case ToolImplementation::Kind::AskAnalyst:
        return impl.prompt.isEmpty() ? SettingsDialog::tr("the analyst answers")
                                     : SettingsDialog::tr("asks: %1").arg(firstLine(impl.prompt));
    case ToolImplementation::Kind::Replay:
        return SettingsDialog::tr("output recorded in another branch");
    }
    return {};
}

/// Holds a scroll area's page without passing on the page's height-for-width (its word-wrapped
/// labels): QScrollArea would size such a page to its *preferred* height, every text box at full
/// size, and scroll even where the page fits. Held, the page fills the viewport and scrolls only
/// below its minimum size.
class ScrollPageHolder final : public QWidget
{
public:
    explicit ScrollPageHolder(QWidget* page)
        : m_page(page)
    {
        page->setParent(this);
    }
    [[nodiscard]] QSize sizeHint() const override { return m_page->minimumSizeHint(); }
    [[nodiscard]] QSize minimumSizeHint() const override { return m_page->minimumSizeHint(); }

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        m_page->setGeometry(rect());
        QWidget::resizeEvent(event);
    }
    bool event(QEvent* event) override
    {
        if (event->type() == QEvent::LayoutRequest) // the page's minimum size may have changed
            updateGeometry();
        return QWidget::event(event);
    }

private:
    QWidget* m_page;
};

/// Shows (or hides, when empty) a problem next to its field and tells assistive technology.
void showProblem(QLabel* label, QWidget* field, const QString& problem)
{
    label->setText(problem);
    label->setHidden(problem.isEmpty());
    field->setAccessibleDescription(problem);
}

void styleProblemLabel(QLabel* label)
{
    // A red that reads on both the light and the dark palette.
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, QColor(0xd6, 0x45, 0x3d));
    label->setPalette(p);
    label->setHidden(true);
}

/// Makes every editor inside `container` read-only (texts stay selectable) or editable again.
void setEditorsReadOnly(QWidget* container, bool readOnly)
{
    for (auto* edit : container->findChildren<QLineEdit*>()) {
        if (!qobject_cast<QAbstractSpinBox*>(edit->parentWidget()) && !qobject_cast<QComboBox*>(edit->parentWidget()))
            edit->setReadOnly(readOnly);
    }
    for (auto* edit : container->findChildren<QPlainTextEdit*>())
        edit->setReadOnly(readOnly);
    for (auto* spin : container->findChildren<QAbstractSpinBox*>())
        spin->setReadOnly(readOnly);
    for (auto* combo : container->findChildren<QComboBox*>())
        combo->setEnabled(!readOnly);
    for (auto* button : container->findChildren<QAbstractButton*>())
        button->setEnabled(!readOnly);
}

} // namespace

SettingsDialog::SettingsDialog(const SettingsValues& values, bool agentsWritable, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SettingsDialog>())
    , m_agentsWritable(agentsWritable)
{
    m_ui->setupUi(this);
    QPushButton* ok = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    ok->setObjectName(QStringLiteral("okButton"));
    ok->setAccessibleName(tr("OK"));
    QPushButton* cancel = m_ui->buttonBox->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));
    for (QLabel* label : {m_ui->profileNameErrorLabel, m_ui->baseUrlErrorLabel, m_ui->agentErrorLabel,
                          m_ui->schemaErrorLabel, m_ui->toolErrorLabel})
        styleProblemLabel(label);

    // ---- Endpoints
    for (const EndpointEntry& e : values.endpoints)
        m_endpoints.append(EndpointRow{e, {}, e.name});
    m_ui->protocolCombo->addItem(tr("Chat Completions"), false);
    m_ui->protocolCombo->addItem(tr("Responses"), true);
    connect(m_ui->endpointList, &QListWidget::currentRowChanged, this, &SettingsDialog::loadEndpoint);
    for (QLineEdit* edit : {m_ui->displayNameEdit, m_ui->profileNameEdit, m_ui->baseUrlEdit, m_ui->endpointModelEdit,
                            m_ui->apiKeyEnvEdit, m_ui->apiKeyEdit})
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::storeEndpoint);
    for (QCheckBox* check : {m_ui->keychainCheck, m_ui->insecureHttpCheck, m_ui->usageInStreamCheck,
                             m_ui->toolDeltasCheck, m_ui->responsesSupportedCheck})
        connect(check, &QCheckBox::toggled, this, &SettingsDialog::storeEndpoint);
    connect(m_ui->protocolCombo, &QComboBox::currentIndexChanged, this, &SettingsDialog::storeEndpoint);
    connect(m_ui->idleTimeoutSpin, &QSpinBox::valueChanged, this, &SettingsDialog::storeEndpoint);
    connect(m_ui->profileNameEdit, &QLineEdit::editingFinished, this, &SettingsDialog::propagateRenames);
    connect(m_ui->addEndpointButton, &QPushButton::clicked, this, [this] {
        EndpointEntry e;
        QStringList taken;
        for (const EndpointRow& r : std::as_const(m_endpoints))
            taken << r.entry.name;
        e.name = uniqueName(QStringLiteral("my-server"), taken, QStringLiteral("-"));
        e.displayName = tr("My server");
        e.baseUrl = QStringLiteral("http://127.0.0.1:8000/v1");
        addEndpoint(e);
    });
    connect(m_ui->duplicateEndpointButton, &QPushButton::clicked, this, &SettingsDialog::duplicateEndpoint);
    connect(m_ui->removeEndpointButton, &QPushButton::clicked, this, &SettingsDialog::removeEndpoint);
    fillEndpointList();

    // ---- Agents
    for (const core::AgentDefinition& a : values.agents) {
        AgentRow row{a, {}};
        for (const core::ToolBinding& t : a.tools)
            row.schemaTexts << schemaText(t.definition.parameters);
        m_agents.append(row);
        m_inputAgentNames << a.name;
    }
    m_ui->toolTable->horizontalHeader()->setSectionResizeMode(ToolNameColumn, QHeaderView::ResizeToContents);
    m_ui->toolTable->horizontalHeader()->setSectionResizeMode(ToolKindColumn, QHeaderView::ResizeToContents);
    m_ui->toolChoiceCombo->lineEdit()->setPlaceholderText(tr("default (the model decides)"));
    m_ui->toolChoiceCombo->lineEdit()->setObjectName(QStringLiteral("toolChoiceEdit"));
    m_ui->toolChoiceCombo->lineEdit()->setAccessibleName(tr("Tool choice"));
    connect(m_ui->agentList, &QListWidget::currentRowChanged, this, &SettingsDialog::loadAgent);
    for (QLineEdit* edit : {m_ui->agentNameEdit, m_ui->agentModelEdit})
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::storeAgent);
    connect(m_ui->instructionsEdit, &QPlainTextEdit::textChanged, this, &SettingsDialog::storeAgent);
    for (QCheckBox* check : {m_ui->temperatureCheck, m_ui->maxTokensCheck, m_ui->parallelToolCallsCheck})
        connect(check, &QCheckBox::toggled, this, &SettingsDialog::storeAgent);
    connect(m_ui->temperatureSpin, &QDoubleSpinBox::valueChanged, this, &SettingsDialog::storeAgent);
    connect(m_ui->maxTokensSpin, &QSpinBox::valueChanged, this, &SettingsDialog::storeAgent);
    connect(m_ui->toolChoiceCombo, &QComboBox::editTextChanged, this, &SettingsDialog::storeAgent);
    connect(m_ui->agentEndpointCombo, &QComboBox::currentIndexChanged, this, &SettingsDialog::storeAgent);

    connect(m_ui->toolTable, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (!m_loading && row != m_toolRow)
            loadTool(row);
    });
    for (QLineEdit* edit :
         {m_ui->toolNameEdit, m_ui->toolDescriptionEdit, m_ui->programEdit, m_ui->workingDirectoryEdit})
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::storeTool);
    for (QPlainTextEdit* edit : {m_ui->schemaEdit, m_ui->cannedOutputEdit, m_ui->argumentsEdit, m_ui->promptEdit})
        connect(edit, &QPlainTextEdit::textChanged, this, &SettingsDialog::storeTool);
    connect(m_ui->strictCheck, &QCheckBox::toggled, this, &SettingsDialog::storeTool);
    connect(m_ui->timeoutSpin, &QSpinBox::valueChanged, this, &SettingsDialog::storeTool);

    auto* builtinMenu = new QMenu(m_ui->addBuiltinToolButton);
    builtinMenu->setObjectName(QStringLiteral("addBuiltinToolMenu"));
    builtinMenu->setAccessibleName(tr("Built-in tools"));
    for (const QString& name : core::AgentDefinition::builtinToolNames()) {
        QAction* action = builtinMenu->addAction(name);
        action->setObjectName(QString(QStringLiteral("addBuiltinTool_") + name));
        connect(action, &QAction::triggered, this, [this, name] { addBuiltinTool(name); });
    }
    // A tool already in the agent cannot be added twice (tool names are unique per agent).
    connect(builtinMenu, &QMenu::aboutToShow, this, [this, builtinMenu] {
        const AgentRow* agent = currentAgent();
        for (QAction* action : builtinMenu->actions())
            action->setEnabled(agent && !agent->definition.findTool(action->text()));
    });
    m_ui->addBuiltinToolButton->setMenu(builtinMenu);

    auto* toolMenu = new QMenu(m_ui->addToolButton);
    toolMenu->setObjectName(QStringLiteral("addToolMenu"));
    toolMenu->setAccessibleName(tr("Kinds of tool"));
    const struct
    {
        ToolImplementation::Kind kind;
        const char* objectName;
        QString text;
    } kinds[] = {
        {ToolImplementation::Kind::Canned, "addCannedToolAction", tr("&Canned output…")},
        {ToolImplementation::Kind::Command, "addCommandToolAction", tr("C&ommand…")},
        {ToolImplementation::Kind::AskAnalyst, "addAskAnalystToolAction", tr("&Ask the analyst…")},
        {ToolImplementation::Kind::Replay, "addReplayToolAction", tr("&Replay from another branch…")},
    };
    for (const auto& k : kinds) {
        QAction* action = toolMenu->addAction(k.text);
        action->setObjectName(QString::fromLatin1(k.objectName));
        connect(action, &QAction::triggered, this, [this, kind = k.kind] { addTool(kind); });
    }
    m_ui->addToolButton->setMenu(toolMenu);
    connect(m_ui->removeToolButton, &QPushButton::clicked, this, &SettingsDialog::removeTool);

    connect(m_ui->addAgentButton, &QPushButton::clicked, this, [this] {
        core::AgentDefinition a;
        QStringList taken;
        for (const AgentRow& r : std::as_const(m_agents))
            taken << r.definition.name;
        a.name = uniqueName(tr("New agent"), taken, QStringLiteral(" "));
        a.instructions = tr("You are a helpful assistant.");
        for (const EndpointRow& r : std::as_const(m_endpoints)) {
            if (r.entry.isDemo)
                a.endpointProfile = r.entry.name;
        }
        addAgent(a);
    });
    connect(m_ui->duplicateAgentButton, &QPushButton::clicked, this, &SettingsDialog::duplicateAgent);
    connect(m_ui->removeAgentButton, &QPushButton::clicked, this, &SettingsDialog::removeAgent);
    connect(m_ui->resetAgentButton, &QPushButton::clicked, this, &SettingsDialog::resetSupportAgent);
    connect(m_ui->tabs, &QTabWidget::currentChanged, this, [this] {
        fitScrollWidths();
        // Profiles may have been added, renamed or removed on the endpoints tab.
        if (m_ui->tabs->currentWidget() == m_ui->agentsTab) {
            propagateRenames();
            QScopedValueRollback<bool> loading(m_loading, true);
            if (const AgentRow* agent = currentAgent())
                fillEndpointCombo(agent->definition.endpointProfile);
        }
    });
    m_ui->agentsReadOnlyLabel->setVisible(!m_agentsWritable);
    fillAgentList();

    // ---- Appearance
    switch (values.appearance.palette) {
    case PaletteChoice::System:
        m_ui->systemPaletteRadio->setChecked(true);
        break;
    case PaletteChoice::Light:
        m_ui->lightPaletteRadio->setChecked(true);
        break;
    case PaletteChoice::Dark:
        m_ui->darkPaletteRadio->setChecked(true);
        break;
    }
    m_ui->fontSizeSpin->setValue(values.appearance.conversationFontSize);

    // The editors scroll vertically on short screens (the agents page alone is about 650 pixels
    // tall) and paint no background over the tab page's. fitScrollWidths() sets their widths.
    m_ui->agentsScroll->setWidget(new ScrollPageHolder(m_ui->agentsScroll->takeWidget()));
    for (QScrollArea* scroll : {m_ui->endpointScroll, m_ui->agentsScroll}) {
        scroll->viewport()->setAutoFillBackground(false);
        scroll->widget()->setAutoFillBackground(false);
    }
    setMinimumHeight(24 * fontMetrics().height());

    m_ui->endpointList->setFocus();
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::showEvent(QShowEvent* event)
{
    QDialog::showEvent(event);
    fitScrollWidths();
}

void SettingsDialog::fitScrollWidths()
{
    // The pages scroll vertically only: a page is never narrower than its contents. A page's real
    // minimum width is known once it has been shown (polished), hence on show and on tab changes.
    for (QScrollArea* scroll : {m_ui->endpointScroll, m_ui->agentsScroll}) {
        if (!scroll->isVisible())
            continue;
        const int width = scroll->widget()->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width();
        if (width > scroll->minimumWidth())
            scroll->setMinimumWidth(width);
    }
}

void SettingsDialog::showTab(Tab tab)
{
    switch (tab) {
    case Tab::Endpoints:
        m_ui->tabs->setCurrentWidget(m_ui->endpointsTab);
        break;
    case Tab::Agents:
        m_ui->tabs->setCurrentWidget(m_ui->agentsTab);
        break;
    case Tab::Appearance:
        m_ui->tabs->setCurrentWidget(m_ui->appearanceTab);
        break;
    }
}

SettingsValues SettingsDialog::values() const
{
    SettingsValues v;
    for (const EndpointRow& r : m_endpoints) {
        if (!r.entry.builtin)
            v.endpoints << r.entry;
    }
    for (const AgentRow& r : m_agents)
        v.agents << r.definition;
    if (m_ui->lightPaletteRadio->isChecked())
        v.appearance.palette = PaletteChoice::Light;
    else if (m_ui->darkPaletteRadio->isChecked())
        v.appearance.palette = PaletteChoice::Dark;
    v.appearance.conversationFontSize = m_ui->fontSizeSpin->value();
    return v;
}

QList<QPair<QString, QString>> SettingsDialog::keysToStore() const
{
    QList<QPair<QString, QString>> keys;
    for (const EndpointRow& r : m_endpoints) {
        if (!r.newKey.isEmpty() && keyEditable(r))
            keys.append({r.entry.name, r.newKey});
    }
    return keys;
}

QStringList SettingsDialog::removedAgents() const
{
    // The repository keys agents by name: a renamed agent is saved under its new name, so the old
    // record has to go as well.
    QStringList removed;
    for (const QString& name : m_inputAgentNames) {
        const bool kept = std::any_of(m_agents.cbegin(), m_agents.cend(),
                                      [&](const AgentRow& r) { return r.definition.name == name; });
        if (!kept && !removed.contains(name))
            removed << name;
    }
    return removed;
}

void SettingsDialog::accept()
{
    for (int row = 0; row < m_endpoints.size(); ++row) {
        const EndpointProblems problems = endpointProblems(row);
        if (problems.name.isEmpty() && problems.url.isEmpty())
            continue;
        showTab(Tab::Endpoints);
        m_ui->endpointList->setCurrentRow(row);
        showEndpointProblems(problems);
        (problems.name.isEmpty() ? m_ui->baseUrlEdit : m_ui->profileNameEdit)->setFocus();
        return;
    }
    propagateRenames();
    if (m_agentsWritable && !validateAgents())
        return;
    QDialog::accept();
}

// ---- Endpoints ------------------------------------------------------------------------------------

QString SettingsDialog::endpointListText(const EndpointEntry& entry) const
{
    if (entry.isDemo)
        return tr("Offline demo model (built in)");
    const QString name = entry.displayName.trimmed().isEmpty() ? entry.name : entry.displayName.trimmed();
    return entry.builtin ? tr("%1 (built in)").arg(name) : name;
}

bool SettingsDialog::keyEditable(const EndpointRow& row) const
{
    // Storing a key is not an edit of the profile, so built-in keychain profiles (openai) accept one.
    return !row.entry.isDemo && row.entry.apiKeyInKeychain;
}

void SettingsDialog::fillEndpointList()
{
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        m_ui->endpointList->clear();
        for (const EndpointRow& r : std::as_const(m_endpoints)) {
            auto* item = new QListWidgetItem(endpointListText(r.entry), m_ui->endpointList);
            item->setToolTip(r.entry.name);
        }
    }
    m_ui->endpointList->setCurrentRow(m_endpoints.isEmpty() ? -1 : 0);
    loadEndpoint(m_ui->endpointList->currentRow());
}

void SettingsDialog::loadEndpoint(int row)
{
    if (m_loading)
        return;
    m_endpointRow = row >= 0 && row < m_endpoints.size() ? row : -1;
    const EndpointRow blank;
    const EndpointRow& r = m_endpointRow >= 0 ? m_endpoints.at(m_endpointRow) : blank;
    const EndpointEntry& e = r.entry;
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        m_ui->displayNameEdit->setText(e.displayName);
        m_ui->profileNameEdit->setText(e.name);
        m_ui->baseUrlEdit->setText(e.baseUrl);
        m_ui->protocolCombo->setCurrentIndex(m_ui->protocolCombo->findData(e.responsesProtocol));
        m_ui->endpointModelEdit->setText(e.model);
        m_ui->apiKeyEnvEdit->setText(e.apiKeyEnv);
        m_ui->keychainCheck->setChecked(e.apiKeyInKeychain);
        m_ui->apiKeyEdit->setText(r.newKey);
        m_ui->insecureHttpCheck->setChecked(e.allowInsecureHttp);
        m_ui->usageInStreamCheck->setChecked(e.usageInStream);
        m_ui->toolDeltasCheck->setChecked(e.toolCallsStreamedAsDeltas);
        m_ui->responsesSupportedCheck->setChecked(e.responsesSupported);
        m_ui->idleTimeoutSpin->setValue(e.idleTimeoutSeconds);
    }
    updateEndpointState();
    showEndpointProblems(m_endpointRow >= 0 ? endpointProblems(m_endpointRow) : EndpointProblems{});
}

void SettingsDialog::storeEndpoint()
{
    if (m_loading || m_endpointRow < 0)
        return;
    EndpointRow& r = m_endpoints[m_endpointRow];
    if (keyEditable(r) || !r.entry.builtin)
        r.newKey = m_ui->apiKeyEdit->text();
    if (r.entry.builtin)
        return;
    EndpointEntry& e = r.entry;
    e.displayName = m_ui->displayNameEdit->text().trimmed();
    e.name = m_ui->profileNameEdit->text().trimmed();
    e.baseUrl = m_ui->baseUrlEdit->text().trimmed();
    e.responsesProtocol = m_ui->protocolCombo->currentData().toBool();
    e.model = m_ui->endpointModelEdit->text().trimmed();
    e.apiKeyEnv = m_ui->apiKeyEnvEdit->text().trimmed();
    e.apiKeyInKeychain = m_ui->keychainCheck->isChecked();
    e.allowInsecureHttp = m_ui->insecureHttpCheck->isChecked();
    e.usageInStream = m_ui->usageInStreamCheck->isChecked();
    e.toolCallsStreamedAsDeltas = m_ui->toolDeltasCheck->isChecked();
    e.responsesSupported = m_ui->responsesSupportedCheck->isChecked();
    e.idleTimeoutSeconds = m_ui->idleTimeoutSpin->value();
    if (QListWidgetItem* item = m_ui->endpointList->item(m_endpointRow)) {
        item->setText(endpointListText(e));
        item->setToolTip(e.name);
    }
    updateEndpointState();
    showEndpointProblems(endpointProblems(m_endpointRow));
}

void SettingsDialog::updateEndpointState()
{
    const bool has = m_endpointRow >= 0;
    const EndpointRow* r = has ? &m_endpoints.at(m_endpointRow) : nullptr;
    const bool builtin = r && r->entry.builtin;
    m_ui->endpointEditor->setEnabled(has);
    setEditorsReadOnly(m_ui->endpointEditor, builtin);
    m_ui->duplicateEndpointButton->setEnabled(r && !r->entry.isDemo);
    m_ui->removeEndpointButton->setEnabled(r && !builtin);

    const bool keyField = r && keyEditable(*r);
    m_ui->apiKeyEdit->setEnabled(keyField);
    m_ui->apiKeyEdit->setReadOnly(false);
    // The dialog never learns a stored key; it can only replace it.
    m_ui->apiKeyEdit->setPlaceholderText(keyField ? tr("leave empty to keep the stored key; type one to replace it")
                                                  : QString());

    QString note;
    if (r && r->entry.isDemo) {
        note = tr("<b>The offline demo model.</b> It answers from a script inside Threadbench, with no network "
                  "and no API key; it is not a real model. Built in, so it cannot be changed.");
    } else if (builtin) {
        note = tr("<b>Built-in profile</b> (read-only). Use <i>Duplicate</i> to make an editable copy.");
        if (keyField)
            note += QLatin1Char(' ') + tr("You can store its API key in the keychain below.");
    }
    m_ui->endpointNoteLabel->setText(note);
    m_ui->endpointNoteLabel->setHidden(note.isEmpty());
    m_ui->duplicateEndpointButton->setToolTip(
        r && r->entry.isDemo ? tr("The demo model is served on a port chosen at start-up; it cannot be copied.")
                             : QString());
}

SettingsDialog::EndpointProblems SettingsDialog::endpointProblems(int row) const
{
    EndpointProblems p;
    const EndpointEntry& e = m_endpoints.at(row).entry;
    if (e.builtin)
        return p;
    if (e.name.isEmpty()) {
        p.name = tr("A profile needs an ID.");
    } else {
        for (int other = 0; other < m_endpoints.size(); ++other) {
            if (other != row && m_endpoints.at(other).entry.name.compare(e.name, Qt::CaseInsensitive) == 0) {
                p.name = tr("Another profile already has the ID “%1”.").arg(m_endpoints.at(other).entry.name);
                break;
            }
        }
    }
    const QUrl url(e.baseUrl, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (e.baseUrl.isEmpty())
        p.url = tr("A base URL is needed, e.g. https://api.example.com/v1.");
    else if (!url.isValid())
        p.url = tr("This is not a valid URL: %1").arg(url.errorString());
    else if (scheme != u"http" && scheme != u"https")
        p.url = tr("Only http:// and https:// URLs are supported.");
    else if (url.host().isEmpty())
        p.url = tr("The URL has no host name.");
    else if (scheme == u"http" && !e.allowInsecureHttp && !isLoopbackHost(url.host()))
        p.url = tr("Plain http to %1 would send the API key unencrypted. Use https, or tick “Allow insecure "
                   "http” below if you trust every network in between.")
                    .arg(url.host());
    return p;
}

void SettingsDialog::showEndpointProblems(const EndpointProblems& problems)
{
    showProblem(m_ui->profileNameErrorLabel, m_ui->profileNameEdit, problems.name);
    showProblem(m_ui->baseUrlErrorLabel, m_ui->baseUrlEdit, problems.url);
}

void SettingsDialog::addEndpoint(const EndpointEntry& entry)
{
    m_endpoints.append(EndpointRow{entry, {}, entry.name});
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        new QListWidgetItem(endpointListText(entry), m_ui->endpointList);
    }
    m_ui->endpointList->setCurrentRow(int(m_endpoints.size()) - 1);
    m_ui->displayNameEdit->setFocus();
    m_ui->displayNameEdit->selectAll();
}

void SettingsDialog::duplicateEndpoint()
{
    if (m_endpointRow < 0 || m_endpoints.at(m_endpointRow).entry.isDemo)
        return;
    EndpointEntry copy = m_endpoints.at(m_endpointRow).entry;
    QStringList taken;
    for (const EndpointRow& r : std::as_const(m_endpoints))
        taken << r.entry.name;
    copy.name = uniqueName(copy.name + QStringLiteral("-copy"), taken, QStringLiteral("-"));
    copy.displayName =
        tr("%1 (copy)").arg(copy.displayName.isEmpty() ? m_endpoints.at(m_endpointRow).entry.name : copy.displayName);
    copy.builtin = false;
    copy.isDemo = false;
    addEndpoint(copy);
}

void SettingsDialog::removeEndpoint()
{
    if (m_endpointRow < 0 || m_endpoints.at(m_endpointRow).entry.builtin)
        return;
    const int row = m_endpointRow;
    m_endpoints.removeAt(row);
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        delete m_ui->endpointList->takeItem(row);
    }
    const int next = std::min(row, int(m_endpoints.size()) - 1);
    m_ui->endpointList->setCurrentRow(next);
    loadEndpoint(next);
}

void SettingsDialog::propagateRenames()
{
    // Agents refer to profiles by name. A renamed user profile takes its agents along once the new
    // name is valid, and only if no other profile still answers to the old one.
    for (int row = 0; row < m_endpoints.size(); ++row) {
        EndpointRow& r = m_endpoints[row];
        if (r.entry.builtin || r.renamedFrom == r.entry.name || !endpointProblems(row).name.isEmpty())
            continue;
        const bool oldNameTaken = std::any_of(m_endpoints.cbegin(), m_endpoints.cend(),
                                              [&](const EndpointRow& o) { return o.entry.name == r.renamedFrom; });
        if (m_agentsWritable && !oldNameTaken) {
            for (AgentRow& a : m_agents) {
                if (a.definition.endpointProfile == r.renamedFrom)
                    a.definition.endpointProfile = r.entry.name;
            }
        }
        r.renamedFrom = r.entry.name;
    }
}

// ---- Agents -------------------------------------------------------------------------------------

SettingsDialog::AgentRow* SettingsDialog::currentAgent()
{
    return m_agentRow >= 0 && m_agentRow < m_agents.size() ? &m_agents[m_agentRow] : nullptr;
}

core::ToolBinding* SettingsDialog::currentTool()
{
    AgentRow* agent = currentAgent();
    if (!agent || m_toolRow < 0 || m_toolRow >= agent->definition.tools.size())
        return nullptr;
    return &agent->definition.tools[m_toolRow];
}

void SettingsDialog::fillAgentList()
{
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        m_ui->agentList->clear();
        for (const AgentRow& r : std::as_const(m_agents))
            new QListWidgetItem(r.definition.name, m_ui->agentList);
    }
    m_ui->agentList->setCurrentRow(m_agents.isEmpty() ? -1 : 0);
    loadAgent(m_ui->agentList->currentRow());
}

void SettingsDialog::loadAgent(int row)
{
    if (m_loading)
        return;
    m_agentRow = row >= 0 && row < m_agents.size() ? row : -1;
    const core::AgentDefinition blank;
    const core::AgentDefinition& a = m_agentRow >= 0 ? m_agents.at(m_agentRow).definition : blank;
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        m_ui->agentNameEdit->setText(a.name);
        m_ui->instructionsEdit->setPlainText(a.instructions);
        m_ui->agentModelEdit->setText(a.modelSettings.model);
        m_ui->temperatureCheck->setChecked(a.modelSettings.temperature.has_value());
        m_ui->temperatureSpin->setValue(a.modelSettings.temperature.value_or(1.0));
        m_ui->maxTokensCheck->setChecked(a.modelSettings.maxOutputTokens.has_value());
        m_ui->maxTokensSpin->setValue(
            int(std::min<qint64>(a.modelSettings.maxOutputTokens.value_or(1024), m_ui->maxTokensSpin->maximum())));
        m_ui->parallelToolCallsCheck->setChecked(a.modelSettings.parallelToolCalls);
        fillEndpointCombo(a.endpointProfile);
    }
    fillToolChoiceItems();
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        m_ui->toolChoiceCombo->setEditText(a.modelSettings.toolChoice);
    }
    showProblem(m_ui->agentErrorLabel, m_ui->agentNameEdit, {});
    fillToolTable();
    updateAgentButtons();
}

void SettingsDialog::storeAgent()
{
    AgentRow* agent = m_loading ? nullptr : currentAgent();
    if (!agent || !m_agentsWritable)
        return;
    core::AgentDefinition& a = agent->definition;
    a.name = m_ui->agentNameEdit->text().trimmed();
    a.instructions = m_ui->instructionsEdit->toPlainText();
    a.modelSettings.model = m_ui->agentModelEdit->text().trimmed();
    a.modelSettings.temperature =
        m_ui->temperatureCheck->isChecked() ? std::optional<double>(m_ui->temperatureSpin->value()) : std::nullopt;
    a.modelSettings.maxOutputTokens =
        m_ui->maxTokensCheck->isChecked() ? std::optional<qint64>(m_ui->maxTokensSpin->value()) : std::nullopt;
    a.modelSettings.toolChoice = m_ui->toolChoiceCombo->currentText().trimmed();
    a.modelSettings.parallelToolCalls = m_ui->parallelToolCallsCheck->isChecked();
    if (m_ui->agentEndpointCombo->currentIndex() >= 0)
        a.endpointProfile = m_ui->agentEndpointCombo->currentData().toString();
    if (QListWidgetItem* item = m_ui->agentList->item(m_agentRow))
        item->setText(a.name);
    updateAgentButtons();
    // Names are checked as they are typed; the rest waits for OK.
    QString problem;
    if (a.name.isEmpty()) {
        problem = tr("An agent needs a name.");
    } else {
        for (int other = 0; other < m_agents.size(); ++other) {
            if (other != m_agentRow && m_agents.at(other).definition.name.compare(a.name, Qt::CaseInsensitive) == 0)
                problem = tr("Another agent is already called “%1”.").arg(m_agents.at(other).definition.name);
        }
    }
    showProblem(m_ui->agentErrorLabel, m_ui->agentNameEdit, problem);
}

void SettingsDialog::fillEndpointCombo(const QString& selected)
{
    QComboBox* combo = m_ui->agentEndpointCombo;
    combo->clear();
    combo->addItem(tr("(the application's default)"), QString());
    for (const EndpointRow& r : std::as_const(m_endpoints)) {
        const EndpointEntry& e = r.entry;
        if (e.name.isEmpty())
            continue;
        QString text = e.name;
        if (e.isDemo)
            text = tr("%1 — offline demo model").arg(e.name);
        else if (!e.displayName.isEmpty() && e.displayName != e.name)
            text = tr("%1 — %2").arg(e.name, e.displayName);
        combo->addItem(text, e.name);
    }
    int index = combo->findData(selected);
    if (index < 0) {
        combo->addItem(tr("%1 (no such profile)").arg(selected), selected);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(index);
}

void SettingsDialog::fillToolChoiceItems()
{
    QScopedValueRollback<bool> loading(m_loading, true);
    QComboBox* combo = m_ui->toolChoiceCombo;
    const QString text = combo->currentText();
    combo->clear();
    combo->addItems({QStringLiteral("auto"), QStringLiteral("required"), QStringLiteral("none")});
    if (const AgentRow* agent = currentAgent()) {
        for (const core::ToolBinding& t : agent->definition.tools)
            combo->addItem(t.definition.name);
    }
    combo->setCurrentIndex(-1);
    combo->setEditText(text);
}

void SettingsDialog::fillToolTable()
{
    const AgentRow* agent = currentAgent();
    const int count = agent ? int(agent->definition.tools.size()) : 0;
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        m_ui->toolTable->setRowCount(count);
        for (int row = 0; row < count; ++row)
            updateToolRow(row);
        m_ui->toolTable->setCurrentCell(count > 0 ? 0 : -1, 0);
    }
    loadTool(count > 0 ? 0 : -1);
}

void SettingsDialog::updateToolRow(int row)
{
    const AgentRow* agent = currentAgent();
    if (!agent || row < 0 || row >= agent->definition.tools.size())
        return;
    const core::ToolBinding& t = agent->definition.tools.at(row);
    const QString texts[] = {t.definition.name, kindLabel(t.implementation.kind), toolSummary(t)};
    for (int column = 0; column < 3; ++column) {
        QTableWidgetItem* item = m_ui->toolTable->item(row, column);
        if (!item) {
            item = new QTableWidgetItem;
            item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
            m_ui->toolTable->setItem(row, column, item);
        }
        item->setText(texts[column]);
    }
    m_ui->toolTable->item(row, ToolSummaryColumn)->setToolTip(t.definition.description);
}

void SettingsDialog::loadTool(int row)
{
    const AgentRow* agent = currentAgent();
    m_toolRow = agent && row >= 0 && row < agent->definition.tools.size() ? row : -1;
    const core::ToolBinding blank;
    const core::ToolBinding& t = m_toolRow >= 0 ? agent->definition.tools.at(m_toolRow) : blank;
    const ToolImplementation& impl = t.implementation;
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        m_ui->toolNameEdit->setText(t.definition.name);
        m_ui->toolDescriptionEdit->setText(t.definition.description);
        m_ui->schemaEdit->setPlainText(m_toolRow >= 0 ? agent->schemaTexts.at(m_toolRow) : QString());
        m_ui->strictCheck->setChecked(t.definition.strict);
        m_ui->cannedOutputEdit->setPlainText(impl.cannedOutput);
        m_ui->programEdit->setText(impl.program);
        m_ui->argumentsEdit->setPlainText(impl.arguments.join(u'\n'));
        m_ui->timeoutSpin->setValue(int(std::clamp<qint64>(impl.timeoutMs, 1, m_ui->timeoutSpin->maximum())));
        m_ui->workingDirectoryEdit->setText(impl.workingDirectory);
        m_ui->promptEdit->setPlainText(impl.prompt);
        m_ui->builtinInfoLabel->setText(
            tr("Answered by Threadbench's built-in <b>%1</b> tool. Its definition is fixed; remove it and add it "
               "again from <i>Add built-in</i> to restore it.")
                .arg(impl.builtin.toHtmlEscaped()));
        // In the order of ToolImplementation::Kind.
        QWidget* pages[] = {m_ui->builtinPage, m_ui->cannedPage, m_ui->commandPage, m_ui->askAnalystPage,
                            m_ui->replayPage};
        m_ui->kindPages->setCurrentWidget(pages[int(impl.kind)]);
    }
    m_ui->toolEditor->setEnabled(m_toolRow >= 0);
    setEditorsReadOnly(m_ui->toolEditor, !m_agentsWritable || impl.kind == ToolImplementation::Kind::Builtin);
    showProblem(m_ui->schemaErrorLabel, m_ui->schemaEdit,
                m_toolRow >= 0 ? schemaProblem(m_ui->schemaEdit->toPlainText()) : QString());
    showProblem(m_ui->toolErrorLabel, m_ui->toolNameEdit, {});
    m_ui->programEdit->setAccessibleDescription({});
    updateAgentButtons();
}

void SettingsDialog::storeTool()
{
    core::ToolBinding* t = m_loading || !m_agentsWritable ? nullptr : currentTool();
    if (!t || t->implementation.kind == ToolImplementation::Kind::Builtin)
        return;
    AgentRow* agent = currentAgent();
    const QString oldName = t->definition.name;
    t->definition.name = m_ui->toolNameEdit->text().trimmed();
    t->definition.description = m_ui->toolDescriptionEdit->text().trimmed();
    t->definition.strict = m_ui->strictCheck->isChecked();
    const QString text = m_ui->schemaEdit->toPlainText();
    agent->schemaTexts[m_toolRow] = text;
    core::Json parsed;
    const QString schemaError = schemaProblem(text, &parsed);
    if (schemaError.isEmpty())
        t->definition.parameters = std::move(parsed);
    showProblem(m_ui->schemaErrorLabel, m_ui->schemaEdit, schemaError);

    ToolImplementation& impl = t->implementation;
    impl.cannedOutput = m_ui->cannedOutputEdit->toPlainText();
    impl.program = m_ui->programEdit->text().trimmed();
    impl.arguments = m_ui->argumentsEdit->toPlainText().split(u'\n', Qt::SkipEmptyParts);
    impl.timeoutMs = m_ui->timeoutSpin->value();
    impl.workingDirectory = m_ui->workingDirectoryEdit->text().trimmed();
    impl.prompt = m_ui->promptEdit->toPlainText();
    updateToolRow(m_toolRow);

    const QString& newName = t->definition.name;
    QString nameProblem;
    if (!isValidToolName(newName)) {
        nameProblem = tr("A tool name is 1 to 64 letters, digits, “_” or “-”.");
    } else {
        for (int other = 0; other < agent->definition.tools.size(); ++other) {
            if (other != m_toolRow && agent->definition.tools.at(other).definition.name == newName)
                nameProblem = tr("This agent already has a tool called “%1”.").arg(newName);
        }
    }
    showProblem(m_ui->toolErrorLabel, m_ui->toolNameEdit, nameProblem);
    if (oldName != newName) {
        // A tool choice naming this tool follows the rename.
        if (agent->definition.modelSettings.toolChoice == oldName && !oldName.isEmpty()) {
            agent->definition.modelSettings.toolChoice = newName;
            QScopedValueRollback<bool> loading(m_loading, true);
            m_ui->toolChoiceCombo->setEditText(newName);
        }
        fillToolChoiceItems();
    }
}

void SettingsDialog::updateAgentButtons()
{
    const bool agent = m_agentRow >= 0;
    const bool w = m_agentsWritable;
    m_ui->agentEditor->setEnabled(agent);
    m_ui->toolsGroup->setEnabled(agent);
    setEditorsReadOnly(m_ui->agentEditor, !w);
    m_ui->temperatureSpin->setEnabled(w && m_ui->temperatureCheck->isChecked());
    m_ui->maxTokensSpin->setEnabled(w && m_ui->maxTokensCheck->isChecked());
    m_ui->addAgentButton->setEnabled(w);
    m_ui->duplicateAgentButton->setEnabled(w && agent);
    m_ui->removeAgentButton->setEnabled(w && agent);
    m_ui->resetAgentButton->setEnabled(w);
    m_ui->addBuiltinToolButton->setEnabled(w && agent);
    m_ui->addToolButton->setEnabled(w && agent);
    m_ui->removeToolButton->setEnabled(w && m_toolRow >= 0);
}

void SettingsDialog::addAgent(const core::AgentDefinition& definition)
{
    AgentRow row{definition, {}};
    for (const core::ToolBinding& t : definition.tools)
        row.schemaTexts << schemaText(t.definition.parameters);
    m_agents.append(row);
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        new QListWidgetItem(definition.name, m_ui->agentList);
    }
    m_ui->agentList->setCurrentRow(int(m_agents.size()) - 1);
    m_ui->agentNameEdit->setFocus();
    m_ui->agentNameEdit->selectAll();
}

void SettingsDialog::duplicateAgent()
{
    const AgentRow* agent = currentAgent();
    if (!agent || !m_agentsWritable)
        return;
    AgentRow copy = *agent;
    QStringList taken;
    for (const AgentRow& r : std::as_const(m_agents))
        taken << r.definition.name;
    copy.definition.name = uniqueName(tr("%1 (copy)").arg(agent->definition.name), taken, QStringLiteral(" "));
    m_agents.append(copy);
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        new QListWidgetItem(copy.definition.name, m_ui->agentList);
    }
    m_ui->agentList->setCurrentRow(int(m_agents.size()) - 1);
}

void SettingsDialog::removeAgent()
{
    if (!currentAgent() || !m_agentsWritable)
        return;
    const int row = m_agentRow;
    m_agents.removeAt(row);
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        delete m_ui->agentList->takeItem(row);
    }
    const int next = std::min(row, int(m_agents.size()) - 1);
    m_ui->agentList->setCurrentRow(next);
    loadAgent(next);
}

void SettingsDialog::resetSupportAgent()
{
    if (!m_agentsWritable)
        return;
    const core::AgentDefinition support = core::AgentDefinition::defaultSupportAgent();
    for (int row = 0; row < m_agents.size(); ++row) {
        if (m_agents.at(row).definition.name.compare(support.name, Qt::CaseInsensitive) == 0) {
            AgentRow& r = m_agents[row];
            r.definition = support;
            r.schemaTexts.clear();
            for (const core::ToolBinding& t : support.tools)
                r.schemaTexts << schemaText(t.definition.parameters);
            m_ui->agentList->item(row)->setText(support.name);
            if (m_ui->agentList->currentRow() == row)
                loadAgent(row);
            else
                m_ui->agentList->setCurrentRow(row);
            return;
        }
    }
    addAgent(support);
}

void SettingsDialog::appendTool(const core::ToolBinding& binding)
{
    AgentRow* agent = currentAgent();
    if (!agent || !m_agentsWritable)
        return;
    agent->definition.tools.append(binding);
    agent->schemaTexts << schemaText(binding.definition.parameters);
    const int row = int(agent->definition.tools.size()) - 1;
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        m_ui->toolTable->setRowCount(row + 1);
        updateToolRow(row);
        m_ui->toolTable->setCurrentCell(row, 0);
    }
    loadTool(row);
    fillToolChoiceItems();
}

void SettingsDialog::addBuiltinTool(const QString& builtinName)
{
    const AgentRow* agent = currentAgent();
    const auto binding = core::AgentDefinition::builtinTool(builtinName);
    if (!agent || !binding || agent->definition.findTool(binding->definition.name))
        return;
    appendTool(*binding);
}

void SettingsDialog::addTool(ToolImplementation::Kind kind)
{
    const AgentRow* agent = currentAgent();
    if (!agent)
        return;
    core::ToolBinding t;
    t.implementation.kind = kind;
    QString base;
    switch (kind) {
    case ToolImplementation::Kind::Canned:
        base = QStringLiteral("canned_tool");
        t.definition.description = tr("Always returns the same text.");
        break;
    case ToolImplementation::Kind::Command:
        base = QStringLiteral("command_tool");
        t.definition.description = tr("Runs a program with the arguments as JSON on its input.");
        break;
    case ToolImplementation::Kind::AskAnalyst:
        base = QStringLiteral("ask_analyst");
        t.definition.description = tr("A person answers this call.");
        break;
    case ToolImplementation::Kind::Replay:
        base = QStringLiteral("replay_tool");
        t.definition.description = tr("Returns the output recorded in another branch.");
        break;
    case ToolImplementation::Kind::Builtin:
        return; // addBuiltinTool
    }
    QStringList taken;
    for (const core::ToolBinding& other : agent->definition.tools)
        taken << other.definition.name;
    t.definition.name = uniqueName(base, taken, QStringLiteral("_"));
    core::Json schema = core::Json::object();
    schema.insert(QStringLiteral("type"), core::Json(QStringLiteral("object")));
    schema.insert(QStringLiteral("properties"), core::Json::object());
    t.definition.parameters = std::move(schema);
    appendTool(t);
    m_ui->toolNameEdit->setFocus();
    m_ui->toolNameEdit->selectAll();
}

void SettingsDialog::removeTool()
{
    AgentRow* agent = currentAgent();
    if (!agent || !m_agentsWritable || m_toolRow < 0)
        return;
    const int row = m_toolRow;
    agent->definition.tools.removeAt(row);
    agent->schemaTexts.removeAt(row);
    {
        QScopedValueRollback<bool> loading(m_loading, true);
        m_ui->toolTable->removeRow(row);
        m_ui->toolTable->setCurrentCell(std::min(row, int(agent->definition.tools.size()) - 1), 0);
    }
    loadTool(std::min(row, int(agent->definition.tools.size()) - 1));
    fillToolChoiceItems();
}

bool SettingsDialog::validateAgents()
{
    auto select = [this](int agentRow, int toolRow) {
        showTab(Tab::Agents);
        m_ui->agentList->setCurrentRow(agentRow);
        if (toolRow >= 0) {
            m_ui->toolTable->setCurrentCell(toolRow, 0);
            loadTool(toolRow);
        }
    };
    static const QStringList kChoices = {QStringLiteral("auto"), QStringLiteral("required"), QStringLiteral("none")};
    for (int a = 0; a < m_agents.size(); ++a) {
        const AgentRow& r = m_agents.at(a);
        const core::AgentDefinition& def = r.definition;
        QString problem;
        if (def.name.isEmpty())
            problem = tr("An agent needs a name.");
        for (int other = 0; other < a && problem.isEmpty(); ++other) {
            if (m_agents.at(other).definition.name.compare(def.name, Qt::CaseInsensitive) == 0)
                problem = tr("Another agent is already called “%1”.").arg(m_agents.at(other).definition.name);
        }
        if (!problem.isEmpty()) {
            select(a, -1);
            showProblem(m_ui->agentErrorLabel, m_ui->agentNameEdit, problem);
            m_ui->agentNameEdit->setFocus();
            return false;
        }
        for (int t = 0; t < def.tools.size(); ++t) {
            const core::ToolBinding& tool = def.tools.at(t);
            const QString& name = tool.definition.name;
            QString toolProblem;
            if (!isValidToolName(name))
                toolProblem = tr("A tool name is 1 to 64 letters, digits, “_” or “-”.");
            for (int other = 0; other < t && toolProblem.isEmpty(); ++other) {
                if (def.tools.at(other).definition.name == name)
                    toolProblem = tr("This agent already has a tool called “%1”.").arg(name);
            }
            QLineEdit* field = m_ui->toolNameEdit;
            if (toolProblem.isEmpty() && tool.implementation.kind == ToolImplementation::Kind::Command
                && tool.implementation.program.isEmpty()) {
                toolProblem = tr("A command tool needs a program to run.");
                field = m_ui->programEdit;
            }
            if (!toolProblem.isEmpty()) {
                select(a, t);
                showProblem(m_ui->toolErrorLabel, field, toolProblem);
                field->setFocus();
                return false;
            }
            if (const QString schema = schemaProblem(r.schemaTexts.at(t)); !schema.isEmpty()) {
                select(a, t);
                showProblem(m_ui->schemaErrorLabel, m_ui->schemaEdit, schema);
                m_ui->schemaEdit->setFocus();
                return false;
            }
        }
        const QString& choice = def.modelSettings.toolChoice;
        if (!choice.isEmpty() && !kChoices.contains(choice) && !def.findTool(choice)) {
            select(a, -1);
            showProblem(m_ui->agentErrorLabel, m_ui->agentNameEdit,
                        tr("Tool choice “%1” is neither auto, required, none nor a tool of this agent.").arg(choice));
            m_ui->toolChoiceCombo->setFocus();
            return false;
        }
        // Anything else core would refuse when the agent is saved.
        if (auto valid = def.validate(); !valid) {
            select(a, -1);
            showProblem(m_ui->agentErrorLabel, m_ui->agentNameEdit, valid.error().message);
            return false;
        }
    }
    return true;
}

} // namespace tb::ui
