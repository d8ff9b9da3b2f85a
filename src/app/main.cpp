// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// The composition root: the only file that knows every concrete type.
#include "Cli.h"
#include "ApiKeyStore.h"
#include "DemoDatabase.h"
#include "ModelEndpoints.h"
#include "ReportCommand.h"
#include "StoreFactories.h"

#include "storage/SqliteAgentRepository.h"
#include "storage/SqliteSessionStore.h"
#include "storage/SqliteTaskList.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <QTimer>
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
        // `report --format pdf|html` draws charts, which need a QApplication; it never shows a
        // window, so it runs offscreen (no display needed). Other commands stay QCoreApplication.
        const bool gui = tb::app::ReportCommand::needsGui(argc, argv);
        if (gui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        // QGuiApplication would take --session (X11 session management) and other window options
        // out of argv: it sees only the program name, and the command gets the arguments as given.
        int guiArgc = 1;
        std::unique_ptr<QCoreApplication> app;
        if (gui)
            app = std::make_unique<QApplication>(guiArgc, argv);
        else
            app = std::make_unique<QCoreApplication>(argc, argv);
        setIdentity();
        QTextStream out(stdout);
        QTextStream err(stderr);
        out.setEncoding(QStringConverter::Utf8);
        err.setEncoding(QStringConverter::Utf8);
        if (int bad = firstInvalidUtf8Argument(argc, argv)) {
            err << "threadbench: argument " << bad << " is not valid UTF-8\n";
            return tb::app::Cli::kExitFailure;
        }
        QStringList args;
        for (int i = 1; i < argc; ++i)
            args << QString::fromLocal8Bit(argv[i]);
        const int rc = tb::app::Cli::run(args, out, err);
        out.flush();
        err.flush();
        return rc;
    }

    QApplication app(argc, argv);
    setIdentity();
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Threadbench"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.threadbench.Threadbench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Threadbench: a workbench for OpenAI Agents SDK session databases.\n"
                                                    "Run `threadbench --help` without a display for the command-line interface."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("DB"), QStringLiteral("Session database to open (default: the last one, or the demo)."),
                                 QStringLiteral("[DB]"));
    parser.addOption({QStringLiteral("read-only"), QStringLiteral("Open the database read-only.")});
    // Not "--session": QGuiApplication takes that for X11 session management.
    parser.addOption({QStringLiteral("session-id"), QStringLiteral("Show this session."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("branch"), QStringLiteral("Show this branch of the session."), QStringLiteral("B")});
    parser.addOption({QStringLiteral("palette"), QStringLiteral("Force a light or dark palette (default: the system's)."),
                      QStringLiteral("light|dark")});
    parser.addOption({QStringLiteral("screenshot"), QStringLiteral("Save a picture of the window to FILE and quit."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Window size, e.g. 1280x800."), QStringLiteral("WxH")});
    parser.process(app);

    if (parser.isSet(QStringLiteral("palette")))
        tb::ui::MainWindow::applyPalette(parser.value(QStringLiteral("palette")) == u"dark");

    tb::ui::MainWindow window(tb::app::StoreFactories::open(), tb::app::StoreFactories::create());
    tb::app::ModelEndpoints endpoints;
    tb::ui::WorkbenchServices services;
    services.endpoints = [&endpoints] {
        QList<tb::ui::EndpointChoice> out;
        for (const tb::net::EndpointProfile& p : endpoints.profiles())
            out << tb::ui::EndpointChoice{p.name, p.isDemo ? QObject::tr("Demo model (offline)") : p.displayName, p.isDemo};
        return out;
    };
    services.client = [&endpoints](const QString& name, tb::core::AgentDefinition& agent)
        -> tb::core::Result<std::unique_ptr<tb::core::ModelClient>> {
        auto profile = endpoints.profile(name);
        if (!profile)
            return tb::core::Error::make(tb::core::Error::Code::Argument, QObject::tr("No endpoint profile named %1").arg(name));
        return endpoints.prepare(*profile, agent);
    };
    services.agents = [](const QString& db, bool readOnly) -> tb::core::Result<std::unique_ptr<tb::core::AgentRepository>> {
        auto repo = tb::storage::SqliteAgentRepository::open(db, {readOnly, false});
        if (!repo)
            return repo.error();
        return std::unique_ptr<tb::core::AgentRepository>(std::move(repo).value());
    };
    services.tasks = [](const QString& db) -> tb::core::Result<std::unique_ptr<tb::core::TaskList>> {
        auto tasks = tb::storage::SqliteTaskList::open(db, {});
        if (!tasks)
            return tasks.error();
        return std::unique_ptr<tb::core::TaskList>(std::move(tasks).value());
    };
    services.endpointEntries = [&endpoints] {
        QList<tb::ui::EndpointEntry> out;
        const QList<tb::net::EndpointProfile> mine = endpoints.userProfiles();
        for (const tb::net::EndpointProfile& p : endpoints.profiles()) {
            const bool own = std::any_of(mine.cbegin(), mine.cend(), [&](const tb::net::EndpointProfile& m) { return m.name == p.name; });
            out << tb::app::ModelEndpoints::toEntry(p, !own);
        }
        return out;
    };
    services.saveEndpoints = [&endpoints](const QList<tb::ui::EndpointEntry>& user, const QList<QPair<QString, QString>>& keys)
        -> tb::core::Result<void> {
        QList<tb::net::EndpointProfile> profiles;
        for (const tb::ui::EndpointEntry& e : user)
            profiles << tb::app::ModelEndpoints::fromEntry(e);
        endpoints.setUserProfiles(profiles);
        for (const auto& [name, key] : keys) {
            if (auto r = tb::app::ApiKeyStore::store(name, key); !r)
                return r;
        }
        return {};
    };
    services.merge = tb::app::StoreFactories::merge();
    window.setServices(services);
    if (!parser.isSet(QStringLiteral("palette")))
        window.applyAppearance();
    if (parser.isSet(QStringLiteral("size"))) {
        const QStringList wh = parser.value(QStringLiteral("size")).split(u'x');
        window.resize(wh.value(0).toInt(), wh.value(1).toInt());
    } else {
        window.resize(1280, 800);
    }
    window.show();
    const bool readOnly = parser.isSet(QStringLiteral("read-only"));
    QString path = parser.positionalArguments().value(0);
    if (path.isEmpty()) {
        const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
        if (!recent.isEmpty() && QFileInfo::exists(recent.first()))
            path = recent.first();
    }
    if (path.isEmpty()) {
        // First start: a newcomer sees real content at once, from our own generator.
        path = tb::app::DemoDatabase::defaultPath();
        if (!QFileInfo::exists(path)) {
            if (auto r = tb::app::DemoDatabase::generate(path); !r)
                qWarning("Could not write the demo database: %s", qUtf8Printable(r.error().message));
        }
    }
    if (QFileInfo::exists(path) && window.openDatabase(path, readOnly) && parser.isSet(QStringLiteral("session-id")))
        window.jumpTo(parser.value(QStringLiteral("session-id")), parser.value(QStringLiteral("branch")), -1);

    if (parser.isSet(QStringLiteral("screenshot"))) {
        const QString out = parser.value(QStringLiteral("screenshot"));
        // Let layouts and the first paint settle, then save what the window shows.
        QTimer::singleShot(700, &window, [&window, out] {
            const bool ok = window.grab().save(out);
            if (!ok)
                qWarning("Could not save %s", qUtf8Printable(out));
            QCoreApplication::exit(ok ? 0 : 1);
        });
    }
    return QApplication::exec();
}
