// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Result.h"

#include <QObject>
#include <QString>

namespace tb::agent {

/// What an "ask the analyst" tool call shows the analyst.
struct AnalystQuestion
{
    QString sessionId;
    QString branchId;
    QString toolName;
    QString callId;
    QString argumentsText; // the model's arguments JSON
    QString prompt;        // the tool's prompt text from the agent definition (may be empty)
};

/// The analyst's answer on its way. Ends with exactly one finished(): result() holds the text the
/// tool returns to the model, or an error when the analyst declined (Error::Code::Cancelled) or
/// could not be asked.
class AnalystAnswer : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~AnalystAnswer() override = default;

    /// The run no longer needs the answer (run cancelled): close the dialog / stop waiting.
    /// finished() follows with Error::Code::Cancelled unless the answer is already in.
    virtual void cancel()
    {
        finish(core::Error::make(core::Error::Code::Cancelled, QStringLiteral("The analyst was not asked")));
    }
    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] const core::Result<QString>& result() const { return m_result; }

    /// Delivers the answer (or the refusal); later calls are ignored. Public so a dialog or a
    /// test can answer without subclassing.
    void finish(core::Result<QString> result)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_result = std::move(result);
        Q_EMIT finished();
    }

Q_SIGNALS:
    void finished();

private:
    bool m_finished = false;
    core::Result<QString> m_result = core::Error::make(core::Error::Code::Cancelled, QStringLiteral("not answered"));
};

/// Who answers "ask the analyst" tools: the GUI opens a dialog, the CLI reads the terminal, tests
/// script it. ask() must not block until the answer is in (the GUI keeps painting streamed text
/// meanwhile) and must not emit finished() before it returned.
class AnalystPrompter
{
public:
    virtual ~AnalystPrompter() = default;
    virtual AnalystAnswer* ask(const AnalystQuestion& question, QObject* parent) = 0;
};

} // namespace tb::agent
