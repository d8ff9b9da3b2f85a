// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "SseDecoder.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <utility>

namespace tb::net {

namespace {

constexpr QByteArrayView kBom("\xEF\xBB\xBF");

// Index of the first ch in data[from, size), or size. memchr is vectorised by libc, which keeps
// the scan well ahead of a byte loop on long JSON lines.
qsizetype findByte(const char* data, qsizetype from, qsizetype size, char ch)
{
    const void* hit = std::memchr(data + from, ch, static_cast<size_t>(size - from));
    return hit ? static_cast<const char*>(hit) - data : size;
}

// WHATWG: "If the field value consists of only ASCII digits" (so no sign, no spaces, not empty).
// Values that do not fit an int are ignored too rather than silently clamped.
std::optional<int> parseRetry(QByteArrayView value)
{
    if (value.isEmpty()) {
        return std::nullopt;
    }
    qint64 result = 0;
    for (const char c : value) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        result = result * 10 + (c - '0');
        if (result > INT_MAX) {
            return std::nullopt;
        }
    }
    return static_cast<int>(result);
}

} // namespace

void SseDecoder::feed(QByteArrayView bytes)
{
    if (hasError() || bytes.isEmpty()) {
        return;
    }
    if (m_atStreamStart) {
        // The BOM itself may arrive split across chunks, so hold back up to three bytes in
        // m_partialLine (empty at stream start) until it is clear whether they are one.
        const qsizetype take = std::min<qsizetype>(kBom.size() - m_partialLine.size(), bytes.size());
        m_partialLine.append(bytes.first(take));
        bytes = bytes.sliced(take);
        if (!kBom.startsWith(m_partialLine)) {
            m_atStreamStart = false;
            const QByteArray held = std::exchange(m_partialLine, {});
            feedLines(held);
        } else if (m_partialLine.size() == kBom.size()) {
            m_atStreamStart = false;
            m_partialLine.clear();
        } else {
            return; // still a BOM prefix and bytes is used up
        }
    }
    feedLines(bytes);
}

void SseDecoder::feedLines(QByteArrayView bytes)
{
    const char* const data = bytes.data();
    const qsizetype size = bytes.size();
    qsizetype pos = 0;
    if (m_skipLeadingLf && size > 0) {
        // The CR that ended the previous chunk already terminated its line; this LF completes the
        // CRLF and must not count as a second (blank, dispatching) line.
        m_skipLeadingLf = false;
        if (data[0] == '\n') {
            pos = 1;
        }
    }

    // Next LF / CR at or after pos, refreshed only once pos passes them, so CR-only and LF-only
    // streams are both scanned in linear time.
    qsizetype nextLf = -1;
    qsizetype nextCr = -1;
    while (pos < size) {
        if (nextLf < pos) {
            nextLf = findByte(data, pos, size, '\n');
        }
        if (nextCr < pos) {
            nextCr = findByte(data, pos, size, '\r');
        }
        const qsizetype eol = std::min(nextLf, nextCr);
        if (eol == size) {
            break;
        }
        const QByteArrayView piece(data + pos, eol - pos);
        if (m_partialLine.size() + piece.size() > m_maxEventSize) {
            setError(QStringLiteral("SSE line longer than the %1-byte limit").arg(m_maxEventSize));
            return;
        }
        if (m_partialLine.isEmpty()) {
            processLine(piece); // common case: the whole line is in this chunk, no copy
        } else {
            m_partialLine.append(piece);
            processLine(m_partialLine);
            m_partialLine.resize(0); // keeps the capacity for the next split line
        }
        if (hasError()) {
            return;
        }
        pos = eol + 1;
        if (data[eol] == '\r') {
            if (pos < size) {
                if (data[pos] == '\n') {
                    ++pos;
                }
            } else {
                m_skipLeadingLf = true;
            }
        }
    }

    if (pos < size) {
        const qsizetype rest = size - pos;
        if (m_partialLine.size() + rest > m_maxEventSize) {
            setError(QStringLiteral("SSE line longer than the %1-byte limit").arg(m_maxEventSize));
            return;
        }
        m_partialLine.append(data + pos, rest);
    }
}

