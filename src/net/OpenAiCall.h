// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "EndpointProfile.h"
#include "ProtocolCodec.h"
#include "RetryPolicy.h"
#include "SseDecoder.h"
#include "StreamListener.h"
#include "core/ModelClient.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace tb::net {

/// One model request over HTTP (created by OpenAiClient::start): sends the body, retries by the
/// RetryPolicy until the first byte reaches the caller, decodes SSE incrementally (or one JSON
/// body), turns codec callbacks into core::ModelCall signals and finishes exactly once.
///
/// Timeouts: the profile's idle timeout is QNetworkRequest::setTransferTimeout (re-armed by every
/// received chunk, so it covers both waiting for headers and a stalled stream); the total timeout
/// is a timer over the whole call. cancel() aborts the reply and finishes with Cancelled at once.
class OpenAiCall final : public core::ModelCall, private StreamListener
{
    Q_OBJECT

public:
    struct Config
    {
        QNetworkAccessManager* nam = nullptr;
        EndpointProfile profile;
        QString apiKey; // only ever placed in the Authorization header
        RetryPolicy retry;
        std::function<double()> random; // [0, 1) for backoff jitter
    };

    OpenAiCall(Config config, QByteArray body, QString requestedModel, bool stream, QObject* parent);
    ~OpenAiCall() override;
    Q_DISABLE_COPY_MOVE(OpenAiCall)

    void cancel() override;

    /// Starts the first attempt; called queued by OpenAiClient so that callers can connect first.
    void begin();
    /// Finishes with `error` (queued by the client for requests refused before sending).
    void fail(core::Error error);

    /// How many HTTP attempts were made so far.
    [[nodiscard]] int attempts() const { return m_attempt; }

private:
    void sendAttempt();
    void onReadyRead();
    void onReplyFinished();
    void processSse(const QByteArray& bytes);
    void failOrRetry(core::Error error, bool retryable, std::optional<std::chrono::milliseconds> serverDelay);
    void complete(core::Result<core::ModelReply> result);
    void dropReply(bool abort);
    core::Error redacted(core::Error error) const;
    QString headerValue(const QByteArray& name) const;

    // StreamListener
    void onTextDelta(const QString& itemId, const QString& delta) override;
    void onRefusalDelta(const QString& itemId, const QString& delta) override;
    void onReasoningDelta(const QString& itemId, const QString& delta) override;
    void onToolCallStarted(const QString& callId, const QString& name) override;
    void onToolCallArgumentsDelta(const QString& callId, const QString& delta) override;
    void markDelivered();

    Config m_config;
    QUrl m_url;
    QByteArray m_body;
    QString m_requestedModel;
    bool m_stream = true;

    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<ProtocolCodec> m_codec;
    SseDecoder m_sse;
    QByteArray m_answerBody; // body of a non-2xx answer, or a whole non-streaming body
    int m_status = 0;
    bool m_headersSeen = false;
    bool m_sseMode = false;
    bool m_delivered = false; // a byte reached the caller: never retry after this
    bool m_totalTimedOut = false;
    int m_attempt = 0;

    QTimer m_retryTimer;
    QTimer m_totalTimer;
    QElapsedTimer m_attemptClock;
    std::optional<qint64> m_ttft;
};

} // namespace tb::net
