// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Tool.h"

namespace tb::agent {

class AnalystPrompter;

/// A tool whose output the analyst types: the call is shown through an AnalystPrompter (a GUI
/// dialog, the CLI terminal) and the answer goes back to the model. Declining, or having no
/// prompter at all, answers the model with the SDK's tool-failure text.
class AskAnalystTool final : public Tool
{
public:
    AskAnalystTool(core::ToolDefinition definition, QString prompt, AnalystPrompter* prompter)
        : Tool(std::move(definition))
        , m_prompt(std::move(prompt))
        , m_prompter(prompter)
    {}

    ToolRun* start(const ToolInvocation& call, QObject* parent) override;

private:
    QString m_prompt;
    AnalystPrompter* m_prompter;
};

} // namespace tb::agent
