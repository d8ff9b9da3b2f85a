// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Net layer figures (printed, never asserted): the client's cost per streamed event, and the
// delay from a server's last byte to the call's finished(), over a loopback server streaming
// 20,000 Chat Completions events.
//
//   threadbench-net-bench [events]

#include "net/ChatCompletionsCodec.h"
#include "net/EndpointProfile.h"
#include "net/OpenAiClient.h"
#include "net/SseDecoder.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace tb;

namespace {

QByteArray chunk(const QByteArray& delta, const char* finish = nullptr)
{
    return R"(data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"bench","choices":[{"index":0,"delta":{"content":")"
           + delta + R"("},"logprobs":null,"finish_reason":)"
           + (finish ? '"' + QByteArray(finish) + '"' : QByteArray("null")) + "}]}\n\n";
}

// The stream minus its final `data: [DONE]` event, which the server sends last.
QByteArray streamBody(int events)
{
    QByteArray body;
    body.reserve(qsizetype(events) * 200);
    for (int i = 0; i < events - 1; ++i)
        body += chunk(" word" + QByteArray::number(i % 100));
    body += chunk("", "stop");
    return body;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int events = argc > 1 ? std::max(2, QByteArray(argv[1]).toInt()) : 20000;
    const QByteArray body = streamBody(events);
    const QByteArray done = "data: [DONE]\n\n";

    // 1. Decode only: SSE framing + Chat codec, fed in 16 KiB reads as a socket would deliver.
    std::vector<double> decodeNs;
    for (int run = 0; run < 5; ++run) {
        net::SseDecoder sse;
        net::ChatCompletionsCodec codec;
        QElapsedTimer t;
        t.start();
        const QByteArray all = body + done;
        for (qsizetype pos = 0; pos < all.size(); pos += 16384) {
            sse.feed(QByteArrayView(all).sliced(pos, std::min<qsizetype>(16384, all.size() - pos)));
            for (const net::SseEvent& e : sse.takeEvents())
                (void)codec.handleEvent(e);
        }
        const auto reply = codec.finishStream();
        decodeNs.push_back(static_cast<double>(t.nsecsElapsed()) / events);
        if (!reply)
            return 1;
    }

    // 2. End to end over loopback: QNetworkAccessManager → OpenAiCall → signals.
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 1;
    QElapsedTimer clock;
    clock.start();
    qint64 lastByteNs = 0;
    QObject::connect(&server, &QTcpServer::newConnection, &server, [&] {
        QTcpSocket* s = server.nextPendingConnection();
        QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        auto request = std::make_shared<QByteArray>();
        QObject::connect(s, &QTcpSocket::readyRead, s, [&, s, request] {
            *request += s->readAll();
            const qsizetype end = request->indexOf("\r\n\r\n");
            if (end < 0 || request->size() < end + 4 + 10) // a body follows; its first bytes suffice
                return;
            QObject::disconnect(s, &QTcpSocket::readyRead, nullptr, nullptr);
            s->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
            s->write(body);
            // The final event goes out once everything before it has been taken by the client.
            QTimer::singleShot(200, s, [&, s] {
                s->write(done);
                s->flush();
                lastByteNs = clock.nsecsElapsed();
                s->disconnectFromHost();
            });
        });
    });

    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    net::EndpointProfile profile;
    profile.name = QStringLiteral("bench");
    profile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(server.serverPort()));
    profile.protocol = net::WireProtocol::ChatCompletions;
    profile.model = QStringLiteral("bench");
    net::OpenAiClient client(&nam, profile);

    std::vector<double> finishDelayUs;
    std::vector<double> streamNsPerEvent;
    for (int run = 0; run < 5; ++run) {
        core::ModelRequest request;
        request.input = {*core::Json::parse(R"({"content": "go", "role": "user"})")};
        qint64 deltas = 0;
        qint64 firstDeltaNs = 0;
        qint64 lastDeltaNs = 0;
        qint64 finishedNs = 0;
        core::ModelCall* call = client.start(request, &app);
        QObject::connect(call, &core::ModelCall::textDelta, call, [&](const QString&, const QString&) {
            lastDeltaNs = clock.nsecsElapsed();
            if (deltas++ == 0)
                firstDeltaNs = lastDeltaNs;
        });
        QObject::connect(call, &core::ModelCall::finished, call, [&] {
            finishedNs = clock.nsecsElapsed();
            app.quit();
        });
        app.exec();
        if (!call->result() || deltas != events - 1) {
            std::fprintf(stderr, "run %d failed (%lld deltas)\n", run, static_cast<long long>(deltas));
            return 1;
        }
        finishDelayUs.push_back(static_cast<double>(finishedNs - lastByteNs) / 1000.0);
        streamNsPerEvent.push_back(static_cast<double>(lastDeltaNs - firstDeltaNs) / static_cast<double>(deltas - 1));
        delete call;
    }

    std::printf("events per stream                      %d (%.1f MiB)\n", events,
                static_cast<double>(body.size()) / (1024.0 * 1024.0));
    std::printf("decode only (SSE + Chat codec)          %.0f ns/event (median of 5)\n", median(decodeNs));
    std::printf("loopback client, signal to signal       %.0f ns/event (median of 5)\n", median(streamNsPerEvent));
    std::printf("server's last byte -> finished()        %.0f us (median of 5)\n", median(finishDelayUs));
    return 0;
}
