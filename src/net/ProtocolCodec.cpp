// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "ProtocolCodec.h"

#include "ChatCompletionsCodec.h"
#include "ResponsesCodec.h"

namespace tb::net {

std::unique_ptr<ProtocolCodec> ProtocolCodec::create(WireProtocol protocol)
{
    if (protocol == WireProtocol::Responses)
        return std::make_unique<ResponsesCodec>();
    return std::make_unique<ChatCompletionsCodec>();
}

} // namespace tb::net
