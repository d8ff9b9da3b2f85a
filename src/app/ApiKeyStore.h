// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Result.h"
#include "net/EndpointProfile.h"

namespace tb::app {

/// Where API keys live: the environment variable a profile names, or the OS keychain (Secret
/// Service, KWallet, macOS Keychain, Windows Credential Store through QtKeychain). Never in the
/// database, settings files or logs.
class ApiKeyStore final
{
public:
    /// The key for a profile: its environment variable first, then the keychain. Empty when the
    /// profile needs none or none is set; an error only when a required key cannot be found.
    static core::Result<QString> resolve(const net::EndpointProfile& profile);
    /// Saves a key for a profile in the keychain.
    static core::Result<void> store(const QString& profileName, const QString& key);
    static core::Result<void> remove(const QString& profileName);
    /// False when the build has no keychain support.
    static bool keychainAvailable();
};

} // namespace tb::app
