// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "CommandTool.h"

#include <QProcess>
#include <QTimer>

namespace tb::agent {

namespace {

constexpr qsizetype kStderrTail = 2000; // enough to see the error, not a whole log in the item

/// One process per call, so parallel calls of the same tool do not share stdin/stdout.
class CommandRun final : public ToolRun
{
public:
    CommandRun(QObject* parent, QString toolName, QString program, qint64 timeoutMs)
        : ToolRun(parent)
        , m_toolName(std::move(toolName))
        , m_program(std::move(program))
        , m_timeoutMs(timeoutMs)
    {}

    void begin(const QStringList& arguments, const QString& workingDirectory, QByteArray input)
    {
        m_process = new QProcess(this);
        m_process->setProgram(m_program);
        m_process->setArguments(arguments);
        if (!workingDirectory.isEmpty())
            m_process->setWorkingDirectory(workingDirectory);
        connect(m_process, &QProcess::started, this, [this, input] {
            m_process->write(input);
            m_process->closeWriteChannel();
        });
        connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart) {
                m_timer.stop();
                finish(core::Json(Tool::failureOutput(
                    QStringLiteral("command '%1' could not be started: %2").arg(m_program, m_process->errorString()))));
            }
        });
        connect(m_process, &QProcess::finished, this, &CommandRun::processFinished);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_timedOut = true;
            m_process->kill();
        });
        // Started on the next pass: QProcess may report FailedToStart from inside start(), and
        // finished() must not fire before the caller connected to it.
        QTimer::singleShot(0, this, [this] {
            if (isFinished())
                return;
            m_timer.start(std::chrono::milliseconds(m_timeoutMs));
            m_process->start();
        });
    }

    void cancel() override
    {
        m_timer.stop();
        if (m_process) {
            disconnect(m_process, nullptr, this, nullptr);
            m_process->kill();
        }
        ToolRun::cancel();
    }

private:
    void processFinished(int exitCode, QProcess::ExitStatus status)
    {
        m_timer.stop();
        if (m_timedOut) {
            finish(core::Json(Tool::timeoutOutput(m_toolName, double(m_timeoutMs) / 1000.0)));
            return;
        }
        QString stderrText = QString::fromUtf8(m_process->readAllStandardError()).trimmed();
        if (stderrText.size() > kStderrTail)
            stderrText = QStringLiteral("…") + stderrText.right(kStderrTail);
        const QString detail = stderrText.isEmpty() ? QString() : QStringLiteral(": ") + stderrText;
        if (status == QProcess::CrashExit) {
            finish(core::Json(Tool::failureOutput(QStringLiteral("command '%1' crashed%2").arg(m_program, detail))));
            return;
        }
        if (exitCode != 0) {
            finish(core::Json(Tool::failureOutput(QStringLiteral("command '%1' exited with code %2%3")
                                                      .arg(m_program, QString::number(exitCode), detail))));
            return;
        }
        QString out = QString::fromUtf8(m_process->readAllStandardOutput());
        while (out.endsWith(u'\n') || out.endsWith(u'\r'))
            out.chop(1);
        finish(core::Json(out));
    }

    QString m_toolName;
    QString m_program;
    qint64 m_timeoutMs;
    QProcess* m_process = nullptr;
    QTimer m_timer;
    bool m_timedOut = false;
};

} // namespace

ToolRun* CommandTool::start(const ToolInvocation& call, QObject* parent)
{
    auto* run = new CommandRun(parent, call.name, m_program, m_timeoutMs);
    // The model's own argument text (already checked to be a JSON object); "{}" when it sent none.
    const QString input = call.argumentsText.isEmpty() ? QStringLiteral("{}") : call.argumentsText;
    run->begin(m_arguments, m_workingDirectory, input.toUtf8());
    return run;
}

} // namespace tb::agent