void SseDecoder::processLine(QByteArrayView line)
{
    if (line.isEmpty()) {
        dispatch();
        return;
    }
    if (line.front() == ':') {
        ++m_commentCount;
        QByteArrayView text = line.sliced(1);
        if (text.startsWith(' ')) {
            text = text.sliced(1);
        }
        if (text != m_lastComment) {
            m_lastComment = text.toByteArray();
        }
        return;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        processField(line, {});
        return;
    }
    QByteArrayView value = line.sliced(colon + 1);
    if (value.startsWith(' ')) {
        value = value.sliced(1);
    }
    processField(line.first(colon), value);
}

void SseDecoder::processField(QByteArrayView name, QByteArrayView value)
{
    m_blockHasFields = true;
    if (name == QByteArrayView("data")) {
        const qsizetype newSize = m_hasData ? m_data.size() + 1 + value.size() : value.size();
        if (newSize > m_maxEventSize) {
            setError(QStringLiteral("SSE event data longer than the %1-byte limit").arg(m_maxEventSize));
            return;
        }
        if (m_hasData) {
            m_data.append('\n');
            m_data.append(value);
        } else {
            m_data = value.toByteArray();
            m_hasData = true;
        }
    } else if (name == QByteArrayView("event")) {
        if (value != m_cachedTypeBytes || m_cachedType.isNull()) {
            m_cachedTypeBytes = value.toByteArray();
            m_cachedType = QString::fromUtf8(value);
        }
        m_eventType = m_cachedType;
    } else if (name == QByteArrayView("id")) {
        if (!value.contains('\0')) {
            m_lastEventId = QString::fromUtf8(value);
        }
    } else if (name == QByteArrayView("retry")) {
        if (const std::optional<int> retry = parseRetry(value)) {
            m_reconnectionTime = retry;
            m_eventRetry = retry;
        }
    }
    // Any other field name is ignored (WHATWG), e.g. the `ignored:x` line in
    // sse/comments_and_unknown_fields.sse.
}

void SseDecoder::dispatch()
{
    if (m_hasData) {
        SseEvent event;
        event.event = std::move(m_eventType);
        event.data = std::move(m_data);
        event.id = m_lastEventId;
        event.retry = m_eventRetry;
        m_events.append(std::move(event));
    }
    // A block without data (e.g. `event: ping` alone) is dropped, but still ends the block.
    clearPendingEvent();
}

void SseDecoder::clearPendingEvent()
{
    m_data = QByteArray();
    m_hasData = false;
    m_eventType = QString();
    m_eventRetry.reset();
    m_blockHasFields = false;
}

bool SseDecoder::finish()
{
    const bool clean = !hasError() && m_partialLine.isEmpty() && !m_blockHasFields;
    if (!clean && !hasError() && m_dispatchAtFinish) {
        if (!m_partialLine.isEmpty()) {
            const QByteArray line = std::exchange(m_partialLine, {});
            processLine(line);
        }
        if (!hasError()) {
            dispatch();
        }
    }
    m_partialLine = QByteArray();
    clearPendingEvent();
    m_atStreamStart = true;
    m_skipLeadingLf = false;
    return clean;
}

void SseDecoder::reset()
{
    const qsizetype maxEventSize = m_maxEventSize;
    const bool dispatchAtFinish = m_dispatchAtFinish;
    *this = SseDecoder(maxEventSize);
    m_dispatchAtFinish = dispatchAtFinish;
}

QList<SseEvent> SseDecoder::takeEvents()
{
    return std::exchange(m_events, {});
}

QList<SseEvent> SseDecoder::decodeAll(QByteArrayView body)
{
    SseDecoder decoder;
    decoder.feed(body);
    decoder.finish();
    return decoder.takeEvents();
}

void SseDecoder::setError(QString message)
{
    m_error = std::move(message);
    // Release what the oversized input already made us hold; nothing more is parsed until reset().
    m_partialLine = QByteArray();
    clearPendingEvent();
}

} // namespace tb::net
