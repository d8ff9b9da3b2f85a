// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "ProtocolCodec.h"

#include <QHash>
#include <QMap>

namespace tb::net {

/// Responses API (POST {base}/responses). The reply's output is the terminal response's `output`
/// (what the SDK's Runner keeps), reordered into openai field order; streamed deltas are keyed by
/// `item_id`, function-call arguments mapped to their `call_id`. Streams have no `[DONE]`: they end
/// on response.completed / response.incomplete / response.failed or `event: error`.
class ResponsesCodec final : public ProtocolCodec
{
public:
    [[nodiscard]] QString path() const override { return QStringLiteral("responses"); }
    [[nodiscard]] core::Result<QByteArray> requestBody(const core::ModelRequest& request,
                                                       const RequestOptions& options) const override;

    std::optional<core::Error> handleEvent(const SseEvent& event) override;
    [[nodiscard]] bool isComplete() const override { return m_done; }
    core::Result<core::ModelReply> finishStream() override;
    core::Result<core::ModelReply> parseBody(const QByteArray& body) override;

private:
    core::Result<core::ModelReply> replyFrom(const core::Json& response);

    bool m_done = false;
    core::Json m_final;                     // the terminal event's `response`
    QHash<QString, QString> m_callIdByItem; // function_call item id → call_id
    QMap<qint64, core::Json> m_doneItems;   // output_item.done by output_index (fallback output)
};

} // namespace tb::net
