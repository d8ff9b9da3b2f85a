// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/AgentDefinition.h"

#include <QList>
#include <QString>

namespace tb::ui {

/// An endpoint profile as the settings dialog edits it. The ui layer cannot see net::EndpointProfile
/// (house-style §2), so the application converts in both directions. It never holds an API key:
/// keys typed in the dialog come back separately (SettingsDialog::keysToStore()).
struct EndpointEntry
{
    QString name;        // stable id; agents and the keychain refer to it
    QString displayName; // for humans
    QString baseUrl;
    bool responsesProtocol = false; // false: Chat Completions
    QString model;                  // default model when an agent names none
    QString apiKeyEnv;              // environment variable holding the key
    bool apiKeyInKeychain = false;
    bool allowInsecureHttp = false; // plain http to a non-loopback host
    bool usageInStream = true;
    bool toolCallsStreamedAsDeltas = true;
    bool responsesSupported = false;
    int idleTimeoutSeconds = 60;
    bool builtin = false; // shipped with the application: read-only, can be duplicated
    bool isDemo = false;  // the offline demo model

    friend bool operator==(const EndpointEntry&, const EndpointEntry&) = default;
};

enum class PaletteChoice {
    System,
    Light,
    Dark
};

struct AppearanceSettings
{
    PaletteChoice palette = PaletteChoice::System;
    int conversationFontSize = 0; // points; 0 = the system's font size

    friend bool operator==(const AppearanceSettings&, const AppearanceSettings&) = default;
};

/// Everything the settings dialog shows and returns.
struct SettingsValues
{
    QList<EndpointEntry> endpoints; // built-in and user profiles (only user ones come back)
    QList<core::AgentDefinition> agents;
    AppearanceSettings appearance;
};

} // namespace tb::ui
