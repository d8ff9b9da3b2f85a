// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <chrono>
#include <optional>

namespace tb::net {

/// When and how long to wait before retrying a failed model request. Follows openai-python's
/// `_base_client.py` (`_should_retry`, `_parse_retry_after_header`, `_calculate_retry_timeout`)
/// with the rules of shared/fixtures/openai/README.md: 408/409/429/5xx retry, `x-should-retry`
/// wins, `insufficient_quota` never retries, `retry-after-ms` beats `retry-after`, and a server
/// delay is honoured only when 0 < delay ≤ maxServerDelay; a longer one means "not now", so no retry.
struct RetryPolicy
{
    using ms = std::chrono::milliseconds;

    int maxAttempts = 3;       // total attempts, the first one included
    ms baseDelay{500};         // first retry waits about this long, doubling each time
    ms maxDelay{8000};         // cap for the computed backoff
    ms maxServerDelay{120000}; // longest retry-after the client is willing to wait
    double jitter = 0.25;      // the backoff is shortened by up to this fraction at random

    /// Delay the server asked for: `retry-after-ms` (float milliseconds), else `retry-after`
    /// (float seconds or an HTTP date, relative to `now`). Headers are raw values (may be empty).
    static std::optional<ms> serverDelay(const QByteArray& retryAfterMs, const QByteArray& retryAfter,
                                         const QDateTime& now = QDateTime::currentDateTimeUtc());

    /// Whether a failed HTTP response may be retried at all (attempt limits aside).
    /// `errorCode` is the error body's `code` (or `type`), `shouldRetryHeader` the raw
    /// `x-should-retry` value.
    [[nodiscard]] bool isRetryableStatus(int httpStatus, const QString& errorCode,
                                         const QByteArray& shouldRetryHeader) const;

    /// The wait before retry number `retry` (1 = first retry). `serverDelay` wins when it is in
    /// (0, maxServerDelay]; `random01` in [0, 1) drives the jitter (pass 0 for no jitter).
    [[nodiscard]] ms delayFor(int retry, std::optional<ms> serverDelay, double random01) const;

    /// False when the server's delay is longer than we are willing to wait.
    [[nodiscard]] bool serverDelayAcceptable(std::optional<ms> serverDelay) const;
};

} // namespace tb::net
