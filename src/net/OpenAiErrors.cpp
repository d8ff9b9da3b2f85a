// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "OpenAiErrors.h"

namespace tb::net {

using core::Error;
using core::Json;

namespace {

// Longest server text kept in an error message (an HTML error page from a proxy can be huge).
constexpr qsizetype kMaxPlainBody = 500;

QString statusText(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("Bad request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not found");
    case 408:
        return QStringLiteral("Request timeout");
    case 409:
        return QStringLiteral("Conflict");
    case 413:
        return QStringLiteral("Request too large");
    case 422:
        return QStringLiteral("Unprocessable request");
    case 429:
        return QStringLiteral("Too many requests");
    case 500:
        return QStringLiteral("Internal server error");
    case 502:
        return QStringLiteral("Bad gateway");
    case 503:
        return QStringLiteral("Service unavailable");
    case 504:
        return QStringLiteral("Gateway timeout");
    default:
        return QStringLiteral("HTTP error");
    }
}

// `code` may be a string, a number (some local servers) or null.
QString codeText(const Json& code)
{
    if (code.isString())
        return code.toString();
    if (code.isNumber())
        return code.pythonStr();
    return {};
}

} // namespace

QString OpenAiErrors::errorCode(const QByteArray& body)
{
    const auto parsed = Json::parse(body);
    if (!parsed)
        return {};
    const Json& error = (*parsed)[u"error"];
    if (!error.isObject())
        return {};
    const QString code = codeText(error[u"code"]);
    return code.isEmpty() ? error[u"type"].toString() : code;
}

Error::Code OpenAiErrors::classify(int httpStatus, const QString& code, const QString& type, const QString& message)
{
    if (code == u"insufficient_quota" || type == u"insufficient_quota" || code == u"credit_balance_exhausted")
        return Error::Code::QuotaExceeded;
    if (code == u"context_length_exceeded" || code == u"string_above_max_length"
        || message.contains(u"maximum context length", Qt::CaseInsensitive)
        || message.contains(u"context window", Qt::CaseInsensitive)
        || message.contains(u"exceeds the available context size", Qt::CaseInsensitive))
        return Error::Code::ContextTooLong;
    if (code == u"invalid_api_key" || type == u"authentication_error" || httpStatus == 401 || httpStatus == 403)
        return Error::Code::Auth;
    if (code == u"rate_limit_exceeded" || type == u"tokens" || type == u"requests" || httpStatus == 429)
        return Error::Code::RateLimited;
    if (httpStatus >= 500 || code == u"server_error" || type == u"server_error")
        return Error::Code::Server;
    if (httpStatus > 0)
        return Error::Code::Http;
    return Error::Code::Protocol;
}

Error OpenAiErrors::fromHttp(int httpStatus, const QByteArray& body, const QString& requestId,
                             std::optional<std::chrono::milliseconds> retryAfter)
{
    QString message;
    QString code;
    QString type;
    if (const auto parsed = Json::parse(body); parsed && parsed->isObject()) {
        const Json& error = (*parsed)[u"error"];
        if (error.isObject()) {
            message = error[u"message"].toString();
            code = codeText(error[u"code"]);
            type = error[u"type"].toString();
        } else if (error.isString()) {
            message = error.toString(); // e.g. {"error": "model not found"} (Ollama native style)
        } else {
            message = (*parsed)[u"message"].toString();
        }
    } else {
        message = QString::fromUtf8(body).trimmed().left(kMaxPlainBody);
    }
    if (message.isEmpty())
        message = QStringLiteral("%1 (HTTP %2)").arg(statusText(httpStatus)).arg(httpStatus);

    Error e = Error::make(classify(httpStatus, code, type, message), message);
    e.httpStatus = httpStatus;
    e.requestId = requestId;
    if (e.code == Error::Code::RateLimited || e.code == Error::Code::Server)
        e.retryAfter = retryAfter;
    return e;
}

Error OpenAiErrors::fromErrorObject(const Json& error, Error::Code fallback, const QString& requestId)
{
    const QString message = error[u"message"].toString();
    const QString code = codeText(error[u"code"]);
    const QString type = error[u"type"].toString();
    Error::Code kind = classify(0, code, type, message);
    if (kind == Error::Code::Protocol)
        kind = fallback;
    Error e = Error::make(kind, message.isEmpty() ? QStringLiteral("The server reported an error") : message);
    e.requestId = requestId;
    return e;
}

QString OpenAiErrors::redact(QString text, const QString& secret)
{
    // Very short "keys" (e.g. "x" for a local server) would blank out ordinary words; they are
    // not secrets anyway.
    if (secret.size() >= 8)
        text.replace(secret, QStringLiteral("[redacted]"));
    return text;
}

} // namespace tb::net
