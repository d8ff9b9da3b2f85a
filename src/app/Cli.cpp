// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "Cli.h"

#include "AnalystCommands.h"
#include "DemoDatabase.h"
#include "MergeCommands.h"
#include "ReportCommand.h"
#include "RunCommand.h"
#include "SdkCommand.h"
#include "TransferCommands.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace tb::app {

namespace {

using Handler = int (*)(const QStringList&, QTextStream&, QTextStream&);

int demoCommand(const QStringList& args, QTextStream& out, QTextStream& err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Write the demo database (realistic support sessions) to a new file."));
    p.addHelpOption();
    p.addOption({QStringLiteral("sessions"), QStringLiteral("Number of sessions (default 48)."), QStringLiteral("N"), QStringLiteral("48")});
    p.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (same seed, same file)."), QStringLiteral("S"),
                 QStringLiteral("20261126")});
    p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("New database file."));
    if (!p.parse(args)) {
        err << "threadbench demo: " << p.errorText() << '\n';
        return Cli::kExitFailure;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return Cli::kExitOk;
    }
    if (p.positionalArguments().size() != 1) {
        err << "threadbench demo: expected OUT\n";
        return Cli::kExitFailure;
    }
    DemoDatabase::Options o;
    bool okSessions = false;
    bool okSeed = false;
    o.sessions = p.value(QStringLiteral("sessions")).toInt(&okSessions);
    o.seed = p.value(QStringLiteral("seed")).toULongLong(&okSeed);
    if (!okSessions || !okSeed || o.sessions < 1) {
        err << "threadbench demo: --sessions takes a positive integer, --seed an unsigned integer\n";
        return Cli::kExitFailure;
    }
    const QString path = p.positionalArguments().constFirst();
    if (auto r = DemoDatabase::generate(path, o); !r) {
        err << "threadbench demo: " << r.error().message << '\n';
        return Cli::kExitFailure;
    }
    out << "Wrote " << o.sessions << " demo sessions to " << path << '\n';
    return Cli::kExitOk;
}

struct Command
{
    const char16_t* name;
    Handler handler;
    const char* summary;
};

const Command kCommands[] = {
    {u"sdk", &SdkCommand::run, "call one Agents SDK session method (scripting and conformance)"},
    {u"sessions", &AnalystCommands::sessions, "list the sessions of a database"},
    {u"show", &AnalystCommands::show, "show a conversation turn by turn"},
    {u"branches", &AnalystCommands::branches, "list the branches of a session"},
    {u"usage", &AnalystCommands::usage, "token usage of a session: totals, per turn, per tool"},
    {u"report", &ReportCommand::run, "usage report (tokens, estimated cost) as CSV, JSON, Markdown, HTML or PDF"},
    {u"run", &RunCommand::run, "continue a session with a message through a model endpoint (demo by default)"},
    {u"agents", &RunCommand::agents, "list, show, import, export or remove agent definitions"},
    {u"export", &TransferCommands::exportConversation, "export a conversation to Markdown, JSON or JSONL"},
    {u"import", &TransferCommands::importConversation, "import JSONL items as a new session"},
    {u"promote", &MergeCommands::promote, "make a what-if branch the session's main (the old main is kept as a branch)"},
    {u"carry", &MergeCommands::carry, "append an analyst's finding from a branch to main"},
    {u"demo", &demoCommand, "write the demo database to a new file"},
};

} // namespace

bool Cli::isCommand(const QString& arg)
{
    if (arg == u"--help" || arg == u"-h" || arg == u"--version" || arg == u"-v" || arg == u"help")
        return true;
    for (const Command& c : kCommands) {
        if (arg == QStringView(c.name))
            return true;
    }
    return false;
}

QString Cli::usage()
{
    QString s = QStringLiteral("Usage: threadbench [DB]            open the workbench window\n"
                               "       threadbench COMMAND [ARGS]   run a command without a window\n\nCommands:\n");
    for (const Command& c : kCommands)
        s += QStringLiteral("  %1  %2\n").arg(QString::fromUtf16(c.name).leftJustified(10), QString::fromLatin1(c.summary));
    s += QStringLiteral("\n`threadbench COMMAND --help` describes a command's options.\n");
    return s;
}

int Cli::fail(QTextStream& err, const QString& command, const QString& message, int code)
{
    err << "threadbench " << command << ": " << message << '\n';
    err.flush();
    return code;
}

QString Cli::oneLine(QString s, qsizetype max)
{
    s.replace(u'\n', u' ');
    if (s.size() > max)
        s = s.left(max - 1) + QChar(0x2026);
    return s;
}

int Cli::run(const QStringList& args, QTextStream& out, QTextStream& err)
{
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h" || args.first() == u"help") {
        out << usage();
        return kExitOk;
    }
    if (args.first() == u"--version" || args.first() == u"-v") {
        out << "threadbench " << QCoreApplication::applicationVersion() << '\n';
        return kExitOk;
    }
    for (const Command& c : kCommands) {
        if (args.first() == QStringView(c.name)) {
            // QCommandLineParser expects the program name first.
            QStringList rest = args;
            rest[0] = QStringLiteral("threadbench ") + args.first();
            return c.handler(rest, out, err);
        }
    }
    err << "threadbench: unknown command '" << args.first() << "'\n\n" << usage();
    return kExitFailure;
}

} // namespace tb::app
