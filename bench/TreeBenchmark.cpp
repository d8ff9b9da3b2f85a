// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Branch tree benchmark (printed, never asserted): lineage + layout of a session with 1,000 turns
// and 50 branches, the first paint, and the frame time while panning. Runs offscreen.
//
//   threadbench-tree-bench [--turns 1000] [--branches 50] [--own 20]
//
// Branch i forks from main at an evenly spread turn and asks `--own` turns of its own; with
// `--own 0` every branch runs to the last turn (the worst case: ~25,000 nodes).
#include "BenchSupport.h"
#include "core/BranchLineage.h"
#include "ui/BranchTreeView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QTextStream>

namespace {

int intArg(const QStringList& args, const QString& name, int fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
}

// Rows as branchItems() would give them: four rows per turn (question, tool call, output,
// answer); a branch copies the message ids of main's turns before its fork, then has its own.
QList<tb::core::BranchRows> syntheticSession(int turns, int branches, int own)
{
    QList<tb::core::BranchRows> rows;
    qint64 nextId = 1;
    tb::core::BranchRows main;
    main.branchId = QStringLiteral("main");
    for (int t = 1; t <= turns; ++t) {
        for (int k = 0; k < 4; ++k) {
            main.messageIds << nextId++;
            main.turns << t;
        }
    }
    rows << main;
    for (int b = 0; b < branches; ++b) {
        tb::core::BranchRows r;
        r.branchId = QStringLiteral("what-if-%1").arg(b + 1);
        const int fork = 1 + int(qint64(b) * (turns - 1) / std::max(1, branches));
        for (qsizetype i = 0; i < main.messageIds.size() && main.turns.at(i).value_or(0) < fork; ++i) {
            r.messageIds << main.messageIds.at(i);
            r.turns << main.turns.at(i);
        }
        const int last = own > 0 ? std::min(turns, fork + own - 1) : turns;
        for (int t = fork; t <= last; ++t) {
            for (int k = 0; k < 4; ++k) {
                r.messageIds << nextId++;
                r.turns << t;
            }
        }
        rows << r;
    }
    return rows;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = QApplication::arguments();
    const int turns = intArg(args, QStringLiteral("--turns"), 1000);
    const int branches = intArg(args, QStringLiteral("--branches"), 50);
    const int own = intArg(args, QStringLiteral("--own"), 20);

    const QList<tb::core::BranchRows> rows = syntheticSession(turns, branches, own);
    QHash<QString, QList<tb::core::ConversationTurn>> questions;
    QHash<QString, QHash<qint64, qint64>> tokens;
    for (const tb::core::BranchRows& r : rows) {
        for (qsizetype i = 0; i < r.turns.size(); i += 4) {
            tb::core::ConversationTurn t;
            t.turn = r.turns.at(i);
            t.content = QStringLiteral("Where is my order ORD-%1? It should have arrived by now.").arg(*t.turn);
            questions[r.branchId] << t;
            tokens[r.branchId].insert(*t.turn, 1000 + (*t.turn * 37) % 4000);
        }
    }

    tb::ui::BranchTreeView view;
    view.resize(1200, 400);
    view.show();

    QElapsedTimer t;
    t.start();
    const QList<tb::core::BranchNode> nodes = tb::core::BranchLineage::compute(rows, {});
    const double lineageMs = double(t.nsecsElapsed()) / 1e6;
    t.restart();
    view.setTree(nodes, questions, tokens, QStringLiteral("main"));
    const double layoutMs = double(t.nsecsElapsed()) / 1e6;
    t.restart();
    (void)view.grab();
    const double paintMs = double(t.nsecsElapsed()) / 1e6;
    out << QStringLiteral("session: %1 turns, %2 branches, %3 nodes drawn\n").arg(turns).arg(branches).arg(view.nodeCount());
    out << QStringLiteral("lineage (BranchLineage::compute): %1 ms\n").arg(lineageMs, 0, 'f', 1);
    out << QStringLiteral("layout (setTree: scene items for every node, lane and edge): %1 ms\n").arg(layoutMs, 0, 'f', 1);
    out << QStringLiteral("lineage + layout: %1 ms (target < 200 ms)\n").arg(lineageMs + layoutMs, 0, 'f', 1);
    out << QStringLiteral("first paint at 100 %: %1 ms\n").arg(paintMs, 0, 'f', 1);

    // Panning: 200 steps of 40 px across the tree, each step painted (what a drag does).
    QScrollBar* h = view.horizontalScrollBar();
    QScrollBar* v = view.verticalScrollBar();
    double worst = 0;
    t.restart();
    constexpr int kSteps = 200;
    for (int i = 0; i < kSteps; ++i) {
        QElapsedTimer frame;
        frame.start();
        h->setValue(h->value() + 40);
        if (i % 10 == 0)
            v->setValue(v->value() + 20);
        (void)view.grab();
        worst = std::max(worst, double(frame.nsecsElapsed()) / 1e6);
    }
    out << QStringLiteral("pan frame (scroll 40 px + paint), mean: %1 ms, worst: %2 ms\n")
               .arg(double(t.nsecsElapsed()) / 1e6 / kSteps, 0, 'f', 2)
               .arg(worst, 0, 'f', 2);
    t.restart();
    view.fitAll();
    (void)view.grab();
    out << QStringLiteral("fit all + paint (overview of the whole session): %1 ms\n").arg(double(t.nsecsElapsed()) / 1e6, 0, 'f', 1);
    out << QStringLiteral("peak resident memory: %1 MiB\n").arg(double(tb::bench::peakRssKiB()) / 1024.0, 0, 'f', 1);
    return 0;
}
