// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "EndpointProfile.h"
#include "SseDecoder.h"
#include "StreamListener.h"
#include "core/ModelTypes.h"
#include "core/Result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace tb::net {

/// One wire protocol: builds the request body and decodes the answer (SSE events or one JSON
/// body) into a core::ModelReply whose output items are what the Agents SDK stores. Pure: no
/// sockets, so every fixture can be fed to it directly. One instance decodes one response.
class ProtocolCodec
{
public:
    struct RequestOptions
    {
        QString model; // resolved model name (request's, else the profile's)
        bool stream = true;
        bool includeUsage = true; // Chat only: ask for the final usage chunk
    };

    virtual ~ProtocolCodec() = default;

    static std::unique_ptr<ProtocolCodec> create(WireProtocol protocol);

    /// Path below the base URL: "responses" or "chat/completions".
    [[nodiscard]] virtual QString path() const = 0;
    /// The JSON request body (compact, UTF-8). Fails for input the protocol cannot express.
    [[nodiscard]] virtual core::Result<QByteArray> requestBody(const core::ModelRequest& request,
                                                               const RequestOptions& options) const = 0;

    /// The model name the request asked for; Chat items record it in provider_data as the SDK does.
    void setRequestedModel(const QString& model) { m_requestedModel = model; }
    void setListener(StreamListener* listener) { m_listener = listener; }

    /// Feeds one SSE event. Returns an error when the stream reports one (the stream is over then).
    virtual std::optional<core::Error> handleEvent(const SseEvent& event) = 0;
    /// True once the protocol's terminal event arrived (`[DONE]`, `response.completed` ...).
    [[nodiscard]] virtual bool isComplete() const = 0;
    /// The reply once the stream has ended (terminal event seen, or connection closed).
    virtual core::Result<core::ModelReply> finishStream() = 0;
    /// Decodes a whole non-streaming JSON body.
    virtual core::Result<core::ModelReply> parseBody(const QByteArray& body) = 0;

protected:
    QString m_requestedModel;
    StreamListener* m_listener = nullptr;
};

} // namespace tb::net
