// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "FakeModelServer.h"

#include "TestData.h"

#include <QFile>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace tb::test {

namespace {

QByteArray readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

} // namespace

// Per-connection state: request bytes until one whole request is in, then whether the answer was
// written to the end (a disconnect before that is the client giving up, e.g. a cancel).
struct FakeModelServer::Connection
{
    QByteArray buffer;
    bool answered = false;
    bool complete = false;
};

FakeResponse FakeResponse::fixture(const QString& relativePath)
{
    const QString dir = testDataDir() + QStringLiteral("/openai/");
    FakeResponse r;
    r.body = readFile(dir + relativePath);
    const QString headersPath = dir + relativePath.left(relativePath.lastIndexOf(u'.')) + QStringLiteral(".headers");
    if (QFile::exists(headersPath)) {
        // errors/*.headers: status line + CRLF header lines + blank line (README).
        const QList<QByteArray> lines = readFile(headersPath).split('\n');
        r.statusLine = lines.value(0).trimmed();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                r.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
    } else if (relativePath.endsWith(u".sse")) {
        r.headers.append(qMakePair(QByteArray("content-type"), QByteArray("text/event-stream; charset=utf-8")));
    } else {
        r.headers.append(qMakePair(QByteArray("content-type"), QByteArray("application/json")));
    }
    return r;
}

FakeResponse FakeResponse::json(int status, const QByteArray& body, QList<QPair<QByteArray, QByteArray>> headers)
{
    FakeResponse r;
    r.statusLine = "HTTP/1.1 " + QByteArray::number(status) + " Status";
    r.headers = std::move(headers);
    r.headers.prepend(qMakePair(QByteArray("content-type"), QByteArray("application/json")));
    r.body = body;
    return r;
}

int FakeResponse::status() const
{
    return statusLine.split(' ').value(1).toInt();
}

QByteArray RecordedRequest::header(QByteArrayView lowerName) const
{
    for (const auto& [name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

FakeModelServer::FakeModelServer(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeModelServer::onNewConnection);
}

FakeModelServer::~FakeModelServer() = default;

bool FakeModelServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 FakeModelServer::port() const
{
    return m_server->serverPort();
}

QUrl FakeModelServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    url.setPath(QStringLiteral("/v1"));
    return url;
}

void FakeModelServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        auto state = std::make_shared<Connection>();
        connect(socket, &QTcpSocket::disconnected, this, [this, socket, state] {
            if (state->answered && !state->complete)
                ++m_abortedByClient;
            socket->deleteLater();
        });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, state] {
            state->buffer += socket->readAll();
            if (state->answered)
                return;
            const qsizetype end = state->buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = state->buffer.left(end).split('\n');
            RecordedRequest request;
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            qsizetype length = 0;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0)
                    continue;
                request.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
                if (request.headers.last().first == "content-length")
                    length = request.headers.last().second.toLongLong();
            }
            if (state->buffer.size() < end + 4 + length)
                return; // body still arriving
            request.body = state->buffer.mid(end + 4, length);
            state->answered = true;
            m_requests.append(request);
            const FakeResponse response = m_queue.isEmpty() ? m_default : m_queue.takeFirst();
            Q_EMIT requestReceived(static_cast<int>(m_requests.size()) - 1);
            if (response.headDelay.count() > 0) {
                QPointer<QTcpSocket> guard(socket);
                QTimer::singleShot(response.headDelay, this, [this, guard, response, state] {
                    if (guard)
                        serve(guard, response, state);
                });
            } else {
                serve(socket, response, state);
            }
        });
    }
}

void FakeModelServer::serve(QTcpSocket* socket, const FakeResponse& response, const std::shared_ptr<Connection>& state)
{
    if (socket->state() != QAbstractSocket::ConnectedState)
        return;
    QByteArray head = response.statusLine + "\r\n";
    for (const auto& [name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    if (response.contentLength)
        head += "content-length: " + QByteArray::number(response.body.size()) + "\r\n";
    head += "connection: close\r\n\r\n";
    socket->write(head);

    const qsizetype limit =
        response.dropAfterBytes >= 0 ? std::min(response.dropAfterBytes, response.body.size()) : response.body.size();
    if (response.chunkSize <= 0 || limit == 0) {
        socket->write(response.body.left(limit));
        state->complete = response.dropAfterBytes < 0;
        socket->disconnectFromHost();
        return;
    }
    // One chunk per timer tick (a zero delay still means one per event-loop pass, so the client
    // gets separate reads rather than one coalesced write).
    auto sent = std::make_shared<qsizetype>(0);
    auto* timer = new QTimer(socket);
    const QByteArray body = response.body;
    const qsizetype chunk = response.chunkSize;
    const bool drop = response.dropAfterBytes >= 0;
    connect(timer, &QTimer::timeout, socket, [socket, timer, sent, body, chunk, limit, drop, state] {
        if (socket->state() != QAbstractSocket::ConnectedState) {
            timer->stop();
            return;
        }
        const qsizetype n = std::min(chunk, limit - *sent);
        socket->write(body.mid(*sent, n));
        socket->flush();
        *sent += n;
        if (*sent >= limit) {
            timer->stop();
            state->complete = !drop;
            socket->disconnectFromHost();
        }
    });
    timer->start(response.chunkDelay);
}

} // namespace tb::test
