// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "MergeCommands.h"

#include "Cli.h"
#include "core/Json.h"
#include "storage/SqliteBranchMerge.h"

#include <QCommandLineParser>
#include <QFile>

namespace tb::app {

using core::Json;

namespace {

const QString kDb = QStringLiteral("DB");
const QString kSession = QStringLiteral("SESSION_ID");
const QString kBranch = QStringLiteral("BRANCH");

// Options both commands share; returns -1 to continue, an exit code otherwise.
int parse(QCommandLineParser& p, const QString& command, const QStringList& args, QTextStream& out, QTextStream& err)
{
    p.addHelpOption();
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("Check and print what would happen; change nothing.")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the result as JSON.")});
    p.addPositionalArgument(kDb, QStringLiteral("Session database."));
    p.addPositionalArgument(kSession, QStringLiteral("Session."));
    p.addPositionalArgument(kBranch, QStringLiteral("The what-if branch."));
    if (!p.parse(args))
        return Cli::fail(err, command, p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return Cli::kExitOk;
    }
    if (p.positionalArguments().size() != 3)
        return Cli::fail(err, command, QStringLiteral("expected DB SESSION_ID BRANCH"));
    return -1;
}

void printJson(QTextStream& out, const Json& value)
{
    out << QString::fromUtf8(value.dump({false, false, 2})) << '\n';
}

Json object(std::initializer_list<std::pair<const char*, Json>> members)
{
    Json o = Json::object();
    for (const auto& [key, value] : members)
        o.insert(QString::fromLatin1(key), value);
    return o;
}

} // namespace

int MergeCommands::promote(const QStringList& args, QTextStream& out, QTextStream& err)
{
    const QString command = QStringLiteral("promote");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Make a what-if branch the session's main: the line a production agent (a new AdvancedSQLiteSession) "
        "continues. "
        "The old main is kept as a branch (default main-before-<date>); nothing is deleted. Refused on read-only and "
        "production-flagged files and on sessions a plain SQLiteSession reads."));
    p.addOption({QStringLiteral("old-main-name"),
                 QStringLiteral("Branch id for the old main (default main-before-<UTC date>)."),
                 QStringLiteral("NAME")});
    if (const int rc = parse(p, command, args, out, err); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    std::optional<QString> oldName;
    if (p.isSet(QStringLiteral("old-main-name")))
        oldName = p.value(QStringLiteral("old-main-name"));

    auto merge = storage::SqliteBranchMerge::open(pos.at(0));
    if (!merge)
        return Cli::fail(err, command, merge.error().message);
    const bool dryRun = p.isSet(QStringLiteral("dry-run"));
    core::PromotePlan plan;
    qint64 usageRows = 0;
    if (dryRun) {
        auto r = (*merge)->planPromote(pos.at(1), pos.at(2), oldName);
        if (!r)
            return Cli::fail(err, command, r.error().message);
        plan = *r;
    } else {
        auto r = (*merge)->promote(pos.at(1), pos.at(2), oldName);
        if (!r)
            return Cli::fail(err, command, r.error().message);
        plan = r->plan;
        usageRows = r->movedUsageRows;
    }
    if (p.isSet(QStringLiteral("json"))) {
        Json o = object({{"session_id", Json(plan.sessionId)},
                         {"promoted", Json(plan.branchId)},
                         {"old_main", Json(plan.oldMainName)},
                         {"main_items", Json(plan.branchItems)},
                         {"main_turns", Json(plan.branchTurns)},
                         {"old_main_items", Json(plan.mainItems)},
                         {"old_main_turns", Json(plan.mainTurns)},
                         {"dry_run", Json(dryRun)}});
        if (!dryRun)
            o.insert(QStringLiteral("moved_usage_rows"), Json(usageRows));
        printJson(out, o);
        return Cli::kExitOk;
    }
    out << (dryRun ? "Would promote" : "Promoted") << " branch '" << plan.branchId << "' of session " << plan.sessionId
        << " to main (" << plan.branchItems << " items, " << plan.branchTurns << " turns); the previous main ("
        << plan.mainItems << " items, " << plan.mainTurns << " turns) " << (dryRun ? "would be" : "is")
        << " kept as branch '" << plan.oldMainName << "'.\n";
    return Cli::kExitOk;
}

int MergeCommands::carry(const QStringList& args, QTextStream& out, QTextStream& err)
{
    const QString command = QStringLiteral("carry");
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Append an analyst's finding from a what-if branch to the session's main, as a developer "
                       "message the agent reads "
                       "as guidance (no new customer turn), linked to the branch in tb_carried_finding."));
    p.addOption({QStringLiteral("text"), QStringLiteral("The finding."), QStringLiteral("TEXT")});
    p.addOption({QStringLiteral("text-file"),
                 QStringLiteral("Read the finding from FILE (UTF-8; - for standard input)."), QStringLiteral("FILE")});
    if (const int rc = parse(p, command, args, out, err); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    const bool hasText = p.isSet(QStringLiteral("text"));
    const bool hasFile = p.isSet(QStringLiteral("text-file"));
    if (hasText == hasFile)
        return Cli::fail(err, command, QStringLiteral("give the finding with exactly one of --text and --text-file"));
    QString text = p.value(QStringLiteral("text"));
    if (hasFile) {
        const QString file = p.value(QStringLiteral("text-file"));
        QFile f(file == u"-" ? QString() : file);
        const bool opened = file == u"-" ? f.open(stdin, QIODevice::ReadOnly) : f.open(QIODevice::ReadOnly);
        if (!opened)
            return Cli::fail(err, command, QStringLiteral("cannot read %1: %2").arg(file, f.errorString()));
        text = QString::fromUtf8(f.readAll());
    }

    auto merge = storage::SqliteBranchMerge::open(pos.at(0));
    if (!merge)
        return Cli::fail(err, command, merge.error().message);
    const bool dryRun = p.isSet(QStringLiteral("dry-run"));
    const Json item = core::BranchMerge::findingItem(pos.at(2), text);
    if (dryRun) {
        if (auto r = (*merge)->checkCarry(pos.at(1), pos.at(2)); !r)
            return Cli::fail(err, command, r.error().message);
        if (text.trimmed().isEmpty())
            return Cli::fail(err, command, QStringLiteral("A finding needs some text"));
        if (p.isSet(QStringLiteral("json")))
            printJson(out, object({{"session_id", Json(pos.at(1))},
                                   {"source_branch", Json(pos.at(2))},
                                   {"item", item},
                                   {"dry_run", Json(true)}}));
        else
            out << "Would append to main of session " << pos.at(1) << ": " << QString::fromUtf8(item.dump()) << '\n';
        return Cli::kExitOk;
    }
    auto r = (*merge)->carry(pos.at(1), pos.at(2), text);
    if (!r)
        return Cli::fail(err, command, r.error().message);
    if (p.isSet(QStringLiteral("json"))) {
        printJson(out, object({{"session_id", Json(r->sessionId)},
                               {"source_branch", Json(r->sourceBranch)},
                               {"message_id", Json(r->messageId)},
                               {"sequence_number", Json(r->sequenceNumber)},
                               {"turn", r->turn ? Json(*r->turn) : Json()},
                               {"item", r->item},
                               {"dry_run", Json(false)}}));
        return Cli::kExitOk;
    }
    out << "Carried a finding from branch '" << r->sourceBranch << "' to main of session " << r->sessionId
        << " (message " << r->messageId << ", end of turn "
        << (r->turn ? QString::number(*r->turn) : QStringLiteral("none")) << ").\n";
    return Cli::kExitOk;
}

} // namespace tb::app
