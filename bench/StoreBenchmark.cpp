// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Store benchmark: generates the large benchmark database (10,000 sessions, ~1,000,000 items,
// branches and usage, one 100,000-item session, one 10,000-turn session) and times the store's
// operations on it. Prints medians and 95th percentiles; it never fails on a time.
#include "core/ConversationGenerator.h"
#include "BenchSupport.h"
#include "storage/AdvancedSqliteSession.h"
#include "storage/BulkSessionWriter.h"
#include "storage/SqliteSessionStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <QTimeZone>

#include <algorithm>
#include <functional>

using namespace tb;

namespace {

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}


struct Figure
{
    QString name;
    double medianMs = 0;
    double p95Ms = 0;
    int runs = 0;
    QString target;
};

Figure measure(const QString& name, int runs, const QString& target, const std::function<bool(int)>& body,
               const std::function<void(int)>& untimedAfter = {})
{
    QList<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        if (!body(i)) {
            out() << "  " << name << ": FAILED\n";
            return {name, -1, -1, i, target};
        }
        ms << double(t.nsecsElapsed()) / 1e6;
        if (untimedAfter)
            untimedAfter(i);
    }
    std::sort(ms.begin(), ms.end());
    Figure f{name, ms.at(ms.size() / 2), ms.at(std::min<qsizetype>(ms.size() - 1, qsizetype(ms.size() * 0.95))), runs, target};
    out() << QStringLiteral("  %1  median %2 ms  p95 %3 ms  (%4 runs; target %5)\n")
                 .arg(name.leftJustified(44), QString::number(f.medianMs, 'f', 3).rightJustified(9),
                      QString::number(f.p95Ms, 'f', 3).rightJustified(9))
                 .arg(runs)
                 .arg(target);
    out().flush();
    return f;
}

