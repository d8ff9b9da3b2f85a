// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Tool.h"

#include <QStringList>

namespace tb::agent {

/// A tool answered by an external program: the call's arguments JSON goes to its stdin, its
/// stdout (UTF-8, trailing line breaks removed) is the output. A program that cannot start, exits
/// with a non-zero code or crashes answers with the SDK's tool-failure text naming the cause (and
/// the end of its stderr); one that runs past the timeout is killed and answers with the SDK's
/// timeout text.
class CommandTool final : public Tool
{
public:
    CommandTool(core::ToolDefinition definition, QString program, QStringList arguments, qint64 timeoutMs,
                QString workingDirectory)
        : Tool(std::move(definition))
        , m_program(std::move(program))
        , m_arguments(std::move(arguments))
        , m_timeoutMs(timeoutMs)
        , m_workingDirectory(std::move(workingDirectory))
    {}

    ToolRun* start(const ToolInvocation& call, QObject* parent) override;

private:
    QString m_program;
    QStringList m_arguments;
    qint64 m_timeoutMs;
    QString m_workingDirectory;
};

} // namespace tb::agent
