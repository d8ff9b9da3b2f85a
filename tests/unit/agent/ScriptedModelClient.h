// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

// A core::ModelClient that plays a script: each start() takes the next scripted reply, streams
// its deltas on later event-loop passes and finishes with the reply or the scripted error.
// Requests are recorded so tests can check what the Runner sent.

#include "core/ModelClient.h"

#include <QList>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace tb::test::agent {

struct ScriptedReply
{
    QList<core::Json> output;
    core::RunUsage usage;
    QStringList textDeltas;           // streamed before the reply finishes
    std::optional<core::Error> error; // finish with this error instead
    bool hang = false;                // never finish (until cancelled)
    QString model = QStringLiteral("threadbench-demo");
    qint64 latencyMs = 40;
    std::optional<qint64> ttftMs = 12;
};

class ScriptedModelCall final : public core::ModelCall
{
public:
    explicit ScriptedModelCall(QObject* parent)
        : core::ModelCall(parent)
    {}

    void play(ScriptedReply reply)
    {
        // One pass per delta, then the end: the Runner sees a real stream's ordering.
        QTimer::singleShot(0, this, [this, reply] {
            if (isFinished())
                return;
            for (const QString& d : reply.textDeltas)
                Q_EMIT textDelta(QStringLiteral("msg_stream"), d);
            if (reply.hang)
                return;
            QTimer::singleShot(0, this, [this, reply] {
                if (reply.error) {
                    finish(*reply.error);
                    return;
                }
                core::ModelReply r;
                r.output = reply.output;
                r.usage = reply.usage;
                r.usageKnown = true;
                r.model = reply.model;
                r.finishReason = QStringLiteral("stop");
                r.latencyMs = reply.latencyMs;
                r.timeToFirstTokenMs = reply.ttftMs;
                finish(r);
            });
        });
    }

    void cancel() override
    {
        cancelled = true;
        finish(core::Error::make(core::Error::Code::Cancelled, QStringLiteral("Request cancelled")));
    }

    bool cancelled = false;
};

class ScriptedModelClient final : public core::ModelClient
{
public:
    core::ModelCall* start(const core::ModelRequest& request, QObject* parent) override
    {
        requests << request;
        auto* call = new ScriptedModelCall(parent);
        calls << call;
        if (script.isEmpty()) {
            ScriptedReply none;
            none.error = core::Error::make(core::Error::Code::Protocol, QStringLiteral("script exhausted"));
            call->play(none);
        } else {
            call->play(script.takeFirst());
        }
        return call;
    }

    QString endpointName() const override { return QStringLiteral("scripted"); }

    QList<ScriptedReply> script;
    QList<core::ModelRequest> requests;
    QList<QPointer<ScriptedModelCall>> calls;
};

} // namespace tb::test::agent
