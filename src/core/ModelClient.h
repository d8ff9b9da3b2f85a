// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "ModelTypes.h"
#include "Result.h"

#include <QObject>

namespace tb::core {

/// One model request in flight. It reports progress as signals and ends with exactly one
/// `finished()`, after which result() holds the reply or the typed error (never text inside a
/// message). cancel() may be called at any moment; it ends the call with Error::Code::Cancelled.
class ModelCall : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~ModelCall() override = default;

    virtual void cancel() = 0;
    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] const Result<ModelReply>& result() const { return m_result; }

Q_SIGNALS:
    /// Assistant text as it streams (output item id may be empty for Chat Completions).
    void textDelta(const QString& itemId, const QString& delta);
    void refusalDelta(const QString& itemId, const QString& delta);
    void reasoningDelta(const QString& itemId, const QString& delta);
    /// A tool call began (name known) / its argument text grew.
    void toolCallStarted(const QString& callId, const QString& name);
    void toolCallArgumentsDelta(const QString& callId, const QString& delta);
    void usageReceived(const tb::core::RunUsage& usage);
    /// A retryable failure; the client waits `delayMs` and tries again (attempt counts from 1).
    void retrying(int attempt, qint64 delayMs, const QString& reason);
    void finished();

protected:
    /// Implementations call this exactly once.
    void finish(Result<ModelReply> result)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_result = std::move(result);
        Q_EMIT finished();
    }

private:
    bool m_finished = false;
    Result<ModelReply> m_result = Error::make(Error::Code::Cancelled, QStringLiteral("not finished"));
};

/// Something that answers model requests: an OpenAI-compatible endpoint over HTTP, or a fake in
/// tests. The caller owns the returned call (parented to `parent`).
class ModelClient
{
public:
    virtual ~ModelClient() = default;
    virtual ModelCall* start(const ModelRequest& request, QObject* parent) = 0;
    /// Endpoint and model for humans and for per-request usage rows ("demo", a URL ...).
    [[nodiscard]] virtual QString endpointName() const = 0;
};

} // namespace tb::core
