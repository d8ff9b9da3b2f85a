// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// SseDecoder against every .sse body in tests/data/openai (a copy of shared/fixtures/openai; the
// expectations come from its README.md) and against synthetic edge cases of the WHATWG rules.

#include "net/SseDecoder.h"

#include "TestData.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <gtest/gtest.h>

#include <iterator>
#include <ostream>
#include <string>

namespace tb::net {

// Readable gtest failure output; in tb::net so argument-dependent lookup finds it.
void PrintTo(const SseEvent& event, std::ostream* os)
{
    *os << "{event=\"" << event.event.toStdString() << "\" data=\"" << event.data.toStdString() << "\" id=\""
        << event.id.toStdString() << "\" retry=" << (event.retry ? std::to_string(*event.retry) : std::string("none"))
        << "}";
}

namespace {

using namespace Qt::StringLiterals;

// Every .sse fixture; OpenAiFixtures.ListIsComplete fails when one is added without expectations.
const QStringList kSseFixtures = {
    u"chat/chat_stream_parallel_tool_calls.sse"_s,
    u"chat/chat_stream_refusal.sse"_s,
    u"chat/chat_stream_text.sse"_s,
    u"chat/chat_stream_text_usage_details.DERIVED.sse"_s,
    u"chat/chat_stream_tool_call.sse"_s,
    u"errors/stream_error_chat.sse"_s,
    u"errors/stream_error_responses.sse"_s,
    u"errors/stream_response_failed.sse"_s,
    u"responses/responses_stream_function_calls.sse"_s,
    u"responses/responses_stream_reasoning_function_call.sse"_s,
    u"responses/responses_stream_text_reasoning.sse"_s,
    u"sse/comments_and_unknown_fields.sse"_s,
    u"sse/crlf_and_cr_endings.sse"_s,
    u"sse/escaped_newlines_in_json.sse"_s,
    u"sse/multiline_data.sse"_s,
    u"sse/u2028_in_json.sse"_s,
    u"sse/utf8_multibyte.sse"_s,
};

QString openAiDir()
{
    return QDir(tb::test::testDataDir()).filePath(u"openai"_s);
}

QByteArray readFixture(const QString& relativePath)
{
    QFile file(QDir(openAiDir()).filePath(relativePath));
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << "cannot open " << file.fileName().toStdString();
    return file.readAll();
}

struct Decoded
{
    QList<SseEvent> events;
    bool clean = false;
    bool error = false;
    qint64 comments = 0;
};

// Feeds body in chunkSize pieces (0 = one piece) and collects the events after every feed, the way
// a QNetworkReply::readyRead handler would.
Decoded decodeInChunks(QByteArrayView body, qsizetype chunkSize)
{
    SseDecoder decoder;
    Decoded result;
    const qsizetype step = chunkSize > 0 ? chunkSize : qMax<qsizetype>(body.size(), 1);
    for (qsizetype pos = 0; pos < body.size(); pos += step) {
        decoder.feed(body.sliced(pos, qMin(step, body.size() - pos)));
        result.events += decoder.takeEvents();
    }
    result.clean = decoder.finish();
    result.events += decoder.takeEvents();
    result.error = decoder.hasError();
    result.comments = decoder.commentCount();
    return result;
}

QList<SseEvent> decodeFixture(const QString& relativePath)
{
    const Decoded decoded = decodeInChunks(readFixture(relativePath), 0);
    EXPECT_FALSE(decoded.error);
    EXPECT_TRUE(decoded.clean);
    return decoded.events;
}

QJsonObject parseObject(const QByteArray& data)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError)
        << error.errorString().toStdString() << " in: " << data.left(200).toStdString();
    EXPECT_TRUE(doc.isObject()) << data.left(200).toStdString();
    return doc.object();
}

SseEvent makeEvent(const QByteArray& data, const QString& event = {}, const QString& id = {},
                   std::optional<int> retry = std::nullopt)
{
    return SseEvent{event, data, id, retry};
}

// --- every fixture, every chunking -------------------------------------------------------------

