// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "SettingsTypes.h"

#include <QDialog>
#include <QList>
#include <QPair>
#include <QStringList>

#include <memory>

namespace Ui {
class SettingsDialog;
}

namespace tb::ui {

/// The workbench settings: endpoint profiles, agents and appearance, on three tabs.
///
/// It edits copies and returns values; it saves nothing (house-style §2). The caller stores
/// values().endpoints (user profiles only), saves values().agents and deletes removedAgents(), and
/// puts keysToStore() into the keychain. Built-in endpoint profiles are shown read-only; they can be
/// duplicated into an editable user profile. accept() refuses invalid input and points at the field.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Tab {
        Endpoints,
        Agents,
        Appearance
    };

    /// agentsWritable false (a read-only database) shows the agents without letting them change.
    SettingsDialog(const SettingsValues& values, bool agentsWritable, QWidget* parent = nullptr);
    ~SettingsDialog() override;

    void showTab(Tab tab);

    /// Endpoints: the user profiles (builtin == false); agents: the whole edited list.
    [[nodiscard]] SettingsValues values() const;
    /// Profile name → key typed for it, for keychain profiles whose key field was filled. Keys never
    /// appear in values().
    [[nodiscard]] QList<QPair<QString, QString>> keysToStore() const;
    /// Names of input agents that no longer exist under that name (removed, or renamed).
    [[nodiscard]] QStringList removedAgents() const;

    /// Accepts only when every profile and agent is valid; otherwise shows the first problem next
    /// to its field, selects that profile / agent / tool and focuses the field.
    void accept() override;

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct EndpointRow
    {
        EndpointEntry entry;
        QString newKey;      // typed in this dialog; never a stored key
        QString renamedFrom; // name agents may still refer to (propagated when the name settles)
    };
    struct AgentRow
    {
        core::AgentDefinition definition;
        QStringList schemaTexts; // per tool, as typed; definition.tools[i].parameters is the last valid one
    };
    struct EndpointProblems
    {
        QString name;
        QString url;
    };

    void fitScrollWidths();

    // Endpoints tab
    void fillEndpointList();
    void loadEndpoint(int row);
    void storeEndpoint();
    void updateEndpointState();
    void showEndpointProblems(const EndpointProblems& problems);
    [[nodiscard]] EndpointProblems endpointProblems(int row) const;
    [[nodiscard]] QString endpointListText(const EndpointEntry& entry) const;
    [[nodiscard]] bool keyEditable(const EndpointRow& row) const;
    void addEndpoint(const EndpointEntry& entry);
    void duplicateEndpoint();
    void removeEndpoint();
    void propagateRenames();

    // Agents tab
    void fillAgentList();
    void loadAgent(int row);
    void storeAgent();
    void fillEndpointCombo(const QString& selected);
    void fillToolChoiceItems();
    void fillToolTable();
    void updateToolRow(int row);
    void loadTool(int row);
    void storeTool();
    void updateAgentButtons();
    void addAgent(const core::AgentDefinition& definition);
    void duplicateAgent();
    void removeAgent();
    void resetSupportAgent();
    void addBuiltinTool(const QString& builtinName);
    void addTool(core::ToolImplementation::Kind kind);
    void appendTool(const core::ToolBinding& binding);
    void removeTool();
    [[nodiscard]] bool validateAgents();

    [[nodiscard]] AgentRow* currentAgent();
    [[nodiscard]] core::ToolBinding* currentTool();

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    QList<EndpointRow> m_endpoints;
    QList<AgentRow> m_agents;
    QStringList m_inputAgentNames;
    bool m_agentsWritable = true;
    bool m_loading = false; // set while editors are filled from data: their change signals are not edits
    int m_endpointRow = -1;
    int m_agentRow = -1;
    int m_toolRow = -1;
};

} // namespace tb::ui
