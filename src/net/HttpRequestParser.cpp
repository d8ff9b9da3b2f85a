// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "HttpRequestParser.h"

namespace tb::net {

QByteArray HttpRequest::header(QByteArrayView lowerName) const
{
    for (const auto& [name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

QByteArray HttpRequest::path() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? target : target.left(q);
}

void HttpRequestParser::feed(QByteArrayView bytes)
{
    if (hasError())
        return;
    m_buffer.append(bytes);
    parse();
}

HttpRequest HttpRequestParser::take()
{
    return m_ready.isEmpty() ? HttpRequest{} : m_ready.takeFirst();
}

void HttpRequestParser::setError(int status, const QString& message)
{
    m_errorStatus = status;
    m_error = message;
    m_buffer.clear();
}

void HttpRequestParser::parse()
{
    while (!hasError()) {
        if (m_bodyLength < 0) {
            // Tolerate stray CRLFs between requests (RFC 9112 §2.2).
            while (m_buffer.startsWith("\r\n"))
                m_buffer.remove(0, 2);
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buffer.size() > kMaxHeadBytes)
                    setError(431, QStringLiteral("Request head too large"));
                return;
            }
            const QList<QByteArray> lines = m_buffer.left(end).split('\n');
            m_buffer.remove(0, end + 4);
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
                setError(400, QStringLiteral("Malformed request line"));
                return;
            }
            m_current = HttpRequest{};
            m_current.method = requestLine[0];
            m_current.target = requestLine[1];
            m_current.version = requestLine[2];
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0) {
                    setError(400, QStringLiteral("Malformed header line"));
                    return;
                }
                m_current.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
            }
            if (!m_current.header("transfer-encoding").isEmpty()) {
                setError(411, QStringLiteral("Chunked request bodies are not supported"));
                return;
            }
            const QByteArray length = m_current.header("content-length");
            bool ok = true;
            m_bodyLength = length.isEmpty() ? 0 : length.toLongLong(&ok);
            if (!ok || m_bodyLength < 0) {
                setError(400, QStringLiteral("Bad Content-Length"));
                return;
            }
            if (m_bodyLength > kMaxBodyBytes) {
                setError(413, QStringLiteral("Request body too large"));
                return;
            }
        }
        if (m_buffer.size() < m_bodyLength)
            return;
        m_current.body = m_buffer.left(m_bodyLength);
        m_buffer.remove(0, m_bodyLength);
        m_bodyLength = -1;
        m_ready.append(std::move(m_current));
        m_current = HttpRequest{};
    }
}

} // namespace tb::net