TEST(SseDecoderFixtures, ListIsComplete)
{
    QStringList found;
    QDirIterator it(openAiDir(), {u"*.sse"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        found << QDir(openAiDir()).relativeFilePath(it.next());
    }
    found.sort();
    QStringList expected = kSseFixtures;
    expected.sort();
    EXPECT_EQ(found, expected) << "tests/data/openai changed: give the new .sse file expectations here";
}

TEST(SseDecoderFixtures, OneSevenAndWholeBodyChunksAgree)
{
    for (const QString& path : kSseFixtures) {
        SCOPED_TRACE(path.toStdString());
        const QByteArray body = readFixture(path);
        ASSERT_FALSE(body.isEmpty());
        const Decoded whole = decodeInChunks(body, 0);
        EXPECT_FALSE(whole.error);
        EXPECT_TRUE(whole.clean) << "every fixture ends with a blank line";
        EXPECT_FALSE(whole.events.isEmpty());
        for (const qsizetype chunk : {1, 7, 2, 3, 64}) {
            SCOPED_TRACE(chunk);
            const Decoded split = decodeInChunks(body, chunk);
            EXPECT_FALSE(split.error);
            EXPECT_TRUE(split.clean);
            EXPECT_EQ(split.comments, whole.comments);
            EXPECT_EQ(split.events, whole.events);
        }
        EXPECT_EQ(SseDecoder::decodeAll(body), whole.events);
    }
}

// Pseudo-random chunk sizes (fixed seed, so failures reproduce) catch boundaries 1/7 miss.
TEST(SseDecoderFixtures, RandomChunkBoundariesAgree)
{
    quint32 state = 12345;
    auto next = [&state](quint32 bound) {
        state = state * 1664525u + 1013904223u;
        return (state >> 8) % bound;
    };
    for (const QString& path : kSseFixtures) {
        SCOPED_TRACE(path.toStdString());
        const QByteArray body = readFixture(path);
        const QList<SseEvent> expected = decodeInChunks(body, 0).events;
        for (int round = 0; round < 20; ++round) {
            SseDecoder decoder;
            QList<SseEvent> events;
            qsizetype pos = 0;
            while (pos < body.size()) {
                const qsizetype n = qMin<qsizetype>(1 + next(40), body.size() - pos);
                decoder.feed(QByteArrayView(body).sliced(pos, n));
                events += decoder.takeEvents();
                pos += n;
            }
            EXPECT_TRUE(decoder.finish());
            events += decoder.takeEvents();
            EXPECT_EQ(events, expected) << "round " << round;
        }
    }
}

// The small sse/ bodies: every possible two-piece split, including inside each multi-byte character.
TEST(SseDecoderFixtures, EveryTwoPieceSplitOfSmallBodiesAgrees)
{
    for (const QString& path : kSseFixtures) {
        if (!path.startsWith(u"sse/"_s)) {
            continue;
        }
        SCOPED_TRACE(path.toStdString());
        const QByteArray body = readFixture(path);
        const QList<SseEvent> expected = decodeInChunks(body, 0).events;
        for (qsizetype cut = 0; cut <= body.size(); ++cut) {
            SseDecoder decoder;
            decoder.feed(QByteArrayView(body).first(cut));
            decoder.feed(QByteArrayView(body).sliced(cut));
            EXPECT_TRUE(decoder.finish());
            EXPECT_EQ(decoder.takeEvents(), expected) << "cut at " << cut;
        }
    }
}

// --- chat/ ---------------------------------------------------------------------------------------

struct ChatStream
{
    const char16_t* path;
    int chunks; // data events before [DONE]
};

TEST(SseDecoderFixtures, ChatStreamsAreJsonChunksThenDone)
{
    const ChatStream streams[] = {
        {u"chat/chat_stream_text.sse", 33},
        {u"chat/chat_stream_tool_call.sse", 10},
        {u"chat/chat_stream_parallel_tool_calls.sse", 25},
        {u"chat/chat_stream_refusal.sse", 13},
        {u"chat/chat_stream_text_usage_details.DERIVED.sse", 12},
    };
    for (const ChatStream& stream : streams) {
        const QString path = QString::fromUtf16(stream.path);
        SCOPED_TRACE(path.toStdString());
        const QList<SseEvent> events = decodeFixture(path);
        ASSERT_EQ(events.size(), stream.chunks + 1);
        EXPECT_EQ(events.last().data, "[DONE]"_ba);
        for (qsizetype i = 0; i < events.size(); ++i) {
            const SseEvent& event = events.at(i);
            // Chat Completions sends no `event:` lines, so every event has the default type.
            EXPECT_TRUE(event.event.isEmpty());
            EXPECT_EQ(event.type(), u"message"_s);
            EXPECT_TRUE(event.id.isEmpty());
            EXPECT_FALSE(event.retry.has_value());
            if (i + 1 < events.size()) {
                EXPECT_EQ(parseObject(event.data).value(u"object"_s).toString(), u"chat.completion.chunk"_s);
            }
        }
        // The usage chunk just before [DONE] has `choices: []`.
        const QJsonObject usageChunk = parseObject(events.at(events.size() - 2).data);
        EXPECT_TRUE(usageChunk.value(u"choices"_s).toArray().isEmpty());
        EXPECT_TRUE(usageChunk.value(u"usage"_s).isObject());
    }
}

// Joins choices[0].delta.<field> over all chunks: proves payload bytes arrive intact in order.
QString joinDeltas(const QList<SseEvent>& events, const QString& field)
{
    QString text;
    for (const SseEvent& event : events) {
        if (event.data == "[DONE]") {
            break;
        }
        const QJsonArray choices = parseObject(event.data).value(u"choices"_s).toArray();
        if (!choices.isEmpty()) {
            text += choices.first().toObject().value(u"delta"_s).toObject().value(field).toString();
        }
    }
    return text;
}

TEST(SseDecoderFixtures, ChatStreamTextDeltasJoin)
{
    const QString text = joinDeltas(decodeFixture(u"chat/chat_stream_text.sse"_s), u"content"_s);
    EXPECT_EQ(text.size(), 159);
    EXPECT_TRUE(text.startsWith(u"I'm unable to provide real-time weather updates."_s));
    EXPECT_TRUE(text.endsWith(u"or a weather app."_s));

    EXPECT_EQ(joinDeltas(decodeFixture(u"chat/chat_stream_refusal.sse"_s), u"refusal"_s),
              u"I'm sorry, I can't assist with that request."_s);
    EXPECT_EQ(joinDeltas(decodeFixture(u"chat/chat_stream_text_usage_details.DERIVED.sse"_s), u"content"_s),
              u"Hello! How can I assist you today?"_s);
}

// --- responses/ ----------------------------------------------------------------------------------

struct ResponsesStream
{
    const char16_t* path;
    int events; // sequence_number runs 0 .. events - 1
};

TEST(SseDecoderFixtures, ResponsesStreamsNameEveryEvent)
{
    const ResponsesStream streams[] = {
        {u"responses/responses_stream_function_calls.sse", 29},
        {u"responses/responses_stream_reasoning_function_call.sse", 19},
        {u"responses/responses_stream_text_reasoning.sse", 67},
    };
    for (const ResponsesStream& stream : streams) {
        const QString path = QString::fromUtf16(stream.path);
        SCOPED_TRACE(path.toStdString());
        const QList<SseEvent> events = decodeFixture(path);
        ASSERT_EQ(events.size(), stream.events);
        for (qsizetype i = 0; i < events.size(); ++i) {
            const QJsonObject json = parseObject(events.at(i).data);
            // The `event:` line repeats the JSON `type`; no [DONE] in Responses streams.
            EXPECT_EQ(events.at(i).event, json.value(u"type"_s).toString());
            EXPECT_EQ(json.value(u"sequence_number"_s).toInt(-1), i);
        }
        EXPECT_EQ(events.first().event, u"response.created"_s);
        EXPECT_EQ(events.last().event, u"response.completed"_s);
    }
}

TEST(SseDecoderFixtures, ResponsesTextDeltasKeepUtf8)
{
    const QList<SseEvent> events = decodeFixture(u"responses/responses_stream_text_reasoning.sse"_s);
    QString deltas;
    QString done;
    int deltaCount = 0;
    for (const SseEvent& event : events) {
        const QJsonObject json = parseObject(event.data);
        if (event.event == u"response.output_text.delta"_s) {
            deltas += json.value(u"delta"_s).toString();
            ++deltaCount;
        } else if (event.event == u"response.output_text.done"_s) {
            done = json.value(u"text"_s).toString();
        }
    }
    EXPECT_EQ(deltaCount, 57);
    EXPECT_EQ(deltas.size(), 256);
    EXPECT_EQ(deltas.toUtf8().size(), 260);
    EXPECT_TRUE(deltas.startsWith(u"I\u2019m an AI assistant"_s));
    EXPECT_EQ(deltas, done);
}

// --- errors/ -------------------------------------------------------------------------------------

TEST(SseDecoderFixtures, StreamErrorChat)
{
    const QList<SseEvent> events = decodeFixture(u"errors/stream_error_chat.sse"_s);
    ASSERT_EQ(events.size(), 4);
    EXPECT_EQ(joinDeltas(events.first(3), u"content"_s), u"I'm unable"_s);
    const QJsonObject error = parseObject(events.last().data).value(u"error"_s).toObject();
    EXPECT_EQ(error.value(u"type"_s).toString(), u"server_error"_s);
    EXPECT_TRUE(error.value(u"code"_s).isNull());
    EXPECT_EQ(error.value(u"message"_s).toString(),
              u"The server had an error while processing your request. Sorry about that!"_s);
    for (const SseEvent& event : events) {
        EXPECT_NE(event.data, "[DONE]"_ba);
    }
}

TEST(SseDecoderFixtures, StreamErrorResponses)
{
    const QList<SseEvent> events = decodeFixture(u"errors/stream_error_responses.sse"_s);
    ASSERT_EQ(events.size(), 2);
    EXPECT_EQ(events.at(0).event, u"response.created"_s);
    EXPECT_EQ(parseObject(events.at(0).data).value(u"sequence_number"_s).toInt(-1), 0);
    EXPECT_EQ(events.at(1).event, u"error"_s);
    const QJsonObject error = parseObject(events.at(1).data);
    EXPECT_EQ(error.value(u"code"_s).toString(), u"server_error"_s);
    EXPECT_TRUE(error.value(u"param"_s).isNull());
    EXPECT_EQ(error.value(u"sequence_number"_s).toInt(-1), 1);
}

TEST(SseDecoderFixtures, StreamResponseFailed)
{
    const QList<SseEvent> events = decodeFixture(u"errors/stream_response_failed.sse"_s);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().event, u"response.failed"_s);
    const QJsonObject json = parseObject(events.first().data);
    EXPECT_EQ(json.value(u"sequence_number"_s).toInt(-1), 1);
    const QJsonObject response = json.value(u"response"_s).toObject();
    EXPECT_EQ(response.value(u"status"_s).toString(), u"failed"_s);
    EXPECT_EQ(response.value(u"error"_s).toObject().value(u"message"_s).toString(),
              u"The model failed to generate a response."_s);
}

