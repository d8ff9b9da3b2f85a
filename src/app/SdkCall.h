// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Json.h"
#include "core/Session.h"

#include <optional>

namespace tb::app {

/// What one SDK method call produced: the SDK's return value as JSON (tuples as lists, integer
/// keys as strings), the exception it raised, or a usage error of ours (bad arguments, I/O).
struct SdkOutcome
{
    enum class Kind { Returned, Raised, Failed };
    Kind kind = Kind::Returned;
    core::Json result;
    QString exceptionType; // Raised: ValueError, RuntimeError, TypeError
    QString message;       // Raised / Failed

    static SdkOutcome failed(QString m) { return {Kind::Failed, {}, {}, std::move(m)}; }
};

/// Calls an SDK session method by name with the SDK's keyword arguments, as
/// `await getattr(session, method)(**kwargs)` would. Used by `threadbench sdk` and by the
/// conformance tests that replay the SDK's own transcripts.
class SdkCall final
{
public:
    /// `advanced` is the same object as `session` for AdvancedSQLiteSession, nullptr for SQLiteSession.
    static SdkOutcome invoke(core::Session& session, core::BranchingSession* advanced, const QString& method,
                             const core::Json& kwargs);

    /// Checks the arguments of a call as invoke() would, without any session: the outcome a bad
    /// call would give (unexpected or mistyped keyword, an SQLiteSession without that method, an
    /// item the SDK cannot classify), or nothing. `threadbench sdk` uses it to refuse such calls
    /// before it opens, and so possibly changes, the database file.
    static std::optional<SdkOutcome> checkArguments(bool advanced, const QString& method, const core::Json& kwargs);

    /// The names accepted by invoke(), in the SDK's order.
    static QStringList methods();
};

} // namespace tb::app
