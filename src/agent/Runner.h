// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "RunTypes.h"
#include "ToolRegistry.h"
#include "core/AgentDefinition.h"
#include "core/Json.h"
#include "core/ModelClient.h"
#include "core/Result.h"
#include "core/Session.h"
#include "core/SessionStore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace tb::agent {

/// The SDK's `Runner.run(agent, input, session=session)` over the core interfaces: one run loads
/// the branch's items, stores the new input, calls the model, runs the tool calls it asks for (all
/// of one response at once), feeds the outputs back and repeats until the model answers without
/// tool calls or max_turns is hit. Persistence follows the SDK step for step (spec §8): one
/// add_items for the input before the first model call, one per model turn that called tools
/// (the response's items, then the outputs in call order), one for the final response; then
/// store_run_usage with the run's total and one tb_request_usage row per model call.
///
/// A failed or cancelled run stops where the SDK would: the input and finished tool turns stay
/// stored, the turn in progress is dropped whole (each add_items is one transaction), no usage
/// is stored. Progress arrives as signals; finished() comes exactly once per run, always after
/// run() returned.
class Runner final : public QObject
{
    Q_OBJECT

public:
    explicit Runner(core::ModelClient& client, QObject* parent = nullptr);
    ~Runner() override;
    Q_DISABLE_COPY_MOVE(Runner)

    /// Where per-request usage rows go (tb_request_usage); null = not recorded.
    void setSessionStore(core::SessionStore* store) { m_store = store; }
    /// Task list and analyst prompter for the tools built from agent definitions.
    void setToolServices(const ToolServices& services) { m_services = services; }
    /// Wall clock for the rows' started_at (tests inject a fixed one).
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    /// Starts a run with a string input (stored as `{"content": text, "role": "user"}`) or with
    /// input items (stored as given, SDK-internal keys removed). The agent is copied; the session
    /// must outlive the run. Returns false (and changes nothing) while another run is going.
    bool run(const core::AgentDefinition& agent, const QString& input, core::BranchingSession& session,
             const RunOptions& options = {});
    bool run(const core::AgentDefinition& agent, const QList<core::Json>& input, core::BranchingSession& session,
             const RunOptions& options = {});
    /// Aborts the model call or the tool calls in flight; the run finishes with Cancelled.
    void cancel();

    [[nodiscard]] bool isRunning() const { return m_state != State::Idle; }
    /// The last run's outcome (valid after finished()).
    [[nodiscard]] const core::Result<RunResult>& result() const { return m_result; }
    [[nodiscard]] RunErrorKind errorKind() const { return m_errorKind; }
    /// The current or last run as far as it got, also after a failure.
    [[nodiscard]] const RunResult& progress() const { return m_progress; }

Q_SIGNALS:
    /// A model call is about to start (1 for the first).
    void turnStarted(int turn);
    void textDelta(const QString& itemId, const QString& delta);
    void reasoningDelta(const QString& itemId, const QString& delta);
    void toolCallStarted(const QString& callId, const QString& name, const QString& arguments);
    /// `output` is the text the model gets (a list output is shown as its JSON).
    void toolCallFinished(const QString& callId, const QString& name, const QString& output);
    /// One add_items call succeeded with these items.
    void itemsStored(const QList<tb::core::Json>& items);
    /// The run's usage so far, after each model call.
    void usageUpdated(const tb::core::RunUsage& total);
    void retrying(int attempt, qint64 delayMs, const QString& reason);
    void finished();

private:
    enum class State {
        Idle,
        Starting,
        ModelCall,
        Tools
    };

    struct PendingTool
    {
        QString callId;
        QString name;
        core::Json callItem;
        QPointer<ToolRun> run;
        core::Json output;
        bool done = false;
    };

    bool startRun(const core::AgentDefinition& agent, QList<core::Json> input, core::BranchingSession& session,
                  const RunOptions& options);
    void begin();
    void startModelCall();
    void modelCallFinished();
    void startTools(const QList<core::Json>& output, const QList<core::Json>& calls);
    void toolFinished(std::size_t index);
    void finishFinalTurn(const QList<core::Json>& output);
    /// One add_items call; false when it failed (the run is then finished) or a slot cancelled.
    bool persist(const QList<core::Json>& items, bool isInput);
    void markFirstToken();
    void fail(RunErrorKind kind, core::Error error);
    void succeed();
    void releaseRunObjects();

    core::ModelClient& m_client;
    core::SessionStore* m_store = nullptr;
    ToolServices m_services;
    std::function<QDateTime()> m_clock;

    // --- one run ---
    State m_state = State::Idle;
    quint64 m_generation = 0; // tells queued callbacks of an earlier run apart
    std::optional<core::AgentDefinition> m_agent;
    core::BranchingSession* m_session = nullptr;
    RunOptions m_options;
    std::unique_ptr<ToolRegistry> m_ownedTools;
    ToolRegistry* m_tools = nullptr;
    QList<core::Json> m_newInput;
    QList<core::Json> m_prepared;   // history + new input as the first model call gets it
    QList<core::Json> m_generated;  // items of finished turns, as run items
    QList<core::Json> m_turnOutput; // the response whose tool calls are running
    std::vector<PendingTool> m_pendingTools;
    bool m_toolsUsed = false;
    QPointer<core::ModelCall> m_call;
    QDateTime m_callStartedAt;
    QElapsedTimer m_callTimer;
    std::optional<qint64> m_firstTokenMs;
    RunResult m_progress;
    core::Result<RunResult> m_result = core::Error::make(core::Error::Code::Cancelled, QStringLiteral("no run yet"));
    RunErrorKind m_errorKind = RunErrorKind::None;
};

} // namespace tb::agent
