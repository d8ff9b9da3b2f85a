// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Widget tests of the settings dialog: edit through the widgets (found by objectName), press OK,
// read the returned values. The dialog saves nothing, so no database is involved.
#include "ui/SettingsDialog.h"

#include <QAbstractItemModelTester>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using tb::ui::EndpointEntry;
using tb::ui::PaletteChoice;
using tb::ui::SettingsDialog;
using tb::ui::SettingsValues;

namespace {

EndpointEntry builtinEntry(const QString& name, const QString& displayName, const QString& url)
{
    EndpointEntry e;
    e.name = name;
    e.displayName = displayName;
    e.baseUrl = url;
    e.builtin = true;
    return e;
}

SettingsValues sampleValues()
{
    SettingsValues v;
    EndpointEntry demo =
        builtinEntry(u"demo"_s, u"Demo model (offline, built in; not a real model)"_s, u"http://127.0.0.1:40123/v1"_s);
    demo.isDemo = true;
    demo.responsesProtocol = true;
    demo.model = u"threadbench-demo"_s;
    v.endpoints << demo;
    EndpointEntry openai = builtinEntry(u"openai"_s, u"OpenAI"_s, u"https://api.openai.com/v1"_s);
    openai.responsesProtocol = true;
    openai.apiKeyEnv = u"OPENAI_API_KEY"_s;
    openai.apiKeyInKeychain = true;
    v.endpoints << openai;
    v.endpoints << builtinEntry(u"ollama"_s, u"Ollama (local)"_s, u"http://127.0.0.1:11434/v1"_s);
    EndpointEntry office;
    office.name = u"office"_s;
    office.displayName = u"Office GPU box"_s;
    office.baseUrl = u"http://10.0.0.5:8000/v1"_s;
    office.allowInsecureHttp = true;
    office.idleTimeoutSeconds = 120;
    v.endpoints << office;

    v.agents << tb::core::AgentDefinition::defaultSupportAgent();
    tb::core::AgentDefinition billing;
    billing.name = u"Billing agent"_s;
    billing.instructions = u"Answer billing questions."_s;
    billing.modelSettings.model = u"gpt-4.1-mini"_s;
    billing.endpointProfile = u"office"_s;
    tb::core::ToolBinding lookup;
    lookup.definition.name = u"lookup_invoice"_s;
    lookup.definition.description = u"Find an invoice."_s;
    lookup.implementation.kind = tb::core::ToolImplementation::Kind::Canned;
    lookup.implementation.cannedOutput = u"Invoice 42: paid"_s;
    billing.tools << lookup;
    v.agents << billing;

    v.appearance.palette = PaletteChoice::Dark;
    v.appearance.conversationFontSize = 13;
    return v;
}

class SettingsDialogTest : public ::testing::Test
{
protected:
    void open(const SettingsValues& values = sampleValues(), bool agentsWritable = true)
    {
        testers.clear();
        dialog = std::make_unique<SettingsDialog>(values, agentsWritable);
        dialog->show();
        // Every item model the dialog creates is checked for every change the test causes.
        for (const char* view : {"endpointList", "agentList", "toolTable"}) {
            testers.push_back(std::make_unique<QAbstractItemModelTester>(
                child<QAbstractItemView>(view)->model(), QAbstractItemModelTester::FailureReportingMode::Fatal));
        }
    }

    template<typename T>
    T* child(const char* name)
    {
        T* c = dialog->findChild<T*>(QString::fromLatin1(name));
        EXPECT_NE(c, nullptr) << name;
        return c;
    }

    void retype(QLineEdit* edit, const QString& text)
    {
        edit->clear();
        QTest::keyClicks(edit, text);
    }

    void retype(QPlainTextEdit* edit, const QString& text)
    {
        edit->clear();
        QTest::keyClicks(edit, text);
    }

    /// Clicks a check box or radio button on its indicator (a wide one ignores clicks past its text).
    void click(QAbstractButton* button)
    {
        QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(6, button->height() / 2));
    }

    /// Presses OK; true if the dialog accepted (and closed).
    bool pressOk()
    {
        QPushButton* ok = child<QDialogButtonBox>("buttonBox")->button(QDialogButtonBox::Ok);
        QTest::mouseClick(ok, Qt::LeftButton);
        return dialog->result() == QDialog::Accepted && !dialog->isVisible();
    }

