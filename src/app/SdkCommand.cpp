// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SdkCommand.h"

#include "Cli.h"
#include "SdkCall.h"

#include "storage/AdvancedSqliteSession.h"
#include "storage/PlainSqliteSession.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace tb::app {

using core::Json;

int SdkCommand::run(const QStringList& args, QTextStream& out, QTextStream& err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Call one method of an Agents SDK session object on DB."));
    p.addHelpOption();
    p.addOption({QStringLiteral("class"), QStringLiteral("Session class: advanced (AdvancedSQLiteSession, default) or sqlite."),
                 QStringLiteral("advanced|sqlite"), QStringLiteral("advanced")});
    p.addOption({QStringLiteral("create-tables"), QStringLiteral("Construct with create_tables=True.")});
    p.addOption({QStringLiteral("limit-setting"), QStringLiteral("session_settings.limit."), QStringLiteral("N")});
    p.addOption({QStringLiteral("branch"), QStringLiteral("Current branch of the object before the call (default main)."),
                 QStringLiteral("B"), QStringLiteral("main")});
    p.addPositionalArgument(QStringLiteral("DB"), QStringLiteral("Session database file."));
    p.addPositionalArgument(QStringLiteral("SESSION_ID"), QStringLiteral("Session id."));
    p.addPositionalArgument(QStringLiteral("METHOD"), QStringLiteral("open, or an SDK method: ") + SdkCall::methods().join(QStringLiteral(", ")));
    p.addPositionalArgument(QStringLiteral("KWARGS_JSON"), QStringLiteral("Keyword arguments as a JSON object."), QStringLiteral("[KWARGS_JSON]"));
    if (!p.parse(args)) {
        err << "threadbench sdk: " << p.errorText() << '\n';
        return Cli::kExitFailure;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return Cli::kExitOk;
    }
    const QStringList pos = p.positionalArguments();
    if (pos.size() < 3 || pos.size() > 4) {
        err << "threadbench sdk: expected DB SESSION_ID METHOD [KWARGS_JSON]\n";
        return Cli::kExitFailure;
    }
    const QString cls = p.value(QStringLiteral("class"));
    if (cls != u"advanced" && cls != u"sqlite") {
        err << "threadbench sdk: --class must be advanced or sqlite\n";
        return Cli::kExitFailure;
    }
    std::optional<qint64> limit;
    if (p.isSet(QStringLiteral("limit-setting"))) {
        bool ok = false;
        limit = p.value(QStringLiteral("limit-setting")).toLongLong(&ok);
        if (!ok) {
            err << "threadbench sdk: --limit-setting takes an integer\n";
            return Cli::kExitFailure;
        }
    }
    const QString& db = pos.at(0);
    const QString& sessionId = pos.at(1);
    const QString& method = pos.at(2);
    Json kwargs = Json::object();
    if (pos.size() == 4) {
        auto parsed = Json::parse(pos.at(3));
        if (!parsed || !parsed->isObject()) {
            err << "threadbench sdk: KWARGS_JSON must be a JSON object"
                << (parsed ? QString() : QStringLiteral(" (") + parsed.error().message + u')') << '\n';
            return Cli::kExitFailure;
        }
        kwargs = std::move(parsed).value();
    }
    if (method != u"open" && !SdkCall::methods().contains(method)) {
        err << "threadbench sdk: unknown method '" << method << "'\n";
        return Cli::kExitFailure;
    }
    if (QFileInfo(db).isDir()) {
        err << "threadbench sdk: " << db << " is a folder, not a database file\n";
        return Cli::kExitFailure;
    }

    const bool advanced = cls == u"advanced";
    // Bad keyword arguments are a usage error (exit 2, file untouched), so they are refused before
    // the file is opened: opening it the SDK's way can already change it (journal_mode=WAL).
    if (method != u"open") {
        if (const auto bad = SdkCall::checkArguments(advanced, method, kwargs)) {
            err << "threadbench sdk: " << (bad->exceptionType.isEmpty() ? QString() : bad->exceptionType + QStringLiteral(": "))
                << bad->message << '\n';
            return Cli::kExitFailure;
        }
    }
    auto report = [&](const SdkOutcome& o, const Json& currentBranch) {
        // Exceptions the SDK's session code raises (ValueError, RuntimeError, and TypeError from
        // add_items for a list-valued "type", spec §7) are reported as "raised"; anything else
        // (an AttributeError for a method the class lacks) means the call itself was wrong.
        if (o.kind == SdkOutcome::Kind::Raised && o.exceptionType != u"ValueError" && o.exceptionType != u"RuntimeError"
            && o.exceptionType != u"TypeError") {
            err << "threadbench sdk: " << o.exceptionType << ": " << o.message << '\n';
            return Cli::kExitFailure;
        }
        if (o.kind == SdkOutcome::Kind::Failed) {
            err << "threadbench sdk: " << o.message << '\n';
            return Cli::kExitFailure;
        }
        Json doc = Json::object();
        if (o.kind == SdkOutcome::Kind::Raised) {
            Json raised = Json::object();
            raised.insert(QStringLiteral("type"), Json(o.exceptionType));
            raised.insert(QStringLiteral("message"), Json(o.message));
            doc.insert(QStringLiteral("raised"), std::move(raised));
        } else {
            doc.insert(QStringLiteral("result"), o.result);
        }
        doc.insert(QStringLiteral("current_branch"), currentBranch);
        out << QString::fromUtf8(doc.dump()) << '\n';
        return o.kind == SdkOutcome::Kind::Raised ? Cli::kExitRaised : Cli::kExitOk;
    };
    auto constructorFailure = [&](const core::Error& e) {
        SdkOutcome o = e.isSdkException() ? SdkOutcome{SdkOutcome::Kind::Raised, {}, e.sdkExceptionType(), e.message}
                                          : SdkOutcome::failed(e.message);
        return report(o, advanced ? Json(QStringLiteral("main")) : Json());
    };

    if (advanced) {
        storage::AdvancedSqliteSession::Options o;
        o.createTables = p.isSet(QStringLiteral("create-tables"));
        o.limit = limit;
        auto s = storage::AdvancedSqliteSession::open(db, sessionId, o);
        if (!s)
            return constructorFailure(s.error());
        (*s)->setCurrentBranch(p.value(QStringLiteral("branch")));
        const SdkOutcome outcome = method == u"open" ? SdkOutcome{} : SdkCall::invoke(**s, s->get(), method, kwargs);
        return report(outcome, Json((*s)->currentBranch()));
    }
    storage::PlainSqliteSession::Options o;
    o.limit = limit;
    auto s = storage::PlainSqliteSession::open(db, sessionId, o);
    if (!s)
        return constructorFailure(s.error());
    const SdkOutcome outcome = method == u"open" ? SdkOutcome{} : SdkCall::invoke(**s, nullptr, method, kwargs);
    return report(outcome, Json());
}

} // namespace tb::app
