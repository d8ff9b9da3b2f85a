// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace tb::net {

/// One HTTP/1.1 request as the demo server sees it.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // e.g. "/v1/responses?x=1"
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    QByteArray body;

    /// First header with that (lower-case) name, or empty.
    [[nodiscard]] QByteArray header(QByteArrayView lowerName) const;
    /// The target without its query string.
    [[nodiscard]] QByteArray path() const;
};

/// Minimal incremental HTTP/1.1 request parser for a loopback server: feed() whatever arrived
/// (requests may be split anywhere, or several may arrive at once), then take() each complete one.
/// Supports Content-Length bodies (what QNetworkAccessManager sends); chunked request bodies
/// and oversized heads or bodies put it in an error state.
class HttpRequestParser final
{
public:
    static constexpr qsizetype kMaxHeadBytes = 64 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 32 * 1024 * 1024;

    void feed(QByteArrayView bytes);
    /// True when take() would return a complete request.
    [[nodiscard]] bool hasRequest() const { return !m_ready.isEmpty(); }
    HttpRequest take();

    [[nodiscard]] bool hasError() const { return !m_error.isEmpty(); }
    [[nodiscard]] QString errorString() const { return m_error; }
    /// Status a server should answer an erroneous request with (400, 411, 413, 431).
    [[nodiscard]] int errorStatus() const { return m_errorStatus; }

private:
    void parse();
    void setError(int status, const QString& message);

    QByteArray m_buffer;
    QList<HttpRequest> m_ready;
    HttpRequest m_current;
    qsizetype m_bodyLength = -1; // -1: still reading the head
    QString m_error;
    int m_errorStatus = 0;
};

} // namespace tb::net
