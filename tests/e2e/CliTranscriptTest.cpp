// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// The SDK's recorded transcripts replayed through the real `threadbench sdk` binary: one process
// per call, the object's in-memory current branch carried from call to call with --branch, exactly
// as a script driving the CLI would. Every result must equal the SDK's.
#include "CliTestSupport.h"
#include "TempDir.h"
#include "TestData.h"

#include <QRegularExpression>

#include <map>

using namespace tb::test::cli;
using namespace Qt::StringLiterals;
using tb::test::TempDir;

namespace {

Json withoutTimes(const Json& v)
{
    if (v.isArray()) {
        Json::Array out;
        for (const Json& e : v.asArray())
            out.push_back(withoutTimes(e));
        return Json(std::move(out));
    }
    if (v.isObject()) {
        Json out = Json::object();
        for (const auto& [k, e] : v.asObject())
            out.insert(k, (k == u"created_at" || k == u"timestamp") ? Json(u"<time>"_s) : withoutTimes(e));
        return out;
    }
    return v;
}

struct Handle
{
    QString sessionId;
    QString cls;
    QString branch = u"main"_s;
    std::optional<qint64> limit;
};

// Replays the ops of the first `sessions` sessions opened in the transcript (all when < 0).
void replay(const char* name, int sessions)
{
    const Json transcript = loadJsonFile(tb::test::sdkFixture(QString::fromLatin1(name) + u".transcript.json"_s));
    ASSERT_TRUE(transcript.isObject());
    TempDir dir;
    const QString db = dir.filePath(u"replay.db"_s);
    std::map<QString, Handle> handles;
    QSet<QString> included;
    int compared = 0;
    static const QRegularExpression generatedId(u"^branch_from_turn_\\d+_\\d+"_s);
    for (const Json& op : transcript[u"ops"].asArray()) {
        const QString kind = op[u"op"].toString();
        const QString handle = op[u"handle"].toString();
        if (kind == u"open") {
            const QString session = op[u"session_id"].toString();
            if (sessions >= 0 && !included.contains(session) && included.size() >= sessions)
                continue;
            included.insert(session);
            Handle h;
            h.sessionId = session;
            h.cls = op[u"class"].toString() == u"SQLiteSession" ? u"sqlite"_s : u"advanced"_s;
            if (op[u"session_settings"].isObject() && !op[u"session_settings"][u"limit"].isNull())
                h.limit = op[u"session_settings"][u"limit"].toInt();
            QStringList options{u"--class"_s, h.cls};
            if (op[u"create_tables"].toBool())
                options << u"--create-tables"_s;
            const CliRun r = runSdk(db, session, u"open"_s, {}, options);
            ASSERT_EQ(r.exitCode, 0) << r.errText().toStdString();
            handles[handle] = h;
            continue;
        }
        if (!handles.count(handle) || kind == u"close" || kind == u"note" || kind == u"sleep" || kind == u"sql")
            continue;
        Handle& h = handles[handle];
        // Auto-generated branch ids carry the wall clock's seconds: compare them without it.
        if (kind.startsWith(u"create_branch") && !op.contains(u"branch_name"))
            continue;
        Json kwargs = Json::object();
        for (const auto& [k, v] : op.asObject()) {
            if (k != u"op" && k != u"seq" && k != u"handle" && k != u"note" && k != u"result" && k != u"raised")
                kwargs.insert(k, v);
        }
        QStringList options{u"--class"_s, h.cls};
        if (h.cls == u"advanced"_s)
            options << u"--branch"_s << h.branch;
        if (h.limit)
            options << u"--limit-setting"_s << QString::number(*h.limit);
        const CliRun r = runSdk(db, h.sessionId, kind, QString::fromUtf8(kwargs.dump()), options);
        SCOPED_TRACE(QString(u"op "_s + QString::number(op[u"seq"].toInt()) + u' ' + kind).toStdString());
        Json doc;
        ASSERT_TRUE(sdkDocument(r, &doc));
        if (op.contains(u"raised")) {
            EXPECT_EQ(r.exitCode, 3);
            EXPECT_EQ(doc[u"raised"][u"message"], op[u"raised"][u"message"]);
        } else {
            ASSERT_EQ(r.exitCode, 0) << r.errText().toStdString() << dumped(doc);
            EXPECT_EQ(withoutTimes(doc[u"result"]), withoutTimes(op[u"result"])) << dumped(doc[u"result"]).substr(0, 600);
        }
        if (!doc[u"current_branch"].isNull())
            h.branch = doc[u"current_branch"].toString();
        ++compared;
    }
    EXPECT_GT(compared, 5);
}

TEST(CliTranscript, BasicTranscriptThroughTheBinary)
{
    replay("basic", -1);
}

TEST(CliTranscript, MultiTranscriptSessionsWithBranchesThroughTheBinary)
{
    // customer-1000 .. customer-1005: named branches, a deleted branch, pops and redos.
    replay("multi", 6);
}

} // namespace
