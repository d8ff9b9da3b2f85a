// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "AnalystCommands.h"

#include "Cli.h"
#include "TextTable.h"

#include "core/Json.h"
#include "storage/SqliteSessionStore.h"

#include <QCommandLineParser>
#include <QHash>

namespace tb::app {

using core::Json;

namespace {

struct Parsed
{
    QCommandLineParser parser;
    QStringList positional;
    bool json = false;
};

// Shared option handling; returns -1 to continue, an exit code otherwise.
int parse(Parsed& p, const QString& command, const QStringList& args, const QStringList& positionalNames, QTextStream& out,
          QTextStream& err)
{
    p.parser.addHelpOption();
    p.parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON instead of a table.")});
    for (const QString& n : positionalNames)
        p.parser.addPositionalArgument(n, n);
    if (!p.parser.parse(args)) {
        err << "threadbench " << command << ": " << p.parser.errorText() << '\n';
        return Cli::kExitFailure;
    }
    if (p.parser.isSet(QStringLiteral("help"))) {
        out << p.parser.helpText();
        return Cli::kExitOk;
    }
    p.positional = p.parser.positionalArguments();
    if (p.positional.size() != positionalNames.size()) {
        err << "threadbench " << command << ": expected " << positionalNames.join(u' ') << '\n';
        return Cli::kExitFailure;
    }
    p.json = p.parser.isSet(QStringLiteral("json"));
    return -1;
}

core::Result<std::unique_ptr<storage::SqliteSessionStore>> openStore(const QString& path)
{
    storage::SqliteSessionStore::Options o;
    o.readOnly = true; // analyst commands only read
    return storage::SqliteSessionStore::open(path, o);
}

void printJson(QTextStream& out, const Json& value)
{
    out << QString::fromUtf8(value.dump({false, false, 2})) << '\n';
}

// Text of a message item's content: a string, or the text parts of a list.
QString contentText(const Json& content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    if (content.isArray()) {
        for (const Json& part : content.asArray()) {
            if (const Json* t = part.find(u"text"); t && t->isString())
                parts << t->toString();
            else if (const Json* r = part.find(u"refusal"); r && r->isString())
                parts << QStringLiteral("[refusal] ") + r->toString();
            else if (const Json* ty = part.find(u"type"))
                parts << u'[' + ty->toString() + u']';
        }
    }
    return parts.join(u' ');
}

QString describe(const core::StoredItem& it)
{
    if (it.corrupt)
        return QStringLiteral("[unreadable row] ") + Cli::oneLine(it.rawText, 80);
    const Json& item = it.item;
    const QString type = item[u"type"].toString();
    const QString role = item[u"role"].toString();
    if (!role.isEmpty())
        return role + QStringLiteral(": ") + contentText(item[u"content"]);
    if (type == u"function_call")
        return QStringLiteral("tool call %1(%2)").arg(item[u"name"].toString(), item[u"arguments"].toString());
    if (type == u"function_call_output") {
        const Json& o = item[u"output"];
        return QStringLiteral("tool output: ") + (o.isString() ? o.toString() : o.dumpUnicode());
    }
    if (type == u"reasoning") {
        QStringList s;
        for (const Json& part : item[u"summary"].asArray())
            s << part[u"text"].toString();
        return QStringLiteral("reasoning: ") + s.join(u' ');
    }
    return (type.isEmpty() ? QStringLiteral("item") : type) + QStringLiteral(": ") + item.dumpUnicode();
}

} // namespace

int AnalystCommands::sessions(const QStringList& args, QTextStream& out, QTextStream& err)
{
    Parsed p;
    p.parser.setApplicationDescription(QStringLiteral("List the sessions of a database."));
    p.parser.addOption({QStringLiteral("sort"), QStringLiteral("Sort key: id, items, turns, branches, first, last (default), tokens."),
                        QStringLiteral("key"), QStringLiteral("last")});
    p.parser.addOption({QStringLiteral("asc"), QStringLiteral("Ascending order (default: descending).")});
    p.parser.addOption({QStringLiteral("limit"), QStringLiteral("Rows per page (default 100, -1 for all)."), QStringLiteral("N"),
                        QStringLiteral("100")});
    p.parser.addOption({QStringLiteral("offset"), QStringLiteral("Rows to skip."), QStringLiteral("N"), QStringLiteral("0")});
    p.parser.addOption({QStringLiteral("filter"), QStringLiteral("Only session ids containing this text."), QStringLiteral("text")});
    if (int rc = parse(p, QStringLiteral("sessions"), args, {QStringLiteral("DB")}, out, err); rc >= 0)
        return rc;

    static const QHash<QString, core::SessionSortKey> keys = {
        {QStringLiteral("id"), core::SessionSortKey::SessionId},     {QStringLiteral("items"), core::SessionSortKey::Items},
        {QStringLiteral("turns"), core::SessionSortKey::Turns},      {QStringLiteral("branches"), core::SessionSortKey::Branches},
        {QStringLiteral("first"), core::SessionSortKey::FirstActivity}, {QStringLiteral("last"), core::SessionSortKey::LastActivity},
        {QStringLiteral("tokens"), core::SessionSortKey::Tokens}};
    const QString sortName = p.parser.value(QStringLiteral("sort"));
    if (!keys.contains(sortName))
        return Cli::fail(err, QStringLiteral("sessions"), QStringLiteral("unknown sort key '%1'").arg(sortName));
    core::SessionQuery q;
    q.sort = keys.value(sortName);
    q.descending = !p.parser.isSet(QStringLiteral("asc"));
    bool okLimit = false;
    bool okOffset = false;
    q.limit = p.parser.value(QStringLiteral("limit")).toLongLong(&okLimit);
    q.offset = p.parser.value(QStringLiteral("offset")).toLongLong(&okOffset);
    if (!okLimit || !okOffset || q.offset < 0)
        return Cli::fail(err, QStringLiteral("sessions"), QStringLiteral("--limit and --offset take integers"));
    q.filter = p.parser.value(QStringLiteral("filter"));

    auto store = openStore(p.positional.at(0));
    if (!store)
        return Cli::fail(err, QStringLiteral("sessions"), store.error().message);
    auto rows = (*store)->listSessions(q);
    if (!rows)
        return Cli::fail(err, QStringLiteral("sessions"), rows.error().message);
    auto total = (*store)->countSessions(q.filter);
    if (!total)
        return Cli::fail(err, QStringLiteral("sessions"), total.error().message);

    if (p.json) {
        Json::Array list;
        for (const auto& s : *rows) {
            Json o = Json::object();
            o.insert(QStringLiteral("session_id"), Json(s.sessionId));
            o.insert(QStringLiteral("items"), Json(s.itemCount));
            o.insert(QStringLiteral("turns"), Json(s.turnCount));
            o.insert(QStringLiteral("branches"), Json(s.branchCount));
            o.insert(QStringLiteral("first_activity"), Json(s.firstActivity));
            o.insert(QStringLiteral("last_activity"), Json(s.lastActivity));
            o.insert(QStringLiteral("total_tokens"), Json(s.totalTokens));
            list.push_back(std::move(o));
        }
        Json doc = Json::object();
        doc.insert(QStringLiteral("total"), Json(*total));
        doc.insert(QStringLiteral("offset"), Json(q.offset));
        doc.insert(QStringLiteral("sessions"), Json(std::move(list)));
        printJson(out, doc);
        return Cli::kExitOk;
    }
    TextTable t({QStringLiteral("SESSION"), QStringLiteral("ITEMS"), QStringLiteral("TURNS"), QStringLiteral("BRANCHES"),
                 QStringLiteral("FIRST ACTIVITY"), QStringLiteral("LAST ACTIVITY"), QStringLiteral("TOKENS")});
    for (int c : {1, 2, 3, 6})
        t.setRightAligned(c);
    for (const auto& s : *rows) {
        t.addRow({s.sessionId, QString::number(s.itemCount), QString::number(s.turnCount), QString::number(s.branchCount),
                  s.firstActivity, s.lastActivity, QString::number(s.totalTokens)});
    }
    out << t.render();
    out << QStringLiteral("%1 of %2 sessions shown (offset %3)\n").arg(rows->size()).arg(*total).arg(q.offset);
    return Cli::kExitOk;
}

namespace {

// Opens the advanced session behind `show`, `branches` and `usage` (read-only).
core::Result<std::unique_ptr<core::BranchingSession>> openAdvanced(const QString& db, const QString& sessionId)
{
    auto store = openStore(db);
    if (!store)
        return store.error();
    if ((*store)->schemaKind() != core::SchemaKind::Advanced) {
        return core::Error::make(core::Error::Code::Format,
                                 QStringLiteral("%1 holds plain SQLiteSession data (no branches, turns or usage); "
                                                "use `threadbench sdk --class sqlite %1 %2 get_items` to read its items")
                                     .arg(db, sessionId));
    }
    return (*store)->openSession(sessionId, {});
}

// A session id the file does not know (no branch with rows, no usage) is most likely a typo: report
// it as an error, as `show` does, instead of printing an empty listing with exit code 0.
core::Result<void> requireKnownSession(core::BranchingSession& session, const QString& db, const QString& sessionId)
{
    auto branches = session.listBranches();
    if (!branches)
        return branches.error();
    if (!branches->isEmpty())
        return {};
    auto usage = session.getSessionUsage(std::nullopt);
    if (!usage)
        return usage.error();
    if (*usage)
        return {};
    return core::Error::make(core::Error::Code::Argument, QStringLiteral("session '%1' not found in %2").arg(sessionId, db));
}

} // namespace

int AnalystCommands::show(const QStringList& args, QTextStream& out, QTextStream& err)
{
    Parsed p;
    p.parser.setApplicationDescription(QStringLiteral("Show a conversation turn by turn."));
    p.parser.addOption({QStringLiteral("branch"), QStringLiteral("Branch to show (default main)."), QStringLiteral("B"),
                        QStringLiteral("main")});
    if (int rc = parse(p, QStringLiteral("show"), args, {QStringLiteral("DB"), QStringLiteral("SESSION_ID")}, out, err); rc >= 0)
        return rc;
    const QString branch = p.parser.value(QStringLiteral("branch"));
    auto session = openAdvanced(p.positional.at(0), p.positional.at(1));
    if (!session)
        return Cli::fail(err, QStringLiteral("show"), session.error().message);
    auto items = (*session)->branchItems(branch, 0, -1);
    if (!items)
        return Cli::fail(err, QStringLiteral("show"), items.error().message);
    if (items->isEmpty())
        return Cli::fail(err, QStringLiteral("show"), QStringLiteral("session '%1' has no items on branch '%2'").arg(p.positional.at(1), branch));
    auto usage = (*session)->getTurnUsages(branch);
    if (!usage)
        return Cli::fail(err, QStringLiteral("show"), usage.error().message);
    QHash<qint64, core::TurnUsage> byTurn;
    for (const auto& u : *usage) {
        if (u.userTurnNumber)
            byTurn.insert(*u.userTurnNumber, u);
    }

    if (p.json) {
        Json::Array turns;
        std::optional<qint64> current;
        bool first = true;
        for (const auto& it : *items) {
            if (first || it.turn != current) {
                Json t = Json::object();
                t.insert(QStringLiteral("turn"), it.turn ? Json(*it.turn) : Json());
                const auto u = it.turn ? byTurn.constFind(*it.turn) : byTurn.constEnd();
                Json usageJson;
                if (u != byTurn.constEnd()) {
                    usageJson = Json::object();
                    usageJson.insert(QStringLiteral("requests"), u->requests);
                    usageJson.insert(QStringLiteral("input_tokens"), u->inputTokens);
                    usageJson.insert(QStringLiteral("output_tokens"), u->outputTokens);
                    usageJson.insert(QStringLiteral("total_tokens"), u->totalTokens);
                    usageJson.insert(QStringLiteral("input_tokens_details"), u->inputTokensDetails);
                    usageJson.insert(QStringLiteral("output_tokens_details"), u->outputTokensDetails);
                }
                t.insert(QStringLiteral("usage"), usageJson);
                t.insert(QStringLiteral("items"), Json::array());
                turns.push_back(std::move(t));
                current = it.turn;
                first = false;
            }
            Json entry = Json::object();
            entry.insert(QStringLiteral("type"), Json(it.messageType));
            entry.insert(QStringLiteral("tool_name"), it.toolName ? Json(*it.toolName) : Json());
            entry.insert(QStringLiteral("created_at"), Json(it.createdAt));
            entry.insert(QStringLiteral("item"), it.corrupt ? Json() : it.item);
            if (it.corrupt)
                entry.insert(QStringLiteral("raw"), Json(it.rawText));
            turns.back().asObject().back().second.append(std::move(entry));
        }
        Json doc = Json::object();
        doc.insert(QStringLiteral("session_id"), Json(p.positional.at(1)));
        doc.insert(QStringLiteral("branch"), Json(branch));
        doc.insert(QStringLiteral("turns"), Json(std::move(turns)));
        printJson(out, doc);
        return Cli::kExitOk;
    }

    out << "Session " << p.positional.at(1) << ", branch " << branch << '\n';
    std::optional<qint64> current;
    bool first = true;
    for (const auto& it : *items) {
        if (first || it.turn != current) {
            current = it.turn;
            first = false;
            out << '\n' << "== Turn " << (it.turn ? QString::number(*it.turn) : QStringLiteral("?"));
            if (it.turn && byTurn.contains(*it.turn)) {
                const auto& u = byTurn[*it.turn];
                out << QStringLiteral("  [%1 requests, in %2 (cached %3), out %4 (reasoning %5), total %6]")
                           .arg(u.requests.toInt())
                           .arg(u.inputTokens.toInt())
                           .arg(u.inputTokensDetails[u"cached_tokens"].toInt())
                           .arg(u.outputTokens.toInt())
                           .arg(u.outputTokensDetails[u"reasoning_tokens"].toInt())
                           .arg(u.totalTokens.toInt());
            }
            out << '\n';
        }
        out << "  " << it.createdAt << "  " << describe(it) << '\n';
    }
    return Cli::kExitOk;
}

int AnalystCommands::branches(const QStringList& args, QTextStream& out, QTextStream& err)
{
    Parsed p;
    p.parser.setApplicationDescription(QStringLiteral("List the branches of a session."));
    if (int rc = parse(p, QStringLiteral("branches"), args, {QStringLiteral("DB"), QStringLiteral("SESSION_ID")}, out, err); rc >= 0)
        return rc;
    auto session = openAdvanced(p.positional.at(0), p.positional.at(1));
    if (!session)
        return Cli::fail(err, QStringLiteral("branches"), session.error().message);
    if (auto known = requireKnownSession(**session, p.positional.at(0), p.positional.at(1)); !known)
        return Cli::fail(err, QStringLiteral("branches"), known.error().message);
    auto list = (*session)->listBranches();
    if (!list)
        return Cli::fail(err, QStringLiteral("branches"), list.error().message);
    QList<std::optional<core::SessionUsage>> usages;
    for (const auto& b : *list) {
        auto u = (*session)->getSessionUsage(b.branchId);
        if (!u)
            return Cli::fail(err, QStringLiteral("branches"), u.error().message);
        usages << *u;
    }
    if (p.json) {
        Json::Array arr;
        for (qsizetype i = 0; i < list->size(); ++i) {
            const auto& b = list->at(i);
            Json o = Json::object();
            o.insert(QStringLiteral("branch_id"), Json(b.branchId));
            o.insert(QStringLiteral("message_count"), Json(b.messageCount));
            o.insert(QStringLiteral("user_turns"), Json(b.userTurns));
            o.insert(QStringLiteral("created_at"), Json(b.createdAt));
            o.insert(QStringLiteral("total_tokens"), Json(usages.at(i) ? usages.at(i)->totalTokens : 0));
            arr.push_back(std::move(o));
        }
        printJson(out, Json(std::move(arr)));
        return Cli::kExitOk;
    }
    TextTable t({QStringLiteral("BRANCH"), QStringLiteral("ITEMS"), QStringLiteral("TURNS"), QStringLiteral("TOKENS"),
                 QStringLiteral("CREATED")});
    for (int c : {1, 2, 3})
        t.setRightAligned(c);
    for (qsizetype i = 0; i < list->size(); ++i) {
        const auto& b = list->at(i);
        t.addRow({b.branchId, QString::number(b.messageCount), QString::number(b.userTurns),
                  QString::number(usages.at(i) ? usages.at(i)->totalTokens : 0), b.createdAt});
    }
    out << t.render();
    return Cli::kExitOk;
}

int AnalystCommands::usage(const QStringList& args, QTextStream& out, QTextStream& err)
{
    Parsed p;
    p.parser.setApplicationDescription(QStringLiteral("Token usage of a session: totals, per turn and per tool."));
    p.parser.addOption({QStringLiteral("branch"), QStringLiteral("Only this branch (default: totals over all branches, turns of main)."),
                        QStringLiteral("B")});
    if (int rc = parse(p, QStringLiteral("usage"), args, {QStringLiteral("DB"), QStringLiteral("SESSION_ID")}, out, err); rc >= 0)
        return rc;
    auto session = openAdvanced(p.positional.at(0), p.positional.at(1));
    if (!session)
        return Cli::fail(err, QStringLiteral("usage"), session.error().message);
    if (auto known = requireKnownSession(**session, p.positional.at(0), p.positional.at(1)); !known)
        return Cli::fail(err, QStringLiteral("usage"), known.error().message);
    const std::optional<QString> branch =
        p.parser.isSet(QStringLiteral("branch")) ? std::optional(p.parser.value(QStringLiteral("branch"))) : std::nullopt;
    const QString turnBranch = branch.value_or(QStringLiteral("main"));
    auto total = (*session)->getSessionUsage(branch);
    auto turns = (*session)->getTurnUsages(turnBranch);
    auto tools = (*session)->getToolUsage(turnBranch);
    if (!total || !turns || !tools)
        return Cli::fail(err, QStringLiteral("usage"), (!total ? total.error() : !turns ? turns.error() : tools.error()).message);

    if (p.json) {
        Json doc = Json::object();
        Json totals;
        if (*total) {
            totals = Json::object();
            totals.insert(QStringLiteral("requests"), Json((*total)->requests));
            totals.insert(QStringLiteral("input_tokens"), Json((*total)->inputTokens));
            totals.insert(QStringLiteral("output_tokens"), Json((*total)->outputTokens));
            totals.insert(QStringLiteral("total_tokens"), Json((*total)->totalTokens));
            totals.insert(QStringLiteral("total_turns"), Json((*total)->totalTurns));
        }
        doc.insert(QStringLiteral("session_id"), Json(p.positional.at(1)));
        doc.insert(QStringLiteral("branch"), branch ? Json(*branch) : Json());
        doc.insert(QStringLiteral("totals"), totals);
        Json::Array perTurn;
        for (const auto& u : *turns) {
            Json o = Json::object();
            o.insert(QStringLiteral("user_turn_number"), u.userTurnNumber ? Json(*u.userTurnNumber) : Json());
            o.insert(QStringLiteral("requests"), u.requests);
            o.insert(QStringLiteral("input_tokens"), u.inputTokens);
            o.insert(QStringLiteral("output_tokens"), u.outputTokens);
            o.insert(QStringLiteral("total_tokens"), u.totalTokens);
            o.insert(QStringLiteral("input_tokens_details"), u.inputTokensDetails);
            o.insert(QStringLiteral("output_tokens_details"), u.outputTokensDetails);
            perTurn.push_back(std::move(o));
        }
        doc.insert(QStringLiteral("turns"), Json(std::move(perTurn)));
        Json::Array toolRows;
        for (const auto& t : *tools)
            toolRows.push_back(Json(Json::Array{t.toolName ? Json(*t.toolName) : Json(), Json(t.count),
                                                t.userTurnNumber ? Json(*t.userTurnNumber) : Json()}));
        doc.insert(QStringLiteral("tools"), Json(std::move(toolRows)));
        printJson(out, doc);
        return Cli::kExitOk;
    }
    if (*total) {
        out << QStringLiteral("Totals (%1): %2 requests, %3 input, %4 output, %5 tokens in %6 turns\n\n")
                   .arg(branch ? QStringLiteral("branch ") + *branch : QStringLiteral("all branches"))
                   .arg((*total)->requests)
                   .arg((*total)->inputTokens)
                   .arg((*total)->outputTokens)
                   .arg((*total)->totalTokens)
                   .arg((*total)->totalTurns);
    } else {
        out << "No usage stored for this session.\n";
    }
    if (!turns->isEmpty()) {
        TextTable t({QStringLiteral("TURN"), QStringLiteral("REQUESTS"), QStringLiteral("INPUT"), QStringLiteral("CACHED"),
                     QStringLiteral("OUTPUT"), QStringLiteral("REASONING"), QStringLiteral("TOTAL")});
        for (int c = 0; c < 7; ++c)
            t.setRightAligned(c);
        for (const auto& u : *turns) {
            t.addRow({u.userTurnNumber ? QString::number(*u.userTurnNumber) : QStringLiteral("-"), QString::number(u.requests.toInt()),
                      QString::number(u.inputTokens.toInt()), QString::number(u.inputTokensDetails[u"cached_tokens"].toInt()),
                      QString::number(u.outputTokens.toInt()),
                      QString::number(u.outputTokensDetails[u"reasoning_tokens"].toInt()), QString::number(u.totalTokens.toInt())});
        }
        out << "Per turn (branch " << turnBranch << "):\n" << t.render();
    }
    if (!tools->isEmpty()) {
        TextTable t({QStringLiteral("TOOL"), QStringLiteral("CALLS"), QStringLiteral("TURN")});
        t.setRightAligned(1);
        t.setRightAligned(2);
        for (const auto& tool : *tools)
            t.addRow({tool.toolName.value_or(QStringLiteral("(none)")), QString::number(tool.count),
                      tool.userTurnNumber ? QString::number(*tool.userTurnNumber) : QStringLiteral("-")});
        out << "\nTool calls (branch " << turnBranch << "):\n" << t.render();
    }
    return Cli::kExitOk;
}

} // namespace tb::app