// --- sse/ ----------------------------------------------------------------------------------------

TEST(SseDecoderFixtures, CommentsAndUnknownFields)
{
    const Decoded decoded = decodeInChunks(readFixture(u"sse/comments_and_unknown_fields.sse"_s), 1);
    // The data-less `event: ping` block is not dispatched, the comment and `ignored:x` vanish. The
    // decoder does deliver data after [DONE]: dropping it is the Chat client's rule, not framing.
    const QList<SseEvent> expected = {
        makeEvent(R"({"n":1})"_ba),
        makeEvent("[DONE]"_ba),
        makeEvent(R"({"after_done":true})"_ba),
    };
    EXPECT_EQ(decoded.events, expected);
    EXPECT_EQ(decoded.comments, 1);

    SseDecoder decoder;
    decoder.feed(readFixture(u"sse/comments_and_unknown_fields.sse"_s));
    EXPECT_EQ(decoder.lastComment(), "keep-alive"_ba);
    for (const SseEvent& event : decoder.takeEvents()) {
        EXPECT_NE(event.event, u"ping"_s);
    }
}

TEST(SseDecoderFixtures, CrlfAndCrEndings)
{
    const QByteArray body = readFixture(u"sse/crlf_and_cr_endings.sse"_s);
    ASSERT_TRUE(body.contains("\r\n") && body.contains("\r\r"));
    const QList<SseEvent> expected(3, makeEvent("ok"_ba));
    EXPECT_EQ(decodeFixture(u"sse/crlf_and_cr_endings.sse"_s), expected);
}

