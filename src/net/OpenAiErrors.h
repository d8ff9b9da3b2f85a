// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Error.h"
#include "core/Json.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <optional>

namespace tb::net {

/// Maps OpenAI-style failures to typed core::Error values (house-style §4). Bodies use the
/// documented envelope `{"error": {"message", "type", "param", "code"}}` (tests/data/openai/errors);
/// local servers send variations of it, or plain text, which map by HTTP status alone.
class OpenAiErrors final
{
public:
    /// The error's machine-readable `code` (falling back to `type`) from a body, or empty.
    static QString errorCode(const QByteArray& body);

    /// An HTTP response with a non-2xx status.
    static core::Error fromHttp(int httpStatus, const QByteArray& body, const QString& requestId,
                                std::optional<std::chrono::milliseconds> retryAfter);

    /// An error delivered inside a 200 stream or body: a `data:` JSON with a top-level `error`
    /// object (errors/stream_error_chat.sse), an `event: error` payload with `code`/`message` at
    /// top level (errors/stream_error_responses.sse), or a failed response's `error`
    /// (errors/stream_response_failed.sse).
    static core::Error fromErrorObject(const core::Json& error, core::Error::Code fallback, const QString& requestId);

    /// The code for an OpenAI error `code`/`type` (and HTTP status when there is one).
    static core::Error::Code classify(int httpStatus, const QString& code, const QString& type, const QString& message);

    /// Replaces every occurrence of `secret` in `text` (API keys echoed by servers, URLs with
    /// keys in them ...) so nothing that reaches an Error or a log line carries it.
    static QString redact(QString text, const QString& secret);
};

} // namespace tb::net
