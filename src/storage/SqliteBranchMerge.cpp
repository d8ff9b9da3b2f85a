// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SqliteBranchMerge.h"

#include "AdvancedSqliteSession.h"
#include "SqliteConnection.h"
#include "WorkbenchTables.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QSqlQuery>

namespace tb::storage {

using core::Error;
using core::Json;
using core::MergeUndo;
using core::Result;
using core::RowSnapshot;

namespace {

const QString kMain = QStringLiteral("main");
const QString kStructure = QStringLiteral("message_structure");
const QString kUsage = QStringLiteral("turn_usage");
const QString kReservations = QStringLiteral("branch_reservations");
const QString kGenerations = QStringLiteral("session_clear_generations");
const QString kCarried = QStringLiteral("tb_carried_finding");

const QString kCarriedDdl = QStringLiteral(
    "CREATE TABLE IF NOT EXISTS tb_carried_finding (session_id TEXT NOT NULL, message_id INTEGER NOT NULL, "
    "source_branch TEXT NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (session_id, "
    "message_id))");

QString quoted(const QString& identifier)
{
    QString q = identifier;
    q.replace(u'"', QStringLiteral("\"\""));
    return u'"' + q + u'"';
}

struct BranchColumn
{
    QString table;
    QString column;
};

// Every column that names a branch of a session; a promote renames the two lines in all of them,
// so usage, lineage, view state and pricing go with their rows. branch_reservations is not here:
// a reservation records that an id was used, and both ids stay used.
const QList<BranchColumn>& branchColumns()
{
    static const QList<BranchColumn> columns{
        {kStructure, QStringLiteral("branch_id")},
        {kUsage, QStringLiteral("branch_id")},
        {QStringLiteral("tb_branch_meta"), QStringLiteral("branch_id")},
        {QStringLiteral("tb_branch_meta"), QStringLiteral("parent_branch")},
        {QStringLiteral("tb_session_view"), QStringLiteral("last_branch")},
        {QStringLiteral("tb_request_usage"), QStringLiteral("branch_id")},
        {QStringLiteral("tb_model_assignment"), QStringLiteral("branch_id")},
        {kCarried, QStringLiteral("source_branch")},
    };
    return columns;
}

// What a promote may change, per table: the rows of the three branch ids in the big tables, every
// row of the session in the small ones.
struct Scope
{
    QString table;
    QString column;
};

const QList<Scope>& promoteScopes()
{
    static const QList<Scope> scopes{
        {kStructure, QStringLiteral("branch_id")},
        {kUsage, QStringLiteral("branch_id")},
        {kReservations, {}},
        {kGenerations, {}},
        {QStringLiteral("tb_branch_meta"), {}},
        {QStringLiteral("tb_session_view"), {}},
        {QStringLiteral("tb_request_usage"), QStringLiteral("branch_id")},
        {QStringLiteral("tb_model_assignment"), {}},
        {kCarried, {}},
    };
    return scopes;
}

// View state and analyst notes change while an analyst merely looks; they must not block an undo.
bool outsideDigest(const QString& table)
{
    return table.compare(u"tb_session_view", Qt::CaseInsensitive) == 0
           || table.compare(u"tb_session_meta", Qt::CaseInsensitive) == 0;
}

// QtSql binds a null QByteArray as SQL NULL; an empty text or blob must stay empty.
QByteArray nonNull(QByteArray bytes)
{
    return bytes.isNull() ? QByteArray("") : bytes;
}

struct Rows
{
    QStringList columns;
    QList<QByteArray> classes;
    QList<QVariantList> values;
};

// Rows with their storage classes; text comes back as its stored bytes (a QString round trip would
// mend invalid UTF-8 a foreign writer left, and the row would no longer be byte-identical).
Result<Rows> readRows(SqliteConnection& c, const QString& table, const QStringList& columns, const QString& where,
                      const QVariantList& binds)
{
    QString sql = QStringLiteral("SELECT rowid");
    for (const QString& column : columns)
        sql += QStringLiteral(", typeof(%1), CASE WHEN typeof(%1) = 'text' THEN CAST(%1 AS BLOB) ELSE %1 END")
                   .arg(quoted(column));
    sql += QStringLiteral(" FROM ") + quoted(table) + QStringLiteral(" WHERE ") + where
           + QStringLiteral(" ORDER BY rowid");
    auto q = c.exec(sql, binds);
    if (!q)
        return q.error();
    Rows rows;
    rows.columns = QStringList{QStringLiteral("rowid")} + columns;
    while (q->next()) {
        QByteArray classes("i");
        QVariantList values{q->value(0).toLongLong()};
        for (qsizetype i = 0; i < columns.size(); ++i) {
            const QString type = q->value(int(1 + 2 * i)).toString();
            const QVariant v = q->value(int(2 + 2 * i));
            if (type == u"integer") {
                classes += 'i';
                values << v.toLongLong();
            } else if (type == u"real") {
                classes += 'r';
                values << v.toDouble();
            } else if (type == u"text") {
                classes += 't';
                values << nonNull(v.toByteArray());
            } else if (type == u"blob") {
                classes += 'b';
                values << nonNull(v.toByteArray());
            } else {
                classes += 'n';
                values << QVariant();
            }
        }
        rows.classes << classes;
        rows.values << values;
    }
    q->finish();
    return rows;
}

QString scopeWhere(const QString& column, qsizetype values)
{
    QString where = QStringLiteral("session_id = ?");
    if (!column.isEmpty())
        where += QStringLiteral(" AND ") + quoted(column) + QStringLiteral(" IN (") + SqliteConnection::placeholders(values) + u')';
    return where;
}

} // namespace

SqliteBranchMerge::SqliteBranchMerge()
    : m_conn(std::make_unique<SqliteConnection>())
{}

SqliteBranchMerge::~SqliteBranchMerge() = default;

Result<std::unique_ptr<SqliteBranchMerge>> SqliteBranchMerge::open(const QString& path, const Options& options)
{
    if (!QFileInfo::exists(path))
        return Error::storage(QStringLiteral("%1: no such file").arg(path));
    std::unique_ptr<SqliteBranchMerge> m(new SqliteBranchMerge);
    m->m_path = path;
    m->m_options = options;
    if (!m->m_options.now)
        m->m_options.now = [] { return QDateTime::currentDateTimeUtc(); };
    SqliteConnection::Options co;
    co.readOnly = options.readOnly || !QFileInfo(path).isWritable();
    auto opened = m->m_conn->open(path, co);
    if (!opened && !co.readOnly && opened.error().code == Error::Code::ReadOnly) {
        co.readOnly = true; // the folder is read-only (no -wal/-shm): read, refuse writes with the reason
        opened = m->m_conn->open(path, co);
    }
    if (!opened)
        return opened.error();
    return m;
}

bool SqliteBranchMerge::isReadOnly() const
{
    return m_conn->isReadOnly();
}

Result<qint64> SqliteBranchMerge::count(const QString& sql, const QVariantList& binds)
{
    auto v = m_conn->scalar(sql, binds);
    if (!v)
        return v.error();
    return v->toLongLong();
}

Result<void> SqliteBranchMerge::checkWritable(Operation op)
{
    const QString what =
        op == Operation::Promote ? QStringLiteral("promoting a branch") : QStringLiteral("carrying a finding");
    if (m_conn->isReadOnly())
        return Error::make(Error::Code::ReadOnly, QStringLiteral("%1 is read-only; %2 writes to it").arg(m_path, what));
    if (!m_conn->tableExists(kStructure))
        return Error::make(
            Error::Code::Argument,
            QStringLiteral("%1 has no AdvancedSQLiteSession tables (message_structure): its sessions are plain "
                           "SQLiteSession conversations without branches")
                .arg(m_path));
    if (op == Operation::Promote) {
        WorkbenchTables tables(*m_conn);
        auto production = tables.isProductionFile();
        if (!production)
            return production.error();
        if (*production)
            return Error::make(
                Error::Code::ReadOnly,
                QStringLiteral("%1 is flagged as a production file: promoting a branch would change the line live "
                               "agents continue, so it is refused here; promote in a copy of the file")
                    .arg(m_path));
    }
    return {};
}

Result<void> SqliteBranchMerge::checkSession(const QString& sessionId, const QString& branchId)
{
    auto exists =
        count(QStringLiteral("SELECT COUNT(*) FROM %1 WHERE session_id = ?").arg(quoted(m_options.tables.sessions)),
              {sessionId});
    if (!exists)
        return exists.error();
    if (*exists == 0)
        return Error::make(Error::Code::Argument, QStringLiteral("Session '%1' is not in %2").arg(sessionId, m_path));
    auto plain = SdkSchema::unstructuredItemCount(*m_conn, sessionId, m_options.tables.messages);
    if (!plain)
        return plain.error();
    if (*plain > 0)
        return Error::make(
            Error::Code::Argument,
            QStringLiteral("Session '%1' has %2 items without message_structure rows: a plain SQLiteSession "
                           "reads and writes it, and would take every branch's items as one conversation, so "
                           "it is left as it is")
                .arg(sessionId)
                .arg(*plain));
    if (branchId == kMain)
        return Error::make(Error::Code::Argument,
                           QStringLiteral("'main' is already the main line of session '%1'").arg(sessionId));
    auto rows = count(QStringLiteral("SELECT COUNT(*) FROM message_structure WHERE session_id = ? AND branch_id = ?"),
                      {sessionId, branchId});
    if (!rows)
        return rows.error();
    if (*rows == 0)
        return Error::make(Error::Code::Argument,
                           QStringLiteral("Branch '%1' does not exist in session '%2'").arg(branchId, sessionId));
    return {};
}

Result<bool> SqliteBranchMerge::nameTaken(const QString& sessionId, const QString& name)
{
    QList<BranchColumn> places = branchColumns();
    places << BranchColumn{kReservations, QStringLiteral("branch_id")};
    for (const BranchColumn& p : places) {
        if (!m_conn->tableExists(p.table))
            continue;
        auto hit = m_conn->scalar(QStringLiteral("SELECT 1 FROM %1 WHERE session_id = ? AND %2 = ? LIMIT 1")
                                      .arg(quoted(p.table), quoted(p.column)),
                                  {sessionId, name});
        if (!hit)
            return hit.error();
        if (hit->isValid())
            return true;
    }
    return false;
}

Result<core::PromotePlan> SqliteBranchMerge::plan(const QString& sessionId, const QString& branchId,
                                                  const std::optional<QString>& oldMainName)
{
    if (auto ok = checkSession(sessionId, branchId); !ok)
        return ok.error();
    core::PromotePlan p;
    p.sessionId = sessionId;
    p.branchId = branchId;
    auto q =
        m_conn->exec(QStringLiteral("SELECT branch_id, COUNT(*), SUM(message_type = 'user') FROM message_structure "
                                    "WHERE session_id = ? AND branch_id IN (?, ?) GROUP BY branch_id"),
                     {sessionId, kMain, branchId});
    if (!q)
        return q.error();
    while (q->next()) {
        const bool main = q->value(0).toString() == kMain;
        (main ? p.mainItems : p.branchItems) = q->value(1).toLongLong();
        (main ? p.mainTurns : p.branchTurns) = q->value(2).toLongLong();
    }
    q->finish();

    if (oldMainName) {
        const QString& name = *oldMainName;
        if (name.trimmed().isEmpty())
            return Error::make(Error::Code::Argument,
                               QStringLiteral("The old main needs a branch name that is not empty"));
        if (name == kMain)
            return Error::make(Error::Code::Argument, QStringLiteral("The old main cannot keep the name 'main'"));
        auto taken = nameTaken(sessionId, name);
        if (!taken)
            return taken.error();
        if (*taken)
            return Error::make(
                Error::Code::Argument,
                QStringLiteral("Branch ID '%1' has already been used. Choose a new branch ID.").arg(name));
        p.oldMainName = name;
        return p;
    }
    const QString base = defaultOldMainName(m_options.now().toUTC().date());
    QString name = base;
    for (int suffix = 2;; ++suffix) {
        auto taken = nameTaken(sessionId, name);
        if (!taken)
            return taken.error();
        if (!*taken)
            break;
        name = base + u'-' + QString::number(suffix);
    }
    p.oldMainName = name;
    return p;
}

Result<core::PromotePlan> SqliteBranchMerge::planPromote(const QString& sessionId, const QString& branchId,
                                                         const std::optional<QString>& oldMainName)
{
    if (auto ok = checkWritable(Operation::Promote); !ok)
        return ok.error();
    return plan(sessionId, branchId, oldMainName);
}

Result<core::PromoteOutcome> SqliteBranchMerge::promote(const QString& sessionId, const QString& branchId,
                                                        const std::optional<QString>& oldMainName)
{
    if (auto ok = checkWritable(Operation::Promote); !ok)
        return ok.error();
    // One write transaction from the checks to the digest: nobody changes the session in between.
    SqliteTransaction tx(*m_conn);
    if (auto b = tx.begin(true); !b)
        return b.error();
    auto p = plan(sessionId, branchId, oldMainName);
    if (!p)
        return p.error();
    const QString& old = p->oldMainName;

    core::PromoteOutcome out;
    out.plan = *p;
    MergeUndo& undo = out.undo;
    undo.kind = MergeUndo::Kind::Promote;
    undo.sessionId = sessionId;
    undo.description = QStringLiteral("Promote '%1' to main (old main kept as '%2')").arg(branchId, old);
    const QVariantList lines{kMain, branchId, old};
    for (const Scope& s : promoteScopes()) {
        auto snap = snapshot(sessionId, s.table, s.column, s.column.isEmpty() ? QVariantList{} : lines);
        if (!snap)
            return snap.error();
        undo.rows << *snap;
    }
    auto usageRows =
        count(QStringLiteral("SELECT COUNT(*) FROM turn_usage WHERE session_id = ? AND branch_id IN (?, ?)"),
              {sessionId, kMain, branchId});
    if (!usageRows)
        return usageRows.error();
    out.movedUsageRows = *usageRows;

    // Reserve as the SDK's branch operations do (back-fill every populated id, then the new one),
    // so create_branch_from_turn can never hand out the old main's name again.
    if (auto r = SdkSchema::ensureBranchReservations(*m_conn, sessionId); !r)
        return r.error();
    if (auto r = m_conn->write(
            QStringLiteral("INSERT OR IGNORE INTO branch_reservations (session_id, branch_id) VALUES (?, ?)"),
            {sessionId, old});
        !r)
        return r.error();
    // A live SDK object compares this generation before every branch-dependent call and goes back
    // to main when it moved (spec §6.8). An object still pointing at the promoted id would
    // otherwise start a new, empty branch of that name; after the bump it continues on main,
    // which is where that line now lives.
    if (auto r = SdkSchema::ensureClearGeneration(*m_conn, sessionId); !r)
        return r.error();
    if (auto r = m_conn->write(
            QStringLiteral("UPDATE session_clear_generations SET generation = generation + 1 WHERE session_id = ?"),
            {sessionId});
        !r)
        return r.error();

    // main → old first, then branch → main: the old name is unused (plan() checked every column),
    // so neither step meets turn_usage's UNIQUE(session_id, branch_id, user_turn_number) or a
    // side table's primary key, and no temporary name is needed.
    for (const auto& [from, to] : {std::pair{kMain, old}, std::pair{branchId, kMain}}) {
        for (const BranchColumn& c : branchColumns()) {
            if (!m_conn->tableExists(c.table))
                continue;
            auto r = m_conn->write(QStringLiteral("UPDATE %1 SET %2 = ? WHERE session_id = ? AND %2 = ?")
                                       .arg(quoted(c.table), quoted(c.column)),
                                   {to, sessionId, from});
            if (!r)
                return r.error();
        }
    }
    auto d = digest(sessionId);
    if (!d)
        return d.error();
    undo.stateAfter = *d;
    if (auto c = tx.commit(); !c)
        return c.error();
    return out;
}

Result<void> SqliteBranchMerge::checkCarry(const QString& sessionId, const QString& branchId)
{
    if (auto ok = checkWritable(Operation::Carry); !ok)
        return ok;
    if (branchId == kMain)
        return Error::make(Error::Code::Argument,
                           QStringLiteral("A finding is carried to main from another branch, not from main itself"));
    return checkSession(sessionId, branchId);
}

Result<core::CarryOutcome> SqliteBranchMerge::carry(const QString& sessionId, const QString& branchId,
                                                    const QString& text)
{
    if (auto ok = checkCarry(sessionId, branchId); !ok)
        return ok.error();
    if (text.trimmed().isEmpty())
        return Error::make(Error::Code::Argument, QStringLiteral("A finding needs some text"));
    core::CarryOutcome out;
    out.sessionId = sessionId;
    out.sourceBranch = branchId;
    out.item = findingItem(branchId, text);
    MergeUndo& undo = out.undo;
    undo.kind = MergeUndo::Kind::Carry;
    undo.sessionId = sessionId;
    undo.description = QStringLiteral("Carry a finding from '%1' to main").arg(branchId);

    // What add_items and the link will change, read before either runs.
    const QString& messages = m_options.tables.messages;
    qint64 maxIdBefore = 0;
    {
        SqliteTransaction read(*m_conn);
        if (auto b = read.begin(); !b)
            return b.error();
        for (const QString& table : {m_options.tables.sessions, kGenerations, kCarried}) {
            auto snap = snapshot(sessionId, table);
            if (!snap)
                return snap.error();
            undo.rows << *snap;
        }
        for (const QString& table : {messages, kStructure}) {
            auto seq = sequence(table);
            if (!seq)
                return seq.error();
            undo.sequences << core::SequenceSnapshot{table, *seq, std::nullopt};
        }
        auto maxId = count(QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM %1").arg(quoted(messages)), {});
        if (!maxId)
            return maxId.error();
        maxIdBefore = *maxId;
        if (auto c = read.commit(); !c)
            return c.error();
    }

    // The SDK's add_items on a fresh object: current branch main, its numbering, its classification.
    {
        AdvancedSqliteSession::Options so;
        so.tables = m_options.tables;
        auto session = AdvancedSqliteSession::open(m_path, sessionId, so);
        if (!session)
            return session.error();
        if (auto r = (*session)->addItems({out.item}); !r)
            return r.error();
    }

    SqliteTransaction tx(*m_conn);
    auto finish = [&]() -> Result<void> {
        if (auto b = tx.begin(true); !b)
            return b;
        auto q = m_conn->exec(
            QStringLiteral("SELECT s.message_id, s.sequence_number, s.user_turn_number FROM message_structure s "
                           "JOIN %1 m ON m.id = s.message_id WHERE s.session_id = ? AND s.branch_id = 'main' "
                           "AND m.session_id = ? AND m.id > ? AND m.message_data = ? "
                           "ORDER BY s.sequence_number DESC LIMIT 1")
                .arg(quoted(messages)),
            {sessionId, sessionId, maxIdBefore, QString::fromUtf8(out.item.dump())});
        if (!q)
            return q.error();
        if (!q->next())
            return Error::storage(
                QStringLiteral("The finding was added to session '%1' but its row is gone (another program "
                               "changed the session at the same moment)")
                    .arg(sessionId));
        out.messageId = q->value(0).toLongLong();
        out.sequenceNumber = q->value(1).toLongLong();
        if (!q->value(2).isNull())
            out.turn = q->value(2).toLongLong();
        q->finish();
        // Rows that did not exist before: undo deletes them.
        undo.rows.prepend(RowSnapshot{kStructure, QStringLiteral("message_id"), {out.messageId}, true, {}, {}, {}});
        undo.rows.prepend(RowSnapshot{messages, QStringLiteral("id"), {out.messageId}, true, {}, {}, {}});

        if (auto r = m_conn->write(kCarriedDdl); !r)
            return r.error();
        if (auto r = m_conn->write(
                QStringLiteral(
                    "INSERT INTO tb_carried_finding (session_id, message_id, source_branch) VALUES (?, ?, ?)"),
                {sessionId, out.messageId, branchId});
            !r)
            return r.error();
        for (core::SequenceSnapshot& s : undo.sequences) {
            auto seq = sequence(s.table);
            if (!seq)
                return seq.error();
            s.after = *seq;
        }
        auto d = digest(sessionId);
        if (!d)
            return d.error();
        undo.stateAfter = *d;
        return tx.commit();
    };
    if (auto r = finish(); !r) {
        if (m_conn->inTransaction())
            m_conn->rollback();
        // add_items committed on its own connection: take its rows back out if we found them.
        if (out.messageId != 0) {
            SqliteTransaction back(*m_conn);
            if (back.begin(true) && restoreAll(undo))
                (void)back.commit();
        }
        return r.error();
    }
    return out;
}

Result<QList<core::CarriedFinding>> SqliteBranchMerge::carriedFindings(const QString& sessionId)
{
    QList<core::CarriedFinding> out;
    if (!m_conn->tableExists(kCarried))
        return out;
    auto q = m_conn->exec(
        QStringLiteral("SELECT f.message_id, f.source_branch, f.created_at, m.message_data FROM tb_carried_finding f "
                       "LEFT JOIN %1 m ON m.id = f.message_id WHERE f.session_id = ? "
                       "ORDER BY f.created_at, f.message_id")
            .arg(quoted(m_options.tables.messages)),
        {sessionId});
    if (!q)
        return q.error();
    while (q->next()) {
        core::CarriedFinding f;
        f.messageId = q->value(0).toLongLong();
        f.sourceBranch = q->value(1).toString();
        f.createdAt = q->value(2).toString();
        auto item = Json::parse(q->value(3).toString());
        if (item) {
            const std::optional<QString> text = findingText(*item);
            f.text = text ? *text : item->dumpUnicode();
        }
        out << f;
    }
    q->finish();
    if (!m_conn->tableExists(kStructure))
        return out;
    for (core::CarriedFinding& f : out) {
        auto b = m_conn->exec(
            QStringLiteral("SELECT DISTINCT branch_id FROM message_structure WHERE session_id = ? AND message_id = ? "
                           "ORDER BY branch_id <> 'main', branch_id"),
            {sessionId, f.messageId});
        if (!b)
            return b.error();
        while (b->next())
            f.branches << b->value(0).toString();
    }
    return out;
}

Result<void> SqliteBranchMerge::undo(const MergeUndo& undo)
{
    if (!undo.isValid())
        return Error::make(Error::Code::Argument, QStringLiteral("Nothing to undo"));
    if (m_conn->isReadOnly())
        return Error::make(Error::Code::ReadOnly, QStringLiteral("%1 is read-only; undo writes to it").arg(m_path));
    SqliteTransaction tx(*m_conn);
    if (auto b = tx.begin(true); !b)
        return b;
    auto d = digest(undo.sessionId);
    if (!d)
        return d.error();
    if (*d != undo.stateAfter)
        return Error::storage(
            QStringLiteral("Session '%1' changed after \"%2\"; undoing it now would lose those changes")
                .arg(undo.sessionId, undo.description));
    if (auto r = restoreAll(undo); !r)
        return r;
    return tx.commit();
}

Result<void> SqliteBranchMerge::restoreAll(const MergeUndo& undo)
{
    for (const RowSnapshot& s : undo.rows) {
        if (auto r = restore(undo.sessionId, s); !r)
            return r;
    }
    // Give the AUTOINCREMENT counters back only if nobody inserted since: ids are never reused.
    for (const core::SequenceSnapshot& s : undo.sequences) {
        auto now = sequence(s.table);
        if (!now)
            return now.error();
        if (*now != s.after || *now == s.before)
            continue;
        auto r = s.before ? m_conn->write(QStringLiteral("UPDATE sqlite_sequence SET seq = ? WHERE name = ?"),
                                          {*s.before, s.table})
                          : m_conn->write(QStringLiteral("DELETE FROM sqlite_sequence WHERE name = ?"), {s.table});
        if (!r)
            return r.error();
    }
    return {};
}

Result<QStringList> SqliteBranchMerge::columns(const QString& table)
{
    auto q = m_conn->exec(QStringLiteral("SELECT name FROM pragma_table_info(?) ORDER BY cid"), {table});
    if (!q)
        return q.error();
    QStringList out;
    while (q->next())
        out << q->value(0).toString();
    return out;
}

Result<std::optional<qint64>> SqliteBranchMerge::sequence(const QString& table)
{
    if (!m_conn->tableExists(QStringLiteral("sqlite_sequence")))
        return std::optional<qint64>();
    auto v = m_conn->scalar(QStringLiteral("SELECT seq FROM sqlite_sequence WHERE name = ?"), {table});
    if (!v)
        return v.error();
    return v->isValid() ? std::optional<qint64>(v->toLongLong()) : std::nullopt;
}

Result<RowSnapshot> SqliteBranchMerge::snapshot(const QString& sessionId, const QString& table,
                                                const QString& scopeColumn, const QVariantList& scopeValues)
{
    RowSnapshot s;
    s.table = table;
    s.scopeColumn = scopeColumn;
    s.scopeValues = scopeValues;
    if (!m_conn->tableExists(table)) {
        s.tableExisted = false;
        return s;
    }
    auto cols = columns(table);
    if (!cols)
        return cols.error();
    auto rows = readRows(*m_conn, table, *cols, scopeWhere(scopeColumn, scopeValues.size()),
                         QVariantList{sessionId} + scopeValues);
    if (!rows)
        return rows.error();
    s.columns = rows->columns;
    s.classes = rows->classes;
    s.rows = rows->values;
    return s;
}

Result<void> SqliteBranchMerge::restore(const QString& sessionId, const RowSnapshot& s)
{
    // Only tables an operation of ours snapshots, so a doctored undo value cannot reach others.
    static const QStringList known{kStructure,
                                   kUsage,
                                   kReservations,
                                   kGenerations,
                                   QStringLiteral("tb_branch_meta"),
                                   QStringLiteral("tb_session_view"),
                                   QStringLiteral("tb_request_usage"),
                                   QStringLiteral("tb_model_assignment"),
                                   kCarried};
    if (!known.contains(s.table) && s.table != m_options.tables.sessions && s.table != m_options.tables.messages)
        return Error::make(Error::Code::Argument,
                           QStringLiteral("An undo step names table '%1', which no merge changes").arg(s.table));
    if (!m_conn->tableExists(s.table)) {
        if (s.rows.isEmpty())
            return {};
        return Error::storage(QStringLiteral("Table %1 is gone; its rows cannot be restored").arg(s.table));
    }
    auto cols = columns(s.table);
    if (!cols)
        return cols.error();
    if (!s.scopeColumn.isEmpty() && !cols->contains(s.scopeColumn))
        return Error::make(Error::Code::Argument,
                           QStringLiteral("Table %1 has no column %2").arg(s.table, s.scopeColumn));
    if (auto r = m_conn->write(QStringLiteral("DELETE FROM %1 WHERE %2")
                                   .arg(quoted(s.table), scopeWhere(s.scopeColumn, s.scopeValues.size())),
                               QVariantList{sessionId} + s.scopeValues);
        !r)
        return r.error();
    if (!s.rows.isEmpty()) {
        if (s.columns.value(0) != u"rowid")
            return Error::make(Error::Code::Argument,
                               QStringLiteral("An undo step for %1 has no row ids").arg(s.table));
        QStringList names{QStringLiteral("rowid")};
        for (qsizetype i = 1; i < s.columns.size(); ++i) {
            if (!cols->contains(s.columns.at(i)))
                return Error::make(Error::Code::Argument,
                                   QStringLiteral("Table %1 has no column %2").arg(s.table, s.columns.at(i)));
            names << quoted(s.columns.at(i));
        }
        const QString head =
            QStringLiteral("INSERT INTO %1 (%2) VALUES (").arg(quoted(s.table), names.join(QStringLiteral(", ")));
        for (qsizetype r = 0; r < s.rows.size(); ++r) {
            const QByteArray& classes = s.classes.value(r);
            const QVariantList& values = s.rows.at(r);
            if (classes.size() != s.columns.size() || values.size() != s.columns.size())
                return Error::make(Error::Code::Argument,
                                   QStringLiteral("An undo step for %1 has a malformed row").arg(s.table));
            QStringList marks;
            for (char c : classes)
                marks << (c == 't' ? QStringLiteral("CAST(? AS TEXT)") : QStringLiteral("?"));
            if (auto w = m_conn->write(head + marks.join(QStringLiteral(", ")) + u')', values); !w)
                return w.error();
        }
    }
    if (!s.tableExisted) {
        auto left = count(QStringLiteral("SELECT COUNT(*) FROM %1").arg(quoted(s.table)), {});
        if (!left)
            return left.error();
        if (*left == 0) {
            if (auto r = m_conn->write(QStringLiteral("DROP TABLE %1").arg(quoted(s.table))); !r)
                return r.error();
        }
    }
    return {};
}

Result<QByteArray> SqliteBranchMerge::digest(const QString& sessionId)
{
    auto tables = m_conn->exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    if (!tables)
        return tables.error();
    QStringList names;
    while (tables->next())
        names << tables->value(0).toString();
    tables->finish();

    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString& table : names) {
        if (outsideDigest(table))
            continue;
        auto cols = columns(table);
        if (!cols)
            return cols.error();
        if (!cols->contains(QStringLiteral("session_id"), Qt::CaseInsensitive))
            continue;
        auto rows = readRows(*m_conn, table, *cols, QStringLiteral("session_id = ?"), {sessionId});
        if (!rows)
            return rows.error();
        hash.addData(table.toUtf8());
        hash.addData(QByteArrayView("\n"));
        for (qsizetype r = 0; r < rows->values.size(); ++r) {
            const QByteArray& classes = rows->classes.at(r);
            hash.addData(classes);
            for (qsizetype i = 0; i < classes.size(); ++i) {
                const QVariant& v = rows->values.at(r).at(i);
                QByteArray bytes;
                switch (classes.at(i)) {
                case 'i':
                    bytes = QByteArray::number(v.toLongLong());
                    break;
                case 'r':
                    bytes = QByteArray::number(v.toDouble(), 'g', 17);
                    break;
                case 't':
                case 'b':
                    bytes = v.toByteArray();
                    break;
                default:
                    break;
                }
                hash.addData(QByteArray(QByteArray::number(bytes.size()) + ':'));
                hash.addData(bytes);
            }
        }
    }
    return hash.result();
}

} // namespace tb::storage