TEST(SseDecoderFixtures, EscapedNewlinesInJson)
{
    const QList<SseEvent> events = decodeFixture(u"sse/escaped_newlines_in_json.sse"_s);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().event, u"ping"_s);
    EXPECT_EQ(events.first().data, R"({"foo": "my long\n\ncontent"})"_ba);
    EXPECT_EQ(parseObject(events.first().data).value(u"foo"_s).toString(), u"my long\n\ncontent"_s);
}

TEST(SseDecoderFixtures, MultilineDataIsJoinedWithLf)
{
    const QList<SseEvent> events = decodeFixture(u"sse/multiline_data.sse"_s);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().event, u"ping"_s);
    // Five data lines, two of them empty; `data: ` keeps nothing after its one removed space.
    EXPECT_EQ(events.first().data, "{\n\"foo\":\n\n\ntrue}"_ba);
    EXPECT_EQ(parseObject(events.first().data).value(u"foo"_s), QJsonValue(true));
}

TEST(SseDecoderFixtures, U2028InJsonIsNotALineBreak)
{
    const QList<SseEvent> events = decodeFixture(u"sse/u2028_in_json.sse"_s);
    ASSERT_EQ(events.size(), 3);
    EXPECT_EQ(events.at(1).data, "{\"content\":\" \xE2\x80\xA8\"}"_ba);
    const QStringList contents = {u" culpa"_s, u" \u2028"_s, u"foo"_s};
    for (qsizetype i = 0; i < events.size(); ++i) {
        EXPECT_EQ(parseObject(events.at(i).data).value(u"content"_s).toString(), contents.at(i));
    }
}

