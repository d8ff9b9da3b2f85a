// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "DemoDatabase.h"

#include "core/ConversationGenerator.h"
#include "storage/BulkSessionWriter.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimeZone>
#include <QStandardPaths>

namespace tb::app {

using core::Error;

QString DemoDatabase::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("demo-sessions.db"));
}

core::Result<void> DemoDatabase::generate(const QString& path, const Options& options)
{
    if (QFileInfo::exists(path))
        return Error::make(Error::Code::Argument, QStringLiteral("%1 already exists; not overwriting it").arg(path));
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Error::storage(QStringLiteral("cannot create the folder of %1").arg(path));
    auto writer = storage::BulkSessionWriter::open(path);
    if (!writer)
        return writer.error();
    storage::BulkSessionWriter& w = **writer;
    if (auto b = w.begin(); !b)
        return b;

    core::ConversationGenerator gen(options.seed);
    QRandomGenerator rng(options.seed ^ 0x5eedU);
    // A fixed calendar keeps the file reproducible: a month of support traffic.
    const QDateTime firstDay(QDate(2026, 10, 27), QTime(8, 0), QTimeZone::utc());
    static const core::ReviewStatus statuses[] = {core::ReviewStatus::New, core::ReviewStatus::New, core::ReviewStatus::InReview,
                                                  core::ReviewStatus::Resolved, core::ReviewStatus::Resolved,
                                                  core::ReviewStatus::Escalated};
    for (int i = 0; i < options.sessions; ++i) {
        const int turns = 2 + int(rng.bounded(9));
        const QList<core::GeneratedTurn> conversation = gen.conversation(turns);
        const QString customer = gen.customer();
        const QString slug = customer.section(u' ', 0, 0).toLower().normalized(QString::NormalizationForm_KD).remove(QRegularExpression(QStringLiteral("[^a-z]")));
        const QString id = QStringLiteral("cust-%1-%2").arg(slug).arg(100 + i);
        const QDateTime start = firstDay.addSecs(qint64(i) * 14 * 3600 + qint64(rng.bounded(3600)));
        if (auto r = w.appendTurns(id, QStringLiteral("main"), conversation, start, 60 + rng.bounded(240)); !r)
            return r;

        core::SessionMeta meta;
        meta.title = gen.title();
        meta.customer = customer;
        meta.reviewStatus = statuses[rng.bounded(int(std::size(statuses)))];
        meta.tags = {conversation.size() > 6 ? QStringLiteral("long") : QStringLiteral("short")};
        if (rng.bounded(4) == 0)
            meta.tags << QStringLiteral("vip");
        if (auto r = w.setSessionMeta(id, meta); !r)
            return r;

        // Every few sessions an analyst asked "what if": a branch from an earlier turn with a
        // different question, sometimes two.
        if (turns >= 3 && i % 3 == 0) {
            const int branches = 1 + (i % 2);
            for (int b = 0; b < branches; ++b) {
                const qint64 fork = 2 + rng.bounded(turns - 1);
                const QString name = b == 0 ? QStringLiteral("what-if-%1").arg(fork) : QStringLiteral("escalate-early");
                const QDateTime at = start.addDays(1 + b);
                if (auto r = w.createBranch(id, QStringLiteral("main"), fork, name, at); !r)
                    return r;
                if (auto r = w.appendTurns(id, name, gen.conversation(1 + int(rng.bounded(2))), at, 90); !r)
                    return r;
                core::BranchMeta bm;
                bm.branchId = name;
                bm.displayName = b == 0 ? QStringLiteral("What if the customer asked differently at turn %1").arg(fork)
                                        : QStringLiteral("Escalate to a human earlier");
                bm.parentBranch = QStringLiteral("main");
                bm.forkTurn = fork;
                if (auto r = w.setBranchMeta(id, bm); !r)
                    return r;
            }
        }
    }
    return w.commit();
}

} // namespace tb::app
