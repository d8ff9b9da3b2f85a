// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "EndpointProfiles.h"

namespace tb::net {

namespace {

EndpointProfile localChatServer(const QString& name, const QString& displayName, const QString& url)
{
    EndpointProfile p;
    p.name = name;
    p.displayName = displayName;
    p.baseUrl = QUrl(url);
    p.protocol = WireProtocol::ChatCompletions;
    p.apiKeyRequired = false;
    // Local models can take long before the first token (model load); be patient.
    p.idleTimeoutMs = 300000;
    p.responsesSupported = true;
    return p;
}

} // namespace

QList<EndpointProfile> EndpointProfiles::builtins()
{
    QList<EndpointProfile> list;

    EndpointProfile openai;
    openai.name = QStringLiteral("openai");
    openai.displayName = QStringLiteral("OpenAI");
    openai.baseUrl = QUrl(QStringLiteral("https://api.openai.com/v1"));
    openai.protocol = WireProtocol::Responses;
    openai.model = QStringLiteral("gpt-4.1-mini");
    openai.apiKeyEnv = QStringLiteral("OPENAI_API_KEY");
    openai.apiKeyInKeychain = true;
    openai.apiKeyRequired = true;
    openai.responsesSupported = true;
    list.append(openai);

    // Ollama sends each tool call whole in one chunk (openai/openai.go toChunk) and supports
    // include_usage.
    EndpointProfile ollama = localChatServer(QStringLiteral("ollama"), QStringLiteral("Ollama (local)"),
                                             QStringLiteral("http://127.0.0.1:11434/v1"));
    ollama.toolCallsStreamedAsDeltas = false;
    list.append(ollama);

    list.append(localChatServer(QStringLiteral("llamacpp"), QStringLiteral("llama.cpp server (local)"),
                                QStringLiteral("http://127.0.0.1:8080/v1")));
    list.append(localChatServer(QStringLiteral("vllm"), QStringLiteral("vLLM (local)"),
                                QStringLiteral("http://127.0.0.1:8000/v1")));

    // LM Studio does not send the usage chunk when streaming (lmstudio-bug-tracker #713, #676).
    EndpointProfile lmstudio = localChatServer(QStringLiteral("lmstudio"), QStringLiteral("LM Studio (local)"),
                                               QStringLiteral("http://127.0.0.1:1234/v1"));
    lmstudio.usageInStream = false;
    list.append(lmstudio);

    // A starting point for any other OpenAI-compatible server; conservative capabilities.
    EndpointProfile custom;
    custom.name = QStringLiteral("custom");
    custom.displayName = QStringLiteral("Custom endpoint");
    custom.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:8000/v1"));
    custom.protocol = WireProtocol::ChatCompletions;
    custom.apiKeyEnv = QStringLiteral("OPENAI_API_KEY");
    custom.responsesSupported = false;
    list.append(custom);

    return list;
}

std::optional<EndpointProfile> EndpointProfiles::builtin(QStringView name)
{
    for (EndpointProfile& p : builtins()) {
        if (p.name == name)
            return std::move(p);
    }
    return std::nullopt;
}

EndpointProfile EndpointProfiles::demo(const QUrl& baseUrl, WireProtocol protocol)
{
    EndpointProfile p;
    p.name = QStringLiteral("demo");
    p.displayName = QStringLiteral("Demo model (offline, built in; not a real model)");
    p.baseUrl = baseUrl;
    p.protocol = protocol;
    p.model = QString::fromLatin1(kDemoModel);
    p.apiKeyRequired = false;
    p.idleTimeoutMs = 30000;
    p.responsesSupported = true;
    p.isDemo = true;
    return p;
}

} // namespace tb::net
