// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "ProtocolCodec.h"

#include <QList>
#include <QMap>

namespace tb::net {

/// Chat Completions (POST {base}/chat/completions), mapped the way the Agents SDK maps it:
/// input items → messages as `Converter.items_to_messages` does (chatcmpl_converter.py), output →
/// Responses items with the `__fake_id__` placeholder and provider_data {model, response_id}
/// (`Converter.message_to_output_items`, and `ChatCmplStreamHandler` for streams).
class ChatCompletionsCodec final : public ProtocolCodec
{
public:
    [[nodiscard]] QString path() const override { return QStringLiteral("chat/completions"); }
    [[nodiscard]] core::Result<QByteArray> requestBody(const core::ModelRequest& request,
                                                       const RequestOptions& options) const override;

    std::optional<core::Error> handleEvent(const SseEvent& event) override;
    [[nodiscard]] bool isComplete() const override { return m_done; }
    core::Result<core::ModelReply> finishStream() override;
    core::Result<core::ModelReply> parseBody(const QByteArray& body) override;

    /// Input items → Chat messages (instructions not included).
    static core::Result<core::Json> itemsToMessages(const QList<core::Json>& items);
    /// `usage` object of either shape → RunUsage; sets the two "known" flags of `reply`.
    static void applyUsage(const core::Json& usage, core::ModelReply& reply);

private:
    struct ToolCall
    {
        QString callId;
        QString name;
        QString arguments;
        bool started = false;
    };

    core::Json providerData() const;
    core::Result<core::ModelReply> buildReply(const core::Json& usage);

    // Stream state (mirrors the SDK's StreamingState).
    QString m_responseId;
    QString m_model;
    QString m_finishReason;
    core::Json m_usage;
    bool m_sawUsage = false;
    bool m_done = false;
    QString m_reasoningSummary;
    QString m_reasoningContent;
    bool m_hasReasoning = false;
    QString m_text;
    QString m_refusal;
    int m_textIndex = -1; // content index of the text part, -1 until it opens
    int m_refusalIndex = -1;
    qsizetype m_callsBeforeMessage = -1; // function calls placed before the message (-1: not opened)
    QMap<int, ToolCall> m_calls;         // by the wire `index`
    QList<int> m_callOrder;              // first-seen order of indexes (Python dict order)
    bool m_anyCallStarted = false;
};

} // namespace tb::net
