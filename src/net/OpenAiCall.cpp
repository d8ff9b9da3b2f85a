// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "OpenAiCall.h"

#include "NetLogging.h"
#include "OpenAiErrors.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace tb::net {

using core::Error;
using core::ModelReply;
using core::Result;
using std::chrono::milliseconds;

namespace {

// A non-streaming body (or an error page) larger than this is not an OpenAI answer.
constexpr qsizetype kMaxBodyBytes = qsizetype(64) * 1024 * 1024;

// Connection-level failures that may be transient (openai-python retries APIConnectionError too).
bool isTransientNetworkError(QNetworkReply::NetworkError e)
{
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
        return true;
    default:
        return false;
    }
}

QUrl endpointUrl(const QUrl& base, const QString& path)
{
    QUrl url = base;
    QString p = url.path();
    if (!p.endsWith(u'/'))
        p += u'/';
    url.setPath(p + path);
    return url;
}

} // namespace

OpenAiCall::OpenAiCall(Config config, QByteArray body, QString requestedModel, bool stream, QObject* parent)
    : core::ModelCall(parent)
    , m_config(std::move(config))
    , m_body(std::move(body))
    , m_requestedModel(std::move(requestedModel))
    , m_stream(stream)
{
    m_url = endpointUrl(m_config.profile.baseUrl, ProtocolCodec::create(m_config.profile.protocol)->path());
    m_retryTimer.setSingleShot(true);
    m_totalTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &OpenAiCall::sendAttempt);
    connect(&m_totalTimer, &QTimer::timeout, this, [this] {
        m_totalTimedOut = true;
        dropReply(true);
        Error e =
            Error::make(Error::Code::Timeout, QStringLiteral("The request took longer than %1 s")
                                                  .arg(static_cast<double>(m_config.profile.totalTimeoutMs) / 1000.0));
        complete(e);
    });
}

OpenAiCall::~OpenAiCall()
{
    dropReply(true);
}

void OpenAiCall::begin()
{
    if (isFinished())
        return;
    if (m_config.profile.totalTimeoutMs > 0)
        m_totalTimer.start(static_cast<int>(m_config.profile.totalTimeoutMs));
    sendAttempt();
}

void OpenAiCall::fail(Error error)
{
    complete(redacted(std::move(error)));
}

void OpenAiCall::cancel()
{
    if (isFinished())
        return;
    m_retryTimer.stop();
    m_totalTimer.stop();
    dropReply(true);
    complete(Error::make(Error::Code::Cancelled, QStringLiteral("The request was cancelled")));
}

void OpenAiCall::sendAttempt()
{
    if (isFinished())
        return;
    ++m_attempt;
    m_codec = ProtocolCodec::create(m_config.profile.protocol);
    m_codec->setListener(this);
    m_codec->setRequestedModel(m_requestedModel);
    m_sse.reset();
    m_answerBody.clear();
    m_status = 0;
    m_headersSeen = false;
    m_sseMode = false;
    m_ttft.reset();

    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept",
                         m_stream ? QByteArrayLiteral("text/event-stream") : QByteArrayLiteral("application/json"));
    request.setRawHeader("User-Agent", QByteArrayLiteral("Threadbench"));
    if (!m_config.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_config.apiKey.toUtf8());
    for (const auto& [name, value] : std::as_const(m_config.profile.extraHeaders))
        request.setRawHeader(name.toUtf8(), value.toUtf8());
    if (m_config.profile.idleTimeoutMs > 0)
        request.setTransferTimeout(static_cast<int>(m_config.profile.idleTimeoutMs));
    // Answers are generated per request; a cache could only serve stale ones.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);

    m_attemptClock.start();
    m_reply = m_config.nam->post(request, m_body);
    connect(m_reply, &QNetworkReply::readyRead, this, &OpenAiCall::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &OpenAiCall::onReplyFinished);
    qCDebug(lcNet) << "POST" << m_url.toString(QUrl::RemoveUserInfo) << "attempt" << m_attempt;
}

