// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Helpers for the end-to-end tests that run the real `threadbench` executable (TB_CLI_BINARY) with
// QProcess: one process per CLI call, exactly as a script would use it.
#pragma once

#include "core/Json.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QUuid>
#include <QVariant>

#include <gtest/gtest.h>

#include <string>

#ifndef TB_CLI_BINARY
#error "TB_CLI_BINARY must be defined by tests/CMakeLists.txt"
#endif

namespace tb::test::cli {

using core::Json;

/// What one run of the executable produced.
struct CliRun
{
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;

    [[nodiscard]] QString errText() const { return QString::fromUtf8(err); }
    [[nodiscard]] QString outText() const { return QString::fromUtf8(out); }
    /// For failure messages.
    [[nodiscard]] std::string describe() const
    {
        return "exit " + std::to_string(exitCode) + (crashed ? " (crashed)" : "") + "\n--- stdout:\n"
               + out.left(2000).toStdString() + "\n--- stderr:\n" + err.left(2000).toStdString();
    }
};

inline QString binary()
{
    return QString::fromUtf8(TB_CLI_BINARY);
}

inline CliRun runProgram(const QString& program, const QStringList& args, const QString& workDir = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::SeparateChannels);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    CliRun r;
    if (!p.waitForStarted(10000)) {
        r.err = "could not start " + program.toUtf8();
        return r;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(5000);
        r.crashed = true;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.crashed = r.crashed || p.exitStatus() != QProcess::NormalExit;
    r.exitCode = r.crashed ? -1 : p.exitCode();
    return r;
}

/// `threadbench ARGS...`
inline CliRun runCli(const QStringList& args, const QString& workDir = {})
{
    return runProgram(binary(), args, workDir);
}

/// Runs `script` with /bin/sh -c; inside it "$0" is the threadbench binary and "$1"... are `args`.
/// QProcess only passes QStrings (always valid UTF-8), so raw bytes are produced with printf.
inline CliRun runShell(const QString& script, const QStringList& args = {}, const QString& workDir = {})
{
    return runProgram(QStringLiteral("/bin/sh"), QStringList{QStringLiteral("-c"), script, binary()} + args, workDir);
}

/// `threadbench sdk [options] DB SESSION METHOD [KWARGS]` (KWARGS omitted when empty).
inline CliRun runSdk(const QString& db, const QString& session, const QString& method, const QString& kwargs = {},
                  const QStringList& options = {}, const QString& workDir = {})
{
    QStringList args{QStringLiteral("sdk")};
    args << options << db << session << method;
    if (!kwargs.isEmpty())
        args << kwargs;
    return runCli(args, workDir);
}

/// Checks the stdout contract of `threadbench sdk`: exactly one line holding one JSON object whose
/// keys are, in this order, `result` or `raised`, then `current_branch`. Stores the object in `doc`.
inline ::testing::AssertionResult sdkDocument(const CliRun& run, Json* doc)
{
    if (run.crashed)
        return ::testing::AssertionFailure() << "process crashed\n" << run.describe();
    if (!run.out.endsWith('\n') || run.out.count('\n') != 1)
        return ::testing::AssertionFailure() << "stdout is not exactly one line\n" << run.describe();
    auto parsed = Json::parse(run.out.chopped(1));
    if (!parsed)
        return ::testing::AssertionFailure() << "stdout is not JSON: " << parsed.error().message.toStdString() << '\n'
                                             << run.describe();
    if (!parsed->isObject())
        return ::testing::AssertionFailure() << "stdout is not a JSON object\n" << run.describe();
    const Json::Object& members = parsed->asObject();
    if (members.size() != 2 || (members[0].first != u"result" && members[0].first != u"raised")
        || members[1].first != u"current_branch")
        return ::testing::AssertionFailure() << "keys are not [result|raised, current_branch]\n" << run.describe();
    if (members[0].first == u"raised") {
        const Json& raised = members[0].second;
        if (!raised.isObject() || raised.size() != 2 || raised.asObject()[0].first != u"type"
            || raised.asObject()[1].first != u"message" || !raised[u"type"].isString() || !raised[u"message"].isString())
            return ::testing::AssertionFailure() << "raised is not {type: str, message: str}\n" << run.describe();
    }
    if (doc)
        *doc = std::move(parsed).value();
    return ::testing::AssertionSuccess();
}

/// A successful SDK call: exit 0, well-formed output; returns the whole document.
inline Json sdkOk(const CliRun& run)
{
    Json doc;
    EXPECT_TRUE(sdkDocument(run, &doc));
    EXPECT_EQ(run.exitCode, 0) << run.describe();
    EXPECT_TRUE(doc.contains(u"result")) << run.describe();
    EXPECT_TRUE(run.err.isEmpty()) << run.describe();
    return doc;
}

/// A call the SDK answers with an exception: exit 3, well-formed output; returns the whole document.
inline Json sdkRaised(const CliRun& run)
{
    Json doc;
    EXPECT_TRUE(sdkDocument(run, &doc));
    EXPECT_EQ(run.exitCode, 3) << run.describe();
    EXPECT_TRUE(doc.contains(u"raised")) << run.describe();
    return doc;
}

/// Output of a `--json` analyst command (pretty printed, any number of lines).
inline Json parseJsonOutput(const CliRun& run)
{
    auto parsed = Json::parse(run.out);
    EXPECT_TRUE(bool(parsed)) << run.describe();
    return parsed ? std::move(parsed).value() : Json();
}

inline std::string show(const Json& v)
{
    QByteArray b = v.dump();
    if (b.size() > 3000)
        b = b.left(3000) + "...";
    return b.toStdString();
}

/// Exact text of a value as Python's json.dumps would write it (key order included).
inline std::string dumped(const Json& v)
{
    return v.dump().toStdString();
}

/// Parses a JSON literal written in a test.
inline Json js(const char* text)
{
    auto parsed = Json::parse(text);
    EXPECT_TRUE(bool(parsed)) << "bad JSON literal in test: " << text;
    return parsed ? std::move(parsed).value() : Json();
}

inline Json loadJsonFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    auto parsed = Json::parse(f.readAll());
    return parsed ? std::move(parsed).value() : Json();
}

/// SHA-256 of the file's bytes, or an empty array when it cannot be read.
inline QByteArray digest(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

/// Rows of a query on `dbPath`, through a private connection that is closed again at once.
inline QList<QVariantList> sqlRows(const QString& dbPath, const QString& sql, const QVariantList& binds = {},
                                   bool readOnly = true)
{
    QList<QVariantList> rows;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath);
        if (readOnly)
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(sql);
            for (const QVariant& b : binds)
                q.addBindValue(b);
            if (q.exec()) {
                while (q.next()) {
                    QVariantList row;
                    for (int i = 0; i < q.record().count(); ++i)
                        row << q.value(i);
                    rows << row;
                }
            } else {
                ADD_FAILURE() << "SQL failed: " << sql.toStdString();
            }
            q.finish();
        } else {
            ADD_FAILURE() << "cannot open " << dbPath.toStdString();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

/// Switches a database file to the rollback journal (`DELETE`) so that any later attempt to open it
/// the SDK's way (which sets WAL) changes its bytes: a sensitive probe for "file untouched".
inline bool makeRollbackJournal(const QString& dbPath)
{
    const auto rows = sqlRows(dbPath, QStringLiteral("PRAGMA journal_mode=DELETE"), {}, false);
    return rows.size() == 1 && rows.first().value(0).toString() == u"delete";
}

} // namespace tb::test::cli
