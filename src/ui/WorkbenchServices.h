// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/AgentDefinition.h"
#include "core/AgentRepository.h"
#include "core/BranchMerge.h"
#include "core/ModelClient.h"
#include "core/Result.h"
#include "core/TaskList.h"
#include "SettingsTypes.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace tb::ui {

/// An endpoint the composer offers.
struct EndpointChoice
{
    QString name;
    QString label;
    bool isDemo = false;
};

/// What the window needs to run agents, provided by the application (the only place that knows
/// the network and storage types). Any member may be empty: the composer then says what is
/// missing instead of sending.
struct WorkbenchServices
{
    std::function<QList<EndpointChoice>()> endpoints;
    /// A client for the endpoint; it may adjust the agent's model to one the endpoint serves.
    std::function<core::Result<std::unique_ptr<core::ModelClient>>(const QString& endpoint, core::AgentDefinition& agent)> client;
    std::function<core::Result<std::unique_ptr<core::AgentRepository>>(const QString& dbPath, bool readOnly)> agents;
    std::function<core::Result<std::unique_ptr<core::TaskList>>(const QString& dbPath)> tasks;
    /// Every endpoint profile (built-in ones flagged) for the Settings dialog.
    std::function<QList<EndpointEntry>()> endpointEntries;
    /// Saves the user's own profiles and puts newly typed keys into the keychain.
    std::function<core::Result<void>(const QList<EndpointEntry>& userProfiles, const QList<QPair<QString, QString>>& keys)>
        saveEndpoints;
    /// Promote and carry on a database file (merging a what-if branch back).
    std::function<core::Result<std::unique_ptr<core::BranchMerge>>(const QString& dbPath, bool readOnly)> merge;
};

} // namespace tb::ui
