// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "EndpointProfile.h"

#include <QList>
#include <QUrl>

#include <optional>

namespace tb::net {

/// The endpoint profiles Threadbench ships. Values follow the servers' documented defaults and
/// the local-server table of shared/fixtures/openai/README.md.
class EndpointProfiles final
{
public:
    /// openai, ollama, llamacpp, vllm, lmstudio, custom (in that order).
    static QList<EndpointProfile> builtins();
    static std::optional<EndpointProfile> builtin(QStringView name);

    /// The offline demo model served by DemoModelServer at `baseUrl` (http://127.0.0.1:PORT/v1).
    /// Its display name says "demo" so it is never mistaken for a real model.
    static EndpointProfile demo(const QUrl& baseUrl, WireProtocol protocol = WireProtocol::Responses);

    static constexpr auto kDemoModel = "threadbench-demo";
};

} // namespace tb::net
