// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "RunCommand.h"

#include "Cli.h"
#include "ModelEndpoints.h"

#include "agent/Runner.h"
#include "agent/TerminalAnalystPrompter.h"
#include "core/AgentDefinition.h"
#include "net/EndpointProfiles.h"
#include "storage/SqliteAgentRepository.h"
#include "storage/SqliteSessionStore.h"
#include "storage/SqliteTaskList.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QSaveFile>

#include <cstdio>

namespace tb::app {

namespace {

// An agent from a JSON file, or by name from the database's agents, or the default one.
core::Result<core::AgentDefinition> loadAgent(const QString& spec, const QString& db)
{
    if (spec.isEmpty())
        return core::AgentDefinition::defaultSupportAgent();
    if (QFileInfo(spec).isFile()) {
        QFile f(spec);
        if (!f.open(QIODevice::ReadOnly))
            return core::Error::make(core::Error::Code::Argument, QStringLiteral("cannot read %1: %2").arg(spec, f.errorString()));
        auto agent = core::AgentDefinition::fromJsonText(f.readAll());
        if (!agent)
            return core::Error::make(core::Error::Code::Format, QStringLiteral("%1: %2").arg(spec, agent.error().message));
        return agent;
    }
    if (QFileInfo::exists(db)) {
        auto repo = storage::SqliteAgentRepository::open(db, {true, false});
        if (repo) {
            auto found = (*repo)->load(spec);
            if (found && *found)
                return **found;
        }
    }
    return core::Error::make(core::Error::Code::Argument,
                             QStringLiteral("no agent file or stored agent named '%1' (see `threadbench agents list DB`)").arg(spec));
}

QString usageLine(const core::RunUsage& u)
{
    const QLocale l;
    return QStringLiteral("%1 request(s), %2 input (%3 cached), %4 output (%5 reasoning), %6 total tokens")
        .arg(u.requests)
        .arg(l.toString(u.inputTokens), l.toString(u.cachedTokens), l.toString(u.outputTokens), l.toString(u.reasoningTokens),
             l.toString(u.totalTokens));
}

} // namespace

int RunCommand::run(const QStringList& args, QTextStream& out, QTextStream& err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Continue a session with one user message: the agent answers through a model endpoint "
                                               "(the offline demo model by default), tools run, and everything is stored as the "
                                               "Agents SDK's Runner would store it."));
    p.addHelpOption();
    p.addOption({QStringLiteral("branch"), QStringLiteral("Branch to continue (default: main)."), QStringLiteral("B")});
    p.addOption({QStringLiteral("agent"), QStringLiteral("Agent definition file, or the name of an agent stored in DB."),
                 QStringLiteral("FILE_OR_NAME")});
    p.addOption({QStringLiteral("endpoint"), QStringLiteral("Base URL of an OpenAI-compatible endpoint, ending in /v1 (key from "
                                                            "OPENAI_API_KEY)."),
                 QStringLiteral("URL")});
    p.addOption({QStringLiteral("profile"), QStringLiteral("Endpoint profile: demo, openai, ollama, llamacpp, vllm, lmstudio, or "
                                                           "one of yours."),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("protocol"),
                 QStringLiteral("Wire protocol: responses or chat (default: the profile's; for --endpoint, responses for "
                                "api.openai.com and chat for other servers)."),
                 QStringLiteral("responses|chat")});
    p.addOption({QStringLiteral("model"), QStringLiteral("Model name (overrides the agent's)."), QStringLiteral("M")});
    p.addOption({QStringLiteral("no-stream"), QStringLiteral("Wait for whole replies instead of streaming.")});
    p.addOption({QStringLiteral("max-turns"), QStringLiteral("Model calls allowed (default 10)."), QStringLiteral("N"),
                 QStringLiteral("10")});
    p.addPositionalArgument(QStringLiteral("DB"), QStringLiteral("Session database (created with the SDK's schema if missing)."));
    p.addPositionalArgument(QStringLiteral("SESSION_ID"), QStringLiteral("Session to continue (or start)."));
    p.addPositionalArgument(QStringLiteral("MESSAGE"), QStringLiteral("The user's message."));
    if (!p.parse(args))
        return Cli::fail(err, QStringLiteral("run"), p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return Cli::kExitOk;
    }
    const QStringList pos = p.positionalArguments();
    if (pos.size() != 3)
        return Cli::fail(err, QStringLiteral("run"), QStringLiteral("expected DB SESSION_ID MESSAGE"));
    const QString& db = pos.at(0);
    const QString& sessionId = pos.at(1);
    const QString& message = pos.at(2);
    if (message.trimmed().isEmpty())
        return Cli::fail(err, QStringLiteral("run"), QStringLiteral("the message is empty"));
    bool okTurns = false;
    const int maxTurns = p.value(QStringLiteral("max-turns")).toInt(&okTurns);
    if (!okTurns || maxTurns < 1)
        return Cli::fail(err, QStringLiteral("run"), QStringLiteral("--max-turns takes a positive integer"));
    std::optional<net::WireProtocol> protocol;
    if (p.isSet(QStringLiteral("protocol"))) {
        const QString name = p.value(QStringLiteral("protocol"));
        if (name == u"responses")
            protocol = net::WireProtocol::Responses;
        else if (name == u"chat" || name == u"chat_completions")
            protocol = net::WireProtocol::ChatCompletions;
        else
            return Cli::fail(err, QStringLiteral("run"), QStringLiteral("--protocol must be responses or chat"));
    }

    auto agent = loadAgent(p.value(QStringLiteral("agent")), db);
    if (!agent)
        return Cli::fail(err, QStringLiteral("run"), agent.error().message);
    if (p.isSet(QStringLiteral("model")))
        agent->modelSettings.model = p.value(QStringLiteral("model"));

    ModelEndpoints endpoints;
    net::EndpointProfile profile;
    if (p.isSet(QStringLiteral("endpoint"))) {
        const QUrl url(p.value(QStringLiteral("endpoint")));
        if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
            return Cli::fail(err, QStringLiteral("run"), QStringLiteral("--endpoint must be a URL such as http://127.0.0.1:11434/v1"));
        // Every OpenAI-compatible server speaks Chat Completions; only some speak the Responses API,
        // so an unknown server gets Chat Completions unless --protocol says otherwise.
        const net::WireProtocol fallback =
            url.host().endsWith(u"openai.com") ? net::WireProtocol::Responses : net::WireProtocol::ChatCompletions;
        profile = ModelEndpoints::adHoc(url, protocol.value_or(fallback), agent->modelSettings.model);
    } else {
        const QString name = p.isSet(QStringLiteral("profile")) ? p.value(QStringLiteral("profile"))
                                                                 : (agent->endpointProfile.isEmpty() ? QStringLiteral("demo")
                                                                                                     : agent->endpointProfile);
        auto found = endpoints.profile(name);
        if (!found)
            return Cli::fail(err, QStringLiteral("run"), QStringLiteral("no endpoint profile named '%1'").arg(name));
        profile = *found;
        if (protocol)
            profile.protocol = *protocol;
    }
    storage::SqliteSessionStore::Options so;
    so.create = true;
    auto store = storage::SqliteSessionStore::open(db, so);
    if (!store)
        return Cli::fail(err, QStringLiteral("run"), store.error().message);
    if ((*store)->isReadOnly())
        return Cli::fail(err, QStringLiteral("run"), QStringLiteral("%1 is read-only").arg(db));
    core::SessionOpenOptions oo;
    oo.createTables = (*store)->schemaKind() != core::SchemaKind::Advanced;
    auto session = (*store)->openSession(sessionId, oo);
    if (!session)
        return Cli::fail(err, QStringLiteral("run"), session.error().message);
    auto tasks = storage::SqliteTaskList::open(db, {});
    if (!tasks)
        return Cli::fail(err, QStringLiteral("run"), tasks.error().message);

    auto client = endpoints.prepare(profile, *agent);
    if (!client)
        return Cli::fail(err, QStringLiteral("run"), client.error().message + (p.isSet(QStringLiteral("model")) ? QString() : QStringLiteral(" (--model)")));

    QFile in;
    QFile console;
    (void)in.open(stdin, QIODevice::ReadOnly);
    (void)console.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered);
    agent::TerminalAnalystPrompter prompter(in, console);

    agent::Runner runner(**client);
    runner.setSessionStore(store->get());
    runner.setToolServices({tasks->get(), &prompter});
    agent::RunOptions options;
    if (p.isSet(QStringLiteral("branch")))
        options.branch = p.value(QStringLiteral("branch"));
    options.maxTurns = maxTurns;
    options.stream = !p.isSet(QStringLiteral("no-stream"));

    err << "[" << (profile.isDemo ? QStringLiteral("demo model — offline, deterministic") : profile.displayName) << ", "
        << agent->modelSettings.model << ", " << net::wireProtocolName(profile.protocol) << "]\n";
    err.flush();
    bool textOpen = false;
    QObject::connect(&runner, &agent::Runner::textDelta, [&](const QString&, const QString& delta) {
        out << delta;
        out.flush();
        textOpen = true;
    });
    QObject::connect(&runner, &agent::Runner::toolCallStarted, [&](const QString&, const QString& name, const QString& arguments) {
        if (textOpen)
            out << '\n';
        textOpen = false;
        out << "  → " << name << '(' << Cli::oneLine(arguments, 200) << ")\n";
        out.flush();
    });
    QObject::connect(&runner, &agent::Runner::toolCallFinished, [&](const QString&, const QString&, const QString& output) {
        out << "  ← " << Cli::oneLine(output, 200) << '\n';
        out.flush();
    });
    QObject::connect(&runner, &agent::Runner::retrying, [&](int attempt, qint64 delayMs, const QString& reason) {
        err << "  (retrying in " << delayMs << " ms, attempt " << attempt << ": " << reason << ")\n";
        err.flush();
    });

    QEventLoop loop;
    QObject::connect(&runner, &agent::Runner::finished, &loop, &QEventLoop::quit);
    if (!runner.run(*agent, message, **session, options))
        return Cli::fail(err, QStringLiteral("run"), QStringLiteral("could not start the run"), kExitRunFailed);
    if (runner.isRunning())
        loop.exec();
    if (textOpen)
        out << '\n';
    out.flush();

    const auto& result = runner.result();
    if (!result) {
        // What was stored stays stored, exactly as the SDK leaves a failed run: say what it was.
        const agent::RunResult& partial = runner.progress();
        const qsizetype stored = partial.inputItems.size() + partial.newItems.size();
        if (stored > 0)
            err << "(" << stored << " item(s) of this run were stored before it failed)\n";
        return Cli::fail(err, QStringLiteral("run"), result.error().message, kExitRunFailed);
    }
    if (!result->finalText.isEmpty() && !options.stream)
        out << result->finalText << '\n';
    err << "Stored " << (result->inputItems.size() + result->newItems.size()) << " items in " << sessionId << " (branch "
        << result->branchId << ", turn " << result->userTurnNumber << "). Usage: " << usageLine(result->usage) << '\n';
    return Cli::kExitOk;
}

