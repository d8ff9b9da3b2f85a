// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "Runner.h"

#include "ModelInput.h"

#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcAgent, "tb.agent")

namespace tb::agent {

using core::Error;
using core::Json;

namespace {

/// Call types the SDK runs locally; the workbench only has function tools.
bool isUnsupportedLocalCall(const QString& type)
{
    return type == u"custom_tool_call" || type == u"computer_call" || type == u"shell_call"
           || type == u"apply_patch_call" || type == u"local_shell_call";
}

/// ItemHelpers.extract_text / extract_refusal over a message item's content parts.
QString messageParts(const Json& message, QStringView partType, QStringView field)
{
    const Json& content = message[u"content"];
    if (content.isString())
        return partType == u"output_text" ? content.toString() : QString();
    QString text;
    for (const Json& part : content.asArray()) {
        if (part[u"type"].toString() == partType)
            text += part[field].toString();
    }
    return text;
}

/// The name a function call is looked up by: "<namespace>.<name>" for namespaced tools.
QString qualifiedName(const Json& call)
{
    const QString name = call[u"name"].toString();
    const QString ns = call[u"namespace"].toString();
    if (!ns.isEmpty() && ns != name)
        return ns + u'.' + name;
    return name;
}

QString outputText(const Json& output)
{
    return output.isString() ? output.toString() : output.dumpUnicode();
}

} // namespace

Runner::Runner(core::ModelClient& client, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{}

Runner::~Runner()
{
    // Going away mid-run: stop the work quietly (nobody is left to hear finished()).
    releaseRunObjects();
}

bool Runner::run(const core::AgentDefinition& agent, const QString& input, core::BranchingSession& session,
                 const RunOptions& options)
{
    return startRun(agent, {ModelInput::userMessage(input)}, session, options);
}

bool Runner::run(const core::AgentDefinition& agent, const QList<Json>& input, core::BranchingSession& session,
                 const RunOptions& options)
{
    return startRun(agent, input, session, options);
}

bool Runner::startRun(const core::AgentDefinition& agent, QList<Json> input, core::BranchingSession& session,
                      const RunOptions& options)
{
    if (m_state != State::Idle)
        return false;
    ++m_generation;
    m_state = State::Starting;
    m_agent = agent;
    m_session = &session;
    m_options = options;
    m_newInput = std::move(input);
    m_prepared.clear();
    m_generated.clear();
    m_turnOutput.clear();
    m_pendingTools.clear();
    m_toolsUsed = false;
    m_progress = RunResult{};
    m_errorKind = RunErrorKind::None;
    m_result = Error::make(Error::Code::Cancelled, QStringLiteral("run not finished"));
    // Deferred, so finished() can never fire inside run().
    const quint64 generation = m_generation;
    QTimer::singleShot(0, this, [this, generation] {
        if (generation == m_generation && m_state == State::Starting)
            begin();
    });
    return true;
}

void Runner::begin()
{
    core::BranchingSession& session = *m_session;
    if (m_options.branch && *m_options.branch != session.currentBranch()) {
        if (auto r = session.switchToBranch(*m_options.branch); !r)
            return fail(RunErrorKind::Session, r.error());
    }
    m_progress.branchId = session.currentBranch();

    if (m_options.tools) {
        m_tools = m_options.tools;
    } else {
        auto registry = ToolRegistry::fromAgent(*m_agent, m_services);
        if (!registry)
            return fail(RunErrorKind::Setup, registry.error());
        m_ownedTools = std::move(registry).value();
        m_tools = m_ownedTools.get();
    }

    // RunConfig.session_settings.limit wins over the session's own setting (spec §8 step 1).
    auto history = session.getItems(m_options.limit, std::nullopt);
    if (!history)
        return fail(RunErrorKind::Session, history.error());
    const bool limitInEffect = m_options.limit.has_value() || session.limitSetting().has_value();
    m_prepared = ModelInput::fromSession(*history, m_newInput, limitInEffect);

    // The input is stored before the first model call, so a failing call leaves it (spec §8 step 3).
    m_progress.inputItems = ModelInput::inputToPersist(m_newInput);
    if (!persist(m_progress.inputItems, true))
        return;

    // The turn the input opened: store_run_usage will attribute the run to it (the branch's latest).
    m_progress.userTurnNumber = 0;
    if (auto count = session.branchItemCount(m_progress.branchId); count && *count > 0) {
        if (auto last = session.branchItems(m_progress.branchId, *count - 1, 1); last && !last->isEmpty())
            m_progress.userTurnNumber = last->last().turn.value_or(0);
    } else if (!count) {
        qCWarning(lcAgent) << "cannot read the turn number:" << count.error().message;
    }
    startModelCall();
}

void Runner::startModelCall()
{
    if (m_progress.turns >= m_options.maxTurns) {
        return fail(
            RunErrorKind::MaxTurnsExceeded,
            Error::make(Error::Code::Protocol, QStringLiteral("Max turns (%1) exceeded").arg(m_options.maxTurns)));
    }
    ++m_progress.turns;
    m_state = State::ModelCall;
    Q_EMIT turnStarted(m_progress.turns);
    if (m_state != State::ModelCall)
        return; // a slot cancelled the run

    core::ModelRequest request;
    request.instructions = m_agent->instructions;
    request.input = ModelInput::forTurn(m_prepared, m_generated);
    request.tools = m_tools->definitions();
    request.settings = m_agent->modelSettings;
    // reset_tool_choice (on by default in the SDK): once tools ran, a forced choice would loop.
    if (m_toolsUsed)
        request.settings.toolChoice.clear();
    request.stream = m_options.stream;

    m_callStartedAt = m_clock().toUTC();
    m_callTimer.start();
    m_firstTokenMs.reset();
    core::ModelCall* call = m_client.start(request, this);
    if (!call)
        return fail(RunErrorKind::Setup,
                    Error::make(Error::Code::Protocol, QStringLiteral("The model client started no call")));
    m_call = call;
    connect(call, &core::ModelCall::textDelta, this, [this](const QString& itemId, const QString& delta) {
        markFirstToken();
        Q_EMIT textDelta(itemId, delta);
    });
    connect(call, &core::ModelCall::refusalDelta, this, [this] { markFirstToken(); });
    connect(call, &core::ModelCall::reasoningDelta, this, [this](const QString& itemId, const QString& delta) {
        markFirstToken();
        Q_EMIT reasoningDelta(itemId, delta);
    });
    connect(call, &core::ModelCall::toolCallStarted, this, [this] { markFirstToken(); });
    connect(call, &core::ModelCall::retrying, this, &Runner::retrying);
    connect(call, &core::ModelCall::finished, this, &Runner::modelCallFinished);
    if (call->isFinished()) {
        // A client that answered inside start(): its finished() came before we listened.
        const quint64 generation = m_generation;
        QTimer::singleShot(0, this, [this, generation, call] {
            if (generation == m_generation && m_call == call)
                modelCallFinished();
        });
    }
}

void Runner::markFirstToken()
{
    if (!m_firstTokenMs)
        m_firstTokenMs = m_callTimer.elapsed();
}

void Runner::modelCallFinished()
{
    core::ModelCall* call = m_call;
    if (!call || m_state != State::ModelCall)
        return;
    m_call = nullptr;
    disconnect(call, nullptr, this, nullptr);
    call->deleteLater();
    const core::Result<core::ModelReply>& result = call->result();
    if (!result) {
        const Error& e = result.error();
        return fail(e.code == Error::Code::Cancelled ? RunErrorKind::Cancelled : RunErrorKind::Model, e);
    }
    const core::ModelReply& reply = result.value();

    // Usage: every model call is a request even when the endpoint sent no usage.
    core::RunUsage usage = reply.usage;
    usage.requests = std::max<qint64>(usage.requests, 1);
    m_progress.usage += usage;

    core::RequestUsage row;
    row.sessionId = m_session->sessionId();
    row.branchId = m_progress.branchId;
    row.userTurnNumber = m_progress.userTurnNumber;
    row.model = reply.model.isEmpty() ? m_agent->modelSettings.model : reply.model;
    row.endpoint = m_client.endpointName();
    row.startedAt = m_callStartedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    row.latencyMs = reply.latencyMs > 0 ? reply.latencyMs : m_callTimer.elapsed();
    row.timeToFirstTokenMs = reply.timeToFirstTokenMs ? reply.timeToFirstTokenMs : m_firstTokenMs;
    row.inputTokens = usage.inputTokens;
    row.cachedTokens = usage.cachedTokens;
    row.outputTokens = usage.outputTokens;
    row.reasoningTokens = usage.reasoningTokens;
    row.totalTokens = usage.totalTokens;
    m_progress.requests << row;
    Q_EMIT usageUpdated(m_progress.usage);
    if (m_state != State::ModelCall)
        return;

    QList<Json> output;
    QList<Json> calls;
    for (const Json& item : reply.output) {
        output << ModelInput::withoutNullStatus(item);
        const QString type = item[u"type"].toString();
        if (type == u"function_call") {
            calls << item;
        } else if (isUnsupportedLocalCall(type)) {
            return fail(RunErrorKind::ModelBehavior,
                        Error::make(Error::Code::Protocol,
                                    QStringLiteral("Model produced a %1 item, but agent %2 has only function tools")
                                        .arg(type, m_agent->name)));
        }
    }
    // Unknown tools fail the turn before anything runs (the SDK's default tool_not_found_behavior).
    for (const Json& c : calls) {
        const QString name = qualifiedName(c);
        if (!m_tools->find(name)) {
            return fail(RunErrorKind::ModelBehavior,
                        Error::make(Error::Code::Protocol,
                                    QStringLiteral("Tool %1 not found in agent %2").arg(name, m_agent->name)));
        }
    }
    if (calls.isEmpty())
        finishFinalTurn(output);
    else
        startTools(output, calls);
}

void Runner::startTools(const QList<Json>& output, const QList<Json>& calls)
{
    m_state = State::Tools;
    m_toolsUsed = true;
    m_turnOutput = output;
    m_pendingTools.clear();
    m_pendingTools.resize(std::size_t(calls.size()));
    for (qsizetype i = 0; i < calls.size(); ++i) {
        PendingTool& p = m_pendingTools[std::size_t(i)];
        p.callItem = calls.at(i);
        p.callId = p.callItem[u"call_id"].toString();
        p.name = qualifiedName(p.callItem);
    }
    // All calls of one response run at once, as the SDK gathers them; outputs keep call order.
    for (std::size_t i = 0; i < m_pendingTools.size(); ++i) {
        PendingTool& p = m_pendingTools[i];
        const QString argumentsText = p.callItem[u"arguments"].toString();
        ToolInvocation call;
        call.callId = p.callId;
        call.name = p.name;
        call.argumentsText = argumentsText;
        call.sessionId = m_session->sessionId();
        call.branchId = m_progress.branchId;
        call.session = m_session;
        std::optional<QString> argumentError;
        if (!argumentsText.isEmpty()) {
            auto parsed = Json::parse(argumentsText);
            if (!parsed) {
                argumentError =
                    QStringLiteral(
                        "An error occurred while parsing tool arguments. Please try again with valid JSON. Error: ")
                    + parsed.error().message;
            } else if (!parsed->isObject()) {
                argumentError = Tool::failureOutput(
                    QStringLiteral("Invalid JSON input for tool %1: expected a JSON object").arg(p.name));
            } else {
                call.arguments = std::move(parsed).value();
            }
        }
        Q_EMIT toolCallStarted(p.callId, p.name, argumentsText);
        if (m_state != State::Tools)
            return; // a slot cancelled the run
        ToolRun* run =
            argumentError ? ToolRun::completed(Json(*argumentError), this) : m_tools->find(p.name)->start(call, this);
        p.run = run;
        connect(run, &ToolRun::finished, this, [this, i] { toolFinished(i); });
    }
}

void Runner::toolFinished(std::size_t index)
{
    if (m_state != State::Tools || index >= m_pendingTools.size())
        return;
    PendingTool& p = m_pendingTools[index];
    ToolRun* run = p.run;
    if (!run || p.done)
        return;
    p.done = true;
    disconnect(run, nullptr, this, nullptr);
    run->deleteLater();
    // A run reports an error only when cancelled; outside cancel() that still needs an answer.
    p.output = run->result() ? run->result().value() : Json(Tool::failureOutput(run->result().error().message));
    Q_EMIT toolCallFinished(p.callId, p.name, outputText(p.output));
    if (m_state != State::Tools)
        return;
    if (!std::all_of(m_pendingTools.begin(), m_pendingTools.end(), [](const PendingTool& t) { return t.done; }))
        return;

    QList<Json> turnItems = m_turnOutput;
    for (const PendingTool& t : m_pendingTools) {
        Json out = Json::object();
        out.insert(QStringLiteral("call_id"), Json(t.callId));
        out.insert(QStringLiteral("output"), t.output);
        out.insert(QStringLiteral("type"), Json(QStringLiteral("function_call_output")));
        // ItemHelpers.copy_tool_call_caller: a programmatic call's caller goes last.
        if (const Json* caller = t.callItem.find(u"caller"); caller && !caller->isNull())
            out.insert(QStringLiteral("caller"), *caller);
        turnItems << std::move(out);
    }
    m_pendingTools.clear();
    m_turnOutput.clear();
    if (!persist(ModelInput::turnToPersist(turnItems), false))
        return;
    m_generated << turnItems;
    startModelCall();
}

void Runner::finishFinalTurn(const QList<Json>& output)
{
    const Json* lastMessage = nullptr;
    for (const Json& item : output) {
        if (item[u"type"].toString() == u"message")
            lastMessage = &item;
    }
    if (lastMessage) {
        // The SDK raises ModelRefusalError before storing the refused turn.
        const QString refusal = messageParts(*lastMessage, u"refusal", u"refusal");
        if (!refusal.isEmpty()) {
            return fail(
                RunErrorKind::ModelRefusal,
                Error::make(Error::Code::Protocol, QStringLiteral("Model refused to produce output: ") + refusal));
        }
        m_progress.finalText = messageParts(*lastMessage, u"output_text", u"text");
    }
    if (!persist(ModelInput::turnToPersist(output), false))
        return;
    m_generated << output;

    // store_run_usage after a successful run, as the application does with the SDK; it never
    // fails the run (the SDK logs and swallows its errors).
    if (auto r = m_session->storeRunUsage(m_progress.usage); !r)
        qCWarning(lcAgent) << "store_run_usage failed:" << r.error().message;
    if (m_store) {
        for (const core::RequestUsage& row : std::as_const(m_progress.requests)) {
            if (auto r = m_store->recordRequestUsage(row); !r) {
                qCWarning(lcAgent) << "cannot record request usage:" << r.error().message;
                break;
            }
        }
    }
    succeed();
}

bool Runner::persist(const QList<Json>& items, bool isInput)
{
    if (items.isEmpty())
        return true; // the SDK skips empty add_items calls
    if (auto r = m_session->addItems(items); !r) {
        fail(RunErrorKind::Session, r.error());
        return false;
    }
    if (!isInput)
        m_progress.newItems << items;
    Q_EMIT itemsStored(items);
    return m_state != State::Idle;
}

void Runner::cancel()
{
    if (m_state == State::Idle)
        return;
    fail(RunErrorKind::Cancelled, Error::make(Error::Code::Cancelled, QStringLiteral("Run cancelled")));
}

void Runner::releaseRunObjects()
{
    if (m_call) {
        disconnect(m_call, nullptr, this, nullptr);
        m_call->cancel();
        m_call->deleteLater();
        m_call = nullptr;
    }
    for (PendingTool& p : m_pendingTools) {
        if (!p.run)
            continue;
        disconnect(p.run, nullptr, this, nullptr);
        if (!p.run->isFinished())
            p.run->cancel();
        p.run->deleteLater();
    }
    m_pendingTools.clear();
    m_turnOutput.clear();
    m_tools = nullptr;
    m_ownedTools.reset();
    m_state = State::Idle;
}

void Runner::fail(RunErrorKind kind, Error error)
{
    if (m_state == State::Idle)
        return;
    qCInfo(lcAgent) << "run failed:" << error.message;
    releaseRunObjects();
    m_errorKind = kind;
    m_result = std::move(error);
    Q_EMIT finished();
}

void Runner::succeed()
{
    releaseRunObjects();
    m_errorKind = RunErrorKind::None;
    m_result = m_progress;
    Q_EMIT finished();
}

} // namespace tb::agent
