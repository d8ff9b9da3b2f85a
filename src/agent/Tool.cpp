// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "Tool.h"

#include <QTimer>

namespace tb::agent {

void ToolRun::cancel()
{
    finish(core::Error::make(core::Error::Code::Cancelled, QStringLiteral("Tool call cancelled")));
}

void ToolRun::finish(core::Result<core::Json> result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = std::move(result);
    Q_EMIT finished();
}

ToolRun* ToolRun::completed(core::Json output, QObject* parent)
{
    auto* run = new ToolRun(parent);
    QTimer::singleShot(0, run, [run, output = std::move(output)]() mutable { run->finish(std::move(output)); });
    return run;
}

QString Tool::failureOutput(const QString& error)
{
    return QStringLiteral("An error occurred while running the tool. Please try again. Error: ") + error;
}

QString Tool::timeoutOutput(const QString& toolName, double seconds)
{
    // Python's "{:g}" is C's %g with 6 significant digits.
    return QStringLiteral("Tool '%1' timed out after %2 seconds.").arg(toolName, QString::number(seconds, 'g', 6));
}

} // namespace tb::agent
