// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Window benchmark (printed, never asserted): time to a usable, painted window on the large
// benchmark database, time to show the 100,000-item session, and peak memory. Runs offscreen.
//
//   threadbench-gui-bench [--db threadbench-bench.db]   (generate the file with threadbench-bench)
#include "BenchSupport.h"
#include "storage/SqliteSessionStore.h"
#include "ui/ConversationModel.h"
#include "ui/MainWindow.h"
#include "ui/SessionListModel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QTextStream>

namespace {


} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTextStream out(stdout);
    QString db = QStringLiteral("threadbench-bench.db");
    const QStringList args = QApplication::arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--db"));
    if (at >= 0 && at + 1 < args.size())
        db = args.at(at + 1);
    if (!QFileInfo::exists(db)) {
        out << "no benchmark database at " << db << "; run threadbench-bench --db " << db << " first\n";
        return 1;
    }
    auto factory = [](const QString& path, bool readOnly) -> tb::core::Result<std::unique_ptr<tb::core::SessionStore>> {
        auto s = tb::storage::SqliteSessionStore::open(path, {readOnly, false});
        if (!s)
            return s.error();
        return std::unique_ptr<tb::core::SessionStore>(std::move(s).value());
    };

    QElapsedTimer t;
    t.start();
    tb::ui::MainWindow window(factory);
    window.resize(1280, 800);
    window.show();
    if (!window.openDatabase(db, true))
        return 1;
    (void)window.grab(); // forces layout and the first paint of what is visible
    const double usable = double(t.nsecsElapsed()) / 1e6;
    out << QStringLiteral("window usable and painted on %1 (%2 sessions): %3 ms\n")
               .arg(QFileInfo(db).fileName())
               .arg(window.sessionModel()->totalCount())
               .arg(usable, 0, 'f', 1);

    // The analyst filters the list to the session (untimed), then opens it (timed).
    window.findChild<QLineEdit*>(QStringLiteral("filterEdit"))->setText(QStringLiteral("bench-100k-items"));
    t.restart();
    if (!window.jumpTo(QStringLiteral("bench-100k-items"), QStringLiteral("main"), -1)) {
        out << "bench-100k-items not found\n";
        return 1;
    }
    (void)window.grab();
    const double shown = double(t.nsecsElapsed()) / 1e6;
    out << QStringLiteral("100,000-item session shown and painted (%1 items, first page loaded): %2 ms\n")
               .arg(window.conversationModel()->itemCount())
               .arg(shown, 0, 'f', 1);

    t.restart();
    window.conversationModel()->fetchAll();
    out << QStringLiteral("all 100,000 items loaded into the model (scrolling to the end): %1 ms\n")
               .arg(double(t.nsecsElapsed()) / 1e6, 0, 'f', 1);
    out << QStringLiteral("peak resident memory: %1 MiB\n").arg(double(tb::bench::peakRssKiB()) / 1024.0, 0, 'f', 1);
    return 0;
}
