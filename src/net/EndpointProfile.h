// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Json.h"
#include "core/Result.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

namespace tb::net {

/// The two wire protocols an OpenAI-compatible endpoint may speak.
enum class WireProtocol {
    Responses,       // POST {base}/responses
    ChatCompletions, // POST {base}/chat/completions
};

QString wireProtocolName(WireProtocol protocol); // "responses" / "chat_completions"
std::optional<WireProtocol> wireProtocolFromName(QStringView name);

/// How one endpoint is reached and what it can do, as data (house-style §5: quirks are settings of
/// a profile, not `if (isOllama)` branches; see the local-server table in
/// shared/fixtures/openai/README.md).
///
/// A profile holds no secret: the API key is named (`apiKeyEnv`) or said to live in the OS keychain
/// (`apiKeyInKeychain`); the application resolves it and hands the client the key itself, so a
/// profile can be stored in the database or a settings file as is.
struct EndpointProfile
{
    QString name;        // stable id: "openai", "ollama", "demo", or a user's own
    QString displayName; // for humans; the demo's says that it is a demo
    QUrl baseUrl;        // ends in /v1 for every shipped profile; the client appends /responses etc.
    WireProtocol protocol = WireProtocol::ChatCompletions;
    QString model; // default model when the agent names none

    QString apiKeyEnv; // environment variable holding the key, e.g. OPENAI_API_KEY
    bool apiKeyInKeychain = false;
    bool apiKeyRequired = false; // local servers ignore the key

    QList<QPair<QString, QString>> extraHeaders; // sent with every request (never secrets)

    qint64 idleTimeoutMs = 60000;   // no byte within this (waiting for headers or mid-stream) → Timeout
    qint64 totalTimeoutMs = 600000; // whole request, retries excluded

    // Capability flags.
    bool usageInStream = true;             // honours stream_options.include_usage (LM Studio does not)
    bool toolCallsStreamedAsDeltas = true; // false: each tool call arrives whole in one chunk (Ollama)
    bool responsesSupported = false;       // the server also answers POST {base}/responses
    bool allowInsecureHttp = false;        // permit http:// to a non-loopback host (keys would travel in clear)
    bool isDemo = false;                   // the built-in offline demo model

    /// Checks the URL: http or https, a host, and no plain http to a non-loopback host unless
    /// allowInsecureHttp. Returns Error::Code::Argument with a human message otherwise.
    [[nodiscard]] core::Result<void> validate() const;

    /// Python-compatible JSON (stable key order) for storage in tb_ side tables or settings.
    [[nodiscard]] core::Json toJson() const;
    /// Reads what toJson() wrote; missing keys keep their defaults, unknown keys are ignored.
    static core::Result<EndpointProfile> fromJson(const core::Json& json);

    friend bool operator==(const EndpointProfile&, const EndpointProfile&) = default;
};

/// True for 127.0.0.0/8, ::1 and "localhost".
bool isLoopbackHost(const QString& host);

} // namespace tb::net