    int rowOf(const char* list, const QString& text)
    {
        const auto items = child<QListWidget>(list)->findItems(text, Qt::MatchContains);
        return items.isEmpty() ? -1 : child<QListWidget>(list)->row(items.first());
    }

    void selectEndpoint(const QString& text)
    {
        const int row = rowOf("endpointList", text);
        ASSERT_GE(row, 0) << text.toStdString();
        child<QListWidget>("endpointList")->setCurrentRow(row);
    }

    void selectAgent(const QString& name)
    {
        dialog->showTab(SettingsDialog::Tab::Agents);
        const int row = rowOf("agentList", name);
        ASSERT_GE(row, 0) << name.toStdString();
        child<QListWidget>("agentList")->setCurrentRow(row);
    }

    bool problemShown(const char* label)
    {
        auto* l = child<QLabel>(label);
        return !l->isHidden() && !l->text().isEmpty();
    }

    std::unique_ptr<SettingsDialog> dialog;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
};

const EndpointEntry* findEndpoint(const SettingsValues& v, const QString& name)
{
    for (const EndpointEntry& e : v.endpoints) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

const tb::core::AgentDefinition* findAgent(const SettingsValues& v, const QString& name)
{
    for (const tb::core::AgentDefinition& a : v.agents) {
        if (a.name == name)
            return &a;
    }
    return nullptr;
}

TEST_F(SettingsDialogTest, EditsAUserProfileAddsOneAndRefusesInsecureHttp)
{
    open();
    selectEndpoint(u"Office GPU box"_s);
    retype(child<QLineEdit>("displayNameEdit"), u"Office box"_s);
    retype(child<QLineEdit>("baseUrlEdit"), u"https://llm.office.example/v1"_s);
    child<QSpinBox>("idleTimeoutSpin")->setValue(90);
    EXPECT_EQ(child<QListWidget>("endpointList")->currentItem()->text(), u"Office box"_s);

    QTest::mouseClick(child<QPushButton>("addEndpointButton"), Qt::LeftButton);
    retype(child<QLineEdit>("profileNameEdit"), u"lab"_s);
    retype(child<QLineEdit>("displayNameEdit"), u"Lab server"_s);
    child<QComboBox>("protocolCombo")->setCurrentIndex(child<QComboBox>("protocolCombo")->findText(u"Responses"_s));
    retype(child<QLineEdit>("endpointModelEdit"), u"qwen3"_s);
    retype(child<QLineEdit>("baseUrlEdit"), u"http://192.168.1.20:8080/v1"_s);
    child<QCheckBox>("usageInStreamCheck")->setChecked(false);

    // Plain http to another machine: refused, with the reason next to the URL field.
    EXPECT_FALSE(pressOk());
    EXPECT_TRUE(problemShown("baseUrlErrorLabel"));
    EXPECT_TRUE(child<QLabel>("baseUrlErrorLabel")->text().contains(u"192.168.1.20"_s));
    EXPECT_EQ(child<QTabWidget>("tabs")->currentWidget()->objectName(), u"endpointsTab"_s);
    EXPECT_EQ(child<QListWidget>("endpointList")->currentItem()->text(), u"Lab server"_s);

    // The user accepts the risk explicitly.
    click(child<QCheckBox>("insecureHttpCheck"));
    EXPECT_FALSE(problemShown("baseUrlErrorLabel"));
    ASSERT_TRUE(pressOk());

    const SettingsValues v = dialog->values();
    ASSERT_EQ(v.endpoints.size(), 2) << "built-in profiles are not returned";
    const EndpointEntry* office = findEndpoint(v, u"office"_s);
    ASSERT_NE(office, nullptr);
    EXPECT_EQ(office->displayName, u"Office box"_s);
    EXPECT_EQ(office->baseUrl, u"https://llm.office.example/v1"_s);
    EXPECT_EQ(office->idleTimeoutSeconds, 90);
    const EndpointEntry* lab = findEndpoint(v, u"lab"_s);
    ASSERT_NE(lab, nullptr);
    EXPECT_EQ(lab->displayName, u"Lab server"_s);
    EXPECT_EQ(lab->baseUrl, u"http://192.168.1.20:8080/v1"_s);
    EXPECT_TRUE(lab->responsesProtocol);
    EXPECT_EQ(lab->model, u"qwen3"_s);
    EXPECT_TRUE(lab->allowInsecureHttp);
    EXPECT_FALSE(lab->usageInStream);
    EXPECT_FALSE(lab->builtin);
}

TEST_F(SettingsDialogTest, ValidatesProfileNamesAndUrls)
{
    open();
    selectEndpoint(u"Office GPU box"_s);
    auto* url = child<QLineEdit>("baseUrlEdit");
    auto* insecure = child<QCheckBox>("insecureHttpCheck");
    insecure->setChecked(false);

    // Loopback needs no exception: 127.0.0.0/8, ::1 and localhost.
    for (const QString& ok : {u"http://localhost:1234/v1"_s, u"http://127.5.0.1/v1"_s, u"http://[::1]:8080/v1"_s,
                              u"http://127.1:9000/v1"_s, u"https://10.0.0.5/v1"_s}) {
        retype(url, ok);
        EXPECT_FALSE(problemShown("baseUrlErrorLabel")) << ok.toStdString();
    }
    for (const QString& bad : {u"http://example.com/v1"_s, u"http://128.0.0.1/v1"_s, u"ftp://files.example/v1"_s,
                               u"http:///v1"_s, u""_s, u"http://localhost.example.com/v1"_s}) {
        retype(url, bad);
        EXPECT_TRUE(problemShown("baseUrlErrorLabel")) << bad.toStdString();
        EXPECT_FALSE(pressOk()) << bad.toStdString();
    }
    retype(url, u"https://gpu.example/v1"_s);

    // IDs: non-empty and unique, case-insensitively (built-in IDs count).
    auto* name = child<QLineEdit>("profileNameEdit");
    retype(name, u"OpenAI"_s);
    EXPECT_TRUE(problemShown("profileNameErrorLabel"));
    EXPECT_FALSE(pressOk());
    name->clear();
    EXPECT_TRUE(problemShown("profileNameErrorLabel"));
    EXPECT_FALSE(pressOk());
    retype(name, u"gpu"_s);
    EXPECT_FALSE(problemShown("profileNameErrorLabel"));
    ASSERT_TRUE(pressOk());
    ASSERT_NE(findEndpoint(dialog->values(), u"gpu"_s), nullptr);
}

TEST_F(SettingsDialogTest, BuiltinProfilesAreReadOnlyAndCanBeDuplicated)
{
    open();
    auto* list = child<QListWidget>("endpointList");
    // The demo is called the offline demo in the list, the editor and the agents' profile choice.
    EXPECT_TRUE(list->item(0)->text().contains(u"offline demo"_s, Qt::CaseInsensitive));
    list->setCurrentRow(0);
    EXPECT_TRUE(child<QLabel>("endpointNoteLabel")->text().contains(u"offline demo"_s, Qt::CaseInsensitive));
    EXPECT_FALSE(child<QPushButton>("duplicateEndpointButton")->isEnabled());
    EXPECT_FALSE(child<QLineEdit>("apiKeyEdit")->isEnabled());
    auto* agentProfiles = child<QComboBox>("agentEndpointCombo");
    EXPECT_GE(agentProfiles->findText(u"offline demo"_s, Qt::MatchContains), 0);

    selectEndpoint(u"OpenAI"_s);
    auto* url = child<QLineEdit>("baseUrlEdit");
    EXPECT_TRUE(url->isReadOnly());
    EXPECT_TRUE(child<QLineEdit>("profileNameEdit")->isReadOnly());
    EXPECT_FALSE(child<QComboBox>("protocolCombo")->isEnabled());
    EXPECT_FALSE(child<QCheckBox>("insecureHttpCheck")->isEnabled());
    EXPECT_FALSE(child<QPushButton>("removeEndpointButton")->isEnabled());
    QTest::keyClicks(url, u"/evil"_s);
    EXPECT_EQ(url->text(), u"https://api.openai.com/v1"_s);

    QTest::mouseClick(child<QPushButton>("duplicateEndpointButton"), Qt::LeftButton);
    EXPECT_EQ(child<QLineEdit>("profileNameEdit")->text(), u"openai-copy"_s);
    EXPECT_FALSE(url->isReadOnly());
    EXPECT_TRUE(child<QPushButton>("removeEndpointButton")->isEnabled());
    retype(url, u"https://proxy.example/v1"_s);
    // Duplicating twice does not collide.
    selectEndpoint(u"OpenAI"_s);
    QTest::mouseClick(child<QPushButton>("duplicateEndpointButton"), Qt::LeftButton);
    EXPECT_EQ(child<QLineEdit>("profileNameEdit")->text(), u"openai-copy-2"_s);
    QTest::mouseClick(child<QPushButton>("removeEndpointButton"), Qt::LeftButton);

    ASSERT_TRUE(pressOk());
    const SettingsValues v = dialog->values();
    const EndpointEntry* copy = findEndpoint(v, u"openai-copy"_s);
    ASSERT_NE(copy, nullptr);
    EXPECT_FALSE(copy->builtin);
    EXPECT_EQ(copy->baseUrl, u"https://proxy.example/v1"_s);
    EXPECT_EQ(copy->apiKeyEnv, u"OPENAI_API_KEY"_s);
    EXPECT_EQ(findEndpoint(v, u"openai-copy-2"_s), nullptr);
    EXPECT_EQ(findEndpoint(v, u"openai"_s), nullptr);
}

TEST_F(SettingsDialogTest, TypedKeysGoToKeysToStoreAndNeverIntoValues)
{
    const QString officeKey = u"sk-office-7fb2c1"_s;
    const QString openaiKey = u"sk-openai-93ad05"_s;
    open();
    auto* key = child<QLineEdit>("apiKeyEdit");
    EXPECT_EQ(key->echoMode(), QLineEdit::Password);

    selectEndpoint(u"Office GPU box"_s);
    EXPECT_FALSE(key->isEnabled()) << "no keychain, nothing to store";
    click(child<QCheckBox>("keychainCheck"));
    ASSERT_TRUE(key->isEnabled());
    EXPECT_TRUE(key->text().isEmpty());
    QTest::keyClicks(key, officeKey);

    // A built-in keychain profile takes a key although it is otherwise read-only.
    selectEndpoint(u"OpenAI"_s);
    EXPECT_TRUE(key->text().isEmpty()) << "the dialog never shows a key of another profile";
    ASSERT_TRUE(key->isEnabled());
    QTest::keyClicks(key, openaiKey);
    selectEndpoint(u"Ollama"_s);
    EXPECT_FALSE(key->isEnabled());

    ASSERT_TRUE(pressOk());
    const auto keys = dialog->keysToStore();
    EXPECT_EQ(keys.size(), 2);
    EXPECT_TRUE(keys.contains(qMakePair(u"office"_s, officeKey)));
    EXPECT_TRUE(keys.contains(qMakePair(u"openai"_s, openaiKey)));

    const SettingsValues v = dialog->values();
    const EndpointEntry* office = findEndpoint(v, u"office"_s);
    ASSERT_NE(office, nullptr);
    EXPECT_TRUE(office->apiKeyInKeychain);
    for (const EndpointEntry& e : v.endpoints) {
        for (const QString& field : {e.name, e.displayName, e.baseUrl, e.model, e.apiKeyEnv}) {
            EXPECT_FALSE(field.contains(officeKey) || field.contains(openaiKey));
        }
    }
    for (const tb::core::AgentDefinition& a : v.agents)
        EXPECT_FALSE(a.toJsonText().contains("sk-"));
}

TEST_F(SettingsDialogTest, EditsAnAgentAndItsTools)
{
    open();
    selectAgent(u"Billing agent"_s);
    retype(child<QPlainTextEdit>("instructionsEdit"), u"Answer billing questions politely."_s);
    retype(child<QLineEdit>("agentModelEdit"), u"gpt-4.1"_s);
    auto* temperature = child<QDoubleSpinBox>("temperatureSpin");
    EXPECT_FALSE(temperature->isEnabled());
    click(child<QCheckBox>("temperatureCheck"));
    EXPECT_TRUE(temperature->isEnabled());
    temperature->setValue(0.3);
    child<QCheckBox>("maxTokensCheck")->setChecked(true);
    child<QSpinBox>("maxTokensSpin")->setValue(800);
    auto* profiles = child<QComboBox>("agentEndpointCombo");
    EXPECT_EQ(profiles->currentData().toString(), u"office"_s);
    profiles->setCurrentIndex(profiles->findData(u"ollama"_s));

    auto* tools = child<QTableWidget>("toolTable");
    ASSERT_EQ(tools->rowCount(), 1);
    EXPECT_EQ(tools->item(0, 1)->text(), u"Canned"_s);

    // A built-in tool from the menu, once only.
    child<QAction>("addBuiltinTool_check_order_status")->trigger();
    ASSERT_EQ(tools->rowCount(), 2);
    EXPECT_EQ(tools->item(1, 0)->text(), u"check_order_status"_s);
    EXPECT_TRUE(child<QPlainTextEdit>("schemaEdit")->isReadOnly()) << "a built-in's definition is fixed";
    child<QAction>("addBuiltinTool_check_order_status")->trigger();
    EXPECT_EQ(tools->rowCount(), 2);

    // A canned tool with its own schema; an invalid schema is refused next to the field.
    child<QAction>("addCannedToolAction")->trigger();
    ASSERT_EQ(tools->rowCount(), 3);
    EXPECT_EQ(child<QStackedWidget>("kindPages")->currentWidget()->objectName(), u"cannedPage"_s);
    retype(child<QLineEdit>("toolNameEdit"), u"refund_policy"_s);
    retype(child<QLineEdit>("toolDescriptionEdit"), u"The refund policy."_s);
    retype(child<QPlainTextEdit>("cannedOutputEdit"), u"Refunds within 30 days."_s);
    EXPECT_EQ(tools->item(2, 0)->text(), u"refund_policy"_s);
    EXPECT_TRUE(tools->item(2, 2)->text().contains(u"Refunds within 30 days."_s));
    auto* schema = child<QPlainTextEdit>("schemaEdit");
    EXPECT_FALSE(schema->isReadOnly());
    retype(schema, u"[1, 2]"_s);
    EXPECT_TRUE(problemShown("schemaErrorLabel"));
    EXPECT_FALSE(pressOk());
    retype(schema, u"{\"type\": \"object\", "_s);
    EXPECT_TRUE(problemShown("schemaErrorLabel"));
    EXPECT_FALSE(pressOk());
    EXPECT_EQ(tools->currentRow(), 2) << "the refused tool is selected";
    retype(schema, u"{\"type\": \"object\", \"properties\": {\"order_id\": {\"type\": \"string\"}}}"_s);
    EXPECT_FALSE(problemShown("schemaErrorLabel"));

    // The tool choice can name a tool; a name that is no tool is refused.
    auto* choice = child<QComboBox>("toolChoiceCombo");
    EXPECT_GE(choice->findText(u"refund_policy"_s), 0);
    retype(choice->lineEdit(), u"no_such_tool"_s);
    EXPECT_FALSE(pressOk());
    retype(choice->lineEdit(), u"required"_s);

    // Remove the first tool.
    tools->setCurrentCell(0, 0);
    QTest::mouseClick(child<QPushButton>("removeToolButton"), Qt::LeftButton);
    ASSERT_EQ(tools->rowCount(), 2);

    ASSERT_TRUE(pressOk());
    const SettingsValues v = dialog->values();
    const tb::core::AgentDefinition* billing = findAgent(v, u"Billing agent"_s);
    ASSERT_NE(billing, nullptr);
    EXPECT_EQ(billing->instructions, u"Answer billing questions politely."_s);
    EXPECT_EQ(billing->modelSettings.model, u"gpt-4.1"_s);
    EXPECT_EQ(billing->modelSettings.temperature, std::optional<double>(0.3));
    EXPECT_EQ(billing->modelSettings.maxOutputTokens, std::optional<qint64>(800));
    EXPECT_EQ(billing->modelSettings.toolChoice, u"required"_s);
    EXPECT_EQ(billing->endpointProfile, u"ollama"_s);
    ASSERT_EQ(billing->tools.size(), 2);
    EXPECT_EQ(billing->tools[0].definition.name, u"check_order_status"_s);
    EXPECT_EQ(billing->tools[0].implementation.kind, tb::core::ToolImplementation::Kind::Builtin);
    const tb::core::ToolBinding& refund = billing->tools[1];
    EXPECT_EQ(refund.definition.name, u"refund_policy"_s);
    EXPECT_EQ(refund.definition.description, u"The refund policy."_s);
    EXPECT_EQ(refund.implementation.kind, tb::core::ToolImplementation::Kind::Canned);
    EXPECT_EQ(refund.implementation.cannedOutput, u"Refunds within 30 days."_s);
    EXPECT_EQ(refund.definition.parameters[u"properties"][u"order_id"][u"type"].toString(), u"string"_s);
    EXPECT_TRUE(billing->validate().has_value());
    EXPECT_TRUE(dialog->removedAgents().isEmpty());
    // The other agent is returned untouched.
    EXPECT_EQ(*findAgent(v, tb::core::AgentDefinition::defaultSupportAgent().name),
              tb::core::AgentDefinition::defaultSupportAgent());
}

TEST_F(SettingsDialogTest, CommandAndAskAnalystToolsKeepTheirFields)
{
    open();
    selectAgent(u"Billing agent"_s);
    child<QAction>("addCommandToolAction")->trigger();
    EXPECT_EQ(child<QLineEdit>("toolNameEdit")->text(), u"command_tool"_s);
    EXPECT_FALSE(pressOk()) << "a command tool needs a program";
    EXPECT_TRUE(problemShown("toolErrorLabel"));
    QTest::keyClicks(child<QLineEdit>("programEdit"), u"/usr/bin/python3"_s);
    auto* arguments = child<QPlainTextEdit>("argumentsEdit");
    QTest::keyClicks(arguments, u"tools/stock.py"_s);
    QTest::keyClick(arguments, Qt::Key_Return);
    QTest::keyClicks(arguments, u"--json"_s);
    child<QSpinBox>("timeoutSpin")->setValue(5000);
    QTest::keyClicks(child<QLineEdit>("workingDirectoryEdit"), u"/srv/tools"_s);
    child<QAction>("addAskAnalystToolAction")->trigger();
    QTest::keyClicks(child<QPlainTextEdit>("promptEdit"), u"Check the warehouse."_s);
    child<QAction>("addReplayToolAction")->trigger();
    ASSERT_TRUE(pressOk());

    const tb::core::AgentDefinition* billing = findAgent(dialog->values(), u"Billing agent"_s);
    ASSERT_NE(billing, nullptr);
    ASSERT_EQ(billing->tools.size(), 4);
    const tb::core::ToolImplementation& command = billing->tools[1].implementation;
    EXPECT_EQ(command.kind, tb::core::ToolImplementation::Kind::Command);
    EXPECT_EQ(command.program, u"/usr/bin/python3"_s);
    EXPECT_EQ(command.arguments, (QStringList{u"tools/stock.py"_s, u"--json"_s}));
    EXPECT_EQ(command.timeoutMs, 5000);
    EXPECT_EQ(command.workingDirectory, u"/srv/tools"_s);
    EXPECT_EQ(billing->tools[2].definition.name, u"ask_analyst"_s);
    EXPECT_EQ(billing->tools[2].implementation.prompt, u"Check the warehouse."_s);
    EXPECT_EQ(billing->tools[3].implementation.kind, tb::core::ToolImplementation::Kind::Replay);
    EXPECT_TRUE(billing->validate().has_value());
}

TEST_F(SettingsDialogTest, RefusesDuplicateAndInvalidNames)
{
    open();
    selectAgent(u"Billing agent"_s);
    auto* name = child<QLineEdit>("agentNameEdit");
    retype(name, u"customer SUPPORT agent"_s);
    EXPECT_TRUE(problemShown("agentErrorLabel"));
    EXPECT_FALSE(pressOk());
    name->clear();
    EXPECT_FALSE(pressOk());
    EXPECT_TRUE(problemShown("agentErrorLabel"));
    retype(name, u"Billing"_s);
    EXPECT_FALSE(problemShown("agentErrorLabel"));

    child<QAction>("addCannedToolAction")->trigger();
    auto* toolName = child<QLineEdit>("toolNameEdit");
    retype(toolName, u"lookup_invoice"_s);
    EXPECT_TRUE(problemShown("toolErrorLabel"));
    EXPECT_FALSE(pressOk());
    retype(toolName, u"bad name!"_s);
    EXPECT_FALSE(pressOk());
    EXPECT_TRUE(problemShown("toolErrorLabel"));
    retype(toolName, QString(65, u'x'));
    EXPECT_FALSE(pressOk());
    retype(toolName, u"tax-rates_2"_s);
    EXPECT_FALSE(problemShown("toolErrorLabel"));
    ASSERT_TRUE(pressOk());
    EXPECT_EQ(dialog->removedAgents(), QStringList{u"Billing agent"_s}) << "renamed: the old name goes";
}

TEST_F(SettingsDialogTest, RemovingAnAgentReportsItAndResetRestoresTheSupportAgent)
{
    open();
    const tb::core::AgentDefinition support = tb::core::AgentDefinition::defaultSupportAgent();
    selectAgent(u"Billing agent"_s);
    QTest::mouseClick(child<QPushButton>("removeAgentButton"), Qt::LeftButton);
    EXPECT_EQ(child<QListWidget>("agentList")->count(), 1);

    // Spoil the support agent, then reset it.
    selectAgent(support.name);
    retype(child<QPlainTextEdit>("instructionsEdit"), u"Be rude."_s);
    child<QTableWidget>("toolTable")->setCurrentCell(0, 0);
    QTest::mouseClick(child<QPushButton>("removeToolButton"), Qt::LeftButton);
    QTest::mouseClick(child<QPushButton>("resetAgentButton"), Qt::LeftButton);
    EXPECT_EQ(child<QPlainTextEdit>("instructionsEdit")->toPlainText(), support.instructions);
    EXPECT_EQ(child<QTableWidget>("toolTable")->rowCount(), support.tools.size());

    // Add and duplicate agents; a new agent's name is unique.
    QTest::mouseClick(child<QPushButton>("addAgentButton"), Qt::LeftButton);
    EXPECT_EQ(child<QLineEdit>("agentNameEdit")->text(), u"New agent"_s);
    QTest::mouseClick(child<QPushButton>("duplicateAgentButton"), Qt::LeftButton);
    EXPECT_EQ(child<QLineEdit>("agentNameEdit")->text(), u"New agent (copy)"_s);

    ASSERT_TRUE(pressOk());
    EXPECT_EQ(dialog->removedAgents(), QStringList{u"Billing agent"_s});
    const SettingsValues v = dialog->values();
    ASSERT_EQ(v.agents.size(), 3);
    EXPECT_EQ(v.agents[0], support);
    EXPECT_EQ(v.agents[1].name, u"New agent"_s);
    EXPECT_EQ(v.agents[1].endpointProfile, u"demo"_s);
}

TEST_F(SettingsDialogTest, RenamingAProfileTakesItsAgentsAlong)
{
    open();
    selectEndpoint(u"Office GPU box"_s);
    auto* name = child<QLineEdit>("profileNameEdit");
    retype(name, u"gpu-office"_s);
    Q_EMIT name->editingFinished();
    selectAgent(u"Billing agent"_s);
    EXPECT_EQ(child<QComboBox>("agentEndpointCombo")->currentData().toString(), u"gpu-office"_s);
    ASSERT_TRUE(pressOk());
    EXPECT_EQ(findAgent(dialog->values(), u"Billing agent"_s)->endpointProfile, u"gpu-office"_s);
}

TEST_F(SettingsDialogTest, ReadOnlyDatabaseDisablesAgentEditing)
{
    const SettingsValues input = sampleValues();
    open(input, false);
    dialog->showTab(SettingsDialog::Tab::Agents);
    EXPECT_FALSE(child<QLabel>("agentsReadOnlyLabel")->isHidden());
    for (const char* button : {"addAgentButton", "duplicateAgentButton", "removeAgentButton", "resetAgentButton",
                               "addBuiltinToolButton", "addToolButton", "removeToolButton"})
        EXPECT_FALSE(child<QPushButton>(button)->isEnabled()) << button;
    EXPECT_TRUE(child<QListWidget>("agentList")->isEnabled()) << "agents can still be looked at";
    selectAgent(u"Billing agent"_s);
    auto* name = child<QLineEdit>("agentNameEdit");
    EXPECT_TRUE(name->isReadOnly());
    QTest::keyClicks(name, u"X"_s);
    QTest::keyClicks(child<QPlainTextEdit>("instructionsEdit"), u"more"_s);
    EXPECT_FALSE(child<QComboBox>("agentEndpointCombo")->isEnabled());
    EXPECT_TRUE(child<QPlainTextEdit>("cannedOutputEdit")->isReadOnly());
    // Endpoints and appearance stay editable.
    selectEndpoint(u"Office GPU box"_s);
    EXPECT_FALSE(child<QLineEdit>("baseUrlEdit")->isReadOnly());

    ASSERT_TRUE(pressOk());
    EXPECT_EQ(dialog->values().agents, input.agents);
    EXPECT_TRUE(dialog->removedAgents().isEmpty());
}

TEST_F(SettingsDialogTest, AppearanceRoundTrip)
{
    open();
    dialog->showTab(SettingsDialog::Tab::Appearance);
    EXPECT_EQ(child<QTabWidget>("tabs")->currentWidget()->objectName(), u"appearanceTab"_s);
    EXPECT_TRUE(child<QRadioButton>("darkPaletteRadio")->isChecked());
    auto* size = child<QSpinBox>("fontSizeSpin");
    EXPECT_EQ(size->value(), 13);
    click(child<QRadioButton>("lightPaletteRadio"));
    size->setValue(0);
    EXPECT_EQ(size->text(), u"System default"_s);
    ASSERT_TRUE(pressOk());
    EXPECT_EQ(dialog->values().appearance.palette, PaletteChoice::Light);
    EXPECT_EQ(dialog->values().appearance.conversationFontSize, 0);

    SettingsValues v = sampleValues();
    v.appearance = {};
    open(v);
    EXPECT_TRUE(child<QRadioButton>("systemPaletteRadio")->isChecked());
    ASSERT_TRUE(pressOk());
    EXPECT_EQ(dialog->values().appearance, tb::ui::AppearanceSettings{});
}

TEST_F(SettingsDialogTest, EveryControlIsNamedAndReachableByKeyboard)
{
    open();
    int checked = 0;
    for (QWidget* w : dialog->findChildren<QWidget*>()) {
        const bool interactive = qobject_cast<QAbstractButton*>(w) || qobject_cast<QLineEdit*>(w)
                                 || qobject_cast<QPlainTextEdit*>(w) || qobject_cast<QComboBox*>(w)
                                 || qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QAbstractItemView*>(w)
                                 || qobject_cast<QTabWidget*>(w);
        // Parts of a composite Qt control (a spin box's editor, a line edit's clear button, a combo box's
        // popup list, a table's corner button) are named by the control itself.
        bool qtInternal = false;
        for (QWidget* p = w->parentWidget(); p && p != dialog.get(); p = p->parentWidget()) {
            qtInternal = qtInternal || qobject_cast<QAbstractSpinBox*>(p) || qobject_cast<QLineEdit*>(p)
                         || qobject_cast<QComboBox*>(p) || qobject_cast<QAbstractItemView*>(p);
        }
        if (!interactive || qtInternal)
            continue;
        ++checked;
        EXPECT_FALSE(w->objectName().isEmpty()) << w->metaObject()->className();
        EXPECT_FALSE(w->accessibleName().isEmpty()) << qPrintable(w->objectName());
    }
    EXPECT_GT(checked, 40);
    // Every label with a mnemonic has a buddy.
    for (QLabel* label : dialog->findChildren<QLabel*>()) {
        if (label->text().contains(u'&')) {
            EXPECT_NE(label->buddy(), nullptr) << qPrintable(label->objectName());
        }
    }
    // Tab moves through the endpoint editor in reading order.
    dialog->activateWindow(); // under Xvfb without a window manager nothing else activates it
    ASSERT_TRUE(QTest::qWaitForWindowActive(dialog.get()));
    selectEndpoint(u"Office GPU box"_s);
    auto* display = child<QLineEdit>("displayNameEdit");
    display->setFocus();
    for (const char* next : {"profileNameEdit", "baseUrlEdit", "protocolCombo", "endpointModelEdit"}) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        EXPECT_EQ(QApplication::focusWidget()->objectName(), QString::fromLatin1(next));
    }
}

} // namespace
