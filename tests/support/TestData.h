// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench contributors
#pragma once

#include <QString>

namespace tb::test {

// Absolute path of tests/data in the source tree (baked in at configure time, so tests work from
// any working directory, including ctest's).
QString testDataDir();

// Absolute path of tests/data/sdk/<name>, e.g. sdkFixture(u"multi.db"_s). The fixtures were written
// by the Agents SDK itself (tests/data/sdk/README.md); never open them writable in place.
QString sdkFixture(const QString& name);

// Copies tests/data/sdk/<name> into dir (typically a TempDir) and makes the copy writable, because
// the checked-out source tree may be read-only. A non-empty "-wal" next to the fixture is copied
// too. Returns the copy's absolute path, or an empty string if the copy failed.
QString copySdkFixture(const QString& name, const QString& dir);

} // namespace tb::test
