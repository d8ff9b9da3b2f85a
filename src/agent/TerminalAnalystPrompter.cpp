// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "TerminalAnalystPrompter.h"

#include <QIODevice>
#include <QTimer>

namespace tb::agent {

QString TerminalAnalystPrompter::questionText(const AnalystQuestion& q)
{
    QString text = QStringLiteral("\nThe agent asks you to answer %1 (call %2) with arguments %3\n")
                       .arg(q.toolName, q.callId, q.argumentsText);
    if (!q.prompt.isEmpty())
        text += q.prompt + u'\n';
    text += QStringLiteral("Your answer (one line; an empty line declines): ");
    return text;
}

AnalystAnswer* TerminalAnalystPrompter::ask(const AnalystQuestion& question, QObject* parent)
{
    auto* answer = new AnalystAnswer(parent);
    // Deferred: ask() must return before the answer arrives.
    QTimer::singleShot(0, answer, [this, answer, question] {
        m_output.write(questionText(question).toUtf8());
        const QByteArray line = m_input.readLine();
        if (line.isEmpty()) {
            answer->finish(core::Error::make(core::Error::Code::Cancelled, QStringLiteral("No answer: end of input")));
            return;
        }
        QString text = QString::fromUtf8(line);
        while (text.endsWith(u'\n') || text.endsWith(u'\r'))
            text.chop(1);
        if (text.trimmed().isEmpty()) {
            answer->finish(
                core::Error::make(core::Error::Code::Cancelled, QStringLiteral("The analyst declined to answer")));
            return;
        }
        answer->finish(text);
    });
    return answer;
}

} // namespace tb::agent
