// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ModelEndpoints.h"

#include "ApiKeyStore.h"

#include "net/DemoModelServer.h"
#include "net/EndpointProfiles.h"
#include "net/OpenAiClient.h"

#include <QNetworkProxy>
#include <QSettings>

namespace tb::app {

using core::Error;

namespace {
const QString kSettingsKey = QStringLiteral("endpoints/userProfiles");
}

ModelEndpoints::ModelEndpoints(QObject* parent) : QObject(parent)
{
    // Local servers (the demo, Ollama, llama.cpp) must never be sent through a proxy.
    m_nam.setProxy(QNetworkProxy::NoProxy);
}

ModelEndpoints::~ModelEndpoints() = default;

QList<net::EndpointProfile> ModelEndpoints::profiles() const
{
    QList<net::EndpointProfile> out;
    // The demo's address is only known once its server listens; the URL here is a placeholder
    // that clientFor() replaces.
    out << net::EndpointProfiles::demo(QUrl(QStringLiteral("http://127.0.0.1:0/v1")));
    const QList<net::EndpointProfile> mine = userProfiles();
    for (const net::EndpointProfile& p : net::EndpointProfiles::builtins()) {
        const bool replaced = std::any_of(mine.cbegin(), mine.cend(), [&](const net::EndpointProfile& m) { return m.name == p.name; });
        if (!replaced)
            out << p;
    }
    out << mine;
    return out;
}

std::optional<net::EndpointProfile> ModelEndpoints::profile(const QString& name) const
{
    for (const net::EndpointProfile& p : profiles()) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

QList<net::EndpointProfile> ModelEndpoints::userProfiles() const
{
    QList<net::EndpointProfile> out;
    auto parsed = core::Json::parse(QSettings().value(kSettingsKey).toString());
    if (!parsed || !parsed->isArray())
        return out;
    for (const core::Json& j : parsed->asArray()) {
        auto p = net::EndpointProfile::fromJson(j);
        if (p && !p->isDemo)
            out << *p;
    }
    return out;
}

void ModelEndpoints::setUserProfiles(const QList<net::EndpointProfile>& profiles)
{
    core::Json::Array arr;
    for (const net::EndpointProfile& p : profiles)
        arr.push_back(p.toJson());
    QSettings().setValue(kSettingsKey, QString::fromUtf8(core::Json(std::move(arr)).dump()));
}

ui::EndpointEntry ModelEndpoints::toEntry(const net::EndpointProfile& p, bool builtin)
{
    ui::EndpointEntry e;
    e.name = p.name;
    e.displayName = p.displayName;
    e.baseUrl = p.isDemo ? QString() : p.baseUrl.toString();
    e.responsesProtocol = p.protocol == net::WireProtocol::Responses;
    e.model = p.model;
    e.apiKeyEnv = p.apiKeyEnv;
    e.apiKeyInKeychain = p.apiKeyInKeychain;
    e.allowInsecureHttp = p.allowInsecureHttp;
    e.usageInStream = p.usageInStream;
    e.toolCallsStreamedAsDeltas = p.toolCallsStreamedAsDeltas;
    e.responsesSupported = p.responsesSupported;
    e.idleTimeoutSeconds = int(p.idleTimeoutMs / 1000);
    e.builtin = builtin || p.isDemo;
    e.isDemo = p.isDemo;
    return e;
}

net::EndpointProfile ModelEndpoints::fromEntry(const ui::EndpointEntry& e)
{
    net::EndpointProfile p;
    p.name = e.name;
    p.displayName = e.displayName.isEmpty() ? e.name : e.displayName;
    p.baseUrl = QUrl(e.baseUrl);
    p.protocol = e.responsesProtocol ? net::WireProtocol::Responses : net::WireProtocol::ChatCompletions;
    p.model = e.model;
    p.apiKeyEnv = e.apiKeyEnv;
    p.apiKeyInKeychain = e.apiKeyInKeychain;
    p.apiKeyRequired = false; // user profiles: a missing key is the server's to refuse
    p.allowInsecureHttp = e.allowInsecureHttp;
    p.usageInStream = e.usageInStream;
    p.toolCallsStreamedAsDeltas = e.toolCallsStreamedAsDeltas;
    p.responsesSupported = e.responsesSupported || e.responsesProtocol;
    p.idleTimeoutMs = qint64(e.idleTimeoutSeconds) * 1000;
    return p;
}

net::EndpointProfile ModelEndpoints::adHoc(const QUrl& baseUrl, net::WireProtocol protocol, const QString& model)
{
    net::EndpointProfile p;
    p.name = QStringLiteral("command-line");
    p.displayName = baseUrl.toString();
    p.baseUrl = baseUrl;
    p.protocol = protocol;
    p.model = model;
    p.apiKeyEnv = QStringLiteral("OPENAI_API_KEY");
    // Only OpenAI itself refuses a request without a key; local servers ignore it.
    p.apiKeyRequired = baseUrl.host().endsWith(u"openai.com");
    p.responsesSupported = protocol == net::WireProtocol::Responses;
    return p;
}

core::Result<std::unique_ptr<core::ModelClient>> ModelEndpoints::prepare(const net::EndpointProfile& profile, core::AgentDefinition& agent)
{
    const QString demoModel = QString::fromLatin1(net::EndpointProfiles::kDemoModel);
    if (profile.isDemo) {
        agent.modelSettings.model = demoModel;
    } else if (agent.modelSettings.model.isEmpty() || agent.modelSettings.model == demoModel) {
        if (profile.model.isEmpty())
            return Error::make(Error::Code::Argument, QStringLiteral("choose a model for %1").arg(profile.displayName));
        agent.modelSettings.model = profile.model;
    }
    return clientFor(profile);
}

core::Result<std::unique_ptr<core::ModelClient>> ModelEndpoints::clientFor(const net::EndpointProfile& requested)
{
    net::EndpointProfile profile = requested;
    if (profile.isDemo) {
        if (!m_demo) {
            m_demo = std::make_unique<net::DemoModelServer>();
            if (!m_demo->listen()) {
                m_demo.reset();
                return Error::make(Error::Code::Network, QStringLiteral("The demo model server could not listen on 127.0.0.1"));
            }
        }
        profile = net::EndpointProfiles::demo(m_demo->baseUrl(), requested.protocol);
    }
    if (auto v = profile.validate(); !v)
        return v.error();
    auto key = ApiKeyStore::resolve(profile);
    if (!key)
        return key.error();
    return std::unique_ptr<core::ModelClient>(std::make_unique<net::OpenAiClient>(&m_nam, profile, *key));
}

} // namespace tb::app