int RunCommand::agents(const QStringList& args, QTextStream& out, QTextStream& err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Agent definitions: list DB | show DB NAME | import DB FILE | export DB NAME [-o FILE] "
                                               "| remove DB NAME | default [-o FILE]."));
    p.addHelpOption();
    p.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Write to FILE instead of standard output."),
                 QStringLiteral("FILE")});
    p.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("list, show, import, export, remove or default."));
    if (!p.parse(args))
        return Cli::fail(err, QStringLiteral("agents"), p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return Cli::kExitOk;
    }
    const QStringList pos = p.positionalArguments();
    const QString action = pos.value(0);
    auto write = [&](const QByteArray& data) {
        const QString file = p.value(QStringLiteral("output"));
        if (file.isEmpty()) {
            out << QString::fromUtf8(data);
            return Cli::kExitOk;
        }
        QSaveFile f(file);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
            return Cli::fail(err, QStringLiteral("agents"), QStringLiteral("cannot write %1: %2").arg(file, f.errorString()));
        return Cli::kExitOk;
    };
    if (action == u"default")
        return write(core::AgentDefinition::defaultSupportAgent().toJsonText());
    if (pos.size() < 2)
        return Cli::fail(err, QStringLiteral("agents"), QStringLiteral("expected ACTION DB [NAME|FILE]"));
    const QString db = pos.at(1);
    const bool writes = action == u"import" || action == u"remove";
    if (!writes && !QFileInfo::exists(db))
        return Cli::fail(err, QStringLiteral("agents"), QStringLiteral("%1: no such file").arg(db));
    auto repo = storage::SqliteAgentRepository::open(db, {!writes, writes});
    if (!repo)
        return Cli::fail(err, QStringLiteral("agents"), repo.error().message);
    if (action == u"list") {
        auto names = (*repo)->list();
        if (!names)
            return Cli::fail(err, QStringLiteral("agents"), names.error().message);
        for (const QString& n : *names)
            out << n << '\n';
        if (names->isEmpty())
            err << "No agents stored in " << db << " (the default support agent is used by `run`).\n";
        return Cli::kExitOk;
    }
    if (pos.size() != 3)
        return Cli::fail(err, QStringLiteral("agents"), QStringLiteral("expected %1 DB %2").arg(action, action == u"import" ? u"FILE" : u"NAME"));
    if (action == u"import") {
        QFile f(pos.at(2));
        if (!f.open(QIODevice::ReadOnly))
            return Cli::fail(err, QStringLiteral("agents"), QStringLiteral("cannot read %1: %2").arg(pos.at(2), f.errorString()));
        auto agent = core::AgentDefinition::fromJsonText(f.readAll());
        if (!agent)
            return Cli::fail(err, QStringLiteral("agents"), QStringLiteral("%1: %2").arg(pos.at(2), agent.error().message));
        if (auto r = (*repo)->save(*agent); !r)
            return Cli::fail(err, QStringLiteral("agents"), r.error().message);
        out << "Stored agent '" << agent->name << "' in " << db << '\n';
        return Cli::kExitOk;
    }
    if (action == u"show" || action == u"export") {
        auto agent = (*repo)->load(pos.at(2));
        if (!agent)
            return Cli::fail(err, QStringLiteral("agents"), agent.error().message);
        if (!*agent)
            return Cli::fail(err, QStringLiteral("agents"), QStringLiteral("no agent named '%1' in %2").arg(pos.at(2), db));
        return write((*agent)->toJsonText());
    }
    if (action == u"remove") {
        auto removed = (*repo)->remove(pos.at(2));
        if (!removed)
            return Cli::fail(err, QStringLiteral("agents"), removed.error().message);
        if (!*removed)
            return Cli::fail(err, QStringLiteral("agents"), QStringLiteral("no agent named '%1' in %2").arg(pos.at(2), db));
        out << "Removed agent '" << pos.at(2) << "'\n";
        return Cli::kExitOk;
    }
    return Cli::fail(err, QStringLiteral("agents"), QStringLiteral("unknown action '%1'").arg(action));
}

} // namespace tb::app
