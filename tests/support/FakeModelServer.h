// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <chrono>
#include <memory>

class QTcpServer;
class QTcpSocket;

namespace tb::test {

/// One canned HTTP answer: a status line and headers (given, or read from a fixture's .headers
/// file), then a body, written whole or in chunks with delays, optionally cut off mid-body.
struct FakeResponse
{
    QByteArray statusLine = "HTTP/1.1 200 OK";
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qsizetype chunkSize = 0;                 // 0: the whole body in one write
    std::chrono::milliseconds chunkDelay{0}; // pause between chunks
    std::chrono::milliseconds headDelay{0};  // pause before the status line (tests "before headers")
    qsizetype dropAfterBytes = -1;           // close the connection after this many body bytes
    bool contentLength = true;               // add Content-Length (else the body ends at close)

    /// tests/data/openai/<relativePath> as a 200 answer: text/event-stream for .sse, JSON otherwise.
    /// A sibling <name>.headers file (errors/*.headers) supplies the status line and headers.
    static FakeResponse fixture(const QString& relativePath);
    /// Any status with a JSON body.
    static FakeResponse json(int status, const QByteArray& body, QList<QPair<QByteArray, QByteArray>> headers = {});

    [[nodiscard]] int status() const;
};

/// A request as the server received it.
struct RecordedRequest
{
    QByteArray method;
    QByteArray path;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;

    [[nodiscard]] QByteArray header(QByteArrayView lowerName) const;
};

/// QTcpServer on 127.0.0.1 (random port) that replays fixtures to the real QNetworkAccessManager
/// path (house-style §5). Successive requests take queued responses in order; once the queue is
/// empty the default response answers. Every request is recorded for assertions.
class FakeModelServer final : public QObject
{
    Q_OBJECT

public:
    explicit FakeModelServer(QObject* parent = nullptr);
    ~FakeModelServer() override;
    Q_DISABLE_COPY_MOVE(FakeModelServer)

    bool listen();
    [[nodiscard]] quint16 port() const;
    /// http://127.0.0.1:PORT/v1
    [[nodiscard]] QUrl baseUrl() const;

    void setDefaultResponse(FakeResponse response) { m_default = std::move(response); }
    void enqueue(FakeResponse response) { m_queue.append(std::move(response)); }

    [[nodiscard]] const QList<RecordedRequest>& requests() const { return m_requests; }
    [[nodiscard]] int requestCount() const { return static_cast<int>(m_requests.size()); }
    /// Connections closed by the client before the answer was fully written (e.g. a cancel).
    [[nodiscard]] int abortedByClient() const { return m_abortedByClient; }

Q_SIGNALS:
    void requestReceived(int index);

private:
    struct Connection;
    void onNewConnection();
    void serve(QTcpSocket* socket, const FakeResponse& response, const std::shared_ptr<Connection>& state);

    QTcpServer* m_server;
    FakeResponse m_default;
    QList<FakeResponse> m_queue;
    QList<RecordedRequest> m_requests;
    int m_abortedByClient = 0;
};

} // namespace tb::test
