// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "RetryPolicy.h"

#include <QLocale>
#include <QString>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace tb::net {

namespace {

std::optional<double> parseFloat(const QByteArray& raw)
{
    bool ok = false;
    const double v = raw.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return v;
}

} // namespace

std::optional<RetryPolicy::ms> RetryPolicy::serverDelay(const QByteArray& retryAfterMs, const QByteArray& retryAfter,
                                                        const QDateTime& now)
{
    if (!retryAfterMs.trimmed().isEmpty()) {
        if (const auto v = parseFloat(retryAfterMs))
            return ms(static_cast<qint64>(std::ceil(*v)));
    }
    const QByteArray value = retryAfter.trimmed();
    if (value.isEmpty())
        return std::nullopt;
    if (const auto seconds = parseFloat(value))
        return ms(static_cast<qint64>(std::ceil(*seconds * 1000.0)));
    // HTTP-date (RFC 7231 IMF-fixdate), e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    const QDateTime when =
        QLocale::c().toDateTime(QString::fromLatin1(value), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    QDateTime utc = when;
    utc.setTimeZone(QTimeZone::utc());
    return ms(now.msecsTo(utc));
}

bool RetryPolicy::isRetryableStatus(int httpStatus, const QString& errorCode, const QByteArray& shouldRetryHeader) const
{
    // Out of credit is not transient, whatever the headers say (README: "do not retry 429
    // insufficient_quota"; newer accounts see credit_balance_exhausted).
    if (errorCode == u"insufficient_quota" || errorCode == u"credit_balance_exhausted")
        return false;
    const QByteArray hint = shouldRetryHeader.trimmed().toLower();
    if (hint == "true")
        return true;
    if (hint == "false")
        return false;
    return httpStatus == 408 || httpStatus == 409 || httpStatus == 429 || httpStatus >= 500;
}

bool RetryPolicy::serverDelayAcceptable(std::optional<ms> delay) const
{
    return !delay || delay->count() <= maxServerDelay.count();
}

RetryPolicy::ms RetryPolicy::delayFor(int retry, std::optional<ms> delay, double random01) const
{
    if (delay && delay->count() > 0 && delay->count() <= maxServerDelay.count())
        return *delay;
    const double exponent = std::max(0, retry - 1);
    const double backoff = std::min(static_cast<double>(baseDelay.count()) * std::pow(2.0, exponent),
                                    static_cast<double>(maxDelay.count()));
    const double factor = 1.0 - jitter * std::clamp(random01, 0.0, 1.0);
    return ms(static_cast<qint64>(std::llround(backoff * factor)));
}

} // namespace tb::net