TEST(SseDecoderFixtures, Utf8MultibyteSplitMidCharacter)
{
    const QByteArray body = readFixture(u"sse/utf8_multibyte.sse"_s);
    const QByteArray word = "\xD0\xB8\xD0\xB7\xD0\xB2\xD0\xB5\xD1\x81\xD1\x82\xD0\xBD\xD0\xB8";
    // Six reads as in openai-python's multi-chunk test, two of them ending inside a character
    // (the word starts at byte 18 and every character is two bytes).
    const qsizetype cuts[] = {0, 12, 19, 20, 27, 34, body.size()};
    SseDecoder decoder;
    for (qsizetype i = 0; i + 1 < qsizetype(std::size(cuts)); ++i) {
        decoder.feed(QByteArrayView(body).sliced(cuts[i], cuts[i + 1] - cuts[i]));
    }
    EXPECT_TRUE(decoder.finish());
    const QList<SseEvent> events = decoder.takeEvents();
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().data, QByteArray("{\"content\":\"" + word + "\"}"));
    const QString content = parseObject(events.first().data).value(u"content"_s).toString();
    EXPECT_EQ(content, u"известни"_s);
    EXPECT_EQ(content.size(), 8);
    EXPECT_EQ(content.toUtf8().size(), 16);
}

// --- synthetic edge cases ------------------------------------------------------------------------

QList<SseEvent> decodeWhole(QByteArrayView body)
{
    SseDecoder decoder;
    decoder.feed(body);
    EXPECT_FALSE(decoder.hasError());
    decoder.finish();
    return decoder.takeEvents();
}

TEST(SseDecoder, CrAtChunkEndFollowedByLfIsOneLineEnd)
{
    SseDecoder decoder;
    decoder.feed("data:a\r");
    EXPECT_FALSE(decoder.hasEvents());
    decoder.feed({}); // an empty read between the CR and the LF changes nothing
    decoder.feed("\ndata:b\r");
    decoder.feed("\n");
    EXPECT_FALSE(decoder.hasEvents()) << "a split CRLF must not read as a blank line";
    decoder.feed("\r"); // the blank line
    EXPECT_EQ(decoder.takeEvents(), QList<SseEvent>{makeEvent("a\nb"_ba)});
    decoder.feed("\n"); // completes that CRLF, so it is no second blank line
    decoder.feed("data:c\r\n\r\n");
    EXPECT_TRUE(decoder.finish());
    EXPECT_EQ(decoder.takeEvents(), QList<SseEvent>{makeEvent("c"_ba)});
}

TEST(SseDecoder, CrAtChunkEndFollowedByCrIsBlankLine)
{
    SseDecoder decoder;
    decoder.feed("data:a\r");
    decoder.feed("\rdata:b\n\n");
    EXPECT_EQ(decoder.takeEvents(), (QList<SseEvent>{makeEvent("a"_ba), makeEvent("b"_ba)}));
}

TEST(SseDecoder, MixedLineEndings)
{
    const QByteArray body = "data:1\r\ndata:2\rdata:3\n\r\n"
                            "data:4\n\r"
                            "data:5\r\n\n";
    const QList<SseEvent> expected = {makeEvent("1\n2\n3"_ba), makeEvent("4"_ba), makeEvent("5"_ba)};
    for (const qsizetype chunk : {0, 1, 2, 3}) {
        EXPECT_EQ(decodeInChunks(body, chunk).events, expected) << "chunk " << chunk;
    }
}

TEST(SseDecoder, BomAtStreamStartIsSkipped)
{
    const QByteArray body = "\xEF\xBB\xBF"
                            "data:x\n\n";
    for (const qsizetype chunk : {0, 1, 2, 4}) {
        EXPECT_EQ(decodeInChunks(body, chunk).events, QList<SseEvent>{makeEvent("x"_ba)}) << "chunk " << chunk;
    }
}

