// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace tb::net {

/// One dispatched Server-Sent Event.
struct SseEvent
{
    /// The `event:` field as sent, empty when the block had none. WHATWG calls that type "message";
    /// type() applies the default. Kept empty so a consumer can tell "no event line" (Chat
    /// Completions) from an explicit `event: message`.
    QString event;
    /// The `data:` lines joined with '\n', as raw bytes: UTF-8 is decoded (by the JSON parser) only
    /// once the whole event is here, so characters split across network reads are never damaged.
    QByteArray data;
    /// The last event ID at dispatch time. Per WHATWG it persists across events until another
    /// `id:` line changes it, so an event without its own `id:` carries the previous one.
    QString id;
    /// A valid `retry:` value (milliseconds) seen in this event's block, if any.
    std::optional<int> retry;

    QString type() const { return event.isEmpty() ? QStringLiteral("message") : event; }

    friend bool operator==(const SseEvent&, const SseEvent&) = default;
};

/// Incremental text/event-stream parser following the WHATWG HTML "event stream interpretation"
/// rules, over bytes so it can be fed straight from QNetworkReply::readyRead:
/// - lines end in CR, LF or CRLF, also when the CR and LF arrive in different chunks;
/// - one UTF-8 BOM at the start of a stream is skipped;
/// - `:` lines are comments (keep-alives), unknown fields are ignored;
/// - several `data:` lines are joined with '\n'; a blank line dispatches; a block without any
///   `data:` line (e.g. a bare `event: ping`) is not dispatched;
/// - `id:` values containing NUL are ignored, `retry:` is accepted only when all ASCII digits.
///
/// Usage: call feed() for every chunk, then takeEvents() to collect what completed; call finish()
/// at end of stream. Events queue up inside the decoder until taken, which lets one feed() with a
/// whole body yield many events without a per-call list allocation.
///
/// Memory is bounded: a line, or the data of one event, longer than maxEventSize() bytes puts the
/// decoder in an error state (hasError()) instead of buffering forever; after that feed() ignores
/// its input until reset(). Events completed before the error stay available from takeEvents().
class SseDecoder final
{
public:
    static constexpr qsizetype kDefaultMaxEventSize = qsizetype(16) * 1024 * 1024;

    SseDecoder() = default;
    explicit SseDecoder(qsizetype maxEventSize)
        : m_maxEventSize(maxEventSize)
    {}

    /// Parses bytes; completed events are queued for takeEvents(). Chunks may split anywhere.
    void feed(QByteArrayView bytes);

    /// Ends the stream. WHATWG discards an event whose block was not closed by a blank line, and so
    /// does this by default (every fixture in tests/data/openai ends with one; a stream cut off
    /// mid-event is truncated and must not look complete). With
    /// setDispatchUnterminatedEventAtFinish(true) the end of the stream instead closes the pending
    /// line and event, for lax servers that end with `data: [DONE]\n` and no blank line.
    /// Returns true when the stream ended on an event boundary (nothing pending was discarded or
    /// force-dispatched). Afterwards feed() starts a new stream (BOM check included); the queue,
    /// last event ID, reconnection time and error state are kept, as for a reconnect.
    bool finish();

    /// Clears everything, including queued events, the last event ID and the error state.
    void reset();

    bool hasEvents() const { return !m_events.isEmpty(); }
    /// Returns the completed events in stream order and empties the queue.
    QList<SseEvent> takeEvents();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    qsizetype maxEventSize() const { return m_maxEventSize; }
    /// Limit for one line and for the joined data of one event. Applies to bytes fed afterwards.
    void setMaxEventSize(qsizetype bytes) { m_maxEventSize = bytes; }

    bool dispatchUnterminatedEventAtFinish() const { return m_dispatchAtFinish; }
    void setDispatchUnterminatedEventAtFinish(bool on) { m_dispatchAtFinish = on; }

    /// The last event ID buffer (the value a reconnect would send as Last-Event-ID).
    QString lastEventId() const { return m_lastEventId; }
    /// The reconnection time from the last valid `retry:` line, even one in an undispatched block.
    std::optional<int> reconnectionTime() const { return m_reconnectionTime; }
    /// Comment lines seen so far; servers send them as keep-alives, so a caller can count them as
    /// signs of life even though they carry no event.
    qint64 commentCount() const { return m_commentCount; }
    /// Text of the most recent comment line, without the ':' and one following space.
    QByteArray lastComment() const { return m_lastComment; }

    /// Convenience for whole bodies: feed(body), finish(), takeEvents().
    static QList<SseEvent> decodeAll(QByteArrayView body);

private:
    void feedLines(QByteArrayView bytes);
    void processLine(QByteArrayView line);
    void processField(QByteArrayView name, QByteArrayView value);
    void dispatch();
    void clearPendingEvent();
    void setError(QString message);

    QList<SseEvent> m_events;

    // Bytes of a line whose terminator has not arrived yet (only used when a line spans chunks).
    QByteArray m_partialLine;
    // Event being assembled. m_hasData distinguishes "no data line" from "one empty data line"
    // (WHATWG appends "\n" per data line and tests the buffer before stripping the last one).
    QByteArray m_data;
    bool m_hasData = false;
    QString m_eventType;
    std::optional<int> m_eventRetry;
    bool m_blockHasFields = false; // a field line arrived since the last blank line

    // Cache of the last event type so repeated names (every Responses event has one) share one
    // QString instead of decoding and allocating per event.
    QByteArray m_cachedTypeBytes;
    QString m_cachedType;

    QString m_lastEventId;
    std::optional<int> m_reconnectionTime;
    QByteArray m_lastComment;
    qint64 m_commentCount = 0;

    QString m_error;
    qsizetype m_maxEventSize = kDefaultMaxEventSize;
    bool m_dispatchAtFinish = false;
    bool m_atStreamStart = true;  // BOM not yet ruled out
    bool m_skipLeadingLf = false; // previous chunk ended in CR: an LF now belongs to that CRLF
};

} // namespace tb::net
