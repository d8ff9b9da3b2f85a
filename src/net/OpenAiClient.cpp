// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "OpenAiClient.h"

#include "OpenAiCall.h"
#include "ProtocolCodec.h"

#include <QMetaObject>
#include <QRandomGenerator>

namespace tb::net {

using core::Error;

OpenAiClient::OpenAiClient(QNetworkAccessManager* nam, EndpointProfile profile, QString apiKey)
    : m_nam(nam)
    , m_profile(std::move(profile))
    , m_apiKey(std::move(apiKey))
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    Q_ASSERT(m_nam);
}

QString OpenAiClient::endpointName() const
{
    if (m_profile.isDemo)
        return QStringLiteral("demo");
    return m_profile.name.isEmpty() ? m_profile.baseUrl.toString(QUrl::RemoveUserInfo) : m_profile.name;
}

QString OpenAiClient::modelFor(const core::ModelRequest& request) const
{
    return request.settings.model.isEmpty() ? m_profile.model : request.settings.model;
}

core::Result<QByteArray> OpenAiClient::requestBody(const core::ModelRequest& request) const
{
    ProtocolCodec::RequestOptions options;
    options.model = modelFor(request);
    options.stream = request.stream;
    options.includeUsage = m_profile.usageInStream;
    return ProtocolCodec::create(m_profile.protocol)->requestBody(request, options);
}

core::ModelCall* OpenAiClient::start(const core::ModelRequest& request, QObject* parent)
{
    OpenAiCall::Config config{m_nam, m_profile, m_apiKey, m_retry, m_random};
    auto body = requestBody(request);
    auto* call =
        new OpenAiCall(std::move(config), body ? *body : QByteArray(), modelFor(request), request.stream, parent);

    // Refusals are reported through finished() like every other failure, one event-loop turn
    // later, so a caller that connects after start() still sees them.
    std::optional<Error> refused;
    if (const auto valid = m_profile.validate(); !valid)
        refused = valid.error();
    else if (!body)
        refused = body.error();
    else if (m_profile.apiKeyRequired && m_apiKey.isEmpty())
        refused = Error::make(Error::Code::Auth,
                              m_profile.apiKeyEnv.isEmpty()
                                  ? QStringLiteral("No API key is configured for endpoint \"%1\"").arg(m_profile.name)
                                  : QStringLiteral("No API key for endpoint \"%1\": set %2 or store a key in the "
                                                   "keychain")
                                        .arg(m_profile.name, m_profile.apiKeyEnv));

    if (refused)
        QMetaObject::invokeMethod(
            call, [call, e = *refused] { call->fail(e); }, Qt::QueuedConnection);
    else
        QMetaObject::invokeMethod(call, &OpenAiCall::begin, Qt::QueuedConnection);
    return call;
}

} // namespace tb::net
