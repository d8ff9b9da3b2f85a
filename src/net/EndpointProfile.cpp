// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "EndpointProfile.h"

#include <QHostAddress>

namespace tb::net {

using core::Error;
using core::Json;

QString wireProtocolName(WireProtocol protocol)
{
    return protocol == WireProtocol::Responses ? QStringLiteral("responses") : QStringLiteral("chat_completions");
}

std::optional<WireProtocol> wireProtocolFromName(QStringView name)
{
    if (name == u"responses")
        return WireProtocol::Responses;
    if (name == u"chat_completions" || name == u"chat")
        return WireProtocol::ChatCompletions;
    return std::nullopt;
}

bool isLoopbackHost(const QString& host)
{
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

core::Result<void> EndpointProfile::validate() const
{
    if (!baseUrl.isValid() || baseUrl.host().isEmpty())
        return Error::make(Error::Code::Argument, QStringLiteral("Endpoint \"%1\" has no valid base URL").arg(name));
    const QString scheme = baseUrl.scheme().toLower();
    if (scheme != u"http" && scheme != u"https")
        return Error::make(Error::Code::Argument,
                           QStringLiteral("Endpoint \"%1\": only http and https URLs are supported").arg(name));
    // An API key sent over plain http to another machine can be read on the way; loopback never
    // leaves the host, so local servers (Ollama, llama.cpp ...) need no exception.
    if (scheme == u"http" && !isLoopbackHost(baseUrl.host()) && !allowInsecureHttp)
        return Error::make(Error::Code::Argument,
                           QStringLiteral("Endpoint \"%1\": plain http to %2 is refused; use https or allow insecure "
                                          "http in the endpoint settings")
                               .arg(name, baseUrl.host()));
    return {};
}

Json EndpointProfile::toJson() const
{
    Json headers = Json::array();
    for (const auto& [key, value] : extraHeaders) {
        Json header = Json::object();
        header.insert(QStringLiteral("name"), key);
        header.insert(QStringLiteral("value"), value);
        headers.append(std::move(header));
    }
    Json json = Json::object();
    json.insert(QStringLiteral("name"), name);
    json.insert(QStringLiteral("display_name"), displayName);
    json.insert(QStringLiteral("base_url"), baseUrl.toString());
    json.insert(QStringLiteral("protocol"), wireProtocolName(protocol));
    json.insert(QStringLiteral("model"), model);
    json.insert(QStringLiteral("api_key_env"), apiKeyEnv);
    json.insert(QStringLiteral("api_key_in_keychain"), apiKeyInKeychain);
    json.insert(QStringLiteral("api_key_required"), apiKeyRequired);
    json.insert(QStringLiteral("extra_headers"), std::move(headers));
    json.insert(QStringLiteral("idle_timeout_ms"), idleTimeoutMs);
    json.insert(QStringLiteral("total_timeout_ms"), totalTimeoutMs);
    json.insert(QStringLiteral("usage_in_stream"), usageInStream);
    json.insert(QStringLiteral("tool_calls_streamed_as_deltas"), toolCallsStreamedAsDeltas);
    json.insert(QStringLiteral("responses_supported"), responsesSupported);
    json.insert(QStringLiteral("allow_insecure_http"), allowInsecureHttp);
    json.insert(QStringLiteral("demo"), isDemo);
    return json;
}

core::Result<EndpointProfile> EndpointProfile::fromJson(const Json& json)
{
    if (!json.isObject())
        return Error::make(Error::Code::Format, QStringLiteral("Endpoint profile is not a JSON object"));
    EndpointProfile p;
    auto str = [&](QStringView key, QString& out) {
        if (const Json* v = json.find(key); v && v->isString())
            out = v->toString();
    };
    auto flag = [&](QStringView key, bool& out) {
        if (const Json* v = json.find(key); v && v->isBool())
            out = v->toBool();
    };
    auto number = [&](QStringView key, qint64& out) {
        if (const Json* v = json.find(key); v && v->isNumber())
            out = v->toInt();
    };
    str(u"name", p.name);
    str(u"display_name", p.displayName);
    QString url;
    str(u"base_url", url);
    p.baseUrl = QUrl(url);
    if (const Json* v = json.find(u"protocol"); v && v->isString()) {
        const auto protocol = wireProtocolFromName(v->toString());
        if (!protocol)
            return Error::make(Error::Code::Format,
                               QStringLiteral("Unknown endpoint protocol \"%1\"").arg(v->toString()));
        p.protocol = *protocol;
    }
    str(u"model", p.model);
    str(u"api_key_env", p.apiKeyEnv);
    flag(u"api_key_in_keychain", p.apiKeyInKeychain);
    flag(u"api_key_required", p.apiKeyRequired);
    if (const Json* headers = json.find(u"extra_headers"); headers && headers->isArray()) {
        for (const Json& header : headers->asArray()) {
            const QString key = header[u"name"].toString();
            if (!key.isEmpty())
                p.extraHeaders.append({key, header[u"value"].toString()});
        }
    }
    number(u"idle_timeout_ms", p.idleTimeoutMs);
    number(u"total_timeout_ms", p.totalTimeoutMs);
    flag(u"usage_in_stream", p.usageInStream);
    flag(u"tool_calls_streamed_as_deltas", p.toolCallsStreamedAsDeltas);
    flag(u"responses_supported", p.responsesSupported);
    flag(u"allow_insecure_http", p.allowInsecureHttp);
    flag(u"demo", p.isDemo);
    return p;
}

} // namespace tb::net
