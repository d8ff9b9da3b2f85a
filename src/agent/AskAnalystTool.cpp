// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "AskAnalystTool.h"

#include "AnalystPrompter.h"

#include <QPointer>
#include <QTimer>

namespace tb::agent {

namespace {

/// Waits for the analyst's answer; cancelling the run withdraws the question.
class AskAnalystRun final : public ToolRun
{
public:
    explicit AskAnalystRun(QObject* parent)
        : ToolRun(parent)
    {}

    void wait(AnalystAnswer* answer)
    {
        m_answer = answer;
        if (answer->isFinished()) {
            // A prompter that answered inside ask(): deliver later, after start() returned.
            QTimer::singleShot(0, this, [this, answer] { deliver(answer); });
            return;
        }
        QObject::connect(answer, &AnalystAnswer::finished, this, [this, answer] { deliver(answer); });
    }

    void cancel() override
    {
        if (m_answer) {
            QObject::disconnect(m_answer, nullptr, this, nullptr);
            m_answer->cancel();
        }
        ToolRun::cancel();
    }

private:
    void deliver(AnalystAnswer* answer)
    {
        if (answer->result())
            finish(core::Json(answer->result().value()));
        else
            finish(core::Json(Tool::failureOutput(answer->result().error().message)));
    }

    QPointer<AnalystAnswer> m_answer;
};

} // namespace

ToolRun* AskAnalystTool::start(const ToolInvocation& call, QObject* parent)
{
    if (!m_prompter) {
        return ToolRun::completed(
            core::Json(failureOutput(QStringLiteral("no analyst is available to answer this tool"))), parent);
    }
    AnalystQuestion q;
    q.sessionId = call.sessionId;
    q.branchId = call.branchId;
    q.toolName = call.name;
    q.callId = call.callId;
    q.argumentsText = call.argumentsText;
    q.prompt = m_prompt;
    auto* run = new AskAnalystRun(parent);
    run->wait(m_prompter->ask(q, run));
    return run;
}

} // namespace tb::agent
