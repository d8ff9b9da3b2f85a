// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

// Shared helpers of the agent tests: item builders in the exact shapes the SDK stores (spec
// sdk-sessions.md §4.1), a real session database in a temp dir, raw SQL on a side connection, and
// a helper that runs the Runner to its end.

#include "ScriptedModelClient.h"
#include "GTestPrinters.h"
#include "RawDb.h"
#include "TempDir.h"
#include "TestData.h"
#include "agent/AnalystPrompter.h"
#include "agent/Runner.h"
#include "core/AgentDefinition.h"
#include "core/Json.h"
#include "storage/SqliteSessionStore.h"
#include "storage/SqliteTaskList.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <QUuid>

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <ostream>
#include <string>


namespace tb::test::agent {

using namespace Qt::StringLiterals;
using core::Error;
using core::Json;

inline std::string S(const QString& s)
{
    return s.toStdString();
}

/// Parses a JSON literal of a test (must be valid).
inline Json J(const char* text)
{
    auto r = Json::parse(QByteArray(text));
    EXPECT_TRUE(r.has_value()) << "bad JSON literal in test: " << text;
    return r ? std::move(r).value() : Json();
}

/// `[a, b]` the way Python's json.dumps writes a list of items.
inline QByteArray dumpItems(const QList<Json>& items)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            out += ", ";
        out += items.at(i).dump();
    }
    return out + "]";
}

// --- items as the openai package dumps them (field declaration order) ---------------------------

inline Json assistantMessage(const QString& id, const QString& text)
{
    Json part = Json::object();
    part.insert(u"annotations"_s, Json::array());
    part.insert(u"text"_s, Json(text));
    part.insert(u"type"_s, Json(u"output_text"_s));
    part.insert(u"logprobs"_s, Json::array());
    Json m = Json::object();
    m.insert(u"id"_s, Json(id));
    m.insert(u"content"_s, Json(Json::Array{part}));
    m.insert(u"role"_s, Json(u"assistant"_s));
    m.insert(u"status"_s, Json(u"completed"_s));
    m.insert(u"type"_s, Json(u"message"_s));
    return m;
}

inline Json functionCall(const QString& callId, const QString& name, const QString& arguments, const QString& id = {})
{
    Json c = Json::object();
    c.insert(u"arguments"_s, Json(arguments));
    c.insert(u"call_id"_s, Json(callId));
    c.insert(u"name"_s, Json(name));
    c.insert(u"type"_s, Json(u"function_call"_s));
    c.insert(u"id"_s, Json(id.isEmpty() ? u"fc_"_s + callId : id));
    c.insert(u"status"_s, Json(u"completed"_s));
    return c;
}

inline Json functionOutput(const QString& callId, const QString& output)
{
    Json o = Json::object();
    o.insert(u"call_id"_s, Json(callId));
    o.insert(u"output"_s, Json(output));
    o.insert(u"type"_s, Json(u"function_call_output"_s));
    return o;
}

inline Json reasoning(const QString& id, const QString& summary)
{
    Json s = Json::object();
    s.insert(u"text"_s, Json(summary));
    s.insert(u"type"_s, Json(u"summary_text"_s));
    Json r = Json::object();
    r.insert(u"id"_s, Json(id));
    r.insert(u"summary"_s, Json(Json::Array{s}));
    r.insert(u"type"_s, Json(u"reasoning"_s));
    return r;
}

inline core::RunUsage usage(qint64 input, qint64 output, qint64 cached = 0, qint64 reasoningTokens = 0)
{
    core::RunUsage u;
    u.requests = 1;
    u.inputTokens = input;
    u.outputTokens = output;
    u.totalTokens = input + output;
    u.cachedTokens = cached;
    u.reasoningTokens = reasoningTokens;
    return u;
}

inline ScriptedReply reply(QList<Json> output, core::RunUsage u = usage(100, 20))
{
    ScriptedReply r;
    r.output = std::move(output);
    r.usage = u;
    return r;
}

inline ScriptedReply failing(Error e)
{
    ScriptedReply r;
    r.error = std::move(e);
    return r;
}

/// An agent with the given tool bindings (model settings of the demo agent).
inline core::AgentDefinition agentWith(QList<core::ToolBinding> tools)
{
    core::AgentDefinition a;
    a.name = u"Test agent"_s;
    a.instructions = u"Be brief."_s;
    a.modelSettings.model = u"threadbench-demo"_s;
    a.endpointProfile = u"demo"_s;
    a.tools = std::move(tools);
    return a;
}