TEST(SseDecoder, OnlyOneBomIsSkipped)
{
    // The second BOM becomes part of the field name, which is then unknown.
    const QByteArray twoBoms = "\xEF\xBB\xBF\xEF\xBB\xBF"
                               "data:x\n\n";
    EXPECT_TRUE(decodeWhole(twoBoms).isEmpty());
    // BOM-like bytes that are not a whole BOM are ordinary input.
    const QByteArray partialBom = "\xEF\xBB"
                                  "data:x\n\n";
    EXPECT_TRUE(decodeInChunks(partialBom, 1).events.isEmpty());
    EXPECT_EQ(decodeWhole("data:\xEF\xBB\xBF\n\n"), QList<SseEvent>{makeEvent("\xEF\xBB\xBF"_ba)});
}

TEST(SseDecoder, NewStreamAfterFinishMaySkipBomAgain)
{
    SseDecoder decoder;
    decoder.feed("\xEF\xBB\xBF"
                 "data:1\n\n");
    EXPECT_TRUE(decoder.finish());
    decoder.feed("\xEF\xBB\xBF"
                 "data:2\n\n");
    EXPECT_TRUE(decoder.finish());
    EXPECT_EQ(decoder.takeEvents(), (QList<SseEvent>{makeEvent("1"_ba), makeEvent("2"_ba)}));
}

TEST(SseDecoder, UnterminatedEventIsDiscardedAtFinish)
{
    for (const char* body : {"data:x\n", "data:x", "event:e\n", "data:x\r"}) {
        SCOPED_TRACE(body);
        SseDecoder decoder;
        decoder.feed(body);
        EXPECT_FALSE(decoder.finish()) << "truncated stream must be reported";
        EXPECT_FALSE(decoder.hasEvents());
        EXPECT_FALSE(decoder.hasError());
    }
    // A trailing comment without a blank line is not an event; the stream still ended cleanly.
    SseDecoder decoder;
    decoder.feed("data:x\n\n: bye\n");
    EXPECT_TRUE(decoder.finish());
    EXPECT_EQ(decoder.takeEvents().size(), 1);
}

TEST(SseDecoder, UnterminatedEventCanBeDispatchedAtFinish)
{
    for (const char* body : {"data: [DONE]\n", "data: [DONE]", "data: [DONE]\r"}) {
        SCOPED_TRACE(body);
        SseDecoder decoder;
        decoder.setDispatchUnterminatedEventAtFinish(true);
        decoder.feed(body);
        EXPECT_FALSE(decoder.finish());
        EXPECT_EQ(decoder.takeEvents(), QList<SseEvent>{makeEvent("[DONE]"_ba)});
    }
    SseDecoder decoder;
    decoder.setDispatchUnterminatedEventAtFinish(true);
    decoder.feed("data:x\n\nevent: ping\n");
    EXPECT_FALSE(decoder.finish());
    EXPECT_EQ(decoder.takeEvents(), QList<SseEvent>{makeEvent("x"_ba)}) << "no data, still nothing to dispatch";
}

TEST(SseDecoder, OversizedLineIsAnError)
{
    const QByteArray body = "data:ok\n\n"
                            "data:"
                            + QByteArray(32, 'x') + "\n\ndata:late\n\n";
    for (const qsizetype chunk : {0, 1, 7}) {
        SCOPED_TRACE(chunk);
        SseDecoder decoder(16);
        const qsizetype step = chunk > 0 ? chunk : body.size();
        for (qsizetype pos = 0; pos < body.size(); pos += step) {
            decoder.feed(QByteArrayView(body).sliced(pos, qMin(step, body.size() - pos)));
        }
        EXPECT_TRUE(decoder.hasError());
        EXPECT_FALSE(decoder.errorString().isEmpty());
        EXPECT_FALSE(decoder.finish());
        // Events completed before the error survive; nothing after it is parsed.
        EXPECT_EQ(decoder.takeEvents(), QList<SseEvent>{makeEvent("ok"_ba)});
        decoder.feed("data:more\n\n");
        EXPECT_FALSE(decoder.hasEvents());

        decoder.reset();
        EXPECT_FALSE(decoder.hasError());
        EXPECT_TRUE(decoder.errorString().isEmpty());
        EXPECT_EQ(decoder.maxEventSize(), 16);
        decoder.feed("data:more\n\n");
        EXPECT_EQ(decoder.takeEvents(), QList<SseEvent>{makeEvent("more"_ba)});
    }
}

TEST(SseDecoder, LineWithoutEndIsBoundedWhileBuffering)
{
    SseDecoder decoder(1024);
    const QByteArray piece(100, 'x');
    decoder.feed("data:");
    for (int i = 0; i < 10 && !decoder.hasError(); ++i) {
        decoder.feed(piece);
    }
    EXPECT_FALSE(decoder.hasError()) << "1005 bytes is within the limit";
    decoder.feed(piece);
    EXPECT_TRUE(decoder.hasError()) << "no line end yet, but the buffer may not grow past the limit";
}