QString OpenAiCall::headerValue(const QByteArray& name) const
{
    return m_reply ? QString::fromLatin1(m_reply->rawHeader(name)) : QString();
}

void OpenAiCall::onReadyRead()
{
    if (!m_reply || isFinished())
        return;
    if (!m_headersSeen) {
        m_headersSeen = true;
        m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray type = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().toLower();
        // A server that ignores `stream: true` answers with one JSON body; take it as such.
        m_sseMode = m_stream && m_status >= 200 && m_status < 300 && !type.contains("json");
    }
    if (!m_reply->isOpen())
        return; // aborted by the transfer timeout: nothing left to read
    const QByteArray bytes = m_reply->readAll();
    if (m_sseMode) {
        processSse(bytes);
        return;
    }
    if (m_answerBody.size() + bytes.size() > kMaxBodyBytes) {
        dropReply(true);
        complete(Error::make(Error::Code::Protocol, QStringLiteral("The endpoint's answer is too large")));
        return;
    }
    m_answerBody.append(bytes);
}

void OpenAiCall::processSse(const QByteArray& bytes)
{
    m_sse.feed(bytes);
    const QList<SseEvent> events = m_sse.takeEvents();
    for (const SseEvent& event : events) {
        if (std::optional<Error> error = m_codec->handleEvent(event)) {
            dropReply(true);
            Error e = std::move(*error);
            e.requestId = headerValue("x-request-id");
            complete(redacted(std::move(e)));
            return;
        }
        if (isFinished())
            return; // a listener cancelled us from a signal
        if (m_codec->isComplete()) {
            // Done at the terminal event ([DONE], response.completed): the reply may linger until
            // the server closes, but the answer is whole now.
            dropReply(false);
            complete(m_codec->finishStream());
            return;
        }
    }
    if (m_sse.hasError()) {
        dropReply(true);
        complete(Error::make(Error::Code::Protocol, m_sse.errorString()));
    }
}

void OpenAiCall::onReplyFinished()
{
    if (!m_reply || isFinished())
        return;
    onReadyRead(); // whatever arrived with the end
    if (isFinished() || !m_reply)
        return;

    const QNetworkReply::NetworkError netError = m_reply->error();
    if (!m_headersSeen)
        m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString requestId = headerValue("x-request-id");

    if (m_status == 0 || (netError != QNetworkReply::NoError && m_status >= 200 && m_status < 300)) {
        // No HTTP answer, or the connection broke while a 200 body was arriving.
        const bool timedOut =
            netError == QNetworkReply::OperationCanceledError || netError == QNetworkReply::TimeoutError;
        Error e =
            timedOut
                ? Error::make(Error::Code::Timeout,
                              QStringLiteral("No data from the endpoint for %1 s")
                                  .arg(static_cast<double>(m_config.profile.idleTimeoutMs) / 1000.0))
                : Error::make(Error::Code::Network,
                              m_status == 0
                                  ? m_reply->errorString()
                                  : QStringLiteral("The connection broke mid-answer: %1").arg(m_reply->errorString()));
        if (m_status != 0)
            e.httpStatus = m_status;
        e.requestId = requestId;
        const bool retryable = !timedOut && !m_delivered && isTransientNetworkError(netError);
        dropReply(false);
        failOrRetry(std::move(e), retryable, std::nullopt);
        return;
    }

    if (m_status < 200 || m_status >= 300) {
        const auto delay =
            RetryPolicy::serverDelay(m_reply->rawHeader("retry-after-ms"), m_reply->rawHeader("retry-after"));
        Error e = OpenAiErrors::fromHttp(m_status, m_answerBody, requestId, delay);
        const bool retryable = m_config.retry.isRetryableStatus(m_status, OpenAiErrors::errorCode(m_answerBody),
                                                                m_reply->rawHeader("x-should-retry"))
                               && m_config.retry.serverDelayAcceptable(delay);
        dropReply(false);
        failOrRetry(std::move(e), retryable, delay);
        return;
    }

    Result<ModelReply> result = Error::make(Error::Code::Protocol, QString());
    if (m_sseMode) {
        // A block not closed by a blank line is a truncated event; finish() drops it.
        m_sse.finish();
        result = m_codec->finishStream();
    } else {
        result = m_codec->parseBody(m_answerBody);
    }
    if (!result) {
        Error e = result.error();
        e.requestId = requestId;
        result = std::move(e);
    }
    dropReply(false);
    complete(std::move(result));
}