inline core::ToolBinding binding(const QString& name, core::ToolImplementation impl)
{
    core::ToolBinding b;
    b.definition.name = name;
    b.definition.description = u"A test tool"_s;
    b.definition.parameters = J(R"({"type": "object", "properties": {}})");
    b.implementation = std::move(impl);
    return b;
}

inline core::ToolImplementation commandImpl(const QString& program, const QStringList& args, qint64 timeoutMs = 10000)
{
    core::ToolImplementation i;
    i.kind = core::ToolImplementation::Kind::Command;
    i.program = program;
    i.arguments = args;
    i.timeoutMs = timeoutMs;
    return i;
}

// --- raw SQL on a side connection (what another process, or the SDK, would read) ------------------

// Read-only, as the agent tests only look at what the runner stored.
class ReadOnlyDb : public tb::test::RawDb
{
public:
    explicit ReadOnlyDb(const QString& path) : RawDb(path, true) {}
};

inline QByteArray sha256(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

/// A session database in a temp dir with a store, one session of it and a task list.
class SessionFixture
{
public:
    explicit SessionFixture(const QString& sessionId = u"customer-1"_s, std::optional<qint64> limit = std::nullopt)
    {
        EXPECT_TRUE(dir.isValid());
        path = dir.filePath(u"sessions.db"_s);
        storage::SqliteSessionStore::Options so;
        so.create = true;
        auto s = storage::SqliteSessionStore::open(path, so);
        EXPECT_TRUE(s.has_value()) << (s ? std::string() : S(s.error().message));
        if (s)
            store = std::move(s).value();
        core::SessionOpenOptions o;
        o.createTables = true;
        o.limit = limit;
        if (store) {
            auto sess = store->openSession(sessionId, o);
            EXPECT_TRUE(sess.has_value()) << (sess ? std::string() : S(sess.error().message));
            if (sess)
                session = std::move(sess).value();
        }
        auto t = storage::SqliteTaskList::open(path, {});
        EXPECT_TRUE(t.has_value()) << (t ? std::string() : S(t.error().message));
        if (t)
            tasks = std::move(t).value();
    }

    QByteArray itemsText(const std::optional<QString>& branch = std::nullopt)
    {
        auto r = session->getItems(-1, branch);
        EXPECT_TRUE(r.has_value()) << (r ? std::string() : S(r.error().message));
        return r ? dumpItems(*r) : QByteArray("<error>");
    }

    /// message_data of the session's rows in id order (the bytes the SDK would have written).
    QStringList messageData()
    {
        ReadOnlyDb raw(path);
        return raw.lines(u"SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id"_s,
                         {session->sessionId()});
    }

    tb::test::TempDir dir;
    QString path;
    std::unique_ptr<storage::SqliteSessionStore> store;
    std::unique_ptr<core::BranchingSession> session;
    std::unique_ptr<storage::SqliteTaskList> tasks;
};

/// Runs to finished() (fails the test if it does not come within `timeoutMs`).
inline bool runToEnd(tb::agent::Runner& runner, const core::AgentDefinition& agent, const QString& input,
                     core::BranchingSession& session, const tb::agent::RunOptions& options = {}, int timeoutMs = 10000)
{
    QSignalSpy done(&runner, &tb::agent::Runner::finished);
    EXPECT_TRUE(runner.run(agent, input, session, options));
    const bool ok = done.count() > 0 || done.wait(timeoutMs);
    EXPECT_TRUE(ok) << "run did not finish";
    EXPECT_EQ(done.count(), 1);
    return ok;
}

/// Answers "ask the analyst" tools from a list; records the questions. `hold` keeps answers open.
class ScriptedPrompter final : public tb::agent::AnalystPrompter
{
public:
    tb::agent::AnalystAnswer* ask(const tb::agent::AnalystQuestion& question, QObject* parent) override
    {
        questions << question;
        auto* answer = new tb::agent::AnalystAnswer(parent);
        answers << answer;
        if (!hold) {
            core::Result<QString> next = replies.isEmpty() ? core::Result<QString>(core::Error::make(
                                             core::Error::Code::Cancelled, u"The analyst declined to answer"_s))
                                                           : replies.takeFirst();
            QTimer::singleShot(0, answer, [answer, next] { answer->finish(next); });
        }
        return answer;
    }

    bool hold = false;
    QList<core::Result<QString>> replies;
    QList<tb::agent::AnalystQuestion> questions;
    QList<QPointer<tb::agent::AnalystAnswer>> answers;
};

} // namespace tb::test::agent