TEST(SseDecoder, LimitIsInclusive)
{
    SseDecoder decoder(8);
    decoder.feed("data:123\n\n"); // an 8-byte line
    EXPECT_FALSE(decoder.hasError());
    decoder.feed("data:1234\n\n");
    EXPECT_TRUE(decoder.hasError());
    EXPECT_EQ(decoder.takeEvents(), QList<SseEvent>{makeEvent("123"_ba)});
}

TEST(SseDecoder, OversizedEventDataIsAnError)
{
    // Each line is short, but the joined data of one event passes the limit.
    SseDecoder decoder(20);
    decoder.feed("data:0123456789\ndata:0123456789\n\n");
    EXPECT_TRUE(decoder.hasError());
    EXPECT_FALSE(decoder.hasEvents());
}

TEST(SseDecoder, DefaultLimitIs16MiB)
{
    EXPECT_EQ(SseDecoder().maxEventSize(), 16 * 1024 * 1024);
    SseDecoder decoder;
    decoder.setMaxEventSize(4);
    EXPECT_EQ(decoder.maxEventSize(), 4);
    decoder.feed("data:x\n\n");
    EXPECT_TRUE(decoder.hasError());
}

TEST(SseDecoder, IdWithNulIsIgnored)
{
    static const char raw[] = "id: 1\ndata:a\n\nid: 2\0x\ndata:b\n\n";
    const QByteArray body(raw, sizeof(raw) - 1);
    ASSERT_TRUE(body.contains('\0'));
    SseDecoder decoder;
    decoder.feed(body);
    EXPECT_EQ(decoder.takeEvents(), (QList<SseEvent>{makeEvent("a"_ba, {}, u"1"_s), makeEvent("b"_ba, {}, u"1"_s)}));
    EXPECT_EQ(decoder.lastEventId(), u"1"_s);
}

TEST(SseDecoder, IdPersistsUntilChanged)
{
    const QList<SseEvent> expected = {
        makeEvent("a"_ba, {}, u"7"_s),
        makeEvent("b"_ba, {}, u"7"_s),
        makeEvent("c"_ba), // a bare `id` line resets it to empty
        makeEvent("d"_ba, {}, u"\u00e9"_s),
    };
    EXPECT_EQ(decodeWhole("id:7\ndata:a\n\ndata:b\n\nid\ndata:c\n\nid: \xC3\xA9\ndata:d\n\n"), expected);
}

TEST(SseDecoder, IdIsSetEvenWhenBlockIsNotDispatched)
{
    SseDecoder decoder;
    decoder.feed("id: 42\n\n");
    EXPECT_FALSE(decoder.hasEvents());
    EXPECT_EQ(decoder.lastEventId(), u"42"_s);
}

TEST(SseDecoder, RetryAcceptsOnlyDigits)
{
    SseDecoder decoder;
    decoder.feed("retry: 3000\ndata:a\n\n");
    decoder.feed("data:b\n\n");
    for (const char* bad : {"retry: 12a\n", "retry: -5\n", "retry:\n", "retry: 1.5\n", "retry:  10\n",
                            "retry: 99999999999\n", "retry\n"}) {
        decoder.feed(bad);
    }
    decoder.feed("data:c\n\n");
    decoder.feed("retry:0\ndata:d\n\n");
    EXPECT_EQ(decoder.takeEvents(), (QList<SseEvent>{makeEvent("a"_ba, {}, {}, 3000), makeEvent("b"_ba),
                                                     makeEvent("c"_ba), makeEvent("d"_ba, {}, {}, 0)}));
    EXPECT_EQ(decoder.reconnectionTime(), 0);
}

TEST(SseDecoder, RetryWithoutDataStillSetsReconnectionTime)
{
    SseDecoder decoder;
    EXPECT_FALSE(decoder.reconnectionTime().has_value());
    decoder.feed("retry: 2500\n\n");
    EXPECT_FALSE(decoder.hasEvents());
    EXPECT_EQ(decoder.reconnectionTime(), 2500);
}

TEST(SseDecoder, FieldParsing)
{
    const QList<SseEvent> expected = {
        makeEvent("x"_ba),   // no space after the colon
        makeEvent(" x"_ba),  // only one space is removed
        makeEvent("a:b"_ba), // only the first colon separates
        makeEvent(""_ba),    // `data` without a colon is a data line with an empty value
        makeEvent("\n"_ba),  // two empty data lines
        makeEvent("x\t"_ba), // no other trimming
    };
    EXPECT_EQ(decodeWhole("data:x\n\ndata:  x\n\ndata: a:b\n\ndata\n\ndata\ndata:\n\ndata: x\t\n\n"), expected);
}

