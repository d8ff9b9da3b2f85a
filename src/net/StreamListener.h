// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QString>

namespace tb::net {

/// Receives what a protocol codec decodes while a response streams in. OpenAiCall implements it
/// and turns each call into the matching core::ModelCall signal; tests implement it to record.
/// Usage is not streamed: it is part of the final ModelReply (and its usageReceived signal).
class StreamListener
{
public:
    virtual ~StreamListener() = default;
    virtual void onTextDelta(const QString& itemId, const QString& delta) = 0;
    virtual void onRefusalDelta(const QString& itemId, const QString& delta) = 0;
    virtual void onReasoningDelta(const QString& itemId, const QString& delta) = 0;
    virtual void onToolCallStarted(const QString& callId, const QString& name) = 0;
    virtual void onToolCallArgumentsDelta(const QString& callId, const QString& delta) = 0;
};

} // namespace tb::net
