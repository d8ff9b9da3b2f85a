// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

// Helpers shared by the net tests: a recorder for every ModelCall signal and a runner that waits
// for the single finished().

#include "core/ModelClient.h"
#include "net/EndpointProfile.h"
#include "net/OpenAiClient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPair>
#include <QSignalSpy>
#include <QString>
#include <QStringList>
#include <QTest>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <tuple>

namespace tb::test {

/// Everything a call reported, in order.
struct CallRecord
{
    QString text;
    QString refusal;
    QString reasoning;
    int textDeltas = 0;
    int refusalDeltas = 0;
    QList<QPair<QString, QString>> started; // (call id, name)
    QMap<QString, QString> arguments;       // call id → concatenated argument deltas
    QMap<QString, int> argumentDeltas;      // call id → number of non-empty deltas
    int usageSignals = 0;
    QList<std::tuple<int, qint64, QString>> retries;
    int finishedCount = 0;
    bool deltaAfterFinish = false;
    qint64 elapsedMs = 0;
};

/// Connects a recorder to `call`; `onSignal` runs after each delta (tests cancel from it).
inline std::shared_ptr<CallRecord> record(core::ModelCall* call, std::function<void()> onDelta = {})
{
    auto r = std::make_shared<CallRecord>();
    auto delta = [r, call, onDelta] {
        if (call->isFinished() && r->finishedCount > 0)
            r->deltaAfterFinish = true;
        if (onDelta)
            onDelta();
    };
    QObject::connect(call, &core::ModelCall::textDelta, call, [r, delta](const QString&, const QString& d) {
        r->text += d;
        ++r->textDeltas;
        delta();
    });
    QObject::connect(call, &core::ModelCall::refusalDelta, call, [r, delta](const QString&, const QString& d) {
        r->refusal += d;
        ++r->refusalDeltas;
        delta();
    });
    QObject::connect(call, &core::ModelCall::reasoningDelta, call, [r, delta](const QString&, const QString& d) {
        r->reasoning += d;
        delta();
    });
    QObject::connect(call, &core::ModelCall::toolCallStarted, call, [r, delta](const QString& id, const QString& name) {
        r->started.append({id, name});
        delta();
    });
    QObject::connect(call, &core::ModelCall::toolCallArgumentsDelta, call,
                     [r, delta](const QString& id, const QString& d) {
                         r->arguments[id] += d;
                         if (!d.isEmpty())
                             ++r->argumentDeltas[id];
                         delta();
                     });
    QObject::connect(call, &core::ModelCall::usageReceived, call, [r](const core::RunUsage&) { ++r->usageSignals; });
    QObject::connect(call, &core::ModelCall::retrying, call, [r](int attempt, qint64 delay, const QString& reason) {
        r->retries.append({attempt, delay, reason});
    });
    QObject::connect(call, &core::ModelCall::finished, call, [r] { ++r->finishedCount; });
    return r;
}

/// Waits until `call` finished (or `timeoutMs` passed), then lets the event loop run a little
/// longer so a second finished() or a late delta would be seen.
inline void waitFinished(core::ModelCall* call, CallRecord& r, int timeoutMs = 5000)
{
    QElapsedTimer clock;
    clock.start();
    while (!call->isFinished() && clock.elapsed() < timeoutMs)
        QTest::qWait(2);
    r.elapsedMs = clock.elapsed();
    QTest::qWait(20);
}

/// A manager that never goes through a proxy: tests talk to 127.0.0.1 only.
inline std::unique_ptr<QNetworkAccessManager> makeNam()
{
    auto nam = std::make_unique<QNetworkAccessManager>();
    nam->setProxy(QNetworkProxy::NoProxy);
    return nam;
}

} // namespace tb::test

// ---- client runs against a local server -----------------------------------------------------

namespace tb::test {

inline const QString kTestKey = QStringLiteral("sk-test-Zq9XbK2mV7pL4wR8");

/// A profile for a loopback test server: short timeouts, fast retries.
inline net::EndpointProfile testProfile(const QUrl& base, net::WireProtocol protocol)
{
    net::EndpointProfile p;
    p.name = QStringLiteral("test");
    p.baseUrl = base;
    p.protocol = protocol;
    p.model = QStringLiteral("gpt-4o-mini");
    p.idleTimeoutMs = 5000;
    p.totalTimeoutMs = 20000;
    return p;
}

inline net::RetryPolicy fastRetries(int attempts = 3)
{
    net::RetryPolicy r;
    r.maxAttempts = attempts;
    r.baseDelay = std::chrono::milliseconds(10);
    r.maxDelay = std::chrono::milliseconds(40);
    return r;
}

inline core::ModelRequest simpleRequest(bool stream)
{
    core::ModelRequest r;
    r.input = {*core::Json::parse(R"({"content": "What's the weather?", "role": "user"})")};
    r.stream = stream;
    return r;
}

struct Outcome
{
    core::Result<core::ModelReply> result = core::Error::make(core::Error::Code::Cancelled, QString());
    std::shared_ptr<CallRecord> rec;
};

/// Runs one request through the real QNetworkAccessManager path and waits for it to finish.
inline Outcome runClient(const net::EndpointProfile& profile, const core::ModelRequest& request,
                         const net::RetryPolicy& retry = fastRetries(), const QString& key = kTestKey,
                         int timeoutMs = 8000)
{
    auto nam = makeNam();
    net::OpenAiClient client(nam.get(), profile, key);
    client.setRetryPolicy(retry);
    client.setRandom([] { return 0.0; });
    std::unique_ptr<core::ModelCall> call(client.start(request, nullptr));
    Outcome out;
    out.rec = record(call.get());
    waitFinished(call.get(), *out.rec, timeoutMs);
    EXPECT_TRUE(call->isFinished());
    out.result = call->result();
    return out;
}

} // namespace tb::test