TEST(SseDecoder, BlocksWithoutDataAreNotDispatched)
{
    EXPECT_TRUE(decodeWhole("\n\n\n\r\n\r\revent: ping\n\nid: 1\n\n: hi\n\nfoo: bar\n\n").isEmpty());
}

TEST(SseDecoder, UnknownAndMiscasedFieldsAreIgnored)
{
    EXPECT_EQ(decodeWhole("foo: bar\nData: no\nEVENT: no\ndata:x\nignored:y\n\n"), QList<SseEvent>{makeEvent("x"_ba)});
}

TEST(SseDecoder, CommentsInsideAnEventDoNotEndIt)
{
    SseDecoder decoder;
    decoder.feed("data:a\n: keep-alive\n:\ndata:b\n\n");
    EXPECT_EQ(decoder.takeEvents(), QList<SseEvent>{makeEvent("a\nb"_ba)});
    EXPECT_EQ(decoder.commentCount(), 2);
    EXPECT_TRUE(decoder.lastComment().isEmpty());
}

TEST(SseDecoder, EventTypeAppliesToOneEvent)
{
    const QList<SseEvent> events = decodeWhole("event: a\ndata:1\n\ndata:2\n\nevent:\ndata:3\n\n"
                                               "event: a\nevent: b\ndata:4\n\nevent: b\ndata:5\n\n");
    // An empty `event:` value means the default type; of two event lines the last one wins.
    const QList<SseEvent> expected = {
        makeEvent("1"_ba, u"a"_s), makeEvent("2"_ba),         makeEvent("3"_ba),
        makeEvent("4"_ba, u"b"_s), makeEvent("5"_ba, u"b"_s),
    };
    EXPECT_EQ(events, expected);
    EXPECT_EQ(events.at(1).type(), u"message"_s);
    EXPECT_EQ(events.at(2).type(), u"message"_s);
    EXPECT_EQ(events.at(3).type(), u"b"_s);
}

TEST(SseDecoder, InvalidUtf8InDataIsKeptAsBytes)
{
    const QByteArray data = "\xFF\xFE\xC3";
    EXPECT_EQ(decodeWhole(QByteArray("data:" + data + "\n\n")), QList<SseEvent>{makeEvent(data)});
}

TEST(SseDecoder, TakeEventsEmptiesTheQueue)
{
    SseDecoder decoder;
    EXPECT_FALSE(decoder.hasEvents());
    decoder.feed("data:1\n\ndata:2\n\ndata:3");
    EXPECT_TRUE(decoder.hasEvents());
    EXPECT_EQ(decoder.takeEvents().size(), 2);
    EXPECT_FALSE(decoder.hasEvents());
    EXPECT_TRUE(decoder.takeEvents().isEmpty());
    decoder.feed("\n\n");
    EXPECT_EQ(decoder.takeEvents(), QList<SseEvent>{makeEvent("3"_ba)});
}

TEST(SseDecoder, ResetClearsStateButKeepsSettings)
{
    SseDecoder decoder(1000);
    decoder.setDispatchUnterminatedEventAtFinish(true);
    decoder.feed("id: 5\nretry: 9\n: c\ndata:1\n\ndata:partial");
    decoder.reset();
    EXPECT_FALSE(decoder.hasEvents());
    EXPECT_TRUE(decoder.lastEventId().isEmpty());
    EXPECT_FALSE(decoder.reconnectionTime().has_value());
    EXPECT_EQ(decoder.commentCount(), 0);
    EXPECT_EQ(decoder.maxEventSize(), 1000);
    EXPECT_TRUE(decoder.dispatchUnterminatedEventAtFinish());
    decoder.feed("\n\n");
    EXPECT_FALSE(decoder.hasEvents()) << "the partial line was dropped";
}

TEST(SseDecoder, FinishKeepsLastEventIdForReconnect)
{
    SseDecoder decoder;
    decoder.feed("id: abc\ndata:1\n\n");
    EXPECT_TRUE(decoder.finish());
    decoder.feed("data:2\n\n");
    EXPECT_EQ(decoder.takeEvents(),
              (QList<SseEvent>{makeEvent("1"_ba, {}, u"abc"_s), makeEvent("2"_ba, {}, u"abc"_s)}));
}

} // namespace
} // namespace tb::net
