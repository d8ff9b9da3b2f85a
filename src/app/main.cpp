// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// The composition root: the only file that knows every concrete type.
#include "Cli.h"
#include "DemoDatabase.h"

#include "storage/SqliteSessionStore.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFileInfo>
#include <QStringConverter>
#include <QTextStream>

#include <cstdio>
#include <memory>

namespace {

// Python would refuse such an argument too; say so instead of silently storing U+FFFD.
int firstInvalidUtf8Argument(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        // Stateless: a sequence cut off at the end of the argument is an error, not state kept for
        // a next chunk. decode() is lazy: only converting its result to a QString runs the decoder.
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        (void)QString(decoder.decode(QByteArrayView(argv[i])));
        if (decoder.hasError())
            return i;
    }
    return 0;
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Threadbench"));
    QCoreApplication::setApplicationName(QStringLiteral("threadbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TB_VERSION));
}

} // namespace

int main(int argc, char** argv)
{
    if (argc > 1 && tb::app::Cli::isCommand(QString::fromLocal8Bit(argv[1]))) {
        QCoreApplication app(argc, argv);
        setIdentity();
        QTextStream out(stdout);
        QTextStream err(stderr);
        out.setEncoding(QStringConverter::Utf8);
        err.setEncoding(QStringConverter::Utf8);
        if (int bad = firstInvalidUtf8Argument(argc, argv)) {
            err << "threadbench: argument " << bad << " is not valid UTF-8\n";
            return tb::app::Cli::kExitFailure;
        }
        QStringList args = QCoreApplication::arguments();
        args.removeFirst();
        const int rc = tb::app::Cli::run(args, out, err);
        out.flush();
        err.flush();
        return rc;
    }

    QApplication app(argc, argv);
    setIdentity();
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Threadbench"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.threadbench.Threadbench"));

    auto openStore = [](const QString& path, bool readOnly) -> tb::core::Result<std::unique_ptr<tb::core::SessionStore>> {
        tb::storage::SqliteSessionStore::Options o;
        o.readOnly = readOnly;
        auto s = tb::storage::SqliteSessionStore::open(path, o);
        if (!s)
            return s.error();
        return std::unique_ptr<tb::core::SessionStore>(std::move(s).value());
    };
    auto createStore = [](const QString& path, bool) -> tb::core::Result<std::unique_ptr<tb::core::SessionStore>> {
        tb::storage::SqliteSessionStore::Options o;
        o.create = true;
        auto s = tb::storage::SqliteSessionStore::open(path, o);
        if (!s)
            return s.error();
        return std::unique_ptr<tb::core::SessionStore>(std::move(s).value());
    };
    tb::ui::MainWindow window(openStore, createStore);
    const QStringList args = QCoreApplication::arguments();
    window.show();
    if (args.size() > 1) {
        window.openDatabase(args.at(1));
    } else {
        // First start: a newcomer sees real content at once, from our own generator.
        const QString demo = tb::app::DemoDatabase::defaultPath();
        if (!QFileInfo::exists(demo)) {
            if (auto r = tb::app::DemoDatabase::generate(demo); !r)
                qWarning("Could not write the demo database: %s", qUtf8Printable(r.error().message));
        }
        if (QFileInfo::exists(demo))
            window.openDatabase(demo);
    }
    return QApplication::exec();
}
