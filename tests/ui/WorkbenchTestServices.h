// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

// The window's services as the application wires them, for widget tests that run agents: the
// offline demo model (or a demo server at `url`), agents and tasks in the session's file.

#include "app/ModelEndpoints.h"
#include "app/StoreFactories.h"
#include "net/EndpointProfiles.h"
#include "net/OpenAiClient.h"
#include "storage/SqliteAgentRepository.h"
#include "storage/SqliteTaskList.h"
#include "ui/WorkbenchServices.h"

#include <QNetworkAccessManager>
#include <QTest>

namespace tb::test {

inline tb::ui::WorkbenchServices workbenchServices(tb::app::ModelEndpoints& endpoints, QNetworkAccessManager& nam,
                                                   const QUrl& url = {})
{
    using namespace Qt::StringLiterals;
    tb::ui::WorkbenchServices s;
    s.endpoints = [] { return QList<tb::ui::EndpointChoice>{{u"demo"_s, u"Demo model (offline)"_s, true}}; };
    s.client = [&endpoints, &nam, url](const QString& name, tb::core::AgentDefinition& agent)
        -> tb::core::Result<std::unique_ptr<tb::core::ModelClient>> {
        if (url.isEmpty())
            return endpoints.prepare(*endpoints.profile(name), agent);
        auto profile = tb::net::EndpointProfiles::demo(url);
        agent.modelSettings.model = u"threadbench-demo"_s;
        return std::unique_ptr<tb::core::ModelClient>(std::make_unique<tb::net::OpenAiClient>(&nam, profile));
    };
    s.agents = [](const QString& path, bool readOnly) -> tb::core::Result<std::unique_ptr<tb::core::AgentRepository>> {
        auto r = tb::storage::SqliteAgentRepository::open(path, {readOnly, false});
        if (!r)
            return r.error();
        return std::unique_ptr<tb::core::AgentRepository>(std::move(r).value());
    };
    s.tasks = [](const QString& path) -> tb::core::Result<std::unique_ptr<tb::core::TaskList>> {
        auto r = tb::storage::SqliteTaskList::open(path, {});
        if (!r)
            return r.error();
        return std::unique_ptr<tb::core::TaskList>(std::move(r).value());
    };
    s.merge = tb::app::StoreFactories::merge();
    return s;
}

/// Waits (event loop running) until the window's run finished.
template <typename Window>
bool waitUntilIdle(Window& w, int ms = 15000)
{
    for (int waited = 0; w.isRunning() && waited < ms; waited += 10)
        QTest::qWait(10);
    return !w.isRunning();
}

} // namespace tb::test
