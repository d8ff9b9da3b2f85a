// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "TransferCommands.h"

#include "Cli.h"

#include "core/ConversationExport.h"
#include "storage/SqliteSessionStore.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace tb::app {

int TransferCommands::exportConversation(const QStringList& args, QTextStream& out, QTextStream& err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Export a conversation (one branch) to Markdown, JSON or JSONL."));
    p.addHelpOption();
    p.addOption({QStringLiteral("branch"), QStringLiteral("Branch (default main)."), QStringLiteral("B"), QStringLiteral("main")});
    p.addOption({QStringLiteral("format"), QStringLiteral("md, json or jsonl (default: from the file name, else md)."),
                 QStringLiteral("fmt")});
    p.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output file (default: standard output)."),
                 QStringLiteral("FILE")});
    p.addPositionalArgument(QStringLiteral("DB"), QStringLiteral("Session database."));
    p.addPositionalArgument(QStringLiteral("SESSION_ID"), QStringLiteral("Session."));
    if (!p.parse(args))
        return Cli::fail(err, QStringLiteral("export"), p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return Cli::kExitOk;
    }
    if (p.positionalArguments().size() != 2)
        return Cli::fail(err, QStringLiteral("export"), QStringLiteral("expected DB SESSION_ID"));
    const QString output = p.value(QStringLiteral("output"));
    QString format = p.value(QStringLiteral("format"));
    if (format.isEmpty())
        format = output.endsWith(u".jsonl") ? QStringLiteral("jsonl") : output.endsWith(u".json") ? QStringLiteral("json") : QStringLiteral("md");
    if (format != u"md" && format != u"json" && format != u"jsonl")
        return Cli::fail(err, QStringLiteral("export"), QStringLiteral("--format must be md, json or jsonl"));

    storage::SqliteSessionStore::Options o;
    o.readOnly = true;
    auto store = storage::SqliteSessionStore::open(p.positionalArguments().at(0), o);
    if (!store)
        return Cli::fail(err, QStringLiteral("export"), store.error().message);
    if ((*store)->schemaKind() != core::SchemaKind::Advanced)
        return Cli::fail(err, QStringLiteral("export"), QStringLiteral("%1 has no AdvancedSQLiteSession tables").arg(p.positionalArguments().at(0)));
    const QString sessionId = p.positionalArguments().at(1);
    const QString branch = p.value(QStringLiteral("branch"));
    auto session = (*store)->openSession(sessionId, {});
    if (!session)
        return Cli::fail(err, QStringLiteral("export"), session.error().message);
    auto items = (*session)->branchItems(branch, 0, -1);
    if (!items)
        return Cli::fail(err, QStringLiteral("export"), items.error().message);
    if (items->isEmpty())
        return Cli::fail(err, QStringLiteral("export"), QStringLiteral("session '%1' has no items on branch '%2'").arg(sessionId, branch));
    auto meta = (*store)->sessionMeta(sessionId);
    const core::ConversationExport::Header header{sessionId, branch, meta ? meta->title : QString()};

    QByteArray data;
    if (format == u"md") {
        auto usage = (*session)->getTurnUsages(branch);
        data = core::ConversationExport::toMarkdown(header, *items, usage ? *usage : QList<core::TurnUsage>{}).toUtf8();
    } else if (format == u"json") {
        data = core::ConversationExport::toJson(header, *items);
    } else {
        data = core::ConversationExport::toJsonl(*items);
    }
    if (output.isEmpty() || output == u"-") {
        out << QString::fromUtf8(data);
        return Cli::kExitOk;
    }
    // QSaveFile: an interrupted export never leaves half a file behind.
    QSaveFile f(output);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return Cli::fail(err, QStringLiteral("export"), QStringLiteral("cannot write %1: %2").arg(output, f.errorString()));
    err << "Exported " << items->size() << " items of " << sessionId << " (" << branch << ") to " << output << '\n';
    return Cli::kExitOk;
}

int TransferCommands::importConversation(const QStringList& args, QTextStream& out, QTextStream& err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Import JSONL items (one SDK item per line) as a new session."));
    p.addHelpOption();
    p.addOption({QStringLiteral("session"), QStringLiteral("Id of the new session (default: the file name)."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("append"), QStringLiteral("Append to the session even if it already has items.")});
    p.addPositionalArgument(QStringLiteral("DB"), QStringLiteral("Session database (created with the SDK's schema if missing)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("JSONL file."));
    if (!p.parse(args))
        return Cli::fail(err, QStringLiteral("import"), p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return Cli::kExitOk;
    }
    if (p.positionalArguments().size() != 2)
        return Cli::fail(err, QStringLiteral("import"), QStringLiteral("expected DB FILE"));
    const QString db = p.positionalArguments().at(0);
    const QString file = p.positionalArguments().at(1);
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return Cli::fail(err, QStringLiteral("import"), QStringLiteral("cannot read %1: %2").arg(file, f.errorString()));
    auto items = core::ConversationExport::parseJsonl(f.readAll());
    if (!items)
        return Cli::fail(err, QStringLiteral("import"), QStringLiteral("%1: %2").arg(file, items.error().message));
    if (items->isEmpty())
        return Cli::fail(err, QStringLiteral("import"), QStringLiteral("%1 holds no items").arg(file));
    QString sessionId = p.value(QStringLiteral("session"));
    if (sessionId.isEmpty())
        sessionId = QFileInfo(file).completeBaseName();

    storage::SqliteSessionStore::Options o;
    o.create = true;
    auto store = storage::SqliteSessionStore::open(db, o);
    if (!store)
        return Cli::fail(err, QStringLiteral("import"), store.error().message);
    if ((*store)->isReadOnly())
        return Cli::fail(err, QStringLiteral("import"), QStringLiteral("%1 is read-only").arg(db));
    core::SessionOpenOptions so;
    so.createTables = (*store)->schemaKind() != core::SchemaKind::Advanced;
    auto session = (*store)->openSession(sessionId, so);
    if (!session)
        return Cli::fail(err, QStringLiteral("import"), session.error().message);
    auto existing = (*session)->branchItemCount(QStringLiteral("main"));
    if (existing && *existing > 0 && !p.isSet(QStringLiteral("append")))
        return Cli::fail(err, QStringLiteral("import"), QStringLiteral("session '%1' already has %2 items; use --append or another --session").arg(sessionId).arg(*existing));
    // One add_items call: the import is stored whole or not at all.
    if (auto r = (*session)->addItems(*items); !r)
        return Cli::fail(err, QStringLiteral("import"), r.error().message);
    out << "Imported " << items->size() << " items into session " << sessionId << " of " << db << '\n';
    return Cli::kExitOk;
}

} // namespace tb::app