bool generate(const QString& path, int sessions, qint64 targetItems)
{
    QElapsedTimer timer;
    timer.start();
    auto writer = storage::BulkSessionWriter::open(path);
    if (!writer) {
        out() << "cannot create " << path << ": " << writer.error().message << '\n';
        return false;
    }
    core::ConversationGenerator gen(42);
    const QDateTime base(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());
    qint64 items = 0;
    auto write = [&](const QString& id, int turns, const QDateTime& start) {
        QList<core::GeneratedTurn> conv = gen.conversation(turns);
        for (const auto& t : conv)
            items += t.items.size();
        return bool((*writer)->appendTurns(id, QStringLiteral("main"), conv, start, 30));
    };
    (void)(*writer)->begin();
    // The two large sessions first: 100,000 items, and 10,000 turns.
    int bigTurns = 0;
    {
        QList<core::GeneratedTurn> conv;
        qint64 n = 0;
        while (n < 100000) {
            conv.push_back(gen.turn(2000));
            n += conv.back().items.size();
        }
        items += n;
        bigTurns = int(conv.size());
        if (!(*writer)->appendTurns(QStringLiteral("bench-100k-items"), QStringLiteral("main"), conv, base, 5))
            return false;
    }
    if (!write(QStringLiteral("bench-10k-turns"), 10000, base.addSecs(3600)))
        return false;
    const qint64 perSession = std::max<qint64>(1, (targetItems - items) / std::max(1, sessions - 2));
    for (int i = 0; i < sessions - 2; ++i) {
        const int turns = std::max(1, int(perSession / 3.6) + int(i % 5) - 2);
        const QString id = QStringLiteral("customer-%1").arg(100000 + i);
        if (!write(id, turns, base.addSecs(qint64(i) * 2400)))
            return false;
        if (i % 20 == 0 && turns > 3) {
            // One session in twenty has a what-if branch with two more turns.
            if (!(*writer)->createBranch(id, QStringLiteral("main"), turns / 2 + 1, QStringLiteral("what-if"),
                                         base.addSecs(qint64(i) * 2400 + 600)))
                return false;
            QList<core::GeneratedTurn> extra = gen.conversation(2);
            for (const auto& t : extra)
                items += t.items.size();
            if (!(*writer)->appendTurns(id, QStringLiteral("what-if"), extra, base.addSecs(qint64(i) * 2400 + 600), 30))
                return false;
        }
        if (i % 500 == 0) {
            (void)(*writer)->commit();
            (void)(*writer)->begin();
            out() << QStringLiteral("\r  generating: %1 sessions, %2 items").arg(i + 2).arg(items);
            out().flush();
        }
    }
    if (auto c = (*writer)->commit(); !c) {
        out() << "commit failed: " << c.error().message << '\n';
        return false;
    }
    out() << QStringLiteral("\r  generated %1 sessions, %2 items (100k session: %3 turns) in %4 s; file %5 MB\n")
                 .arg(sessions)
                 .arg(items)
                 .arg(bigTurns)
                 .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1)
                 .arg(double(QFileInfo(path).size()) / 1e6, 0, 'f', 0);
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Threadbench store benchmark"));
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("Benchmark database (generated when missing)."), QStringLiteral("path"),
                 QStringLiteral("threadbench-bench.db")});
    p.addOption({QStringLiteral("sessions"), QStringLiteral("Sessions to generate."), QStringLiteral("N"), QStringLiteral("10000")});
    p.addOption({QStringLiteral("items"), QStringLiteral("Items to generate in all."), QStringLiteral("N"), QStringLiteral("1000000")});
    p.addOption({QStringLiteral("regenerate"), QStringLiteral("Delete and generate the database again.")});
    p.process(app);

    const QString path = p.value(QStringLiteral("db"));
    if (p.isSet(QStringLiteral("regenerate"))) {
        for (const char* suffix : {"", "-wal", "-shm"})
            QFile::remove(path + QString::fromLatin1(suffix));
    }
    out() << "Threadbench store benchmark on " << path << '\n';
    if (!QFileInfo::exists(path) && !generate(path, p.value(QStringLiteral("sessions")).toInt(), p.value(QStringLiteral("items")).toLongLong()))
        return 1;

    QList<Figure> figures;
    // Listing: a fresh store each time, as when the window opens the file.
    figures << measure(QStringLiteral("sessions listing, first 100 by last activity"), 20, QStringLiteral("< 50 ms"), [&](int) {
        auto store = storage::SqliteSessionStore::open(path, {true, false});
        if (!store)
            return false;
        core::SessionQuery q;
        q.limit = 100;
        auto rows = (*store)->listSessions(q);
        return rows && rows->size() == 100;
    });

    auto big = storage::AdvancedSqliteSession::open(path, QStringLiteral("bench-100k-items"), {});
    auto turns = storage::AdvancedSqliteSession::open(path, QStringLiteral("bench-10k-turns"), {});
    auto small = storage::AdvancedSqliteSession::open(path, QStringLiteral("customer-100123"), {});
    if (!big || !turns || !small) {
        out() << "cannot open the benchmark sessions\n";
        return 1;
    }
    figures << measure(QStringLiteral("get_items(limit=20), 100k-item session"), 200, QStringLiteral("< 2 ms"), [&](int) {
        auto r = (*big)->getItems(20);
        return r && r->size() == 20;
    });
    figures << measure(QStringLiteral("get_items(), whole 100k-item session"), 5, QStringLiteral("< 400 ms"), [&](int) {
        auto r = (*big)->getItems();
        return r && r->size() >= 100000;
    });
    figures << measure(QStringLiteral("get_session_usage(), 100k-item session"), 200, QStringLiteral("< 10 ms"), [&](int) {
        auto r = (*big)->getSessionUsage(std::nullopt);
        return r && r->has_value();
    });
    core::ConversationGenerator gen(7);
    figures << measure(QStringLiteral("add_items (batch of 10)"), 200, QStringLiteral("-"), [&](int) {
        QList<core::Json> batch;
        while (batch.size() < 10) {
            for (const core::Json& item : gen.turn(1000).items) {
                if (batch.size() < 10)
                    batch << item;
            }
        }
        return bool((*small)->addItems(batch));
    });
    const qint64 stamp = QDateTime::currentSecsSinceEpoch();
    // Each branch is deleted again (untimed) so every run copies from the same 10,000-turn session.
    figures << measure(QStringLiteral("create_branch_from_turn(5000), 10k-turn session"), 10, QStringLiteral("< 150 ms"), [&](int i) {
        auto r = (*turns)->createBranchFromTurn(5000, QStringLiteral("bench-%1-%2").arg(stamp).arg(i));
        (void)(*turns)->switchToBranch(QStringLiteral("main"));
        return bool(r);
    }, [&](int i) { (void)(*turns)->deleteBranch(QStringLiteral("bench-%1-%2").arg(stamp).arg(i), true); });
    for (int i = 0; i < 200 * 10; ++i)
        (void)(*small)->popItem();

    out() << QStringLiteral("  peak resident memory: %1 MiB\n").arg(double(tb::bench::peakRssKiB()) / 1024.0, 0, 'f', 1);
    return 0;
}
