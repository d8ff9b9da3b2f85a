// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/AgentDefinition.h"
#include "core/ModelClient.h"
#include "core/Result.h"
#include "net/EndpointProfile.h"
#include "ui/SettingsTypes.h"

#include <QNetworkAccessManager>
#include <QObject>

#include <memory>

namespace tb::net {
class DemoModelServer;
}

namespace tb::app {

/// The endpoints the workbench can talk to: the built-in profiles, the user's own (kept in
/// QSettings, without secrets), and the offline demo model, whose loopback server is started on
/// first use. It hands out ready clients with the API key resolved (ApiKeyStore).
class ModelEndpoints final : public QObject
{
    Q_OBJECT

public:
    explicit ModelEndpoints(QObject* parent = nullptr);
    ~ModelEndpoints() override;

    static constexpr auto kDemoName = "demo";

    /// Demo first, then the shipped profiles, then the user's profiles (which replace shipped
    /// ones of the same name).
    [[nodiscard]] QList<net::EndpointProfile> profiles() const;
    [[nodiscard]] std::optional<net::EndpointProfile> profile(const QString& name) const;
    /// The user's own profiles, saved in QSettings as JSON (no keys).
    void setUserProfiles(const QList<net::EndpointProfile>& profiles);
    [[nodiscard]] QList<net::EndpointProfile> userProfiles() const;

    /// The Settings dialog's view of a profile, and back.
    static ui::EndpointEntry toEntry(const net::EndpointProfile& profile, bool builtin);
    static net::EndpointProfile fromEntry(const ui::EndpointEntry& entry);

    /// A profile for a base URL given on the command line (OPENAI_API_KEY unless told otherwise).
    static net::EndpointProfile adHoc(const QUrl& baseUrl, net::WireProtocol protocol, const QString& model);

    /// A client for the profile (the demo server starts here if it is needed).
    core::Result<std::unique_ptr<core::ModelClient>> clientFor(const net::EndpointProfile& profile);
    /// clientFor() after choosing the agent's model for this endpoint: the demo model answers only
    /// to its own name; a real endpoint gets the agent's model, else the profile's default.
    core::Result<std::unique_ptr<core::ModelClient>> prepare(const net::EndpointProfile& profile, core::AgentDefinition& agent);
    /// The running demo server (nullptr until a demo client was made).
    [[nodiscard]] net::DemoModelServer* demoServer() const { return m_demo.get(); }

private:
    QNetworkAccessManager m_nam;
    std::unique_ptr<net::DemoModelServer> m_demo;
};

} // namespace tb::app
