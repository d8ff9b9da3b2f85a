// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "SessionStore.h"

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <memory>
#include <utility>
#include <vector>

namespace tb::core {

/// A folder of session databases shown as one store: the "one file per customer" layout
/// (sessions/cust-alice-123.db, sessions/cust-bob-456.db, ...). Each member store has a label, its
/// file name without the folder; members are kept in label order.
///
/// Session ids of the workspace are composite: `label + "/" + sessionId`, e.g.
/// `cust-alice-123.db/customer-789`. Labels never contain "/", session ids may, so the first "/"
/// always separates the two (split()). Every call taking a session id takes the composite id and is
/// routed to the member with the local id; every session id handed out (listing, search hits,
/// request usage) is composite. Session objects from openSession()/openPlainSession() are the
/// member's own objects and report the member's local sessionId().
///
/// Listing sorts across members exactly as one SQLite file would (text by code point, the order of
/// SQLite's BINARY collation), with ties broken by the composite id in the same direction. The
/// key SessionId sorts by the composite id. The filter matches what a member's filter matches, and
/// also the label: "alice" lists every session of cust-alice-123.db, and a pasted composite id
/// ("alice-123.db/customer-7") finds its session.
///
/// Members are added one at a time (addStore()) so that the caller can open a large folder one
/// file per event-loop step, with progress and cancellation. Adding a member changes the member
/// indices a search cursor refers to (see searchMessages()), so restart a search after adding.
class WorkspaceStore final : public SessionStore
{
public:
    /// Search cursors keep the member's own message id in the low kSearchCursorBits bits and the
    /// member index (label order) above them.
    static constexpr int kSearchCursorBits = 40;
    static constexpr qint64 kSearchMemberIdLimit = qint64(1) << kSearchCursorBits;

    explicit WorkspaceStore(QString folder);
    ~WorkspaceStore() override;
    Q_DISABLE_COPY_MOVE(WorkspaceStore)

    /// `label + "/" + sessionId`.
    [[nodiscard]] static QString compose(const QString& label, const QString& sessionId);
    /// {label, sessionId}, split at the first "/". Without a "/" the label is empty and the whole
    /// text is returned as the session id (no member has an empty label).
    [[nodiscard]] static std::pair<QString, QString> split(const QString& workspaceSessionId);

    /// Takes ownership of a member. A label that is empty, contains "/" or is already used, or a
    /// null store, is refused with a warning (tb.core): composite ids must stay unambiguous.
    void addStore(QString label, std::unique_ptr<SessionStore> store);
    [[nodiscard]] qsizetype storeCount() const;
    /// Labels in member order (sorted by code point).
    [[nodiscard]] QStringList labels() const;
    /// The member holding a composite session id, or nullptr for an unknown label.
    [[nodiscard]] SessionStore* storeFor(const QString& workspaceSessionId) const;

    /// The folder given to the constructor.
    [[nodiscard]] QString path() const override;
    /// True only if every member is read-only (so also for an empty workspace).
    [[nodiscard]] bool isReadOnly() const override;
    /// Advanced if any member is, else Plain if any member is, else Empty.
    [[nodiscard]] SchemaKind schemaKind() const override;

    /// Asks every member for its first offset + limit rows of the same sort and merges them; a
    /// global page is always contained in the union of the members' first pages. Costs
    /// O(members x (offset + limit)) rows per call.
    Result<QList<SessionSummary>> listSessions(const SessionQuery& query) override;
    Result<qint64> countSessions(const QString& filter) override;

    /// Walks the members in label order. Cursors (afterId, lastId) are
    /// `(memberIndex << kSearchCursorBits) | memberLastId`, and maxId is
    /// `storeCount() << kSearchCursorBits`, so lastId / maxId grows monotonically over the whole
    /// workspace and reaches 1 when done. A member with message ids >= kSearchMemberIdLimit fails the
    /// search (Error::Code::Format). Reads at most `rows` rows in total (it may visit several small
    /// members per slice). Hits carry the composite session id and the member's message id.
    Result<SearchSlice> searchMessages(const QString& term, qint64 afterId, qint64 rows) override;

    // Routed by composite id; an id whose label is unknown fails with Error::Code::Argument.
    Result<SessionMeta> sessionMeta(const QString& sessionId) override;
    Result<void> setSessionMeta(const QString& sessionId, const SessionMeta& meta) override;
    Result<std::optional<QString>> lastViewedBranch(const QString& sessionId) override;
    Result<void> setLastViewedBranch(const QString& sessionId, const QString& branchId) override;
    Result<QList<BranchMeta>> branchMeta(const QString& sessionId) override;
    Result<void> setBranchMeta(const QString& sessionId, const BranchMeta& meta) override;
    /// row.sessionId is composite.
    Result<void> recordRequestUsage(const RequestUsage& row) override;
    /// Rows come back with composite session ids.
    Result<QList<RequestUsage>> requestUsage(const QString& sessionId, const std::optional<QString>& branchId) override;

    /// Composite session ids; a member's file-wide assignment comes back as "label/" (empty
    /// local session id). Setting one with an empty session id sets it on every member.
    Result<QList<ModelAssignment>> modelAssignments() override;
    Result<void> setModelAssignment(const ModelAssignment& assignment) override;
    /// Members in label order, each in its own session id order; composite ids in every row.
    /// Progress counts sessions over all members read.
    Result<void> scanUsage(const UsageScan& scan, const UsageSink& sink) override;
    /// True when any member is flagged; setting flags every writable member.
    Result<bool> isProductionFile() override;
    Result<void> setProductionFile(bool production) override;
    Result<qint64> unstructuredItemCount(const QString& sessionId) override;

    Result<std::unique_ptr<Session>> openPlainSession(const QString& sessionId,
                                                      const SessionOpenOptions& options) override;
    Result<std::unique_ptr<BranchingSession>> openSession(const QString& sessionId,
                                                          const SessionOpenOptions& options) override;

private:
    struct Member
    {
        QString label;
        std::unique_ptr<SessionStore> store;
    };
    struct Route
    {
        SessionStore* store = nullptr;
        QString label;
        QString sessionId; // local to the member
    };

    [[nodiscard]] const Member* memberByLabel(const QString& label) const;
    [[nodiscard]] Result<Route> route(const QString& workspaceSessionId) const;
    /// The member's sessions matching `filter` (label included), in the order of `query`, at most
    /// `want` rows (< 0: all), with composite ids.
    Result<QList<SessionSummary>> memberListing(const Member& member, const SessionQuery& query, qint64 want) const;

    QString m_folder;
    std::vector<Member> m_members; // sorted by label (code point order)
};

} // namespace tb::core
