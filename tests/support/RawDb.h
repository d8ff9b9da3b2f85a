// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QUuid>
#include <QVariant>

#include <gtest/gtest.h>

namespace tb::test {

/// A second, plain QtSql connection to a database file, for tests that look at (or damage) rows
/// directly, beside the code under test.
class RawDb
{
public:
    explicit RawDb(const QString& path, bool readOnly = false)
        : m_name(QStringLiteral("raw-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        QString opts = QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000");
        if (readOnly)
            opts += QStringLiteral(";QSQLITE_OPEN_READONLY");
        db.setConnectOptions(opts);
        m_ok = db.open();
        EXPECT_TRUE(m_ok) << "raw open failed: " << db.lastError().text().toStdString();
    }
    ~RawDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    /// Runs one statement; fails the test (non-fatally) if it errors.
    bool exec(const QString& sql, const QVariantList& binds = {})
    {
        QSqlQuery q(db());
        if (!q.prepare(sql)) {
            ADD_FAILURE() << "prepare failed: " << (sql).toStdString() << ": " << q.lastError().text().toStdString();
            return false;
        }
        for (const QVariant& b : binds)
            q.addBindValue(b);
        if (!q.exec()) {
            ADD_FAILURE() << "exec failed: " << (sql).toStdString() << ": " << q.lastError().text().toStdString();
            return false;
        }
        return true;
    }

    /// Runs one statement and reports success without failing the test.
    bool tryExec(const QString& sql, QString* error = nullptr)
    {
        QSqlQuery q(db());
        const bool ok = q.exec(sql);
        if (!ok && error)
            *error = q.lastError().text();
        return ok;
    }

    QList<QVariantList> rows(const QString& sql, const QVariantList& binds = {})
    {
        QList<QVariantList> out;
        QSqlQuery q(db());
        q.setForwardOnly(true);
        if (!q.prepare(sql)) {
            ADD_FAILURE() << "prepare failed: " << (sql).toStdString() << ": " << q.lastError().text().toStdString();
            return out;
        }
        for (const QVariant& b : binds)
            q.addBindValue(b);
        if (!q.exec()) {
            ADD_FAILURE() << "exec failed: " << (sql).toStdString() << ": " << q.lastError().text().toStdString();
            return out;
        }
        while (q.next()) {
            QVariantList row;
            for (int i = 0; i < q.record().count(); ++i)
                row << q.value(i);
            out << row;
        }
        return out;
    }

    QVariant scalar(const QString& sql, const QVariantList& binds = {})
    {
        const auto r = rows(sql, binds);
        return r.isEmpty() || r.first().isEmpty() ? QVariant() : r.first().first();
    }

    qint64 count(const QString& sql, const QVariantList& binds = {}) { return scalar(sql, binds).toLongLong(); }

    QStringList strings(const QString& sql, const QVariantList& binds = {})
    {
        QStringList out;
        for (const QVariantList& r : rows(sql, binds))
            out << (r.value(0).isNull() ? QStringLiteral("<NULL>") : r.value(0).toString());
        return out;
    }

    /// Each row as "col|col|…", SQL NULL spelled NULL.
    QStringList lines(const QString& sql, const QVariantList& binds = {})
    {
        QStringList out;
        for (const QVariantList& r : rows(sql, binds)) {
            QStringList cols;
            for (const QVariant& v : r)
                cols << (v.isNull() ? QStringLiteral("NULL") : v.toString());
            out << cols.join(u'|');
        }
        return out;
    }

    bool tableExists(const QString& name)
    {
        return count(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"), {name}) > 0;
    }

private:
    QString m_name;
    bool m_ok = false;
};

} // namespace tb::test