void OpenAiCall::failOrRetry(Error error, bool retryable, std::optional<milliseconds> serverDelay)
{
    error = redacted(std::move(error));
    if (retryable && !m_delivered && m_attempt < m_config.retry.maxAttempts) {
        const double r = m_config.random ? m_config.random() : 0.0;
        const milliseconds delay = m_config.retry.delayFor(m_attempt, serverDelay, r);
        qCInfo(lcNet) << "retrying in" << delay.count() << "ms:" << error.message;
        Q_EMIT retrying(m_attempt, delay.count(), error.message);
        if (isFinished())
            return; // cancelled from the signal
        m_retryTimer.start(delay);
        return;
    }
    complete(std::move(error));
}

void OpenAiCall::complete(Result<ModelReply> result)
{
    if (isFinished())
        return;
    m_retryTimer.stop();
    m_totalTimer.stop();
    if (result) {
        result->latencyMs = m_attemptClock.isValid() ? m_attemptClock.elapsed() : 0;
        result->timeToFirstTokenMs = m_ttft;
        if (result->usageKnown)
            Q_EMIT usageReceived(result->usage);
    } else if (result.error().code != Error::Code::Cancelled) {
        // Messages may quote input items (see ChatCompletionsCodec); keep prompts out of logs.
        qCWarning(lcNet) << "model request failed:" << static_cast<int>(result.error().code)
                         << result.error().message.left(160);
    }
    finish(std::move(result));
}

void OpenAiCall::dropReply(bool abort)
{
    if (!m_reply)
        return;
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    if (abort && reply->isRunning())
        reply->abort();
    if (reply->isRunning())
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    else
        reply->deleteLater();
}

Error OpenAiCall::redacted(Error error) const
{
    error.message = OpenAiErrors::redact(std::move(error.message), m_config.apiKey);
    return error;
}

void OpenAiCall::markDelivered()
{
    m_delivered = true;
    if (!m_ttft)
        m_ttft = m_attemptClock.elapsed();
}

void OpenAiCall::onTextDelta(const QString& itemId, const QString& delta)
{
    if (isFinished())
        return; // cancelled from an earlier signal of the same event
    markDelivered();
    Q_EMIT textDelta(itemId, delta);
}

void OpenAiCall::onRefusalDelta(const QString& itemId, const QString& delta)
{
    if (isFinished())
        return; // cancelled from an earlier signal of the same event
    markDelivered();
    Q_EMIT refusalDelta(itemId, delta);
}

void OpenAiCall::onReasoningDelta(const QString& itemId, const QString& delta)
{
    if (isFinished())
        return; // cancelled from an earlier signal of the same event
    markDelivered();
    Q_EMIT reasoningDelta(itemId, delta);
}

void OpenAiCall::onToolCallStarted(const QString& callId, const QString& name)
{
    if (isFinished())
        return;
    markDelivered();
    Q_EMIT toolCallStarted(callId, name);
}

void OpenAiCall::onToolCallArgumentsDelta(const QString& callId, const QString& delta)
{
    if (isFinished())
        return;
    markDelivered();
    Q_EMIT toolCallArgumentsDelta(callId, delta);
}

} // namespace tb::net
