// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QString>

#include <chrono>
#include <optional>

namespace tb::core {

/// A failure reported by any layer. `code` says what kind of failure it was; for errors that
/// mirror the Agents SDK (ValueError, RuntimeError, TypeError) the code names the Python type so
/// the CLI can report it exactly as the SDK would.
struct Error
{
    enum class Code {
        Value,      // Python ValueError raised by the SDK
        Runtime,    // Python RuntimeError raised by the SDK
        Type,       // Python TypeError raised by the SDK
        Storage,    // the database could not be opened, read or written
        Format,     // a file or value is not in a format we understand
        Argument,   // bad arguments from a caller (CLI, dialog)
        ReadOnly,   // a write was asked of a read-only database
        Network,
        Http,
        Auth,
        RateLimited,
        QuotaExceeded,
        ContextTooLong,
        Server,
        Protocol,
        Timeout,
        Cancelled,
        Tool,
    };

    Code code = Code::Storage;
    QString message;
    std::optional<int> httpStatus;
    std::optional<std::chrono::milliseconds> retryAfter;
    QString requestId;

    static Error value(QString m) { return {Code::Value, std::move(m), {}, {}, {}}; }
    static Error runtime(QString m) { return {Code::Runtime, std::move(m), {}, {}, {}}; }
    static Error type(QString m) { return {Code::Type, std::move(m), {}, {}, {}}; }
    static Error storage(QString m) { return {Code::Storage, std::move(m), {}, {}, {}}; }
    static Error make(Code c, QString m) { return {c, std::move(m), {}, {}, {}}; }

    /// True for the errors that correspond to a Python exception raised by the SDK.
    [[nodiscard]] bool isSdkException() const
    {
        return code == Code::Value || code == Code::Runtime || code == Code::Type;
    }
    /// "ValueError", "RuntimeError", "TypeError" or an empty string.
    [[nodiscard]] QString sdkExceptionType() const
    {
        switch (code) {
        case Code::Value: return QStringLiteral("ValueError");
        case Code::Runtime: return QStringLiteral("RuntimeError");
        case Code::Type: return QStringLiteral("TypeError");
        default: return {};
        }
    }
};

} // namespace tb::core
