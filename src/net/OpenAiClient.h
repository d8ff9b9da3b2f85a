// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "EndpointProfile.h"
#include "RetryPolicy.h"
#include "core/ModelClient.h"

#include <functional>

class QNetworkAccessManager;

namespace tb::net {

/// core::ModelClient for any OpenAI-compatible endpoint, over either wire protocol (the profile
/// says which). The QNetworkAccessManager is injected and owned by the application; the API key is
/// resolved by the application (environment variable or keychain) and only ever goes into the
/// Authorization header: error texts and log lines have it redacted.
class OpenAiClient final : public core::ModelClient
{
public:
    OpenAiClient(QNetworkAccessManager* nam, EndpointProfile profile, QString apiKey = {});

    core::ModelCall* start(const core::ModelRequest& request, QObject* parent) override;
    [[nodiscard]] QString endpointName() const override;

    [[nodiscard]] const EndpointProfile& profile() const { return m_profile; }
    [[nodiscard]] const RetryPolicy& retryPolicy() const { return m_retry; }
    void setRetryPolicy(const RetryPolicy& policy) { m_retry = policy; }
    /// Source of randomness for backoff jitter (tests pass a constant).
    void setRandom(std::function<double()> random) { m_random = std::move(random); }

    /// The model a request will use: its own, else the profile's.
    [[nodiscard]] QString modelFor(const core::ModelRequest& request) const;
    /// The exact JSON body start() would send (for tests and for a "show request" view).
    [[nodiscard]] core::Result<QByteArray> requestBody(const core::ModelRequest& request) const;

private:
    QNetworkAccessManager* m_nam;
    EndpointProfile m_profile;
    QString m_apiKey;
    RetryPolicy m_retry;
    std::function<double()> m_random;
};

} // namespace tb::net
