// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "WorkspaceStore.h"

#include <QLoggingCategory>
#include <queue>

#include <algorithm>
#include <limits>

namespace tb::core {

namespace {

Q_LOGGING_CATEGORY(lcCore, "tb.core")

// UTF-16 code-unit order differs from code-point order (= UTF-8 byte order, which SQLite's BINARY
// collation uses) only where a surrogate meets U+E000..U+FFFF: move the surrogates above those.
int codePointRank(char16_t c)
{
    if (c < 0xD800)
        return c;
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
}

int compareText(QStringView a, QStringView b)
{
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t x = a[i].unicode();
        const char16_t y = b[i].unicode();
        if (x != y)
            return codePointRank(x) < codePointRank(y) ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

// SQL NULL (a session without metadata) sorts before every text, as in SQLite. QSQLITE reads
// NULL as a null QString; an empty text may or may not come back null, which is why listSessions
// merges the members' own orders instead of re-sorting them.
int compareNullableText(const QString& a, const QString& b)
{
    if (a.isNull() || b.isNull())
        return a.isNull() == b.isNull() ? 0 : (a.isNull() ? -1 : 1);
    return compareText(a, b);
}

int compareInt(qint64 a, qint64 b)
{
    return a == b ? 0 : (a < b ? -1 : 1);
}

// The member listing's SQL order (see SqliteSessionStore::listSessions), on composite ids.
int compareByKey(const SessionSummary& a, const SessionSummary& b, SessionSortKey key)
{
    switch (key) {
    case SessionSortKey::SessionId:
        return 0; // the tie-break below is the key
    case SessionSortKey::Items:
        return compareInt(a.itemCount, b.itemCount);
    case SessionSortKey::Turns:
        return compareInt(a.turnCount, b.turnCount);
    case SessionSortKey::Branches:
        return compareInt(a.branchCount, b.branchCount);
    case SessionSortKey::FirstActivity:
        return compareText(a.firstActivity, b.firstActivity);
    case SessionSortKey::LastActivity:
        return compareText(a.lastActivity, b.lastActivity);
    case SessionSortKey::Tokens:
        return compareInt(a.totalTokens, b.totalTokens);
    case SessionSortKey::Title:
        return compareNullableText(a.meta.title, b.meta.title);
    case SessionSortKey::Customer:
        return compareNullableText(a.meta.customer, b.meta.customer);
    // Stored and sorted as its name, so "escalated" < "in_review" < "new" < "resolved".
    case SessionSortKey::ReviewStatus:
        return compareText(reviewStatusName(a.meta.reviewStatus), reviewStatusName(b.meta.reviewStatus));
    }
    return 0;
}

bool sortsBefore(const SessionSummary& a, const SessionSummary& b, const SessionQuery& q)
{
    int c = compareByKey(a, b, q.sort);
    if (c == 0)
        c = compareText(a.sessionId, b.sessionId);
    return q.descending ? c > 0 : c < 0;
}

// Session filters are SQL LIKE patterns on the member side: case-insensitive for ASCII only.
QString asciiLower(QStringView s)
{
    QString out = s.toString();
    for (QChar& c : out) {
        if (c.unicode() >= u'A' && c.unicode() <= u'Z')
            c = QChar(char16_t(c.unicode() + (u'a' - u'A')));
    }
    return out;
}

bool asciiContains(QStringView haystack, QStringView needle)
{
    return asciiLower(haystack).contains(asciiLower(needle));
}

bool asciiStartsWith(QStringView s, QStringView prefix)
{
    return asciiLower(s).startsWith(asciiLower(prefix));
}

bool asciiEndsWith(QStringView s, QStringView suffix)
{
    return asciiLower(s).endsWith(asciiLower(suffix));
}

// How a workspace filter reaches one member. The filter is a substring of the composite id (or of
// what the member matches: title, customer, tags); only a filter spanning the "/" ("123.db/cust")
// needs more than the member's own filter.
struct MemberFilter
{
    QString memberFilter;  // what the member is asked
    bool spanning = false; // the member's rows must then be checked against `full` here
    QString full;
};

MemberFilter planFilter(const QString& label, const QString& filter)
{
    if (filter.isEmpty() || asciiContains(label, filter))
        return {QString(), false, QString()};
    const qsizetype slash = filter.indexOf(u'/');
    // Labels have no "/", so a match across the separator pairs a label suffix with an id prefix.
    if (slash >= 0 && asciiEndsWith(label, QStringView(filter).left(slash)))
        return {filter.mid(slash + 1), true, filter};
    return {filter, false, QString()};
}

// For a spanning filter: the member listed the rows matching the id prefix's text anywhere (a
// superset); keep those whose composite id or metadata really contains the filter. Tags are matched
// one by one here, while the member matches their stored JSON text: they differ only for filters
// holding JSON punctuation.
bool matchesSpanning(const SessionSummary& s, const MemberFilter& f)
{
    if (asciiStartsWith(s.sessionId, f.memberFilter) || asciiContains(s.sessionId, f.full)
        || asciiContains(s.meta.title, f.full) || asciiContains(s.meta.customer, f.full))
        return true;
    return std::any_of(s.meta.tags.cbegin(), s.meta.tags.cend(),
                       [&](const QString& t) { return asciiContains(t, f.full); });
}

Error labelled(const QString& label, const Error& e)
{
    Error out = e;
    out.message = QStringLiteral("%1: %2").arg(label, e.message);
    return out;
}

Error argumentError(QString message)
{
    return Error::make(Error::Code::Argument, std::move(message));
}

} // namespace

WorkspaceStore::WorkspaceStore(QString folder)
    : m_folder(std::move(folder))
{}

WorkspaceStore::~WorkspaceStore() = default;

QString WorkspaceStore::compose(const QString& label, const QString& sessionId)
{
    return label + u'/' + sessionId;
}

std::pair<QString, QString> WorkspaceStore::split(const QString& workspaceSessionId)
{
    const qsizetype slash = workspaceSessionId.indexOf(u'/');
    if (slash < 0)
        return {QString(), workspaceSessionId};
    return {workspaceSessionId.left(slash), workspaceSessionId.mid(slash + 1)};
}

void WorkspaceStore::addStore(QString label, std::unique_ptr<SessionStore> store)
{
    if (!store || label.isEmpty() || label.contains(u'/')) {
        qCWarning(lcCore) << "workspace" << m_folder << "refuses member" << label
                          << "(empty label, '/' in label or no store)";
        return;
    }
    const auto at = std::lower_bound(m_members.begin(), m_members.end(), label,
                                     [](const Member& m, const QString& l) { return compareText(m.label, l) < 0; });
    if (at != m_members.end() && at->label == label) {
        qCWarning(lcCore) << "workspace" << m_folder << "already has a member" << label;
        return;
    }
    m_members.insert(at, Member{std::move(label), std::move(store)});
}

qsizetype WorkspaceStore::storeCount() const
{
    return qsizetype(m_members.size());
}

QStringList WorkspaceStore::labels() const
{
    QStringList out;
    out.reserve(storeCount());
    for (const Member& m : m_members)
        out << m.label;
    return out;
}

const WorkspaceStore::Member* WorkspaceStore::memberByLabel(const QString& label) const
{
    const auto at = std::lower_bound(m_members.begin(), m_members.end(), label,
                                     [](const Member& m, const QString& l) { return compareText(m.label, l) < 0; });
    return at != m_members.end() && at->label == label ? &*at : nullptr;
}

SessionStore* WorkspaceStore::storeFor(const QString& workspaceSessionId) const
{
    const auto [label, id] = split(workspaceSessionId);
    const Member* m = label.isEmpty() ? nullptr : memberByLabel(label);
    return m ? m->store.get() : nullptr;
}

Result<WorkspaceStore::Route> WorkspaceStore::route(const QString& workspaceSessionId) const
{
    auto [label, id] = split(workspaceSessionId);
    if (label.isEmpty()) {
        return argumentError(
            QStringLiteral("\"%1\" is not a workspace session id (expected <database file>/<session id>)")
                .arg(workspaceSessionId));
    }
    const Member* m = memberByLabel(label);
    if (!m) {
        return argumentError(QStringLiteral("no database \"%1\" in workspace %2 (session id \"%3\")")
                                 .arg(label, m_folder, workspaceSessionId));
    }
    return Route{m->store.get(), std::move(label), std::move(id)};
}

QString WorkspaceStore::path() const
{
    return m_folder;
}

bool WorkspaceStore::isReadOnly() const
{
    return std::all_of(m_members.cbegin(), m_members.cend(), [](const Member& m) { return m.store->isReadOnly(); });
}

SchemaKind WorkspaceStore::schemaKind() const
{
    SchemaKind kind = SchemaKind::Empty;
    for (const Member& m : m_members) {
        const SchemaKind k = m.store->schemaKind();
        if (k == SchemaKind::Advanced)
            return k;
        if (k == SchemaKind::Plain)
            kind = k;
    }
    return kind;
}

Result<QList<SessionSummary>> WorkspaceStore::memberListing(const Member& member, const SessionQuery& query,
                                                            qint64 want) const
{
    const MemberFilter f = planFilter(member.label, query.filter);
    SessionQuery mq = query;
    mq.filter = f.memberFilter;
    mq.offset = 0;
    mq.limit = f.spanning ? -1 : want;
    auto listed = member.store->listSessions(mq);
    if (!listed)
        return labelled(member.label, listed.error());
    QList<SessionSummary> rows = std::move(listed).value();
    if (f.spanning) {
        rows.removeIf([&](const SessionSummary& s) { return !matchesSpanning(s, f); });
        if (want >= 0 && rows.size() > want)
            rows.resize(qsizetype(want));
    }
    for (SessionSummary& s : rows)
        s.sessionId = compose(member.label, s.sessionId);
    return rows;
}

Result<QList<SessionSummary>> WorkspaceStore::listSessions(const SessionQuery& query)
{
    const qint64 offset = std::max<qint64>(0, query.offset);
    constexpr qint64 kMax = std::numeric_limits<qint64>::max();
    // Rows every member must deliver: its share of the global first offset + limit rows.
    const qint64 want = query.limit < 0 || query.limit > kMax - offset ? -1 : offset + query.limit;

    QList<QList<SessionSummary>> runs;
    runs.reserve(storeCount());
    for (const Member& m : m_members) {
        auto rows = memberListing(m, query, want);
        if (!rows)
            return rows.error();
        if (!rows->isEmpty())
            runs.push_back(std::move(rows).value());
    }

    // k-way merge of the members' runs. Merging (rather than re-sorting the union) keeps each
    // member's SQL order even where text values we cannot tell apart (NULL vs "") sort differently
    // in SQL, so pages never overlap or skip rows.
    struct Head
    {
        qsizetype run;
        qsizetype pos;
    };
    const auto after = [&](const Head& a, const Head& b) {
        return sortsBefore(runs.at(b.run).at(b.pos), runs.at(a.run).at(a.pos), query);
    };
    std::priority_queue<Head, std::vector<Head>, decltype(after)> heads(after);
    for (qsizetype r = 0; r < runs.size(); ++r)
        heads.push({r, 0});

    QList<SessionSummary> out;
    qint64 seen = 0;
    while (!heads.empty() && (want < 0 || seen < want)) {
        const Head h = heads.top();
        heads.pop();
        if (seen >= offset)
            out.push_back(std::move(runs[h.run][h.pos]));
        ++seen;
        if (h.pos + 1 < runs.at(h.run).size())
            heads.push({h.run, h.pos + 1});
    }
    return out;
}

Result<qint64> WorkspaceStore::countSessions(const QString& filter)
{
    qint64 total = 0;
    for (const Member& m : m_members) {
        const MemberFilter f = planFilter(m.label, filter);
        if (f.spanning) {
            SessionQuery q;
            q.filter = filter;
            q.sort = SessionSortKey::SessionId;
            q.descending = false;
            auto rows = memberListing(m, q, -1);
            if (!rows)
                return rows.error();
            total += rows->size();
            continue;
        }
        auto n = m.store->countSessions(f.memberFilter);
        if (!n)
            return labelled(m.label, n.error());
        total += *n;
    }
    return total;
}

Result<SearchSlice> WorkspaceStore::searchMessages(const QString& term, qint64 afterId, qint64 rows)
{
    constexpr qint64 kLowMask = kSearchMemberIdLimit - 1;
    const qint64 count = storeCount();
    SearchSlice slice;
    slice.maxId = count << kSearchCursorBits;
    qint64 index = afterId >> kSearchCursorBits;
    qint64 cursor = afterId & kLowMask;
    if (afterId < 0 || index > count || (index == count && cursor != 0))
        return argumentError(QStringLiteral("search cursor %1 is outside workspace %2").arg(afterId).arg(m_folder));
    if (rows < 1)
        return argumentError(QStringLiteral("a search slice must read at least one row (asked for %1)").arg(rows));
    if (term.isEmpty()) {
        slice.lastId = slice.maxId;
        slice.done = true;
        return slice;
    }

    qint64 budget = rows;
    while (index < count && budget > 0) {
        const Member& m = m_members.at(std::size_t(index));
        auto part = m.store->searchMessages(term, cursor, budget);
        if (!part)
            return labelled(m.label, part.error());
        if (part->maxId >= kSearchMemberIdLimit || part->lastId >= kSearchMemberIdLimit) {
            return Error::make(
                Error::Code::Format,
                QStringLiteral("%1: message ids reach %2, beyond what a workspace search can address (< 2^%3)")
                    .arg(m.label)
                    .arg(std::max(part->maxId, part->lastId))
                    .arg(kSearchCursorBits));
        }
        for (SearchHit& hit : part->hits) {
            hit.sessionId = compose(m.label, hit.sessionId);
            slice.hits.push_back(std::move(hit));
        }
        if (!part->done) {
            // The member read the whole budget; a member that reports no progress would make the
            // caller loop for ever.
            if (part->lastId <= cursor)
                return Error::storage(
                    QStringLiteral("%1: search made no progress after message %2").arg(m.label).arg(cursor));
            cursor = part->lastId;
            break;
        }
        // Ids grow by at least one per row read, so this never undercounts; a visited member costs
        // at least one row so that a slice over many empty members stays bounded.
        budget -= std::max<qint64>(1, part->lastId - cursor);
        ++index;
        cursor = 0;
    }
    slice.lastId = (index << kSearchCursorBits) | cursor;
    slice.done = index == count;
    return slice;
}

Result<SessionMeta> WorkspaceStore::sessionMeta(const QString& sessionId)
{
    auto r = route(sessionId);
    if (!r)
        return r.error();
    return r->store->sessionMeta(r->sessionId);
}

Result<void> WorkspaceStore::setSessionMeta(const QString& sessionId, const SessionMeta& meta)
{
    auto r = route(sessionId);
    if (!r)
        return r.error();
    return r->store->setSessionMeta(r->sessionId, meta);
}

Result<std::optional<QString>> WorkspaceStore::lastViewedBranch(const QString& sessionId)
{
    auto r = route(sessionId);
    if (!r)
        return r.error();
    return r->store->lastViewedBranch(r->sessionId);
}

Result<void> WorkspaceStore::setLastViewedBranch(const QString& sessionId, const QString& branchId)
{
    auto r = route(sessionId);
    if (!r)
        return r.error();
    return r->store->setLastViewedBranch(r->sessionId, branchId);
}

Result<QList<BranchMeta>> WorkspaceStore::branchMeta(const QString& sessionId)
{
    auto r = route(sessionId);
    if (!r)
        return r.error();
    return r->store->branchMeta(r->sessionId);
}

Result<void> WorkspaceStore::setBranchMeta(const QString& sessionId, const BranchMeta& meta)
{
    auto r = route(sessionId);
    if (!r)
        return r.error();
    return r->store->setBranchMeta(r->sessionId, meta);
}

Result<void> WorkspaceStore::recordRequestUsage(const RequestUsage& row)
{
    auto r = route(row.sessionId);
    if (!r)
        return r.error();
    RequestUsage local = row;
    local.sessionId = r->sessionId;
    return r->store->recordRequestUsage(local);
}

Result<QList<RequestUsage>> WorkspaceStore::requestUsage(const QString& sessionId,
                                                         const std::optional<QString>& branchId)
{
    auto r = route(sessionId);
    if (!r)
        return r.error();
    auto rows = r->store->requestUsage(r->sessionId, branchId);
    if (!rows)
        return rows.error();
    for (RequestUsage& u : *rows)
        u.sessionId = compose(r->label, u.sessionId);
    return rows;
}

Result<QList<ModelAssignment>> WorkspaceStore::modelAssignments()
{
    QList<ModelAssignment> out;
    for (const Member& m : m_members) {
        auto rows = m.store->modelAssignments();
        if (!rows)
            return rows.error();
        for (ModelAssignment a : *rows) {
            a.sessionId = compose(m.label, a.sessionId);
            out.push_back(a);
        }
    }
    return out;
}

Result<void> WorkspaceStore::setModelAssignment(const ModelAssignment& assignment)
{
    if (assignment.sessionId.isEmpty()) {
        for (const Member& m : m_members) {
            if (m.store->isReadOnly())
                continue;
            if (auto r = m.store->setModelAssignment(assignment); !r)
                return r;
        }
        return {};
    }
    auto r = route(assignment.sessionId);
    if (!r)
        return r.error();
    ModelAssignment local = assignment;
    local.sessionId = r->sessionId;
    return r->store->setModelAssignment(local);
}

Result<void> WorkspaceStore::scanUsage(const UsageScan& scan, const UsageSink& sink)
{
    struct Part
    {
        const Member* member;
        UsageScan scan;
        qint64 sessions;
    };
    QList<Part> parts;
    qint64 total = 0;
    for (const Member& m : m_members) {
        UsageScan local = scan;
        local.sessionIds.clear();
        for (const QString& id : scan.sessionIds) {
            auto [label, sessionId] = split(id);
            if (label == m.label)
                local.sessionIds << sessionId;
        }
        if (!scan.sessionIds.isEmpty() && local.sessionIds.isEmpty())
            continue; // a selection without sessions of this member
        qint64 sessions = local.sessionIds.size();
        if (scan.sessionIds.isEmpty()) {
            auto n = m.store->countSessions(QString());
            if (!n)
                return n.error();
            sessions = *n;
        }
        parts.push_back({&m, std::move(local), sessions});
        total += sessions;
    }
    qint64 before = 0;
    for (const Part& p : parts) {
        const QString& label = p.member->label;
        // Rows come grouped by session: compose each id once, not once per row.
        QString localId;
        QString composite;
        const auto composed = [&](const QString& id) -> const QString& {
            if (id != localId || composite.isEmpty()) {
                localId = id;
                composite = compose(label, id);
            }
            return composite;
        };
        UsageSink local;
        if (sink.session)
            local.session = [&](const QString& id, const SessionMeta& meta) { return sink.session(composed(id), meta); };
        if (sink.turn) {
            local.turn = [&](const UsageRow& row) {
                UsageRow r = row;
                r.sessionId = composed(row.sessionId);
                return sink.turn(r);
            };
        }
        if (sink.tool) {
            local.tool = [&](const ToolCountRow& row) {
                ToolCountRow r = row;
                r.sessionId = composed(row.sessionId);
                return sink.tool(r);
            };
        }
        if (sink.requestModel) {
            local.requestModel = [&](const RequestModelRow& row) {
                RequestModelRow r = row;
                r.sessionId = composed(row.sessionId);
                return sink.requestModel(r);
            };
        }
        if (sink.progress)
            local.progress = [&](qint64 done, qint64) { return sink.progress(before + done, total); };
        if (auto r = p.member->store->scanUsage(p.scan, local); !r)
            return r;
        before += p.sessions;
    }
    return {};
}

Result<bool> WorkspaceStore::isProductionFile()
{
    for (const Member& m : m_members) {
        auto p = m.store->isProductionFile();
        if (!p)
            return p.error();
        if (*p)
            return true;
    }
    return false;
}

Result<void> WorkspaceStore::setProductionFile(bool production)
{
    for (const Member& m : m_members) {
        if (m.store->isReadOnly())
            continue;
        if (auto r = m.store->setProductionFile(production); !r)
            return r;
    }
    return {};
}

Result<qint64> WorkspaceStore::unstructuredItemCount(const QString& sessionId)
{
    auto r = route(sessionId);
    if (!r)
        return r.error();
    return r->store->unstructuredItemCount(r->sessionId);
}

Result<std::unique_ptr<Session>> WorkspaceStore::openPlainSession(const QString& sessionId,
                                                                  const SessionOpenOptions& options)
{
    auto r = route(sessionId);
    if (!r)
        return r.error();
    return r->store->openPlainSession(r->sessionId, options);
}

Result<std::unique_ptr<BranchingSession>> WorkspaceStore::openSession(const QString& sessionId,
                                                                      const SessionOpenOptions& options)
{
    auto r = route(sessionId);
    if (!r)
        return r.error();
    return r->store->openSession(r->sessionId, options);
}

} // namespace tb::core
